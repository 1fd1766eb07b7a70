import { Type } from 'typebox';
import type { FastifyReply } from 'fastify';
import type { DirectorySnapshot } from '../../engine/approver-resolution.js';
import type { PreviewStep } from '../../engine/preview.js';
import type { Command } from '../../engine/transitions.js';
import { DefinitionDocumentSchema } from '../../services/definition-document.js';
import type { DefinitionView } from '../../services/definition.service.js';
import { engineToPlainValues } from '../../services/form-values.js';
import type { Services } from '../../services/index.js';
import type { ProcessView } from '../../services/process.service.js';
import type { Result } from '../../services/result.js';
import { pageJson, pageRequest, PageQuery } from '../pagination.js';
import { sendFailure, sendResult } from '../reply.js';
import type { AdminApp } from './index.js';
import { ExternalId, MAX_INT4, TenantKey, enumOf } from './schemas.js';

const Id19 = Type.String({ pattern: '^\\d{1,19}$' });
const TenantOnly = Type.Object({ tenant_key: TenantKey });
const DefinitionParams = Type.Object({ tenant_key: TenantKey, flow_definition_id: Id19 });
const VersionParams = Type.Object({
  tenant_key: TenantKey,
  flow_definition_id: Id19,
  version: Type.Integer({ minimum: 1, maximum: MAX_INT4 }),
});
const ProcessParams = Type.Object({ tenant_key: TenantKey, process_id: Id19 });
const PROCESS_STATUSES = [
  'in_progress',
  'rejected',
  'withdrawn',
  'revoked',
  'completed',
  'revoking',
] as const;
const FormValues = Type.Record(Type.String(), Type.Unknown());
const Selected = Type.Record(Type.String(), Type.Array(ExternalId, { maxItems: 50 }));

const ms = (n: number | undefined) => (n === undefined ? null : String(n));

export const definitionJson = (v: DefinitionView) => ({
  flow_definition_id: v.id,
  enabled: v.enabled,
  latest_version: v.latestVersion,
  draft: v.draft,
  published: v.published,
  created_at: ms(v.createdAt),
  updated_at: ms(v.updatedAt),
});

const userIdOf = (directory: DirectorySnapshot, id: string) =>
  id === 'system' ? 'system' : (directory.employees.get(id)?.userId ?? id);

const previewJson = ({ steps, directory }: { steps: PreviewStep[]; directory: DirectorySnapshot }) => ({
  steps: steps.map((s) => ({
    node_id: s.nodeId,
    kind: s.kind,
    assignees: s.assignees.map((id) => userIdOf(directory, id)),
    skipped: s.skipped.map((id) => userIdOf(directory, id)),
    fallback: s.fallback ?? null,
    refused: s.refused ?? false,
    scope: s.scope,
  })),
});

/** The process admin's view of a process: everything, people as user_ids. */
export const processJson = ({ state, definition, directory }: ProcessView) => {
  const runDef = new Map(state.nodeRuns.map((r) => [r.id, r.defId]));
  return {
    process_id: state.id,
    flow_definition_id: state.definitionId,
    definition_version: state.definitionVersion,
    biz_type: state.bizType,
    status: state.status,
    initiator_user_id: userIdOf(directory, state.initiatorId),
    created_at: ms(state.createdAt),
    updated_at: ms(state.updatedAt),
    completed_at: ms(state.completedAt),
    form_values: engineToPlainValues(definition.form, state.formValues, directory),
    nodes: state.nodeRuns.map((r) => ({
      node_run_id: r.id,
      node_id: r.defId,
      kind: r.kind,
      status: r.status,
      scope: r.scope,
      auto_passed: r.autoPassed ?? false,
      started_at: ms(r.startedAt),
      ended_at: ms(r.endedAt),
    })),
    tasks: state.tasks.map((t) => ({
      approver_id: t.id,
      node_run_id: t.nodeRunId,
      node_id: runDef.get(t.nodeRunId) ?? null,
      user_id: userIdOf(directory, t.assigneeId),
      type: t.type,
      status: t.status,
      opinion: t.opinion ?? null,
      by_system: t.bySystem ?? false,
      transferred_to_user_id: t.transferredTo === undefined ? null : userIdOf(directory, t.transferredTo),
      created_at: ms(t.createdAt),
      completed_at: ms(t.completedAt),
    })),
    cc_list: state.ccs.map((c) => ({
      cc_id: c.id,
      node_id: runDef.get(c.nodeRunId) ?? null,
      user_id: userIdOf(directory, c.recipientId),
      created_at: ms(c.createdAt),
    })),
    comments: state.comments.map((c) => ({
      comment_id: c.id,
      user_id: userIdOf(directory, c.authorId),
      text: c.text,
      mention_user_ids: c.mentionIds.map((id) => userIdOf(directory, id)),
      created_at: ms(c.createdAt),
    })),
    audit: state.audit.map((a) => ({
      at: ms(a.at),
      actor: userIdOf(directory, a.actor),
      action: a.action,
      detail: a.detail ?? null,
    })),
  };
};

