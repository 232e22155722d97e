/**
 * The status page, kept ready in memory: the zh-CN and English HTML, the JSON and their ETags. A request reads
 * the snapshot and does no database work; the snapshot is rebuilt when something it shows may have changed (an
 * incident opened or updated, an announcement published: bus events), one rebuild at a time (a change during a
 * rebuild sets a flag and one more rebuild follows), and at start. When the public content changed, the new JSON
 * is handed to the push (webhook), which never holds the page up.
 */
import { createHash } from 'node:crypto';
import type { ChangeEvent, EventBus } from '../../events/bus.js';
import type { Logger } from '../../log/logger.js';
import type { Plan } from '../../plan/types.js';
import type { Clock } from '../../shared/clock.js';
import { statusDocument, type IncidentLike } from './document.js';
import { renderStatusHtml, type Lang, type PageLinks } from './render.js';
import type { PublicNotice, StatusDocument } from './types.js';

export interface StatusVariant {
  body: string;
  /** The body encoded once (UTF-8): a request sends these bytes, never encodes the text again. */
  bytes: Buffer;
  etag: string;
}

export interface StatusSnapshot {
  doc: StatusDocument;
  json: StatusVariant;
  html: Record<Lang, StatusVariant>;
  builtAt: number;
}

export interface StatusPageDeps {
  plan: Plan;
  clock: Clock;
  log: Logger;
  bus: EventBus;
  timezone: string;
  /** The open incidents (IncidentQueries.list({ state: 'open' })). */
  openIncidents: () => Promise<IncidentLike[]>;
  /** The published announcements to show (src/publicity/announcements). */
  published: () => Promise<PublicNotice[]>;
  /** Called with the new JSON when the public content changed (the webhook push); must not throw or wait. */
  onChange?: (json: string, doc: StatusDocument) => void;
}

/** Bus events after which the page may show something else. */
export const isStatusEvent = (e: ChangeEvent): boolean => e.type.startsWith('incident.') || e.type.startsWith('announcement.') || e.type === 'resync';

const etagOf = (body: string) => `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
const variant = (body: string): StatusVariant => ({ body, bytes: Buffer.from(body, 'utf8'), etag: etagOf(body) });

export const SERVER_LINKS: PageLinks = { zh: '/status', en: '/status?lang=en', json: '/api/v1/status', api: '' };

export class StatusPage {
  private snapshot: StatusSnapshot | null = null;
  private building: Promise<void> | null = null;
  private pending = false;
  private unsubscribe: (() => void) | null = null;
  /** The public content (without updatedAt) of the snapshot, to tell a real change from a rebuild that changed nothing. */
  private contentKey = '';
  private changedAt: number;
  /** How many rebuilds ran (for tests and the bench). */
  builds = 0;

  constructor(private readonly d: StatusPageDeps) {
    this.changedAt = d.clock.now();
  }

  /** Listens to the bus (rebuild on what the page shows) and builds the first snapshot. */
  async start(): Promise<void> {
    this.listen();
    await this.refresh();
  }

  /** Starts listening without building (the first request or `refresh()` builds). */
  listen(): void {
    this.unsubscribe ??= this.d.bus.subscribe((e) => {
      if (isStatusEvent(e)) void this.refresh().catch(() => undefined);
    });
  }

  /** Stops listening and waits for a rebuild under way (the database closes next). */
  async stop(): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.pending = false;
    await this.settled();
  }

  /** The current snapshot; builds it first if there is none yet (the only case a request waits on the database). */
  async current(): Promise<StatusSnapshot> {
    if (!this.snapshot) {
      this.listen(); // from now on, kept up to date
      await this.refresh();
    }
    return this.snapshot!;
  }

  /** The snapshot without waiting, or null before the first build. */
  peek(): StatusSnapshot | null {
    return this.snapshot;
  }

  /** Rebuilds now, or once more after the rebuild under way; resolves when the page shows the state as of the call. */
  refresh(): Promise<void> {
    if (this.building) {
      this.pending = true;
      return this.settled();
    }
    this.building = (async () => {
      try {
        do {
          this.pending = false;
          try {
            await this.build();
          } catch (err) {
            this.d.log.error({ err }, 'status page rebuild failed; the last page stays up');
          }
        } while (this.pending);
      } finally {
        this.building = null;
      }
    })();
    return this.building;
  }

  /** Resolves once no rebuild is running or pending. */
  async settled(): Promise<void> {
    while (this.building) await this.building;
  }

  /** Renders a document with other links (the static export). */
  render(doc: StatusDocument, lang: Lang, links: PageLinks): string {
    return renderStatusHtml(doc, lang, links, this.d.timezone);
  }

  private async build(): Promise<void> {
    const [incidents, notices] = await Promise.all([this.d.openIncidents(), this.d.published()]);
    const probe = statusDocument(this.d.plan, incidents, notices, 0);
    const key = JSON.stringify({ ...probe, updatedAt: undefined });
    const changed = key !== this.contentKey;
    if (!changed && this.snapshot) return;
    if (changed && this.snapshot) this.changedAt = this.d.clock.now();
    const doc = { ...probe, updatedAt: new Date(this.changedAt).toISOString() };
    const json = JSON.stringify(doc);
    this.snapshot = {
      doc,
      json: variant(json),
      html: { zh: variant(this.render(doc, 'zh', SERVER_LINKS)), en: variant(this.render(doc, 'en', SERVER_LINKS)) },
      builtAt: this.d.clock.now(),
    };
    this.contentKey = key;
    this.builds += 1;
    this.d.onChange?.(json, doc);
  }
}
