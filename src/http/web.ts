import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { servePageOnNotFound } from './problem.js';

const WEB_DIST = path.resolve(fileURLToPath(new URL('../../web/dist', import.meta.url)));

/** Serves the built web app at `/`: its client-side routes get index.html; an unknown page gets it with status 404. */
export async function webRoutes(app: FastifyInstance): Promise<void> {
  if (!fs.existsSync(path.join(WEB_DIST, 'index.html'))) {
    app.log.warn({ dir: WEB_DIST }, 'web app not built: run `node scripts/build-web.js` (npm start does it)');
    return;
  }
  // index: false, as '/' is one of the SPA routes below; preCompressed: the build writes .br/.gz next to each asset
  await app.register(fastifyStatic, { root: WEB_DIST, prefix: '/', wildcard: false, preCompressed: true, maxAge: '1h', index: false });
  const html = fs.readFileSync(path.join(WEB_DIST, 'index.html'));
  const spa = (_req: unknown, reply: { type: (t: string) => { header: (k: string, v: string) => { send: (b: Buffer) => void } } }) =>
    reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(html);
  for (const route of ['/', '/login', '/wall', '/plan', '/signals', '/incidents/*', '/history', '/figures', '/admin', '/admin/*', '/drills', '/drills/*', '/a/*']) app.get(route, spa as never);
  // any other page a browser asks for: the app, which shows its own "not found" screen, with the status that says so
  servePageOnNotFound(app, (_request, reply) => reply.status(404).type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(html));
}
