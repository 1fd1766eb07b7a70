import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../../../services/index.js';
import type { ConsoleAccess } from '../../../services/console-access.service.js';
import type { HttpApp } from '../../http-app.js';
import { personOf } from '../index.js';
import { sendPeopleProblem } from '../reply.js';
import { registerConsoleAdminsRoutes } from './admins.routes.js';
import { registerConsoleFlowRoutes } from './flows.routes.js';
import { registerConsoleSimulationRoutes } from './simulation.routes.js';
import { registerConsoleDirectoryRoutes } from './directory.routes.js';
import { registerConsoleAppRoutes } from './apps.routes.js';
import { registerConsoleMonitoringRoutes } from './monitoring.routes.js';
import { registerConsoleSystemJobRoutes } from './system-jobs.routes.js';
import { registerConsoleExpressionRoutes } from './expressions.routes.js';
import { registerConsolePreviewRoutes } from './preview.routes.js';
import { registerConsoleOptionsRoutes } from './options.routes.js';
import { registerConsoleLeaveRoutes } from './leave.routes.js';
import { registerConsoleSmtpRoutes } from './smtp.routes.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in person's console roles (set on every `/api/v1/admin` route). */
    consoleAccess: ConsoleAccess | null;
  }
}

/** The person's console roles; only called on console routes, where the hook set them. */
export function consoleAccessOf(request: FastifyRequest): ConsoleAccess {
  if (!request.consoleAccess) throw new Error('console route without console access');
  return request.consoleAccess;
}

/** Refuses (403 `forbidden`) unless the person is a tenant admin; true when the route may go on. */
export function requireTenantAdmin(request: FastifyRequest, reply: FastifyReply): boolean {
  if (consoleAccessOf(request).tenantAdmin) return true;
  void sendPeopleProblem(reply, 'forbidden', 'only a tenant admin may do this');
  return false;
}

/**
 * Refuses unless the person administers this flow (tenant admin, or named in its process admins).
 * A flow the person may not administer answers 404 `not_found`, like one that does not exist, so ids
 * reveal nothing.
 */
export function requireFlowAdmin(request: FastifyRequest, reply: FastifyReply, flowId: string): boolean {
  const access = consoleAccessOf(request);
  if (access.tenantAdmin || access.flowIds.includes(flowId)) return true;
  void reply.status(404).send({ error: { code: 'not_found', message: `flow ${flowId} not found` } });
  return false;
}

/** Which flows a person's lists and searches are limited to: all (tenant admin) or these. */
export function flowScope(request: FastifyRequest): 'all' | string[] {
  const access = consoleAccessOf(request);
  return access.tenantAdmin ? 'all' : access.flowIds;
}

/**
 * `/api/v1/admin`: the admin console's routes. Every one needs a console role (tenant admin, or process
 * admin of at least one flow; 403 `forbidden` otherwise); each route checks the role its operation
 * needs (requireTenantAdmin, requireFlowAdmin, flowScope). docs/console-api.md describes them.
 */
export function registerConsoleRoutes(people: HttpApp, services: Services): void {
  void people.register(
    async (instance) => {
      const admin = instance as unknown as HttpApp;
      admin.decorateRequest('consoleAccess', null);
      admin.addHook('onRequest', async (request, reply) => {
        const person = personOf(request);
        const access = await services.consoleAccess.access(person.tenant.id, person.employee);
        if (!access.tenantAdmin && access.flowIds.length === 0)
          return sendPeopleProblem(
            reply,
            'forbidden',
            'the admin console needs a tenant admin or process admin role',
          );
        request.consoleAccess = access;
      });
      registerConsoleAdminsRoutes(admin, services);
      registerConsoleFlowRoutes(admin, services);
      registerConsoleSimulationRoutes(admin, services);
      registerConsoleDirectoryRoutes(admin, services);
      registerConsoleAppRoutes(admin, services);
      registerConsoleMonitoringRoutes(admin, services);
      registerConsoleSystemJobRoutes(admin, services);
      registerConsoleExpressionRoutes(admin, services);
      registerConsolePreviewRoutes(admin, services);
      registerConsoleOptionsRoutes(admin, services);
      registerConsoleLeaveRoutes(admin, services);
      registerConsoleSmtpRoutes(admin, services);
      await Promise.resolve();
    },
    { prefix: '/admin' },
  );
}
