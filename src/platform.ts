import type { Config } from './config/index.js';
import { EventBus } from './events/bus.js';
import { IncidentEngine, type EngineHooks } from './incidents/engine.js';
import { IncidentQueries } from './incidents/view.js';
import { SignalLog } from './intake/journal/signal-log.js';
import { FileJournal, journalFileFor, TableJournal } from './intake/journal/store.js';
import type { Logger } from './log/logger.js';
import { Scheduler } from './obligations/scheduler.js';
import type { Plan } from './plan/types.js';
import type { Clock } from './shared/clock.js';
import { migrate, openDatabase, type Db, type DbKind } from './storage/index.js';
import { nextTurn } from './shared/turn.js';

const PROCESSING_DELAY_MS = 20;
const BUSY_MS = 50;
const PACE_MAX_MS = 100;
/** While alerts keep arriving, processing rounds take at most this share of the main thread's time. */
const BUSY_PROCESSING_SHARE = 1 / 7;

export interface Platform {
  config: Config;
  plan: Plan;
  clock: Clock;
  db: Db;
  dbKind: DbKind;
  bus: EventBus;
  engine: IncidentEngine;
  incidents: IncidentQueries;
  signals: SignalLog;
  scheduler: Scheduler;
  log: Logger;
  startedAt: number;
  /** Gets intake ready, processes stored signals and fires everything overdue (after a crash: at once, lateness recorded). */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Assembles the platform's parts on one database. Nothing runs until `start()`. */
export async function createPlatform(deps: { config: Config; plan: Plan; clock: Clock; log: Logger; hooks?: EngineHooks }): Promise<Platform> {
  const { config, plan, clock, log } = deps;
  const opened = openDatabase(config.db);
  await migrate(opened.db, opened.kind);
  const bus = new EventBus();
  const hooks: EngineHooks = { ...deps.hooks };
  // Processing waits a few ms after a commit so that a burst of alerts is stored first, in few fsyncs, and
  // then processed in large batches, instead of the two taking turns on the connection for every commit.
  let kickTimer: NodeJS.Timeout | null = null;
  const kick = () => {
    kickTimer ??= setTimeout(() => {
      kickTimer = null;
      void engine.processPending().catch((err) => log.error({ err }, 'signal processing failed'));
    }, PROCESSING_DELAY_MS);
  };
  const journal = config.db.kind === 'sqlite' && config.db.file !== ':memory:'
    ? new FileJournal(journalFileFor(config.db.file), plan)
    : new TableJournal(opened.db, opened.withSqlite, plan);
  const signals = new SignalLog(journal, clock, kick); // screens hear of signals once processed (signal.processed)
  // In a storm of new alerts, accepting them (durably) comes first: the storm's first alerts are processed at
  // once (its incident opens), the rest in journal order at BUSY_PROCESSING_SHARE of the time with a round at
  // least every PACE_MAX_MS, and at full speed once the storm ends. Quiet: rounds back to back.
  hooks.pace ??= (roundMs) => performance.now() - signals.lastAppendAt < BUSY_MS
    ? new Promise((r) => setTimeout(r, Math.min(PACE_MAX_MS, roundMs * (1 / BUSY_PROCESSING_SHARE - 1))))
    : nextTurn();
  const userOnClosed = deps.hooks?.onClosed;
  hooks.onClosed = () => {
    signals.forgetStates();
    userOnClosed?.();
  };
  const lastSeq = await signals.open();
  const engine = new IncidentEngine(opened.db, plan, clock, bus, hooks, opened.relaxed, signals);
  const moved = await engine.clampJournalCursor(lastSeq);
  if (moved !== null) log.warn({ cursor: moved, journalEnd: lastSeq }, 'the intake journal ends before the processing cursor (replaced or restored?); reading on from its end');
  const scheduler = new Scheduler(clock, async (now) => void (await engine.fireDue(now)), (err) => log.error({ err }, 'timer firing failed'));
  const userOnDue = deps.hooks?.onDue;
  hooks.onDue = (at) => {
    scheduler.add(at);
    userOnDue?.(at);
  };
  let stopped = false;
  return {
    config, plan, clock, db: opened.db, dbKind: opened.kind, bus, engine, signals, scheduler, log,
    incidents: new IncidentQueries(opened.db, plan),
    startedAt: clock.now(),
    async start() {
      await signals.ready(); // the first alert after a start waits for no thread to start
      await engine.processPending();
      await engine.ensureDuties();
      const fired = await engine.fireDue(clock.now());
      if (fired) log.warn({ incidents: fired }, 'fired timers that fell due while Lifeline was down');
      for (const at of await engine.dueInstants()) scheduler.add(at);
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      scheduler.stop();
      if (kickTimer) clearTimeout(kickTimer);
      await signals.close();
      await opened.close();
    },
  };
}
