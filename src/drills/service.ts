import type { EventBus } from '../events/bus.js';
import type { IncidentEngine } from '../incidents/engine.js';
import type { IncidentSummary, IncidentQueries } from '../incidents/view.js';
import type { Logger } from '../log/logger.js';
import type { Plan } from '../plan/types.js';
import { parseScenarioText } from '../scenarios/load.js';
import type { Scenario } from '../scenarios/scenario.js';
import type { Clock } from '../shared/clock.js';
import { ConflictError, NotFoundError, ValidationError } from '../shared/errors.js';
import { newId } from '../shared/ids.js';
import { Mutex } from '../shared/mutex.js';
import type { NormalisedSignal } from '../signals/types.js';
import type { Db, DrillRunsTable } from '../storage/index.js';
import { dueAt, impactOf, injectedSteps, type RunState } from './runs.js';

/** What the drills use; the composition root passes it in (src/app/compose.ts). */
export interface DrillDeps {
  db: Db;
  plan: Plan;
  clock: Clock;
  bus: EventBus;
  log: Logger;
  engine: IncidentEngine;
  incidents: IncidentQueries;
  timezone: string;
  /** `server`: drills run on real time; otherwise the caller drives the clock. */
  background: boolean;
  /** The intake journal: a drill's signals are journaled like any signal (src/intake/journal). */
  signals?: { append(signals: NormalisedSignal[]): Promise<unknown> };
  /** Where the plan's catalogue scenarios live (default: `scenarios/` of the working directory). */
  scenarioDir?: string;
}

/** A drill run as the API shows it. */
export interface DrillRunView {
  id: string;
  catalogueId: string | null;
  scenarioName: string;
  timeFactor: number;
  state: RunState;
  organiser: string;
  startedAt: string;
  pausedAt: string | null;
  pausedMs: number;
  endedAt: string | null;
  endedBy: string | null;
  /** How many of the injected steps (signal, impact, open) are in, of how many. */
  nextStep: number;
  stepsTotal: number;
  /** When the next step falls due (null when paused, ended or done). */
  nextStepAt: string | null;
}

export interface DrillRunDetail extends DrillRunView {
  scenarioYaml: string;
  incidents: IncidentSummary[];
}

export interface StartRun {
  scenarioYaml?: string;
  catalogueId?: string;
  timeFactor?: number;
  organiser: string;
}

/** `inject: false` (the CLI): only store the change; the running server's next tick injects (within about a second). */
export interface RunOptions {
  inject?: boolean;
}

const TICK_MS = 1000;
const iso = (ms: number | null) => (ms === null ? null : new Date(Number(ms)).toISOString());

/** Drills: the plan's catalogue and calendar, runs on the live system, observers' marks, scores and reports. */
export class DrillService {
  private timer: NodeJS.Timeout | null = null;
  private readonly ticking = new Mutex();
  private readonly parsed = new Map<string, Scenario>();

  constructor(readonly deps: DrillDeps) {}

  /** Server mode: every second, inject what fell due (also for runs a `lifeline drill start` wrote to the database). */
  async start(): Promise<void> {
    if (!this.deps.background) return;
    await this.tick();
    this.timer = setInterval(() => {
      this.tick().catch((err) => this.deps.log.error({ err }, 'drill injection failed'));
    }, TICK_MS);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.ticking.run(async () => undefined); // a tick under way finishes first
  }

  // ---- runs ---------------------------------------------------------------------------------------

  /** Starts a run of a scenario (its YAML, or the plan's catalogue entry's file); its first steps go in at once. */
  async startRun(input: StartRun, options: RunOptions = {}): Promise<DrillRunDetail> {
    const entry = input.catalogueId ? this.deps.plan.drills?.catalogue.find((c) => c.id === input.catalogueId) : undefined;
    if (input.catalogueId && !entry) throw new NotFoundError(`drill ${input.catalogueId} is not in the plan's catalogue`, 'DRILL_NOT_IN_CATALOGUE').with({ catalogueId: input.catalogueId });
    let yaml = input.scenarioYaml;
    if (yaml === undefined && entry) {
      if (!entry.scenario)
        throw new ValidationError(`drill ${entry.id} has no scenario`, [{ path: 'catalogueId', message: 'this drill has no scenario file' }], 'DRILL_NO_SCENARIO').with({ catalogueId: entry.id });
      yaml = await this.readCatalogueScenario(entry.scenario);
    }
    if (yaml === undefined) throw new ValidationError('name a catalogue drill or give a scenario', [{ path: 'scenarioYaml', message: 'required without catalogueId' }], 'DRILL_SCENARIO_REQUIRED');
    const scenario = parseScenarioText(yaml, 'scenario');
    const timeFactor = input.timeFactor ?? entry?.time_factor ?? 1;
    if (!Number.isFinite(timeFactor) || timeFactor < 1 || timeFactor > 1000)
      throw new ValidationError('the time factor is a number from 1 to 1000', [{ path: 'timeFactor', message: 'must be between 1 and 1000' }], 'DRILL_TIME_FACTOR_INVALID');
    const now = this.deps.clock.now();
    const row: DrillRunsTable = {
      id: newId('drr_'),
      catalogue_id: entry?.id ?? null,
      scenario_name: scenario.name,
      scenario_yaml: yaml,
      time_factor: timeFactor,
      state: 'running',
      organiser: input.organiser,
      started_at: now,
      paused_at: null,
      paused_ms: 0,
      ended_at: null,
      ended_by: null,
      next_step: 0,
      steps_total: injectedSteps(scenario).length,
      updated_at: now,
    };
    await this.deps.db.insertInto('drill_runs').values(row).execute();
    this.deps.bus.publish({ type: 'drill.started', at: now, runId: row.id });
    if (options.inject !== false) await this.tick();
    return this.getRun(row.id);
  }

