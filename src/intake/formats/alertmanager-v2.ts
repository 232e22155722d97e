import { z } from 'zod';
import type { IntakeFormat } from '../format.js';
import type { NormalisedSignal } from '../../signals/types.js';
import { fromLabelSet } from './alertmanager.js';
import { labelFingerprint } from './fingerprint.js';
import { isoMillis, isoTime, labelSet } from './values.js';

/**
 * Alertmanager API v2 `POST /api/v2/alerts` body (wire-formats §3.2): what Prometheus, vmalert and
 * Grafana push to an Alertmanager. Accepting it makes Lifeline a drop-in Alertmanager target.
 * Identity = the Alertmanager fingerprint of the label set, so it equals what a real Alertmanager
 * would later report for the same alert. An `endsAt` at or before reception time resolves the alert.
 */

/** Alertmanager drops labels whose value is empty before it fingerprints an alert; so do we. */
function withoutEmptyValues(labels: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(labels).filter(([, value]) => value !== ''));
}

const postableAlert = z.object({
  labels: labelSet.transform(withoutEmptyValues).refine((labels) => Object.keys(labels).length > 0, { message: 'at least one label with a value is required' }),
  annotations: labelSet.optional(),
  startsAt: z.string().optional(),
  endsAt: z.string().optional(),
  generatorURL: z.string().optional(),
});

const bodySchema = z.array(postableAlert);
export type AlertmanagerV2Body = z.infer<typeof bodySchema>;

export const alertmanagerV2: IntakeFormat<AlertmanagerV2Body> = {
  kind: 'alertmanager-v2',
  bodySchema,
  toSignals: (body, ctx) =>
    body.map((alert): NormalisedSignal => {
      const endsAt = isoMillis(alert.endsAt);
      const resolved = endsAt !== undefined && endsAt <= ctx.now;
      const signal: NormalisedSignal = {
        ...fromLabelSet(alert.labels, alert.annotations, ctx),
        status: resolved ? 'resolved' : 'firing',
        dedupKey: labelFingerprint(alert.labels),
      };
      const at = resolved ? isoTime(alert.endsAt) : isoTime(alert.startsAt);
      if (at) signal.at = at;
      return signal;
    }),
};
