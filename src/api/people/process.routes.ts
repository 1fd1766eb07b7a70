import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type, type Static, type TSchema } from 'typebox';
import type { Services } from '../../services/index.js';
import {
  COMMENT_MAX_CHARS,
  COMMENT_MAX_FILES,
  COMMENT_MAX_MENTIONS,
  type PersonAction,
} from '../../services/person-commands.js';
import type { HttpApp } from '../http-app.js';
import { personOf } from './index.js';
import { processDetailJson } from './process.render.js';
import { sendPeopleResult } from './reply.js';

// Ids are opaque to people; bounded so a URL cannot carry a novel.
const Id = Type.String({ minLength: 1, maxLength: 64 });
const UserId = Type.String({ minLength: 1, maxLength: 64 });
const Opinion = Type.String({ maxLength: 2000 });
const ProcessParams = Type.Object({ process_id: Id });
const TaskParams = Type.Object({ process_id: Id, task_id: Id });
const strict = { additionalProperties: false } as const;

const ApproveBody = Type.Object(
  {
    opinion: Type.Optional(Opinion),
    field_values: Type.Optional(Type.Record(Type.String({ maxLength: 64 }), Type.Unknown())),
  },
  strict,
);
// The opinion is checked by the service (blank counts as missing), so every client hears the same `opinion`.
const RejectBody = Type.Object({ opinion: Type.Optional(Opinion) }, strict);
const TransferBody = Type.Object({ to_user_id: UserId, remark: Type.Optional(Opinion) }, strict);
const AddSignBody = Type.Object(
  {
    position: Type.Union([Type.Literal('pre'), Type.Literal('parallel'), Type.Literal('post')]),
    mode: Type.Union([Type.Literal('or'), Type.Literal('and')]),
    user_ids: Type.Array(UserId, { minItems: 1, maxItems: 50 }),
    remark: Type.Optional(Opinion),
  },
  strict,
);
const ReturnBody = Type.Object(
  { target_node_id: Type.String({ minLength: 1, maxLength: 64 }), reason: Type.Optional(Opinion) },
  strict,
);
const ReasonBody = Type.Object({ reason: Type.Optional(Opinion) }, strict);
const CommentBody = Type.Object(
  {
    text: Type.String({ minLength: 1, maxLength: COMMENT_MAX_CHARS }),
    mention_user_ids: Type.Optional(Type.Array(UserId, { maxItems: COMMENT_MAX_MENTIONS })),
    file_ids: Type.Optional(Type.Array(Id, { maxItems: COMMENT_MAX_FILES })),
    client_token: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  },
  strict,
);

const tags = ['people: process'];

/** Bodies where every field is optional may be left out altogether (a bare POST means `{}`). */
const emptyBodyIsObject = (request: FastifyRequest, _reply: FastifyReply, done: () => void) => {
  request.body ??= {};
  done();
};

/** A task or process action route: a POST under /processes/:process_id that answers the process. */
interface ActionRoute {
  path: string;
  summary: string;
  params: typeof TaskParams | typeof ProcessParams;
  body: TSchema;
  /** Every body field is optional, so a bare POST (no body) means `{}`. */
  bodyMayBeLeftOut?: boolean;
  action: (body: unknown, params: { process_id: string; task_id?: string }) => PersonAction;
}

/** One route, typed by its own params and body schemas (the table holds them all as ActionRoute). */
function actionRoute<P extends typeof TaskParams | typeof ProcessParams, B extends TSchema>(route: {
  path: string;
  summary: string;
  params: P;
  body: B;
  bodyMayBeLeftOut?: boolean;
  action: (body: Static<B>, params: Static<P>) => PersonAction;
}): ActionRoute {
  return { ...route, action: (body, params) => route.action(body as Static<B>, params as Static<P>) };
}

