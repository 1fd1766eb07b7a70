import { Type } from 'typebox';
import type { Services } from '../../services/index.js';
import { calendarJson, type CalendarView } from '../../services/calendar.service.js';
import type { ClockView } from '../../services/emulator-clock.service.js';
import { MAX_ADVANCE_MS } from '../../services/emulator-clock.service.js';
import { CALENDAR_LIMITS } from '../../engine/calendar.js';
import { sendResult } from '../reply.js';
import type { AdminApp } from './index.js';
import { TenantParams } from './schemas.js';
import { jobJson } from '../people/console/system-jobs.routes.js';

const strict = { additionalProperties: false };
const Day = Type.String({ maxLength: 10 });
const Clock = Type.String({ maxLength: 5 });

/** The calendar's shape; the rules (valid zone, ordered hours, no overlapping holidays) are the service's. */
export const CalendarBody = Type.Object(
  {
    time_zone: Type.String({ minLength: 1, maxLength: 64 }),
    work_days: Type.Array(Type.Integer(), { maxItems: 7 }),
    hours: Type.Array(Type.Object({ start: Clock, end: Clock }, strict), {
      maxItems: CALENDAR_LIMITS.periodsPerDay,
    }),
    holidays: Type.Array(
      Type.Object(
        {
          start: Day,
          end: Day,
          name: Type.Optional(Type.String({ maxLength: CALENDAR_LIMITS.holidayNameLength })),
        },
        strict,
      ),
      { maxItems: CALENDAR_LIMITS.holidays },
    ),
    extra_workdays: Type.Array(Day, { maxItems: CALENDAR_LIMITS.extraWorkdays }),
  },
  strict,
);

export const calendarViewJson = (view: CalendarView) => ({
  calendar: calendarJson(view.calendar),
  is_default: view.isDefault,
  updated_at: view.updatedAt === null ? null : String(view.updatedAt),
});

const clockJson = (view: ClockView) => ({
  now: String(view.now),
  now_iso: new Date(view.now).toISOString(),
  offset_ms: view.offsetMs,
  controllable: view.controllable,
});

/** A tenant's working-time calendar, and the emulator's clock (docs/timers.md). */
export function registerTimerAdminRoutes(admin: AdminApp, services: Services): void {
  admin.get('/tenants/:tenant_key/calendar', { schema: { params: TenantParams } }, async (req, reply) =>
    sendResult(reply, await services.calendars.get(req.params.tenant_key), calendarViewJson),
  );
  admin.put(
    '/tenants/:tenant_key/calendar',
    { schema: { params: TenantParams, body: CalendarBody } },
    async (req, reply) =>
      sendResult(reply, await services.calendars.put(req.params.tenant_key, req.body), calendarViewJson),
  );
  const JobId = Type.String({ minLength: 1, maxLength: 64, pattern: '^[0-9A-Za-z_-]+$' });
  admin.get(
    '/tenants/:tenant_key/jobs',
    {
      schema: {
        params: TenantParams,
        querystring: Type.Object({
          status: Type.Optional(Type.Enum(['pending', 'running', 'done', 'failed', 'cancelled'])),
          kind: Type.Optional(
            Type.Enum([
              'timer',
              'action',
              'compensate',
              'http_action',
              'notify',
              'delegation_start',
              'delegation_end',
            ]),
          ),
          page_size: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
          page_token: Type.Optional(JobId),
        }),
      },
    },
    async (req, reply) =>
      sendResult(
        reply,
        await services.systemJobs.listForTenant(
          req.params.tenant_key,
          { status: req.query.status, kind: req.query.kind },
          req.query.page_size ?? 20,
          req.query.page_token,
        ),
        (page) => ({
          items: page.items.map(jobJson),
          has_more: page.next !== undefined,
          ...(page.next !== undefined ? { page_token: page.next } : {}),
        }),
      ),
  );
  admin.post(
    '/tenants/:tenant_key/jobs/:job_id/retry',
    { schema: { params: Type.Object({ tenant_key: TenantParams.properties.tenant_key, job_id: JobId }) } },
    async (req, reply) =>
      sendResult(
        reply,
        await services.systemJobs.retryForTenant(req.params.tenant_key, req.params.job_id),
        jobJson,
      ),
  );
  admin.get('/clock', async (_req, reply) =>
    sendResult(reply, { ok: true, value: services.emulatorClock.view() }, clockJson),
  );
  admin.post(
    '/clock',
    {
      schema: {
        body: Type.Object({ advance_ms: Type.Integer({ minimum: 1, maximum: MAX_ADVANCE_MS }) }, strict),
      },
    },
    async (req, reply) =>
      sendResult(reply, await services.emulatorClock.advance(req.body.advance_ms), clockJson),
  );
}
