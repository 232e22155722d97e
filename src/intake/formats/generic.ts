import { z } from 'zod';
import type { IntakeFormat } from '../format.js';
import type { NormalisedSignal } from '../../signals/types.js';
import { canonicalJson, stableHash } from './fingerprint.js';
import { LABEL_SEVERITY_COLOURS, resolveColour } from './severity.js';
import { firstText, isoTime, labelSet } from './values.js';
import { metricValueSchema } from '../../signals/metric-value.js';

/**
 * Lifeline's own simple JSON, for scripts, HIS cron jobs and anything without a native format.
 * The body is one signal object or `{"signals": [ … ]}`; fields mirror NormalisedSignal:
 *
 *   summary    string, required — what is wrong, e.g. "HIS 挂号接口超时"
 *   severity   "blue" | "yellow" | "orange" | "red", or critical/error/warning/info, or a name in the
 *              source's severityMap; default orange
 *   status     "firing" (default) | "resolved"
 *   dedupKey   identity of the alert in the sender; when absent it is derived from system, component,
 *              host and labels (or from the summary when none of these is given)
 *   system, component, host   strings (system = plan system id, e.g. "HIS")
 *   labels     {string: string}
 *   at         ISO 8601 time with zone, e.g. "2026-11-26T09:02:03+08:00"
 *   metric     {"name": "cpu_usage_pct", "value": 97.3}; a state metric's value may be true/false, "up"/"down",
 *              "ok", "running"/"stopped" (stored as 1/0)
 *   source     optional sender name; kept as label `origin` (the signal's source is the intake source)
 */

const signalSchema = z.object({
  summary: z.string().trim().min(1),
  severity: z.string().optional(),
  status: z.enum(['firing', 'resolved']).default('firing'),
  dedupKey: z.string().min(1).optional(),
  system: z.string().optional(),
  component: z.string().optional(),
  host: z.string().optional(),
  labels: labelSet.optional(),
  at: z
    .string()
    .refine((text) => isoTime(text) !== undefined, { message: 'must be an ISO 8601 time with a zone, e.g. 2026-11-26T01:02:03Z' })
    .optional(),
  metric: z.object({ name: z.string().min(1), value: metricValueSchema }).optional(),
  source: z.string().optional(),
});
type GenericSignal = z.infer<typeof signalSchema>;

const batchSchema = z.object({ signals: z.array(signalSchema).min(1) });

function isBatch(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && 'signals' in value;
}

/** Dispatches on the shape so that issue paths stay natural: "summary" or "signals[2].summary". */
const bodySchema = z.unknown().transform((value, ctx): GenericSignal[] => {
  const result = isBatch(value) ? batchSchema.safeParse(value) : signalSchema.safeParse(value);
  if (!result.success) {
    for (const issue of result.error.issues) ctx.addIssue({ code: z.ZodIssueCode.custom, path: issue.path, message: issue.message });
    return z.NEVER;
  }
  return 'signals' in result.data ? result.data.signals : [result.data];
});
export type GenericBody = z.infer<typeof bodySchema>;

function derivedDedupKey(s: GenericSignal): string {
  const identity = { system: s.system, component: s.component, host: s.host, labels: s.labels };
  const hasIdentity = Boolean(s.system || s.component || s.host || (s.labels && Object.keys(s.labels).length));
  return hasIdentity ? stableHash('generic', canonicalJson(identity)) : stableHash('generic-summary', s.summary);
}

export const generic: IntakeFormat<GenericBody> = {
  kind: 'generic',
  bodySchema,
  toSignals: (body, ctx) =>
    body.map((s): NormalisedSignal => {
      const signal: NormalisedSignal = {
        source: ctx.sourceName,
        severity: resolveColour([s.severity], LABEL_SEVERITY_COLOURS, ctx),
        status: s.status,
        dedupKey: s.dedupKey ?? derivedDedupKey(s),
        summary: s.summary,
      };
      const labels = { ...s.labels };
      if (s.source) labels.origin = s.source;
      if (Object.keys(labels).length > 0) signal.labels = labels;
      const system = firstText(s.system);
      const component = firstText(s.component);
      const host = firstText(s.host);
      if (system) signal.system = system;
      if (component) signal.component = component;
      if (host) signal.host = host;
      const at = isoTime(s.at);
      if (at) signal.at = at;
      if (s.metric) signal.metric = { name: s.metric.name, value: s.metric.value };
      return signal;
    }),
};
