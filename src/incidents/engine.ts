import { sql } from 'kysely';
import type { Clock } from '../shared/clock.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../shared/errors.js';
import { Mutex } from '../shared/mutex.js';
import { newId } from '../shared/ids.js';
import type { EventBus } from '../events/bus.js';
import { levelRank, LEVEL_IDS, SCOPES, TALLY_CATEGORIES, type LevelId, type Plan, type Scope, type SystemState } from '../plan/types.js';
import { appendChained, type Db, type AlertsTable, type IncidentsTable, type ObligationsTable, type SignalsTable, type TimelineTable, type Trx } from '../storage/index.js';
import { applyThresholds } from '../signals/normalise.js';
import { drillRunOfLabels } from '../signals/drill.js';
import { COLOUR_RANK, type Colour } from '../shared/colour.js';
import { type FiringTally, SignalRound } from './signal-round.js';
import { admitJournal, CHANGES_PER_ROUND, clampCursor, nothingAdmitted, readCursor, type JournalReader } from './admission.js';
import { Lane } from './lane.js';
import { breachDueDuties, completeDuty, ensureDuties } from '../obligations/duties.js';
import { IncidentWork } from './work.js';
import { ComponentBook } from './component-book.js';
import { breachIsRecordOnly, breachRecords, type PageRequest } from '../obligations/breach.js';
import { INCIDENT_STATES, type Actor, type ImpactChange, type IncidentAction } from './types.js';
import { nextTurn } from '../shared/turn.js';
import { actionKind, type AnyTimelineKind } from '../shared/timeline-kinds.js';

const SIGNAL_BATCH = 250;
/** Within a round, the event loop gets a turn after this many signals, so that a round never holds up requests for long. */
const SIGNALS_BETWEEN_YIELDS = 25;
const BULK_CHUNK = 400;
/** Incidents whose components the engine keeps between units of work (open ones; a storm makes one or two). */
const MAX_BOOKS = 200;
const OPEN_STATES = INCIDENT_STATES.filter((s) => s !== 'closed');
/** A title from a monitoring summary is cut here (with an ellipsis); a person's title is limited by the API (300). */
export const TITLE_MAX = 200;
const shortTitle = (text: string) => {
  const chars = [...text];
  return chars.length > TITLE_MAX ? `${chars.slice(0, TITLE_MAX - 1).join('')}…` : text;
};

/** The drill an incident belongs to (src/drills): its run and time factor. */
interface DrillMark {
  runId: string;
  timeFactor: number;
}

/** One thing that keeps an incident from closing: its id (a manual-mode session), English for logs, the open check ids and the ids/counts a client words it from. */
export interface CloseBlock {
  id: string;
  message: string;
  checks: string[];
  params: Record<string, string | number | string[]>;
}

export interface EngineHooks {
  /** Called inside the transaction that caused the page, so an outbox row commits with it. */
  onPages?: (trx: Trx, pages: PageRequest[]) => Promise<void>;
  /**
   * Intake's noise control: return an outcome (e.g. `maintenance`, `acknowledged`) to record the signal
   * without letting it open or change an incident; null to process it normally. Called before the signal's
   * system is known to be mapped (an acknowledgement names its alert, not always its system).
   */
  suppress?: (trx: Trx, signal: SignalsTable, known: { alertExists: boolean }) => Promise<string | null>;
  /**
   * Waits between two processing rounds, given how long the last one took (default: just long enough for
   * waiting requests to be served). The platform uses it to keep intake ahead of processing in a storm.
   */
  pace?: (roundMs: number) => Promise<void>;
  /**
   * An incident was closed or recovered: a monitoring tool's next re-send of an alert that still fires must be
   * processed again (it may re-open the incident, or contradict a person's "restored"), so intake forgets which
   * states it already stored.
   */
  onClosed?: () => void;
  /**
   * Flap control: an alert of a closed incident fires again. Records the re-opening and says whether the alert
   * is flapping (re-opened too often within the window): then its incident is re-opened, marked flapping,
   * instead of a new one, and pages at most once per window (a red alarm on a core or key system always pages).
   */
  flapping?: (trx: Trx, signal: SignalsTable) => Promise<{ flapping: boolean; windowMs: number }>;
  /** New due instants to wake for (the scheduler). */
  onDue?: (at: number) => void;
  /**
   * Cluster mode (src/storage/cluster.ts `lockEngine`): called first in every engine transaction, serialises it
   * with the other nodes' engines; true when another node committed since, so what this engine keeps in memory is dropped.
   */
  lock?: (trx: Trx) => Promise<boolean>;
  /**
   * What still keeps the incident from closing (downtime back-entry, reconciliation…), one block each; read inside
   * the close action's transaction (which it may also write in: `actor` closes). While the list is not empty,
   * `close` is refused (409 INCIDENT_CLOSE_BLOCKED, params: `blocking` ids, `checks`, and each block's own params).
   */
  canClose?: (trx: Trx, incidentId: string, actor: Actor) => Promise<CloseBlock[]>;
  /**
   * A person of the directory answers (acknowledge, check_in) in the app: `roleFor` names the plan role the answer
   * counts for (the role they were paged for, else one they hold now; null keeps the given one), and `answered`
   * runs once the action is committed (paging answers that person's open pages).
   */
  responder?: {
    roleFor(incidentId: string, personId: string, given: string | undefined, at: number): Promise<string | null>;
    answered(answer: { incidentId: string; personId: string; action: string; actor: Actor; role: string; at: number }): Promise<void>;
  };
}

