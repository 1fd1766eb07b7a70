import type { Services } from '../services/index.js';
import type { HttpApp } from './http-app.js';

/** `started`: false until start-up (migrations, demo data, dispatcher) has finished. */
export function registerHealthRoutes(
  app: HttpApp,
  services: Services,
  started: () => boolean = () => true,
): void {
  let closing = false;
  app.addHook('preClose', (done) => {
    closing = true;
    done();
  });

  /** Liveness: the process answers. */
  app.get('/healthz', () => ({ status: 'ok' }));

  /** Readiness: the database answers and we are not shutting down. */
  app.get('/readyz', async (_request, reply) => {
    if (closing) return reply.status(503).send({ status: 'closing' });
    if (!started()) return reply.status(503).send({ status: 'starting' });
    try {
      await services.ping();
      return { status: 'ready' };
    } catch {
      return reply.status(503).send({ status: 'database unavailable' });
    }
  });
}
