import type { EventBus } from '../events/bus.js';
import type { IncidentEngine } from '../incidents/engine.js';
import type { IncidentQueries } from '../incidents/view.js';
import type { Logger } from '../log/logger.js';
import type { Plan } from '../plan/types.js';
import type { Clock } from '../shared/clock.js';
import type { Db } from '../storage/index.js';

/** What the drills use; the composition root passes it in (src/app/compose.ts). */
export interface DrillDeps {
  db: Db;
  plan: Plan;
  clock: Clock;
  bus: EventBus;
  log: Logger;
  engine: IncidentEngine;
  incidents: IncidentQueries;
  timezone: string;
  /** `server`: drills run on real time; otherwise the caller drives the clock. */
  background: boolean;
}

/** Drills: the plan's catalogue and calendar, runs on the live system, observers' marks, scores and reports. */
export class DrillService {
  constructor(readonly deps: DrillDeps) {}

  async start(): Promise<void> {}

  async stop(): Promise<void> {}
}
