import type { FastifyInstance } from 'fastify';
import type { Lifeline } from '../../app/compose.js';
import type { Principal } from '../../auth/types.js';
import type { IncidentSummary } from '../../incidents/view.js';
import { whoHolds } from '../../people/index.js';
import type { LevelId, Text } from '../../plan/types.js';

/** The role the engine pages for every new incident: their acknowledgement meets the plan's acknowledge duty (O3.1). */
const FIRST_PAGED_ROLE = 'tech_oncall';
/** Open incidents looked at per request (there are few open at any time; a storm must not make this slow). */
const MAX_INCIDENTS = 30;

export interface MyDutyIncident {
  id: string;
  title: string;
  level: LevelId;
  provisional: boolean;
  /** set when the incident belongs to a drill run */
  drill: { runId: string; timeFactor: number } | null;
}

/** One thing the signed-in person must do now: a pending obligation of theirs, or a checklist item assigned to them. */
export interface MyDuty {
  kind: 'obligation' | 'checklist';
  incident: MyDutyIncident;
  /** obligation: the plan rule (O3.1); checklist: null */
  ruleId: string | null;
  /** the checklist item that stands for it (T3.1), if any */
  itemId: string | null;
  text: Text | null;
  /** the plan role that owes it (obligation) or the item's assignee (checklist) */
  owedBy: string | null;
  /** the action that meets it (acknowledge, check_in, restore…); null for a plain checklist item */
  evidence: string | null;
  dueAt: string | null;
  breached: boolean;
}

export interface MyDutiesResponse {
  person: { id: string; name: string } | null;
  /** the plan roles counted as the person's: the account's plan role, and the roles they hold or stand in for now */
  roles: { role: string; as: 'account' | 'holder' | 'deputy' }[];
  items: MyDuty[];
}

type Deps = Pick<Lifeline, 'plan' | 'clock' | 'incidents' | 'checklists' | 'people'>;

async function rolesOf(p: Deps, principal: Principal | null): Promise<MyDutiesResponse['roles']> {
  const roles: MyDutiesResponse['roles'] = [];
  if (principal?.planRole) roles.push({ role: principal.planRole, as: 'account' });
  const personId = principal?.person?.id;
  if (!personId) return roles;
  const now = p.clock.now();
  const data = await p.people.store.oncallData(undefined, { from: now - 1, to: now + 1 });
  for (const r of p.plan.roles) {
    if (roles.some((x) => x.role === r.id)) continue;
    const h = whoHolds(r.id, now, data);
    if (h.personIds.includes(personId)) roles.push({ role: r.id, as: 'holder' });
    else if (h.deputies.includes(personId)) roles.push({ role: r.id, as: 'deputy' });
  }
  return roles;
}

const incidentOf = (i: IncidentSummary): MyDutyIncident => ({
  id: i.id,
  title: i.title,
  level: i.level,
  provisional: i.provisional,
  drill: (i as { drill?: MyDutyIncident['drill'] }).drill ?? null,
});

const dueOrder = (d: MyDuty) => (d.dueAt ? Date.parse(d.dueAt) : Number.POSITIVE_INFINITY);

/** What the person must do now, across every open incident, due first (GET /api/v1/me/duties). */
export async function myDuties(p: Deps, principal: Principal | null): Promise<MyDutiesResponse> {
  const roles = await rolesOf(p, principal);
  const mine = new Set(roles.map((r) => r.role));
  const person = principal?.person ?? null;
  const names = new Set([person?.id, person?.name, principal?.name, principal?.username].filter((x): x is string => !!x));
  const owes = (ruleId: string, actorRole: string) => {
    if (mine.has(actorRole)) return true;
    const rule = p.plan.obligations.find((o) => o.id === ruleId);
    if (rule?.evidence_by?.some((r) => mine.has(r))) return true;
    return rule?.evidence === 'acknowledge' && mine.has(FIRST_PAGED_ROLE);
  };

  const items: MyDuty[] = [];
  if (mine.size === 0 && names.size === 0) return { person, roles, items };
  const incidents = (await p.incidents.list({ state: 'open', limit: MAX_INCIDENTS })).filter((i) => i.state !== 'closed');
  for (const incident of incidents) {
    const inc = incidentOf(incident);
    const { groups } = await p.checklists.list(incident.id);
    const checklist = groups.flatMap((g) => g.items.map((item) => ({ ...item, group: g.group })));
    for (const o of incident.obligations) {
      if ((o.state !== 'pending' && o.state !== 'breached') || o.metAt || !owes(o.ruleId, o.actorRole)) continue;
      items.push({
        kind: 'obligation',
        incident: inc,
        ruleId: o.ruleId,
        itemId: checklist.find((c) => c.obligation?.ruleId === o.ruleId)?.itemId ?? null,
        text: o.action,
        owedBy: o.actorRole,
        evidence: p.plan.obligations.find((r) => r.id === o.ruleId)?.evidence ?? null,
        dueAt: o.dueAt,
        breached: o.state === 'breached' || (o.dueAt !== null && Date.parse(o.dueAt) < p.clock.now()),
      });
    }
    for (const c of checklist) {
      if (c.obligation || c.doneAt || !c.assignee || !(names.has(c.assignee) || mine.has(c.assignee))) continue;
      items.push({
        kind: 'checklist',
        incident: inc,
        ruleId: null,
        itemId: c.itemId,
        text: c.text,
        owedBy: c.assignee,
        evidence: null,
        dueAt: c.dueAt ?? null,
        breached: c.dueAt !== undefined && Date.parse(c.dueAt) < p.clock.now(),
      });
    }
  }
  items.sort((a, b) => dueOrder(a) - dueOrder(b));
  return { person, roles, items };
}

export function myDutyRoutes(app: FastifyInstance, p: Deps): void {
  app.get('/api/v1/me/duties', { config: { permission: 'incident.read' } }, async (request) => myDuties(p, request.principal ?? null));
}