// In the order they are listed in /openapi.json.
const ACTION_ROUTES: ActionRoute[] = [
  actionRoute({
    path: 'tasks/:task_id/approve',
    summary: 'Approve (or submit) one of my tasks',
    params: TaskParams,
    body: ApproveBody,
    bodyMayBeLeftOut: true,
    action: (body, { task_id }) => ({
      kind: 'approve',
      taskId: task_id,
      opinion: body.opinion,
      fieldValues: body.field_values,
    }),
  }),
  actionRoute({
    path: 'tasks/:task_id/reject',
    summary: 'Reject one of my tasks (opinion required)',
    params: TaskParams,
    body: RejectBody,
    bodyMayBeLeftOut: true,
    action: (body, { task_id }) => ({ kind: 'reject', taskId: task_id, opinion: body.opinion ?? '' }),
  }),
  actionRoute({
    path: 'tasks/:task_id/transfer',
    summary: 'Hand one of my tasks to someone else',
    params: TaskParams,
    body: TransferBody,
    action: (body, { task_id }) => ({
      kind: 'transfer',
      taskId: task_id,
      toUserId: body.to_user_id,
      remark: body.remark,
    }),
  }),
  actionRoute({
    path: 'tasks/:task_id/add-sign',
    summary: 'Add approvers before, beside or after me',
    params: TaskParams,
    body: AddSignBody,
    action: (body, { task_id }) => ({
      kind: 'add_sign',
      taskId: task_id,
      position: body.position,
      mode: body.mode,
      userIds: body.user_ids,
      remark: body.remark,
    }),
  }),
  actionRoute({
    path: 'tasks/:task_id/return',
    summary: 'Return the process to an earlier node',
    params: TaskParams,
    body: ReturnBody,
    action: (body, { task_id }) => ({
      kind: 'return',
      taskId: task_id,
      targetNodeId: body.target_node_id,
      reason: body.reason,
    }),
  }),
  actionRoute({
    path: 'withdraw',
    summary: 'Withdraw my request while it is in progress',
    params: ProcessParams,
    body: ReasonBody,
    bodyMayBeLeftOut: true,
    action: (body) => ({ kind: 'withdraw', reason: body.reason }),
  }),
  actionRoute({
    path: 'revoke',
    summary: 'Revoke a completed process (process admins)',
    params: ProcessParams,
    body: ReasonBody,
    bodyMayBeLeftOut: true,
    action: (body) => ({ kind: 'revoke', reason: body.reason }),
  }),
  actionRoute({
    path: 'urge',
    summary: 'Urge (催办) whoever has my request now; at most once an hour',
    params: ProcessParams,
    body: ReasonBody,
    bodyMayBeLeftOut: true,
    action: (body) => ({ kind: 'urge', reason: body.reason }),
  }),
];

/**
 * A process as the signed-in person sees it, and what they may do to it (docs/people-api.md "A
 * process", "Actions", "Comments"). Every action answers the process as it now is.
 */
export function registerProcessRoutes(app: HttpApp, services: Services): void {
  const commands = services.personCommands;

  app.get(
    '/processes/:process_id',
    { schema: { tags, summary: 'A process as the signed-in person sees it', params: ProcessParams } },
    async (request, reply) =>
      sendPeopleResult(
        reply,
        await commands.view(personOf(request), request.params.process_id),
        processDetailJson,
      ),
  );

  app.get(
    '/processes/:process_id/action_preview',
    {
      schema: {
        tags,
        summary: 'What approval will change in the HR record (before → after); docs/actions.md',
        params: ProcessParams,
      },
    },
    async (request, reply) => {
      const person = personOf(request);
      return sendPeopleResult(
        reply,
        await services.systemJobs.preview(person.tenant.id, person.employee.id, request.params.process_id),
        (preview) => {
          const employee = preview.employee;
          return {
            available: preview.available,
            biz_type: preview.bizType,
            ...(preview.problem !== undefined ? { problem: preview.problem } : {}),
            ...(preview.effectiveDate !== undefined ? { effective_date: preview.effectiveDate } : {}),
            ...(employee ? { employee: { user_id: employee.userId, name: employee.name } } : {}),
            changes: preview.changes.map((c) => ({
              field: c.field,
              before: c.before,
              after: c.after,
              sensitive: c.sensitive === true,
              ...(c.label ? { label: c.label } : {}),
            })),
          };
        },
      );
    },
  );

  for (const route of ACTION_ROUTES)
    app.post(
      `/processes/:process_id/${route.path}`,
      {
        ...(route.bodyMayBeLeftOut ? { preValidation: emptyBodyIsObject } : {}),
        schema: { tags, summary: route.summary, params: route.params, body: route.body },
      },
      // The schema has checked params and body against the route's own TypeBox types.
      async (request, reply) => {
        const action = route.action(request.body, request.params);
        const result = await commands.act(personOf(request), request.params.process_id, action);
        return sendPeopleResult(reply, result, processDetailJson);
      },
    );
  app.post(
    '/processes/:process_id/comments',
    {
      schema: {
        tags,
        summary: 'Comment, with @mentions and attachments',
        params: ProcessParams,
        body: CommentBody,
      },
    },
    async (request, reply) => {
      const result = await commands.act(personOf(request), request.params.process_id, {
        kind: 'comment',
        text: request.body.text,
        mentionUserIds: request.body.mention_user_ids ?? [],
        fileIds: request.body.file_ids ?? [],
        clientToken: request.body.client_token,
      });
      if (result.ok) void reply.status(201);
      return sendPeopleResult(reply, result, processDetailJson);
    },
  );
}
