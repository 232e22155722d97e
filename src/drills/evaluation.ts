/**
 * Drill evaluation: the catalogue and calendar with reminders, the observers' sheet, scores, the drill report and
 * corrective actions. Scores a run when it ends (`drill.ended` on the bus) and on request.
 */
import type { EventBus } from '../events/bus.js';
import type { IncidentQueries } from '../incidents/view.js';
import type { Logger } from '../log/logger.js';
import type { Plan } from '../plan/types.js';
import type { PdfPrinter } from '../reports/pdf.js';
import type { Clock } from '../shared/clock.js';
import { NotFoundError, ValidationError } from '../shared/errors.js';
import { Hour } from '../shared/time.js';
import type { Db } from '../storage/index.js';
import { DrillActions } from './actions.js';
import { type CalendarMonth, yearCalendar } from './calendar.js';
import { type CatalogueItem, catalogueItems } from './catalogue.js';
import { Observers } from './observers.js';
import { type DrillReportLang, drillReportFile } from './report.js';
import { type ReminderSent, type RoleNotice, sendDueReminders } from './reminders.js';
import { allRuns, type RunFacts, runFacts } from './run-facts.js';
import { type DrillScore, scoreRun, storedScore, storeScore } from './scoring.js';

export interface DrillEvaluationDeps {
  db: Db;
  plan: Plan;
  clock: Clock;
  bus: EventBus;
  log: Logger;
  incidents: IncidentQueries;
  timezone: string;
  pdf: PdfPrinter;
  notice: RoleNotice;
  /** `server`: reminders are checked hourly on real time; otherwise the caller calls `checkReminders`. */
  background: boolean;
}

/** A past or current run as the drills page lists it. */
export interface RunSummary {
  id: string;
  catalogueId: string | null;
  name: string;
  state: RunFacts['state'];
  timeFactor: number;
  startedAt: string;
  endedAt: string | null;
  score: number | null;
}

export class DrillEvaluation {
  readonly observers: Observers;
  readonly actions: DrillActions;
  private unsubscribe: (() => void) | null = null;
  private timer: NodeJS.Timeout | null = null;
  private scoring: Promise<unknown> = Promise.resolve();

  constructor(readonly d: DrillEvaluationDeps) {
    this.observers = new Observers({ db: d.db, plan: d.plan, clock: d.clock, incidents: d.incidents });
    this.actions = new DrillActions({ db: d.db, clock: d.clock, timezone: d.timezone });
  }

  async start(): Promise<void> {
    this.unsubscribe = this.d.bus.subscribe((e) => {
      if (e.type !== 'drill.ended') return;
      const runId = (e as { runId?: string }).runId;
      if (!runId) return;
      this.scoring = this.scoring.then(() => this.recompute(runId).catch((err) => this.d.log.error({ err, runId }, 'drill scoring failed')));
    });
    if (this.d.background) {
      const tick = () => void this.checkReminders().catch((err) => this.d.log.error({ err }, 'drill reminders failed'));
      tick();
      this.timer = setInterval(tick, Hour.ms);
      this.timer.unref();
    }
  }

  async stop(): Promise<void> {
    this.unsubscribe?.();
    if (this.timer) clearInterval(this.timer);
    await this.scoring;
  }

  /** Waits for scores being computed after `drill.ended` (tests). */
  settled(): Promise<unknown> {
    return this.scoring;
  }

  run(runId: string): Promise<RunFacts> {
    return runFacts(this.d.db, runId);
  }

  private entryGroups(run: RunFacts): string[] | null {
    return this.d.plan.drills?.catalogue.find((c) => c.id === run.catalogueId)?.groups ?? null;
  }

