import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import type { DirectorySnapshot } from '../../../engine/approver-resolution.js';
import { isKnownBizType } from '../../../engine/biz-types.js';
import type {
  ConsoleFlowFailure,
  ConsoleFlowView,
  NewFlowSource,
} from '../../../services/console-flows.service.js';
import { DefinitionDocumentSchema } from '../../../services/definition-document.js';
import { bizTypeNames } from '../../../services/flow-templates.js';
import type { Services } from '../../../services/index.js';
import { invalidField, type Result } from '../../../services/result.js';
import { ERROR_CATALOGUE } from '../../errors.js';
import type { HttpApp } from '../../http-app.js';
import type {
  ConsoleFlowDetail,
  ConsoleFlowSummary,
  FlowEditConflict,
  FlowPublishRefused,
  FlowTemplate,
  FlowVersionSummary,
  Page,
  PersonRef,
} from '../contract.js';
import { personOf } from '../index.js';
import { decodePeopleCursor, encodePeopleCursor, PageTokenQuery, SearchText } from '../paging.js';
import { iso, personRef } from '../render.js';
import { sendPeopleError, sendPeopleFailure, sendPeopleResult } from '../reply.js';
import { flowScope, requireFlowAdmin, requireTenantAdmin } from './index.js';

const strict = { additionalProperties: false } as const;
const Id = Type.String({ pattern: '^\\d{1,19}$' });
const FlowParams = Type.Object({ flow_id: Id }, strict);
const VersionParams = Type.Object(
  { flow_id: Id, version: Type.Integer({ minimum: 1, maximum: 2147483647 }) },
  strict,
);
const Revision = Type.Integer({ minimum: 0, maximum: 2147483647 });
const I18nName = Type.Object(
  {
    zh_cn: Type.String({ minLength: 1, maxLength: 200 }),
    en_us: Type.String({ minLength: 1, maxLength: 200 }),
  },
  strict,
);
const BizType = Type.String({ minLength: 1, maxLength: 80 });
const ListQuery = Type.Object(
  {
    query: Type.Optional(SearchText),
    page_size: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 50 })),
    page_token: Type.Optional(PageTokenQuery),
  },
  strict,
);
const VersionsQuery = Type.Object(
  {
    page_size: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 50 })),
    page_token: Type.Optional(PageTokenQuery),
  },
  strict,
);
const CreateBody = Type.Object(
  {
    name: Type.Optional(I18nName),
    biz_type: Type.Optional(BizType),
    clone_from: Type.Optional(Id),
    template: Type.Optional(BizType),
  },
  strict,
);
const DocumentBody = Type.Object({ document: DefinitionDocumentSchema }, strict);
const DraftBody = Type.Object({ document: DefinitionDocumentSchema, revision: Revision }, strict);
const ValidateBody = Type.Object({ document: Type.Optional(DefinitionDocumentSchema) }, strict);
const PublishBody = Type.Object({ revision: Revision }, strict);
const ExportQuery = Type.Object(
  { version: Type.Optional(Type.Integer({ minimum: 1, maximum: 2147483647 })) },
  strict,
);

const tags = ['console'];

/** A POST without a body (no content type) arrives as undefined, whatever the schema says. */
const bodyOf = <T>(body: T): T | undefined => body;

const userIdIndexes = new WeakMap<DirectorySnapshot, Map<string, string>>();

/** A person named by user_id in a document; one unknown to the directory renders as themselves. */
function personByUserId(directory: DirectorySnapshot, userId: string): PersonRef {
  let index = userIdIndexes.get(directory);
  if (!index) {
    index = new Map([...directory.employees.values()].map((e) => [e.userId, e.id]));
    userIdIndexes.set(directory, index);
  }
  const id = index.get(userId);
  return id !== undefined
    ? personRef(directory, id)
    : { user_id: userId, name: { zh_cn: userId, en_us: userId }, active: false };
}

