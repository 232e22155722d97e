/**
 * Reminders to a drill's organiser: at each `remind_before` ahead of a fixed date (the organiser's planned day,
 * else the last run plus `every`; an entry never run and not planned has no date to remind of, it shows as due).
 * Each reminder is recorded (`drill_reminders`, keyed by entry, date and window) before it is sent: never twice.
 * The message goes to the organiser role's holders on their paging channels, outside incidents (a notice).
 */
import { dispatch } from '../notify/dispatch.js';
import { channelsFor } from '../notify/paging.js';
import type { PagingService } from '../notify/service.js';
import type { RenderedMessage } from '../notify/types.js';
import { recipientOf } from '../notify/worker.js';
import type { Plan, Text } from '../plan/types.js';
import { localDay } from '../reports/post-incident/format.js';
import { parseIsoDuration } from '../shared/time.js';
import type { Db } from '../storage/index.js';
import type { CatalogueItem } from './catalogue.js';

/** Sends a notice to a plan role's holders; resolves with how many people it reached. */
export type RoleNotice = (role: string, text: Text) => Promise<number>;

export interface ReminderSent {
  catalogueId: string;
  date: string;
  before: string;
  recipients: number;
}

const dayStart = (day: string, timezone: string) => {
  // the local midnight of a day: the UTC midnight shifted by the zone's offset at that instant
  const utc = Date.parse(`${day}T00:00:00Z`);
  const local = Date.parse(`${localDay(utc, timezone)}T${new Date(utc).toLocaleTimeString('en-GB', { timeZone: timezone, hour12: false })}Z`);
  return utc - (local - utc);
};

export function reminderDate(item: CatalogueItem, timezone: string): string | null {
  if (item.plannedDate) return item.plannedDate;
  if (!item.lastRun) return null;
  return localDay(Date.parse(item.nextDue), timezone);
}

export async function sendDueReminders(deps: { db: Db; plan: Plan; timezone: string; notice: RoleNotice }, items: CatalogueItem[], now: number): Promise<ReminderSent[]> {
  const sent: ReminderSent[] = [];
  const windows = deps.plan.drills?.remind_before ?? ['P14D', 'P1D'];
  for (const item of items) {
    const date = reminderDate(item, deps.timezone);
    if (!date) continue;
    const at = dayStart(date, deps.timezone);
    if (now >= at) continue;
    // only the narrowest window that has opened: a late start sends one reminder, not every missed one
    const open = windows.filter((w) => now >= at - (parseIsoDuration(w) ?? 0)).sort((a, b) => (parseIsoDuration(a) ?? 0) - (parseIsoDuration(b) ?? 0));
    const before = open[0];
    if (!before) continue;
    const id = `${item.id}|${date}|${before}`;
    const inserted = await deps.db
      .insertInto('drill_reminders')
      .values({ id, catalogue_id: item.id, due_at: at, remind_before: before, sent_at: now, recipients: 0 })
      .onConflict((oc) => oc.column('id').doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) continue;
    const text: Text = {
      zh: `【演练提醒】${item.title.zh} 计划于 ${date} 进行，请组织准备（演练目录）。`,
      en: `[Drill reminder] ${item.title.en} is due on ${date}: please prepare it (drill catalogue).`,
    };
    const recipients = await deps.notice(item.organiser, text);
    await deps.db.updateTable('drill_reminders').set({ recipients }).where('id', '=', id).execute();
    sent.push({ catalogueId: item.id, date, before, recipients });
  }
  return sent;
}

/** The notice through Lifeline's paging channels: each current holder of the role, on the channels routed to them. */
export function pagingNotice(paging: PagingService, now: () => number): RoleNotice {
  return async (role, text) => {
    await paging.channelsReady();
    const holding = await paging.people.whoHolds(role);
    const language = paging.config.language;
    const body = language === 'en' ? text.en : text.zh;
    const msg: RenderedMessage = { subject: body.slice(0, 40), text: body, markdown: body, short: body.slice(0, 70), links: {} };
    let reached = 0;
    for (const personId of holding.personIds) {
      const person = await paging.people.store.get(personId);
      const { use } = channelsFor(person, role, paging.config);
      let ok = false;
      for (const channelId of use) {
        const channel = paging.config.channels.get(channelId);
        if (!channel) continue;
        const attempt = await dispatch(channel, msg, recipientOf(person), { now, timeoutMs: paging.config.sendTimeoutMs });
        if (attempt.delivery.status === 'sent') ok = true;
      }
      if (ok) reached++;
    }
    return reached;
  };
}
