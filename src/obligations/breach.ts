import type { Obligation } from '../plan/types.js';
import { newId } from '../shared/ids.js';
import type { TimelineKind } from '../shared/timeline-kinds.js';
import type { ObligationsTable, TimelineTable } from '../storage/index.js';

/** A page the plan asks for: the role to reach, why, and the obligation it stands for (if any). */
export interface PageRequest {
  incidentId: string | null;
  role: string;
  reason: string; // incident.opened | obligation.breached:O3.1 | level.reached:L2 | escalation:E_auto_L1
  obligationId?: string;
  at: number;
}

/** Does breaching this obligation only record and page (no change to the level, no next instance)? */
export const breachIsRecordOnly = (rule: Obligation | undefined): boolean => !rule?.recurring && !(rule?.on_breach ?? []).some((e) => typeof e === 'object' && 'escalate' in e);

/** The timeline entries and pages a breach produces (the level-changing effects are the incident's business). */
export function breachRecords(rule: Obligation | undefined, o: ObligationsTable, now: number): { timeline: TimelineTable[]; pages: PageRequest[] } {
  const at = o.due_at ?? now;
  const entry = (kind: TimelineKind, message: string, data: unknown): TimelineTable => ({
    id: newId('tl_'),
    incident_id: o.incident_id,
    at,
    actor: 'system',
    kind,
    message,
    data: JSON.stringify(data),
  });
  const timeline = [entry('obligation.breached', `${o.rule_id} missed its deadline`, { obligation: o.rule_id, lateMs: now - at })];
  const pages: PageRequest[] = [];
  for (const effect of rule?.on_breach ?? []) {
    if (effect === 'mark_overdue' || !('page' in effect || 'notify' in effect)) continue;
    const role = 'page' in effect ? effect.page : effect.notify;
    pages.push({ incidentId: o.incident_id, role, reason: `obligation.breached:${o.rule_id}`, obligationId: o.id, at });
    timeline.push(entry('page.requested', `page ${role}: ${o.rule_id} overdue`, { role, obligation: o.rule_id }));
  }
  return { timeline, pages };
}