/**
 * The incident engine: turns stored signals, people's actions and the passing of time into incident
 * changes, one transaction each, all serialised through one mutex (one writer per process).
 */
export class IncidentEngine {
  private readonly mutex = new Mutex();
  /** Firing alerts per open incident, kept by processing rounds (src/incidents/signal-round.ts). */
  private readonly tallies = new Map<string, FiringTally>();
  /**
   * Components of incidents between units of work, so that a round does not read all of a storm's
   * components again: lent to one unit of work at a time, and trusted only while the incident row is as this
   * engine last saved it (a unit of work that failed never gives its book back, so it is read afresh).
   */
  private readonly books = new Map<string, { book: ComponentBook; updatedAt: number; lent: boolean }>();
  private processing: Promise<number> | null = null;
  private again = false;
  /** Signals that can open or change an incident go ahead of the journal's order (lane.ts); the round before was one of its. */
  private readonly lane: Lane;
  private laneWent = false;

  constructor(
    private readonly db: Db,
    readonly plan: Plan,
    private readonly clock: Clock,
    private readonly bus: EventBus,
    readonly hooks: EngineHooks = {},
    private readonly relaxed: <T>(work: (trx: Trx) => Promise<T>) => Promise<T> = (work) => db.transaction().execute(work),
    private readonly journal?: JournalReader,
  ) {
    this.lane = new Lane(plan, CHANGES_PER_ROUND);
  }

  // ---- unit of work -------------------------------------------------------------------------------

  /** One engine transaction (`relaxed`: processing rounds, timers), serialised with other nodes' engines (hooks.lock). */
  private transaction<T>(work: (trx: Trx) => Promise<T>, relaxed = false): Promise<T> {
    const locked = async (trx: Trx) => {
      if (this.hooks.lock && (await this.hooks.lock(trx))) {
        // another node changed the engine's state: tallies, component books and the lane's ledger are read afresh
        this.tallies.clear();
        this.books.clear();
        this.lane.abort();
      }
      return work(trx);
    };
    return relaxed ? this.relaxed(locked) : this.db.transaction().execute(locked);
  }

  private async load(trx: Trx, id: string, read?: IncidentsTable): Promise<IncidentWork> {
    const row = read ?? (await trx.selectFrom('incidents').selectAll().where('id', '=', id).executeTakeFirst());
    if (!row) throw new NotFoundError(`incident ${id}`, 'INCIDENT_NOT_FOUND');
    const obligations = await trx.selectFrom('obligations').selectAll().where('incident_id', '=', id).orderBy('id').execute();
    return new IncidentWork(this.plan, row, await this.book(trx, row), obligations);
  }

  private async book(trx: Trx, row: IncidentsTable): Promise<ComponentBook> {
    const kept = this.books.get(row.id);
    if (kept && !kept.lent && kept.updatedAt === Number(row.updated_at)) {
      kept.lent = true;
      return kept.book;
    }
    const book = new ComponentBook(await trx.selectFrom('incident_systems').selectAll().where('incident_id', '=', row.id).execute());
    if (this.books.size >= MAX_BOOKS) this.books.clear();
    this.books.set(row.id, { book, updatedAt: Number.NaN, lent: true });
    return book;
  }

  private async commit(trx: Trx, works: Iterable<IncidentWork>, now: number): Promise<IncidentWork[]> {
    const list = [...works];
    for (const w of list) {
      if (w.pages.length && this.hooks.onPages) await this.hooks.onPages(trx, w.pages);
      await w.save(trx, now);
    }
    return list;
  }

  /** After the commit: each incident's book is given back, as of the row just saved (a closed incident's is let go). */
  private published(works: IncidentWork[], now: number): void {
    for (const w of works) {
      if (w.state === 'closed') this.books.delete(w.id);
      else this.books.set(w.id, { book: w.components, updatedAt: Number(w.row.updated_at), lent: false });
      for (const at of w.dueTimes.splice(0)) this.hooks.onDue?.(at);
      this.bus.publish({ type: w.isNew ? 'incident.opened' : 'incident.updated', incidentId: w.id, at: now });
    }
  }

  /** Runs `change` on one incident in one transaction, then publishes. */
  private async withIncident(id: string, change: (w: IncidentWork, now: number) => void, check?: (trx: Trx, w: IncidentWork) => Promise<void>): Promise<string> {
    return this.mutex.run(async () => {
      const now = this.clock.now();
      const works = await this.transaction(async (trx) => {
        const w = await this.load(trx, id);
        await check?.(trx, w);
        change(w, now);
        w.regrade(now);
        return this.commit(trx, [w], now);
      });
      this.published(works, now);
      return id;
    });
  }

  // ---- signals --------------------------------------------------------------------------------

  /** A round that fails is rolled back: the tallies it changed in memory are dropped with it, the lane's ledger is read again. */
  private async inRound<T>(round: () => Promise<T>): Promise<T> {
    try {
      return await round();
    } catch (err) {
      this.tallies.clear();
      this.lane.abort();
      throw err;
    }
  }

  /** Alerts were changed outside signal processing (a person mapped a signal): count them afresh. */
  alertsChanged(): void {
    this.tallies.clear();
  }

