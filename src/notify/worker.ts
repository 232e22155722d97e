/**
 * The outbox worker: sends due deliveries, records every attempt and its result (delivery row + incident
 * timeline), retries retryable failures with exponential back-off, keeps rate-limited robots within their
 * budget by coalescing pages into digests (never dropping one), repeats unanswered pages, and pages the
 * deputy when every channel of a holder failed for good. It wakes when a transaction that wrote pages has
 * committed (the event bus) and at the next due instant (a Scheduler on the platform's clock); it never polls.
 *
 * Delivery is at least once: a row is marked `sending` before the call and `sent` after it; rows still
 * `sending` when the worker starts (the process died during a call) are sent again.
 *
 * Several nodes on one PostgreSQL (src/storage/cluster.ts): a row is claimed with a conditional update
 * (`pending` → `sending`, with the node and a lease), so only one node (or one pass) sends it; the claims of a
 * node that stopped heartbeating are taken over once their lease ran out. A repeat round is claimed the same way.
 */
import { personFromRow } from '../people/store.js';
import type { Person } from '../people/types.js';
import type { EventBus } from '../events/bus.js';
import type { Logger } from '../log/logger.js';
import type { Plan } from '../plan/types.js';
import type { Clock } from '../shared/clock.js';
import { Scheduler } from '../obligations/scheduler.js';
import { NODE_GONE_MS } from '../storage/cluster.js';
import { newId } from '../shared/ids.js';
import type { DELIVERY_FAILURES, TimelineKind } from '../shared/timeline-kinds.js';
import { Second } from '../shared/time.js';
import { appendChained, type TimelineTable, type Db, type NotifyDeliveriesTable, type NotifyPagesTable } from '../storage/index.js';
import type { ChannelSetup, NotifyConfig } from './config.js';
import { dispatch, type Attempt } from './dispatch.js';
import { deliveriesOf, PAGING_ACTOR, planPerson, savePlanned, type Planned } from './paging.js';
import { packByBytes, RateWindow, retryDelay } from './rate.js';
import { renderDigest, renderPage, repeatMessage, type IncidentFacts } from './render.js';
import type { Recipient, RenderedMessage } from './types.js';

const BATCH = 1000;
const CHUNK = 400;
const ERROR_RETRY_MS = 5 * Second.ms;

type Unit = { channel: ChannelSetup; rows: NotifyDeliveriesTable[]; digest: boolean };
interface Outcome {
  unit: Unit;
  attempt: Attempt;
  /** Why it failed when Lifeline, not the channel, decided (a timeline code; default `channel`). */
  failure?: (typeof DELIVERY_FAILURES)[number];
}

export interface WorkerOptions {
  /** Signed acknowledgement link of a page. */
  ackLink(pageId: string, expiresAt: number): string;
  incidentLink(incidentId: string): string;
  timezone: string;
  /** Tests drive time themselves: no timers are armed. */
  manualTimers?: boolean;
}

export const recipientOf = (p: Person): Recipient => ({
  personId: p.id,
  name: p.name,
  mobile: p.mobile ?? undefined,
  email: p.email ?? undefined,
  wecomUserId: p.wecomUserId ?? undefined,
  dingtalkUserId: p.dingtalkUserId ?? undefined,
  feishuOpenId: p.feishuOpenId ?? undefined,
});

async function inChunks<T, R>(items: T[], run: (chunk: T[]) => Promise<R[]>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(...(await run(items.slice(i, i + CHUNK))));
  return out;
}

/** Runs a statement over `items` in chunks, for its effect only. */
async function eachChunk<T>(items: T[], run: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < items.length; i += CHUNK) await run(items.slice(i, i + CHUNK));
}

async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]);
      }
    }),
  );
  return out;
}

/** What the outbox worker uses of the platform. */
export interface WorkerDeps {
  db: Db;
  plan: Plan;
  clock: Clock;
  log: Logger;
  bus: EventBus;
  /** Cluster mode (PostgreSQL): this node's id; claims are leased and a gone node's are taken over. */
  node?: string;
}