  async catalogue(): Promise<CatalogueItem[]> {
    const runs = await allRuns(this.d.db);
    const planned = new Map((await this.d.db.selectFrom('drill_schedule').select(['catalogue_id', 'planned_date']).execute()).map((r) => [r.catalogue_id, r.planned_date]));
    const scores = new Map((await this.d.db.selectFrom('drill_scores').select(['run_id', 'overall']).execute()).map((r) => [r.run_id, r.overall]));
    return catalogueItems(this.d.plan, runs, planned, scores, this.d.clock.now());
  }

  async calendar(): Promise<CalendarMonth[]> {
    return yearCalendar(await this.catalogue(), this.d.clock.now(), this.d.timezone);
  }

  async setPlannedDate(catalogueId: string, date: string | null, actor: string): Promise<CatalogueItem> {
    if (!this.d.plan.drills?.catalogue.some((c) => c.id === catalogueId)) throw new NotFoundError(`drill catalogue entry ${catalogueId}`, 'DRILL_ENTRY_NOT_FOUND');
    const now = this.d.clock.now();
    const exists = await this.d.db.selectFrom('drill_schedule').select('catalogue_id').where('catalogue_id', '=', catalogueId).executeTakeFirst();
    if (exists) await this.d.db.updateTable('drill_schedule').set({ planned_date: date, updated_at: now, updated_by: actor }).where('catalogue_id', '=', catalogueId).execute();
    else await this.d.db.insertInto('drill_schedule').values({ catalogue_id: catalogueId, planned_date: date, updated_at: now, updated_by: actor }).execute();
    return (await this.catalogue()).find((c) => c.id === catalogueId)!;
  }

  async checkReminders(): Promise<ReminderSent[]> {
    return sendDueReminders({ db: this.d.db, plan: this.d.plan, timezone: this.d.timezone, notice: this.d.notice }, await this.catalogue(), this.d.clock.now());
  }

  async history(): Promise<RunSummary[]> {
    const runs = await allRuns(this.d.db);
    const scores = new Map((await this.d.db.selectFrom('drill_scores').select(['run_id', 'overall']).execute()).map((r) => [r.run_id, r.overall]));
    const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
    return runs.map((r) => ({
      id: r.id,
      catalogueId: r.catalogueId,
      name: r.name,
      state: r.state,
      timeFactor: r.timeFactor,
      startedAt: iso(r.startedAt)!,
      endedAt: iso(r.endedAt),
      score: scores.get(r.id) ?? null,
    }));
  }

  async sheet(runId: string) {
    const run = await this.run(runId);
    return this.observers.sheet(run, this.entryGroups(run));
  }

  private scoreDeps() {
    return { db: this.d.db, plan: this.d.plan, clock: this.d.clock, incidents: this.d.incidents, observers: this.observers };
  }

  /** The stored score of an ended run, else computed now from the facts so far (not stored). */
  async score(runId: string): Promise<DrillScore> {
    const run = await this.run(runId);
    if (run.state === 'ended') return (await storedScore(this.d.db, runId)) ?? storeScore(this.scoreDeps(), run);
    return scoreRun(this.scoreDeps(), run);
  }

  async recompute(runId: string): Promise<DrillScore> {
    const run = await this.run(runId);
    if (run.state !== 'ended') throw new ValidationError('a run is scored when it has ended', [{ path: 'runId', message: 'end the drill first' }], 'DRILL_NOT_ENDED');
    return storeScore(this.scoreDeps(), run);
  }

  async report(runId: string, lang: DrillReportLang, ext: 'docx' | 'pdf') {
    const run = await this.run(runId);
    const score = await this.score(runId);
    const sheet = await this.observers.sheet(run, null);
    const stepTexts = new Map(sheet.groups.flatMap((g) => g.steps.map((s) => [s.key, s.text] as const)));
    const facts = {
      run,
      score,
      marks: await this.observers.marksWithPhotos(runId),
      stepTexts,
      actions: await this.actions.list({ runId }),
      timezone: this.d.timezone,
      generatedAt: this.d.clock.now(),
    };
    return drillReportFile(facts, this.d.plan, lang, ext, this.d.pdf);
  }
}
