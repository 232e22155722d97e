// Durations and request errors of the history and figures pages, in the reader's language.
import type { TFunction } from 'i18next';
import { ApiError } from '../../api/client';

const MINUTE = 60_000;

/** 754000 → "12.6 分钟"; 7500000 → "2 小时 5 分钟"; 2 days and more → "2 天 3 小时". */
export function formatSpan(ms: number | null | undefined, t: TFunction): string {
  if (ms == null) return t('history.notYet');
  const minutes = ms / MINUTE;
  if (minutes < 60) return t('history.duration.minutes', { m: minutes < 10 ? Math.round(minutes * 10) / 10 : Math.round(minutes) });
  const totalMinutes = Math.round(minutes);
  const h = Math.floor(totalMinutes / 60);
  if (h < 48) return t('history.duration.hours', { h, m: totalMinutes % 60 });
  return t('history.duration.days', { d: Math.floor(h / 24), h: h % 24 });
}

/** A failed request as a sentence: the fields named by a 400 (in the reader's words), else the page's own message. */
export function errorText(error: unknown, t: TFunction, fallbackKey: string): string {
  if (error instanceof ApiError && error.status === 400 && error.problem.errors?.length) {
    const fields = [...new Set(error.problem.errors.map((e) => e.path))].map((p) => t(`history.field.${p}`, { defaultValue: p }));
    return t('history.invalid', { fields: fields.join('、') });
  }
  return t(fallbackKey);
}
