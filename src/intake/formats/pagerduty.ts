import { z } from 'zod';
import { ACK_LABEL, type IntakeFormat } from '../format.js';
import type { NormalisedSignal } from '../../signals/types.js';
import type { Colour } from '../../shared/colour.js';
import { canonicalJson, stableHash } from './fingerprint.js';
import { DEFAULT_COLOUR, resolveColour } from './severity.js';
import { firstText, isoTime, metricFromLabels } from './values.js';

/**
 * PagerDuty Events API v2 `POST /v2/enqueue` (wire-formats §3.6), so that Alertmanager
 * `pagerduty_configs`, Zabbix's PagerDuty media type, Uptime Kuma and Grafana can page Lifeline with
 * only their URL changed. `routing_key` selects the source (checked by the route; never copied into
 * the signal). Identity = `dedup_key`; a trigger without one gets a generated key, which the route
 * returns with `pagerDutyReply()`. payload.source → host, payload.component → component, system =
 * custom_details.system, else payload.group (the sender's logical grouping, e.g. "HIS");
 * custom_details become labels (non-string values as JSON); custom_details `metric` and `value` become the
 * signal's metric. acknowledge carries ACK_LABEL.
 */

export const PAGERDUTY_SEVERITY_COLOURS: Readonly<Record<string, Colour>> = {
  critical: 'red',
  error: 'orange',
  warning: 'yellow',
  info: 'blue',
};

const payloadSchema = z.object({
  summary: z.string().min(1).max(1024),
  source: z.string().min(1),
  severity: z.enum(['critical', 'error', 'warning', 'info']),
  timestamp: z.string().optional(),
  component: z.string().optional(),
  group: z.string().optional(),
  class: z.string().optional(),
  custom_details: z.unknown().optional(),
});

const bodySchema = z
  .object({
    routing_key: z.string().min(1),
    event_action: z.enum(['trigger', 'acknowledge', 'resolve']),
    dedup_key: z.string().min(1).max(255).optional(),
    payload: payloadSchema.optional(),
    client: z.string().optional(),
    client_url: z.string().optional(),
    links: z.array(z.object({ href: z.string(), text: z.string().optional() })).optional(),
    images: z.array(z.object({ src: z.string(), href: z.string().optional(), alt: z.string().optional() })).optional(),
  })
  .superRefine((body, ctx) => {
    if (body.event_action === 'trigger' && !body.payload) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['payload'], message: 'Required when event_action is "trigger"' });
    }
    if (body.event_action !== 'trigger' && !body.dedup_key) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['dedup_key'],
        message: `Required when event_action is "${body.event_action}"`,
      });
    }
  });
export type PagerDutyBody = z.infer<typeof bodySchema>;

function detailLabels(details: unknown): Record<string, string> {
  if (details === undefined || details === null) return {};
  if (typeof details !== 'object' || Array.isArray(details)) {
    return { details: typeof details === 'string' ? details : JSON.stringify(details) };
  }
  const labels: Record<string, string> = {};
  for (const [key, value] of Object.entries(details as Record<string, unknown>)) {
    if (value === undefined || value === null) continue;
    labels[key] = typeof value === 'string' ? value : JSON.stringify(value);
  }
  return labels;
}

/**
 * The dedup key of an event. Like PagerDuty, a trigger without `dedup_key` opens a new alert with a
 * generated key; ours is derived from the event and the reception time so toSignals stays pure.
 */
export function pagerDutyDedupKey(body: PagerDutyBody, now: number): string {
  return body.dedup_key ?? stableHash(body.routing_key, canonicalJson(body.payload ?? null), String(now));
}

/** The 202 body PagerDuty answers with; Zabbix's PagerDuty script requires `status: "success"`. */
export function pagerDutyReply(signals: readonly NormalisedSignal[]): {
  status: 'success';
  message: 'Event processed';
  dedup_key: string | undefined;
} {
  return { status: 'success', message: 'Event processed', dedup_key: signals[0]?.dedupKey };
}

export const pagerduty: IntakeFormat<PagerDutyBody> = {
  kind: 'pagerduty',
  bodySchema,
  toSignals: (body, ctx) => {
    const payload = body.payload;
    const dedupKey = pagerDutyDedupKey(body, ctx.now);
    const details = detailLabels(payload?.custom_details);
    const labels: Record<string, string> = { ...details };
    if (payload?.class) labels.class = payload.class;
    if (payload?.group) labels.group = payload.group;
    if (body.client) labels.client = body.client;
    const link = body.links?.[0]?.href ?? body.client_url;
    if (link) labels.link = link;
    if (body.event_action === 'acknowledge') labels[ACK_LABEL] = 'true';

    const signal: NormalisedSignal = {
      source: ctx.sourceName,
      severity: payload ? resolveColour([payload.severity], PAGERDUTY_SEVERITY_COLOURS, ctx) : DEFAULT_COLOUR,
      status: body.event_action === 'resolve' ? 'resolved' : 'firing',
      dedupKey,
      summary: payload?.summary ?? `${body.event_action} ${dedupKey}`,
      labels,
    };
    const system = firstText(details.system, payload?.group);
    if (system) signal.system = system;
    if (payload?.component) signal.component = payload.component;
    if (payload?.source) signal.host = payload.source;
    const at = isoTime(payload?.timestamp);
    if (at) signal.at = at;
    const metric = metricFromLabels(details);
    if (metric) signal.metric = metric;
    return [signal];
  },
};
