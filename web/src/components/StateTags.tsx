// Incident and obligation states as tags with icon + word.
import {
  CheckCircleFilled,
  CheckCircleOutlined,
  ClockCircleOutlined,
  ExclamationCircleFilled,
  MinusCircleOutlined,
  StopOutlined,
  SyncOutlined,
  ThunderboltFilled,
  LockOutlined,
} from '@ant-design/icons';
import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { IncidentState, Obligation, ObligationState } from '../api/types';

const INCIDENT = {
  responding: { color: 'red', icon: <ThunderboltFilled /> },
  recovering: { color: 'blue', icon: <SyncOutlined /> },
  closed: { color: 'default', icon: <LockOutlined /> },
} as const;

export function IncidentStateTag({ state }: { state: IncidentState }) {
  const { t } = useTranslation();
  const s = INCIDENT[state] ?? INCIDENT.responding;
  return (
    <Tag data-testid="incident-state" data-state={state} color={s.color} icon={s.icon}>
      {t(`incidentState.${state}`, state)}
    </Tag>
  );
}

const OBLIGATION = {
  pending: { color: 'processing', icon: <ClockCircleOutlined /> },
  met: { color: 'success', icon: <CheckCircleFilled /> },
  breached: { color: 'error', icon: <ExclamationCircleFilled /> },
  waived: { color: 'default', icon: <MinusCircleOutlined /> },
  ended: { color: 'default', icon: <CheckCircleOutlined /> },
  cancelled: { color: 'default', icon: <StopOutlined /> },
} as const;

/** `state` is a string on the wire: one the UI has no tag for is shown like `pending`, with its own name. */
export function ObligationStateTag({ state }: { state: Obligation['state'] }) {
  const { t } = useTranslation();
  const s = state in OBLIGATION ? OBLIGATION[state as ObligationState] : OBLIGATION.pending;
  return (
    <Tag data-testid="obligation-state" data-state={state} color={s.color} icon={s.icon}>
      {t(`obligationState.${state}`, state)}
    </Tag>
  );
}