  async pauseRun(id: string, actor: string): Promise<DrillRunDetail> {
    await this.ticking.run(async () => {
      const run = await this.row(id);
      if (run.state !== 'running') throw new ConflictError(`drill run ${id} is ${run.state}`, 'DRILL_RUN_NOT_RUNNING').with({ runId: id, state: run.state });
      const now = this.deps.clock.now();
      await this.deps.db.updateTable('drill_runs').set({ state: 'paused', paused_at: now, updated_at: now }).where('id', '=', id).where('state', '=', 'running').execute();
      await this.deps.engine.noteDrill(id, 'drill.paused', actor, {});
      this.deps.bus.publish({ type: 'drill.paused', at: now, runId: id });
    });
    return this.getRun(id);
  }

  async resumeRun(id: string, actor: string, options: RunOptions = {}): Promise<DrillRunDetail> {
    await this.ticking.run(async () => {
      const run = await this.row(id);
      if (run.state !== 'paused') throw new ConflictError(`drill run ${id} is ${run.state}`, 'DRILL_RUN_NOT_PAUSED').with({ runId: id, state: run.state });
      const now = this.deps.clock.now();
      const pausedMs = Number(run.paused_ms) + (now - Number(run.paused_at ?? now));
      await this.deps.db.updateTable('drill_runs').set({ state: 'running', paused_at: null, paused_ms: pausedMs, updated_at: now }).where('id', '=', id).where('state', '=', 'paused').execute();
      await this.deps.engine.noteDrill(id, 'drill.resumed', actor, {});
      this.deps.bus.publish({ type: 'drill.resumed', at: now, runId: id });
    });
    if (options.inject !== false) await this.tick();
    return this.getRun(id);
  }

  /** Ends a run: nothing more is injected, its open incidents close (recorded drill.ended), nobody is paged any further. */
  async endRun(id: string, actor: string): Promise<DrillRunDetail> {
    await this.ticking.run(async () => {
      const run = await this.row(id);
      if (run.state === 'ended') throw new ConflictError(`drill run ${id} has ended`, 'DRILL_RUN_ENDED').with({ runId: id });
      const now = this.deps.clock.now();
      await this.deps.db.updateTable('drill_runs').set({ state: 'ended', ended_at: now, ended_by: actor, updated_at: now }).where('id', '=', id).execute();
      await this.deps.engine.endDrill(id, actor);
      await this.settlePages(id, now);
      this.deps.bus.publish({ type: 'drill.ended', at: now, runId: id });
    });
    return this.getRun(id);
  }

  async getRun(id: string): Promise<DrillRunDetail> {
    const run = await this.row(id);
    const incidents = await this.deps.incidents.list({ state: 'all', drillRunId: id, limit: 200 });
    return { ...this.view(run), scenarioYaml: run.scenario_yaml, incidents };
  }

  async listRuns(): Promise<DrillRunView[]> {
    const rows = await this.deps.db.selectFrom('drill_runs').selectAll().orderBy('started_at', 'desc').limit(500).execute();
    return rows.map((r) => this.view(r));
  }

  // ---- injection ----------------------------------------------------------------------------------

  /**
   * Injects every step that has fallen due in every running run, in order, each step's progress stored as it goes
   * in. Runs are read from the database each time, so a run another process started (the CLI, another node) is
   * picked up by the next tick. Manual mode (tests, simulate): the caller calls it after moving the clock.
   */
  async tick(): Promise<number> {
    return this.ticking.run(async () => {
      let injected = 0;
      const runs = await this.deps.db.selectFrom('drill_runs').selectAll().where('state', '=', 'running').orderBy('started_at').execute();
      for (const run of runs) injected += await this.injectDue(run);
      return injected;
    });
  }

