/**
 * Deliveries of published announcements, one row per channel: pending → sending → sent, or failed (with its reason;
 * tried again with back-off until the configured attempts are spent, then only by hand), or skipped (not configured,
 * withdrawn). A row is claimed with a conditional update and a lease (`next_at` while sending), so a delivery is
 * attempted by one worker at a time and one cut short by a stop or a crash is taken up again when its lease ends:
 * nothing is lost across a restart.
 */
import type { Plan, PublicChannelKind } from '../../plan/types.js';
import type { AnnouncementDeliveriesTable, AnnouncementsTable, Db } from '../../storage/index.js';
import { newId } from '../../shared/ids.js';
import type { PublicityConfig } from './config.js';
import { finalText, smsText } from './render.js';
import type { PublicChannel, Publishable } from './types.js';

/** How long a claimed delivery is held before another worker may take it up. */
const LEASE_MS = 2 * 60_000;

export interface DeliveryDeps {
  db: Db;
  plan: Plan;
  now: () => number;
  config: () => PublicityConfig;
  channels: Map<PublicChannelKind, PublicChannel>;
  statusUrl: () => string;
  timezone: string;
}

export const parseList = (text: string): string[] => {
  try {
    const v = JSON.parse(text) as unknown;
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
};

/** The announcement as the channels publish it (texts final, the SMS short form). */
export function publishable(row: AnnouncementsTable, plan: Plan, statusUrl: string, timezone: string): Publishable {
  const names = new Map((plan.patient_services ?? []).map((s) => [s.id, s.name]));
  const expected = row.expected_recovery_at === null ? null : Number(row.expected_recovery_at);
  const title = { zh: finalText(row.title_zh, expected, 'zh', timezone), ...(row.title_en ? { en: finalText(row.title_en, expected, 'en', timezone) } : {}) };
  const body = { zh: finalText(row.body_zh, expected, 'zh', timezone), ...(row.body_en ? { en: finalText(row.body_en, expected, 'en', timezone) } : {}) };
  return {
    id: row.id,
    incidentId: row.incident_id,
    kind: row.kind as Publishable['kind'],
    title,
    body,
    sms: {
      zh: smsText(title.zh, expected, statusUrl, 'zh', timezone, row.kind),
      ...(title.en ? { en: smsText(title.en, expected, statusUrl, 'en', timezone, row.kind) } : {}),
    },
    expectedRecoveryAt: expected,
    services: parseList(row.services).map((id) => ({ id, name: names.get(id) ?? { zh: id, en: id } })),
    publishedAt: Number(row.approved_at ?? row.updated_at),
    row,
  };
}

/** The delivery rows of a newly published announcement: pending, or skipped with the reason a channel cannot be used. */
export function deliveryRows(deps: DeliveryDeps, announcementId: string, channels: PublicChannelKind[]): AnnouncementDeliveriesTable[] {
  const now = deps.now();
  return channels.map((kind) => {
    const why = deps.channels.get(kind)?.unavailable() ?? null;
    return {
      id: newId('and_'),
      announcement_id: announcementId,
      channel: kind,
      state: why ? 'skipped' : 'pending',
      attempts: 0,
      next_at: why ? null : now,
      last_error: why,
      reference: null,
      created_at: now,
      updated_at: now,
      sent_at: null,
    };
  });
}

const backoff = (cfg: PublicityConfig, attempts: number) => Math.min(cfg.retry.maxMs, cfg.retry.firstMs * 2 ** Math.max(0, attempts - 1));

/** Attempts one delivery if it can be claimed; returns whether it was attempted. */
export async function attempt(deps: DeliveryDeps, row: AnnouncementDeliveriesTable): Promise<boolean> {
  const now = deps.now();
  const claimed = await deps.db
    .updateTable('announcement_deliveries')
    .set({ state: 'sending', attempts: row.attempts + 1, next_at: now + LEASE_MS, updated_at: now })
    .where('id', '=', row.id)
    .where('state', '=', row.state)
    .where('attempts', '=', row.attempts)
    .executeTakeFirst();
  if (Number(claimed.numUpdatedRows) === 0) return false;
  const attempts = row.attempts + 1;
  const announcement = await deps.db.selectFrom('announcements').selectAll().where('id', '=', row.announcement_id).executeTakeFirst();
  const channel = deps.channels.get(row.channel as PublicChannelKind);
  const cfg = deps.config();
  let outcome: Awaited<ReturnType<PublicChannel['publish']>>;
  if (announcement?.state !== 'published') outcome = { ok: false, notConfigured: true, error: 'WITHDRAWN: the announcement is no longer published' };
  else if (!channel) outcome = { ok: false, retryable: false, error: `unknown channel ${row.channel}` };
  else {
    try {
      outcome = await channel.publish(publishable(announcement, deps.plan, deps.statusUrl(), deps.timezone), {
        now: deps.now,
        statusUrl: deps.statusUrl(),
        progress: row.reference,
        signal: AbortSignal.timeout(cfg.sendTimeoutMs),
      });
    } catch (err) {
      outcome = { ok: false, error: (err as Error).message };
    }
  }
  const at = deps.now();
  const set: Partial<AnnouncementDeliveriesTable> = outcome.ok
    ? { state: 'sent', sent_at: at, next_at: null, last_error: null, reference: outcome.reference ?? null }
    : outcome.notConfigured
      ? { state: 'skipped', next_at: null, last_error: outcome.error }
      : {
          state: 'failed',
          last_error: outcome.error,
          next_at: outcome.retryable === false || attempts >= cfg.retry.attempts ? null : at + backoff(cfg, attempts),
          ...(outcome.progress !== undefined ? { reference: outcome.progress } : {}),
        };
  await deps.db
    .updateTable('announcement_deliveries')
    .set({ ...set, updated_at: at })
    .where('id', '=', row.id)
    .where('state', '=', 'sending')
    .where('attempts', '=', attempts)
    .execute();
  return true;
}

/** Attempts every delivery that is due (pending, failed with a next try, or sending past its lease); returns the announcements touched. */
export async function deliverDue(deps: DeliveryDeps, announcementId?: string): Promise<string[]> {
  let q = deps.db.selectFrom('announcement_deliveries').selectAll().where('state', 'in', ['pending', 'failed', 'sending']).where('next_at', 'is not', null).where('next_at', '<=', deps.now());
  if (announcementId) q = q.where('announcement_id', '=', announcementId);
  const due = await q.orderBy('next_at').limit(200).execute();
  const done = await Promise.all(due.map(async (row) => ((await attempt(deps, row)) ? row.announcement_id : null)));
  return [...new Set(done.filter((x): x is string => x !== null))];
}
