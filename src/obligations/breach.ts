import type { Obligation, Plan } from '../plan/types.js';
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

/** The escalations a missed obligation sets off: those its `on_breach` names and those whose own `when` names it. */
export function escalationsOnBreach(plan: Pick<Plan, 'obligations' | 'escalations'>, ruleId: string): string[] {
  const ids = new Set<string>();
  for (const effect of plan.obligations.find((o) => o.id === ruleId)?.on_breach ?? []) if (typeof effect === 'object' && 'escalate' in effect) ids.add(effect.escalate);
  for (const e of plan.escalations) if (e.when.obligation_breached === ruleId) ids.add(e.id);
  return [...ids];
}

/** Does breaching this obligation only record and page (no change to the level, no next instance)? */
export const breachIsRecordOnly = (plan: Pick<Plan, 'obligations' | 'escalations'>, rule: Obligation | undefined): boolean =>
  !rule?.recurring && (rule === undefined || escalationsOnBreach(plan, rule.id).length === 0);

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
