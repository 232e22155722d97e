/**
 * How each paging channel is doing, for the administration screen: where it is defined (notify.yaml, read-only, or
 * the browser), whether it is in use, its last delivery (when, to whom, result) and last test, and a state read
 * from them — ok when the latest finished outcome was sent, failing when it failed (or is being retried).
 */
import { CHANNEL_FORMS } from './channel-catalog.js';
import { ADDRESS_OF, type NotifyConfig } from './config.js';
import type { StoredChannelView } from './channel-store.js';
import type { Db } from '../storage/index.js';

export type ChannelState = 'ok' | 'failing' | 'unused' | 'off';

export interface ChannelOutcome {
  at: string;
  personId: string;
  person: string;
  status: 'sent' | 'failed' | 'retrying';
  error: string | null;
}

export interface ChannelOverviewItem {
  id: string;
  kind: string;
  origin: 'file' | 'browser';
  /** in the paging configuration now (a disabled or shadowed browser channel is not) */
  inUse: boolean;
  /** a browser channel whose name notify.yaml has taken since: left out */
  shadowed: boolean;
  state: ChannelState;
  /** the recipient address the kind needs (mobile, email, wecomUserId…), null for group robots and webhooks */
  needs: string | null;
  /** for everyone / for these roles */
  routeDefault: boolean;
  routeRoles: string[];
  /** browser channels: their settings (secret fields only named in secretsSet) */
  settings: StoredChannelView | null;
  lastDelivery: ChannelOutcome | null;
  lastTest: (ChannelOutcome & { by: string }) | null;
}

export interface ChannelOverview {
  items: ChannelOverviewItem[];
  /** where notify.yaml was read from (null: no file) */
  file: string | null;
}

const iso = (ms: number) => new Date(ms).toISOString();

export async function channelOverview(db: Db, file: NotifyConfig, live: NotifyConfig, browser: StoredChannelView[]): Promise<ChannelOverview> {
  const fileIds = [...file.channels.keys()];
  const ids = [...fileIds, ...browser.map((b) => b.id).filter((id) => !fileIds.includes(id))];
  const items: ChannelOverviewItem[] = [];
  for (const id of ids) {
    const stored = fileIds.includes(id) ? null : (browser.find((b) => b.id === id) ?? null);
    const setup = live.channels.get(id);
    const kind = setup?.kind ?? stored?.kind ?? '';
    const last = await db
      .selectFrom('notify_deliveries')
      .leftJoin('people', 'people.id', 'notify_deliveries.person_id')
      .select([
        'notify_deliveries.status',
        'notify_deliveries.attempts',
        'notify_deliveries.created_at',
        'notify_deliveries.sent_at',
        'notify_deliveries.last_error',
        'notify_deliveries.person_id',
        'people.name',
      ])
      .where('notify_deliveries.channel', '=', id)
      .where((eb) => eb.or([eb('notify_deliveries.status', 'in', ['sent', 'failed']), eb.and([eb('notify_deliveries.status', '=', 'pending'), eb('notify_deliveries.attempts', '>', 0)])]))
      .orderBy('notify_deliveries.created_at', 'desc')
      .orderBy('notify_deliveries.id', 'desc')
      .limit(1)
      .executeTakeFirst();
    const test = await db.selectFrom('notify_channel_tests').selectAll().where('channel', '=', id).orderBy('at', 'desc').limit(1).executeTakeFirst();
    const lastDelivery: ChannelOutcome | null = last
      ? {
          at: iso(Number(last.sent_at ?? last.created_at)),
          personId: last.person_id,
          person: last.name ?? last.person_id,
          status: last.status === 'pending' ? 'retrying' : (last.status as 'sent' | 'failed'),
          error: last.last_error,
        }
      : null;
    const lastTest = test ? { at: iso(Number(test.at)), personId: test.person_id, person: test.person_name, status: test.status as 'sent' | 'failed', error: test.error, by: test.by } : null;
    const latest = [lastDelivery, lastTest].filter((o): o is ChannelOutcome => o !== null).sort((a, b) => b.at.localeCompare(a.at))[0];
    const inUse = !!setup;
    const state: ChannelState = !inUse ? 'off' : !latest ? 'unused' : latest.status === 'sent' ? 'ok' : 'failing';
    items.push({
      id,
      kind,
      origin: stored ? 'browser' : 'file',
      inUse,
      shadowed: !!stored && stored.enabled && !setup,
      state,
      needs: ADDRESS_OF[kind] ?? null,
      routeDefault: live.routing.default.includes(id),
      routeRoles: Object.entries(live.routing.roles)
        .filter(([, list]) => list.includes(id))
        .map(([role]) => role),
      settings: stored,
      lastDelivery,
      lastTest,
    });
  }
  return { items, file: file.source };
}

/** The form of each kind (fields, inputs, which are secret), for the browser. */
export const channelKinds = () => Object.entries(CHANNEL_FORMS).map(([kind, fields]) => ({ kind, fields, needs: ADDRESS_OF[kind] ?? null }));