export class OutboxWorker {
  private readonly db: Db;
  private running: Promise<void> | null = null;
  private again = false;
  private started = false;
  private stopped = false;
  private readonly timers: Scheduler;
  private readonly armed = new Set<number>();
  private readonly windows = new Map<string, RateWindow>();

  constructor(
    private readonly p: WorkerDeps,
    private readonly config: NotifyConfig,
    private readonly opts: WorkerOptions,
  ) {
    this.db = p.db;
    this.timers = new Scheduler(
      p.clock,
      async (now) => {
        for (const t of this.armed) if (t <= now) this.armed.delete(t);
        this.kick();
        await this.idle();
      },
      (err) => p.log.error({ err }, 'paging timer failed'),
    );
  }

  get isStarted(): boolean {
    return this.started;
  }

  /** Resumes after a start or a crash: interrupted sends go again, robot budgets count the last minute's sends. */
  async start(): Promise<void> {
    if (this.started || this.stopped) return;
    const now = this.p.clock.now();
    if (this.p.node) await this.takeOver(now);
    else await this.db.updateTable('notify_deliveries').set({ status: 'pending' }).where('status', '=', 'sending').execute();
    const recent = await this.db
      .selectFrom('notify_deliveries')
      .select(['channel', 'sent_at', 'digest_id', 'id'])
      .where('status', '=', 'sent')
      .where('sent_at', '>', now - 60 * Second.ms)
      .execute();
    const seen = new Set<string>();
    for (const r of recent) {
      const unit = r.digest_id ?? r.id;
      if (seen.has(unit)) continue;
      seen.add(unit);
      const ch = this.config.channels.get(r.channel);
      if (ch?.perMinute) this.window(ch).take(r.sent_at!);
    }
    this.started = true;
    this.kick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.timers.stop();
    await this.idle();
  }

