/**
 * Paging on one platform: writes pages in the transaction of their cause (the engine's `onPages` hook, wired
 * by the composition root), runs the outbox worker, answers acknowledgement links, and sends channel tests.
 */
import type { Config } from '../config/index.js';
import type { EventBus } from '../events/bus.js';
import type { IncidentEngine } from '../incidents/engine.js';
import type { Logger } from '../log/logger.js';
import type { PageRequest } from '../obligations/breach.js';
import type { PeopleService } from '../people/service.js';
import type { LevelId, Plan } from '../plan/types.js';
import type { IncidentState } from '../incidents/types.js';
import type { Clock } from '../shared/clock.js';
import type { Person } from '../people/types.js';
import { AppError, ConflictError, NotFoundError, ValidationError } from '../shared/errors.js';
import { Mutex } from '../shared/mutex.js';
import { newId } from '../shared/ids.js';
import { Scheduler } from '../obligations/scheduler.js';
import { Day } from '../shared/time.js';
import { loadNotifyConfig, withBrowserChannels, type NotifyConfig } from './config.js';
import { ChannelStore, nameInFile, type ChannelInput, type ChannelUpdate, type StoredChannelView } from './channel-store.js';
import { channelOverview, type ChannelOverview } from './channel-state.js';
import { channelKey, secretBox } from './secret-box.js';
import { dispatch, type Attempt } from './dispatch.js';
import { signToken, verifyToken } from './links.js';
import { PAGING_ACTOR, writePages } from './paging.js';
import { whoHolds } from '../people/oncall.js';
import { loadOncallData } from '../people/store.js';
import type { TimelineKind } from '../shared/timeline-kinds.js';
import { renderTest } from './render.js';
import { platformSecret } from './secret.js';
import { appendChained, type Db, type NotifyPagesTable, type Trx } from '../storage/index.js';
import { OutboxWorker, recipientOf } from './worker.js';

export const ACK_ACTIONS = ['acknowledge', 'check_in'] as const;
export type AckAction = (typeof ACK_ACTIONS)[number];
const ACTION_LABELS: Record<AckAction, { zh: string; en: string }> = {
  acknowledge: { zh: '收到', en: 'Acknowledge' },
  check_in: { zh: '已到场', en: 'On site' },
};

/** What paging uses of the platform. */
export interface PagingDeps {
  config: Config;
  db: Db;
  plan: Plan;
  clock: Clock;
  log: Logger;
  bus: EventBus;
  engine: IncidentEngine;
  people: PeopleService;
  /** Cluster mode (PostgreSQL): this node's id (src/storage/cluster.ts); the outbox worker leases its claims. */
  node?: string;
}

/** Bus event: the browser's channels changed (cluster nodes reload them). */
export const CHANNELS_CHANGED = 'notify.channels_changed';

export interface PagingOptions {
  /** The paging configuration; default: read from LIFELINE_NOTIFY_CONFIG or <data dir>/notify.yaml. */
  config?: NotifyConfig;
  /** Signs links; default: LIFELINE_SECRET or the secret generated into the data dir. */
  secret?: string;
  /** Tests on a virtual clock: no timers, time is driven by the test (src/notify/testing.ts). */
  manualTimers?: boolean;
  /** Seals browser channels' secrets; default: LIFELINE_CHANNEL_KEY or <data dir>/channel-secrets.key (src/notify/secret-box.ts). */
  channelKey?: () => Buffer;
}

export class PagingService {
  readonly people: PeopleService;
  /**
   * The channels in use: notify.yaml's and the browser's. One object for the life of the service (the worker holds
   * it); `reloadChannels` replaces its contents when a browser channel changes, so paging needs no restart.
   */
  readonly config: NotifyConfig;
  /** notify.yaml as read at start (read-only in the browser). */
  readonly fileConfig: NotifyConfig;
  /** Channels set up in the browser (src/notify/channel-store.ts). */
  readonly channelStore: ChannelStore;
  readonly worker: OutboxWorker;
  private browserLoaded: Promise<void> | null = null;
  private readonly db: Db;
  private readonly acks = new Mutex();
  private secretValue: string | undefined;
  private dirty = false;
  private delay: NodeJS.Timeout | null = null;
  private unsubscribe: (() => void) | null = null;
  private gapChecks: Scheduler | null = null;

