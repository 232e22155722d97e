// Baseline for the status page: a bare Fastify GET route answering the page's own bytes (BODY_FILE), or a fixed
// string of BODY_BYTES.
import fs from 'node:fs';
import Fastify from 'fastify';

const body = process.env.BODY_FILE ? fs.readFileSync(process.env.BODY_FILE) : 'x'.repeat(Number(process.env.BODY_BYTES ?? 20_000));
const app = Fastify();
app.get('/status', async (_req, reply) => reply.type('text/html; charset=utf-8').send(body));
await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT) });
console.log('ready');
