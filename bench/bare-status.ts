// Baseline for the status page: a bare Fastify GET route answering a fixed string of the status page's size.
import Fastify from 'fastify';

const body = 'x'.repeat(Number(process.env.BODY_BYTES ?? 20_000));
const app = Fastify();
app.get('/status', async (_req, reply) => reply.type('text/html; charset=utf-8').send(body));
await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT) });
console.log('ready');
