import type { EngineHooks } from '../incidents/engine.js';
import { newId } from '../shared/ids.js';
import { appendChained, type SignalsTable, type Trx } from '../storage/index.js';
import { ACK_OF_LABEL } from './acknowledgements.js';
import { ACK_LABEL } from './format.js';

/**
 * Noise control, run by the incident engine for every mapped signal before it may open or change an
 * incident (EngineHooks.suppress). It merges, it never silences an alarm that would reach nobody else. The
 * signal is always stored; an outcome here only records why it changed nothing:
 *   acknowledged — an acknowledgement from the monitoring tool (label lifeline_ack): it never opens an
 *                  incident; on an open incident it is noted on the timeline;
 *   maintenance  — a firing signal inside a maintenance window of its system or component (announced work).
 * Flapping (EngineHooks.flapping): an alert whose incident was closed fires again. After `flapReopens`
 * re-openings within `flapWindowMs` it is flapping: the engine re-opens its incident (marked flapping, paging
 * at least once per window) instead of opening one more. Flapping while an incident is open needs nothing
 * here: the engine joins the open incident of the system, and every relapse re-arms the plan's clocks.
 */
export interface NoiseOptions {
  /** How many times a closed incident's alert may open a new incident within the window. */
  flapReopens: number;
  flapWindowMs: number;
}

/** On a stored acknowledgement: the identity (dedup key) of the alert it acknowledges. */

export const DEFAULT_NOISE: NoiseOptions = { flapReopens: 2, flapWindowMs: 30 * 60_000 };

/** Intake's noise control (maintenance windows, acknowledged alerts, flap detection), as the engine's hooks. */
export function noiseControl(options: Partial<NoiseOptions> = {}): Required<Pick<EngineHooks, 'suppress' | 'flapping'>> {
  const opts = { ...DEFAULT_NOISE, ...options };
  const windows = new WeakMap<object, ActiveWindows>(); // per processing round (its transaction)
  return {
    suppress: (trx, signal) => {
      let active = windows.get(trx);
      if (!active) windows.set(trx, (active = activeWindows(trx, signal.received_at - WINDOW_LOOKBACK_MS)));
      return suppress(trx, signal, active);
    },
    flapping: async (trx, signal) => ({ flapping: await reopenedTooOften(trx, signal, opts), windowMs: opts.flapWindowMs }),
  };
}

type Window = { system: string; component: string; starts_at: number; ends_at: number };
/** The windows that end after `since`, read once per round. */
type ActiveWindows = { since: number; list: Promise<Window[]> };
/** Signals are rarely older than this when they arrive; older ones ask the database themselves. */
const WINDOW_LOOKBACK_MS = 24 * 3600_000;

function activeWindows(db: Trx, since: number): ActiveWindows {
  const list = db.selectFrom('maintenance_windows').select(['system', 'component', 'starts_at', 'ends_at']).where('cancelled_at', 'is', null).where('ends_at', '>', since).execute();
  return { since, list };
}

async function inMaintenance(db: Trx, s: SignalsTable, at: number, active: ActiveWindows): Promise<boolean> {
  if (at > active.since) {
    return (await active.list).some((w) => w.system === s.system && (w.component === '' || w.component === s.component) && w.starts_at <= at && w.ends_at > at);
  }
  const window = await db
    .selectFrom('maintenance_windows')
    .select('id')
    .where('system', '=', s.system!)
    .where('component', 'in', ['', s.component])
    .where('cancelled_at', 'is', null)
    .where('starts_at', '<=', at)
    .where('ends_at', '>', at)
    .limit(1)
    .executeTakeFirst();
  return window !== undefined;
}

async function suppress(db: Trx, s: SignalsTable, active: ActiveWindows): Promise<string | null> {
  const labels = JSON.parse(s.labels) as Record<string, string>;
  if (labels[ACK_LABEL] === 'true') {
    const known = await noteAcknowledgement(db, s, labels[ACK_OF_LABEL] ?? s.dedup_key);
    // an acknowledgement of an alert never seen, naming no system, waits unmapped for a person
    return known || s.system ? 'acknowledged' : null;
  }
  if (s.status !== 'firing' || !s.system) return null; // an unmapped signal is the engine's to record
  if (await inMaintenance(db, s, Math.min(s.at, s.received_at), active)) return 'maintenance';
  return null;
}

/** Notes the acknowledgement on its alert's open incident; false when the alert is unknown. */
async function noteAcknowledgement(db: Trx, s: SignalsTable, of: string): Promise<boolean> {
  const alert = await db
    .selectFrom('alerts')
    .innerJoin('incidents', 'incidents.id', 'alerts.incident_id')
    .select(['alerts.incident_id', 'incidents.state'])
    .where('alerts.source', '=', s.source)
    .where('alerts.dedup_key', '=', of)
    .executeTakeFirst();
  if (!alert) return false;
  if (!alert.incident_id || alert.state === 'closed') return true;
  await appendChained(db, 'timeline', [
    {
      id: newId('tl_'),
      incident_id: alert.incident_id,
      at: Math.min(s.at, s.received_at),
      actor: `source:${s.source}`,
      kind: 'signal.acknowledged',
      message: `${s.source}: acknowledged in the monitoring tool${s.summary ? ` (${s.summary})` : ''}`,
      data: JSON.stringify({ signal: s.id, source: s.source, author: (JSON.parse(s.labels) as Record<string, string>).author ?? null, summary: s.summary || null }),
    },
  ]);
  return true;
}

/** Records that this firing signal re-opens a closed incident's alert; true once it has done so too often within the window. */
async function reopenedTooOften(db: Trx, s: SignalsTable, opts: NoiseOptions): Promise<boolean> {
  const now = Math.max(s.at, s.received_at);
  const row = await db.selectFrom('alert_flaps').select('reopens').where('source', '=', s.source).where('dedup_key', '=', s.dedup_key).executeTakeFirst();
  const recent = row ? (JSON.parse(row.reopens) as number[]).filter((t) => t > now - opts.flapWindowMs) : [];
  const flapping = recent.length >= opts.flapReopens;
  const reopens = JSON.stringify([...recent, now].slice(-100));
  if (row) await db.updateTable('alert_flaps').set({ reopens }).where('source', '=', s.source).where('dedup_key', '=', s.dedup_key).execute();
  else await db.insertInto('alert_flaps').values({ source: s.source, dedup_key: s.dedup_key, reopens }).execute();
  return flapping;
}
