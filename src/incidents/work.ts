import { grade, type Grade, type IncidentFacts } from '../grading/index.js';
import { levelRank, type LevelId, type Obligation, type Plan, type Scope, type SystemState } from '../plan/types.js';
import { anchorInstant, dueInstant, scaledDue, levelTriggersReached, obligationsTriggeredBy, recurringEvery, type AnchorFacts } from '../obligations/deadlines.js';
import { newId } from '../shared/ids.js';
import { appendChained, type Trx, type TimelineTable, type LevelChangesTable, type IncidentsTable, type IncidentSystemsTable, type ObligationsTable } from '../storage/index.js';
import type { Actor, IncidentState } from './types.js';
import { breachRecords, escalationsOnBreach, type PageRequest } from '../obligations/breach.js';
import { pendingObligation } from '../obligations/rows.js';
import { nextTurn } from '../shared/turn.js';
import type { AnyTimelineKind, STATE_CAUSES } from '../shared/timeline-kinds.js';
import { ComponentBook } from './component-book.js';

const TIMELINE_ROWS_PER_STATEMENT = 100;

const STATE_ORDER: SystemState[] = ['down', 'degraded', 'up'];

/** Parsed JSON columns of an incident row. */
interface IncidentJson {
  flags: Record<string, number>;
  tallies: Record<string, number>;
  levelsReached: Record<string, number>;
  floors: IncidentFacts['floors'];
  manual: IncidentFacts['manual'];
  anchors: Record<string, number>;
  response: ResponseState;
}

/** A person's "restored", kept until the monitoring confirms it or contradicts it (a firing alarm after it). */
interface RecoveryClaim {
  at: number;
  actor: Actor;
  /** The components as they were before the claim, with the instants their states began (the level clocks). */
  components: { system: string; component: string; state: SystemState; since: number }[];
  /** Obligation rows the claim met (O3.3 …): a contradicted claim meets nothing. */
  met: string[];
}

/** What the response knows beyond the facts (the `response` column). */
export interface ResponseState {
  /** The scope is the plan's default, not stated by the sender, the source's mapping or a person. */
  scopeAssumed?: boolean;
  /** Outages of this incident: a relapse after recovery (or a flapping alert re-opening it) starts the next. */
  outage?: number;
  /** When the current outage began (detected_at for the first). */
  outageAt?: number;
  claim?: RecoveryClaim | null;
  /** Set while an alert keeps re-opening this incident after it was closed. */
  flapping?: { since: number; reopens: number; pagedAt: number | null } | null;
  /** The national cyber-incident grade a person recorded (plan.national_grading; independent of L1–L3). */
  nationalGrade?: { grade: string; at: number; by: Actor } | null;
}

/** Why an incident went back to responding. */
export type RelapseCause = (typeof STATE_CAUSES)[number];

/**
 * One incident being changed inside one transaction. Collects every change with its timeline entry,
 * re-grades, instantiates and settles obligations, then writes it all in `save()`.
 */
export class IncidentWork {
  readonly pages: PageRequest[] = [];
  readonly dueTimes: number[] = [];
  private readonly json: IncidentJson;
  private readonly timeline: TimelineTable[] = [];
  private readonly changedSystems = new Set<IncidentSystemsTable>();
  private readonly newSystems: IncidentSystemsTable[] = [];
  private readonly changedObligations = new Set<ObligationsTable>();
  private readonly newObligations: ObligationsTable[] = [];
  readonly isNew: boolean;

  constructor(
    readonly plan: Plan,
    readonly row: IncidentsTable,
    /** Its components; the engine may hand the same book to the incident's next unit of work (see IncidentEngine.load). */
    readonly components: ComponentBook,
    readonly obligations: ObligationsTable[],
    isNew = false,
  ) {
    this.isNew = isNew;
    this.json = {
      flags: JSON.parse(row.flags),
      tallies: JSON.parse(row.tallies),
      levelsReached: JSON.parse(row.levels_reached),
      floors: JSON.parse(row.floors),
      manual: row.manual ? JSON.parse(row.manual) : null,
      anchors: JSON.parse(row.anchors),
      response: JSON.parse(row.response ?? '{}'),
    };
  }

