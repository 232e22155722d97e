/**
 * A drill's signals (src/drills) travel the same path as real ones — journal, admission, engine — and are told apart
 * by a label only the platform sets (a sender's label of that name is dropped) and by their own alert identity, so a
 * drill alert can never be a real alert's re-send, nor the reverse.
 */
export const DRILL_LABEL = 'lifeline.drill_run';

/** The alert identity of a drill's signal: the run's own namespace. */
export const drillDedupKey = (runId: string, identity: string): string => `drill:${runId}:${identity}`;

/** The drill run a stored signal belongs to (its labels as stored: JSON), or null for a real signal. */
export function drillRunOfLabels(labels: string | Record<string, string>): string | null {
  if (typeof labels === 'string') {
    if (!labels.includes(DRILL_LABEL)) return null; // the hot path: a real signal is never parsed for this
    labels = JSON.parse(labels) as Record<string, string>;
  }
  return labels[DRILL_LABEL] ?? null;
}
