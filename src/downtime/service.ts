import type { CloseBlock } from '../incidents/engine.js';
import type { Trx } from '../storage/index.js';
import type { DowntimeContext } from './context.js';
import { closeBlockers, endWithIncident } from './sessions.js';

/**
 * The engine's close gate (wired by the composition root): the sessions with paper still to back-enter block the
 * close; when nothing blocks, the sessions that issued nothing end with the incident in the same transaction.
 */
export async function openForClose(trx: Trx, ctx: DowntimeContext, incidentId: string, actor = 'system'): Promise<CloseBlock[]> {
  const blocks = await closeBlockers(trx, ctx, incidentId);
  if (blocks.length === 0) await endWithIncident(trx, ctx, incidentId, actor);
  return blocks;
}

/** The downtime module's context, built once by the composition root (which also wires `openForClose` as the close gate). */
export function downtimeContext(deps: DowntimeContext): DowntimeContext {
  return { ...deps, publicUrl: deps.publicUrl.replace(/\/+$/, '') };
}
