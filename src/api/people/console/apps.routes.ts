import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import type { Services } from '../../../services/index.js';
import {
  DELIVERY_MODES,
  EVENT_TYPES,
  SCOPES,
  type AppView,
  type RequestUrlCheck,
} from '../../../services/app.service.js';
import {
  METRICS_WINDOWS,
  type DeliveryDetail,
  type DeliveryFilter,
  type DeliveryMetricsView,
  type DeliveryState,
  type DeliverySummary,
  type MetricsWindow,
} from '../../../services/delivery.service.js';
import type { HttpApp } from '../../http-app.js';
import { enumOf } from '../../admin/schemas.js';
import type {
  ConsoleApp,
  ConsoleDelivery,
  ConsoleDeliveryMetrics,
  ConsoleDeliveryMode,
  ConsoleUrlVerification,
  Page,
} from '../contract.js';
import { personOf } from '../index.js';
import { decodePeopleCursor, encodePeopleCursor, PageTokenQuery } from '../paging.js';
import { iso } from '../render.js';
import { sendPeopleError, sendPeopleResult } from '../reply.js';
import { requireTenantAdmin } from './index.js';

const strict = { additionalProperties: false } as const;
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);

/** Something to read on a screen: not blank, bounded. */
const AppName = Type.String({ minLength: 1, maxLength: 100, pattern: '\\S' });
const RequestUrl = Type.String({ minLength: 1, maxLength: 2048, pattern: '^https?://[^\\s]+$' });
const VerificationToken = Type.String({ minLength: 1, maxLength: 128, pattern: '^[\\x21-\\x7e]+$' });
const EncryptKey = Type.String({ maxLength: 128, pattern: '^[\\x21-\\x7e]*$' });

const EventSettings = Type.Object(
  {
    delivery_mode: Type.Optional(enumOf(DELIVERY_MODES)),
    request_url: Type.Optional(Nullable(RequestUrl)),
    verification_token: Type.Optional(VerificationToken),
    encrypt_key: Type.Optional(Nullable(EncryptKey)),
    event_types: Type.Optional(Type.Array(enumOf(EVENT_TYPES), { maxItems: EVENT_TYPES.length * 2 })),
  },
  strict,
);
const AppCreateBody = Type.Object(
  {
    name: AppName,
    scopes: Type.Optional(Type.Array(enumOf(SCOPES), { maxItems: SCOPES.length * 2 })),
    event: Type.Optional(EventSettings),
  },
  strict,
);
const AppPatchBody = Type.Partial(AppCreateBody, strict);
const UrlCheckBody = Type.Object(
  {
    request_url: Type.Optional(RequestUrl),
    verification_token: Type.Optional(VerificationToken),
    encrypt_key: Type.Optional(Nullable(EncryptKey)),
  },
  strict,
);