  constructor(
    private readonly p: PagingDeps,
    private readonly options: PagingOptions = {},
  ) {
    this.fileConfig = options.config ?? loadNotifyConfig({ dataDir: p.config.dataDir, env: process.env });
    this.config = { ...this.fileConfig };
    this.channelStore = new ChannelStore({
      db: p.db,
      box: secretBox(options.channelKey ?? (() => channelKey({ dataDir: p.config.dataDir, env: process.env }))),
      now: () => p.clock.now(),
      fileIds: () => this.fileConfig.fileChannelIds ?? [...this.fileConfig.channels.keys()],
      roles: () => p.plan.roles.map((r) => r.id),
    });
    this.people = p.people;
    this.db = p.db;
    this.worker = new OutboxWorker(p, this.config, {
      ackLink: (pageId, expiresAt) => this.ackLink(pageId, expiresAt),
      incidentLink: (id) => `${this.publicUrl}/incidents/${id}`,
      timezone: p.config.timezone,
      manualTimers: options.manualTimers,
    });
    this.install();
  }

  private get publicUrl(): string {
    return this.p.config.server.publicUrl.replace(/\/+$/, '');
  }

  private secret(): string {
    return (this.secretValue ??= this.options.secret ?? platformSecret(this.p.config));
  }

  /** Writes pages in the engine's transaction (its `onPages` hook); the worker is woken once that transaction has committed. */
  async writePages(trx: Trx, pages: PageRequest[]): Promise<void> {
    await writePages(trx, pages, { plan: this.p.plan, config: this.config, timezone: this.p.config.timezone, now: this.p.clock.now() });
    this.dirty = true;
  }

  private install(): void {
    this.unsubscribe = this.p.bus.subscribe((e) => {
      // a browser channel changed on another node (cluster mode, src/app/pg-bridge.ts): use the new set here too
      if (e.type === CHANNELS_CHANGED && e.node !== undefined) void this.reloadChannels().catch((err) => this.p.log.error({ err }, 'browser channels could not be reloaded'));
      if (!this.dirty) return;
      this.dirty = false;
      this.worker.kick();
    });
  }

  // ---- channels set up in the browser ----------------------------------------------------------

  /** Reads the browser's channels again and puts them in use at once (the worker and new pages see them). */
  async reloadChannels(): Promise<void> {
    const merged = withBrowserChannels(this.fileConfig, await this.channelStore.opened(), (id, why) => this.p.log.warn({ channel: id, why }, 'browser channel left out'));
    Object.assign(this.config, { channels: merged.channels, routing: merged.routing });
    this.p.log.info({ channels: [...merged.channels.keys()] }, 'paging channels in use');
  }

  /** The browser's channels are loaded (once; later changes reload them). */
  channelsReady(): Promise<void> {
    return (this.browserLoaded ??= this.reloadChannels().catch((err) => {
      this.browserLoaded = null;
      this.p.log.error({ err }, 'browser channels could not be loaded; paging uses notify.yaml only');
    }));
  }

  async addChannel(input: ChannelInput, actor: string): Promise<StoredChannelView> {
    if (this.fileConfig.fileChannelIds?.includes(input.id) || this.fileConfig.channels.has(input.id)) throw nameInFile(input.id);
    const view = await this.channelStore.create(input, actor);
    await this.channelsChanged();
    return view;
  }

  async updateChannel(id: string, input: ChannelUpdate, actor: string): Promise<StoredChannelView> {
    const view = await this.channelStore.update(id, input, actor);
    await this.channelsChanged();
    return view;
  }

  async removeChannel(id: string): Promise<void> {
    await this.channelStore.remove(id);
    await this.channelsChanged();
  }

  /** In use here at once; the other nodes of a cluster reload on the bus event. */
  private async channelsChanged(): Promise<void> {
    await this.reloadChannels();
    this.p.bus.publish({ type: CHANNELS_CHANGED, at: this.p.clock.now() });
  }

  /** The plan's roles, which a browser channel's routing may name. */
  planRoles() {
    return this.p.plan.roles.map((r) => ({ id: r.id, name: r.name }));
  }

  /** Every channel (file and browser) with its state, last delivery and last test. */
  async channelOverview(): Promise<ChannelOverview> {
    await this.channelsReady();
    return channelOverview(this.db, this.fileConfig, this.config, await this.channelStore.list());
  }

