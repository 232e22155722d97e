/**
 * Announcements to patients: drafts prepared from the plan's templates when an obligation asks for one, edited and
 * approved by the publicity lead (approval records the plan's evidence `announcement_published`, which meets the
 * obligation in the approver's name), then published to the channels the announcement names. Updates and the
 * all-clear take the same path. Routes are in routes.ts; the pure parts in render.ts; channels in channels/.
 */
import type { EventBus } from '../../events/bus.js';
import type { IncidentEngine } from '../../incidents/engine.js';
import type { Logger } from '../../log/logger.js';
import { PUBLIC_CHANNELS, type Plan, type PublicChannelKind } from '../../plan/types.js';
import type { Clock } from '../../shared/clock.js';
import { ConflictError, NotFoundError, ValidationError } from '../../shared/errors.js';
import type { AnnouncementDeliveriesTable, AnnouncementsTable, Db } from '../../storage/index.js';
import type { SendSms } from '../status/subscribers.js';
import type { PublicNotice } from '../status/types.js';
import { publicChannels } from './channels/index.js';
import { noticePath } from './channels/onsite-notice.js';
import type { PublicityConfig } from './config.js';
import { deliverDue, deliveryRows, parseList, publishable, type DeliveryDeps } from './deliveries.js';
import { draftRow, prepareDrafts, type DraftDeps } from './drafts.js';
import { NoticePrinter, noticeHtml, type NoticeSize } from './notice.js';
import { formatInstant } from './render.js';
import type { AnnouncementView, DeliveryView, PublicChannel } from './types.js';

export interface AnnouncementDeps {
  db: Db;
  plan: Plan;
  clock: Clock;
  bus: EventBus;
  log: Logger;
  /** The engine's evidence action: approval records `announcement_published` as the approver. */
  engine: Pick<IncidentEngine, 'act'>;
  /** The channels' settings (read once, when first needed). */
  config: () => PublicityConfig;
  /** The server's public URL: the status page is <publicUrl>/status unless publicity.yaml names another. */
  publicUrl: string;
  timezone: string;
  /** SMS to a patient (src/app/public-sms.ts); null: no SMS channel. */
  sendSms: SendSms | null;
  /** Whether an SMS channel for patients is configured (else SMS shows as not configured); default: sendSms given. */
  smsConfigured?: () => boolean;
  /** `server`: a worker retries failed deliveries; drafts are prepared on the engine's events in `server` and `manual`. */
  mode: 'server' | 'cli' | 'manual';
  /** Prints HTML to PDF (the platform's one Chromium, src/reports/pdf.ts via compose); default: a browser of its own. */
  printPdf?: (html: string) => Promise<Buffer>;
  /** Test-only: replaces channels (e.g. one that fails). */
  channels?: Partial<Record<PublicChannelKind, PublicChannel>>;
}

/** Who approves or edits: the signed-in person's name, their plan role, their person of the directory. */
export interface Approver {
  actor: string;
  role?: string;
  personId?: string | null;
}

export interface AnnouncementPatch {
  title?: { zh?: string; en?: string | null };
  body?: { zh?: string; en?: string | null };
  /** epoch ms, or null: not known yet */
  expectedRecoveryAt?: number | null;
  channels?: PublicChannelKind[];
  /** The revision the editor saw; a different one is a 409 (someone else edited it meanwhile). */
  revision?: number;
}

const WORKER_EVERY_MS = 5_000;
const iso = (ms: number | null | undefined) => (ms === null || ms === undefined ? null : new Date(Number(ms)).toISOString());

export class AnnouncementService {
  readonly channels: Map<PublicChannelKind, PublicChannel>;
  readonly printer = new NoticePrinter();
  private readonly drafts: DraftDeps;
  private readonly delivery: DeliveryDeps;
  private work: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | null = null;
  private unsubscribe: (() => void) | null = null;
  private stopped = false;
  private draftsQueued = false;

  constructor(private readonly d: AnnouncementDeps) {
    const now = () => d.clock.now();
    this.channels = publicChannels({ db: d.db, config: d.config, sendSms: d.sendSms, smsConfigured: d.smsConfigured });
    for (const [kind, c] of Object.entries(d.channels ?? {})) if (c) this.channels.set(kind as PublicChannelKind, c);
    const statusUrl = () => this.statusUrl();
    this.drafts = { db: d.db, plan: d.plan, now, config: d.config, statusUrl, timezone: d.timezone };
    this.delivery = { db: d.db, plan: d.plan, now, config: d.config, channels: this.channels, statusUrl, timezone: d.timezone };
    if (d.mode !== 'cli')
      this.unsubscribe = d.bus.subscribe((e) => {
        if ((e.type !== 'incident.opened' && e.type !== 'incident.updated') || this.stopped || this.draftsQueued) return;
        // a storm of events makes one run after the one in progress, not one each
        this.draftsQueued = true;
        void this.prepareDrafts().catch(() => undefined);
      });
  }

