import { randomBytes } from 'node:crypto';
import { createLogger } from '../log/logger.js';
import { composeLifeline, type Lifeline } from '../app/compose.js';
import type { Plan } from '../plan/types.js';
import { VirtualClock } from '../shared/clock.js';
import { AppError } from '../shared/errors.js';
import { formatDuration } from '../shared/time.js';
import type { NormalisedSignal } from '../signals/types.js';
import type { IncidentView } from '../incidents/types.js';
import type { Scenario, Step } from '../scenarios/scenario.js';

export interface SimulationResult {
  name: string;
  passed: boolean;
  failures: string[];
  incidents: {
    id: string;
    systems: string[];
    state: string;
    level: string;
    provisional: boolean;
    levelHistory: { at: string; level: string; provisional: boolean; rule: string }[];
    obligations: { id: string; dueAt: string | null; state: string }[];
    timeline: { at: string; actor: string; kind: string; message: string }[];
  }[];
}

/** Runs a scenario on a virtual clock, through the same engine as the server, on a private in-memory database. */
export async function runScenario(scenario: Scenario, plan: Plan): Promise<SimulationResult> {
  const clock = new VirtualClock(scenario.start);
  const log = createLogger('silent');
  const config = {
    server: { host: '127.0.0.1', port: 0, publicUrl: 'http://127.0.0.1' },
    db: { kind: 'sqlite' as const, file: ':memory:' },
    dataDir: '.',
    plan: {},
    log: { level: 'silent' as const },
    timezone: 'Asia/Shanghai',
    clockOffsetMs: 0,
  };
  // the same composition as the server (noise control, paging, the close gate), with time driven here and nothing sent
  // a rehearsal sends nothing and keeps nothing: its links are signed with a throw-away secret (no file in the cwd)
  const p = await composeLifeline({ config, plan, clock, log, mode: 'manual', secret: randomBytes(32).toString('base64url') });
  const failures: string[] = [];
  // A refused action is a failure unless the next step expects exactly that refusal: `expect: {error: CODE}`.
  let refusal: { code: string; text: string } | null = null;
  try {
    const steps = [...scenario.steps].sort((a, b) => a.at - b.at);
    for (const step of steps) {
      await advanceTo(p, clock, scenario.start + step.at);
      const label = `at ${formatDuration(step.at)}`;
      if (refusal && step.expect?.error === undefined) failures.push(refusal.text);
      if (step.expect?.error !== undefined && refusal?.code !== step.expect.error) {
        failures.push(`${label}: expected the previous action to be refused with ${step.expect.error}, ${refusal ? `got ${refusal.code}` : 'it was accepted'}`);
      }
      if (refusal || step.expect?.error !== undefined) refusal = null;
      try {
        await applyStep(p, step, clock, scenario.start);
      } catch (err) {
        if (step.action && err instanceof AppError) refusal = { code: err.code, text: `${label}: action ${step.action.type} refused: ${err.message}` };
        else throw err;
      }
      if (step.expect) failures.push(...(await checkExpectation(p, step, label)));
    }
    if (refusal) failures.push(refusal.text);
    const incidents = await p.incidents.list({ state: 'all', limit: 1000 });
    const detailed = await Promise.all(incidents.reverse().map((i) => p.incidents.get(i.id)));
    return { name: scenario.name, passed: failures.length === 0, failures, incidents: detailed.map(summarise) };
  } finally {
    await p.stop();
  }
}

/** Moves a virtual clock to `target`, firing every timer in order on the way, as the scheduler would in real time. */
export async function advanceTo(p: Pick<Lifeline, 'engine'>, clock: VirtualClock, target: number): Promise<void> {
  await p.engine.fireDue(clock.now());
  for (;;) {
    const now = clock.now();
    const next = (await p.engine.dueInstants()).filter((t) => t > now && t <= target).sort((a, b) => a - b)[0];
    if (next === undefined) break;
    clock.set(next);
    await p.engine.fireDue(next);
  }
  clock.set(Math.max(clock.now(), target));
  await p.engine.fireDue(clock.now());
}

async function incidentFor(p: Lifeline, system: string | undefined): Promise<IncidentView | undefined> {
  const all = await p.incidents.list({ state: 'all', limit: 1000 });
  const match = system ? all.find((i) => i.systems.some((s) => s.system === system)) : all[0];
  return match ? p.incidents.get(match.id) : undefined;
}