  private async injectDue(run: DrillRunsTable): Promise<number> {
    const steps = injectedSteps(this.scenarioOf(run));
    let next = Number(run.next_step);
    const now = this.deps.clock.now();
    while (next < steps.length && dueAt(run, steps[next].at) <= now) {
      const step = steps[next];
      try {
        await this.inject(run, step);
      } catch (err) {
        // a step that cannot go in (no incident for an impact yet…) is skipped, never retried forever
        this.deps.log.warn({ err, runId: run.id, step: next }, 'drill step not injected');
      }
      next += 1;
      await this.deps.db.updateTable('drill_runs').set({ next_step: next, updated_at: now }).where('id', '=', run.id).where('state', '=', 'running').execute();
    }
    return next - Number(run.next_step);
  }

  private async inject(run: DrillRunsTable, step: Scenario['steps'][number]): Promise<void> {
    const { engine } = this.deps;
    if (step.signal) {
      if (!this.deps.signals) throw new Error('no intake journal to inject a drill signal into');
      const at = new Date(dueAt(run, step.at)).toISOString();
      await this.deps.signals.append([{ ...step.signal, at, drillRunId: run.id } as NormalisedSignal]);
      await engine.processPending();
    } else if (step.open) {
      const { title, systems, scope, scenario, by } = step.open;
      await engine.openIncident({ title, systems: systems.map((system) => ({ system })), scope, scenario, drillRunId: run.id }, by);
    } else if (step.impact) {
      const target = await this.incidentFor(run.id, step.impact.system);
      if (!target) throw new Error(`no open drill incident${step.impact.system ? ` on ${step.impact.system}` : ''}`);
      await engine.recordImpact(target, impactOf(step.impact, run), 'coordination_lead');
    }
  }

  /** The run's open incident on a system (else its first open incident). */
  private async incidentFor(runId: string, system: string | undefined): Promise<string | undefined> {
    const open = await this.deps.incidents.list({ state: 'open', drillRunId: runId });
    const match = system ? open.find((i) => i.systems.some((s) => s.system === system)) : undefined;
    return (match ?? open[open.length - 1])?.id;
  }

  /** Pages of the run's incidents still waiting to go out are cancelled: nobody is paged for a drill that ended. */
  private async settlePages(runId: string, now: number): Promise<void> {
    const ids = await this.deps.engine.drillIncidents(runId);
    if (ids.length === 0) return;
    const pages = this.deps.db.selectFrom('notify_pages').select('id').where('incident_id', 'in', ids);
    await this.deps.db.updateTable('notify_deliveries').set({ status: 'cancelled' }).where('status', '=', 'pending').where('page_id', 'in', pages).execute();
    await this.deps.db.updateTable('notify_pages').set({ next_repeat_at: null }).where('incident_id', 'in', ids).where('next_repeat_at', 'is not', null).execute();
    this.deps.log.info({ runId, at: now }, 'drill ended: its pending pages cancelled');
  }

  // ---- reading ------------------------------------------------------------------------------------

  private async row(id: string): Promise<DrillRunsTable> {
    const run = await this.deps.db.selectFrom('drill_runs').selectAll().where('id', '=', id).executeTakeFirst();
    if (!run) throw new NotFoundError(`drill run ${id}`, 'DRILL_RUN_NOT_FOUND').with({ runId: id });
    return run;
  }

  private scenarioOf(run: DrillRunsTable): Scenario {
    let s = this.parsed.get(run.id);
    if (!s) {
      s = parseScenarioText(run.scenario_yaml, run.scenario_name);
      this.parsed.set(run.id, s);
    }
    return s;
  }

  private async readCatalogueScenario(file: string): Promise<string> {
    const { readFile } = await import('node:fs/promises');
    const { resolve } = await import('node:path');
    const path = resolve(this.deps.scenarioDir ?? 'scenarios', file);
    try {
      return await readFile(path, 'utf8');
    } catch {
      throw new NotFoundError(`scenario file ${file}`, 'DRILL_SCENARIO_MISSING').with({ file });
    }
  }

  private view(r: DrillRunsTable): DrillRunView {
    const steps = r.state === 'running' ? injectedSteps(this.scenarioOf(r)) : [];
    const next = steps[Number(r.next_step)];
    return {
      id: r.id,
      catalogueId: r.catalogue_id,
      scenarioName: r.scenario_name,
      timeFactor: Number(r.time_factor),
      state: r.state as RunState,
      organiser: r.organiser,
      startedAt: iso(r.started_at)!,
      pausedAt: iso(r.paused_at),
      pausedMs: Number(r.paused_ms),
      endedAt: iso(r.ended_at),
      endedBy: r.ended_by,
      nextStep: Number(r.next_step),
      stepsTotal: Number(r.steps_total),
      nextStepAt: next ? iso(dueAt(r, next.at)) : null,
    };
  }
}
