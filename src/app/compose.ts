import { createHmac } from 'node:crypto';
/**
 * The composition root: the one place that builds Lifeline. Every service is constructed here, explicitly,
 * with the parts it uses; the engine's hooks are wired here (paging, noise control, the close gate,
 * the scheduler), and start and stop run in the order written below. `lifeline start`, every CLI
 * command, `lifeline simulate` and the tests all build the system through `composeLifeline`, so a
 * rehearsal runs the same hooks as production.
 */
import { AuthService } from '../auth/service.js';
import { answerHooks } from './answers.js';
import type { Config } from '../config/index.js';
import type { DowntimeContext } from '../downtime/context.js';
import { downtimeContext, openForClose } from '../downtime/service.js';
import { EventBus } from '../events/bus.js';
import { IncidentEngine, type EngineHooks } from '../incidents/engine.js';
import { IncidentQueries } from '../incidents/view.js';
import { readCursor } from '../incidents/admission.js';
import { HistoryService } from '../history/index.js';
import { RegulatorReports } from '../reports/regulators/index.js';
import { FileJournal, journalFileFor, TableJournal } from '../intake/journal/store.js';
import { SignalLog } from '../intake/journal/signal-log.js';
import { noiseControl, type NoiseOptions } from '../intake/noise.js';
import { IntakeService } from '../intake/service.js';
import type { Logger } from '../log/logger.js';
import { loadNotifyConfig, noChannels, type NotifyConfig } from '../notify/config.js';
import { PagingService } from '../notify/service.js';
import { platformSecret, sharedPlatformSecret } from '../notify/secret.js';
import { pgBridge, type PgBridge } from './pg-bridge.js';
import { Scheduler } from '../obligations/scheduler.js';
import { PeopleService } from '../people/service.js';
import { pdfPrinter, type PdfPrinter } from '../reports/pdf.js';
import { PostIncidentReports } from '../reports/post-incident/index.js';
import type { Plan } from '../plan/types.js';
import { fileSource, PlanVersions, type PlanSource } from '../plan/versions.js';
import type { Clock } from '../shared/clock.js';
import { nextTurn } from '../shared/turn.js';
import { migrate, openDatabase, type Db, type DbKind } from '../storage/index.js';
import { clusterNode, type ClusterNode } from '../storage/cluster.js';
import { checklistService, type ChecklistService } from '../tasks/service.js';
import { StatusService } from '../publicity/status/service.js';
import type { SendSms } from '../publicity/status/subscribers.js';
import { publicSms, patientSmsChannel } from './public-sms.js';
import { DrillService } from '../drills/index.js';
import { DrillEvaluation } from '../drills/evaluation.js';
import { pagingNotice } from '../drills/reminders.js';
import { AnnouncementService, defaultPublicityConfig, loadPublicityConfig, publishedNotices, type PublicityConfig } from '../publicity/announcements/index.js';

/**
 * - `server`: everything runs (timers, the paging worker, the intake journal's threads).
 * - `cli`: the same parts on the same database, nothing running in the background.
 * - `manual`: time is driven by the caller (`lifeline simulate` on a virtual clock, tests): no timers
 *   are armed and nothing is sent unless the caller runs the paging worker's due work itself.
 */
export type Mode = 'server' | 'cli' | 'manual';

export interface ComposeOptions {
  config: Config;
  plan: Plan;
  clock: Clock;
  log: Logger;
  mode: Mode;
  /** Paging configuration; default: LIFELINE_NOTIFY_CONFIG or <data dir>/notify.yaml (`manual`: no channels). */
  notify?: NotifyConfig;
  /** Signs ack links and calendar feeds; default: LIFELINE_SECRET or the secret in the data dir. */
  secret?: string;
  /** Flap control settings (default: the plan's defaults in src/intake/noise.ts). */
  noise?: Partial<NoiseOptions>;
  /** Public channels' settings (website, WeChat…); default: LIFELINE_PUBLICITY_CONFIG or <data dir>/publicity.yaml (`manual`: none). */
  publicity?: PublicityConfig;
  /** The text of `plan` (a file, the default, or a stored version: src/plan/versions.ts); default: the file LIFELINE_PLAN names, else the default plan. */
  planSource?: PlanSource;
  /** Test-only: replaces engine hooks after they are wired (e.g. a failing noise control). */
  overrideHooks?: Partial<EngineHooks>;
}

