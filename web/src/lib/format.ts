// Time formatting shared by every screen. Pure functions; translations are passed in.
import type { TFunction } from 'i18next';

const pad = (n: number) => String(n).padStart(2, '0');

/** 3723000 → "1:02:03", 65000 → "01:05"; the sign is dropped (callers say "overdue"). */
export function formatClock(ms: number): string {
  const total = Math.floor(Math.abs(ms) / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return h > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${pad(m)}:${pad(s)}`;
}

/** ISO time → "05-14 09:03:27" in local time (the year only when it is not this year). */
export function formatTime(iso: string | undefined | null): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const time = `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  const date = `${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  return d.getFullYear() === new Date().getFullYear() ? `${date} ${time}` : `${d.getFullYear()}-${date} ${time}`;
}

/** An instant inside a sentence: "09:03" today, "05-14 09:03" another day (the year only when it is not this year). */
export function formatShortTime(ms: number, now = Date.now()): string {
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) return '—';
  const n = new Date(now);
  const hm = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  if (d.toDateString() === n.toDateString()) return hm;
  const date = `${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${hm}`;
  return d.getFullYear() === n.getFullYear() ? date : `${d.getFullYear()}-${date}`;
}

/** ISO 8601 duration ("PT5M", "P1DT2H") → "5 分钟" / "5 min"; unknown input is returned as it is. */
export function formatIsoDuration(value: unknown, t: TFunction): string {
  if (typeof value !== 'string') return value == null ? '—' : JSON.stringify(value);
  const m = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(value);
  if (!m) return value;
  const [, y, mo, d, h, mi, s] = m;
  const parts: string[] = [];
  if (y) parts.push(t('duration.years', { count: Number(y) }));
  if (mo) parts.push(t('duration.months', { count: Number(mo) }));
  if (d) parts.push(t('duration.days', { count: Number(d) }));
  if (h) parts.push(t('duration.hours', { count: Number(h) }));
  if (mi) parts.push(t('duration.minutes', { count: Number(mi) }));
  if (s && Number(s) > 0) parts.push(t('duration.seconds', { count: Number(s) }));
  return parts.length ? parts.join(' ') : t('duration.zero');
}

/** A plan condition object ({ gt: "PT2H" }, { obligation_breached: "O3.3" } …) as one short line. */
export function formatCondition(value: unknown): string {
  if (value == null) return '—';
  if (typeof value !== 'object') return String(value);
  return Object.entries(value as Record<string, unknown>)
    .map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(', ') : typeof v === 'object' && v ? JSON.stringify(v) : String(v)}`)
    .join('; ');
}

/** Compare two optional ISO times, earliest first, missing ones last. */
export function compareTimes(a: string | null | undefined, b: string | null | undefined): number {
  if (a && b) return a.localeCompare(b);
  return a ? -1 : b ? 1 : 0;
}

/**
 * A plan rule id shown beside its action: clause-like ids (O3.1, T2.4, L1.a) help people find the rule in the
 * printed plan; word-like ids (RR.mi) are internal, and the action text beside them already says what is meant.
 */
export const clauseRef = (ruleId: string | null | undefined): string => (ruleId && /\d/.test(ruleId) ? ruleId : '');