  /** Starts sending (after LIFELINE_NOTIFY_WORKER_DELAY, when set), and the daily warning about unstaffed duty slots. */
  async start(): Promise<void> {
    await this.channelsReady();
    if (!this.options.manualTimers) {
      this.gapChecks = new Scheduler(
        this.p.clock,
        () => this.warnGaps(),
        (err) => this.p.log.error({ err }, 'duty gap check failed'),
      );
      void this.warnGaps().catch((err) => this.p.log.error({ err }, 'duty gap check failed'));
    }
    if (this.config.workerDelayMs > 0) {
      this.p.log.warn({ delayMs: this.config.workerDelayMs }, 'paging worker starts late (LIFELINE_NOTIFY_WORKER_DELAY)');
      this.delay = setTimeout(() => void this.worker.start().catch((err) => this.p.log.error({ err }, 'paging worker failed to start')), this.config.workerDelayMs);
      return Promise.resolve();
    }
    return this.worker.start();
  }

  /** Logs, a week ahead, every slot of a paged role that nobody (active) holds; again every day. */
  async warnGaps(days = 7): Promise<void> {
    const now = this.p.clock.now();
    const gaps = await this.people.gaps({ from: now, days });
    if (gaps.length) {
      const iso = (ms: number) => new Date(ms).toISOString();
      this.p.log.warn(
        { count: gaps.length, gaps: gaps.slice(0, 20).map((g) => ({ role: g.role, from: iso(g.from), to: iso(g.to), reason: g.reason })) },
        `duty slots nobody holds in the next ${days} days (GET /api/v1/oncall/gaps)`,
      );
    }
    this.gapChecks?.add(now + Day.ms);
  }

  async stop(): Promise<void> {
    this.gapChecks?.stop();
    if (this.delay) clearTimeout(this.delay);
    this.unsubscribe?.();
    await this.worker.stop();
  }

  // ---- links ------------------------------------------------------------------------------------

  ackLink(pageId: string, expiresAt: number): string {
    return `${this.publicUrl}/a/${signToken(this.secret(), 'ack', pageId, expiresAt)}`;
  }

  private async pageOf(token: string): Promise<{ page: NotifyPagesTable; person: Person }> {
    const check = verifyToken(this.secret(), 'ack', token, this.p.clock.now());
    if (!check.ok && check.reason === 'expired') throw new AppError('ACK_LINK_EXPIRED', 410, 'this link has expired; open the incident in Lifeline instead');
    if (!check.ok) throw new NotFoundError('acknowledgement link', 'ACK_LINK_INVALID');
    const page = await this.db.selectFrom('notify_pages').selectAll().where('id', '=', check.id).executeTakeFirst();
    if (!page?.person_id) throw new NotFoundError('acknowledgement link', 'ACK_LINK_INVALID');
    return { page, person: await this.people.store.get(page.person_id) };
  }

  /** What a link is about, for the phone page behind /a/<token>. */
  async ackInfo(token: string) {
    const { page, person } = await this.pageOf(token);
    const incident = page.incident_id
      ? await this.db.selectFrom('incidents').select(['id', 'title', 'level', 'provisional', 'state']).where('id', '=', page.incident_id).executeTakeFirst()
      : undefined;
    const done = await this.db.selectFrom('notify_acks').selectAll().where('page_id', '=', page.id).execute();
    return {
      incident: incident ? { id: incident.id, title: incident.title, level: incident.level as LevelId, provisional: incident.provisional === 1, state: incident.state as IncidentState } : null,
      recipient: { name: person.name },
      role: { id: page.role, name: this.p.plan.roles.find((r) => r.id === page.role)?.name ?? { zh: page.role, en: page.role } },
      actions: ACK_ACTIONS.map((action) => {
        const d = done.find((x) => x.action === action);
        return { action, label: ACTION_LABELS[action], done: Boolean(d), at: d ? new Date(d.at).toISOString() : null };
      }),
      expiresAt: new Date(page.expires_at).toISOString(),
    };
  }

