/** Shapes of announcements to patients (src/publicity/announcements): what the API returns, what a public channel implements. */
import type { AnnouncementKind, PublicChannelKind } from '../../plan/types.js';
import type { AnnouncementsTable } from '../../storage/tables/announcements.js';
import type { PublicText } from '../status/types.js';

export type AnnouncementState = 'draft' | 'published' | 'withdrawn';
export type DeliveryState = 'pending' | 'sending' | 'sent' | 'failed' | 'skipped';

/** One channel's delivery as the API shows it. */
export interface DeliveryView {
  channel: PublicChannelKind;
  state: DeliveryState;
  attempts: number;
  /** pending/failed: when the worker tries again (null: no automatic retry; use POST …/retry). */
  nextAt: string | null;
  /** Why the last attempt failed, or why the channel was skipped (NOT_CONFIGURED: …). */
  lastError: string | null;
  reference: string | null;
  sentAt: string | null;
}

/** GET /api/v1/announcements/:id (and each item of GET /api/v1/incidents/:id/announcements). */
export interface AnnouncementView {
  id: string;
  incidentId: string | null;
  obligationId: string | null;
  /** The obligation rule it was drafted for (O1.3 …), null for updates drafted by hand. */
  ruleId: string | null;
  templateId: string;
  kind: AnnouncementKind;
  state: AnnouncementState;
  channels: PublicChannelKind[];
  /** patient_services ids it speaks of, with their names. */
  services: { id: string; name: { zh: string; en: string } }[];
  /** The editable texts (a draft may still hold {expected_recovery}, filled in at approval). */
  title: PublicText;
  body: PublicText;
  /** The texts as they would be published now (every placeholder filled). */
  preview: { title: PublicText; body: PublicText; sms: PublicText };
  expectedRecoveryAt: string | null;
  revision: number;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
  approvedAt: string | null;
  approvedBy: string | null;
  withdrawnAt: string | null;
  withdrawnBy: string | null;
  withdrawReason: string | null;
  deliveries: DeliveryView[];
  /** Channels without settings (publicity.yaml): shown as not configured, skipped at publication with that reason. */
  unconfigured: PublicChannelKind[];
  /** The printable on-site notice (PDF). */
  notice: { a4: string; a3: string };
}

/** What a public channel is given to publish one announcement. */
export interface PublishContext {
  now: () => number;
  /** The public status page's address (QR codes, links, SMS). */
  statusUrl: string;
  /** What this channel stored from an earlier, partly successful attempt (a WeChat draft's media_id, SMS already sent). */
  progress: string | null;
  signal: AbortSignal;
}

export type PublishOutcome =
  | { ok: true; reference?: string }
  /** `retryable: false` gives up at once (a rejected request); `notConfigured` skips the channel with its reason. */
  | { ok: false; error: string; retryable?: boolean; notConfigured?: boolean; progress?: string };

/** The announcement as a channel sees it: published texts, every placeholder filled. */
export interface Publishable {
  id: string;
  incidentId: string | null;
  kind: AnnouncementKind;
  title: PublicText;
  body: PublicText;
  sms: PublicText;
  expectedRecoveryAt: number | null;
  services: { id: string; name: { zh: string; en: string } }[];
  publishedAt: number;
  row: AnnouncementsTable;
}

/** One public channel (one file each in channels/): publishes, never throws (a failure is an outcome). */
export interface PublicChannel {
  readonly kind: PublicChannelKind;
  /** null when the channel can be used; else why not (not configured), shown on the screen and stored when skipped. */
  unavailable(): string | null;
  publish(announcement: Publishable, ctx: PublishContext): Promise<PublishOutcome>;
}
