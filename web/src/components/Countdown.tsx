// A live countdown to an ISO time; turns red with an "overdue" word and icon once the time has passed. A time more
// than a day away reads as a date and time plus "in N days" (a clock of 719:59:58 says nothing).
import { ClockCircleOutlined, ExclamationCircleFilled } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useNow } from '../hooks/useNow';
import { countdownText } from '../lib/countdown';

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
  const overdue = due < now && !neutral;
  return (
    <span
      data-testid="countdown"
      data-overdue={overdue ? 'true' : 'false'}
      role="timer"
      style={{ color: overdue ? '#cf1322' : undefined, fontWeight: overdue ? 700 : undefined, fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }}
    >
      {overdue ? <ExclamationCircleFilled /> : <ClockCircleOutlined />} {countdownText(due, now, (key, options) => t(key, options), neutral)}
    </span>
  );
}
