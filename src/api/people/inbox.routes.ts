import { Type } from 'typebox';
import type { Services } from '../../services/index.js';
import type { HttpApp } from '../http-app.js';
import { MAX_BATCH_APPROVE, type InboxPosition } from '../../services/inbox.service.js';
import type { BatchResult, InboxCounts, InboxItem, Page } from './contract.js';
import { inboxItem } from './approval-center-render.js';
import { sendPeopleError } from './reply.js';
import { sendRendered } from '../reply.js';
import { personOf } from './index.js';
import { decodePeopleCursor, encodePeopleCursor, PageTokenQuery, SearchText } from './paging.js';

const Id = Type.String({ pattern: '^\\d{1,19}$' });
const TABS = ['todo', 'done', 'started', 'cc'] as const;
const STATUSES = ['in_progress', 'rejected', 'withdrawn', 'revoked', 'completed', 'revoking'] as const;
// A date (the whole day) or a date and time.
const DateOrTime = Type.String({
  pattern: '^\\d{4}-\\d{2}-\\d{2}(T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,3})?)?(Z|[+-]\\d{2}:\\d{2}))?$',
  maxLength: 40,
});
const TabParams = Type.Object({ tab: Type.Union(TABS.map((tab) => Type.Literal(tab))) });
const TabQuery = Type.Object(
  {
    query: Type.Optional(SearchText),
    flow_id: Type.Optional(Id),
    status: Type.Optional(Type.Union(STATUSES.map((s) => Type.Literal(s)))),
    from: Type.Optional(DateOrTime),
    to: Type.Optional(DateOrTime),
    overdue: Type.Optional(Type.Boolean()),
    sort: Type.Optional(Type.Union([Type.Literal('newest'), Type.Literal('oldest')], { default: 'newest' })),
    page_size: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
    page_token: Type.Optional(PageTokenQuery),
  },
  { additionalProperties: false },
);
const BatchBody = Type.Object(
  {
    items: Type.Array(Type.Object({ process_id: Id, task_id: Id }, { additionalProperties: false }), {
      minItems: 1,
      maxItems: MAX_BATCH_APPROVE,
    }),
    opinion: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);

const DAY_MS = 24 * 60 * 60 * 1000;
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

const POSITION = /^(\d{1,15}):(\d{1,19})$/;
const tags = ['people API'];

/** The approval center's tabs (To do, Done, Started by me, CC me), their counts, and batch approval. */
export function registerInboxRoutes(app: HttpApp, services: Services): void {
  app.get(
    '/inbox/counts',
    { schema: { tags, summary: 'How many items each tab holds' } },
    async (request, reply) => {
      const session = personOf(request);
      const [tenantId, me] = [session.tenant.id, session.employee.id];
      const directory = await services.processes.directory(tenantId);
      const cached = services.reads.personalRead(tenantId, me, 'inbox-counts', directory);
      if (cached !== undefined) return sendRendered(reply, cached);
      const since = services.reads.currentEpoch();
      const counts: InboxCounts = await services.inbox.counts(session);
      const body = JSON.stringify(counts);
      services.reads.rememberPersonalRead(tenantId, me, 'inbox-counts', directory, body, since);
      return sendRendered(reply, body);
    },
  );

  app.get(
    '/inbox/:tab',
    { schema: { params: TabParams, querystring: TabQuery, tags, summary: 'One tab of the approval center' } },
    async (request, reply) => {
      const session = personOf(request);
      const { tab } = request.params;
      const q = request.query;
      const from = instant(q.from, false);
      const to = instant(q.to, true);
      const badDates = [
        ...(Number.isNaN(from) ? [{ field: 'from', description: 'is not a valid date' }] : []),
        ...(Number.isNaN(to) ? [{ field: 'to', description: 'is not a valid date' }] : []),
      ];
      if (from !== undefined && to !== undefined && !Number.isNaN(from) && !Number.isNaN(to) && from >= to)
        badDates.push({ field: 'to', description: 'must be after from' });
      if (badDates.length > 0)
        return sendPeopleError(reply, 400, {
          code: 'invalid_field',
          message: badDates.map((v) => `${v.field}: ${v.description}`).join('; '),
          violations: badDates,
        });
      // A page without a text search or the overdue filter is served again until something it shows
      // changes (a process of this person's, the directory) or one of its items turns overdue.
      const [tenantId, me] = [session.tenant.id, session.employee.id];
      const cacheable = q.query === undefined && q.overdue !== true;
      const variant = `inbox\0${request.url}`;
      if (cacheable) {
        const directory = await services.processes.directory(tenantId);
        const cached = services.reads.personalRead(tenantId, me, variant, directory);
        if (cached !== undefined) return sendRendered(reply, cached);
      }
      const since = services.reads.currentEpoch();
      const sort = q.sort ?? 'newest';
      // The token is bound to the tab and every filter: reusing it elsewhere is refused.
      const bound = JSON.stringify([tab, q.query, q.flow_id, q.status, from, to, q.overdue === true, sort]);
      const position = decodePeopleCursor(reply, q.page_token, bound);
      if (position === null) return reply;
      const parsed = position !== undefined ? POSITION.exec(position) : undefined;
      const after: InboxPosition | undefined = parsed
        ? { sortAt: Number(parsed[1]), id: parsed[2] ?? '' }
        : undefined;
      const page = await services.inbox.list(session, {
        tab,
        query: q.query,
        flowId: q.flow_id,
        status: q.status,
        from,
        to,
        overdue: q.overdue,
        sort,
        pageSize: q.page_size ?? 20,
        after,
      });
      const body: Page<InboxItem> = {
        items: page.entries.map((entry) => inboxItem(entry, page.directory)),
        total: page.total,
        ...(page.next
          ? { page_token: encodePeopleCursor(`${page.next.sortAt}:${page.next.id}`, bound) }
          : {}),
      };
      const json = JSON.stringify(body);
      if (cacheable)
        services.reads.rememberPersonalRead(tenantId, me, variant, page.directory, json, since, page.staleAt);
      return sendRendered(reply, json);
    },
  );

  app.post(
    '/inbox/batch-approve',
    {
      schema: {
        body: BatchBody,
        tags,
        summary: `Approve up to ${MAX_BATCH_APPROVE} to-dos, each decided on its own`,
      },
    },
    async (request) => {
      const outcomes = await services.inbox.batchApprove(
        personOf(request),
        request.body.items.map((i) => ({ processId: i.process_id, taskId: i.task_id })),
        request.body.opinion,
      );
      const body: BatchResult = {
        results: outcomes.map((o) => ({
          process_id: o.processId,
          task_id: o.taskId,
          ok: o.error === undefined,
          ...(o.error
            ? {
                error: {
                  code: o.error.kind,
                  message: o.error.message,
                  ...(o.error.violations ? { violations: o.error.violations } : {}),
                },
              }
            : {}),
        })),
      };
      return body;
    },
  );
}