  static create(plan: Plan, init: { title: string; at: number; scope?: Scope; scopeAssumed?: boolean; scenario?: string | null; drill?: { runId: string; timeFactor: number } | null }): IncidentWork {
    const defaultLevel = plan.levels.find((l) => l.default) ?? plan.levels[plan.levels.length - 1];
    const row: IncidentsTable = {
      id: newId('inc_'),
      title: init.title,
      state: 'responding',
      level: defaultLevel.id,
      provisional: 0,
      decided_by: defaultLevel.criteria[0]?.id ?? defaultLevel.id,
      next_grade_at: null,
      next_grade_level: null,
      next_grade_rule: null,
      scope: init.scope ?? 'hospital_wide',
      scope_since: init.at,
      scenario: init.scenario ?? null,
      scenario_since: init.scenario ? init.at : null,
      flags: '{}',
      tallies: '{}',
      levels_reached: '{}',
      floors: '[]',
      manual: null,
      anchors: '{}',
      response: JSON.stringify(init.scopeAssumed ? { scopeAssumed: true } : {}),
      detected_at: init.at,
      opened_at: init.at,
      recovered_at: null,
      closed_at: null,
      plan_version: `${plan.plan.id}@${plan.plan.version}`,
      updated_at: init.at,
      drill_run_id: init.drill?.runId ?? null,
      drill_time_factor: init.drill ? init.drill.timeFactor : null,
    };
    return new IncidentWork(plan, row, new ComponentBook(), [], true);
  }

  get id(): string {
    return this.row.id;
  }
  get state(): IncidentState {
    return this.row.state as IncidentState;
  }

  note(at: number, actor: Actor, kind: AnyTimelineKind, message: string, data?: unknown): void {
    this.timeline.push({ id: newId('tl_'), incident_id: this.row.id, at, actor, kind, message, data: data === undefined ? null : JSON.stringify(data) });
  }

  // ---- facts -------------------------------------------------------------------------------------

  setComponentState(system: string, component: string, state: SystemState, at: number, actor: Actor, since = at): boolean {
    const row = this.components.get(system, component);
    if (!row) {
      const added = { incident_id: this.row.id, system, component, state, since };
      this.components.add(added);
      this.newSystems.push(added);
      this.note(at, actor, 'system.state', `${system}${component ? '/' + component : ''} → ${state}`, { system, component, state });
      return true;
    }
    if (row.state === state) return false;
    this.components.change(row, state, since);
    this.changedSystems.add(row);
    this.note(at, actor, 'system.state', `${system}${component ? '/' + component : ''} → ${state}`, { system, component, state });
    return true;
  }

  /** States of the incident's systems, plus systems that depend hard on a failed one (DB down ⇒ HIS down). */
  systemStates(): IncidentFacts['systems'] {
    const own = this.ownSystemStates();
    const result = new Map(own.map((s) => [s.system, s]));
    for (let changed = true; changed; ) {
      changed = false;
      for (const d of this.plan.dependencies) {
        const failed = result.get(d.to);
        if (d.kind !== 'hard' || !failed || failed.state === 'up') continue;
        const current = result.get(d.from);
        if (current && STATE_ORDER.indexOf(current.state) <= STATE_ORDER.indexOf(failed.state)) continue;
        result.set(d.from, { system: d.from, state: failed.state, since: failed.since });
        changed = true;
      }
    }
    return [...result.values()];
  }

  private ownSystemStates(): IncidentFacts['systems'] {
    return this.components.systemStates(); // kept per system as components change: not a pass over them all
  }

  get scopeAssumed(): boolean {
    return this.json.response.scopeAssumed === true;
  }

  /**
   * A person's word on the scope (or the same scope, confirmed): it is no longer assumed. `since` is when the
   * stated scope began, if the person says so; durations count from it.
   */
  setScope(scope: Scope, at: number, actor: Actor, reason?: string, since = at): void {
    const wasAssumed = this.scopeAssumed;
    this.json.response.scopeAssumed = false;
    if (this.row.scope === scope) {
      if (wasAssumed) this.note(at, actor, 'impact.scope_confirmed', `scope ${scope} confirmed`, { scope });
      return;
    }
    this.row.scope = scope;
    this.row.scope_since = since;
    this.note(at, actor, 'impact.scope', `scope → ${scope}`, { scope, reason, ...(since !== at ? { since } : {}) });
  }

  setScenario(scenario: string | null, at: number, actor: Actor, since = at): void {
    if (this.row.scenario === scenario) return;
    this.row.scenario = scenario;
    this.row.scenario_since = scenario ? since : null;
    this.note(at, actor, 'impact.scenario', `scenario → ${scenario ?? '—'}`, { scenario, ...(since !== at ? { since } : {}) });
  }

  /** `since`: when the fact began, as the person states it (recorded beside who said it and when). */
  setFlag(flag: string, on: boolean, at: number, actor: Actor, since = at): void {
    const has = this.json.flags[flag] !== undefined;
    if (has === on && !(on && since < this.json.flags[flag]!)) return;
    if (on) this.json.flags[flag] = since;
    else delete this.json.flags[flag];
    this.note(at, actor, 'impact.flag', `${on ? '+' : '-'}${flag}${since !== at ? ` since ${new Date(since).toISOString()}` : ''}`, { flag, on, ...(since !== at ? { since } : {}) });
    // a flag may say what kind of event this is (a confirmed data leak is a cyber-security event)
    const implied = on ? this.plan.impact_flags?.find((f) => f.id === flag)?.implies?.scenario : undefined;
    if (implied && this.row.scenario !== implied) this.setScenario(implied, at, actor, since);
  }

