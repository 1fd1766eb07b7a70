import { Type } from 'typebox';
import type { DirectorySnapshot } from '../../engine/approver-resolution.js';
import type { Services } from '../../services/index.js';
import type { StoredDelegation } from '../../services/delegation.service.js';
import type { HttpApp } from '../http-app.js';
import type {
  DelegationCancelled,
  DelegationCreated,
  DelegationStatus,
  DelegationView,
  Page,
} from './contract.js';
import { personOf } from './index.js';
import { decodePeopleCursor, encodePeopleCursor, PageTokenQuery } from './paging.js';
import { iso, personRef } from './render.js';
import { sendPeopleError, sendPeopleResult } from './reply.js';

// An instant with its zone: the web app sends the start and end of the chosen days in the reader's zone.
const DateTime = Type.String({
  pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,3})?)?(Z|[+-]\\d{2}:\\d{2})$',
  maxLength: 40,
});
const strict = { additionalProperties: false } as const;
const ListQuery = Type.Object(
  {
    page_size: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
    page_token: Type.Optional(PageTokenQuery),
  },
  strict,
);
const CreateBody = Type.Object(
  {
    delegate_user_id: Type.String({ minLength: 1, maxLength: 64 }),
    start_time: DateTime,
    end_time: DateTime,
    include_existing: Type.Optional(Type.Boolean()),
    return_on_end: Type.Optional(Type.Boolean()),
  },
  strict,
);
const CancelParams = Type.Object({ delegation_id: Type.String({ pattern: '^\\d{1,19}$' }) }, strict);
const tags = ['people: delegation'];

function delegationView(
  d: StoredDelegation,
  directory: DirectorySnapshot,
  status: DelegationStatus,
): DelegationView {
  return {
    delegation_id: d.id,
    delegate: personRef(directory, d.delegateId),
    start_time: iso(d.startsAt),
    end_time: iso(d.endsAt),
    status,
    created_at: iso(d.createdAt),
    include_existing: d.includeExisting,
    return_on_end: d.returnOnEnd,
    ...(d.cancelledAt !== undefined ? { cancelled_at: iso(d.cancelledAt) } : {}),
  };
}

/** A date-time the schema let through that is not a real one (2026-02-31T00:00Z). */
function instant(text: string): number {
  const ms = Date.parse(text);
  const day = text.slice(0, 10);
  return Number.isFinite(ms) && new Date(Date.parse(`${day}T00:00:00Z`)).toISOString().slice(0, 10) === day
    ? ms
    : NaN;
}

/**
 * The signed-in person's out-of-office delegations: list, create (optionally handing over open tasks,
 * now or when the range starts), cancel (giving the tasks held for them back).
 */
export function registerDelegationRoutes(app: HttpApp, services: Services): void {
  app.get(
    '/me/delegations',
    { schema: { querystring: ListQuery, tags, summary: 'My out-of-office delegations, newest first' } },
    async (request, reply) => {
      const session = personOf(request);
      const { page_size: pageSize = 20, page_token: token } = request.query;
      const after = decodePeopleCursor(reply, token, 'delegations');
      if (after === null) return reply;
      const { page, directory } = await services.delegations.list(session, { pageSize, afterId: after });
      const body: Page<DelegationView> = {
        items: page.items.map((d) => delegationView(d, directory, services.delegations.statusOf(d))),
        ...(page.nextAfterId !== undefined
          ? { page_token: encodePeopleCursor(page.nextAfterId, 'delegations') }
          : {}),
      };
      return body;
    },
  );

  app.post(
    '/me/delegations',
    { schema: { body: CreateBody, tags, summary: 'Set an out-of-office delegate for a time range' } },
    async (request, reply) => {
      const session = personOf(request);
      const body = request.body;
      const startsAt = instant(body.start_time);
      const endsAt = instant(body.end_time);
      const bad = [
        ...(Number.isNaN(startsAt) ? [{ field: 'start_time', description: 'is not a valid date-time' }] : []),
        ...(Number.isNaN(endsAt) ? [{ field: 'end_time', description: 'is not a valid date-time' }] : []),
      ];
      if (bad.length > 0)
        return sendPeopleError(reply, 400, {
          code: 'invalid_field',
          message: bad.map((v) => `${v.field}: ${v.description}`).join('; '),
          violations: bad,
        });
      const result = await services.delegations.create(session, {
        delegateUserId: body.delegate_user_id,
        startsAt,
        endsAt,
        includeExisting: body.include_existing === true,
        returnOnEnd: body.return_on_end !== false,
      });
      if (result.ok) void reply.status(201);
      return sendPeopleResult(reply, result, async (created): Promise<DelegationCreated> => {
        const directory = await services.delegations.directory(session);
        return {
          ...delegationView(created.delegation, directory, services.delegations.statusOf(created.delegation)),
          transferred_tasks: created.transferred,
          not_transferred_tasks: created.notTransferred,
        };
      });
    },
  );

  app.post(
    '/me/delegations/:delegation_id/cancel',
    { schema: { params: CancelParams, tags, summary: 'Cancel one of my delegations' } },
    async (request, reply) => {
      const session = personOf(request);
      const result = await services.delegations.cancel(session, request.params.delegation_id);
      return sendPeopleResult(
        reply,
        result,
        async ({ delegation: d, returned, notReturned }): Promise<DelegationCancelled> => ({
          ...delegationView(
            d,
            await services.delegations.directory(session),
            services.delegations.statusOf(d),
          ),
          returned_tasks: returned,
          not_returned_tasks: notReturned,
        }),
      );
    },
  );
}