  /**
   * Records the action of a link as its recipient (name) in the role they were paged for: the evidence that
   * meets O3.1 (acknowledge) or O3.2 (check_in). Once per action and link; the person's pages stop repeating.
   */
  async answer(token: string, action: AckAction) {
    return this.acks.run(async () => {
      const { page, person } = await this.pageOf(token);
      if (!page.incident_id && action !== 'acknowledge') throw new ConflictError('this page belongs to no incident: it can only be acknowledged', 'ACK_NO_INCIDENT');
      const used = await this.db.selectFrom('notify_acks').select('at').where('page_id', '=', page.id).where('action', '=', action).executeTakeFirst();
      if (used) throw new ConflictError(`this page was already answered (${action}) at ${new Date(used.at).toISOString()}`, 'ACK_ALREADY_USED');
      if (page.incident_id) await this.p.engine.act(page.incident_id, { type: action }, person.name, page.role);
      const now = this.p.clock.now();
      await this.acknowledgedBy({ incidentId: page.incident_id, personId: person.id, role: page.role, action, at: now, via: { link: page.id } });
      if (!page.incident_id) return { ok: true, action, at: new Date(now).toISOString(), recipient: { name: person.name }, obligations: [] };
      this.p.bus.publish({ type: 'incident.updated', incidentId: page.incident_id, at: now });
      const obligations = await this.db.selectFrom('obligations').select(['rule_id', 'state', 'met_by', 'met_at']).where('incident_id', '=', page.incident_id).execute();
      const evidenceOf = (ruleId: string) => this.p.plan.obligations.find((o) => o.id === ruleId)?.evidence;
      return {
        ok: true,
        action,
        at: new Date(now).toISOString(),
        recipient: { name: person.name },
        obligations: obligations
          .filter((o) => evidenceOf(o.rule_id) === action)
          .map((o) => ({ ruleId: o.rule_id, state: o.state, metBy: o.met_by, metAt: o.met_at === null ? null : new Date(o.met_at).toISOString() })),
      };
    });
  }

  // ---- one person: an answer counts for the person, wherever it was given -------------------------

  /**
   * The plan role a person answers for on an incident: the role they were paged for (`given` when it is one of
   * them), else a role they hold at `at` (`given` first), else null (the caller keeps its own).
   */
  async roleFor(incidentId: string, personId: string, given: string | undefined, at: number, db: Db = this.db): Promise<string | null> {
    const paged = await db.selectFrom('notify_pages').select('role').where('incident_id', '=', incidentId).where('person_id', '=', personId).orderBy('created_at').orderBy('id').execute();
    const roles = paged.length ? paged.map((p) => p.role) : await this.rolesHeld(db, personId, at);
    return given && roles.includes(given) ? given : (roles[0] ?? null);
  }

  private async rolesHeld(db: Db, personId: string, at: number): Promise<string[]> {
    const data = await loadOncallData(db, this.p.config.timezone, { from: at - 1, to: at + 1 });
    return this.p.plan.roles.map((r) => r.id).filter((role) => whoHolds(role, at, data).personIds.includes(personId));
  }