  /** The public status page's address (QR codes, links, SMS). */
  statusUrl(): string {
    return this.d.config().statusPageUrl ?? `${this.d.publicUrl.replace(/\/+$/, '')}/status`;
  }

  /** Runs one piece of work after the ones before it (drafting and delivering never overlap themselves). */
  private queue<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.work.then(fn, fn);
    this.work = next.catch((err) => this.d.log.error({ err }, 'announcement work failed'));
    return next;
  }

  private changed(incidentId: string | null, type = 'announcement.changed'): void {
    this.d.bus.publish({ type, ...(incidentId ? { incidentId } : {}), at: this.d.clock.now() });
  }

  /** Prepares the drafts obligations ask for (idempotent; also run on the engine's events and at start). */
  prepareDrafts(): Promise<string[]> {
    return this.queue(async () => {
      this.draftsQueued = false;
      const touched = await prepareDrafts(this.drafts);
      for (const id of touched) this.changed(id);
      return touched;
    });
  }

  /** Attempts the deliveries that are due (the worker's round; tests call it after moving the clock). */
  deliverDue(): Promise<string[]> {
    return this.queue(async () => {
      const touched = await deliverDue(this.delivery);
      await this.announceTouched(touched);
      return touched;
    });
  }

  private async announceTouched(ids: string[]): Promise<void> {
    if (!ids.length) return;
    const rows = await this.d.db.selectFrom('announcements').select(['incident_id']).where('id', 'in', ids).execute();
    for (const incidentId of new Set(rows.map((r) => r.incident_id))) this.changed(incidentId);
  }

  async start(): Promise<void> {
    await this.prepareDrafts();
    if (this.d.mode !== 'server') return;
    await this.deliverDue();
    this.timer = setInterval(() => void this.deliverDue().catch(() => undefined), WORKER_EVERY_MS);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    if (this.timer) clearInterval(this.timer);
    await this.work.catch(() => undefined);
    await this.printer.close();
  }

  // ---- reading ---------------------------------------------------------------------------------

  private async row(id: string): Promise<AnnouncementsTable> {
    const row = await this.d.db.selectFrom('announcements').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw new NotFoundError(`announcement ${id}`, 'ANNOUNCEMENT_NOT_FOUND');
    return row;
  }

  private view(row: AnnouncementsTable, deliveries: AnnouncementDeliveriesTable[]): AnnouncementView {
    const p = publishable(row, this.d.plan, this.statusUrl(), this.d.timezone);
    const channels = parseList(row.channels) as PublicChannelKind[];
    const order = (c: string) => PUBLIC_CHANNELS.indexOf(c as PublicChannelKind);
    return {
      id: row.id,
      incidentId: row.incident_id,
      obligationId: row.obligation_id,
      ruleId: row.rule_id,
      templateId: row.template_id,
      kind: row.kind as AnnouncementView['kind'],
      state: row.state as AnnouncementView['state'],
      channels,
      services: p.services,
      title: { zh: row.title_zh, ...(row.title_en ? { en: row.title_en } : {}) },
      body: { zh: row.body_zh, ...(row.body_en ? { en: row.body_en } : {}) },
      preview: { title: p.title, body: p.body, sms: p.sms },
      expectedRecoveryAt: iso(row.expected_recovery_at),
      revision: row.revision,
      createdAt: iso(row.created_at)!,
      createdBy: row.created_by,
      updatedAt: iso(row.updated_at)!,
      updatedBy: row.updated_by,
      approvedAt: iso(row.approved_at),
      approvedBy: row.approved_by,
      withdrawnAt: iso(row.withdrawn_at),
      withdrawnBy: row.withdrawn_by,
      withdrawReason: row.withdraw_reason,
      deliveries: deliveries
        .sort((a, b) => order(a.channel) - order(b.channel))
        .map(
          (r): DeliveryView => ({
            channel: r.channel as PublicChannelKind,
            state: r.state as DeliveryView['state'],
            attempts: r.attempts,
            nextAt: iso(r.next_at),
            lastError: r.last_error,
            reference: r.channel === 'sms' && r.state !== 'sent' ? null : r.reference, // SMS progress holds phone numbers
            sentAt: iso(r.sent_at),
          }),
        ),
      unconfigured: PUBLIC_CHANNELS.filter((c) => this.channels.get(c)?.unavailable()),
      notice: { a4: noticePath(row.id, 'A4'), a3: noticePath(row.id, 'A3') },
    };
  }

  async get(id: string): Promise<AnnouncementView> {
    const row = await this.row(id);
    const deliveries = await this.d.db.selectFrom('announcement_deliveries').selectAll().where('announcement_id', '=', id).execute();
    return this.view(row, deliveries);
  }

  /** An incident's announcements, newest first. */
  async list(incidentId: string): Promise<AnnouncementView[]> {
    const exists = await this.d.db.selectFrom('incidents').select('id').where('id', '=', incidentId).executeTakeFirst();
    if (!exists) throw new NotFoundError(`incident ${incidentId}`, 'INCIDENT_NOT_FOUND');
    const rows = await this.d.db.selectFrom('announcements').selectAll().where('incident_id', '=', incidentId).orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
    if (!rows.length) return [];
    const deliveries = await this.d.db
      .selectFrom('announcement_deliveries')
      .selectAll()
      .where(
        'announcement_id',
        'in',
        rows.map((r) => r.id),
      )
      .execute();
    return rows.map((r) =>
      this.view(
        r,
        deliveries.filter((x) => x.announcement_id === r.id),
      ),
    );
  }

  /** The plan's templates, for the "new update" choice. */
  templates() {
    return (this.d.plan.announcement_templates ?? []).map((t) => ({ id: t.id, kind: t.kind, name: t.name ?? null, channels: t.channels }));
  }

  // ---- changing --------------------------------------------------------------------------------

  /** A new draft for an incident from a template (default: the plan's first `update` template), filled from the incident as it stands. */
  async createDraft(incidentId: string, templateId: string | undefined, by: Approver): Promise<AnnouncementView> {
    const incident = await this.d.db.selectFrom('incidents').select(['id', 'drill_run_id']).where('id', '=', incidentId).executeTakeFirst();
    if (!incident) throw new NotFoundError(`incident ${incidentId}`, 'INCIDENT_NOT_FOUND');
    if (incident.drill_run_id !== null) throw new ConflictError('a drill tells patients nothing: no announcement for a drill incident', 'ANNOUNCEMENT_DRILL').with({ incidentId });
    const templates = this.d.plan.announcement_templates ?? [];
    const template = templateId ? templates.find((t) => t.id === templateId) : templates.find((t) => t.kind === 'update');
    if (!template)
      throw new ValidationError(
        templateId ? `no announcement template ${templateId}` : 'the plan has no update template',
        [{ path: 'template', message: `must be one of ${templates.map((t) => t.id).join(', ') || '(none in the plan)'}` }],
        'ANNOUNCEMENT_TEMPLATE_UNKNOWN',
      );
    const row = await draftRow(this.drafts, template, incidentId, by.actor, { key: null, obligationId: null, ruleId: null });
    await this.d.db.insertInto('announcements').values(row).execute();
    this.changed(incidentId);
    return this.get(row.id);
  }

  private requireDraft(row: AnnouncementsTable, revision: number | undefined): void {
    if (row.state !== 'draft') throw new ConflictError(`announcement ${row.id} is ${row.state}; an approved announcement is never changed (draft an update instead)`, 'ANNOUNCEMENT_NOT_DRAFT');
    if (revision !== undefined && revision !== row.revision)
      throw new ConflictError(`announcement ${row.id} was changed meanwhile (revision ${row.revision}, you edited ${revision})`, 'ANNOUNCEMENT_EDITED', [
        { path: 'revision', message: `now ${row.revision}` },
      ]);
  }

  private checkExpected(at: number | null | undefined, path = 'expectedRecoveryAt'): void {
    if (at !== null && at !== undefined && at < this.d.clock.now())
      throw new ValidationError('the expected recovery time is in the past', [{ path, message: 'must not be in the past' }], 'EXPECTED_RECOVERY_PAST');
  }

  async edit(id: string, patch: AnnouncementPatch, by: Approver): Promise<AnnouncementView> {
    const row = await this.row(id);
    this.requireDraft(row, patch.revision);
    this.checkExpected(patch.expectedRecoveryAt);
    const set: Partial<AnnouncementsTable> = {};
    if (patch.title?.zh !== undefined) set.title_zh = patch.title.zh;
    if (patch.title?.en !== undefined) set.title_en = patch.title.en || null;
    if (patch.body?.zh !== undefined) set.body_zh = patch.body.zh;
    if (patch.body?.en !== undefined) set.body_en = patch.body.en || null;
    const titleEn = 'title_en' in set ? set.title_en : row.title_en;
    const bodyEn = 'body_en' in set ? set.body_en : row.body_en;
    if (titleEn && !bodyEn) throw new ValidationError('an English title needs an English text', [{ path: 'body.en', message: 'required with title.en' }]);
    if (bodyEn && !titleEn) throw new ValidationError('an English text needs an English title', [{ path: 'title.en', message: 'required with body.en' }]);
    if (patch.expectedRecoveryAt !== undefined) set.expected_recovery_at = patch.expectedRecoveryAt;
    if (patch.channels !== undefined) set.channels = JSON.stringify(PUBLIC_CHANNELS.filter((c) => patch.channels!.includes(c)));
    const now = this.d.clock.now();
    const r = await this.d.db
      .updateTable('announcements')
      .set({ ...set, updated_at: now, updated_by: by.actor, revision: row.revision + 1 })
      .where('id', '=', id)
      .where('state', '=', 'draft')
      .where('revision', '=', row.revision)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) this.requireDraft(await this.row(id), row.revision);
    this.changed(row.incident_id);
    return this.get(id);
  }

  /**
   * Approves a draft and publishes it: the plan's evidence `announcement_published` is recorded on the incident as
   * the approver (meeting O2.4 / O1.3 in their name), the texts are frozen with the expected recovery time filled in,
   * and every channel it names is attempted at once (the worker retries failures).
   */
  async approve(id: string, by: Approver, revision?: number): Promise<AnnouncementView> {
    const row = await this.row(id);
    this.requireDraft(row, revision);
    const channels = parseList(row.channels) as PublicChannelKind[];
    if (channels.length === 0) throw new ValidationError('name at least one channel', [{ path: 'channels', message: 'at least one channel' }], 'ANNOUNCEMENT_NO_CHANNELS');
    if (row.kind !== 'all_clear') this.checkExpected(row.expected_recovery_at === null ? null : Number(row.expected_recovery_at));
    const unfilled = /\{[a-z_]+\}/.exec([row.title_zh, row.body_zh, row.title_en ?? '', row.body_en ?? ''].join('\n').replace(/\{expected_recovery\}/g, ''));
    if (unfilled)
      throw new ValidationError(`the text still holds the placeholder ${unfilled[0]}`, [{ path: 'body', message: `placeholder ${unfilled[0]} is not filled` }], 'ANNOUNCEMENT_PLACEHOLDER').with({
        placeholder: unfilled[0],
      });
    if (row.incident_id) {
      try {
        await this.d.engine.act(row.incident_id, { type: 'announcement_published', note: `${row.id}: ${row.title_zh}`.slice(0, 2000) }, by.actor, by.role, by.personId);
      } catch (err) {
        // a closed incident with nothing left to meet: the all-clear is still published
        if ((err as { code?: string }).code !== 'INCIDENT_CLOSED') throw err;
      }
    }
    const now = this.d.clock.now();
    const p = publishable(row, this.d.plan, this.statusUrl(), this.d.timezone);
    const approved = await this.d.db.transaction().execute(async (trx) => {
      const r = await trx
        .updateTable('announcements')
        .set({
          state: 'published',
          approved_at: now,
          approved_by: by.actor,
          updated_at: now,
          updated_by: by.actor,
          title_zh: p.title.zh,
          body_zh: p.body.zh,
          title_en: p.title.en ?? null,
          body_en: p.body.en ?? null,
        })
        .where('id', '=', id)
        .where('state', '=', 'draft')
        .where('revision', '=', row.revision)
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) === 0) return false;
      await trx
        .insertInto('announcement_deliveries')
        .values(deliveryRows(this.delivery, id, channels))
        .execute();
      return true;
    });
    if (!approved) this.requireDraft(await this.row(id), row.revision);
    await this.queue(() => deliverDue(this.delivery, id));
    this.changed(row.incident_id, 'announcement.published');
    return this.get(id);
  }

  /** Tries again now the deliveries that failed or were skipped (all of them, or one channel's). */
  async retry(id: string, channel?: PublicChannelKind): Promise<AnnouncementView> {
    const row = await this.row(id);
    if (row.state !== 'published') throw new ConflictError(`announcement ${id} is ${row.state}: only a published announcement is delivered`, 'ANNOUNCEMENT_NOT_PUBLISHED');
    const now = this.d.clock.now();
    let q = this.d.db.updateTable('announcement_deliveries').set({ state: 'pending', next_at: now, updated_at: now }).where('announcement_id', '=', id).where('state', 'in', ['failed', 'skipped']);
    if (channel) q = q.where('channel', '=', channel);
    const r = await q.executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0)
      throw new ConflictError(channel ? `the ${channel} delivery has not failed` : 'no delivery has failed', 'NOTHING_TO_RETRY', channel ? [{ path: 'channel', message: 'not failed' }] : []);
    await this.queue(() => deliverDue(this.delivery, id));
    this.changed(row.incident_id);
    return this.get(id);
  }

  /** Takes an announcement off the status page (a draft: discards it); deliveries not yet made are not made. */
  async withdraw(id: string, reason: string, by: Approver): Promise<AnnouncementView> {
    const row = await this.row(id);
    if (row.state === 'withdrawn') throw new ConflictError(`announcement ${id} is already withdrawn`, 'ANNOUNCEMENT_WITHDRAWN');
    const now = this.d.clock.now();
    await this.d.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('announcements')
        .set({ state: 'withdrawn', withdrawn_at: now, withdrawn_by: by.actor, withdraw_reason: reason, updated_at: now, updated_by: by.actor })
        .where('id', '=', id)
        .where('state', '=', row.state)
        .execute();
      await trx
        .updateTable('announcement_deliveries')
        .set({ state: 'skipped', next_at: null, last_error: 'WITHDRAWN', updated_at: now })
        .where('announcement_id', '=', id)
        .where('state', 'in', ['pending', 'failed'])
        .execute();
    });
    this.changed(row.incident_id, row.state === 'published' ? 'announcement.published' : 'announcement.changed');
    return this.get(id);
  }

  /** The printable on-site notice as PDF (a draft is marked as one). */
  async noticePdf(id: string, size: NoticeSize): Promise<Buffer> {
    const row = await this.row(id);
    const p = publishable(row, this.d.plan, this.statusUrl(), this.d.timezone);
    const at = row.approved_at === null ? null : Number(row.approved_at);
    const html = await noticeHtml(
      {
        title: p.title,
        body: p.body,
        hospital: this.d.config().hospital.zh,
        statusUrl: this.statusUrl(),
        footer: at === null ? '' : `发布时间 ${formatInstant(at, 'zh', this.d.timezone)} · Published ${formatInstant(at, 'en', this.d.timezone)}`,
        draft: row.state !== 'published',
      },
      size,
    );
    return this.d.printPdf ? this.d.printPdf(html) : this.printer.print(html, size);
  }
}

