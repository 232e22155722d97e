import type { Obligation } from '../plan/types.js';
import { newId } from '../shared/ids.js';
import type { ObligationsTable } from '../storage/index.js';

/** A new, pending instance of an obligation of the plan: the one shape incidents, standing duties and benches store. */
export function pendingObligation(
  rule: Pick<Obligation, 'id' | 'actor'>,
  at: { incidentId: string | null; triggerAt: number; anchorAt: number; dueAt: number | null; sequence: number },
): ObligationsTable {
  return {
    id: newId('obl_'),
    incident_id: at.incidentId,
    rule_id: rule.id,
    actor_role: rule.actor,
    trigger_at: at.triggerAt,
    anchor_at: at.anchorAt,
    due_at: at.dueAt,
    state: 'pending',
    met_at: null,
    met_by: null,
    breached_at: null,
    fired_at: null,
    late_ms: null,
    waived_by: null,
    reason: null,
    sequence: at.sequence,
  };
}