  get nationalGrade(): ResponseState['nationalGrade'] {
    return this.json.response.nationalGrade ?? null;
  }

  /** A person grades the incident on the national scale (CAC); lowering it later does not cancel a report already started. */
  setNationalGrade(grade: string | null, at: number, actor: Actor): void {
    if ((this.nationalGrade?.grade ?? null) === grade) return;
    this.json.response.nationalGrade = grade === null ? null : { grade, at, by: actor };
    this.note(at, actor, 'impact.national_grade', `national grade → ${grade ?? '—'}`, { grade });
  }

  setTally(category: string, count: number, at: number, actor: Actor): void {
    if (this.json.tallies[category] === count) return;
    this.json.tallies[category] = count;
    this.note(at, actor, 'impact.tally', `${category} = ${count}`, { category, count });
  }

  facts(): IncidentFacts {
    return {
      systems: this.systemStates(),
      scope: this.row.scope as Scope,
      scopeSince: this.row.scope_since,
      flags: this.json.flags,
      tallies: this.json.tallies,
      scenario: this.row.scenario,
      scenarioSince: this.row.scenario_since,
      floors: this.json.floors,
      manual: this.json.manual,
    };
  }

  // ---- lifecycle --------------------------------------------------------------------------------

  /**
   * `reason` is a person's words; `cause` says why when the change is automatic. Back to responding after a
   * recovery (or a close) is a new outage: the plan's clocks for an opened incident start again (O3.1–O3.3)
   * and the on-duty engineer is paged, unless the recovery was a person's claim the monitoring contradicted
   * (then the old clocks simply go on).
   */
  setState(state: IncidentState, at: number, actor: Actor, reason?: string, cause?: RelapseCause, options: { page?: boolean } = {}): void {
    if (this.row.state === state) return;
    const from = this.row.state;
    this.row.state = state;
    this.note(at, actor, 'incident.state', `${from} → ${state}${cause ? ` (${cause.replaceAll('_', ' ')})` : ''}`, { from, to: state, reason, cause });
    if (state === 'recovering') {
      this.row.recovered_at = at;
      this.meetEvidence('restore', at, actor);
      this.trigger('incident.recovering', at);
      this.refreshDeadlines(); // back-entry (OR.2) counts from this recovery
    } else if (state === 'responding') {
      this.row.recovered_at = null;
      this.row.closed_at = null;
      if (cause !== 'claim_contradicted') this.startOutage(at, options.page !== false);
    } else if (state === 'closed') {
      this.row.closed_at = at;
      this.json.response.claim = null;
      this.settleAtClose(from as IncidentState, at, actor, reason);
      this.trigger('incident.closed', at);
    }
  }

  get outage(): number {
    return this.json.response.outage ?? 1;
  }

  /** A relapse: the next outage of the same incident, with the plan's opening clocks armed again from `at`. */
  private startOutage(at: number, page: boolean): void {
    this.json.response.outage = this.outage + 1;
    this.json.response.outageAt = at;
    this.json.anchors = {}; // acknowledged, on site: those were for the outage before
    // the on-duty engineer hears of every relapse; `page: false` (a flap within its window) only spares the duties' own pages
    this.page({ incidentId: this.row.id, role: 'tech_oncall', reason: 'incident.relapsed', at });
    this.silentStarts = !page;
    try {
      this.trigger('incident.opened', at, { again: true });
    } finally {
      this.silentStarts = false;
    }
  }

  /**
   * At close, nothing is dropped silently: a cadence duty ends with the response (a timeline entry says so);
   * closing while still responding (a false alarm) waives the response duties with the closing reason; every
   * other pending obligation (back-entry, re-sending data, the report) stays open until met or waived.
   */
  private settleAtClose(from: IncidentState, at: number, actor: Actor, reason: string | undefined): void {
    for (const o of this.obligations) {
      if (o.state !== 'pending') continue;
      const rule = this.plan.obligations.find((p) => p.id === o.rule_id);
      if (rule && recurringEvery(rule)) {
        this.updateObligation(o, { state: 'ended', reason: 'incident closed' });
        this.note(at, actor, 'obligation.ended', `${o.rule_id} ended with the incident`, { obligation: o.rule_id });
      } else if (from === 'responding' && reason?.trim() && (rule?.trigger === 'incident.opened' || rule?.trigger.startsWith('level.reached:'))) {
        this.updateObligation(o, { state: 'waived', waived_by: actor, reason });
        this.note(at, actor, 'obligation.waived', `${o.rule_id} waived at close: ${reason}`, { obligation: o.rule_id, reason });
      }
    }
  }

