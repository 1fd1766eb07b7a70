import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { DirectorySnapshot } from '../../../engine/approver-resolution.js';
import {
  ADMIN_ENTRY_KINDS,
  MAX_BULK_EMPLOYEES,
  type LeaveBalance,
  type LeaveEntry,
  type LeaveType,
} from '../../../services/leave.service.js';
import { daysNumber, MAX_ENTRY_DAYS } from '../../../services/leave-request.js';
import type { Services } from '../../../services/index.js';
import { enumOf } from '../../admin/schemas.js';
import type { HttpApp } from '../../http-app.js';
import type { LeaveBalanceView, LeaveEntryView, LeaveTypeView } from '../contract.js';
import { personOf } from '../index.js';
import { decodePeopleCursor, encodePeopleCursor, PageTokenQuery, SearchText } from '../paging.js';
import { iso, personOf as personRefOf, personRef } from '../render.js';
import { sendPeopleResult } from '../reply.js';
import { requireTenantAdmin } from './index.js';

const strict = { additionalProperties: false } as const;
const TypeKey = Type.String({ minLength: 1, maxLength: 32, pattern: '^[a-z][a-z0-9_]*$' });
const NameText = Type.String({ minLength: 1, maxLength: 100, pattern: '^[^\\u0000-\\u001f]+$' });
const I18nName = Type.Object({ zh_cn: NameText, en_us: NameText }, strict);
const OverBalance = enumOf(['refuse', 'warn'] as const);
const ExternalId = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.@-]+$' });

const TypeCreate = Type.Object(
  {
    key: TypeKey,
    name: I18nName,
    over_balance: Type.Optional(OverBalance),
    active: Type.Optional(Type.Boolean()),
  },
  strict,
);
const TypePatch = Type.Object(
  {
    name: Type.Optional(I18nName),
    over_balance: Type.Optional(OverBalance),
    active: Type.Optional(Type.Boolean()),
  },
  strict,
);
const TypeParams = Type.Object({ key: TypeKey });
const EntryCreate = Type.Object(
  {
    leave_type: TypeKey,
    kind: enumOf(ADMIN_ENTRY_KINDS),
    // Bounds here keep huge numbers out; the service checks sign and decimal places per kind.
    amount: Type.Number({ minimum: -MAX_ENTRY_DAYS, maximum: MAX_ENTRY_DAYS }),
    reason: Type.String({ minLength: 1, maxLength: 500 }),
    user_ids: Type.Array(ExternalId, { minItems: 1, maxItems: MAX_BULK_EMPLOYEES }),
    request_key: Type.Optional(Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.:-]+$' })),
  },
  strict,
);
const BalancesQuery = Type.Object(
  {
    page_size: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 50 })),
    page_token: Type.Optional(PageTokenQuery),
    user_id: Type.Optional(ExternalId),
    leave_type: Type.Optional(TypeKey),
    query: Type.Optional(SearchText),
  },
  strict,
);
const LedgerParams = Type.Object({ user_id: ExternalId });
const LedgerQuery = Type.Object(
  {
    page_size: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 50 })),
    page_token: Type.Optional(PageTokenQuery),
    leave_type: Type.Optional(TypeKey),
  },
  strict,
);

const tags = ['console: leave'];

export const leaveTypeJson = (t: LeaveType): LeaveTypeView => ({
  key: t.key,
  name: t.name,
  over_balance: t.overBalance,
  active: t.active,
  created_at: iso(t.createdAt),
  updated_at: iso(t.updatedAt),
});

export const leaveBalanceJson = (b: LeaveBalance): LeaveBalanceView => ({
  leave_type: { key: b.type.key, name: b.type.name, over_balance: b.type.overBalance },
  balance: daysNumber(b.balance),
  pending: daysNumber(b.pending),
  available: daysNumber(b.available),
});

function entryJson(e: LeaveEntry, directory: DirectorySnapshot): LeaveEntryView {
  return {
    entry_id: e.id,
    leave_type: e.typeKey,
    kind: e.kind,
    amount: daysNumber(e.amount),
    reason: e.reason,
    ...(e.processId !== null ? { process_id: e.processId } : {}),
    ...(e.createdBy !== null ? { created_by: personRef(directory, e.createdBy) } : {}),
    created_at: iso(e.createdAt),
  };
}

/**
 * Console: leave types, balances and the ledger (docs/leave.md "Console API"). Tenant admins only.
 */
