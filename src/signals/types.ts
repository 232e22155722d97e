import type { Colour } from '../shared/colour.js';

/**
 * A monitoring signal after an intake adapter has read the tool's own format.
 * `system` is a plan system id when the sender names one (label `system`, or mapping rules applied later);
 * adapters never guess it from host names — mapping rules do that.
 */
export interface NormalisedSignal {
  source: string; // source name or adapter kind, e.g. "alertmanager", "zabbix"
  system?: string; // plan system id, if known
  component?: string;
  severity: Colour;
  status: 'firing' | 'resolved';
  dedupKey?: string; // identity of the alert in the sender (fingerprint, eventid, dedup_key…)
  summary: string;
  labels?: Record<string, string>;
  at?: string; // ISO 8601 time the sender observed the change
  host?: string; // for mapping rules
  metric?: { name: string; value: number }; // for the plan's thresholds; a state metric's up/down is 1/0 (src/signals/metric-value.ts)
  /** Set only by the platform for a drill's injected signal (src/drills): it opens or joins only that run's drill incidents. */
  drillRunId?: string;
}