  /** Ends every pending obligation (a drill that ended: nothing is owed for it any more). */
  endAllPending(at: number, actor: Actor, reason: string): void {
    for (const o of this.obligations) {
      if (o.state !== 'pending') continue;
      this.updateObligation(o, { state: 'ended', reason });
      this.note(at, actor, 'obligation.ended', `${o.rule_id} ended: ${reason}`, { obligation: o.rule_id });
    }
  }

  // ---- a person's "restored" -----------------------------------------------------------------------

  get claim(): RecoveryClaim | null {
    return this.json.response.claim ?? null;
  }

  /**
   * A person says service is restored while the monitoring still has alarms firing: the incident recovers on
   * their word, and the claim is kept until the monitoring agrees (its alarms resolve) or contradicts it.
   */
  claimRecovery(at: number, actor: Actor, alarmsFiring: boolean): void {
    const before = [...this.components.all()].map((c) => ({ system: c.system, component: c.component, state: c.state as SystemState, since: c.since }));
    const metBefore = new Set(this.obligations.filter((o) => o.state !== 'pending').map((o) => o.id));
    for (const c of before) this.setComponentState(c.system, c.component, 'up', at, actor);
    this.setState('recovering', at, actor);
    const met = this.obligations.filter((o) => !metBefore.has(o.id) && o.met_at === at).map((o) => o.id);
    this.json.response.claim = alarmsFiring ? { at, actor, components: before, met } : null;
  }

  /** The monitoring's alarms have all resolved since the claim: it was right. */
  confirmClaim(at: number, actor: Actor): void {
    const claim = this.claim;
    if (!claim) return;
    this.json.response.claim = null;
    this.note(at, actor, 'recovery.confirmed', `restored by ${claim.actor}, confirmed by the monitoring`, { claimAt: claim.at, claimBy: claim.actor });
  }

  /**
   * An alarm fired after a person's "restored": the claim is shown as contradicted with its evidence, the
   * incident goes back to responding, the components' clocks run from before the claim (as if it had never
   * recovered), and what the claim met is pending again.
   */
  contradictClaim(at: number, actor: Actor, evidence: Record<string, unknown>): void {
    const claim = this.claim;
    if (!claim) return;
    this.json.response.claim = null;
    this.note(at, actor, 'recovery.contradicted', `restored by ${claim.actor}, but the monitoring still reports the fault`, { claimAt: claim.at, claimBy: claim.actor, ...evidence });
    for (const c of claim.components) {
      const row = this.components.get(c.system, c.component);
      if (!row || (row.state === c.state && row.since === c.since)) continue;
      this.components.change(row, c.state, c.since);
      this.changedSystems.add(row);
      this.note(at, actor, 'system.state', `${c.system}${c.component ? '/' + c.component : ''} → ${c.state}`, { system: c.system, component: c.component, state: c.state });
    }
    for (const o of this.obligations) {
      if (!claim.met.includes(o.id) || o.state !== 'met') continue;
      this.updateObligation(o, { state: 'pending', met_at: null, met_by: null });
      this.note(at, actor, 'obligation.reopened', `${o.rule_id} is not met: the restore was contradicted`, { obligation: o.rule_id });
      if (o.due_at !== null) this.dueTimes.push(Math.max(o.due_at + 1, at));
    }
    this.setState('responding', at, actor, undefined, 'claim_contradicted');
  }

  /**
   * Marks the incident as re-opened by a flapping alert; says whether its duties page everyone again (once per
   * window, or every time when `alwaysPage`); the on-duty engineer is paged on every re-opening regardless.
   */
  markFlapping(at: number, windowMs: number, alwaysPage: boolean): boolean {
    const f = this.json.response.flapping ?? { since: at, reopens: 0, pagedAt: null };
    f.reopens++;
    const page = alwaysPage || f.pagedAt === null || at - f.pagedAt >= windowMs;
    if (page) f.pagedAt = at;
    this.json.response.flapping = f;
    this.note(at, 'system', 'incident.flapping', `re-opened by a flapping alert (${f.reopens} time(s))${page ? '' : '; paged already in this flap window'}`, {
      reopens: f.reopens,
      windowMs,
      paged: page,
    });
    return page;
  }

  get flapping(): ResponseState['flapping'] {
    return this.json.response.flapping ?? null;
  }

  /** Pages are merged per role and instant: a role paged for the incident and for its duties at once gets one page (listing them all). */
  page(req: PageRequest): void {
    if (this.silentStarts && req.reason.startsWith('obligation.started:')) return;
    if (this.pages.some((p) => p.role === req.role && p.at === req.at && p.incidentId === req.incidentId)) return;
    this.pages.push(req);
  }
  private silentStarts = false;

  recordAnchor(anchorId: string, at: number): void {
    if (this.json.anchors[anchorId] !== undefined) return;
    this.json.anchors[anchorId] = at;
    this.refreshDeadlines();
  }

  addFloor(level: LevelId, rule: string, at: number): void {
    if (this.json.floors.some((f) => f.rule === rule)) return;
    this.json.floors.push({ level, rule, at });
  }