/** Every service of one running Lifeline. Routes and commands take the services they use from it. */
export interface Lifeline {
  readonly config: Config;
  readonly plan: Plan;
  readonly clock: Clock;
  readonly log: Logger;
  readonly mode: Mode;
  readonly db: Db;
  readonly dbKind: DbKind;
  readonly bus: EventBus;
  readonly signals: SignalLog;
  readonly engine: IncidentEngine;
  readonly incidents: IncidentQueries;
  readonly scheduler: Scheduler;
  readonly intake: IntakeService;
  readonly people: PeopleService;
  readonly paging: PagingService;
  readonly checklists: ChecklistService;
  readonly downtime: DowntimeContext;
  readonly auth: AuthService;
  /** Prints HTML to PDF with the system Chromium, launched on first use (src/reports/pdf.ts); any report kind may use it. */
  readonly pdf: PdfPrinter;
  /** Post-incident reports (DOCX, PDF), reviews and corrective actions (src/reports/post-incident). */
  readonly postIncident: PostIncidentReports;
  /** History of every incident and the response figures (src/history). */
  readonly history: HistoryService;
  /** Regulator reports: the plan's reports to authorities as obligations, their drafts and recorded submissions (src/reports/regulators). */
  readonly regulators: RegulatorReports;
  /** The patient status page (`/status`), its feedback and SMS opt-in, the webhook push (src/publicity/status). */
  readonly statusPage: StatusService;
  /** SMS to patients over notify.yaml's patient SMS channel (src/app/public-sms.ts); SMS_UNAVAILABLE without one. */
  readonly sendSms: SendSms;
  /** Announcements to patients: drafts from the plan's templates, approval, publication to the public channels (src/publicity/announcements). */
  readonly announcements: AnnouncementService;
  /** Drills: catalogue and calendar, runs on the live system marked 演练, observers, scores, reports (src/drills). */
  readonly drills: DrillService;
  /** Drill evaluation: catalogue, calendar and reminders, observers' sheet, scores, drill reports, corrective actions (src/drills). */
  readonly drillEvaluation: DrillEvaluation;
  /** Plan versions uploaded from the browser, their checks, diffs and activations (src/plan/versions.ts). */
  readonly planVersions: PlanVersions;
  /** PostgreSQL: this process as a node of the cluster (src/storage/cluster.ts); null on SQLite. */
  readonly cluster: ClusterNode | null;
  readonly startedAt: number;
  /** Processes stored signals, fires what fell due while down, then starts every background part. */
  start(): Promise<void>;
  /** Stops in the reverse order of start, then closes the database. Safe to call twice. */
  stop(): Promise<void>;
}

/** While alerts keep arriving, processing waits a few ms after a commit, so a burst is stored first (few fsyncs), then processed in large rounds. */
const PROCESSING_DELAY_MS = 20;
const BUSY_MS = 50;
const PACE_MAX_MS = 100;
/** While alerts keep arriving, processing rounds take at most this share of the main thread's time. */
const BUSY_PROCESSING_SHARE = 1 / 7;

