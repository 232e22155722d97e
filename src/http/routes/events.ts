import type { FastifyInstance } from 'fastify';
import type { ChangeEvent } from '../../events/bus.js';
import type { Lifeline } from '../../app/compose.js';

/** The JSON of one `data:` line of GET /api/v1/events: a change (its time as ISO text), `resync` or `ping`. */
export type LiveEventMessage = Omit<ChangeEvent, 'at'> & { at: string };

/**
 * Server-sent events: one line per change, with a monotonically increasing id. After a drop the browser
 * reconnects with Last-Event-ID and is told to re-fetch (`resync`) if it missed anything.
 */
export function eventRoutes(app: FastifyInstance, p: Pick<Lifeline, 'bus'>): void {
  let sequence = 0;
  const recent: { id: number; data: string }[] = [];
  p.bus.subscribe((event) => {
    recent.push({ id: ++sequence, data: JSON.stringify({ ...event, at: new Date(event.at).toISOString() } satisfies LiveEventMessage) });
    if (recent.length > 1000) recent.shift();
  });

  app.get('/api/v1/events', { config: { permission: 'incident.read' } }, (request, reply) => {
    reply.raw.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    reply.raw.write('retry: 1000\n\n');
    const lastId = Number(request.headers['last-event-id'] ?? NaN);
    if (Number.isFinite(lastId)) {
      const missed = recent.filter((e) => e.id > lastId);
      const lost = recent.length > 0 && recent[0].id > lastId + 1;
      if (lost || lastId > sequence) reply.raw.write(`id: ${sequence}\ndata: ${JSON.stringify({ type: 'resync', at: new Date().toISOString() } satisfies LiveEventMessage)}\n\n`);
      else for (const e of missed) reply.raw.write(`id: ${e.id}\ndata: ${e.data}\n\n`);
    }
    const unsubscribe = p.bus.subscribe(() => {
      const e = recent[recent.length - 1];
      if (e) reply.raw.write(`id: ${e.id}\ndata: ${e.data}\n\n`);
    });
    // a data event, not a comment: the page can see it and reopen a stream a proxy has silently dropped
    const keepAlive = setInterval(() => reply.raw.write(`data: ${JSON.stringify({ type: 'ping', at: new Date().toISOString() } satisfies LiveEventMessage)}\n\n`), 15_000);
    request.raw.on('close', () => {
      clearInterval(keepAlive);
      unsubscribe();
    });
  });
}
