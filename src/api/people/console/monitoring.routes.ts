import { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import { stringify } from 'csv-stringify/sync';
import type { Services } from '../../../services/index.js';
import {
  MONITOR_EXPORT_MAX_ROWS,
  type AdminAction,
  type MonitorPosition,
  type MonitorQuery,
} from '../../../services/monitoring.service.js';
import type { FieldViolation } from '../../../services/result.js';
import type { HttpApp } from '../../http-app.js';
import type { MonitorFilterOptions, MonitoredProcess, Page } from '../contract.js';
import { personOf } from '../index.js';
import { decodePeopleCursor, encodePeopleCursor, PageTokenQuery } from '../paging.js';
import { nodeName } from '../process.render.js';
import { sendPeopleError, sendPeopleResult } from '../reply.js';
import { flowScope } from './index.js';
import { adminProcessJson, csvRow, CSV_HEADER, monitoredProcess } from './monitoring.render.js';

const Id = Type.String({ pattern: '^\\d{1,19}$' });
// No control characters (a NUL byte is not valid text for PostgreSQL): refused as a bad field instead.
const Name64 = { minLength: 1, maxLength: 64, pattern: '^[^\\u0000-\\u001f]+$' };
const UserId = Type.String(Name64);
const NodeId = Type.String(Name64);
const Text = Type.String({ maxLength: 2000 });
const strict = { additionalProperties: false } as const;
const STATUSES = ['in_progress', 'rejected', 'withdrawn', 'revoked', 'completed', 'revoking'] as const;
// A date (the whole day) or a date and time.
const DateOrTime = Type.String({
  pattern: '^\\d{4}-\\d{2}-\\d{2}(T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,3})?)?(Z|[+-]\\d{2}:\\d{2}))?$',
  maxLength: 40,
});
const filters = {
  status: Type.Optional(Type.Array(Type.Union(STATUSES.map((s) => Type.Literal(s))), { maxItems: 6 })),
  flow_id: Type.Optional(Id),
  initiator_user_id: Type.Optional(UserId),
  department_id: Type.Optional(Type.String(Name64)),
  current_node_id: Type.Optional(NodeId),
  waiting_days: Type.Optional(Type.Integer({ minimum: 0, maximum: 3650 })),
  started_from: Type.Optional(DateOrTime),
  started_to: Type.Optional(DateOrTime),
  sort: Type.Optional(Type.Union([Type.Literal('newest'), Type.Literal('waiting')], { default: 'newest' })),
};
const SearchQuery = Type.Object(
  {
    ...filters,
    page_size: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
    page_token: Type.Optional(PageTokenQuery),
  },
  strict,
);
const ExportQuery = Type.Object(
  { ...filters, lang: Type.Optional(Type.Union([Type.Literal('en'), Type.Literal('zh-CN')])) },
  strict,
);
const ProcessParams = Type.Object({ process_id: Id });
const ReassignBody = Type.Object(
  {
    task_ids: Type.Array(Id, { minItems: 1, maxItems: 50 }),
    to_user_id: UserId,
    remark: Type.Optional(Text),
  },
  strict,
);
const ReturnBody = Type.Object({ task_id: Id, target_node_id: NodeId, reason: Type.Optional(Text) }, strict);
const ReasonBody = Type.Object({ reason: Type.String({ minLength: 1, maxLength: 2000 }) }, strict);

const DAY_MS = 24 * 60 * 60 * 1000;
const POSITION = /^(\d{1,15})?:(\d{1,15}):(\d{1,19})$/;
const tags = ['console: process monitoring'];

/** `from`: the start of its day or its instant; `to`: the end of its day (a date) or its instant. */
function instant(text: string | undefined, end: boolean): number | undefined {
  if (text === undefined) return undefined;
  const ms = Date.parse(text.length === 10 ? `${text}T00:00:00Z` : text);
  // Date.parse rolls 2026-02-31 over into March; a date that does not exist is refused.
  const day = text.slice(0, 10);
  if (!Number.isFinite(ms) || new Date(Date.parse(`${day}T00:00:00Z`)).toISOString().slice(0, 10) !== day)
    return NaN;
  return end && text.length === 10 ? ms + DAY_MS : ms;
}

type Filters = Static<typeof ExportQuery>;

/** The query in the service's terms, or the bad fields (answered 400 here). */
function monitorQuery(q: Filters, reply: FastifyReply): MonitorQuery | undefined {
  const from = instant(q.started_from, false);
  const to = instant(q.started_to, true);
  const problems: FieldViolation[] = [];
  if (Number.isNaN(from)) problems.push({ field: 'started_from', description: 'is not a valid date' });
  if (Number.isNaN(to)) problems.push({ field: 'started_to', description: 'is not a valid date' });
  if (problems.length > 0) {
    void sendPeopleError(reply, 400, {
      code: 'invalid_field',
      message: problems.map((p) => `${p.field}: ${p.description}`).join('; '),
      violations: problems,
    });
    return undefined;
  }
  return {
    statuses: q.status,
    flowId: q.flow_id,
    initiatorUserId: q.initiator_user_id,
    departmentId: q.department_id,
    currentNodeId: q.current_node_id,
    waitingDays: q.waiting_days,
    startedFrom: from,
    startedBefore: to,
    sort: q.sort ?? 'newest',
  };
}

/** The filters a page token is bound to: reusing it with other filters is refused. */
const boundTo = (q: MonitorQuery) =>
  JSON.stringify([
    'console-processes',
    q.statuses ? [...q.statuses].sort() : null,
    q.flowId,
    q.initiatorUserId,
    q.departmentId,
    q.currentNodeId,
    q.waitingDays,
    q.startedFrom,
    q.startedBefore,
    q.sort,
  ]);

const positionText = (p: MonitorPosition) => `${p.waiting ?? ''}:${p.createdAt}:${p.id}`;
function positionOf(text: string | undefined): MonitorPosition | undefined {
  const parsed = text !== undefined ? POSITION.exec(text) : null;
  if (!parsed) return undefined;
  return {
    waiting: parsed[1] !== undefined ? Number(parsed[1]) : null,
    createdAt: Number(parsed[2]),
    id: parsed[3] ?? '',
  };
}

/**
 * Console: process monitoring (docs/console-api.md "Process monitoring"). Tenant admins see every
 * process, process admins those of their flows (others answer 404 like unknown ones). The admin's
 * actions run in the system's authority with the admin named in the audit trail.
 */
export function registerConsoleMonitoringRoutes(admin: HttpApp, services: Services): void {
  const monitoring = services.monitoring;
  const who = (request: FastifyRequest) => {
    const person = personOf(request);
    return { tenantId: person.tenant.id, adminId: person.employee.id, scope: flowScope(request) };
  };

  admin.get(
    '/processes/filter-options',
    { schema: { tags, summary: 'The flows (and their nodes) the admin may filter by' } },
    async (request) => {
      const { tenantId, scope } = who(request);
      const body: MonitorFilterOptions = {
        flows: (await monitoring.flows(tenantId, scope)).map(({ definition }) => ({
          flow_id: definition.id,
          name: definition.name,
          nodes: definition.nodes
            .filter((n) => n.kind === 'approval' || n.kind === 'form_fill')
            .map((n) => ({ node_id: n.id, name: nodeName(definition, n.id) })),
        })),
      };
      return body;
    },
  );

  admin.get(
    '/processes',
    { schema: { tags, summary: 'Search processes', querystring: SearchQuery } },
    async (request, reply) => {
      const query = monitorQuery(request.query, reply);
      if (!query) return reply;
      const bound = boundTo(query);
      const position = decodePeopleCursor(reply, request.query.page_token, bound);
      if (position === null) return reply;
      const { tenantId, scope } = who(request);
      const result = await monitoring.search(
        tenantId,
        scope,
        query,
        request.query.page_size ?? 20,
        positionOf(position),
      );
      return sendPeopleResult(reply, result, (page) => {
        const body: Page<MonitoredProcess> = {
          items: page.entries.map((e) => monitoredProcess(e, page.directory)),
          ...(page.next ? { page_token: encodePeopleCursor(positionText(page.next), bound) } : {}),
        };
        return body;
      });
    },
  );

  admin.get(
    '/processes.csv',
    {
      schema: {
        tags,
        summary: `The search as CSV (at most ${MONITOR_EXPORT_MAX_ROWS} rows)`,
        querystring: ExportQuery,
      },
    },
    async (request, reply) => {
      const query = monitorQuery(request.query, reply);
      if (!query) return reply;
      const { tenantId, scope } = who(request);
      const pages = await monitoring.exportPages(tenantId, scope, query);
      if (!pages.ok) return sendPeopleResult(reply, pages, () => ({}));
      const language = request.query.lang ?? 'en';
      const lines = async function* () {
        // The byte order mark makes spreadsheet programs read UTF-8 (names in Chinese) correctly.
        yield `\uFEFF${stringify([CSV_HEADER[language]])}`;
        for await (const page of pages.value)
          if (page.entries.length > 0)
            yield stringify(page.entries.map((e) => csvRow(monitoredProcess(e, page.directory), language)));
      };
      const stamp = new Date().toISOString().slice(0, 10);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="processes-${stamp}.csv"`)
        .header('cache-control', 'no-store')
        .send(Readable.from(lines()));
    },
  );

  admin.get(
    '/processes/:process_id',
    { schema: { tags, summary: 'One process, with every task and the audit trail', params: ProcessParams } },
    async (request, reply) => {
      const { tenantId, scope, adminId } = who(request);
      return sendPeopleResult(
        reply,
        await monitoring.detail(tenantId, scope, adminId, request.params.process_id),
        adminProcessJson,
      );
    },
  );

  const act = async (
    request: FastifyRequest,
    reply: FastifyReply,
    processId: string,
    action: AdminAction,
  ) => {
    const { tenantId, scope, adminId } = who(request);
    return sendPeopleResult(
      reply,
      await monitoring.act(tenantId, scope, adminId, processId, action),
      adminProcessJson,
    );
  };
  admin.post(
    '/processes/:process_id/reassign',
    {
      schema: {
        tags,
        summary: 'Give open tasks to another person',
        params: ProcessParams,
        body: ReassignBody,
      },
    },
    async (request, reply) =>
      act(request, reply, request.params.process_id, {
        kind: 'reassign',
        taskIds: request.body.task_ids,
        toUserId: request.body.to_user_id,
        remark: request.body.remark,
      }),
  );
  admin.post(
    '/processes/:process_id/return',
    {
      schema: {
        tags,
        summary: 'Return an open task to an earlier node',
        params: ProcessParams,
        body: ReturnBody,
      },
    },
    async (request, reply) =>
      act(request, reply, request.params.process_id, {
        kind: 'return',
        taskId: request.body.task_id,
        targetNodeId: request.body.target_node_id,
        reason: request.body.reason,
      }),
  );
  for (const kind of ['withdraw', 'revoke'] as const)
    admin.post(
      `/processes/:process_id/${kind}`,
      {
        schema: {
          tags,
          summary: `${kind === 'withdraw' ? 'Withdraw' : 'Revoke'} the process on the initiator's behalf`,
          params: ProcessParams,
          body: ReasonBody,
        },
      },
      async (request, reply) =>
        act(request, reply, request.params.process_id, { kind, reason: request.body.reason }),
    );
}
