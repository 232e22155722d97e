/**
 * GET /api/v1/history/incidents, GET /api/v1/history/incidents.csv, GET /api/v1/figures (permission
 * incident.read). Thin: the service validates the query (400 problem+json naming the field) and does the work.
 */
import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { localParts } from '../people/zoned.js';
import type { Clock } from '../shared/clock.js';
import { parseLang } from './filters.js';
import type { HistoryService } from './service.js';

export function historyRoutes(app: FastifyInstance, p: { history: HistoryService; clock: Clock }): void {
  app.get('/api/v1/history/incidents', { config: { permission: 'incident.read' } }, async (request) => p.history.list(request.query));

  app.get('/api/v1/history/incidents.csv', { config: { permission: 'incident.read' } }, async (request, reply) => {
    const lang = parseLang(request.query);
    const lines = p.history.csv(request.query, lang); // throws (400) before anything is sent
    const day = localParts(p.clock.now(), p.history.timezone).date.replaceAll('-', '');
    return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="lifeline-incidents-${day}.csv"`).header('cache-control', 'no-store').send(Readable.from(lines));
  });

  app.get('/api/v1/figures', { config: { permission: 'incident.read' } }, async (request) => p.history.figures(request.query));
}
