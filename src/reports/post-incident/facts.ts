/**
 * Everything a post-incident report says, collected once from the stored record: the incident and its level
 * history (with the rule that decided each change), every deadline with its outcome and lateness, who did what
 * (the timeline grouped by person), manual-mode figures, patients affected, the review and its corrective actions.
 * Language-neutral: codes, instants (epoch ms) and the plan's bilingual texts; the renderers choose the words.
 */
import type { DowntimeContext } from '../../downtime/context.js';
import { DOWNTIME_TALLY_CATEGORIES } from '../../downtime/types.js';
import { incidentOverview } from '../../downtime/views.js';
import type { IncidentQueries } from '../../incidents/view.js';
import type { LevelId, Plan, Text } from '../../plan/types.js';
import { LEVEL_IDS } from '../../plan/types.js';
import type { Clock } from '../../shared/clock.js';
import type { CorrectiveActionView, ReviewService, ReviewView } from './review.js';

export type ObligationOutcome = 'met' | 'met_late' | 'missed' | 'waived' | 'pending' | 'ended' | 'cancelled';

export interface ReportFacts {
  generatedAt: number;
  timezone: string;
  plan: { id: string; version: string; title: Text };
  incident: {
    id: string;
    title: string;
    state: string;
    level: LevelId;
    levelName: Text | null;
    highestLevel: LevelId;
    scope: string;
    scenario: { id: string; name: Text | null } | null;
    systems: { id: string; name: Text | null; component: string | null; state: string }[];
    flags: { id: string; name: Text | null }[];
    detectedAt: number;
    openedAt: number;
    recoveredAt: number | null;
    closedAt: number | null;
    /** From detection to recovery (or to the report, while not recovered). */
    outageMs: number;
    planVersion: string;
  };
  levels: { at: number; level: LevelId; levelName: Text | null; provisional: boolean; rule: string; ruleText: Text | null; actor: string | null; reason: string | null }[];
  obligations: {
    ruleId: string;
    action: Text | null;
    role: string;
    roleName: Text | null;
    triggeredAt: number;
    dueAt: number | null;
    outcome: ObligationOutcome;
    /** How late (met late, or missed: until done, closed or now); null unless missed. */
    lateMs: number | null;
    doneAt: number | null;
    doneBy: string | null;
    reason: string | null;
  }[];
  /** Everyone who did something, with what (timeline kinds counted), first entry first. */
  people: { actor: string; entries: number; firstAt: number; lastAt: number; kinds: { kind: string; count: number }[] }[];
  timeline: { at: number; actor: string; kind: string; data: unknown }[];
  downtime: {
    departments: { department: string; name: Text | null; numbersIssued: number; formsPrinted: number; records: number; backEntered: number; verified: number; sessions: number; reconciled: number }[];
    totals: { numbersIssued: number; formsPrinted: number; records: number; backEntered: number; verified: number; sessions: number; reconciled: number };
  };
  patients: { category: string; count: number }[];
  review: ReviewView;
  actions: CorrectiveActionView[];
}

export interface FactsDeps {
  plan: Plan;
  clock: Clock;
  timezone: string;
  incidents: IncidentQueries;
  downtime: DowntimeContext;
  review: ReviewService;
}

/** Actors that are not people: the engine, the paging worker, monitoring sources. */
const machine = (actor: string) => actor === 'system' || actor === 'paging' || actor.startsWith('source:');
const ms = (iso: string | null): number | null => (iso === null ? null : Date.parse(iso));

/** What a rule of the level history says: a criterion's summary, or an escalation's condition and effect. */
export function ruleText(plan: Plan, rule: string): Text | null {
  for (const level of plan.levels) {
    const c = level.criteria.find((x) => x.id === rule);
    if (c) return c.summary;
  }
  const e = plan.escalations.find((x) => x.id === rule);
  if (!e) return null;
  const zh: string[] = [];
  const en: string[] = [];
  if (e.when.obligation_breached) {
    zh.push(`${e.when.obligation_breached} 超时`);
    en.push(`${e.when.obligation_breached} missed`);
  }
  if (e.when.criterion_fired?.length) {
    zh.push(`${e.when.criterion_fired.join('、')} 成立`);
    en.push(`${e.when.criterion_fired.join(', ')} holds`);
  }
  if (e.when.manual) {
    zh.push('人工调整');
    en.push('set by hand');
  }
  const level = e.then.set_level_at_least;
  return {
    zh: `升级规则：${zh.join('，') || e.id}${level ? ` → 至少${level}` : ''}`,
    en: `escalation: ${en.join(', ') || e.id}${level ? ` → at least ${level}` : ''}`,
  };
}