  setManual(level: LevelId, at: number, actor: Actor, reason: string): void {
    this.json.manual = { level, at, actor, reason };
    this.note(at, actor, 'level.manual', `level set to ${level}: ${reason}`, { level, reason });
  }

  // ---- obligations ------------------------------------------------------------------------------

  private anchorFacts(): AnchorFacts {
    return {
      detectedAt: this.json.response.outageAt ?? this.row.detected_at,
      recoveredAt: this.row.recovered_at,
      closedAt: this.row.closed_at,
      recorded: this.json.anchors,
      dueOf: (ruleId) => this.latest(ruleId)?.due_at,
    };
  }

  /** The first instance of a rule in the latest outage (a relapse makes new instances). */
  latest(ruleId: string): ObligationsTable | undefined {
    let found: ObligationsTable | undefined;
    for (const o of this.obligations) if (o.rule_id === ruleId && o.sequence === 0 && (!found || o.trigger_at >= found.trigger_at)) found = o;
    return found;
  }

  /** The incident's systems and every system that depends hard on one of them, whatever their state now. */
  private affectedSystems(): Set<string> {
    const out = new Set([...this.components.all()].map((c) => c.system));
    for (let grew = true; grew; ) {
      grew = false;
      for (const d of this.plan.dependencies) if (d.kind === 'hard' && out.has(d.to) && !out.has(d.from)) grew = Boolean(out.add(d.from));
    }
    return out;
  }

  private applies(o: Obligation): boolean {
    const cond = o.applies_if;
    if (!cond) return true;
    if (cond.patient_facing_system_affected !== undefined) {
      const affected = this.systemStates().some((s) => s.state !== 'up' && this.plan.systems.find((p) => p.id === s.system)?.patient_facing);
      if (affected !== cond.patient_facing_system_affected) return false;
    }
    if (cond.level_reached && !cond.level_reached.some((l) => this.json.levelsReached[l] !== undefined)) return false;
    if (cond.scenario && !cond.scenario.includes(this.row.scenario ?? '')) return false;
    if (cond.systems_affected) {
      const affected = this.affectedSystems();
      if (!cond.systems_affected.some((s) => affected.has(s))) return false;
    }
    if (cond.national_grade_at_least !== undefined) {
      const grades = this.plan.national_grading?.grades.map((g) => g.id) ?? [];
      const recorded = grades.indexOf(this.nationalGrade?.grade ?? '');
      const least = grades.indexOf(cond.national_grade_at_least);
      if (recorded < 0 || least < 0 || recorded > least) return false; // the list runs from the most serious
    }
    if (cond.flags_any && !cond.flags_any.some((f) => this.json.flags[f] !== undefined)) return false;
    if (cond.obligation_started && !cond.obligation_started.some((id) => this.obligations.some((x) => x.rule_id === id && x.state !== 'waived'))) return false;
    return true;
  }

  /** Whether an obligation's trigger has happened on this incident (its conditions may come to hold later). */
  private triggered(trigger: string): boolean {
    if (trigger === 'incident.opened') return true;
    if (trigger === 'incident.recovering') return this.row.recovered_at !== null;
    if (trigger === 'incident.closed') return this.row.state === 'closed';
    const level = /^level\.reached:(.+)$/.exec(trigger)?.[1];
    return level !== undefined && this.json.levelsReached[level] !== undefined;
  }

  /**
   * Regulator reports start whenever their conditions come to hold — a level reached, a system added, a national
   * grade or a flag recorded after their trigger — once per incident (a relapse or a lowered grade starts or
   * cancels nothing). Run at the end of every unit of work (regrade).
   */
  startReports(at: number): void {
    if (this.drillRunId) return; // a drill reports nothing to regulators
    for (const o of this.plan.obligations) {
      if (!o.report || !this.triggered(o.trigger) || this.obligations.some((x) => x.rule_id === o.id) || !this.applies(o)) continue;
      this.instantiate(o, at, 0);
    }
  }

  /** Starts the obligations of a trigger; `again` (a new outage) starts those whose earlier instance is no longer pending. */
  trigger(trigger: string, at: number, options: { again?: boolean } = {}): void {
    for (const o of obligationsTriggeredBy(this.plan, trigger)) {
      if (o.report) continue; // regulator reports: startReports()
      if (!this.applies(o)) continue;
      const earlier = this.obligations.filter((x) => x.rule_id === o.id);
      if (earlier.length && !(options.again && earlier.every((x) => x.state !== 'pending'))) continue;
      this.instantiate(o, at, 0);
    }
  }

