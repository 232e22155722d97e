import type { PlatformEvent } from '../plan/index.js';
import { MI_DONE } from './types.js';
import type { DowntimeContext } from './context.js';

/** Events of manual mode that the plan may let record evidence (`evidence[].recorded_by`; plan check knows the list). */
export type DowntimeEvent = Extract<PlatformEvent, `downtime.${string}`>;

/**
 * One duty, one clock: when the plan says an event of manual mode records an evidence action (a department's
 * manual mode started → manual_mode_started, so O2.3/O1.2 are met), the incident's open obligations that wait
 * for it are met through the engine, as if the person had recorded it. Nothing is recorded when no open
 * obligation waits for it (every further department would only repeat the entry).
 */
export async function recordLinkedEvidence(ctx: DowntimeContext, incidentId: string, event: DowntimeEvent, actor: string): Promise<void> {
  const evidence = ctx.plan.evidence.filter((e) => e.recorded_by?.includes(event)).map((e) => e.id);
  if (evidence.length === 0) return;
  const waiting = await ctx.db.selectFrom('obligations').select(['rule_id', 'state', 'met_at']).where('incident_id', '=', incidentId).where('state', 'in', ['pending', 'breached']).execute();
  for (const id of evidence) {
    const waits = waiting.some((o) => o.met_at === null && ctx.plan.obligations.find((r) => r.id === o.rule_id)?.evidence === id);
    if (waits) await ctx.engine.act(incidentId, { type: id, note: event }, actor);
  }
}

/** Every record of the incident that needs an MI re-upload (补传) has been uploaded or settled. */
export async function miReuploadsDone(ctx: DowntimeContext, incidentId: string): Promise<boolean> {
  const rows = await ctx.db.selectFrom('downtime_items').select('mi_status').where('incident_id', '=', incidentId).where('mi_status', 'is not', null).where('state', '!=', 'void').execute();
  return rows.length > 0 && rows.every((r) => (MI_DONE as readonly string[]).includes(r.mi_status!));
}