export function registerConsoleLeaveRoutes(admin: HttpApp, services: Services): void {
  const tenantOf = (request: FastifyRequest) => personOf(request).tenant;
  const directoryOf = (request: FastifyRequest) => services.processes.directory(tenantOf(request).id);

  admin.get('/leave/types', { schema: { tags, summary: 'Leave types' } }, async (request, reply) => {
    if (!requireTenantAdmin(request, reply)) return reply;
    return sendPeopleResult(reply, await services.leave.types(tenantOf(request).tenantKey), (types) => ({
      items: types.map(leaveTypeJson),
    }));
  });
  admin.post(
    '/leave/types',
    { schema: { tags, summary: 'Create a leave type', body: TypeCreate } },
    async (request, reply) => {
      if (!requireTenantAdmin(request, reply)) return reply;
      const result = await services.leave.createType(tenantOf(request).tenantKey, request.body);
      return sendPeopleResult(reply.status(result.ok ? 201 : 200), result, leaveTypeJson);
    },
  );
  admin.patch(
    '/leave/types/:key',
    {
      schema: {
        tags,
        summary: 'Rename, change the rule, activate or deactivate',
        params: TypeParams,
        body: TypePatch,
      },
    },
    async (request, reply) => {
      if (!requireTenantAdmin(request, reply)) return reply;
      const result = await services.leave.updateType(
        tenantOf(request).tenantKey,
        request.params.key,
        request.body,
      );
      return sendPeopleResult(reply, result, leaveTypeJson);
    },
  );
  admin.delete(
    '/leave/types/:key',
    { schema: { tags, summary: 'Delete a leave type without entries', params: TypeParams } },
    async (request, reply) => {
      if (!requireTenantAdmin(request, reply)) return reply;
      const result = await services.leave.deleteType(tenantOf(request).tenantKey, request.params.key);
      return sendPeopleResult(reply.status(result.ok ? 204 : 200), result, () => undefined);
    },
  );

  admin.get(
    '/leave/balances',
    { schema: { tags, summary: 'Balances, a page of people at a time', querystring: BalancesQuery } },
    async (request, reply) => {
      if (!requireTenantAdmin(request, reply)) return reply;
      const { page_size: pageSize = 50, page_token: token, user_id, leave_type, query } = request.query;
      const bound = `console-leave-balances:${user_id ?? ''}:${leave_type ?? ''}:${query ?? ''}`;
      const after = decodePeopleCursor(reply, token, bound);
      if (after === null) return reply;
      const result = await services.leave.balances(
        tenantOf(request).tenantKey,
        { userId: user_id, typeKey: leave_type, text: query },
        { pageSize, ...(after !== undefined ? { afterId: after } : {}) },
      );
      const directory = await directoryOf(request);
      return sendPeopleResult(reply, result, (page) => ({
        items: page.items.map((row) => ({
          person: personRefOf(row.employee, directory),
          balances: row.balances.map(leaveBalanceJson),
        })),
        ...(page.nextAfterId !== undefined
          ? { page_token: encodePeopleCursor(page.nextAfterId, bound) }
          : {}),
      }));
    },
  );

  admin.post(
    '/leave/entries',
    { schema: { tags, summary: 'Grant, accrue or adjust for one or many people', body: EntryCreate } },
    async (request, reply) => {
      if (!requireTenantAdmin(request, reply)) return reply;
      const person = personOf(request);
      const result = await services.leave.record(person.tenant.tenantKey, person.employee.id, request.body);
      const directory = await directoryOf(request);
      return sendPeopleResult(reply.status(result.ok ? 201 : 200), result, (written) => ({
        items: written.entries.map((e) => ({
          ...entryJson(e, directory),
          person: personRefOf(e.employee, directory),
        })),
        created: written.created,
      }));
    },
  );

  admin.get(
    '/leave/ledger/:user_id',
    {
      schema: {
        tags,
        summary: "One person's ledger, newest first",
        params: LedgerParams,
        querystring: LedgerQuery,
      },
    },
    async (request, reply) => {
      if (!requireTenantAdmin(request, reply)) return reply;
      const { page_size: pageSize = 50, page_token: token, leave_type } = request.query;
      const bound = `console-leave-ledger:${request.params.user_id}:${leave_type ?? ''}`;
      const after = decodePeopleCursor(reply, token, bound);
      if (after === null) return reply;
      const result = await services.leave.ledger(
        tenantOf(request).tenantKey,
        request.params.user_id,
        leave_type,
        {
          pageSize,
          ...(after !== undefined ? { afterId: after } : {}),
        },
      );
      const directory = await directoryOf(request);
      return sendPeopleResult(reply, result, (ledger) => ({
        person: personRefOf(ledger.employee, directory),
        balances: ledger.balances.map(leaveBalanceJson),
        entries: {
          items: ledger.entries.items.map((e) => entryJson(e, directory)),
          ...(ledger.entries.nextAfterId !== undefined
            ? { page_token: encodePeopleCursor(ledger.entries.nextAfterId, bound) }
            : {}),
        },
      }));
    },
  );
}
