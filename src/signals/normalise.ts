import { z } from 'zod';
import { COLOURS, moreUrgent, type Colour } from '../shared/colour.js';
import type { NormalisedSignal } from './types.js';
import type { Plan, Threshold } from '../plan/types.js';

/** The body of `POST /api/v1/signals` (one signal or `{signals: [...]}`). */
export const signalSchema = z
  .object({
    source: z.string().min(1).max(100),
    system: z.string().min(1).max(100).optional(),
    component: z.string().max(200).optional(),
    severity: z.enum(COLOURS),
    status: z.enum(['firing', 'resolved']),
    dedupKey: z.string().min(1).max(300).optional(),
    summary: z.string().max(2000).default(''),
    labels: z.record(z.string().max(2000)).optional(),
    at: z.string().datetime({ offset: true }).optional(),
    host: z.string().max(300).optional(),
    metric: z.object({ name: z.string().min(1), value: z.number() }).optional(),
  })
  .strict();

export const signalBatchSchema = z.object({ signals: z.array(signalSchema).min(1).max(1000) }).strict();

function thresholdHolds(t: Threshold, value: number | boolean): boolean {
  switch (t.op) {
    case '>':
      return value > t.value;
    case '>=':
      return value >= t.value;
    case '<':
      return value < t.value;
    case '<=':
      return value <= t.value;
    case '==':
      return value === t.value;
    case '!=':
      return value !== t.value;
  }
}

/** The plan's metric thresholds (CPU > 90 % → orange …) raise the colour of a signal that carries a value. */
export function applyThresholds(plan: Plan, signal: NormalisedSignal): Colour {
  if (!signal.metric) return signal.severity;
  let colour = signal.severity;
  for (const t of plan.monitoring.thresholds) {
    if (t.metric === signal.metric.name && thresholdHolds(t, signal.metric.value)) colour = moreUrgent(colour, t.colour);
  }
  return colour;
}

/** Without a sender's identity, an alert is its source's view of one system (or host) and component. */
export function identityOf(signal: NormalisedSignal): string {
  return signal.dedupKey ?? `${signal.system ?? signal.host ?? 'unknown'}/${signal.component ?? ''}`;
}
