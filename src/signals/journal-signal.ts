import type { SignalsTable } from '../storage/index.js';
import { newId } from '../shared/ids.js';
import { identityOf } from './normalise.js';
import type { NormalisedSignal } from './types.js';
import { DRILL_LABEL } from './drill.js';

/** An alert's identity across the intake and the engine: its source and its dedup key. */
export const alertKey = (source: string, dedupKey: string): string => `${source}\u0000${dedupKey}`;

/** One accepted signal as the intake journal keeps it: its future `signals` row, labels not yet serialised. */
export type JournalSignal = Omit<SignalsTable, 'labels' | 'processed' | 'incident_id' | 'outcome'> & { labels: Record<string, string> };

export function journalSignal(s: NormalisedSignal, receivedAt: number): JournalSignal {
  const at = s.at ? Date.parse(s.at) : receivedAt;
  // the drill label is the platform's: a sender's is dropped; a drill's signals have their own alert identities
  let labels = s.labels ?? {};
  if (DRILL_LABEL in labels) labels = Object.fromEntries(Object.entries(labels).filter(([k]) => k !== DRILL_LABEL));
  if (s.drillRunId) labels = { ...labels, [DRILL_LABEL]: s.drillRunId };
  return {
    id: newId('sig_'),
    source: s.source,
    system: s.system ?? null,
    component: s.component ?? '',
    severity: s.severity,
    status: s.status,
    dedup_key: identityOf(s),
    summary: s.summary ?? '',
    labels,
    host: s.host ?? null,
    metric_name: s.metric?.name ?? null,
    metric_value: s.metric?.value ?? null,
    at: Number.isFinite(at) ? at : receivedAt,
    received_at: receivedAt,
  };
}

/** The `signals` row a journal signal becomes when the engine admits it (not yet processed). */
export function signalRow(j: JournalSignal): SignalsTable {
  return { ...j, labels: JSON.stringify(j.labels), processed: 0, incident_id: null, outcome: null };
}

/** One committed row of the journal as the engine admits it: its sequence number and its signals. */
export interface CommittedBatch {
  seq: number;
  entries: JournalSignal[];
}