function summaryJson(services: Services, view: ConsoleFlowView): ConsoleFlowSummary {
  const { record, directory } = view;
  const doc = view.draft ?? view.published;
  const bizType = doc?.biz_type ?? '';
  return {
    flow_id: record.id,
    name: doc?.name ?? { zh_cn: record.id, en_us: record.id },
    biz_type: bizType,
    biz_type_name: bizTypeNames(bizType, doc?.name),
    enabled: record.enabled,
    latest_version: record.latestVersion,
    has_draft: view.draft !== null,
    draft_revision: record.draftRevision,
    running: view.running,
    updated_at: iso(record.updatedAt),
    process_admins: (doc?.process_admins ?? []).slice(0, 50).map((u) => personByUserId(directory, u)),
  };
}

function detailJson(services: Services, view: ConsoleFlowView): ConsoleFlowDetail {
  const { record, directory } = view;
  return {
    ...summaryJson(services, view),
    draft:
      view.draft === null
        ? null
        : {
            document: view.draft,
            revision: record.draftRevision,
            updated_at: iso(record.draftUpdatedAt ?? record.updatedAt),
            ...(record.draftUpdatedBy !== null
              ? { updated_by: personRef(directory, record.draftUpdatedBy) }
              : {}),
          },
    published: view.published,
  };
}

/**
 * Console failures with what the editor shows beside them: publish's pinned `problems`, and for an
 * edit conflict where the draft is now (`current`: revision, who saved it, when).
 */
async function sendConsoleFailure(
  reply: FastifyReply,
  services: Services,
  tenantKey: string,
  flowId: string,
  failure: ConsoleFlowFailure,
): Promise<FastifyReply> {
  if (failure.kind === 'edit_conflict') {
    const now = await services.consoleFlows.detail(tenantKey, flowId);
    const current = now.ok
      ? {
          revision: now.value.record.draftRevision,
          ...(now.value.record.draftUpdatedAt !== null
            ? { updated_at: iso(now.value.record.draftUpdatedAt) }
            : {}),
          ...(now.value.record.draftUpdatedBy !== null
            ? { updated_by: personRef(now.value.directory, now.value.record.draftUpdatedBy) }
            : {}),
        }
      : undefined;
    const error: FlowEditConflict = {
      code: failure.kind,
      message: failure.message,
      ...(failure.violations ? { violations: failure.violations } : {}),
      current: current ?? { revision: -1 },
    };
    return sendPeopleError(reply, ERROR_CATALOGUE.edit_conflict.status, error);
  }
  if (failure.problems) {
    const error: FlowPublishRefused = {
      code: failure.kind,
      message: failure.message,
      ...(failure.violations ? { violations: failure.violations } : {}),
      problems: failure.problems,
    };
    return sendPeopleError(reply, ERROR_CATALOGUE[failure.kind].status, error);
  }
  return sendPeopleFailure(reply, failure);
}

/** Which way a new flow starts, from the create body: exactly one of template, clone_from, blank. */
function newFlowSource(body: {
  name?: { zh_cn: string; en_us: string } | undefined;
  biz_type?: string | undefined;
  clone_from?: string | undefined;
  template?: string | undefined;
}): Result<NewFlowSource> {
  const given = (['template', 'clone_from', 'biz_type'] as const).filter((way) => body[way] !== undefined);
  if (given.length !== 1)
    return invalidField(
      // None: name the usual way to start; several: the first one too many.
      given[1] ?? 'template',
      'give exactly one of template (a business type), clone_from (a flow id) or biz_type with name (blank)',
    );
  if (body.template !== undefined)
    return { ok: true, value: { kind: 'template', bizType: body.template, name: body.name } };
  if (body.clone_from !== undefined)
    return { ok: true, value: { kind: 'clone', flowId: body.clone_from, name: body.name } };
  if (!body.name) return invalidField('name', 'is required for a blank flow');
  if (body.biz_type !== undefined && !isKnownBizType(body.biz_type))
    return invalidField('biz_type', 'is neither a listed business type nor custom:<name>');
  return { ok: true, value: { kind: 'blank', name: body.name, bizType: body.biz_type ?? '' } };
}