  /**
   * The one place an answer stops pages. A person acknowledged or checked in on an incident — in the app (the
   * engine's responder hook), by a page's link, or in a monitoring tool — so their open pages for it are answered
   * at once: no further round, their pending deliveries cancelled, and the timeline says so under their name.
   * Without an incident (`via.link`): that page only. In `trx` when given (a monitoring tool's acknowledgement is
   * processed in the engine's transaction). Returns how many open pages it answered.
   */
  async acknowledgedBy(a: { incidentId: string | null; personId: string; role: string; action: string; at: number; via: 'app' | 'monitoring' | { link: string } }, trx?: Trx): Promise<number> {
    if (!(ACK_ACTIONS as readonly string[]).includes(a.action)) return 0;
    const run = async (db: Db): Promise<number> => {
      const person = await db.selectFrom('people').select(['id', 'name']).where('id', '=', a.personId).executeTakeFirst();
      if (!person) return 0;
      const link = typeof a.via === 'object' ? a.via.link : null;
      const pages = a.incidentId
        ? await db.selectFrom('notify_pages').select(['id', 'state']).where('incident_id', '=', a.incidentId).where('person_id', '=', person.id).execute()
        : await db
            .selectFrom('notify_pages')
            .select(['id', 'state'])
            .where('id', '=', link ?? '')
            .execute();
      const open = pages.filter((p) => p.state === 'queued').map((p) => p.id);
      if (open.length) {
        await db.updateTable('notify_pages').set({ state: 'acked', acked_at: a.at, next_repeat_at: null }).where('id', 'in', open).where('state', '=', 'queued').execute();
        await db.updateTable('notify_deliveries').set({ status: 'cancelled' }).where('page_id', 'in', open).where('status', '=', 'pending').execute();
      }
      if (pages.length) {
        await db
          .insertInto('notify_acks')
          .values(pages.map((p) => ({ page_id: p.id, action: a.action, incident_id: a.incidentId, person_id: person.id, at: a.at })))
          .onConflict((oc) => oc.columns(['page_id', 'action']).doNothing())
          .execute();
      }
      const note = link
        ? {
            kind: 'page.answered' as const,
            message: `${person.name} answered the page (${a.action}) from its link`,
            data: { page: link, person: person.id, role: a.role, action: a.action, by: PAGING_ACTOR },
          }
        : {
            kind: 'page.acknowledged' as const,
            message: `${person.name} (${a.role}) answered (${a.action}) ${a.via === 'app' ? 'in Lifeline' : 'in the monitoring tool'}: ${open.length} open page(s) stop`,
            data: { person: person.id, name: person.name, role: a.role, action: a.action, via: a.via, pages: open.length },
          };
      await appendChained(db, 'timeline', [
        { id: newId('tl_'), incident_id: a.incidentId, at: a.at, actor: person.name, kind: note.kind satisfies TimelineKind, message: note.message, data: JSON.stringify(note.data) },
      ]);
      return open.length;
    };
    return trx ? run(trx) : this.db.transaction().execute(run);
  }

  /**
   * A monitoring tool's acknowledgement of an alert (processed in the engine's transaction): it counts for the
   * person its author names (name, 工号, mobile or user name, when exactly one person matches), else for whoever
   * holds, at that instant, the role the incident first paged.
   */
  async acknowledgedInTool(trx: Trx, ack: { source: string; alertKey: string; author: string | null; at: number }): Promise<void> {
    const alert = await trx
      .selectFrom('alerts')
      .innerJoin('incidents', 'incidents.id', 'alerts.incident_id')
      .select(['alerts.incident_id', 'incidents.state'])
      .where('alerts.source', '=', ack.source)
      .where('alerts.dedup_key', '=', ack.alertKey)
      .executeTakeFirst();
    if (!alert?.incident_id || alert.state === 'closed') return;
    const incidentId = alert.incident_id;
    const opened = await trx.selectFrom('notify_pages').select('role').where('incident_id', '=', incidentId).where('step', '=', 'opened').executeTakeFirst();
    const onCallRole = opened?.role ?? 'tech_oncall';
    const author = ack.author ? await this.personNamed(trx, ack.author) : null;
    if (author) {
      const role = (await this.roleFor(incidentId, author, undefined, ack.at, trx)) ?? onCallRole;
      await this.acknowledgedBy({ incidentId, personId: author, role, action: 'acknowledge', at: ack.at, via: 'monitoring' }, trx);
      return;
    }
    if (!this.p.plan.roles.some((r) => r.id === onCallRole)) return;
    const data = await loadOncallData(trx, this.p.config.timezone, { from: ack.at - 1, to: ack.at + 1 });
    for (const personId of whoHolds(onCallRole, ack.at, data).personIds) {
      await this.acknowledgedBy({ incidentId, personId, role: onCallRole, action: 'acknowledge', at: ack.at, via: 'monitoring' }, trx);
    }
  }

  /** The one person a monitoring tool's author names (name, 工号, mobile, or the user name of a linked account); null when none or several. */
  private async personNamed(db: Db, author: string): Promise<string | null> {
    const text = author.trim();
    if (!text) return null;
    const people = await db
      .selectFrom('people')
      .select('id')
      .where('active', '=', 1)
      .where((eb) => eb.or([eb('name', '=', text), eb('employee_no', '=', text), eb('mobile', '=', text)]))
      .execute();
    const accounts = await db.selectFrom('auth_users').select('person_id').where('username', '=', text.toLowerCase()).where('person_id', 'is not', null).execute();
    const ids = new Set([...people.map((p) => p.id), ...accounts.map((a) => a.person_id!)]);
    return ids.size === 1 ? [...ids][0] : null;
  }

  // ---- calendar feed ----------------------------------------------------------------------------