export function registerProcessAdminRoutes(admin: AdminApp, services: Services): void {
  const { definitions, processes } = services;
  const base = '/tenants/:tenant_key/flow_definitions';

  admin.post(base, { schema: { params: TenantOnly, body: DefinitionDocumentSchema } }, async (req, reply) =>
    sendResult(reply.status(201), await definitions.create(req.params.tenant_key, req.body), definitionJson),
  );
  admin.post(
    `${base}/import`,
    { schema: { params: TenantOnly, body: DefinitionDocumentSchema } },
    async (req, reply) =>
      sendResult(
        reply.status(201),
        await definitions.import(req.params.tenant_key, req.body),
        definitionJson,
      ),
  );
  admin.get(
    base,
    { schema: { params: TenantOnly, querystring: Type.Object(PageQuery) } },
    async (req, reply) => {
      const page = pageRequest(req.query, reply);
      if (!page) return reply;
      return sendResult(reply, await definitions.list(req.params.tenant_key, page), (p) =>
        pageJson(p, definitionJson),
      );
    },
  );
  admin.get(`${base}/:flow_definition_id`, { schema: { params: DefinitionParams } }, async (req, reply) =>
    sendResult(
      reply,
      await definitions.get(req.params.tenant_key, req.params.flow_definition_id),
      definitionJson,
    ),
  );
  admin.delete(`${base}/:flow_definition_id`, { schema: { params: DefinitionParams } }, async (req, reply) =>
    sendResult(
      reply,
      await definitions.delete(req.params.tenant_key, req.params.flow_definition_id),
      () => ({}),
    ),
  );
  admin.put(
    `${base}/:flow_definition_id/draft`,
    { schema: { params: DefinitionParams, body: DefinitionDocumentSchema } },
    async (req, reply) =>
      sendResult(
        reply,
        await definitions.updateDraft(req.params.tenant_key, req.params.flow_definition_id, req.body),
        definitionJson,
      ),
  );
  admin.post(
    `${base}/:flow_definition_id/validate`,
    { schema: { params: DefinitionParams } },
    async (req, reply) =>
      sendResult(
        reply,
        await definitions.validate(req.params.tenant_key, req.params.flow_definition_id),
        (problems) => ({ problems }),
      ),
  );
  admin.post(
    `${base}/:flow_definition_id/publish`,
    { schema: { params: DefinitionParams } },
    async (req, reply) =>
      sendResult(
        reply,
        await definitions.publish(req.params.tenant_key, req.params.flow_definition_id),
        definitionJson,
      ),
  );
  admin.get(
    `${base}/:flow_definition_id/versions`,
    { schema: { params: DefinitionParams } },
    async (req, reply) =>
      sendResult(
        reply,
        await definitions.versions(req.params.tenant_key, req.params.flow_definition_id),
        (versions) => ({
          items: versions.map((v) => ({ version: v.version, published_at: ms(v.publishedAt) })),
        }),
      ),
  );
  admin.get(
    `${base}/:flow_definition_id/versions/:version`,
    { schema: { params: VersionParams } },
    async (req, reply) =>
      sendResult(
        reply,
        await definitions.document(req.params.tenant_key, req.params.flow_definition_id, req.params.version),
        (d) => d,
      ),
  );
  admin.delete(
    `${base}/:flow_definition_id/versions/:version`,
    { schema: { params: VersionParams } },
    async (req, reply) =>
      sendResult(
        reply,
        await definitions.deleteVersion(
          req.params.tenant_key,
          req.params.flow_definition_id,
          req.params.version,
        ),
        () => ({}),
      ),
  );
  admin.get(
    `${base}/:flow_definition_id/export`,
    { schema: { params: DefinitionParams } },
    async (req, reply) =>
      sendResult(
        reply,
        await definitions.document(req.params.tenant_key, req.params.flow_definition_id, 'latest'),
        (d) => d,
      ),
  );
  for (const [action, enabled] of [
    ['enable', true],
    ['disable', false],
  ] as const) {
    admin.post(
      `${base}/:flow_definition_id/${action}`,
      { schema: { params: DefinitionParams } },
      async (req, reply) =>
        sendResult(
          reply,
          await definitions.setEnabled(req.params.tenant_key, req.params.flow_definition_id, enabled),
          definitionJson,
        ),
    );
  }
  admin.post(
    `${base}/:flow_definition_id/preview`,
    {
      schema: {
        params: DefinitionParams,
        body: Type.Object(
          {
            initiator_user_id: ExternalId,
            form_values: Type.Optional(FormValues),
            selected_approvers: Type.Optional(Selected),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (req, reply) =>
      sendResult(
        reply,
        await definitions.preview(req.params.tenant_key, req.params.flow_definition_id, req.body),
        previewJson,
      ),
  );

  // --- processes: what a process admin needs ---
  const withTenant = async (tenantKey: string, reply: FastifyReply) => {
    const tenant = await services.tenants.get(tenantKey);
    if (!tenant.ok) {
      sendFailure(reply, tenant.error);
      return undefined;
    }
    return tenant.value;
  };
  const sendProcess = async (reply: FastifyReply, tenantId: string, result: Result<{ id: string }>) => {
    if (!result.ok) return sendFailure(reply, result.error);
    return sendResult(reply, await processes.get(tenantId, result.value.id), processJson);
  };

  admin.post(
    '/tenants/:tenant_key/processes',
    {
      schema: {
        params: TenantOnly,
        body: Type.Object(
          {
            flow_definition_id: Id19,
            initiator_user_id: ExternalId,
            form_values: FormValues,
            selected_approvers: Type.Optional(Selected),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (req, reply) => {
      const tenant = await withTenant(req.params.tenant_key, reply);
      if (!tenant) return reply;
      const started = await processes.startPlain(tenant.id, req.body.flow_definition_id, {
        initiatorUserId: req.body.initiator_user_id,
        formValues: req.body.form_values,
        selectedApprovers: req.body.selected_approvers,
      });
      void reply.status(201);
      return sendProcess(
        reply,
        tenant.id,
        started.ok ? { ok: true, value: { id: started.value.id } } : started,
      );
    },
  );
  admin.get(
    '/tenants/:tenant_key/processes',
    {
      schema: {
        params: TenantOnly,
        querystring: Type.Object({
          ...PageQuery,
          statuses: Type.Optional(Type.Array(enumOf(PROCESS_STATUSES), { maxItems: 6 })),
          flow_definition_id: Type.Optional(Id19),
          initiator_user_id: Type.Optional(ExternalId),
        }),
      },
    },
    async (req, reply) => {
      const page = pageRequest(req.query, reply);
      if (!page) return reply;
      const tenant = await withTenant(req.params.tenant_key, reply);
      if (!tenant) return reply;
      const directory = await processes.directory(tenant.id);
      const initiatorId =
        req.query.initiator_user_id === undefined
          ? undefined
          : ([...directory.employees.values()].find((e) => e.userId === req.query.initiator_user_id)?.id ??
            '-');
      const result = await processes.search(
        tenant.id,
        { statuses: req.query.statuses, definitionId: req.query.flow_definition_id, initiatorId },
        page,
      );
      return sendResult(reply, { ok: true, value: result }, (p) =>
        pageJson(p, (s) => ({
          process_id: s.id,
          flow_definition_id: s.definitionId,
          status: s.status,
          initiator_user_id: userIdOf(directory, s.initiatorId),
          updated_at: ms(s.updatedAt),
        })),
      );
    },
  );
  admin.get(
    '/tenants/:tenant_key/processes/:process_id',
    { schema: { params: ProcessParams } },
    async (req, reply) => {
      const tenant = await withTenant(req.params.tenant_key, reply);
      if (!tenant) return reply;
      return sendResult(reply, await processes.get(tenant.id, req.params.process_id), processJson);
    },
  );

  const act = async (
    tenantKey: string,
    processId: string,
    reply: FastifyReply,
    command: (directory: DirectorySnapshot) => Command | string,
  ) => {
    const tenant = await withTenant(tenantKey, reply);
    if (!tenant) return reply;
    const directory = await processes.directory(tenant.id);
    const built = command(directory);
    if (typeof built === 'string')
      return sendFailure(reply, {
        kind: 'invalid_field',
        message: `${built}: unknown user`,
        violations: [{ field: built, description: 'unknown user' }],
      });
    const result = await processes.execute(tenant.id, processId, built);
    return sendProcess(reply, tenant.id, result.ok ? { ok: true, value: { id: result.value.id } } : result);
  };
  admin.post(
    '/tenants/:tenant_key/processes/:process_id/return',
    {
      schema: {
        params: ProcessParams,
        body: Type.Object(
          {
            approver_id: Id19,
            target_node_id: Type.String({ minLength: 1, maxLength: 64 }),
            reason: Type.Optional(Type.String({ maxLength: 2000 })),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (req, reply) =>
      act(req.params.tenant_key, req.params.process_id, reply, () => ({
        kind: 'return',
        taskId: req.body.approver_id,
        targetNodeDefId: req.body.target_node_id,
        reason: req.body.reason,
        system: true,
      })),
  );
  admin.post(
    '/tenants/:tenant_key/processes/:process_id/reassign',
    {
      schema: {
        params: ProcessParams,
        body: Type.Object(
          {
            approver_ids: Type.Array(Id19, { minItems: 1, maxItems: 50 }),
            to_user_id: ExternalId,
            remark: Type.Optional(Type.String({ maxLength: 2000 })),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (req, reply) =>
      act(req.params.tenant_key, req.params.process_id, reply, (directory) => {
        const to = [...directory.employees.values()].find((e) => e.userId === req.body.to_user_id);
        if (!to) return 'to_user_id';
        return {
          kind: 'transfer',
          taskIds: req.body.approver_ids,
          toUserId: to.id,
          remark: req.body.remark,
          system: true,
        };
      }),
  );
}
