// Baseline: a bare Fastify endpoint that parses the same JSON body and answers 202, storing nothing.
import Fastify from 'fastify';

const app = Fastify();
app.post('/api/v1/signals', async (_req, reply) => reply.status(202).send({ accepted: 1 }));
await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT) });
console.log('ready');