export async function composeLifeline(options: ComposeOptions): Promise<Lifeline> {
  const { config, plan, clock, log, mode } = options;
  const background = mode === 'server';

  // storage
  const opened = openDatabase(config.db);
  await migrate(opened.db, opened.kind);
  const { db } = opened;
  const bus = new EventBus();
  // PostgreSQL: other `lifeline start` processes may share the database (cluster mode, src/storage/cluster.ts)
  const cluster = opened.kind === 'postgres' ? clusterNode(db, opened.kind, clock) : null;
  let bridge: PgBridge | null = null;

  // intake journal: what senders were told was accepted, before the engine processes it
  // After a quiet spell the first commit is processed at once (a lone red alarm pages without delay); while
  // commits keep coming, processing waits PROCESSING_DELAY_MS so that a burst is processed in large rounds.
  let kickTimer: NodeJS.Timeout | null = null;
  let lastCommitAt = -Infinity;
  const kick = () => {
    const now = performance.now();
    const quiet = now - lastCommitAt > BUSY_MS;
    lastCommitAt = now;
    kickTimer ??= setTimeout(
      () => {
        kickTimer = null;
        void engine.processPending().catch((err) => log.error({ err }, 'signal processing failed'));
      },
      quiet ? 0 : PROCESSING_DELAY_MS,
    );
  };
  const journal =
    config.db.kind === 'sqlite' && config.db.file !== ':memory:'
      ? new FileJournal(journalFileFor(config.db.file), plan)
      : new TableJournal(db, opened.withSqlite, plan, cluster ? (trx) => cluster.lockJournal(trx) : undefined);
  const signals = new SignalLog(journal, clock, mode === 'manual' ? () => undefined : kick);
  const lastSeq = await signals.open();

  // the engine and its hooks; the services the hooks call are built right after it
  const noise = noiseControl(options.noise);
  const scheduler = new Scheduler(
    clock,
    async (now) => void (await engine.fireDue(now)),
    (err) => log.error({ err }, 'timer firing failed'),
  );
  if (!background) scheduler.stop(); // time is driven by the caller, or nothing runs
  const answers = answerHooks(() => pagingOf(), noise.suppress, log);
  const hooks: EngineHooks = {
    suppress: answers.suppress,
    responder: answers.responder,
    flapping: noise.flapping,
    onPages: (trx, pages) => pagingOf().writePages(trx, pages),
    canClose: (trx, incidentId, actor) => openForClose(trx, downtime, incidentId, actor),
    onClosed: () => {
      signals.forgetStates();
      bridge?.forgetStates();
    },
    onDue: (at) => scheduler.add(at),
    lock: cluster ? (trx) => cluster.lockEngine(trx) : undefined,
    // In a storm of new alerts, accepting them durably comes first: processing takes BUSY_PROCESSING_SHARE
    // of the time with a round at least every PACE_MAX_MS, and full speed once the storm ends.
    pace: (roundMs) => (performance.now() - signals.lastAppendAt < BUSY_MS ? new Promise((r) => setTimeout(r, Math.min(PACE_MAX_MS, roundMs * (1 / BUSY_PROCESSING_SHARE - 1)))) : nextTurn()),
    ...options.overrideHooks,
  };
  const engine = new IncidentEngine(db, plan, clock, bus, hooks, opened.relaxed, signals);
  const moved = await engine.clampJournalCursor(lastSeq);
  if (moved !== null) log.warn({ cursor: moved, journalEnd: lastSeq }, 'the intake journal ends before the processing cursor (replaced or restored?); reading on from its end');
  const incidents = new IncidentQueries(db, plan);

  // feature services
  const secret = options.secret ?? (cluster ? await sharedPlatformSecret(db, config) : undefined);
  const intake = new IntakeService({ db, clock, plan, log, signals, manualTimers: !background });
  const people = new PeopleService({ db, clock, plan, timezone: config.timezone });
  // Paging reads notify.yaml: the server checks it at start; a CLI command reads it only if it pages or sends.
  let paging: PagingService | undefined;
  const pagingOf = () =>
    (paging ??= new PagingService(
      { config, db, plan, clock, log, bus, engine, people, node: background ? cluster?.id : undefined },
      {
        config: options.notify ?? (mode === 'manual' ? noChannels() : loadNotifyConfig({ dataDir: config.dataDir, env: process.env })),
        secret,
        manualTimers: !background,
      },
    ));
  if (mode !== 'cli') pagingOf();
  const checklists = checklistService({ db, plan, clock, bus, incidents, engine, people });
  const downtime = downtimeContext({ db, dbKind: opened.kind, plan, clock, bus, engine, publicUrl: config.server.publicUrl, timezone: config.timezone });
  const auth = new AuthService({ db, clock, plan });
  const pdf = pdfPrinter();
  const postIncident = new PostIncidentReports({ db, plan, clock, bus, timezone: config.timezone, incidents, downtime, pdf });
  const history = new HistoryService({ db, plan, clock, timezone: config.timezone });
  const sendSms = publicSms({ notify: () => pagingOf().config });
  let smsReplyKey: string | undefined; // derived once (reading the secret file): the reply address is a public route
  const statusPage = new StatusService({
    db,
    plan,
    clock,
    log,
    bus,
    timezone: config.timezone,
    incidents,
    published: () => publishedNotices(db, clock.now()),
    sendSms,
    publicUrl: config.server.publicUrl,
    push: config.statusPush ?? null,
    secret,
    smsReplyKey: () =>
      (smsReplyKey ??= createHmac('sha256', secret ?? platformSecret(config))
        .update('sms-reply')
        .digest('hex')
        .slice(0, 32)),
  });
  let publicity = options.publicity;
  const publicityConfig = () => (publicity ??= mode === 'manual' ? defaultPublicityConfig() : loadPublicityConfig({ dataDir: config.dataDir, env: process.env }));
  const announcements = new AnnouncementService({
    db,
    plan,
    clock,
    bus,
    log,
    engine,
    config: publicityConfig,
    publicUrl: config.server.publicUrl,
    timezone: config.timezone,
    sendSms,
    smsConfigured: () => patientSmsChannel(pagingOf().config) !== null,
    mode,
    printPdf: (html) => pdf.print(html),
  });
  const regulators = new RegulatorReports({ db, plan, clock, engine, incidents, timezone: config.timezone });
  let planSource = options.planSource;
  const planVersions = new PlanVersions({ db, now: () => clock.now(), running: () => (planSource ??= fileSource(config.plan.path)) });
  const drills = new DrillService({ db, plan, clock, bus, log, engine, incidents, signals, timezone: config.timezone, background });
  const drillEvaluation = new DrillEvaluation({
    ...{ db, plan, clock, bus, log, incidents, pdf, background },
    timezone: config.timezone,
    notice: (role, text) => pagingNotice(pagingOf(), () => clock.now())(role, text),
  });

  /**
   * Cluster mode, each heartbeat: what another node armed its timers for fires here when due, and what it accepted
   * but did not process (it may have stopped) is processed here.
   */
  const fireIfDue = async () => {
    const now = clock.now();
    if ((await engine.dueInstants()).some((at) => at <= now)) await engine.fireDue(now);
    const end = await db
      .selectFrom('signal_batches')
      .select((eb) => eb.fn.max('seq').as('seq'))
      .executeTakeFirst();
    if (Number(end?.seq ?? 0) > (await readCursor(db))) await engine.processPending();
  };
  let started = false;
  let stopped = false;
  return {
    config,
    plan,
    clock,
    log,
    mode,
    db,
    dbKind: opened.kind,
    bus,
    signals,
    engine,
    incidents,
    scheduler,
    intake,
    people,
    checklists,
    downtime,
    auth,
    pdf,
    postIncident,
    history,
    statusPage,
    sendSms,
    announcements,
    regulators,
    drills,
    drillEvaluation,
    planVersions,
    cluster,
    get paging() {
      return pagingOf();
    },
    startedAt: clock.now(),
    async start() {
      started = true;
      if (background && cluster && config.db.kind === 'postgres') {
        bridge = await pgBridge({ url: config.db.url, db, bus, node: cluster.id, log, onForget: () => signals.forgetStates() });
        // each heartbeat: the paging worker takes over a gone node's claims, and timers another node armed fire here if it is gone
        await cluster.start(() => {
          pagingOf().worker.kick();
          void fireIfDue().catch((err) => log.error({ err }, 'timer firing failed'));
        });
      }
      await pagingOf().channelsReady(); // pages written from here on may use the browser's channels
      await signals.ready(); // the first alert after a start waits for no thread to start
      await engine.processPending();
      await engine.ensureDuties();
      const fired = await engine.fireDue(clock.now());
      if (fired) log.warn({ incidents: fired }, 'fired timers that fell due while Lifeline was down');
      for (const at of await engine.dueInstants()) scheduler.add(at);
      await intake.resume();
      await pagingOf().start(); // in `manual` mode its timers are the caller's
      await statusPage.start();
      if (background) publicityConfig(); // a bad publicity.yaml stops the start, listing every problem
      await announcements.start();
      await drills.start();
      await drillEvaluation.start();
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      if (started) {
        await paging?.stop();
        await intake.stop();
      }
      await drills.stop();
      await drillEvaluation.stop();
      await statusPage.stop();
      await announcements.stop();
      scheduler.stop();
      await cluster?.stop();
      await bridge?.close();
      if (kickTimer) clearTimeout(kickTimer);
      await signals.close();
      await pdf.close();
      await opened.close();
    },
  };
}
