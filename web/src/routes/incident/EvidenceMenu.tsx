// "Other records": the plan's remaining evidence actions (backup started, manual mode started, announcement…),
// each of which meets the obligations that name it. Read from the plan, not hard-coded. On a closed incident only
// the ones an open obligation still waits for are offered (`allowed`).
import { DownOutlined, FileDoneOutlined } from '@ant-design/icons';
import { Button, Dropdown } from 'antd';
import { useTranslation } from 'react-i18next';
import { ACTION_PERMISSION, PERM } from '../../api/permissions';
import { useLang } from '../../hooks/useLang';
import { usePlan } from '../../hooks/usePlan';
import { useSession } from '../../hooks/useSession';

export function EvidenceMenu({ allowed, busy, onPick }: { allowed: (id: string) => boolean; busy?: string; onPick: (id: string) => void }) {
  const { t } = useTranslation();
  const { pick } = useLang();
  const { plan } = usePlan();
  const { can } = useSession();
  // a regulator report is recorded on its own card (RegulatorReportsCard), one report at a time
  const all = (plan?.evidence ?? []).filter((e) => !(e.id in ACTION_PERMISSION) && e.id !== 'regulator_report_submitted');
  const items = all.filter((e) => allowed(e.id));
  if (!can(PERM.incidentEvidence) || all.length === 0) return null;
  return (
    <Dropdown
      disabled={items.length === 0}
      trigger={['click']}
      menu={{ items: items.map((e) => ({ key: e.id, label: <span data-testid={`evidence-${e.id}`}>{pick(e.name)}</span> })), onClick: ({ key }) => onPick(key) }}
    >
      <Button icon={<FileDoneOutlined />} loading={!!busy && items.some((e) => e.id === busy)} data-testid="action-evidence">
        {t('action.evidence')} <DownOutlined />
      </Button>
    </Dropdown>
  );
}
