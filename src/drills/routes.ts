import type { FastifyInstance } from 'fastify';
import type { DrillService } from './service.js';

/** The drills' HTTP API (`/api/v1/drills…`). */
export async function drillRoutes(_app: FastifyInstance, _drills: DrillService): Promise<void> {}
