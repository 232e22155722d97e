import { grade, type Grade, type IncidentFacts } from '../grading/index.js';
import { levelRank, type LevelId, type Obligation, type Plan, type Scope, type SystemState } from '../plan/types.js';
import { anchorInstant, dueInstant, levelTriggersReached, obligationsTriggeredBy, recurringEvery, type AnchorFacts } from '../obligations/deadlines.js';
import { newId } from '../shared/ids.js';
import type { Trx, TimelineTable, LevelChangesTable, IncidentsTable, IncidentSystemsTable, ObligationsTable } from '../storage/index.js';
import type { Actor, IncidentState } from './types.js';
import { breachRecords, type PageRequest } from '../obligations/breach.js';
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
}

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
    };
  }

  static create(plan: Plan, init: { title: string; at: number; scope?: Scope; scenario?: string | null }): IncidentWork {
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
      detected_at: init.at,
      opened_at: init.at,
      recovered_at: null,
      closed_at: null,
      plan_version: `${plan.plan.id}@${plan.plan.version}`,
      updated_at: init.at,
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

  setComponentState(system: string, component: string, state: SystemState, at: number, actor: Actor): boolean {
    const row = this.components.get(system, component);
    if (!row) {
      const added = { incident_id: this.row.id, system, component, state, since: at };
      this.components.add(added);
      this.newSystems.push(added);
      this.note(at, actor, 'system.state', `${system}${component ? '/' + component : ''} → ${state}`, { system, component, state });
      return true;
    }
    if (row.state === state) return false;
    this.components.change(row, state, at);
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

  setScope(scope: Scope, at: number, actor: Actor, reason?: string): void {
    if (this.row.scope === scope) return;
    this.row.scope = scope;
    this.row.scope_since = at;
    this.note(at, actor, 'impact.scope', `scope → ${scope}`, { scope, reason });
  }

  setScenario(scenario: string | null, at: number, actor: Actor): void {
    if (this.row.scenario === scenario) return;
    this.row.scenario = scenario;
    this.row.scenario_since = scenario ? at : null;
    this.note(at, actor, 'impact.scenario', `scenario → ${scenario ?? '—'}`, { scenario });
  }

  setFlag(flag: string, on: boolean, at: number, actor: Actor): void {
    const has = this.json.flags[flag] !== undefined;
    if (has === on) return;
    if (on) this.json.flags[flag] = at;
    else delete this.json.flags[flag];
    this.note(at, actor, 'impact.flag', `${on ? '+' : '-'}${flag}`, { flag, on });
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

  /** `reason` is a person's words; `cause` says why when the change is automatic. */
  setState(state: IncidentState, at: number, actor: Actor, reason?: string, cause?: (typeof STATE_CAUSES)[number]): void {
    if (this.row.state === state) return;
    const from = this.row.state;
    this.row.state = state;
    this.note(at, actor, 'incident.state', `${from} → ${state}${cause ? ` (${cause.replaceAll('_', ' ')})` : ''}`, { from, to: state, reason, cause });
    if (state === 'recovering') {
      this.row.recovered_at = at;
      this.meetEvidence('restore', at, actor);
      this.trigger('incident.recovering', at);
    } else if (state === 'responding') {
      this.row.recovered_at = null;
    } else if (state === 'closed') {
      this.row.closed_at = at;
      for (const o of this.obligations) {
        if (o.state === 'pending') this.updateObligation(o, { state: 'cancelled', reason: 'incident closed' });
      }
      this.trigger('incident.closed', at);
    }
  }

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
      detectedAt: this.row.detected_at,
      recoveredAt: this.row.recovered_at,
      closedAt: this.row.closed_at,
      recorded: this.json.anchors,
      dueOf: (ruleId) => this.obligations.find((o) => o.rule_id === ruleId && o.sequence === 0)?.due_at,
    };
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
    return true;
  }

  trigger(trigger: string, at: number): void {
    for (const o of obligationsTriggeredBy(this.plan, trigger)) {
      if (!this.applies(o)) continue;
      if (this.obligations.some((x) => x.rule_id === o.id)) continue;
      this.instantiate(o, at, 0);
    }
  }

  private instantiate(o: Obligation, triggerAt: number, sequence: number): ObligationsTable {
    const facts = this.anchorFacts();
    const row = pendingObligation(o, {
      incidentId: this.row.id,
      triggerAt,
      anchorAt: anchorInstant(this.plan, o, triggerAt, facts),
      dueAt: dueInstant(this.plan, o, triggerAt, facts, sequence),
      sequence,
    });
    this.obligations.push(row);
    this.newObligations.push(row);
    if (row.due_at !== null) this.dueTimes.push(row.due_at + 1);
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
      const due = dueInstant(this.plan, rule, o.trigger_at, facts, o.sequence);
      const anchor = anchorInstant(this.plan, rule, o.trigger_at, facts);
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
      if (rule?.evidence !== evidence) continue;
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
      for (const effect of rule?.on_breach ?? []) {
        if (typeof effect === 'object' && 'escalate' in effect) this.escalate(effect.escalate, o.due_at);
      }
      if (rule) this.repeat(rule, o);
    }
  }

  private escalate(escalationId: string, at: number): void {
    const escalation = this.plan.escalations.find((e) => e.id === escalationId);
    if (!escalation?.then.set_level_at_least) return;
    this.addFloor(escalation.then.set_level_at_least, escalation.id, at);
    this.note(at, 'system', 'escalation', `${escalation.id}: level at least ${escalation.then.set_level_at_least}`, { escalation: escalation.id, level: escalation.then.set_level_at_least });
  }

  /** Cadence duties come back: the next instance is due one period after this one. */
  private repeat(rule: Obligation, o: ObligationsTable): void {
    if (!recurringEvery(rule) || this.state !== 'responding') return;
    this.instantiate(rule, o.trigger_at, o.sequence + 1);
  }

  // ---- grading ----------------------------------------------------------------------------------

  /** Re-grades; records a level change (with the rule that decided it) and fires level triggers. */
  regrade(now: number, actor: Actor = 'system'): Grade {
    const g = grade(this.plan, this.facts(), now);
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
        this.trigger(`level.reached:${level}`, at);
        this.escalationNotices(level, g, at);
        for (const role of this.plan.levels.find((l) => l.id === level)?.notify ?? []) this.pages.push({ incidentId: this.row.id, role, reason: `level.reached:${level}`, at });
      }
    }
    this.row.next_grade_at = g.next?.at ?? null;
    this.row.next_grade_level = g.next?.level ?? null;
    this.row.next_grade_rule = g.next?.rule ?? null;
    if (g.next) this.dueTimes.push(g.next.at);
    return g;
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
        this.pages.push({ incidentId: this.row.id, role, reason: `escalation:${e.id}`, at });
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
      await trx
        .insertInto('timeline')
        .values(entries.slice(i, i + TIMELINE_ROWS_PER_STATEMENT))
        .execute();
    }
  }
  private saved = false;
}
