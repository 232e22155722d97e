// The incident's action buttons, shown only with the permission and enabled only in a state that allows them.
// A closed incident keeps its open obligations: the evidence that meets one of them, and waiving, stay enabled.
import { CheckOutlined, EnvironmentOutlined, FileTextOutlined, LockOutlined, MinusCircleOutlined, RiseOutlined, ToolOutlined } from '@ant-design/icons';
import { Button, Space } from 'antd';
import { useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ACTION_PERMISSION } from '../../api/permissions';
import type { ActionType, Incident } from '../../api/types';
import { usePlan } from '../../hooks/usePlan';
import { useSession } from '../../hooks/useSession';
import { isOpenObligation } from '../../lib/response';
import { CloseBlocked } from './CloseBlocked';
import { EvidenceMenu } from './EvidenceMenu';
import { CloseModal, SetLevelModal, WaiveModal } from './ReasonModal';
import { useIncidentAction } from './useIncidentAction';

const ICONS: Record<ActionType, ReactNode> = {
  acknowledge: <CheckOutlined />,
  check_in: <EnvironmentOutlined />,
  restore: <ToolOutlined />,
  report: <FileTextOutlined />,
  set_level: <RiseOutlined />,
  waive: <MinusCircleOutlined />,
  close: <LockOutlined />,
};

interface Props {
  incident: Incident;
  /** set by the obligations table's per-row "waive" button */
  waiveTarget?: string;
  onWaiveTargetUsed?: () => void;
}

export function ActionBar({ incident, waiveTarget, onWaiveTargetUsed }: Props) {
  const { t } = useTranslation();
  const { can } = useSession();
  const { run, busy, blocked, clearBlocked } = useIncidentAction(incident.id);
  const [modal, setModal] = useState<'set_level' | 'waive' | 'close'>();
  const closed = incident.state === 'closed';
  const { plan } = usePlan();
  const pending = incident.obligations.filter(isOpenObligation);
  // the evidence that would meet an open obligation: all a closed incident still accepts
  const owed = new Set(pending.flatMap((o) => plan?.obligations.find((p) => p.id === o.ruleId)?.evidence ?? []));
  const evidenceOpen = (id: string) => !closed || owed.has(id);

  const enabled: Record<ActionType, boolean> = {
    acknowledge: evidenceOpen('acknowledge'),
    check_in: evidenceOpen('check_in'),
    restore: incident.state === 'responding' || (closed && owed.has('restore')),
    report: evidenceOpen('report'),
    set_level: !closed,
    waive: pending.length > 0,
    close: !closed,
  };
  const open = waiveTarget ? 'waive' : modal;
  // a close refused for paper still to back-enter: the dialog gives way to the list of what is open
  useEffect(() => {
    if (blocked) setModal(undefined);
  }, [blocked]);
  const dismiss = () => {
    setModal(undefined);
    onWaiveTargetUsed?.();
  };
  const simple = (type: ActionType) => () => void run({ type });
  const onClick: Record<ActionType, () => void> = {
    acknowledge: simple('acknowledge'),
    check_in: simple('check_in'),
    restore: simple('restore'),
    report: simple('report'),
    set_level: () => setModal('set_level'),
    waive: () => setModal('waive'),
    close: () => setModal('close'),
  };

  const visible = (Object.keys(ACTION_PERMISSION) as ActionType[]).filter((a) => can(ACTION_PERMISSION[a]));
  return (
    <>
      <Space wrap data-testid="action-bar">
        {visible.map((a) => (
          <Button
            key={a}
            icon={ICONS[a]}
            type={a === 'acknowledge' ? 'primary' : 'default'}
            danger={a === 'close'}
            disabled={!enabled[a]}
            loading={busy === a}
            onClick={onClick[a]}
            data-testid={`action-${a}`}
          >
            {t(`action.${a}`)}
          </Button>
        ))}
        <EvidenceMenu allowed={evidenceOpen} busy={busy} onPick={(type) => void run({ type })} />
        {visible.length === 0 && <span data-testid="no-actions">{t('action.none')}</span>}
      </Space>
      <SetLevelModal
        open={open === 'set_level'}
        current={incident.level}
        busy={busy === 'set_level'}
        onCancel={dismiss}
        onSubmit={async (level, reason) => (await run({ type: 'set_level', level, reason })) && dismiss()}
      />
      <WaiveModal
        open={open === 'waive'}
        obligations={pending}
        initial={waiveTarget}
        busy={busy === 'waive'}
        onCancel={dismiss}
        onSubmit={async (obligation, reason) => (await run({ type: 'waive', obligation, reason })) && dismiss()}
      />
      <CloseModal
        open={open === 'close'}
        busy={busy === 'close'}
        reasonRequired={incident.state === 'responding'}
        onCancel={dismiss}
        onSubmit={async (reason) => (await run(reason ? { type: 'close', reason } : { type: 'close' })) && dismiss()}
      />
      {blocked && !closed && <CloseBlocked problem={blocked} incidentId={incident.id} onClose={clearBlocked} />}
    </>
  );
}
