import { z } from 'zod';

/** A state metric is stored as a number, like every metric value (signals.metric_value): up is 1, down is 0. */
export const METRIC_UP = 1;
export const METRIC_DOWN = 0;

/** Words monitoring tools and people use for a service state (case-insensitive). */
const STATE_WORDS: Readonly<Record<string, number>> = {
  up: METRIC_UP,
  ok: METRIC_UP,
  true: METRIC_UP,
  running: METRIC_UP,
  online: METRIC_UP,
  正常: METRIC_UP,
  down: METRIC_DOWN,
  false: METRIC_DOWN,
  stopped: METRIC_DOWN,
  offline: METRIC_DOWN,
  中断: METRIC_DOWN,
  停止: METRIC_DOWN,
};
export const STATE_WORD_LIST = Object.keys(STATE_WORDS);

const NUMERIC = /^\s*([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)\s*%?\s*$/;

/**
 * The stored number of a metric value: a finite number as is, a boolean or a state word as 1/0, a numeric
 * string (optionally with "%") as its number. Anything else gives undefined.
 */
export function metricNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'boolean') return value ? METRIC_UP : METRIC_DOWN;
  if (typeof value !== 'string') return undefined;
  const m = NUMERIC.exec(value);
  if (m) {
    const n = Number(m[1]);
    return Number.isFinite(n) ? n : undefined;
  }
  return STATE_WORDS[value.trim().toLowerCase()];
}

const HINT = `expected a number, a boolean, a numeric string or a state word (${STATE_WORD_LIST.join(', ')})`;

/** `metric.value` of a signal body: read as `metricNumber` does, refused with a message naming what is accepted. */
export const metricValueSchema = z.union([z.number(), z.boolean(), z.string()], { errorMap: () => ({ message: HINT }) }).transform((value, ctx) => {
  const n = metricNumber(value);
  if (n === undefined) {
    // 1e309 parses as Infinity (JSON.stringify would show it as null): say what is wrong with it
    const infinite = (typeof value === 'number' && !Number.isNaN(value)) || (typeof value === 'string' && NUMERIC.test(value));
    const shown = typeof value === 'number' ? String(value) : JSON.stringify(value);
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: infinite ? `${shown} is not a finite number: a metric value must be finite` : `${shown} is not a metric value; ${HINT}` });
    return z.NEVER;
  }
  return n;
});