  private instantiate(o: Obligation, triggerAt: number, sequence: number): ObligationsTable {
    const facts = this.anchorFacts();
    const anchorAt = anchorInstant(this.plan, o, triggerAt, facts);
    const row = pendingObligation(o, {
      incidentId: this.row.id,
      triggerAt,
      anchorAt,
      dueAt: scaledDue(dueInstant(this.plan, o, triggerAt, facts, sequence), anchorAt, this.timeFactor),
      sequence,
    });
    this.obligations.push(row);
    this.newObligations.push(row);
    if (row.due_at !== null) this.dueTimes.push(row.due_at + 1);
    // everyone the plan names hears of their duty when it starts, with its deadline (the page lists the role's duties)
    if (sequence === 0 && o.page_on_start !== false) {
      const role = this.plan.org.groups.find((g) => g.id === o.actor)?.lead ?? o.actor;
      this.page({ incidentId: this.row.id, role, reason: `obligation.started:${o.id}`, obligationId: row.id, at: triggerAt });
    }
    return row;
  }

  private updateObligation(o: ObligationsTable, patch: Partial<ObligationsTable>): void {
    Object.assign(o, patch);
    if (!this.newObligations.includes(o)) this.changedObligations.add(o);
  }

  /** Deadlines anchored on an instant that has just been recorded move to it (never later). */
  private refreshDeadlines(): void {
    const facts = this.anchorFacts();
    for (const o of this.obligations) {
      if (o.state !== 'pending') continue;
      const rule = this.plan.obligations.find((p) => p.id === o.rule_id);
      if (!rule) continue;
      const anchor = anchorInstant(this.plan, rule, o.trigger_at, facts);
      const due = scaledDue(dueInstant(this.plan, rule, o.trigger_at, facts, o.sequence), anchor, this.timeFactor);
      if (due !== o.due_at || anchor !== o.anchor_at) {
        this.updateObligation(o, { due_at: due, anchor_at: anchor });
        if (due !== null) this.dueTimes.push(due + 1);
      }
    }
  }

  meetEvidence(evidence: string, at: number, actor: Actor, actorRole?: string): string[] {
    const met: string[] = [];
    for (const o of [...this.obligations]) {
      const rule = this.plan.obligations.find((p) => p.id === o.rule_id);
      if (rule?.evidence !== evidence || rule.report) continue; // a regulator report is met by its own submission only (meetObligation)
      if (rule.evidence_by && !(actorRole && rule.evidence_by.includes(actorRole))) continue;
      if (o.state === 'pending') {
        this.updateObligation(o, { state: 'met', met_at: at, met_by: actor });
        met.push(o.rule_id);
        this.note(at, actor, 'obligation.met', `${o.rule_id} met`, { obligation: o.rule_id, by: actor });
        this.repeat(rule, o);
      } else if (o.state === 'breached' && o.met_at === null) {
        this.updateObligation(o, { met_at: at, met_by: actor });
        this.note(at, actor, 'obligation.met_late', `${o.rule_id} done after its deadline`, { obligation: o.rule_id, by: actor });
      }
    }
    return met;
  }

  /** Evidence actions that would still meet something (pending, or missed and not yet done). */
  pendingEvidence(): string[] {
    const out = new Set<string>();
    for (const o of this.obligations) {
      if (o.state !== 'pending' && !(o.state === 'breached' && o.met_at === null)) continue;
      const rule = this.plan.obligations.find((p) => p.id === o.rule_id);
      if (rule?.evidence && !rule.report) out.add(rule.evidence);
    }
    return [...out];
  }

  /**
   * Meets exactly one obligation (a regulator report's recorded submission), never others that share its evidence:
   * its latest instance that is pending, or missed and not yet done. `doneAt` is when it was really done (a report
   * submitted before its deadline but recorded after it was marked missed counts as met on time).
   */
  meetObligation(ruleId: string, doneAt: number, at: number, actor: Actor): ObligationsTable | undefined {
    const o = [...this.obligations].reverse().find((x) => x.rule_id === ruleId && (x.state === 'pending' || (x.state === 'breached' && x.met_at === null)));
    if (!o) return undefined;
    if (o.due_at === null || doneAt <= o.due_at) {
      this.updateObligation(o, { state: 'met', met_at: doneAt, met_by: actor });
      this.note(at, actor, 'obligation.met', `${o.rule_id} met`, { obligation: o.rule_id, by: actor });
    } else {
      // done after its deadline: missed, whether or not the timer has marked it yet
      const missed = o.state === 'pending' ? { state: 'breached', breached_at: o.due_at, fired_at: at, late_ms: at - o.due_at } : {};
      this.updateObligation(o, { ...missed, met_at: doneAt, met_by: actor });
      this.note(at, actor, 'obligation.met_late', `${o.rule_id} done after its deadline`, { obligation: o.rule_id, by: actor });
    }
    return o;
  }

  waive(ruleOrId: string, at: number, actor: Actor, reason: string): ObligationsTable | undefined {
    const o = this.obligations.find((x) => (x.id === ruleOrId || x.rule_id === ruleOrId) && x.state === 'pending');
    if (!o) return undefined;
    this.updateObligation(o, { state: 'waived', waived_by: actor, reason });
    this.note(at, actor, 'obligation.waived', `${o.rule_id} waived: ${reason}`, { obligation: o.rule_id, reason });
    return o;
  }

