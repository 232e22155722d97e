import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Lifeline } from '../../app/compose.js';
import { lintPlan } from '../../plan/lint.js';
import type { Criterion, Escalation, EvidenceAction, Group, Level, Obligation, Plan, PlanSystem, Role, ScenarioCategory, Threshold } from '../../plan/types.js';
import type { Issue } from '../../shared/errors.js';
import { z } from 'zod';
import { parseInput } from '../../shared/parse-input.js';
import type { PlanActivationView, PlanStatus, PlanVersionDetail, PlanVersionView } from '../../plan/versions.js';

export const planVersionBody = z.object({ text: z.string().max(2_000_000), fileName: z.string().max(200).optional() }).strict();
export const planActivateBody = z.object({ reason: z.string().max(2000) }).strict();

/** GET /api/v1/plan/versions: the running and active plan, every uploaded version (newest first), the activation record. */
export interface PlanVersionListView {
  status: PlanStatus;
  items: PlanVersionView[];
  activations: PlanActivationView[];
}
/** POST /api/v1/plan/versions/:id/activate */
export interface PlanActivationResult {
  activation: PlanActivationView;
  status: PlanStatus;
}
export type { PlanVersionDetail, PlanStatus };

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
export function planRoutes(app: FastifyInstance, p: Pick<Lifeline, 'plan' | 'planVersions'>): void {
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
  planVersionRoutes(app, p);
}

const actorOf = (request: FastifyRequest): string => (request as { principal?: { name?: string } | null }).principal?.name ?? 'api';

/**
 * Plan versions (plan.manage): upload a text (checked as `lifeline plan check` does), read one with its findings and
 * its diff against the active plan, activate one without errors (with a reason; recorded in the activation chain).
 * An activation takes effect when the server next starts; /api/v1/plan/status says whether one is pending.
 */
export function planVersionRoutes(app: FastifyInstance, p: Pick<Lifeline, 'planVersions'>): void {
  const versions = p.planVersions;
  app.get('/api/v1/plan/status', { config: { permission: 'plan.read' } }, async () => versions.status());
  app.get('/api/v1/plan/versions', { config: { permission: 'plan.manage' } }, async () => {
    const [status, items, activations] = await Promise.all([versions.status(), versions.list(), versions.activations()]);
    return { status, items, activations } satisfies PlanVersionListView;
  });
  app.post('/api/v1/plan/versions', { config: { permission: 'plan.manage' } }, async (request, reply) => {
    const body = parseInput(planVersionBody, request.body);
    const detail = await versions.upload(body.text, actorOf(request), body.fileName?.replace(/[^\w.\-\u4e00-\u9fff]/g, '_') || undefined);
    return reply.status(201).send(detail satisfies PlanVersionDetail);
  });
  app.get<{ Params: { id: string } }>('/api/v1/plan/versions/:id', { config: { permission: 'plan.manage' } }, async (request) => versions.detail(request.params.id));
  app.post<{ Params: { id: string } }>('/api/v1/plan/versions/:id/activate', { config: { permission: 'plan.manage' } }, async (request) => {
    const body = parseInput(planActivateBody, request.body);
    return (await versions.activate(request.params.id, body.reason, actorOf(request))) satisfies PlanActivationResult;
  });
}
