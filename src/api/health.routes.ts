import type { Services } from '../services/index.js';
import type { HttpApp } from './http-app.js';

/** Where the server is in its life: not ready until start-up has finished, nor once shutdown began. */
export type Lifecycle = () => 'starting' | 'running' | 'closing';

export function registerHealthRoutes(app: HttpApp, services: Services, lifecycle: Lifecycle): void {
  /** Liveness: the process answers. */
  app.get('/healthz', () => ({ status: 'ok' }));

  /** Readiness: the database answers and we are not shutting down. */
  app.get('/readyz', async (_request, reply) => {
    const stage = lifecycle();
    if (stage !== 'running') return reply.status(503).send({ status: stage });
    try {
      await services.ping();
      return { status: 'ready' };
    } catch {
      return reply.status(503).send({ status: 'database unavailable' });
    }
  });
}