  /** At start: a journal that ends before the cursor (replaced, restored) is read again from its end. */
  async clampJournalCursor(lastSeq: number): Promise<number | null> {
    return this.mutex.run(async () => {
      const moved = await this.transaction((trx) => clampCursor(trx, lastSeq));
      if (moved !== null) this.lane.abort(); // its ledger was emptied
      return moved;
    });
  }

  /**
   * Admits the intake journal and processes the signals it holds, in arrival order but for the few that can
   * open or change an incident, which go first (lane.ts); coalesces concurrent calls. Returns how many
   * signals it handled (absorbed re-sends included).
   */
  processPending(): Promise<number> {
    if (this.processing) {
      this.again = true;
      return this.processing;
    }
    this.processing = (async () => {
      let total = 0;
      try {
        do {
          this.again = false;
          for (;;) {
            const started = performance.now();
            const { handled, more } = await this.mutex.run(() => this.processBatch());
            total += handled;
            if (!more) break;
            await (this.hooks.pace ? this.hooks.pace(performance.now() - started) : nextTurn()); // requests go in between rounds
          }
        } while (this.again);
      } finally {
        this.processing = null;
      }
      return total;
    })();
    return this.processing;
  }

  /**
   * One round: signals waiting in `signals` first (a person's mapping, a large admission), else urgent
   * signals ahead of the cursor (every other round at most), else the journal's next rows.
   */
  private async processBatch(): Promise<{ handled: number; more: boolean }> {
    const now = this.clock.now();
    const pending = (trx: Trx) => trx.selectFrom('signals').selectAll().where('processed', '=', 0).orderBy('id').limit(SIGNAL_BATCH).execute();
    const { handled, more, works, settled, laned } = await this.inRound(() =>
      this.transaction(async (trx) => {
        let signals = await pending(trx);
        let admitted = nothingAdmitted();
        let laned = false;
        if (signals.length === 0 && this.journal) {
          const urgent = this.laneWent ? null : await this.lane.admit(trx, this.journal, await readCursor(trx));
          laned = urgent !== null;
          admitted = urgent ?? (await admitJournal(trx, this.journal, this.lane));
          signals = admitted.changes;
        }
        const open = new Map<string, IncidentWork>();
        const round = new SignalRound(trx, this.tallies, admitted.changes);
        await round.prefetch(signals);
        for (const [i, s] of signals.entries()) {
          if (i > 0 && i % SIGNALS_BETWEEN_YIELDS === 0) await nextTurn(); // requests go in between
          if (admitted.superseded.has(s.id))
            round.mark(s.id, 'superseded', null); // a later signal of its alert went first
          else await this.applySignal(trx, s, open, now, round);
        }
        await round.flush();
        for (const w of open.values()) w.regrade(now);
        if (this.tallies.size > 1_000) this.tallies.clear(); // closed incidents' tallies go with the rest
        const settled = [...admitted.absorbed, ...round.settled].map((id) => admitted.entries.get(id)).filter((e) => e !== undefined);
        return { handled: admitted.absorbed.size + signals.length, more: admitted.more || signals.length === SIGNAL_BATCH, works: await this.commit(trx, open.values(), now), settled, laned };
      }, true),
    );
    this.lane.commit(this.journal?.pending);
    this.laneWent = laned;
    if (settled.length) this.journal?.settled(settled);
    if (handled) this.bus.publish({ type: 'signal.processed', at: now });
    this.published(works, now);
    return { handled, more };
  }

  private async applySignal(trx: Trx, s: SignalsTable, open: Map<string, IncidentWork>, now: number, round: SignalRound): Promise<void> {
    const alert = await round.alert(s);
    const system = s.system && this.plan.systems.some((p) => p.id === s.system) ? s.system : (alert?.system ?? null);
    const severity = applyThresholds(this.plan, {
      source: s.source,
      severity: s.severity as Colour,
      status: s.status as 'firing',
      summary: s.summary,
      metric: s.metric_name !== null && s.metric_value !== null ? { name: s.metric_name, value: s.metric_value } : undefined,
    });
    const at = Math.min(s.at, now);

    // noise control first: an acknowledgement names its alert, not always its system
    const suppressed = this.hooks.suppress ? await this.hooks.suppress(trx, { ...s, system }, { alertExists: alert !== undefined }) : null;
    if (suppressed) return round.mark(s.id, suppressed, alert?.incident_id ?? null);
    if (!system) return round.mark(s.id, 'unmapped', null);
    const drillRunId = drillRunOfLabels(s.labels);
    const drill = drillRunId ? await this.drillRun(trx, drillRunId) : null;
    if (drillRunId && !drill) return round.mark(s.id, 'drill_ended', null); // a drill's signal after its end changes nothing
    const firing = s.status === 'firing' && severity !== 'blue';
    const opens = firing && COLOUR_RANK[severity] >= COLOUR_RANK[this.plan.monitoring.open_incident_from ?? 'orange'];
    const wasFiring = alert?.status === 'firing';
    let work = alert?.incident_id ? await this.openWork(trx, alert.incident_id, open, round) : undefined;
    if (!work && opens && alert?.incident_id) work = await this.reopenIfFlapping(trx, alert.incident_id, system, severity, s, open, at);
    if (!work && opens) work = await this.incidentForSystem(trx, system, open, s, at, round, drill);
    if (!work) {
      if (alert) await round.save({ ...alert, status: s.status, last_at: at }, false);
      return round.mark(s.id, firing ? 'opened' : 'recorded', null);
    }

    // a person said "restored" while this alarm was firing; the monitoring still says otherwise
    const contradicts = firing && work.state === 'recovering' && work.claim !== null && at >= work.claim.at;
    if (contradicts) work.contradictClaim(at, `source:${s.source}`, { signal: s.id, source: s.source, system, component: s.component, severity, summary: s.summary });
    const outcome = !alert || contradicts ? (work.isNew && work.components.size === 0 ? 'opened' : 'attached') : wasFiring === firing && alert.severity === severity ? 'refreshed' : 'attached';
    const tally = await round.tally(work.id);
    if (alert?.incident_id === work.id && wasFiring) tally.add(alert, -1);
    const row: AlertsTable = alert
      ? { ...alert, status: firing ? 'firing' : 'resolved', severity, summary: s.summary || alert.summary, last_at: at, incident_id: work.id, system }
      : {
          id: newId('alr_'),
          source: s.source,
          dedup_key: s.dedup_key,
          system,
          component: s.component,
          severity,
          status: firing ? 'firing' : 'resolved',
          summary: s.summary,
          first_at: at,
          last_at: at,
          incident_id: work.id,
        };
    await round.save(row, !alert);
    if (firing) tally.add(row);
    if (outcome !== 'refreshed') {
      work.note(at, `source:${s.source}`, firing ? 'signal.firing' : 'signal.resolved', `${s.source}: ${s.summary || system}`, {
        signal: s.id,
        source: s.source,
        severity,
        system,
        component: s.component,
        summary: s.summary,
      });
      this.settleComponent(work, tally, system, s.component, at, `source:${s.source}`);
    }
    round.mark(s.id, outcome, work.id);
  }