  /** A long-lived, signed URL of a person's duty calendar, for calendar apps that cannot sign in. */
  feedUrl(personId: string): string {
    return `${this.publicUrl}/api/v1/ical/${signToken(this.secret(), 'ical', personId, this.p.clock.now() + 365 * Day.ms)}.ics`;
  }

  async feed(token: string): Promise<string> {
    const check = verifyToken(this.secret(), 'ical', token.replace(/\.ics$/, ''), this.p.clock.now());
    if (!check.ok) throw new NotFoundError('calendar feed', 'FEED_INVALID');
    return this.people.calendar(await this.people.store.get(check.id));
  }

  // ---- tests and views --------------------------------------------------------------------------

  /** `lifeline notify test`: a clearly marked test message to one person on one channel, outside the outbox. */
  async sendTest(channelId: string, personRef: string, by = 'cli'): Promise<Attempt & { person: { id: string; name: string } }> {
    await this.channelsReady();
    const channel = this.config.channels.get(channelId);
    if (!channel) {
      throw new NotFoundError(`channel ${channelId} (configured: ${[...this.config.channels.keys()].join(', ') || 'none'})`, 'CHANNEL_NOT_CONFIGURED');
    }
    const person = await this.people.store.find(personRef);
    if (channel.address && !person[channel.address as keyof Person]) {
      throw new ValidationError(`${person.name} has no ${channel.address} for ${channel.kind}`, [{ path: 'to', message: `needs ${channel.address}` }], 'RECIPIENT_NO_ADDRESS');
    }
    const attempt = await dispatch(channel, renderTest(person.name, channelId, this.config.language), recipientOf(person), { now: () => this.p.clock.now(), timeoutMs: this.config.sendTimeoutMs });
    this.p.log.info({ channel: channelId, kind: channel.kind, person: person.id, status: attempt.delivery.status }, 'channel test sent');
    await this.db
      .insertInto('notify_channel_tests')
      .values({
        id: newId('ct_'),
        channel: channelId,
        at: attempt.at,
        person_id: person.id,
        person_name: person.name,
        status: attempt.delivery.status,
        error: attempt.delivery.status === 'failed' ? attempt.delivery.reason : null,
        by,
      })
      .execute();
    return { ...attempt, person: { id: person.id, name: person.name } };
  }

  /** Who was paged for an incident, on which channel, with what result and when they answered. */
  async deliveries(incidentId: string) {
    const rows = await this.db
      .selectFrom('notify_deliveries')
      .innerJoin('notify_pages', 'notify_pages.id', 'notify_deliveries.page_id')
      .leftJoin('people', 'people.id', 'notify_deliveries.person_id')
      .select([
        'notify_deliveries.id',
        'notify_deliveries.channel',
        'notify_deliveries.kind',
        'notify_deliveries.round',
        'notify_deliveries.status',
        'notify_deliveries.attempts',
        'notify_deliveries.created_at',
        'notify_deliveries.sent_at',
        'notify_deliveries.last_error',
        'notify_deliveries.digest_id',
        'notify_deliveries.person_id',
        'notify_pages.role',
        'notify_pages.step',
        'notify_pages.acked_at',
        'notify_pages.deputy_rank',
        'people.name',
      ])
      .where('notify_deliveries.incident_id', '=', incidentId)
      .orderBy('notify_deliveries.created_at')
      .orderBy('notify_deliveries.id')
      .execute();
    const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
    return rows.map((r) => ({
      id: r.id,
      channel: r.channel,
      kind: r.kind,
      person: r.name ?? r.person_id,
      personId: r.person_id,
      role: r.role,
      step: r.step,
      deputyRank: r.deputy_rank,
      round: r.round,
      status: r.status,
      attempts: r.attempts,
      at: iso(r.created_at),
      sentAt: iso(r.sent_at),
      ackAt: iso(r.acked_at),
      error: r.last_error,
      digest: r.digest_id,
    }));
  }

  /** Pages (one per person and cause) of an incident, with their state. */
  async pages(incidentId: string) {
    return this.db
      .selectFrom('notify_pages')
      .select(['id', 'step', 'reason', 'role', 'person_id', 'deputy_rank', 'state', 'round', 'at', 'created_at', 'acked_at'])
      .where('incident_id', '=', incidentId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
  }
}
