import type { Platform } from '../platform.js';
import type { DowntimeContext } from './context.js';
import { openForClose } from './sessions.js';

const installed = new WeakMap<Platform, DowntimeContext>();

/**
 * Wires the downtime module into a platform (once): its context, and the closure gate — an incident does not
 * close while a manual-mode session is neither reconciled nor waived by the HQ.
 */
export function installDowntime(p: Platform): DowntimeContext {
  const existing = installed.get(p);
  if (existing) return existing;
  const ctx: DowntimeContext = {
    db: p.db, dbKind: p.dbKind, plan: p.plan, clock: p.clock, bus: p.bus, engine: p.engine,
    publicUrl: (p.config.server.publicUrl ?? '').replace(/\/+$/, ''), timezone: p.config.timezone ?? 'Asia/Shanghai',
  };
  const previous = p.engine.hooks.canClose;
  p.engine.hooks.canClose = async (trx, incidentId) => [...(previous ? await previous(trx, incidentId) : []), ...(await openForClose(trx, ctx, incidentId))];
  installed.set(p, ctx);
  return ctx;
}