const AppParams = Type.Object(
  { app_id: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' }) },
  strict,
);
const DeliveryParams = Type.Object({ delivery_id: Type.String({ pattern: '^[0-9]{1,19}$' }) }, strict);
const PageSize = Type.Integer({ minimum: 1, maximum: 100, default: 20 });
const AppsQuery = Type.Object(
  { page_size: Type.Optional(PageSize), page_token: Type.Optional(PageTokenQuery) },
  strict,
);
/** `failed` is the store's (and the admin API's) name for parked. */
const STATUS_FILTERS = ['pending', 'retrying', 'sending', 'delivered', 'parked', 'failed'] as const;
const DeliveriesQuery = Type.Object(
  {
    status: Type.Optional(enumOf(STATUS_FILTERS)),
    event_type: Type.Optional(enumOf(EVENT_TYPES)),
    process_id: Type.Optional(Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' })),
    app_id: Type.Optional(Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' })),
    created_from: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
    created_to: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
    page_size: Type.Optional(PageSize),
    page_token: Type.Optional(PageTokenQuery),
  },
  strict,
);
const MetricsQuery = Type.Object(
  { window: Type.Optional(enumOf(Object.keys(METRICS_WINDOWS) as MetricsWindow[])) },
  strict,
);

const verificationJson = (v: RequestUrlCheck): ConsoleUrlVerification => ({
  request_url: v.requestUrl,
  passed: v.passed,
  ...(v.problem !== undefined ? { problem: v.problem } : {}),
  ...(v.answer ? { answer: v.answer } : {}),
  duration_ms: v.durationMs,
  checked_at: iso(v.checkedAt),
});

const appJson = ({ app, verificationToken, encryptKey, appSecret, verification }: AppView): ConsoleApp => ({
  app_id: app.appId,
  name: app.name,
  scopes: app.scopes as ConsoleApp['scopes'],
  event: {
    delivery_mode: app.eventDeliveryMode,
    request_url: app.eventRequestUrl,
    verification_token: verificationToken,
    encrypt_key: encryptKey,
    event_types: app.eventTypes as ConsoleApp['event']['event_types'],
  },
  ...(appSecret !== undefined ? { app_secret: appSecret } : {}),
  ...(verification ? { verification: verificationJson(verification) } : {}),
  created_at: iso(app.createdAt),
  updated_at: iso(app.updatedAt),
});

const stateOf = (d: Pick<DeliverySummary, 'status' | 'attempts'>): DeliveryState =>
  d.status === 'failed'
    ? 'parked'
    : d.status === 'pending'
      ? d.attempts > 0
        ? 'retrying'
        : 'pending'
      : d.status;

const deliveryJson = (d: DeliverySummary | DeliveryDetail): ConsoleDelivery => {
  const status = stateOf(d);
  return {
    delivery_id: d.id,
    event_id: d.event_id,
    event_type: d.event_type,
    process_id: d.process_id,
    app: d.app_public_id !== null ? { app_id: d.app_public_id, name: d.app_name ?? '' } : null,
    mode: d.mode as ConsoleDeliveryMode,
    status,
    attempts: d.attempts,
    last_error: d.last_error,
    next_attempt_at: status === 'pending' || status === 'retrying' ? iso(d.next_attempt_at) : null,
    created_at: iso(d.created_at),
    delivered_at: d.delivered_at === null ? null : iso(d.delivered_at),
    ...('event' in d ? { event: JSON.parse(d.event) as unknown } : {}),
  };
};

const metricsJson = (m: DeliveryMetricsView): ConsoleDeliveryMetrics => ({
  window: m.window,
  since: iso(m.since),
  counts: m.counts,
  total: m.total,
  success_rate: m.successRate,
  mean_attempts: m.meanAttempts,
  lag_p50_ms: m.lagP50Ms,
  lag_p99_ms: m.lagP99Ms,
});

/** A time filter: an ISO 8601 date or date-time; null after answering 400 naming the field. */
function timeFilter(
  reply: FastifyReply,
  field: string,
  value: string | undefined,
): number | undefined | null {
  if (value === undefined) return undefined;
  const ms = /^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(value) ? Date.parse(value) : NaN;
  if (Number.isFinite(ms)) return ms;
  void invalid(reply, field, 'is not an ISO 8601 date or date-time (2026-12-01 or 2026-12-01T08:00:00Z)');
  return null;
}

function invalid(reply: FastifyReply, field: string, description: string): FastifyReply {
  return sendPeopleError(reply, 400, {
    code: 'invalid_field',
    message: `${field}: ${description}`,
    violations: [{ field, description }],
  });
}

/** Console: apps, event settings, the delivery log and per-app delivery metrics (tenant admins). */
export function registerConsoleAppRoutes(admin: HttpApp, services: Services): void {
  const { apps, deliveries } = services;
  const tenantKeyOf = (request: Parameters<typeof personOf>[0]) => personOf(request).tenant.tenantKey;

  admin.get('/apps', { schema: { querystring: AppsQuery } }, async (request, reply) => {
    if (!requireTenantAdmin(request, reply)) return reply;
    const { page_size: pageSize = 20, page_token: token } = request.query;
    const after = decodePeopleCursor(reply, token, 'apps');
    if (after === null) return reply;
    return sendPeopleResult(
      reply,
      await apps.list(tenantKeyOf(request), { pageSize, afterId: after }),
      (page): Page<ConsoleApp> => ({
        items: page.items.map(appJson),
        ...(page.nextAfterId !== undefined
          ? { page_token: encodePeopleCursor(page.nextAfterId, 'apps') }
          : {}),
      }),
    );
  });

  admin.post('/apps', { schema: { body: AppCreateBody } }, async (request, reply) => {
    if (!requireTenantAdmin(request, reply)) return reply;
    const result = await apps.create(tenantKeyOf(request), request.body);
    return sendPeopleResult(reply.status(result.ok ? 201 : 200), result, appJson);
  });

  admin.get('/apps/:app_id', { schema: { params: AppParams } }, async (request, reply) => {
    if (!requireTenantAdmin(request, reply)) return reply;
    return sendPeopleResult(reply, await apps.get(tenantKeyOf(request), request.params.app_id), appJson);
  });

  admin.patch(
    '/apps/:app_id',
    { schema: { params: AppParams, body: AppPatchBody } },
    async (request, reply) => {
      if (!requireTenantAdmin(request, reply)) return reply;
      return sendPeopleResult(
        reply,
        await apps.update(tenantKeyOf(request), request.params.app_id, request.body),
        appJson,
      );
    },
  );

  admin.delete('/apps/:app_id', { schema: { params: AppParams } }, async (request, reply) => {
    if (!requireTenantAdmin(request, reply)) return reply;
    const result = await apps.delete(tenantKeyOf(request), request.params.app_id);
    return sendPeopleResult(reply.status(result.ok ? 204 : 200), result, () => undefined);
  });

  admin.post('/apps/:app_id/secret', { schema: { params: AppParams } }, async (request, reply) => {
    if (!requireTenantAdmin(request, reply)) return reply;
    return sendPeopleResult(
      reply,
      await apps.rotateSecret(tenantKeyOf(request), request.params.app_id),
      appJson,
    );
  });

  admin.post(
    '/apps/:app_id/event/check',
    { schema: { params: AppParams, body: UrlCheckBody } },
    async (request, reply) => {
      if (!requireTenantAdmin(request, reply)) return reply;
      return sendPeopleResult(
        reply,
        await apps.checkRequestUrl(tenantKeyOf(request), request.params.app_id, request.body),
        verificationJson,
      );
    },
  );

  admin.get(
    '/apps/:app_id/metrics',
    { schema: { params: AppParams, querystring: MetricsQuery } },
    async (request, reply) => {
      if (!requireTenantAdmin(request, reply)) return reply;
      return sendPeopleResult(
        reply,
        await deliveries.metrics(tenantKeyOf(request), request.params.app_id, request.query.window ?? '24h'),
        metricsJson,
      );
    },
  );

  admin.get('/deliveries', { schema: { querystring: DeliveriesQuery } }, async (request, reply) => {
    if (!requireTenantAdmin(request, reply)) return reply;
    const q = request.query;
    const createdFrom = timeFilter(reply, 'created_from', q.created_from);
    if (createdFrom === null) return reply;
    const createdTo = timeFilter(reply, 'created_to', q.created_to);
    if (createdTo === null) return reply;
    if (createdFrom !== undefined && createdTo !== undefined && createdTo <= createdFrom)
      return invalid(reply, 'created_to', 'must be after created_from');
    const filter: DeliveryFilter = {
      appId: q.app_id,
      state: q.status === 'failed' ? 'parked' : q.status,
      eventType: q.event_type,
      processId: q.process_id,
      createdFrom,
      createdBefore: createdTo,
    };
    // The token is bound to the filters: a page of one search cannot continue another.
    const queryKey = `deliveries:${JSON.stringify(filter)}`;
    const after = decodePeopleCursor(reply, q.page_token, queryKey);
    if (after === null) return reply;
    return sendPeopleResult(
      reply,
      await deliveries.search(tenantKeyOf(request), filter, { pageSize: q.page_size ?? 20, afterId: after }),
      (page): Page<ConsoleDelivery> => ({
        items: page.items.map(deliveryJson),
        ...(page.nextAfterId !== undefined
          ? { page_token: encodePeopleCursor(page.nextAfterId, queryKey) }
          : {}),
      }),
    );
  });

  admin.get('/deliveries/:delivery_id', { schema: { params: DeliveryParams } }, async (request, reply) => {
    if (!requireTenantAdmin(request, reply)) return reply;
    return sendPeopleResult(
      reply,
      await deliveries.get(tenantKeyOf(request), request.params.delivery_id),
      deliveryJson,
    );
  });

  admin.post(
    '/deliveries/:delivery_id/retry',
    { schema: { params: DeliveryParams } },
    async (request, reply) => {
      if (!requireTenantAdmin(request, reply)) return reply;
      return sendPeopleResult(
        reply,
        await deliveries.retryNow(tenantKeyOf(request), request.params.delivery_id),
        deliveryJson,
      );
    },
  );

  admin.post(
    '/deliveries/:delivery_id/resend',
    { schema: { params: DeliveryParams } },
    async (request, reply) => {
      if (!requireTenantAdmin(request, reply)) return reply;
      return sendPeopleResult(
        reply,
        await deliveries.resendSettled(tenantKeyOf(request), request.params.delivery_id),
        deliveryJson,
      );
    },
  );
}