async function applyStep(p: Lifeline, step: Step, clock: VirtualClock, start: number): Promise<void> {
  if (step.signal) {
    const signal = { ...step.signal, at: new Date(clock.now()).toISOString() } as NormalisedSignal;
    await p.signals.append([signal]);
    await p.engine.processPending();
    return;
  }
  if (step.open) {
    await p.engine.openIncident({ title: step.open.title, systems: step.open.systems.map((s) => ({ system: s })), scope: step.open.scope, scenario: step.open.scenario }, step.open.by);
    return;
  }
  if (!step.impact && !step.action) return;
  const target = await incidentFor(p, step.impact?.system ?? step.action?.system);
  if (!target) throw new AppError('SCENARIO_NO_INCIDENT', 400, `no incident${(step.impact?.system ?? step.action?.system) ? ' for ' + (step.impact?.system ?? step.action?.system) : ''} at this step`);
  if (step.impact) {
    const { system: _system, since, ...impact } = step.impact;
    await p.engine.recordImpact(target.id, { ...impact, ...(since !== undefined ? { since: start + since } : {}) }, 'coordination_lead');
  } else if (step.action) {
    const { by, system: _system, ...action } = step.action;
    await p.engine.act(target.id, { ...action, reason: action.reason ?? '' } as never, by, by);
  }
}

async function checkExpectation(p: Lifeline, step: Step, label: string): Promise<string[]> {
  const e = step.expect!;
  const failures: string[] = [];
  if (e.incidents !== undefined) {
    const n = (await p.incidents.list({ state: 'all', limit: 1000 })).length;
    if (n !== e.incidents) failures.push(`${label}: expected ${e.incidents} incident(s), found ${n}`);
  }
  const wantsIncident =
    e.level ||
    e.provisional !== undefined ||
    e.state ||
    e.rule ||
    e.obligations ||
    e.scope ||
    e.scopeAssumed !== undefined ||
    e.scenario !== undefined ||
    e.outage ||
    e.flapping !== undefined ||
    e.recoveryClaim !== undefined ||
    e.contradicted !== undefined ||
    e.pages;
  if (!wantsIncident) return failures;
  const incident = await incidentFor(p, e.system);
  if (!incident) return [...failures, `${label}: expected an incident${e.system ? ' on ' + e.system : ''}, found none`];
  const check = (what: string, want: unknown, got: unknown) => {
    if (want !== undefined && want !== got) failures.push(`${label}: ${what} expected ${String(want)}, got ${String(got)}`);
  };
  check('level', e.level, incident.level);
  check('provisional', e.provisional, incident.provisional);
  check('state', e.state, incident.state);
  check('rule', e.rule, incident.decidedBy);
  check('scope', e.scope, incident.scope);
  check('scopeAssumed', e.scopeAssumed, incident.scopeAssumed);
  check('scenario', e.scenario, incident.scenario);
  check('outage', e.outage, incident.outage);
  check('flapping', e.flapping, incident.flapping !== null);
  check('recoveryClaim', e.recoveryClaim, incident.recoveryClaim !== null);
  check(
    'contradicted',
    e.contradicted,
    incident.timeline.some((t) => t.kind === 'recovery.contradicted'),
  );
  for (const [rule, want] of Object.entries(e.obligations ?? {})) {
    check(`obligation ${rule}`, want, latestInstance(incident, rule)?.state ?? 'absent');
  }
  if (e.pages) {
    const pages = await p.db.selectFrom('notify_pages').select('role').where('incident_id', '=', incident.id).where('deputy_rank', '=', 0).execute();
    for (const [role, want] of Object.entries(e.pages)) check(`pages to ${role}`, want, pages.filter((pg) => pg.role === role).length);
  }
  return failures;
}

/** The first instance of a rule in the incident's latest outage (a relapse re-arms it; a cadence's later instances follow the first). */
function latestInstance(incident: IncidentView, rule: string): IncidentView['obligations'][number] | undefined {
  let found: IncidentView['obligations'][number] | undefined;
  for (const o of incident.obligations) if (o.ruleId === rule && o.sequence === 0 && (!found || Date.parse(o.triggeredAt) >= Date.parse(found.triggeredAt))) found = o;
  return found;
}

function summarise(i: IncidentView): SimulationResult['incidents'][number] {
  return {
    id: i.id,
    systems: [...new Set(i.systems.map((s) => s.system))],
    state: i.state,
    level: i.level,
    provisional: i.provisional,
    levelHistory: i.levelHistory.map((h) => ({ at: h.at, level: h.level, provisional: h.provisional, rule: h.rule })),
    obligations: i.obligations.map((o) => ({ id: o.ruleId, dueAt: o.dueAt, state: o.state })),
    timeline: [...i.timeline].reverse().map((t) => ({ at: t.at, actor: t.actor, kind: t.kind, message: t.message })),
  };
}
