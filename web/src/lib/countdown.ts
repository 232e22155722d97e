// The words of a countdown: a clock within a day, a date and time with "in N days" beyond (both languages).
import { formatClock, formatShortTime } from './format.js';

const DAY = 24 * 3600_000;

type Translate = (key: string, options?: Record<string, unknown>) => string;

export function countdownText(due: number, now: number, t: Translate, neutral = false): string {
  const left = due - now;
  if (left < 0 && !neutral) return -left > DAY ? t('countdown.overdueDays', { count: Math.floor(-left / DAY) }) : t('countdown.overdue', { time: formatClock(left) });
  if (left < 0) return t('countdown.now');
  if (left > DAY) return t('countdown.at', { time: formatShortTime(due, now), count: Math.floor(left / DAY) });
  return formatClock(left);
}
