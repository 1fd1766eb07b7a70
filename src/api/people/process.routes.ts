import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
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

/**
 * A process as the signed-in person sees it, and what they may do to it (docs/people-api.md "A
 * process", "Actions", "Comments"). Every action answers the process as it now is.
 */
export function registerProcessRoutes(app: HttpApp, services: Services): void {
  const commands = services.personCommands;
  const act = async (request: FastifyRequest, processId: string, reply: FastifyReply, action: PersonAction) =>
    sendPeopleResult(reply, await commands.act(personOf(request), processId, action), processDetailJson);

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

  app.post(
    '/processes/:process_id/tasks/:task_id/approve',
    {
      preValidation: emptyBodyIsObject,
      schema: { tags, summary: 'Approve (or submit) one of my tasks', params: TaskParams, body: ApproveBody },
    },
    async (request, reply) =>
      act(request, request.params.process_id, reply, {
        kind: 'approve',
        taskId: request.params.task_id,
        opinion: request.body.opinion,
        fieldValues: request.body.field_values,
      }),
  );
  app.post(
    '/processes/:process_id/tasks/:task_id/reject',
    {
      preValidation: emptyBodyIsObject,
      schema: {
        tags,
        summary: 'Reject one of my tasks (opinion required)',
        params: TaskParams,
        body: RejectBody,
      },
    },
    async (request, reply) =>
      act(request, request.params.process_id, reply, {
        kind: 'reject',
        taskId: request.params.task_id,
        opinion: request.body.opinion ?? '',
      }),
  );
  app.post(
    '/processes/:process_id/tasks/:task_id/transfer',
    {
      schema: {
        tags,
        summary: 'Hand one of my tasks to someone else',
        params: TaskParams,
        body: TransferBody,
      },
    },
    async (request, reply) =>
      act(request, request.params.process_id, reply, {
        kind: 'transfer',
        taskId: request.params.task_id,
        toUserId: request.body.to_user_id,
        remark: request.body.remark,
      }),
  );
  app.post(
    '/processes/:process_id/tasks/:task_id/add-sign',
    {
      schema: {
        tags,
        summary: 'Add approvers before, beside or after me',
        params: TaskParams,
        body: AddSignBody,
      },
    },
    async (request, reply) =>
      act(request, request.params.process_id, reply, {
        kind: 'add_sign',
        taskId: request.params.task_id,
        position: request.body.position,
        mode: request.body.mode,
        userIds: request.body.user_ids,
        remark: request.body.remark,
      }),
  );
  app.post(
    '/processes/:process_id/tasks/:task_id/return',
    {
      schema: {
        tags,
        summary: 'Return the process to an earlier node',
        params: TaskParams,
        body: ReturnBody,
      },
    },
    async (request, reply) =>
      act(request, request.params.process_id, reply, {
        kind: 'return',
        taskId: request.params.task_id,
        targetNodeId: request.body.target_node_id,
        reason: request.body.reason,
      }),
  );
  app.post(
    '/processes/:process_id/withdraw',
    {
      preValidation: emptyBodyIsObject,
      schema: {
        tags,
        summary: 'Withdraw my request while it is in progress',
        params: ProcessParams,
        body: ReasonBody,
      },
    },
    async (request, reply) =>
      act(request, request.params.process_id, reply, { kind: 'withdraw', reason: request.body.reason }),
  );
  app.post(
    '/processes/:process_id/revoke',
    {
      preValidation: emptyBodyIsObject,
      schema: {
        tags,
        summary: 'Revoke a completed process (process admins)',
        params: ProcessParams,
        body: ReasonBody,
      },
    },
    async (request, reply) =>
      act(request, request.params.process_id, reply, { kind: 'revoke', reason: request.body.reason }),
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
