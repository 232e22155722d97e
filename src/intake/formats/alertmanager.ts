import { z } from 'zod';
import type { IntakeContext, IntakeFormat } from '../format.js';
import type { NormalisedSignal } from '../../signals/types.js';
import { labelFingerprint } from './fingerprint.js';
import { LABEL_SEVERITY_COLOURS, resolveColour } from './severity.js';
import { firstText, hostFromInstance, isoMillis, isoTime, labelSet, metricFromLabels } from './values.js';

/**
 * Prometheus Alertmanager webhook receiver, `version: "4"` (wire-formats §3.1).
 * Tolerant of 0.25 → 0.34: `notification_reason` (0.32+), `routeLabels` (0.34+) and anything newer
 * are optional or ignored. Identity = the per-alert `fingerprint` (hash of the label set).
 * A `metric` label or annotation with a `value` annotation (e.g. `"{{ $value }}"`) becomes the signal's metric.
 */

/** Fields of one alert shared by Alertmanager and Grafana webhooks. */
export const alertShape = {
  status: z.enum(['firing', 'resolved']).optional(),
  labels: labelSet,
  annotations: labelSet.optional(),
  startsAt: z.string().optional(),
  endsAt: z.string().optional(),
  generatorURL: z.string().optional(),
  fingerprint: z.string().min(1).optional(),
};

const alertSchema = z.object(alertShape);
export type AlertmanagerAlert = z.infer<typeof alertSchema>;

/** Group-level fields shared by Alertmanager and Grafana webhooks (all informative only). */
export const groupShape = {
  groupKey: z.string().optional(),
  truncatedAlerts: z.number().int().nonnegative().optional(),
  status: z.enum(['firing', 'resolved']).optional(),
  receiver: z.string().optional(),
  groupLabels: labelSet.optional(),
  commonLabels: labelSet.optional(),
  commonAnnotations: labelSet.optional(),
  externalURL: z.string().optional(),
};

const bodySchema = z.object({
  ...groupShape,
  version: z.string().optional(),
  notification_reason: z.string().optional(),
  routeLabels: labelSet.optional(),
  alerts: z.array(alertSchema),
});
export type AlertmanagerBody = z.infer<typeof bodySchema>;

/** Signal fields read from a Prometheus-style label and annotation set (also used by alertmanager-v2). */
export function fromLabelSet(
  labels: Record<string, string>,
  annotations: Record<string, string> | undefined,
  ctx: IntakeContext,
): Pick<NormalisedSignal, 'source' | 'system' | 'component' | 'severity' | 'summary' | 'labels' | 'host' | 'metric'> {
  const instance = firstText(labels.instance);
  const signal: ReturnType<typeof fromLabelSet> = {
    source: ctx.sourceName,
    severity: resolveColour([labels.severity], LABEL_SEVERITY_COLOURS, ctx),
    summary: firstText(annotations?.summary, annotations?.description, labels.alertname) ?? 'alert',
    labels, // the parsed body is ours: no copy
  };
  const system = firstText(labels.system);
  const component = firstText(labels.component);
  const host = firstText(labels.host) ?? (instance ? hostFromInstance(instance) : undefined);
  if (system) signal.system = system;
  if (component) signal.component = component;
  if (host) signal.host = host;
  const metric = metricFromLabels(annotations, labels);
  if (metric) signal.metric = metric;
  return signal;
}

/**
 * Converts one webhook alert. Its `status` decides; an alert without one (hand-written senders) is
 * resolved when its `endsAt` has passed.
 */
export function alertToSignal(alert: AlertmanagerAlert, ctx: IntakeContext): NormalisedSignal {
  const endsAt = isoMillis(alert.endsAt);
  const status = alert.status ?? (endsAt !== undefined && endsAt <= ctx.now ? 'resolved' : 'firing');
  const signal: NormalisedSignal = Object.assign(fromLabelSet(alert.labels, alert.annotations, ctx), {
    status,
    dedupKey: alert.fingerprint ?? labelFingerprint(alert.labels),
  });
  const at = status === 'resolved' ? isoTime(alert.endsAt) : isoTime(alert.startsAt);
  if (at) signal.at = at;
  return signal;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const optionalText = (v: unknown) => v === undefined || typeof v === 'string';
const isStatus = (v: unknown) => v === 'firing' || v === 'resolved';

/** Same rule as `labelSet`: an object of strings. */
export function isLabelSet(v: unknown): v is Record<string, string> {
  if (!isRecord(v)) return false;
  for (const key in v) if (typeof v[key] !== 'string') return false;
  return true;
}

/** Same rules as `alertShape` (used by `accepts` in place of the schema on the hot path). */
export function isWellFormedAlert(a: unknown): a is AlertmanagerAlert {
  return (
    isRecord(a) &&
    isLabelSet(a.labels) &&
    (a.status === undefined || isStatus(a.status)) &&
    (a.annotations === undefined || isLabelSet(a.annotations)) &&
    optionalText(a.startsAt) &&
    optionalText(a.endsAt) &&
    optionalText(a.generatorURL) &&
    (a.fingerprint === undefined || (typeof a.fingerprint === 'string' && a.fingerprint.length > 0))
  );
}

function isWellFormedBody(b: unknown): b is AlertmanagerBody {
  if (!isRecord(b) || !Array.isArray(b.alerts)) return false;
  const texts = optionalText(b.groupKey) && optionalText(b.receiver) && optionalText(b.externalURL) && optionalText(b.version) && optionalText(b.notification_reason);
  const sets = [b.groupLabels, b.commonLabels, b.commonAnnotations, b.routeLabels].every((v) => v === undefined || isLabelSet(v));
  const truncated = b.truncatedAlerts === undefined || (Number.isInteger(b.truncatedAlerts) && (b.truncatedAlerts as number) >= 0);
  return texts && sets && truncated && (b.status === undefined || isStatus(b.status)) && b.alerts.every(isWellFormedAlert);
}

export const alertmanager: IntakeFormat<AlertmanagerBody> = {
  kind: 'alertmanager',
  bodySchema,
  accepts: isWellFormedBody,
  toSignals: (body, ctx) => body.alerts.map((alert) => alertToSignal(alert, ctx)),
};