  /** Marks every pending obligation due by `now` as breached and runs its breach effects. */
  breachDue(now: number): void {
    for (const o of [...this.obligations]) {
      if (o.state !== 'pending' || o.due_at === null || o.due_at >= now) continue; // "within 5 min" includes minute 5
      this.updateObligation(o, { state: 'breached', breached_at: o.due_at, fired_at: now, late_ms: now - o.due_at });
      const rule = this.plan.obligations.find((p) => p.id === o.rule_id);
      const records = breachRecords(rule, o, now);
      this.timeline.push(...records.timeline);
      this.pages.push(...records.pages);
      for (const escalation of escalationsOnBreach(this.plan, o.rule_id)) this.escalate(escalation, o.due_at);
      if (rule) this.repeat(rule, o);
    }
  }

  private escalate(escalationId: string, at: number): void {
    const escalation = this.plan.escalations.find((e) => e.id === escalationId);
    if (!escalation) return;
    const level = escalation.then.set_level_at_least ?? null;
    if (level) this.addFloor(level, escalation.id, at);
    this.note(at, 'system', 'escalation', `${escalation.id}${level ? `: level at least ${level}` : ''}`, { escalation: escalation.id, level });
    for (const role of escalation.then.notify ?? []) this.page({ incidentId: this.row.id, role, reason: `escalation:${escalation.id}`, at });
  }

  /** Cadence duties come back: the next instance is due one period after this one. */
  private repeat(rule: Obligation, o: ObligationsTable): void {
    if (!recurringEvery(rule) || this.state !== 'responding') return;
    this.instantiate(rule, o.trigger_at, o.sequence + 1);
  }

  // ---- grading ----------------------------------------------------------------------------------

  /** Re-grades; records a level change (with the rule that decided it) and fires level triggers. */
  regrade(now: number, actor: Actor = 'system'): Grade {
    const g = this.grade(now);
    // A level the plan's criteria reached stays reached after the conditions pass; only the HQ lowers it.
    const defaultLevel = this.plan.levels.find((l) => l.default)?.id;
    for (const f of g.fired) if (f.level !== defaultLevel) this.addFloor(f.level, f.criterion, f.at);
    if (g.provisional && !this.json.floors.some((f) => f.rule === `${g.rule}?`)) {
      this.json.floors.push({ level: g.level, rule: `${g.rule}?`, at: now, provisional: true });
    }
    const changed = g.level !== this.row.level || Boolean(g.provisional) !== Boolean(this.row.provisional) || g.rule !== this.row.decided_by;
    if (changed || (this.isNew && !this.historyStarted)) {
      // a new incident's first grade is history too
      const at = this.changeInstant(g, now);
      this.historyStarted = true;
      this.levelChanges.push({
        id: newId('lvl_'),
        incident_id: this.row.id,
        at,
        level: g.level,
        provisional: g.provisional ? 1 : 0,
        rule: g.rule,
        actor: g.rule === 'manual' ? (this.json.manual?.actor ?? actor) : actor,
        reason: g.rule === 'manual' ? (this.json.manual?.reason ?? null) : null,
      });
      this.note(at, actor, 'level.changed', `${this.row.level}${this.row.provisional ? '?' : ''} → ${g.level}${g.provisional ? ' (provisional)' : ''} by ${g.rule}`, {
        from: this.row.level,
        to: g.level,
        provisional: Boolean(g.provisional),
        rule: g.rule,
      });
      const reachedBefore = Object.keys(this.json.levelsReached);
      this.row.level = g.level;
      this.row.provisional = g.provisional ? 1 : 0;
      this.row.decided_by = g.rule;
      for (const level of levelTriggersReached(this.plan, g.level, reachedBefore)) {
        this.json.levelsReached[level] = at;
        // the level's own pages first: a role paged for the level and for a duty it starts gets the level's page
        for (const role of this.plan.levels.find((l) => l.id === level)?.notify ?? []) this.page({ incidentId: this.row.id, role, reason: `level.reached:${level}`, at });
        this.escalationNotices(level, g, at);
        this.trigger(`level.reached:${level}`, at);
      }
    }
    this.startReports(now);
    this.row.next_grade_at = g.next?.at ?? null;
    this.row.next_grade_level = g.next?.level ?? null;
    this.row.next_grade_rule = g.next?.rule ?? null;
    if (g.next) this.dueTimes.push(g.next.at);
    return g;
  }

  /** A drill's time factor (≥ 1): its deadlines and the plan's level clocks run that many times faster; 1 for a real incident. */
  get timeFactor(): number {
    return this.row.drill_time_factor ?? 1;
  }