  kick(): void {
    if (!this.started || this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.loop().finally(() => {
      this.running = null;
    });
  }

  /** Resolves when no pass is running (tests await the sends a change caused). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /** Runs everything due now and waits for it (tests on a virtual clock). */
  async runDue(): Promise<void> {
    this.kick();
    await this.idle();
  }

  /** The next instants the worker must wake for (deliveries to retry, pages to repeat). */
  async dueInstants(): Promise<number[]> {
    const d = await this.db
      .selectFrom('notify_deliveries')
      .select((eb) => eb.fn.min('next_at').as('at'))
      .where('status', '=', 'pending')
      .executeTakeFirst();
    const r = await this.db
      .selectFrom('notify_pages')
      .select((eb) => eb.fn.min('next_repeat_at').as('at'))
      .where('state', '=', 'queued')
      .executeTakeFirst();
    return [d?.at, r?.at].filter((t): t is number => t !== null && t !== undefined).map(Number);
  }

  private window(ch: ChannelSetup): RateWindow {
    let w = this.windows.get(ch.id);
    if (!w) this.windows.set(ch.id, (w = new RateWindow(ch.perMinute!)));
    return w;
  }

  private async loop(): Promise<void> {
    do {
      this.again = false;
      try {
        await this.repeatDue(this.p.clock.now());
        while (!this.stopped && (await this.drainBatch())) {
          /* until nothing is due */
        }
      } catch (err) {
        this.p.log.error({ err }, 'paging worker pass failed; retrying');
        this.arm(this.p.clock.now() + ERROR_RETRY_MS);
      }
    } while (this.again && !this.stopped);
    if (!this.stopped) for (const t of await this.dueInstants()) this.arm(t);
  }

  private arm(at: number): void {
    if (this.opts.manualTimers || this.armed.has(at)) return;
    this.armed.add(at);
    this.timers.add(at);
  }

  // ---- sending ----------------------------------------------------------------------------------

  /** Cluster mode: deliveries a gone node was sending (its lease ran out, it no longer heartbeats) go back to the queue. */
  private async takeOver(now: number): Promise<void> {
    const live = this.db
      .selectFrom('cluster_nodes')
      .select('id')
      .where('seen_at', '>=', Date.now() - NODE_GONE_MS);
    const back = await this.db
      .updateTable('notify_deliveries')
      .set({ status: 'pending', claimed_by: null, claimed_until: null })
      .where('status', '=', 'sending')
      .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', now)]))
      .where((eb) => eb.or([eb('claimed_by', 'is', null), eb('claimed_by', 'not in', live)]))
      .executeTakeFirst();
    if (Number(back.numUpdatedRows) > 0) this.p.log.warn({ deliveries: Number(back.numUpdatedRows) }, 'took over deliveries of a node that stopped');
  }

  /** Marks these pending rows `sending` for this pass; returns those it got (another node or pass may have claimed some first). */
  private async claim(ids: string[], now: number): Promise<Set<string>> {
    const got = new Set<string>();
    const lease = { claimed_by: this.p.node ?? null, claimed_until: this.p.node ? now + NODE_GONE_MS : null };
    await eachChunk(ids, async (chunk) => {
      const rows = await this.db
        .updateTable('notify_deliveries')
        .set({ status: 'sending', ...lease })
        .where('id', 'in', chunk)
        .where('status', '=', 'pending')
        .returning('id')
        .execute();
      for (const r of rows) got.add(r.id);
    });
    return got;
  }

  private async drainBatch(): Promise<boolean> {
    const now = this.p.clock.now();
    if (this.p.node) await this.takeOver(now);
    // real pages go first: a drill's pages wait behind every real page that is due (src/drills)
    const rows = await this.db
      .selectFrom('notify_deliveries')
      .selectAll()
      .where('status', '=', 'pending')
      .where('next_at', '<=', now)
      .orderBy((eb) =>
        eb
          .case()
          .when(
            eb.exists(
              eb
                .selectFrom('notify_pages')
                .innerJoin('incidents', 'incidents.id', 'notify_pages.incident_id')
                .select('notify_pages.id')
                .whereRef('notify_pages.id', '=', 'notify_deliveries.page_id')
                .where('incidents.drill_run_id', 'is not', null),
            ),
          )
          .then(1)
          .else(0)
          .end(),
      )
      .orderBy('next_at')
      .orderBy('id')
      .limit(BATCH)
      .execute();
    if (rows.length === 0) return false;
    const pages = await this.pagesFor(rows);
    const stale = rows.filter((r) => pages.get(r.page_id)?.state !== 'queued');
    if (stale.length) {
      await eachChunk(
        stale.map((r) => r.id),
        (ids) => this.db.updateTable('notify_deliveries').set({ status: 'cancelled' }).where('id', 'in', ids).where('status', '=', 'pending').execute(),
      );
    }
    const live = rows.filter((r) => pages.get(r.page_id)?.state === 'queued');
    const people = await this.peopleOf(live.map((r) => r.person_id));
    const allocated = this.allocate(live, pages, now);
    const { deferred } = allocated;
    const got = await this.claim([...allocated.units.flatMap((u) => u.rows.map((r) => r.id)), ...allocated.orphaned.map((r) => r.id)], now);
    const units = allocated.units.map((u) => ({ ...u, rows: u.rows.filter((r) => got.has(r.id)) })).filter((u) => u.rows.length > 0);
    for (const u of units) u.digest &&= u.rows.length > 1;
    const orphaned = allocated.orphaned.filter((r) => got.has(r.id));
    const claimed = [...got];
    for (const [at, ids] of deferred) await eachChunk(ids, (chunk) => this.db.updateTable('notify_deliveries').set({ next_at: at }).where('id', 'in', chunk).where('status', '=', 'pending').execute());
    try {
      const outcomes = await mapLimit(units, this.config.concurrency, async (unit): Promise<Outcome> => ({ unit, attempt: await this.send(unit, pages, people) }));
      for (const row of orphaned) {
        outcomes.push({
          unit: { channel: { id: row.channel, kind: row.kind } as ChannelSetup, rows: [row], digest: false },
          attempt: { channel: row.channel, at: now, ms: 0, delivery: { status: 'failed', retryable: false, reason: `channel ${row.channel} is no longer configured` } },
          failure: 'channel_removed',
        });
      }
      await this.record(outcomes, pages, people);
    } catch (err) {
      // not recorded: the claimed rows go back to the queue (they may be sent again: at least once)
      const retryAt = this.p.clock.now() + ERROR_RETRY_MS;
      await eachChunk(claimed, (ids) => this.db.updateTable('notify_deliveries').set({ status: 'pending', next_at: retryAt }).where('id', 'in', ids).where('status', '=', 'sending').execute());
      throw err;
    }
    return true;
  }

  /** Which rows go out now (one by one, or as digests on rate-limited channels) and which wait for budget. */
  private allocate(rows: NotifyDeliveriesTable[], pages: Map<string, NotifyPagesTable>, now: number) {
    const units: Unit[] = [];
    const deferred = new Map<number, string[]>();
    const orphaned: NotifyDeliveriesTable[] = [];
    const byChannel = new Map<string, NotifyDeliveriesTable[]>();
    for (const r of rows) byChannel.set(r.channel, [...(byChannel.get(r.channel) ?? []), r]);
    for (const [id, list] of byChannel) {
      const channel = this.config.channels.get(id);
      if (!channel) {
        orphaned.push(...list);
        continue;
      }
      if (!channel.perMinute) {
        units.push(...list.map((r) => ({ channel, rows: [r], digest: false })));
        continue;
      }
      const w = this.window(channel);
      const budget = w.available(now);
      if (list.length < budget || (list.length === 1 && budget === 1)) {
        units.push(...list.map((r) => ({ channel, rows: [r], digest: false })));
        w.take(now, list.length);
        continue;
      }
      const groups = packByBytes(list, (r) => Buffer.byteLength(this.message(pages.get(r.page_id)!, r.round).subject) + 220, channel.digestBytes);
      const now_ = groups.slice(0, budget);
      for (const g of now_) units.push({ channel, rows: g, digest: g.length > 1 });
      w.take(now, now_.length);
      const later = groups.slice(budget).flat();
      if (later.length) {
        const at = w.freeAt(now);
        deferred.set(at, [...(deferred.get(at) ?? []), ...later.map((r) => r.id)]);
      }
    }
    return { units, deferred, orphaned };
  }

  private message(page: NotifyPagesTable, round: number): RenderedMessage {
    return repeatMessage(JSON.parse(page.message!) as RenderedMessage, round, this.config.language);
  }

  private async send(unit: Unit, pages: Map<string, NotifyPagesTable>, people: Map<string, Person>): Promise<Attempt> {
    const opts = { now: () => this.p.clock.now(), timeoutMs: this.config.sendTimeoutMs };
    if (!unit.digest) {
      const row = unit.rows[0];
      const person = people.get(row.person_id);
      return dispatch(unit.channel, this.message(pages.get(row.page_id)!, row.round), person ? recipientOf(person) : {}, opts);
    }
    const items = unit.rows.map((r) => ({ name: people.get(r.person_id)?.name ?? r.person_id, message: this.message(pages.get(r.page_id)!, r.round) }));
    return dispatch(unit.channel, renderDigest(items, this.config.language), {}, opts);
  }

  // ---- recording --------------------------------------------------------------------------------

  private async record(outcomes: Outcome[], pages: Map<string, NotifyPagesTable>, people: Map<string, Person>): Promise<void> {
    const now = this.p.clock.now();
    const notes: TimelineTable[] = [];
    const failedPages = new Set<string>();
    const touched = new Set<string>();
    const retry = this.config.retry;
    await this.db.transaction().execute(async (trx) => {
      for (const { unit, attempt, failure = 'channel' } of outcomes) {
        const digestId = unit.digest ? newId('dig_') : null;
        for (const row of unit.rows) {
          const page = pages.get(row.page_id)!;
          const attempts = row.attempts + 1;
          const d = attempt.delivery;
          const name = people.get(row.person_id)?.name ?? row.person_id;
          const base = {
            channel: row.channel,
            kind: row.kind,
            person: row.person_id,
            name,
            role: page?.role,
            step: page?.step,
            round: row.round,
            attempt: attempts,
            ms: attempt.ms,
            digest: digestId ? { id: digestId, size: unit.rows.length } : undefined,
          };
          if (d.status === 'sent') {
            await trx
              .updateTable('notify_deliveries')
              .set({ status: 'sent', attempts, sent_at: attempt.at, provider_ref: d.providerRef ?? null, last_error: null, digest_id: digestId })
              .where('id', '=', row.id)
              .execute();
            notes.push(
              this.note(row, attempt.at, 'page.sent', `sent to ${name} via ${row.channel}${digestId ? ` (digest of ${unit.rows.length})` : ''}${row.round > 1 ? `, page ${row.round}` : ''}`, base),
            );
          } else if (d.retryable && attempts < retry.attempts) {
            const nextAt = now + retryDelay(attempts, retry.firstMs, retry.maxMs);
            await trx.updateTable('notify_deliveries').set({ status: 'pending', attempts, next_at: nextAt, last_error: d.reason }).where('id', '=', row.id).execute();
            notes.push(
              this.note(row, attempt.at, 'page.retry', `${row.channel} to ${name} failed (${d.reason}); retry at ${new Date(nextAt).toISOString()}`, {
                ...base,
                failure,
                reason: d.reason,
                retryAt: nextAt,
              }),
            );
          } else {
            await trx.updateTable('notify_deliveries').set({ status: 'failed', attempts, last_error: d.reason }).where('id', '=', row.id).execute();
            notes.push(this.note(row, attempt.at, 'page.failed', `${row.channel} to ${name} failed for good: ${d.reason}`, { ...base, failure, reason: d.reason, retryable: d.retryable }));
            failedPages.add(row.page_id);
          }
          if (row.incident_id) touched.add(row.incident_id);
        }
      }
      const planned = await this.deputiesFor([...failedPages], trx, now);
      for (const p of planned) if (p.page.incident_id) touched.add(p.page.incident_id);
      await appendChained(trx, 'timeline', notes);
      if (planned.length) await savePlanned(trx, planned);
    });
    for (const incidentId of touched) this.p.bus.publish({ type: 'incident.updated', incidentId, at: now });
  }

  private note(row: NotifyDeliveriesTable, at: number, kind: TimelineKind, message: string, data: unknown): TimelineTable {
    return { id: newId('tl_'), incident_id: row.incident_id, at, actor: PAGING_ACTOR, kind, message, data: JSON.stringify(data) };
  }

  /** Pages whose every delivery failed for good (none ever sent): the holder is unreachable, the next deputy is paged. */
  private async deputiesFor(pageIds: string[], trx: Db, now: number): Promise<Planned[]> {
    if (pageIds.length === 0) return [];
    const rows = await trx.selectFrom('notify_deliveries').select(['page_id', 'status']).where('page_id', 'in', pageIds).execute();
    const dead = pageIds.filter((id) => rows.filter((r) => r.page_id === id).every((r) => r.status === 'failed' || r.status === 'cancelled'));
    if (dead.length === 0) return [];
    const pages = await trx.selectFrom('notify_pages').selectAll().where('id', 'in', dead).where('state', '=', 'queued').execute();
    await trx.updateTable('notify_pages').set({ state: 'unreachable', next_repeat_at: null }).where('id', 'in', dead).where('state', '=', 'queued').execute();
    const next = pages.map((p) => ({ page: p, deputies: JSON.parse(p.deputies) as string[] })).filter((x) => x.deputies.length);
    const people = await this.peopleOf([...pages.map((p) => p.person_id!), ...next.flatMap((x) => x.deputies)], trx);
    const planned: Planned[] = [];
    const ctx = { plan: this.p.plan, config: this.config, timezone: this.opts.timezone, now };
    for (const { page, deputies } of next) {
      const base = page.step.replace(/~d\d+$/, '');
      const seed = { incidentId: page.incident_id, step: base, reason: page.reason, role: page.role, obligationId: page.obligation_id, at: page.at };
      planPerson(seed, deputies[0], page.deputy_rank + 1, deputies.slice(1), { id: page.id, name: people.get(page.person_id!)?.name ?? page.person_id! }, people, ctx, planned);
    }
    return planned;
  }

  // ---- repeats ------------------------------------------------------------------------------------

  private async repeatDue(now: number): Promise<void> {
    const due = await this.db.selectFrom('notify_pages').selectAll().where('state', '=', 'queued').where('next_repeat_at', '<=', now).orderBy('next_repeat_at').limit(BATCH).execute();
    if (due.length === 0) return;
    const touched = new Set<string>();
    await this.db.transaction().execute(async (ndb) => {
      const notes: TimelineTable[] = [];
      for (const page of due) {
        const done = await this.settled(ndb, page);
        if (done) {
          await ndb.updateTable('notify_pages').set({ state: done, next_repeat_at: null }).where('id', '=', page.id).execute();
          continue;
        }
        const round = page.round + 1;
        const nextAt = round < page.repeat_limit ? now + page.repeat_every : null;
        // the round is claimed first: another node (or pass) that read the same page repeats nothing
        const claimed = await ndb
          .updateTable('notify_pages')
          .set({ round, next_repeat_at: nextAt })
          .where('id', '=', page.id)
          .where('round', '=', page.round)
          .where('state', '=', 'queued')
          .executeTakeFirst();
        if (Number(claimed.numUpdatedRows) === 0) continue;
        const channels = JSON.parse(page.channels) as string[];
        const rows = deliveriesOf(
          page,
          channels.filter((c) => this.config.channels.has(c)),
          round,
          { config: this.config, now },
          now,
        );
        if (rows.length)
          await ndb
            .insertInto('notify_deliveries')
            .values(rows)
            .onConflict((oc) => oc.column('key').doNothing())
            .execute();
        notes.push({
          id: newId('tl_'),
          incident_id: page.incident_id,
          at: now,
          actor: PAGING_ACTOR,
          kind: 'page.repeat' satisfies TimelineKind,
          message: `not acknowledged: paging again (${round} of ${page.repeat_limit})`,
          data: JSON.stringify({ page: page.id, person: page.person_id, role: page.role, step: page.step, round, limit: page.repeat_limit }),
        });
        if (page.incident_id) touched.add(page.incident_id);
      }
      await appendChained(ndb, 'timeline', notes);
    });
    for (const incidentId of touched) this.p.bus.publish({ type: 'incident.updated', incidentId, at: now });
  }

  /** Why a page needs no repeat: its person answered (link or app), or the incident is closed. */
  private async settled(db: Db, page: NotifyPagesTable): Promise<'acked' | 'closed' | null> {
    if (!page.person_id) return null;
    if (!page.incident_id) return (await db.selectFrom('notify_acks').select('at').where('page_id', '=', page.id).executeTakeFirst()) ? 'acked' : null;
    const incident = await db.selectFrom('incidents').select('state').where('id', '=', page.incident_id).executeTakeFirst();
    if (incident?.state === 'closed') return 'closed';
    const ack = await db.selectFrom('notify_acks').select('at').where('incident_id', '=', page.incident_id).where('person_id', '=', page.person_id).executeTakeFirst();
    if (ack) return 'acked';
    // an action under a display name (an account not linked to a person) is theirs only while nobody else bears it
    const bearers = await db
      .selectFrom('people')
      .select(['id', 'name'])
      .where('name', '=', (eb) => eb.selectFrom('people').select('name').where('id', '=', page.person_id!))
      .execute();
    const actors = [page.role, ...(bearers.length === 1 && bearers[0]!.id === page.person_id ? [bearers[0]!.name] : [])];
    const acted = await db
      .selectFrom('timeline')
      .select('id')
      .where('incident_id', '=', page.incident_id)
      .where('kind', 'in', ['action.acknowledge', 'action.check_in'])
      .where('actor', 'in', actors)
      .where('at', '>=', page.created_at)
      .executeTakeFirst();
    return acted ? 'acked' : null;
  }

  // ---- reading ------------------------------------------------------------------------------------

  private async peopleOf(ids: string[], db: Db = this.db): Promise<Map<string, Person>> {
    const unique = [...new Set(ids)];
    const rows = await inChunks(unique, (chunk) => db.selectFrom('people').selectAll().where('id', 'in', chunk).execute());
    return new Map(rows.map((r) => [r.id, personFromRow(r)]));
  }

  /**
   * The pages of these deliveries, rendered when first sent and again for each repeat round, so that a repeat
   * says the incident as it is now (its level may have changed since the first round).
   */
  private async pagesFor(rows: NotifyDeliveriesTable[]): Promise<Map<string, NotifyPagesTable>> {
    const pages = await inChunks([...new Set(rows.map((r) => r.page_id))], (ids) => this.db.selectFrom('notify_pages').selectAll().where('id', 'in', ids).execute());
    const byId = new Map(pages.map((p) => [p.id, p]));
    const repeating = new Set(rows.filter((r) => r.round > 1).map((r) => r.page_id));
    const toRender = pages.filter((p) => p.state === 'queued' && (p.message === null || repeating.has(p.id)));
    if (toRender.length === 0) return byId;
    const facts = await this.incidentFacts([...new Set(toRender.map((p) => p.incident_id).filter((x): x is string => x !== null))]);
    const parents = await inChunks([...new Set(toRender.map((p) => p.parent_id).filter((x): x is string => x !== null))], (ids) =>
      this.db.selectFrom('notify_pages').select(['id', 'person_id', 'role']).where('id', 'in', ids).execute(),
    );
    const people = await this.peopleOf([...toRender.map((p) => p.person_id!), ...parents.map((x) => x.person_id).filter((x): x is string => x !== null)]);
    const parentName = (id: string | null) => {
      if (!id) return null;
      const parent = parents.find((x) => x.id === id);
      return parent?.person_id ? (people.get(parent.person_id)?.name ?? parent.person_id) : parent ? '' : null; // '': nobody held the role
    };
    await this.db.transaction().execute(async (trx) => {
      for (const page of toRender) {
        const message = renderPage({
          language: this.config.language,
          timezone: this.opts.timezone,
          plan: this.p.plan,
          incident: page.incident_id ? (facts.get(page.incident_id) ?? null) : null,
          page: { step: page.step, reason: page.reason, role: page.role, obligationId: page.obligation_id, deputyFor: parentName(page.parent_id) },
          person: { name: people.get(page.person_id!)?.name ?? page.person_id! },
          links: { ack: this.opts.ackLink(page.id, page.expires_at), incident: page.incident_id ? this.opts.incidentLink(page.incident_id) : undefined },
        });
        page.message = JSON.stringify(message);
        await trx.updateTable('notify_pages').set({ message: page.message }).where('id', '=', page.id).execute();
      }
    });
    return byId;
  }

  private async incidentFacts(ids: string[]): Promise<Map<string, IncidentFacts>> {
    const out = new Map<string, IncidentFacts>();
    if (ids.length === 0) return out;
    const incidents = await inChunks(ids, (chunk) => this.db.selectFrom('incidents').selectAll().where('id', 'in', chunk).execute());
    const systems = await inChunks(ids, (chunk) => this.db.selectFrom('incident_systems').selectAll().where('incident_id', 'in', chunk).execute());
    const obligations = await inChunks(ids, (chunk) => this.db.selectFrom('obligations').selectAll().where('incident_id', 'in', chunk).execute());
    for (const i of incidents) {
      out.set(i.id, {
        id: i.id,
        title: i.title,
        level: i.level,
        provisional: i.provisional === 1,
        decidedBy: i.decided_by,
        state: i.state,
        systems: systems.filter((s) => s.incident_id === i.id).map((s) => ({ system: s.system, component: s.component, state: s.state })),
        obligations: obligations.filter((o) => o.incident_id === i.id).map((o) => ({ id: o.id, ruleId: o.rule_id, actorRole: o.actor_role, state: o.state, dueAt: o.due_at })),
        drill: i.drill_run_id !== null,
      });
    }
    return out;
  }
}