  /** The round's unit of work on an open incident; undefined for a closed one (not loaded: a storm's closed incident is large). */
  private async openWork(trx: Trx, id: string, open: Map<string, IncidentWork>, round: SignalRound): Promise<IncidentWork | undefined> {
    let w = open.get(id);
    if (w) return w.state === 'closed' ? undefined : w;
    if (round.closedIncidents.has(id)) return undefined;
    const row = await trx.selectFrom('incidents').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row || row.state === 'closed') {
      round.closedIncidents.add(id);
      return undefined;
    }
    w = await this.load(trx, id, row);
    open.set(id, w);
    return w;
  }

  private async incidentForSystem(trx: Trx, system: string, open: Map<string, IncidentWork>, s: SignalsTable, at: number, round: SignalRound, drill: DrillMark | null): Promise<IncidentWork> {
    // a drill's signal joins only its own run's incidents, a real one only real incidents
    for (const w of open.values()) if (w.state !== 'closed' && w.drillRunId === (drill?.runId ?? null) && w.components.hasSystem(system)) return w;
    const existing = await this.openIncidentOf(trx, [system], drill?.runId ?? null);
    const found = existing && (await this.openWork(trx, existing, open, round));
    if (found) return found;
    // the sender (or the source's mapping, as label `scope`) may say the outage is local; else the plan's default, assumed
    const labelled = (JSON.parse(s.labels) as { scope?: string }).scope;
    const stated = labelled && (SCOPES as readonly string[]).includes(labelled) ? (labelled as Scope) : undefined;
    const scope = stated ?? this.plan.monitoring.alert_scope_default ?? 'hospital_wide';
    // the sender's own words; the web app shows the system's name beside it in the reader's language
    const title = s.summary || system;
    const w = IncidentWork.create(this.plan, { title: shortTitle(title), at, scope, scopeAssumed: stated === undefined, drill });
    // a summary too long for a title stays whole on the timeline (and in the signal)
    w.note(at, `source:${s.source}`, 'incident.opened', `opened by ${s.source} signal`, { signal: s.id, ...(shortTitle(title) !== title ? { summary: title } : {}) });
    if (drill) w.note(at, 'system', 'drill.started', `drill ${drill.runId} (time factor ${drill.timeFactor})`, { runId: drill.runId, timeFactor: drill.timeFactor });
    w.page({ incidentId: w.id, role: 'tech_oncall', reason: 'incident.opened', at });
    w.trigger('incident.opened', at);
    open.set(w.id, w);
    return w;
  }

  /**
   * A component's state is the worst colour among its firing alerts; none firing → up. The last alert resolving
   * recovers the incident (or confirms a person's "restored"); an alert firing after recovery is a relapse.
   */
  private settleComponent(w: IncidentWork, tally: FiringTally, system: string, component: string, at: number, actor: Actor): void {
    w.setComponentState(system, component, tally.state(system, component), at, actor);
    if (tally.total === 0 && w.state === 'recovering') w.confirmClaim(at, actor);
    if (tally.total === 0 && w.state === 'responding') {
      w.setState('recovering', at, actor);
      this.hooks.onClosed?.();
    } else if (tally.total > 0 && w.state === 'recovering' && w.claim === null) w.setState('responding', at, actor, undefined, 'alert_firing_again'); // a claim stands until an alarm fires after it
  }

  /**
   * An alert of a closed incident fires again and no incident of its system is open. Unless it is flapping,
   * this opens a new incident as usual; a flapping alert re-opens its own incident instead, marked flapping,
   * which pages at least once per flap window (a red alarm on a core or key system every time).
   */
  private async reopenIfFlapping(trx: Trx, closedId: string, system: string, severity: Colour, s: SignalsTable, open: Map<string, IncidentWork>, at: number): Promise<IncidentWork | undefined> {
    if (!this.hooks.flapping) return undefined;
    const drillRunId = drillRunOfLabels(s.labels);
    for (const w of open.values()) if (w.state !== 'closed' && w.drillRunId === drillRunId && w.components.hasSystem(system)) return undefined;
    if (await this.openIncidentOf(trx, [system], drillRunId)) return undefined; // it joins the open incident of its system
    const { flapping, windowMs } = await this.hooks.flapping(trx, s);
    if (!flapping) return undefined;
    const w = open.get(closedId) ?? (await this.load(trx, closedId));
    const category = this.plan.systems.find((p) => p.id === system)?.category;
    const page = w.markFlapping(at, windowMs, severity === 'red' && (category === 'core' || category === 'key'));
    w.setState('responding', at, `source:${s.source}`, undefined, 'flapping', { page });
    open.set(w.id, w);
    return w;
  }

  // ---- people ----------------------------------------------------------------------------------

  /**
   * A staff report. A report on a system that already has an open incident is that incident's news (a
   * recovering one relapses); otherwise it opens an incident, with the scope the person states (else the
   * plan's default, assumed).
   */
  async openIncident(
    input: {
      title: string;
      systems?: { system: string; component?: string; state?: SystemState }[];
      scope?: Scope;
      scenario?: string;
      impact?: ImpactChange;
      /** A drill's `open` step (src/drills): the incident is the run's, marked and kept apart from real ones. */
      drillRunId?: string;
    },
    actor: Actor,
  ): Promise<string> {
    for (const s of input.systems ?? []) this.requireSystem(s.system, 'systems');
    return this.mutex.run(async () => {
      const now = this.clock.now();
      const works = await this.transaction(async (trx) => {
        const drill = input.drillRunId ? await this.drillRun(trx, input.drillRunId) : null;
        if (input.drillRunId && !drill) throw new ConflictError(`drill run ${input.drillRunId} is not running`, 'DRILL_RUN_NOT_RUNNING').with({ runId: input.drillRunId });
        const joined = await this.openIncidentOf(
          trx,
          (input.systems ?? []).map((s) => s.system),
          drill?.runId ?? null,
        );
        if (joined) {
          const w = await this.load(trx, joined);
          w.note(now, actor, 'incident.reported', `reported again by ${actor}: ${input.title}`, { title: input.title });
          for (const s of input.systems ?? []) w.setComponentState(s.system, s.component ?? '', s.state ?? 'down', now, actor);
          if (input.scope) w.setScope(input.scope, now, actor);
          if (input.impact) this.applyImpact(w, input.impact, now, actor);
          this.relapseIfDown(w, now, actor);
          w.regrade(now, actor);
          return this.commit(trx, [w], now);
        }
        const w = IncidentWork.create(this.plan, {
          title: input.title,
          at: now,
          scope: input.scope ?? this.plan.monitoring.alert_scope_default ?? 'hospital_wide',
          scopeAssumed: input.scope === undefined,
          scenario: input.scenario,
          drill,
        });
        w.note(now, actor, 'incident.opened', `opened by ${actor}`, {});
        if (drill) w.note(now, 'system', 'drill.started', `drill ${drill.runId} (time factor ${drill.timeFactor})`, { runId: drill.runId, timeFactor: drill.timeFactor });
        for (const s of input.systems ?? []) w.setComponentState(s.system, s.component ?? '', s.state ?? 'down', now, actor);
        if (input.impact) this.applyImpact(w, input.impact, now, actor);
        w.page({ incidentId: w.id, role: 'tech_oncall', reason: 'incident.opened', at: now });
        w.trigger('incident.opened', now);
        w.regrade(now, actor);
        return this.commit(trx, [w], now);
      });
      this.published(works, now);
      return works[0].id;
    });
  }

  async recordImpact(id: string, impact: ImpactChange, actor: Actor): Promise<string> {
    for (const s of impact.systems ?? []) this.requireSystem(s.system, 'systems');
    return this.withIncident(id, (w, now) => {
      this.applyImpact(w, impact, now, actor);
      this.relapseIfDown(w, now, actor);
    });
  }

  /**
   * The open incident (responding or recovering) of one of these systems, if any. Open incidents are few; a storm's
   * incident holds a row per component of the system, so this looks one up by key.
   */
  private async openIncidentOf(trx: Trx, systems: string[], drillRunId: string | null): Promise<string | undefined> {
    if (systems.length === 0) return undefined;
    const row = await trx
      .selectFrom('incidents')
      .select('incidents.id')
      .where('incidents.state', 'in', OPEN_STATES)
      .where('incidents.drill_run_id', drillRunId === null ? 'is' : '=', drillRunId)
      .where((eb) =>
        eb.exists(
          eb.selectFrom('incident_systems').select('incident_systems.incident_id').whereRef('incident_systems.incident_id', '=', 'incidents.id').where('incident_systems.system', 'in', systems),
        ),
      )
      .orderBy('incidents.opened_at', 'desc')
      .executeTakeFirst();
    return row?.id;
  }

  /** A drill run that may still inject (running or paused), with its time factor; null once ended or unknown. */
  private async drillRun(trx: Trx, runId: string): Promise<DrillMark | null> {
    const run = await trx.selectFrom('drill_runs').select(['id', 'time_factor', 'state']).where('id', '=', runId).executeTakeFirst();
    return run && run.state !== 'ended' ? { runId: run.id, timeFactor: Number(run.time_factor) } : null;
  }

  /** The open incidents of a drill run (src/drills). */
  async drillIncidents(runId: string, options: { open?: boolean } = {}): Promise<string[]> {
    let q = this.db.selectFrom('incidents').select('id').where('drill_run_id', '=', runId);
    if (options.open) q = q.where('state', '!=', 'closed');
    return (await q.orderBy('opened_at').execute()).map((r) => r.id);
  }

  /** Notes a drill's pause or resumption on each of its open incidents' timelines. */
  async noteDrill(runId: string, kind: 'drill.paused' | 'drill.resumed', actor: Actor, data: Record<string, unknown>): Promise<void> {
    for (const id of await this.drillIncidents(runId, { open: true })) {
      await this.withIncident(id, (w, now) => w.note(now, actor, kind, `${kind.replace('.', ' ')} (${runId})`, { runId, ...data }));
    }
  }

  /**
   * A drill ends: each of its open incidents is closed whatever the close gate says (nothing real waits on a drill),
   * its pending obligations are settled as ended with the drill, and nobody is paged any further.
   */
  async endDrill(runId: string, actor: Actor): Promise<string[]> {
    const ids = await this.drillIncidents(runId, { open: true });
    for (const id of ids) {
      await this.mutex.run(async () => {
        const now = this.clock.now();
        const works = await this.transaction(async (trx) => {
          const w = await this.load(trx, id);
          if (w.state === 'closed' || w.drillRunId !== runId) return [];
          w.note(now, actor, 'drill.ended', `drill ${runId} ended`, { runId });
          w.setState('closed', now, actor, 'drill ended');
          w.endAllPending(now, actor, 'drill ended');
          w.pages.splice(0); // a drill that ended pages nobody
          w.regrade(now);
          w.pages.splice(0);
          w.dueTimes.splice(0);
          return this.commit(trx, [w], now);
        });
        this.published(works, now);
      });
    }
    if (ids.length) this.hooks.onClosed?.();
    return ids;
  }

  /** A person reports a system of a recovering incident down again: a relapse. */
  private relapseIfDown(w: IncidentWork, now: number, actor: Actor): void {
    if (w.state === 'recovering' && w.systemStates().some((s) => s.state !== 'up')) w.setState('responding', now, actor, undefined, 'staff_report');
  }

  private applyImpact(w: IncidentWork, impact: ImpactChange, now: number, actor: Actor): void {
    if (w.state === 'closed') throw new ConflictError('incident is closed', 'INCIDENT_CLOSED');
    const since = impact.since ?? now;
    if (since > now) throw new ValidationError('a fact cannot begin in the future', [{ path: 'since', message: 'must not be later than now' }]);
    if (impact.scope) w.setScope(impact.scope, now, actor, undefined, since);
    if (impact.scenario !== undefined) w.setScenario(impact.scenario, now, actor, since);
    const flags = Array.isArray(impact.flags) ? Object.fromEntries(impact.flags.map((f) => [f, true])) : (impact.flags ?? {});
    for (const [flag, on] of Object.entries(flags)) w.setFlag(flag, on, now, actor, since);
    for (const [category, count] of Object.entries(impact.tally ?? {})) {
      if (!(TALLY_CATEGORIES as readonly string[]).includes(category))
        throw new ValidationError('unknown patient category', [{ path: `tally.${category}`, message: `must be one of ${TALLY_CATEGORIES.join(', ')}` }]);
      if (count != null && !(Number.isInteger(count) && count >= 0))
        throw new ValidationError('a patient tally is a whole number of 0 or more', [{ path: `tally.${category}`, message: 'must be a non-negative integer' }], 'TALLY_INVALID').with({
          field: category,
        });
      w.setTally(category, count ?? 0, now, actor);
    }
    for (const s of impact.systems ?? []) w.setComponentState(s.system, s.component ?? '', s.state, now, actor, since);
    if (impact.nationalGrade !== undefined) {
      const grades = this.plan.national_grading?.grades.map((g) => g.id) ?? [];
      if (impact.nationalGrade !== null && !grades.includes(impact.nationalGrade))
        throw new ValidationError('unknown national grade', [{ path: 'nationalGrade', message: grades.length ? `must be one of ${grades.join(', ')}` : 'the plan has no national_grading' }]);
      w.setNationalGrade(impact.nationalGrade, now, actor); // the regulator reports it starts begin at the end of the unit of work
    }
  }

  /**
   * Meets exactly one obligation of the plan on an incident (a regulator report's recorded submission), never the
   * others that share its evidence; works on a closed incident too (a summary is due after close). `write` runs first
   * in the same transaction (the submission's own row), and `entry` is noted with it on the timeline.
   */
  async meetObligation(
    id: string,
    ruleId: string,
    actor: Actor,
    options: { doneAt: number; entry: { kind: AnyTimelineKind; message: string; data: Record<string, unknown> }; write?: (trx: Trx, obligationId: string) => Promise<void> },
  ): Promise<string> {
    let obligationId = '';
    await this.withIncident(
      id,
      (w, now) => {
        w.note(now, actor, options.entry.kind, options.entry.message, options.entry.data);
        w.meetObligation(ruleId, options.doneAt, now, actor);
      },
      async (trx, w) => {
        const open = [...w.obligations].reverse().find((o) => o.rule_id === ruleId && (o.state === 'pending' || (o.state === 'breached' && o.met_at === null)));
        const any = open ?? [...w.obligations].reverse().find((o) => o.rule_id === ruleId);
        if (!any) throw new NotFoundError(`obligation ${ruleId} on incident ${id}`, 'OBLIGATION_NOT_FOUND');
        obligationId = any.id;
        await options.write?.(trx, any.id);
      },
    );
    return obligationId;
  }

  /** `personId`: the person of the directory acting (a linked account); their acknowledge or check_in answers their pages. */
  async act(id: string, action: IncidentAction, actor: Actor, actorRole?: string, personId?: string | null): Promise<string> {
    const responder = action.type === 'acknowledge' || action.type === 'check_in' ? this.hooks.responder : undefined;
    if (!responder || !personId) return this.actOnce(id, action, actor, actorRole);
    const role = (await responder.roleFor(id, personId, actorRole, this.clock.now())) ?? actorRole;
    await this.actOnce(id, action, actor, role);
    await responder.answered({ incidentId: id, personId, action: action.type, actor, role: role ?? actor, at: this.clock.now() });
    return id;
  }

  private async actOnce(id: string, action: IncidentAction, actor: Actor, actorRole?: string): Promise<string> {
    const gate = action.type === 'close' ? this.hooks.canClose : undefined;
    let alarmsFiring = false;
    return this.withIncident(
      id,
      (w, now) => this.applyAction(w, action, now, actor, actorRole, alarmsFiring),
      async (trx, w) => {
        if (action.type === 'restore') {
          const firing = await trx.selectFrom('alerts').select('id').where('incident_id', '=', w.id).where('status', '=', 'firing').limit(1).executeTakeFirst();
          alarmsFiring = firing !== undefined;
        }
        if (gate) {
          const open = w.state === 'closed' ? [] : await gate(trx, w.id, actor);
          if (open.length)
            throw new ConflictError(
              `the incident cannot close yet, still open: ${open.map((b) => b.message).join('; ')}`,
              'INCIDENT_CLOSE_BLOCKED',
              open.map((b) => ({ path: 'close', message: b.message })),
            ).with(Object.assign({ blocking: open.map((b) => b.id), checks: [...new Set(open.flatMap((b) => b.checks))] }, ...open.map((b) => b.params)));
        }
      },
    );
  }

  private applyAction(w: IncidentWork, action: IncidentAction, now: number, actor: Actor, actorRole?: string, alarmsFiring = false): void {
    const role = actorRole ?? actor;
    // a closed incident keeps its open duties (back-entry, re-sending data, the report): they can still be met or waived
    const stillOpenDuty = action.type === 'waive' || w.pendingEvidence().includes(action.type);
    if (w.state === 'closed' && !stillOpenDuty) throw new ConflictError('incident is closed', 'INCIDENT_CLOSED');
    if (action.type === 'set_level') {
      const { level, reason } = action as { level: LevelId; reason: string };
      if (!(LEVEL_IDS as readonly string[]).includes(level)) throw new ValidationError('unknown level', [{ path: 'level', message: `must be one of ${LEVEL_IDS.join(', ')}` }]);
      if (!reason?.trim()) throw new ValidationError('a level change needs a reason', [{ path: 'reason', message: 'required' }]);
      const lowering = levelRank(level) > levelRank(w.row.level as LevelId);
      const allowed = this.plan.grading_policy.downgrade.by_roles;
      if (lowering && !allowed.includes(role)) throw new ForbiddenError(`only ${allowed.join(', ')} may lower the level`, 'LEVEL_DOWNGRADE_FORBIDDEN');
      w.setManual(level, now, actor, reason);
      return;
    }
    if (action.type === 'waive') {
      const { obligation, reason } = action as { obligation: string; reason: string };
      if (!reason?.trim()) throw new ValidationError('a waiver needs a reason', [{ path: 'reason', message: 'required' }]);
      if (!obligation) throw new ValidationError('which obligation?', [{ path: 'obligation', message: 'required' }]);
      if (!w.waive(obligation, now, actor, reason)) throw new NotFoundError(`pending obligation ${obligation}`, 'OBLIGATION_NOT_FOUND');
      return;
    }
    if (action.type === 'close') {
      const reason = (action as { reason?: string }).reason;
      if (w.state === 'responding' && !reason?.trim())
        throw new ValidationError('closing an incident that is still responding needs a reason (false alarm?)', [{ path: 'reason', message: 'required while responding' }]);
      w.setState('closed', now, actor, reason);
      this.hooks.onClosed?.();
      return;
    }
    const users = this.plan.obligations.filter((o) => o.evidence === action.type);
    if (users.length > 0 && users.every((o) => o.report)) {
      // a regulator report is met by recording that very report's submission, never by the bare evidence action
      throw new ValidationError(
        `${action.type} is recorded per report: POST /api/v1/incidents/:id/regulator-reports/:ruleId/submissions`,
        [{ path: 'type', message: 'record the submission of one regulator report instead' }],
        'REGULATOR_REPORT_VIA_SUBMISSION',
      );
    }
    if (!this.plan.evidence.some((e) => e.id === action.type)) {
      throw new ValidationError(`unknown action ${action.type}`, [{ path: 'type', message: `must be set_level, waive, close or one of ${this.plan.evidence.map((e) => e.id).join(', ')}` }]);
    }
    w.note(now, actor, actionKind(action.type), `${action.type} by ${actor}`, { action: action.type, note: (action as { note?: string }).note ?? null });
    for (const anchor of this.plan.anchors) if (anchor.set_by === action.type) w.recordAnchor(anchor.id, now);
    // a person's "restored" while alarms still fire is a claim the monitoring may yet contradict
    if (action.type === 'restore' && w.state === 'responding') {
      w.claimRecovery(now, actor, alarmsFiring);
      this.hooks.onClosed?.();
    }
    w.meetEvidence(action.type, now, actor, role);
  }

  private requireSystem(system: string, path: string): void {
    if (!this.plan.systems.some((s) => s.id === system)) throw new ValidationError(`unknown system ${system}`, [{ path, message: `${system} is not a system of the plan` }]);
  }

  // ---- time ------------------------------------------------------------------------------------

  /**
   * Breaches every obligation due by now and re-grades every incident whose grade is due to change.
   * Breaches that only record and page are settled in bulk; those that change the level (E3to2) or
   * repeat go through the incident's full unit of work.
   */
  async fireDue(now = this.clock.now()): Promise<number> {
    return this.mutex.run(async () => {
      const { works, touched } = await this.transaction(async (trx) => {
        const due = await trx.selectFrom('obligations').selectAll().where('state', '=', 'pending').where('due_at', '<', now).where('incident_id', 'is not', null).execute();
        const regrade = await trx.selectFrom('incidents').select('id').where('state', '!=', 'closed').where('next_grade_at', '<=', now).execute();
        const full = new Set(regrade.map((r) => r.id));
        const ruleOf = (ruleId: string) => this.plan.obligations.find((o) => o.id === ruleId);
        for (const o of due) if (!breachIsRecordOnly(this.plan, ruleOf(o.rule_id))) full.add(o.incident_id!);
        const bulk = due.filter((o) => !full.has(o.incident_id!));
        await this.breachInBulk(trx, bulk, now);
        const duties = await breachDueDuties(trx, this.plan, now);
        if (duties.pages.length && this.hooks.onPages) await this.hooks.onPages(trx, duties.pages);
        for (const at of duties.due) this.hooks.onDue?.(at);
        const list: IncidentWork[] = [];
        for (const id of full) {
          const w = await this.load(trx, id);
          w.breachDue(now);
          w.regrade(now);
          list.push(w);
        }
        return { works: await this.commit(trx, list, now), touched: new Set(bulk.map((o) => o.incident_id!)) };
      }, true);
      this.published(works, now);
      for (const incidentId of touched) this.bus.publish({ type: 'incident.updated', incidentId, at: now });
      return works.length + touched.size;
    });
  }

  private async breachInBulk(trx: Trx, rows: ObligationsTable[], now: number): Promise<void> {
    if (rows.length === 0) return;
    const timeline: TimelineTable[] = [];
    const pages: PageRequest[] = [];
    for (const o of rows) {
      const records = breachRecords(
        this.plan.obligations.find((p) => p.id === o.rule_id),
        o,
        now,
      );
      timeline.push(...records.timeline);
      pages.push(...records.pages);
    }
    for (let i = 0; i < rows.length; i += BULK_CHUNK) {
      const ids = rows.slice(i, i + BULK_CHUNK).map((o) => o.id);
      await trx
        .updateTable('obligations')
        .set((eb) => ({ state: 'breached', breached_at: eb.ref('due_at'), fired_at: now, late_ms: sql<number>`${now} - due_at` }))
        .where('id', 'in', ids)
        .execute(); // selected as pending in this same serialised transaction
    }
    for (let i = 0; i < timeline.length; i += BULK_CHUNK) await appendChained(trx, 'timeline', timeline.slice(i, i + BULK_CHUNK));
    if (pages.length && this.hooks.onPages) await this.hooks.onPages(trx, pages);
  }

  /** Creates the pending instance of every standing duty of the plan (OM.1 …) that has none. */
  async ensureDuties(): Promise<void> {
    const due = await this.mutex.run(() => this.transaction((trx) => ensureDuties(trx, this.plan, this.clock.now())));
    for (const at of due) this.hooks.onDue?.(at + 1);
  }

  async completeDuty(ruleId: string, actor: Actor, note?: string): Promise<void> {
    const now = this.clock.now();
    const next = await this.mutex.run(() => this.transaction((trx) => completeDuty(trx, this.plan, ruleId, actor, note, now)));
    this.hooks.onDue?.(next);
    this.bus.publish({ type: 'duty.done', at: now });
  }

  /** Every instant something is due, for the scheduler to wake for after a start. */
  async dueInstants(): Promise<number[]> {
    const obligations = await this.db.selectFrom('obligations').select('due_at').where('state', '=', 'pending').where('due_at', 'is not', null).execute();
    const grades = await this.db.selectFrom('incidents').select('next_grade_at').where('state', '!=', 'closed').where('next_grade_at', 'is not', null).execute();
    // an obligation is late from the millisecond after its deadline
    return [...obligations.map((o) => o.due_at! + 1), ...grades.map((g) => g.next_grade_at!)];
  }
}
