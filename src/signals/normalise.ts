import { z } from 'zod';
import { COLOURS, moreUrgent, type Colour } from '../shared/colour.js';
import type { NormalisedSignal } from './types.js';
import type { MetricSpec, Plan, Threshold } from '../plan/types.js';
import { drillDedupKey } from './drill.js';
import { METRIC_DOWN, METRIC_UP, metricValueSchema } from './metric-value.js';

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
    metric: z.object({ name: z.string().min(1), value: metricValueSchema }).optional(),
  })
  .strict();

export const signalBatchSchema = z.object({ signals: z.array(signalSchema).min(1).max(1000) }).strict();

type MetricKind = MetricSpec['kind'];

/**
 * Each metric's kind: as declared in `monitoring.metrics` (a bare name is a number); an undeclared metric that a
 * threshold compares with a state (up/down, true/false) is a state. Built once per plan.
 */
const kindsByPlan = new WeakMap<Plan, ReadonlyMap<string, MetricKind>>();
export function metricKinds(plan: Plan): ReadonlyMap<string, MetricKind> {
  let kinds = kindsByPlan.get(plan);
  if (!kinds) {
    const map = new Map<string, MetricKind>();
    for (const m of plan.monitoring.metrics ?? []) {
      if (typeof m === 'string') map.set(m, 'number');
      else map.set(m.id, m.kind);
    }
    for (const t of plan.monitoring.thresholds) if (!map.has(t.metric) && typeof t.value !== 'number') map.set(t.metric, 'state');
    kinds = map;
    kindsByPlan.set(plan, kinds);
  }
  return kinds;
}

/** A threshold's value as a stored metric number: up/true 1, down/false 0. */
const thresholdNumber = (value: Threshold['value']): number => (typeof value === 'number' ? value : value === true || value === 'up' ? METRIC_UP : METRIC_DOWN);

function compare(op: Threshold['op'], value: number, bound: number): boolean {
  switch (op) {
    case '>':
      return value > bound;
    case '>=':
      return value >= bound;
    case '<':
      return value < bound;
    case '<=':
      return value <= bound;
    case '==':
      return value === bound;
    case '!=':
      return value !== bound;
  }
}

/**
 * A number metric meets only number thresholds. A state metric is 1 (up) or 0 (down): any other value matches
 * nothing, and only == and != compare states (`plan check` flags the rest).
 */
export function thresholdHolds(t: Threshold, kind: MetricKind, value: number): boolean {
  if (kind === 'number') return typeof t.value === 'number' && compare(t.op, value, t.value);
  if ((value !== METRIC_UP && value !== METRIC_DOWN) || (t.op !== '==' && t.op !== '!=')) return false;
  return compare(t.op, value, thresholdNumber(t.value));
}

/** The plan's metric thresholds (CPU > 90 % → orange, database service down → red) raise the colour of a signal that carries a value. */
export function applyThresholds(plan: Plan, signal: NormalisedSignal): Colour {
  if (!signal.metric) return signal.severity;
  const { name, value } = signal.metric;
  const kind = metricKinds(plan).get(name) ?? 'number';
  let colour = signal.severity;
  for (const t of plan.monitoring.thresholds) {
    if (t.metric === name && thresholdHolds(t, kind, value)) colour = moreUrgent(colour, t.colour);
  }
  return colour;
}

/** Without a sender's identity, an alert is its source's view of one system (or host) and component; a drill's alerts are the run's own. */
export function identityOf(signal: NormalisedSignal): string {
  const identity = signal.dedupKey ?? `${signal.system ?? signal.host ?? 'unknown'}/${signal.component ?? ''}`;
  return signal.drillRunId ? drillDedupKey(signal.drillRunId, identity) : identity;
}
