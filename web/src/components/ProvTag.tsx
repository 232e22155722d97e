// Provenance of a plan rule: seed clause / typical practice / regulation / inferred default.
import { Tag, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';

const KINDS = ['seed', 'typical', 'reg', 'inferred'] as const;
const COLOUR: Record<(typeof KINDS)[number], string> = { seed: 'green', typical: 'blue', reg: 'purple', inferred: 'gold' };

export function ProvTag({ prov }: { prov?: string }) {
  const { t } = useTranslation();
  if (!prov) return <span>—</span>;
  // "seed:一.1 + inferred": each part by its kind; a seed part keeps its clause, other details (English notes) stay in the tooltip
  const parts = prov.split('+').map((part) => {
    const kind = KINDS.find((k) => part.trim().toLowerCase().startsWith(k));
    // a seed part's clause number (一.4, 三(二)1); a note after it, in English, stays in the tooltip
    const detail = part
      .trim()
      .replace(/^(seed|typical|reg|inferred)\s*:?\s*/i, '')
      .split(/\s|;|（| \(/)[0];
    return { kind, text: kind ? `${t(`prov.${kind}`)}${kind === 'seed' && detail ? ` · ${detail}` : ''}` : part.trim() };
  });
  const first = parts[0]?.kind;
  return (
    <Tooltip title={prov}>
      <Tag data-testid="prov-tag" data-prov={first ?? 'other'} color={first ? COLOUR[first] : 'default'}>
        {parts.map((p) => p.text).join(' + ')}
      </Tag>
    </Tooltip>
  );
}
