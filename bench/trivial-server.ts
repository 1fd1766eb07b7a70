import Fastify from 'fastify';

/** The machine's HTTP ceiling: the smallest Fastify JSON route. */
const app = Fastify({ logger: false });
app.get('/ping', () => ({ code: 0, msg: 'success', data: { ok: true } }));
await app.listen({ host: '127.0.0.1', port: Number(process.argv[2]) });
