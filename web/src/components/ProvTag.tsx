// Provenance of a plan rule: seed clause / typical practice / regulation / inferred default.
import { Tag, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';

const KINDS = ['seed', 'typical', 'reg', 'inferred'] as const;
const COLOUR: Record<(typeof KINDS)[number], string> = { seed: 'green', typical: 'blue', reg: 'purple', inferred: 'gold' };

export function ProvTag({ prov }: { prov?: string }) {
  const { t } = useTranslation();
  if (!prov) return <span>—</span>;
  const kind = KINDS.find((k) => prov.trim().toLowerCase().startsWith(k));
  const detail = prov.replace(/^(seed|typical|reg|inferred)\s*:?\s*/i, '');
  return (
    <Tooltip title={prov}>
      <Tag data-testid="prov-tag" data-prov={kind ?? 'other'} color={kind ? COLOUR[kind] : 'default'}>
        {kind ? t(`prov.${kind}`) : prov}
        {kind && detail ? ` · ${detail}` : ''}
      </Tag>
    </Tooltip>
  );
}