const DAY_MS = 24 * 3600_000;

/**
 * What the public status page shows: announcements published on the status page (its delivery sent) and not
 * withdrawn, of open incidents, plus all-clears of the last 24 hours; newest first.
 */
export async function publishedNotices(db: Db, now = Date.now()): Promise<PublicNotice[]> {
  const rows = await db
    .selectFrom('announcements')
    .leftJoin('incidents', 'incidents.id', 'announcements.incident_id')
    .selectAll('announcements')
    .select('incidents.state as incident_state')
    .where('announcements.state', '=', 'published')
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('announcement_deliveries')
          .select('announcement_deliveries.id')
          .whereRef('announcement_deliveries.announcement_id', '=', 'announcements.id')
          .where('announcement_deliveries.channel', '=', 'status_page')
          .where('announcement_deliveries.state', '=', 'sent'),
      ),
    )
    .where((eb) =>
      eb.or([
        eb.and([eb('announcements.kind', '!=', 'all_clear'), eb.or([eb('incidents.state', '!=', 'closed'), eb('announcements.incident_id', 'is', null)])]),
        eb.and([eb('announcements.kind', '=', 'all_clear'), eb('announcements.approved_at', '>=', now - DAY_MS)]),
      ]),
    )
    .orderBy('announcements.approved_at', 'desc')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    incidentId: r.incident_id,
    kind: r.kind as PublicNotice['kind'],
    publishedAt: Number(r.approved_at),
    title: { zh: r.title_zh, ...(r.title_en ? { en: r.title_en } : {}) },
    body: { zh: r.body_zh, ...(r.body_en ? { en: r.body_en } : {}) },
    expectedRecoveryAt: r.expected_recovery_at === null ? null : Number(r.expected_recovery_at),
    services: parseList(r.services),
  }));
}
