import type { FastifyInstance } from 'fastify';
import type { Lifeline } from '../../app/compose.js';
import { lintPlan } from '../../plan/lint.js';
import type { Criterion, Escalation, EvidenceAction, Group, Level, Obligation, Plan, PlanSystem, Role, ScenarioCategory, Threshold } from '../../plan/types.js';
import type { Issue } from '../../shared/errors.js';

/** GET /api/v1/plan: the plan as the web app reads it (camelCase where the YAML has snake_case). */
export interface PlanView {
  id: string;
  version: string;
  title: Plan['plan']['title'];
  systems: (Pick<PlanSystem, 'id' | 'name' | 'category' | 'prov'> & { patientFacing: boolean })[];
  roles: Pick<Role, 'id' | 'name' | 'prov'>[];
  groups: Pick<Group, 'id' | 'name' | 'lead' | 'duties'>[];
  scenarios: Pick<ScenarioCategory, 'id' | 'name'>[];
  /** what a person does that counts as meeting an obligation; each id is also an incident action type */
  evidence: EvidenceAction[];
  levels: (Pick<Level, 'id' | 'name'> & { default: boolean; criteria: Pick<Criterion, 'id' | 'summary' | 'prov' | 'when' | 'duration'>[] })[];
  escalations: Escalation[];
  obligations: (Pick<Obligation, 'id' | 'prov' | 'trigger' | 'actor' | 'action' | 'anchor' | 'within' | 'evidence' | 'recurring'> & {
    onBreach?: Obligation['on_breach'];
    appliesIf?: Obligation['applies_if'];
  })[];
  thresholds: Threshold[];
}

/** GET /api/v1/plan/check: the findings of `lifeline plan check`. */
export interface PlanCheckView {
  errors: Issue[];
  warnings: Issue[];
}

/** The plan as the web app reads it (camelCase where the YAML has snake_case). */
export function planRoutes(app: FastifyInstance, p: Pick<Lifeline, 'plan'>): void {
  const plan = p.plan;
  const view: PlanView = {
    id: plan.plan.id,
    version: plan.plan.version,
    title: plan.plan.title,
    systems: plan.systems.map((s) => ({ id: s.id, name: s.name, category: s.category, patientFacing: s.patient_facing ?? false, prov: s.prov })),
    roles: plan.roles.map((r) => ({ id: r.id, name: r.name, prov: r.prov })),
    groups: plan.org.groups.map((g) => ({ id: g.id, name: g.name, lead: g.lead, duties: g.duties })),
    scenarios: plan.scenarios.map((s) => ({ id: s.id, name: s.name })),
    evidence: plan.evidence,
    levels: plan.levels.map((l) => ({
      id: l.id,
      name: l.name,
      default: l.default ?? false,
      criteria: l.criteria.map((c) => ({ id: c.id, summary: c.summary, prov: c.prov, when: c.when, duration: c.duration })),
    })),
    escalations: plan.escalations,
    obligations: plan.obligations.map((o) => ({
      id: o.id,
      prov: o.prov,
      trigger: o.trigger,
      actor: o.actor,
      action: o.action,
      anchor: o.anchor,
      within: o.within,
      evidence: o.evidence,
      onBreach: o.on_breach,
      recurring: o.recurring,
      appliesIf: o.applies_if,
    })),
    thresholds: plan.monitoring.thresholds,
  };
  app.get('/api/v1/plan', { config: { permission: 'plan.read' } }, async () => view);
  app.get('/api/v1/plan/check', { config: { permission: 'plan.read' } }, async () => {
    const issues = lintPlan(plan);
    return { errors: issues.filter((i) => i.severity !== 'warning'), warnings: issues.filter((i) => i.severity === 'warning') } satisfies PlanCheckView;
  });
}
