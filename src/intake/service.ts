import { Scheduler } from '../obligations/scheduler.js';
import { Mutex } from '../shared/mutex.js';
import { AppError, UnavailableError } from '../shared/errors.js';
import { parseDuration } from '../shared/time.js';
import type { IntakeFormat } from './format.js';
import { sourceSignals } from './journal/entries.js';
import { alertmanagerV2 } from './formats/alertmanager-v2.js';
import { isoMillis } from './formats/values.js';
import { MaintenanceStore } from './maintenance.js';
import { mapSignal } from './mapping.js';
import { SourceStore, type Source } from './sources.js';
import type { AmAlertsTable, Db } from '../storage/index.js';
import type { NormalisedSignal } from '../signals/types.js';
import type { Plan } from '../plan/types.js';
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../log/logger.js';
import type { SignalLog } from './journal/signal-log.js';

export const DEFAULT_RESOLVE_TIMEOUT_MS = 5 * 60_000;
const CHUNK = 400;
const RETRY_MS = 5_000;

/** Many Alertmanager API v2 requests at once (shared), or the expiry sweep alone (exclusive). */
class SharedLock {
  private holders = 0;
  private exclusive: Promise<void> | null = null;
  private drained: (() => void) | null = null;

  async shared<T>(job: () => Promise<T>): Promise<T> {
    while (this.exclusive) await this.exclusive;
    this.holders++;
    try {
      return await job();
    } finally {
      if (--this.holders === 0) this.drained?.();
    }
  }

  async alone<T>(job: () => Promise<T>): Promise<T> {
    while (this.exclusive) await this.exclusive;
    let release!: () => void;
    this.exclusive = new Promise<void>((r) => (release = r));
    try {
      if (this.holders > 0) await new Promise<void>((r) => (this.drained = r));
      this.drained = null;
      return await job();
    } finally {
      this.exclusive = null;
      release();
    }
  }
}

/**
 * Intake's state on one platform: sources, maintenance windows, and the two things that happen when
 * nothing arrives — an Alertmanager API v2 alert that is not re-sent expires (resolves), a heartbeat
 * that does not beat raises a signal. Both wake on a Scheduler on the platform's clock (never polling);
 * the database holds the due instants, so a restart re-arms them and fires what fell due meanwhile.
 */
/** What intake uses of the platform. */
export interface IntakeDeps {
  db: Db;
  clock: Clock;
  plan: Plan;
  log: Logger;
  signals: SignalLog;
  /** Time is driven by the caller (simulate, tests): no timer is armed; `fireDue` runs what is due. */
  manualTimers?: boolean;
}

export class IntakeService {
  readonly sources: SourceStore;
  readonly maintenance: MaintenanceStore;
  readonly timers: Scheduler;
  private readonly db: Db;
  private readonly v2Lock = new SharedLock();
  private readonly beats = new Mutex();

  constructor(private readonly p: IntakeDeps) {
    this.db = p.db;
    this.sources = new SourceStore(p.db, p.clock, p.plan);
    this.maintenance = new MaintenanceStore(p.db, p.clock, p.plan);
    this.timers = new Scheduler(
      p.clock,
      (now) => this.fireDue(now),
      (err) => p.log.error({ err }, 'intake timer failed'),
    );
    if (p.manualTimers) this.timers.stop();
  }

  /**
   * A sender's body as its raw text: read (format, mapping) and stored by the journal (on the file journal,
   * off the main thread); resolves after the durable commit with how many signals it held.
   */
  async accept(source: Source, format: IntakeFormat<unknown>, text: string): Promise<{ accepted: number }> {
    return this.p.signals.appendBody(format.kind, source, text);
  }

  /**
   * Parses a body already read as JSON on this thread, maps it to the plan, stores it (acknowledgements too,
   * like any signal: the journal gives them their own identity); resolves after the durable commit.
   */
  async ingest<B>(source: Source, format: IntakeFormat<B>, body: unknown): Promise<{ signals: NormalisedSignal[] }> {
    const signals = this.parse(source, format, body);
    await this.p.signals.append(signals);
    return { signals };
  }

  private parse<B>(source: Source, format: IntakeFormat<B>, body: unknown): NormalisedSignal[] {
    return sourceSignals(this.p.plan, source, format as IntakeFormat<unknown>, body, this.p.clock.now());
  }

  /**
   * Alertmanager API v2 `POST /api/v2/alerts`: like Alertmanager, an alert is firing until its endsAt; a
   * re-send refreshes it; without endsAt it ends resolveTimeout after it was last received.
   */
  async alertsV2(source: Source, body: unknown): Promise<{ signals: NormalisedSignal[] }> {
    return this.v2Lock.shared(async () => {
      const now = this.p.clock.now();
      const signals = this.parse(source, alertmanagerV2, body);
      const timeout = source.options.resolveTimeout ? parseDuration(source.options.resolveTimeout)! : DEFAULT_RESOLVE_TIMEOUT_MS;
      const alerts = body as { endsAt?: string }[];
      const rows = new Map<string, AmAlertsTable>();
      signals.forEach((s, i) => {
        const endsAt = isoMillis(alerts[i]?.endsAt);
        const expires = s.status === 'resolved' ? now : endsAt !== undefined && endsAt > now ? endsAt : now + timeout;
        rows.set(s.dedupKey!, { source: source.name, fingerprint: s.dedupKey!, status: s.status, expires_at: expires, signal: JSON.stringify(s), updated_at: now });
      });
      const list = [...rows.values()];
      await transient('alert store unavailable', async () => {
        for (let i = 0; i < list.length; i += CHUNK) {
          await this.db
            .insertInto('am_alerts')
            .values(list.slice(i, i + CHUNK))
            .onConflict((oc) =>
              oc.columns(['source', 'fingerprint']).doUpdateSet((eb) => ({
                status: eb.ref('excluded.status'),
                expires_at: eb.ref('excluded.expires_at'),
                signal: eb.ref('excluded.signal'),
                updated_at: eb.ref('excluded.updated_at'),
              })),
            )
            .execute();
        }
      });
      await this.p.signals.append(signals);
      for (const at of new Set(list.filter((r) => r.status === 'firing').map((r) => r.expires_at))) this.timers.add(at);
      return { signals };
    });
  }

