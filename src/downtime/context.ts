import type { EventBus } from '../events/bus.js';
import type { IncidentEngine } from '../incidents/engine.js';
import type { Plan, RetentionClass, SystemState } from '../plan/types.js';
import type { Clock } from '../shared/clock.js';
import { ConflictError, NotFoundError } from '../shared/errors.js';
import { newId } from '../shared/ids.js';
import type { TimelineKind } from '../shared/timeline-kinds.js';
import { Day, parseIsoDuration } from '../shared/time.js';
import { appendChained, type DbKind, type Db, type Trx } from '../storage/index.js';

/** What every downtime operation needs; built once from the platform. */
export interface DowntimeContext {
  db: Db;
  dbKind: DbKind;
  plan: Plan;
  clock: Clock;
  bus: EventBus;
  engine: IncidentEngine;
  /** Where the web app is reached: QR codes on forms point there. */
  publicUrl: string;
  /** For printed dates (IANA zone, e.g. Asia/Shanghai). */
  timezone: string;
}

/** "2026-03-02 09:15" in the hospital's time zone. */
export function localTime(ctx: Pick<DowntimeContext, 'timezone'>, ms: number): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', { timeZone: ctx.timezone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(new Date(ms))
      .map((x) => [x.type, x.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}

/** Runs one unit of work in a transaction, then tells screens which incidents changed. */
export async function inTransaction<T>(ctx: DowntimeContext, work: (trx: Trx, changed: Set<string>) => Promise<T>): Promise<T> {
  const changed = new Set<string>();
  const result = await ctx.db.transaction().execute((trx) => work(trx, changed));
  const at = ctx.clock.now();
  for (const incidentId of changed) ctx.bus.publish({ type: 'incident.updated', incidentId, at });
  if (changed.size === 0) ctx.bus.publish({ type: 'downtime.changed', at });
  return result;
}

interface EventBase {
  actor: string;
  incidentId?: string | null;
  sessionId?: string | null;
  subject?: string | null;
  data?: unknown;
}

/**
 * A downtime event; with `timeline`, also a line on the incident's timeline (HICS 214-style): its `kind` is then
 * one of the timeline's (src/shared/timeline-kinds.ts), `timeline` is English prose for logs like the engine's,
 * and `data` carries what the web app needs to say it in the reader's language.
 */
export type EventInput = (EventBase & { kind: string; timeline?: undefined }) | (EventBase & { kind: TimelineKind; timeline: string; data: Record<string, unknown> });

/** Appends to the downtime audit log (and the incident timeline when asked). */
export async function record(trx: Trx, now: number, e: EventInput): Promise<void> {
  const data = e.data === undefined ? null : JSON.stringify(e.data);
  await appendChained(trx, 'downtime_events', [
    {
      id: newId('dte_'),
      at: now,
      actor: e.actor,
      kind: e.kind,
      incident_id: e.incidentId ?? null,
      session_id: e.sessionId ?? null,
      subject: e.subject ?? null,
      data,
    },
  ]);
  if (e.timeline && e.incidentId) {
    await appendChained(trx, 'timeline', [{ id: newId('tl_'), incident_id: e.incidentId, at: now, actor: e.actor, kind: e.kind, message: e.timeline, data }]);
  }
}

/** Reserves `n` values of a named counter atomically (row lock on PostgreSQL); returns the first. */
export async function reserve(trx: Trx, name: string, n: number): Promise<number> {
  await trx
    .insertInto('downtime_counters')
    .values({ name, value: 0 })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const row = await trx
    .updateTable('downtime_counters')
    .set((eb) => ({ value: eb('value', '+', n) }))
    .where('name', '=', name)
    .returning('value')
    .executeTakeFirstOrThrow();
  return Number(row.value) - n + 1;
}

/** Until when a record is kept: the plan's retention for its class, counted from the event. */
export function retainUntil(plan: Plan, cls: RetentionClass, from: number): number {
  const retention = (plan.retention ?? {}) as Record<string, unknown>;
  const text = retention[`${cls}_downtime_records`];
  const ms = typeof text === 'string' ? parseIsoDuration(text) : undefined;
  return from + (ms ?? (cls === 'inpatient' ? 30 : 15) * 365 * Day.ms);
}

export interface IncidentFacts {
  id: string;
  state: string;
  title: string;
  systems: { system: string; state: SystemState }[];
  /** The drill run, for a drill's incident (its printed forms are marked). */
  drill_run_id?: string | null;
}

export async function loadIncident(trx: Trx | Db, id: string): Promise<IncidentFacts> {
  const row = await trx.selectFrom('incidents').select(['id', 'state', 'title', 'drill_run_id']).where('id', '=', id).executeTakeFirst();
  if (!row) throw new NotFoundError(`incident ${id}`, 'INCIDENT_NOT_FOUND');
  const systems = await trx.selectFrom('incident_systems').select(['system', 'state']).where('incident_id', '=', id).execute();
  return { ...row, systems: systems.map((s) => ({ system: s.system, state: s.state as SystemState })) };
}

export async function openIncident(trx: Trx, id: string): Promise<IncidentFacts> {
  const incident = await loadIncident(trx, id);
  if (incident.state === 'closed') throw new ConflictError('the incident is closed; its downtime records are read-only', 'INCIDENT_CLOSED');
  return incident;
}

export const iso = (ms: number | null | undefined): string | null => (ms === null || ms === undefined ? null : new Date(ms).toISOString());
export const pad = (n: number, width: number) => String(n).padStart(width, '0');
