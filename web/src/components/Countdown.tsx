// A live countdown to an ISO time; turns red with an "overdue" word and icon once the time has passed.
import { ClockCircleOutlined, ExclamationCircleFilled } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useNow } from '../hooks/useNow';
import { formatClock } from '../lib/format';

interface Props {
  at: string;
  /** Do not show the red overdue state (e.g. for "next level at", which is not a deadline). */
  neutral?: boolean;
}

export function Countdown({ at, neutral }: Props) {
  const { t } = useTranslation();
  const now = useNow();
  const due = Date.parse(at);
  if (Number.isNaN(due)) return <span>—</span>;
  const left = due - now;
  const overdue = left < 0 && !neutral;
  return (
    <span
      data-testid="countdown"
      data-overdue={overdue ? 'true' : 'false'}
      role="timer"
      style={{ color: overdue ? '#cf1322' : undefined, fontWeight: overdue ? 700 : undefined, fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }}
    >
      {overdue ? <ExclamationCircleFilled /> : <ClockCircleOutlined />} {overdue ? t('countdown.overdue', { time: formatClock(left) }) : left < 0 ? t('countdown.now') : formatClock(left)}
    </span>
  );
}