  /** A heartbeat: the source is alive until now + period; if it had been declared missing, that resolves. */
  async beat(source: Source, message?: string): Promise<{ dueAt: number; resolved: boolean }> {
    return this.beats.run(() =>
      transient('heartbeat store unavailable', async () => {
        const now = this.p.clock.now();
        const period = parseDuration(source.options.period ?? '') ?? 0;
        const row = await this.db.selectFrom('heartbeats').selectAll().where('source', '=', source.name).executeTakeFirst();
        const resolved = row?.state === 'missed';
        if (resolved) await this.p.signals.append([this.heartbeatSignal(source, 'resolved', now, message)]);
        const dueAt = now + period;
        await this.db
          .insertInto('heartbeats')
          .values({ source: source.name, state: 'ok', last_beat_at: now, due_at: dueAt })
          .onConflict((oc) => oc.column('source').doUpdateSet({ state: 'ok', last_beat_at: now, due_at: dueAt }))
          .execute();
        this.timers.add(dueAt);
        return { dueAt, resolved };
      }),
    );
  }

  private heartbeatSignal(source: Source, status: 'firing' | 'resolved', at: number, message?: string, lastBeat?: number): NormalisedSignal {
    const period = source.options.period ?? '';
    const signal: NormalisedSignal = {
      source: source.name,
      severity: source.severityMap.missed ?? source.severityMap.missing ?? 'orange',
      status,
      dedupKey: 'heartbeat',
      summary: status === 'firing' ? `heartbeat ${source.name}: no beat for ${period}` : `heartbeat ${source.name}: beating again${message ? ` (${message})` : ''}`,
      labels: { heartbeat: source.name, period, ...(lastBeat !== undefined ? { last_beat: new Date(lastBeat).toISOString() } : {}) },
      at: new Date(at).toISOString(),
    };
    return mapSignal(this.p.plan, source, signal);
  }

  /** Everything due by `now`: expired v2 alerts resolve, silent heartbeats fire. A failure retries in 5 s. */
  async fireDue(now = this.p.clock.now()): Promise<void> {
    try {
      await this.expireAlerts(now);
      await this.missHeartbeats(now);
    } catch (err) {
      this.timers.add(now + RETRY_MS);
      throw err;
    }
  }

  private async expireAlerts(now: number): Promise<void> {
    await this.v2Lock.alone(async () => {
      const due = await this.db.selectFrom('am_alerts').selectAll().where('status', '=', 'firing').where('expires_at', '<=', now).orderBy('expires_at').limit(10_000).execute();
      if (due.length === 0) return;
      const signals = due.map((r): NormalisedSignal => ({ ...(JSON.parse(r.signal) as NormalisedSignal), status: 'resolved', at: new Date(r.expires_at).toISOString() }));
      await this.p.signals.append(signals); // first the resolve, then the mark: a crash between repeats a harmless resolve
      for (const r of due) {
        await this.db
          .updateTable('am_alerts')
          .set({ status: 'resolved', updated_at: now })
          .where('source', '=', r.source)
          .where('fingerprint', '=', r.fingerprint)
          .where('expires_at', '=', r.expires_at)
          .execute();
      }
      if (due.length === 10_000) this.timers.add(now);
    });
  }

  private async missHeartbeats(now: number): Promise<void> {
    await this.beats.run(async () => {
      const due = await this.db.selectFrom('heartbeats').selectAll().where('state', '=', 'ok').where('due_at', '<=', now).execute();
      for (const hb of due) {
        const source = await this.sources.get(hb.source).catch(() => null);
        if (source && source.revokedAt === null) await this.p.signals.append([this.heartbeatSignal(source, 'firing', hb.due_at, undefined, hb.last_beat_at)]);
        await this.db
          .updateTable('heartbeats')
          .set({ state: source && source.revokedAt === null ? 'missed' : 'stopped' })
          .where('source', '=', hb.source)
          .where('due_at', '=', hb.due_at)
          .execute();
      }
    });
  }

  /** Arms the timers for every pending expiry and heartbeat in the database (after a start or restart). */
  async resume(): Promise<void> {
    const alerts = await this.db.selectFrom('am_alerts').select('expires_at').where('status', '=', 'firing').execute();
    const beats = await this.db.selectFrom('heartbeats').select('due_at').where('state', '=', 'ok').execute();
    for (const at of new Set([...alerts.map((a) => a.expires_at), ...beats.map((b) => b.due_at)])) this.timers.add(at);
  }

  stop(): void {
    this.timers.stop();
  }
}

/** A database fault while storing is transient for the sender (503, it retries); our own errors pass through. */
async function transient<T>(what: string, job: () => Promise<T>): Promise<T> {
  try {
    return await job();
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new UnavailableError(`${what}: ${(err as Error).message}`);
  }
}