  /** The drill this incident belongs to, or null for a real one. */
  get drillRunId(): string | null {
    return this.row.drill_run_id;
  }

  /**
   * The grade now. A drill with a time factor is graded on its own faster clock: every fact's instant is read as
   * if that much more time had passed since detection, and the instants the grade names are brought back to real time.
   */
  private grade(now: number): Grade {
    const f = this.timeFactor;
    if (f === 1) return grade(this.plan, this.facts(), now);
    const origin = this.row.detected_at;
    const fwd = (t: number) => origin + (t - origin) * f;
    const back = (t: number) => origin + Math.ceil((t - origin) / f);
    const facts = this.facts();
    const scaled: IncidentFacts = {
      ...facts,
      systems: facts.systems.map((s) => ({ ...s, since: fwd(s.since) })),
      scopeSince: fwd(facts.scopeSince),
      flags: Object.fromEntries(Object.entries(facts.flags).map(([k, t]) => [k, fwd(t)])),
      scenarioSince: facts.scenarioSince === null ? null : fwd(facts.scenarioSince),
      floors: facts.floors.map((x) => ({ ...x, at: fwd(x.at) })),
      manual: facts.manual ? { ...facts.manual, at: fwd(facts.manual.at) } : null,
    };
    const g = grade(this.plan, scaled, fwd(now));
    return {
      ...g,
      next: g.next ? { ...g.next, at: back(g.next.at) } : null,
      armed: g.armed.map((a) => ({ ...a, since: back(a.since), firesAt: back(a.firesAt) })),
      fired: g.fired.map((x) => ({ ...x, at: Math.min(now, back(x.at)) })),
    };
  }

  private historyStarted = false;
  readonly levelChanges: LevelChangesTable[] = [];

  /** A change decided by a criterion or escalation dates from when that rule took effect, if that was since the last save. */
  private changeInstant(g: Grade, now: number): number {
    const ruleAt = g.fired.find((f) => f.criterion === g.rule)?.at ?? this.json.floors.find((f) => f.rule === g.rule)?.at;
    return ruleAt !== undefined && ruleAt >= this.row.updated_at && ruleAt <= now ? ruleAt : now;
  }

  private escalationNotices(level: LevelId, g: Grade, at: number): void {
    for (const e of this.plan.escalations) {
      const fired = e.when.criterion_fired?.some((c) => g.fired.some((f) => f.criterion === c));
      if (!fired || !e.then.set_level_at_least || levelRank(e.then.set_level_at_least) !== levelRank(level)) continue;
      for (const role of e.then.notify ?? []) {
        this.page({ incidentId: this.row.id, role, reason: `escalation:${e.id}`, at });
        this.note(at, 'system', 'page.requested', `page ${role}: ${e.id}`, { role, escalation: e.id });
      }
    }
  }

  // ---- persistence ------------------------------------------------------------------------------

  async save(trx: Trx, now: number): Promise<void> {
    this.row.flags = JSON.stringify(this.json.flags);
    this.row.tallies = JSON.stringify(this.json.tallies);
    this.row.levels_reached = JSON.stringify(this.json.levelsReached);
    this.row.floors = JSON.stringify(this.json.floors);
    this.row.manual = this.json.manual ? JSON.stringify(this.json.manual) : null;
    this.row.anchors = JSON.stringify(this.json.anchors);
    this.row.response = JSON.stringify(this.json.response);
    this.row.updated_at = now;
    if (this.isNew && !this.saved) await trx.insertInto('incidents').values(this.row).execute();
    else await trx.updateTable('incidents').set(this.row).where('id', '=', this.row.id).execute();
    this.saved = true;
    if (this.newSystems.length) await trx.insertInto('incident_systems').values(this.newSystems.splice(0)).execute();
    for (const s of this.changedSystems) {
      await trx
        .updateTable('incident_systems')
        .set({ state: s.state, since: s.since })
        .where('incident_id', '=', s.incident_id)
        .where('system', '=', s.system)
        .where('component', '=', s.component)
        .execute();
    }
    this.changedSystems.clear();
    if (this.newObligations.length) await trx.insertInto('obligations').values(this.newObligations.splice(0)).execute();
    for (const o of this.changedObligations) {
      const { id, ...rest } = o;
      await trx.updateTable('obligations').set(rest).where('id', '=', id).execute();
    }
    this.changedObligations.clear();
    if (this.levelChanges.length) await trx.insertInto('level_changes').values(this.levelChanges.splice(0)).execute();
    const entries = this.timeline.splice(0);
    for (let i = 0; i < entries.length; i += TIMELINE_ROWS_PER_STATEMENT) {
      if (i > 0) await nextTurn(); // a storm's round brings hundreds of entries: requests go in between
      await appendChained(trx, 'timeline', entries.slice(i, i + TIMELINE_ROWS_PER_STATEMENT));
    }
  }
  private saved = false;
}