export async function collectFacts(deps: FactsDeps, incidentId: string): Promise<ReportFacts> {
  const { plan } = deps;
  const now = deps.clock.now();
  const i = await deps.incidents.get(incidentId, { timelineLimit: 100_000 });
  const [overview, review, actions] = await Promise.all([incidentOverview(deps.downtime, incidentId), deps.review.review(incidentId), deps.review.actions(incidentId)]);
  const levelName = (id: string) => plan.levels.find((l) => l.id === id)?.name ?? null;
  const detectedAt = Date.parse(i.detectedAt);
  const recoveredAt = ms(i.recoveredAt);
  const closedAt = ms(i.closedAt);
  const end = closedAt ?? now;

  const levels = i.levelHistory.map((h) => ({
    at: Date.parse(h.at),
    level: h.level,
    levelName: levelName(h.level),
    provisional: h.provisional,
    rule: h.rule,
    ruleText: ruleText(plan, h.rule),
    actor: h.actor,
    reason: h.reason,
  }));
  const reached = [i.level, ...levels.map((l) => l.level)];
  const highestLevel = LEVEL_IDS.find((l) => reached.includes(l)) ?? i.level;

  const obligations = i.obligations.map((o) => {
    const dueAt = ms(o.dueAt);
    const doneAt = ms(o.metAt);
    let outcome: ObligationOutcome;
    let lateMs: number | null = null;
    if (o.state === 'breached') {
      outcome = doneAt === null ? 'missed' : 'met_late';
      lateMs = Math.max(o.lateMs ?? 0, (doneAt ?? end) - (dueAt ?? end));
    } else if (o.state === 'met' || o.state === 'waived' || o.state === 'pending' || o.state === 'ended' || o.state === 'cancelled') outcome = o.state;
    else outcome = 'pending';
    const rule = plan.obligations.find((p) => p.id === o.ruleId);
    const role = rule?.actor ?? o.actorRole;
    return {
      ruleId: o.ruleId,
      action: o.action,
      role,
      roleName: plan.roles.find((r) => r.id === role)?.name ?? plan.org.groups.find((g) => g.id === role)?.name ?? null,
      triggeredAt: Date.parse(o.triggeredAt),
      dueAt,
      outcome,
      lateMs,
      doneAt,
      doneBy: o.metBy,
      reason: o.reason,
    };
  });

  const timeline = [...i.timeline].reverse().map((t) => ({ at: Date.parse(t.at), actor: t.actor, kind: t.kind, data: t.data }));
  const byActor = new Map<string, { actor: string; entries: number; firstAt: number; lastAt: number; kinds: Map<string, number> }>();
  for (const t of timeline) {
    if (machine(t.actor)) continue;
    const p = byActor.get(t.actor) ?? { actor: t.actor, entries: 0, firstAt: t.at, lastAt: t.at, kinds: new Map() };
    p.entries++;
    p.firstAt = Math.min(p.firstAt, t.at);
    p.lastAt = Math.max(p.lastAt, t.at);
    p.kinds.set(t.kind, (p.kinds.get(t.kind) ?? 0) + 1);
    byActor.set(t.actor, p);
  }
  const people = [...byActor.values()].sort((a, b) => a.firstAt - b.firstAt).map((p) => ({ ...p, kinds: [...p.kinds].map(([kind, count]) => ({ kind, count })) }));

  const departments = overview.departments.map((d) => {
    const sessions = overview.sessions.filter((s) => s.department === d.department);
    return {
      department: d.department,
      name: d.name ?? null,
      numbersIssued: d.numbersIssued,
      formsPrinted: d.formsPrinted,
      records: d.progress.total,
      backEntered: d.progress.entered + d.progress.verified,
      verified: d.progress.verified,
      sessions: sessions.length,
      reconciled: sessions.filter((s) => s.state === 'reconciled').length,
    };
  });
  const sum = (k: keyof (typeof departments)[number] & ('numbersIssued' | 'formsPrinted' | 'records' | 'backEntered' | 'verified' | 'sessions' | 'reconciled')) =>
    departments.reduce((n, d) => n + d[k], 0);

  // patients: the incident's graded sums, and what only the departments' tallies count (critically ill)
  const counted = new Map<string, number>(Object.entries(i.tallies).filter(([, n]) => typeof n === 'number') as [string, number][]);
  for (const c of DOWNTIME_TALLY_CATEGORIES) {
    if (counted.has(c)) continue;
    const n = overview.departments.reduce((s, d) => s + (typeof d.tally?.[c] === 'number' ? (d.tally[c] as number) : 0), 0);
    if (overview.departments.some((d) => typeof d.tally?.[c] === 'number')) counted.set(c, n);
  }
  const patients = DOWNTIME_TALLY_CATEGORIES.filter((c) => counted.has(c)).map((category) => ({ category, count: counted.get(category)! }));

  return {
    generatedAt: now,
    timezone: deps.timezone,
    plan: { id: plan.plan.id, version: plan.plan.version, title: plan.plan.title },
    incident: {
      id: i.id,
      title: i.title,
      state: i.state,
      level: i.level,
      levelName: levelName(i.level),
      highestLevel,
      scope: i.scope,
      scenario: i.scenario ? { id: i.scenario, name: plan.scenarios.find((s) => s.id === i.scenario)?.name ?? null } : null,
      systems: i.systems.map((s) => ({ id: s.system, name: plan.systems.find((p) => p.id === s.system)?.name ?? null, component: s.component ?? null, state: s.state })),
      flags: i.flags.map((f) => ({ id: f, name: plan.impact_flags?.find((x) => x.id === f)?.name ?? null })),
      detectedAt,
      openedAt: Date.parse(i.openedAt),
      recoveredAt,
      closedAt,
      outageMs: (recoveredAt ?? now) - detectedAt,
      planVersion: i.planVersion,
    },
    levels,
    obligations,
    people,
    timeline,
    downtime: {
      departments,
      totals: {
        numbersIssued: sum('numbersIssued'),
        formsPrinted: sum('formsPrinted'),
        records: sum('records'),
        backEntered: sum('backEntered'),
        verified: sum('verified'),
        sessions: sum('sessions'),
        reconciled: sum('reconciled'),
      },
    },
    patients,
    review,
    actions,
  };
}