/** Console: flow definitions — list, drafts, validate, publish, versions, import/export, templates. */
export function registerConsoleFlowRoutes(admin: HttpApp, services: Services): void {
  const flows = services.consoleFlows;
  const tenantOf = (request: Parameters<typeof personOf>[0]) => personOf(request).tenant.tenantKey;
  const actorOf = (request: Parameters<typeof personOf>[0]) => {
    const { employee } = personOf(request);
    return { id: employee.id, userId: employee.userId };
  };

  admin.get(
    '/flows',
    { schema: { querystring: ListQuery, tags, summary: 'The flows the person administers' } },
    async (request, reply) => {
      const { query, page_size: pageSize = 50, page_token: token } = request.query;
      const scope = flowScope(request);
      const bound = `console-flows:${query ?? ''}`;
      const after = decodePeopleCursor(reply, token, bound);
      if (after === null) return reply;
      const page = await flows.list(tenantOf(request), scope, query, pageSize, after);
      return sendPeopleResult(reply, page, (p): Page<ConsoleFlowSummary> => ({
        items: p.items.map((v) => summaryJson(services, v)),
        ...(p.next !== undefined ? { page_token: encodePeopleCursor(p.next, bound) } : {}),
      }));
    },
  );

  admin.get(
    '/flow-templates',
    { schema: { tags, summary: 'One starter document per known business type' } },
    () => {
      // Product data, the same for every tenant: any console role may read it (the settings' type list).
      const items: FlowTemplate[] = flows.templates().map((t) => ({
        biz_type: t.bizType,
        biz_type_name: bizTypeNames(t.bizType),
        document: t.document,
      }));
      return { items };
    },
  );

  admin.post(
    '/flows',
    { schema: { body: CreateBody, tags, summary: 'A new flow: blank, cloned or from a template' } },
    async (request, reply) => {
      if (!requireTenantAdmin(request, reply)) return reply;
      const source = newFlowSource(request.body);
      if (!source.ok) return sendPeopleFailure(reply, source.error);
      const created = await flows.create(tenantOf(request), actorOf(request), source.value);
      return sendPeopleResult(reply.status(created.ok ? 201 : 200), created, (c) => ({
        flow: detailJson(services, c.view),
        problems: c.problems,
      }));
    },
  );

  admin.post(
    '/flows/import',
    { schema: { body: DocumentBody, tags, summary: 'A new flow with the document as its draft' } },
    async (request, reply) => {
      if (!requireTenantAdmin(request, reply)) return reply;
      const created = await flows.import(tenantOf(request), actorOf(request), request.body.document);
      return sendPeopleResult(reply.status(created.ok ? 201 : 200), created, (c) => ({
        flow: detailJson(services, c.view),
        problems: c.problems,
      }));
    },
  );

  admin.get(
    '/flows/:flow_id',
    { schema: { params: FlowParams, tags, summary: 'A flow with its draft and latest version' } },
    async (request, reply) => {
      if (!requireFlowAdmin(request, reply, request.params.flow_id)) return reply;
      return sendPeopleResult(reply, await flows.detail(tenantOf(request), request.params.flow_id), (v) =>
        detailJson(services, v),
      );
    },
  );

  admin.delete(
    '/flows/:flow_id',
    { schema: { params: FlowParams, tags, summary: 'Delete a flow never published' } },
    async (request, reply) => {
      if (!requireTenantAdmin(request, reply)) return reply;
      const deleted = await flows.delete(tenantOf(request), request.params.flow_id);
      return sendPeopleResult(reply.status(deleted.ok ? 204 : 200), deleted, () => undefined);
    },
  );

  admin.put(
    '/flows/:flow_id/draft',
    { schema: { params: FlowParams, body: DraftBody, tags, summary: 'Save the draft at a revision' } },
    async (request, reply) => {
      const flowId = request.params.flow_id;
      if (!requireFlowAdmin(request, reply, flowId)) return reply;
      const tenantKey = tenantOf(request);
      const { document, revision } = request.body;
      const saved = await flows.saveDraft(tenantKey, actorOf(request), flowId, document, revision);
      if (!saved.ok) return sendConsoleFailure(reply, services, tenantKey, flowId, saved.error);
      const { record, problems, directory } = saved.value;
      return {
        revision: record.draftRevision,
        updated_at: iso(record.draftUpdatedAt ?? record.updatedAt),
        ...(record.draftUpdatedBy !== null
          ? { updated_by: personRef(directory, record.draftUpdatedBy) }
          : {}),
        problems,
      };
    },
  );

  admin.post(
    '/flows/:flow_id/validate',
    {
      schema: {
        params: FlowParams,
        body: ValidateBody,
        tags,
        summary: 'What publishing would refuse',
      },
    },
    async (request, reply) => {
      if (!requireFlowAdmin(request, reply, request.params.flow_id)) return reply;
      const checked = await flows.validate(
        tenantOf(request),
        request.params.flow_id,
        bodyOf(request.body)?.document,
      );
      return sendPeopleResult(reply, checked, (problems) => ({ problems }));
    },
  );

  admin.post(
    '/flows/:flow_id/publish',
    { schema: { params: FlowParams, body: PublishBody, tags, summary: 'Publish the draft' } },
    async (request, reply) => {
      const flowId = request.params.flow_id;
      if (!requireFlowAdmin(request, reply, flowId)) return reply;
      const tenantKey = tenantOf(request);
      const published = await flows.publish(tenantKey, actorOf(request), flowId, request.body.revision);
      if (!published.ok) return sendConsoleFailure(reply, services, tenantKey, flowId, published.error);
      return detailJson(services, published.value);
    },
  );

  for (const [action, enabled] of [
    ['enable', true],
    ['disable', false],
  ] as const) {
    admin.post(
      `/flows/:flow_id/${action}`,
      { schema: { params: FlowParams, tags, summary: `${action} starting new requests` } },
      async (request, reply) => {
        if (!requireFlowAdmin(request, reply, request.params.flow_id)) return reply;
        return sendPeopleResult(
          reply,
          await flows.setEnabled(tenantOf(request), request.params.flow_id, enabled),
          (v) => detailJson(services, v),
        );
      },
    );
  }

  admin.get(
    '/flows/:flow_id/versions',
    { schema: { params: FlowParams, querystring: VersionsQuery, tags, summary: 'Published versions' } },
    async (request, reply) => {
      const flowId = request.params.flow_id;
      if (!requireFlowAdmin(request, reply, flowId)) return reply;
      const { page_size: pageSize = 50, page_token: token } = request.query;
      const bound = `console-flow-versions:${flowId}`;
      const after = decodePeopleCursor(reply, token, bound);
      if (after === null) return reply;
      const found = await flows.versions(tenantOf(request), flowId);
      return sendPeopleResult(reply, found, ({ versions, directory }): Page<FlowVersionSummary> => {
        // Newest first; a page token is the version the previous page ended at.
        const newest = [...versions].reverse();
        const from = after === undefined ? newest : newest.filter((v) => v.version < Number(after));
        const items = from.slice(0, pageSize);
        const last = items.at(-1);
        return {
          items: items.map((v) => ({
            version: v.version,
            published_at: iso(v.publishedAt),
            ...(v.publishedBy !== null ? { published_by: personRef(directory, v.publishedBy) } : {}),
          })),
          ...(from.length > pageSize && last
            ? { page_token: encodePeopleCursor(String(last.version), bound) }
            : {}),
        };
      });
    },
  );

  admin.get(
    '/flows/:flow_id/versions/:version',
    { schema: { params: VersionParams, tags, summary: 'One published version as a document' } },
    async (request, reply) => {
      if (!requireFlowAdmin(request, reply, request.params.flow_id)) return reply;
      return sendPeopleResult(
        reply,
        await flows.versionDocument(tenantOf(request), request.params.flow_id, request.params.version),
        (doc) => doc,
      );
    },
  );

  admin.get(
    '/flows/:flow_id/export',
    {
      schema: {
        params: FlowParams,
        querystring: ExportQuery,
        tags,
        summary: 'The document as a JSON download',
      },
    },
    async (request, reply) => {
      const flowId = request.params.flow_id;
      if (!requireFlowAdmin(request, reply, flowId)) return reply;
      const found = await flows.exportDocument(tenantOf(request), flowId, request.query.version);
      if (!found.ok) return sendPeopleFailure(reply, found.error);
      void reply.header(
        'content-disposition',
        `attachment; filename="flow-${flowId}-${found.value.label}.json"`,
      );
      return reply
        .type('application/json; charset=utf-8')
        .send(JSON.stringify(found.value.document, null, 2));
    },
  );
}
