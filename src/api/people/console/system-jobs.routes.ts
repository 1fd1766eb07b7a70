import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Services } from '../../../services/index.js';
import type { JobView } from '../../../services/system-jobs.service.js';
import { CalendarBody, calendarViewJson } from '../../admin/timers.routes.js';
import type { HttpApp } from '../../http-app.js';
import { personOf } from '../index.js';
import { sendPeopleResult } from '../reply.js';
import { flowScope, requireTenantAdmin } from './index.js';

const tags = ['console: system jobs'];
const JobId = Type.String({ minLength: 1, maxLength: 64, pattern: '^[0-9A-Za-z_-]+$' });
const ProcessParams = Type.Object({ process_id: JobId });
const JobParams = Type.Object({ process_id: JobId, job_id: JobId });
const JobStatus = Type.Enum(['pending', 'running', 'done', 'failed', 'cancelled']);
const JobKind = Type.Enum(['timer', 'action', 'compensate', 'http_action', 'notify']);

/** A job on the wire (console and admin APIs; docs/actions.md "Failures"). */
export const jobJson = (job: JobView) => ({
  job_id: job.id,
  kind: job.kind,
  key: job.key,
  process_id: job.processId,
  status: job.status,
  due_at: String(job.dueAt),
  attempts: job.attempts,
  last_error: job.lastError,
  result: job.result,
  created_at: String(job.createdAt),
  updated_at: String(job.updatedAt),
});

/**
 * Console: the tenant's working-time calendar (tenant admins) and the system jobs of processes —
 * timers, business actions, compensations — with retry for failed ones (their flows' process admins).
 */
export function registerConsoleSystemJobRoutes(admin: HttpApp, services: Services): void {
  const who = (request: FastifyRequest) => {
    const person = personOf(request);
    return { tenantId: person.tenant.id, scope: flowScope(request) };
  };

  admin.get(
    '/calendar',
    { schema: { tags, summary: 'The working-time calendar timers count in' } },
    async (request, reply) => {
      if (!requireTenantAdmin(request, reply)) return reply;
      const { tenantId } = who(request);
      return calendarViewJson(await services.calendars.viewOf(services.calendars.repos(), tenantId));
    },
  );
  admin.put(
    '/calendar',
    {
      schema: {
        tags,
        summary: 'Set the working-time calendar (applies to timers set afterwards)',
        body: CalendarBody,
      },
    },
    async (request, reply) => {
      if (!requireTenantAdmin(request, reply)) return reply;
      const { tenantId } = who(request);
      return sendPeopleResult(
        reply,
        await services.calendars.putFor(services.calendars.repos(), tenantId, request.body),
        calendarViewJson,
      );
    },
  );

  admin.get(
    '/processes/:process_id/jobs',
    {
      schema: {
        tags,
        summary: "A process's timers, business action and compensation",
        params: ProcessParams,
      },
    },
    async (request, reply) => {
      const { tenantId, scope } = who(request);
      return sendPeopleResult(
        reply,
        await services.systemJobs.ofProcess(tenantId, scope, request.params.process_id),
        (jobs) => ({
          items: jobs.map(jobJson),
        }),
      );
    },
  );
  admin.post(
    '/processes/:process_id/jobs/:job_id/retry',
    { schema: { tags, summary: 'Run a failed job again', params: JobParams } },
    async (request, reply) => {
      const { tenantId, scope } = who(request);
      return sendPeopleResult(
        reply,
        await services.systemJobs.retry(tenantId, scope, request.params.process_id, request.params.job_id),
        jobJson,
      );
    },
  );
  admin.get(
    '/jobs',
    {
      schema: {
        tags,
        summary: 'System jobs of the flows I administer, newest first',
        querystring: Type.Object({
          status: Type.Optional(JobStatus),
          kind: Type.Optional(JobKind),
          page_size: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
          page_token: Type.Optional(JobId),
        }),
      },
    },
    async (request) => {
      const { tenantId, scope } = who(request);
      const q = request.query;
      const page = await services.systemJobs.list(
        tenantId,
        scope,
        { status: q.status, kind: q.kind },
        q.page_size ?? 20,
        q.page_token,
      );
      return { items: page.items.map(jobJson), ...(page.next ? { page_token: page.next } : {}) };
    },
  );
}
