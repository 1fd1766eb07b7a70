import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Command } from '../../engine/transitions.js';
import { validateStartValues } from '../../engine/form-rules.js';
import type { ProcessStatus, TaskStatus } from '../../engine/process.js';
import type { Services } from '../../services/index.js';
import type { Failure, Result } from '../../services/result.js';
import { principalOf, type OpenApiGuard } from '../auth/open-api-guard.js';
import type { HttpApp } from '../http-app.js';
import { decodeBoundCursor, encodeBoundCursor } from '../pagination.js';
import { renderData, sendData, sendFailure, sendRendered } from '../reply.js';
import { Identity } from './identity.js';
import { formVariableValues, processJson, processVariableValues, PROCESS_VARIABLES } from './render.js';
import {
  ApproveBody,
  ApproversQuery,
  ExtraBody,
  FlowVariableQuery,
  IdTypeQuery,
  ListProcessesQuery,
  OperatorBody,
  ProcessParams,
  StartBody,
  TaskParams,
  TransferBody,
  UserIdTypeQuery,
} from './schemas.js';
import { toEngineValues } from './values.js';
import { TASK_STATUS_CODE, processStatusFromCode } from './wire-enums.js';

const V2 = '/open-apis/corehr/v2';
const MAX_WINDOW_MS = 31 * 24 * 3600 * 1000;

const invalid = (field: string, description: string): Failure => ({
  kind: 'invalid_field',
  message: `${field}: ${description}`,
  violations: [{ field, description }],
});
const unknownPerson = (field: string, identity: Identity): Failure => ({
  kind: 'id_not_found',
  message: `${field}: no person with this id for user_id_type ${identity.userIdType}`,
  violations: [{ field, description: `not found for user_id_type ${identity.userIdType}` }],
});
/** Engine violations name form fields; on the wire they sit under the request field that carried them. */
const underField = (failure: Failure, prefix: string): Failure =>
  failure.violations
    ? {
        ...failure,
        violations: failure.violations.map((v) => ({
          ...v,
          field: v.field.startsWith(prefix) ? v.field : `${prefix}.${v.field}`,
        })),
      }
    : failure;

const baseUrl = (request: FastifyRequest) => request.server.publicBaseUrl(request);

/** The corehr v2 process endpoints (docs/open-api.md), in the vendor's shapes. */
export function registerProcessRoutes(app: HttpApp, services: Services, guard: OpenApiGuard): void {
  const { processes } = services;
  const read = guard('corehr:process:readonly');
  const operate = guard('corehr:process');
  const approve = guard('corehr:process.approver');

  /** Who acts: the person named in `field` (required unless the system acts), and whether the system does. */
  async function actingAs(
    identity: Identity,
    id: string | undefined,
    systemFlag: boolean | undefined,
    field: string,
  ): Promise<Result<{ operatorId: string | undefined; system: boolean }>> {
    const system = systemFlag === true;
    if (id === undefined) {
      if (system) return { ok: true, value: { operatorId: undefined, system } };
      const flags = field === 'user_id' ? 'system_user or system_approval' : 'system_user';
      return { ok: false, error: invalid(field, `is required unless ${flags} is true`) };
    }
    const person = await identity.person(id);
    return person
      ? { ok: true, value: { operatorId: person.id, system } }
      : { ok: false, error: unknownPerson(field, identity) };
  }

  async function execute(
    request: FastifyRequest,
    reply: FastifyReply,
    processId: string,
    command: Command,
    prefix?: string,
    data: unknown = {},
  ) {
    const result = await processes.execute(principalOf(request).tenant.id, processId, command);
    if (!result.ok) return sendFailure(reply, prefix ? underField(result.error, prefix) : result.error);
    return sendData(reply, data);
  }

  app.get(
    `${V2}/processes`,
    { preValidation: read, schema: { querystring: ListProcessesQuery } },
    async (request, reply) => {
      const q = request.query;
      const from = Number(q.modify_time_from);
      const to = Number(q.modify_time_to);
      if (to < from)
        return sendFailure(reply, invalid('modify_time_to', 'must not be before modify_time_from'));
      if (to - from >= MAX_WINDOW_MS)
        return sendFailure(reply, invalid('modify_time_to', 'the time window must span less than 31 days'));
      const statuses = (q.statuses ?? [])
        .map((code) => processStatusFromCode(code))
        .filter((s): s is ProcessStatus => s !== undefined);
      const queryKey = JSON.stringify([
        principalOf(request).tenant.id,
        from,
        to,
        [...statuses].sort(),
        q.flow_definition_id ?? '',
      ]);
      // Keyset position "updated_at.id" of the last process on the previous page.
      let after: { updatedAt: number; id: string } | undefined;
      if (q.page_token) {
        const position = decodeBoundCursor(q.page_token, queryKey, /^\d{1,16}\.\d{1,19}$/);
        if (position === undefined)
          return sendFailure(reply, invalid('page_token', 'not issued for this query'));
        const [updatedAt = '', id = ''] = position.split('.');
        after = { updatedAt: Number(updatedAt), id };
      }
      const page = await processes.modifiedPage(
        principalOf(request).tenant.id,
        { statuses, definitionId: q.flow_definition_id, modifiedFrom: from, modifiedTo: to },
        q.page_size,
        after,
      );
      return sendData(reply, {
        process_ids: page.items.map((p) => p.id),
        has_more: page.next !== undefined,
        // The last page has no page_token at all: the Go SDK's iterator stops only on a missing one.
        ...(page.next
          ? { page_token: encodeBoundCursor(`${page.next.updatedAt}.${page.next.id}`, queryKey) }
          : {}),
      });
    },
  );

  app.get(
    `${V2}/processes/:process_id`,
    { preValidation: read, schema: { params: ProcessParams, querystring: UserIdTypeQuery } },
    async (request, reply) => {
      const principal = principalOf(request);
      const tenantId = principal.tenant.id;
      const processId = request.params.process_id;
      // The rendered detail is served again until the process or the directory changes; what else
      // it depends on (the app's open_ids, the id type, the link origin) is its variant.
      const variant = `${principal.app.id}\0${request.query.user_id_type ?? ''}\0${baseUrl(request)}`;
      const directory = await processes.directory(tenantId);
      const cached = services.reads.processDetail(tenantId, processId, variant, directory);
      if (cached !== undefined) return sendRendered(reply, cached);
      const since = services.reads.currentEpoch();
      const found = await processes.get(tenantId, processId);
      if (!found.ok) return sendFailure(reply, found.error);
      const { definition, state } = found.value;
      const identity = Identity.over(services, principal, found.value.directory, request.query.user_id_type);
      const steps = await processes.systemSteps(tenantId, state);
      const body = renderData(await processJson(definition, state, identity, baseUrl(request), steps));
      // System steps change with their jobs, not the process: a process that may have any is rendered each time.
      if (!processes.mayHaveSystemSteps(definition, state))
        services.reads.rememberProcessDetail(
          tenantId,
          processId,
          variant,
          found.value.directory,
          body,
          since,
        );
      return sendRendered(reply, body);
    },
  );

  app.get(
    `${V2}/processes/:process_id/form_variable_data`,
    { preValidation: read, schema: { params: ProcessParams, querystring: IdTypeQuery } },
    async (request, reply) => {
      const principal = principalOf(request);
      const found = await processes.get(principal.tenant.id, request.params.process_id);
      if (!found.ok) return sendFailure(reply, found.error);
      const identity = Identity.over(
        services,
        principal,
        found.value.directory,
        request.query.user_id_type,
        request.query.department_id_type,
      );
      return sendData(reply, {
        field_variable_values: await formVariableValues(
          found.value.definition,
          found.value.state.formValues,
          identity,
        ),
        process_id: found.value.state.id,
      });
    },
  );

  app.get(
    `${V2}/processes/:process_id/flow_variable_data`,
    { preValidation: read, schema: { params: ProcessParams, querystring: FlowVariableQuery } },
    async (request, reply) => {
      const principal = principalOf(request);
      const found = await processes.get(principal.tenant.id, request.params.process_id);
      if (!found.ok) return sendFailure(reply, found.error);
      const { definition, state } = found.value;
      const keys = request.query.variable_keys;
      const known = new Set<string>([...definition.form.map((f) => f.apiName), ...PROCESS_VARIABLES]);
      const unknown = (keys ?? []).findIndex((k) => !known.has(k));
      if (unknown >= 0)
        return sendFailure(
          reply,
          invalid(`variable_keys[${unknown}]`, 'is neither a form field nor a process variable'),
        );
      const identity = Identity.over(
        services,
        principal,
        found.value.directory,
        request.query.user_id_type,
        request.query.department_id_type,
      );
      const all = [
        ...(await formVariableValues(definition, state.formValues, identity)),
        ...(await processVariableValues(state, identity)),
      ];
      return sendData(reply, {
        field_variable_values: keys ? all.filter((v) => keys.includes(v.variable_api_name)) : all,
      });
    },
  );

  app.post(
    `${V2}/process_start`,
    { preValidation: operate, schema: { body: StartBody, querystring: IdTypeQuery } },
    async (request, reply) => {
      const principal = principalOf(request);
      const body = request.body;
      const identity = await Identity.of(
        services,
        principal,
        request.query.user_id_type,
        request.query.department_id_type,
      );
      if (body.initiator_id === undefined)
        return sendFailure(
          reply,
          invalid('initiator_id', 'is required: the person the process is started for'),
        );
      const initiator = await identity.person(body.initiator_id);
      if (!initiator) return sendFailure(reply, unknownPerson('initiator_id', identity));
      const definition = await services.definitions.startableFor(
        principal.tenant.id,
        body.flow_definition_id,
      );
      if (!definition.ok) return sendFailure(reply, definition.error);
      const values = await toEngineValues(definition.value.form, body.flow_data ?? [], identity, 'flow_data');
      if (values.violations.length > 0) {
        // Name every bad field at once: what the edge could not read, and what the form rejects of the rest.
        const reported = new Set(values.violations.map((v) => v.field));
        const refs = {
          employeeExists: (id: string) => identity.directory.employees.has(id),
          departmentExists: (id: string) => identity.directory.departments.has(id),
        };
        const more = validateStartValues(
          definition.value.form,
          values.values,
          refs,
          definition.value.formRules,
        )
          .map((v) => ({ ...v, field: `flow_data.${v.field}` }))
          .filter((v) => !reported.has(v.field));
        return sendFailure(reply, {
          kind: 'form_invalid',
          message: 'flow_data invalid',
          violations: [...values.violations, ...more],
        });
      }
      const started = await processes.start(principal.tenant.id, body.flow_definition_id, {
        initiatorId: initiator.id,
        formValues: values.values,
        bySystem: body.system_initiator === true,
      });
      if (!started.ok) return sendFailure(reply, underField(started.error, 'flow_data'));
      return sendData(reply, { process_id: started.value.id });
    },
  );

  for (const [path, kind] of [
    ['process_withdraw', 'withdraw'],
    ['process_revoke', 'revoke'],
  ] as const) {
    app.put(
      `${V2}/${path}/:process_id`,
      {
        preValidation: operate,
        schema: { params: ProcessParams, body: OperatorBody, querystring: UserIdTypeQuery },
      },
      async (request, reply) => {
        const body = request.body;
        const identity = await Identity.of(services, principalOf(request), request.query.user_id_type);
        const who = await actingAs(identity, body.user_id, body.system_user, 'user_id');
        if (!who.ok) return sendFailure(reply, who.error);
        const { operatorId, system } = who.value;
        return execute(request, reply, request.params.process_id, {
          kind,
          operatorId,
          system,
          reason: body.reason,
        });
      },
    );
  }

  app.put(
    `${V2}/processes/:process_id/approvers/:approver_id`,
    { preValidation: approve, schema: { params: TaskParams, body: ApproveBody, querystring: IdTypeQuery } },
    async (request, reply) => {
      const principal = principalOf(request);
      const body = request.body;
      const identity = await Identity.of(
        services,
        principal,
        request.query.user_id_type,
        request.query.department_id_type,
      );
      const who = await actingAs(identity, body.user_id, body.system_approval, 'user_id');
      if (!who.ok) return sendFailure(reply, who.error);
      const { operatorId, system } = who.value;
      let fieldValues: Record<string, unknown> | undefined;
      if (body.field_values_v2 && body.field_values_v2.length > 0) {
        const found = await processes.get(principal.tenant.id, request.params.process_id);
        if (!found.ok) return sendFailure(reply, found.error);
        const values = await toEngineValues(
          found.value.definition.form,
          body.field_values_v2,
          identity,
          'field_values_v2',
        );
        if (values.violations.length > 0)
          return sendFailure(reply, {
            kind: 'form_invalid',
            message: 'field_values_v2 invalid',
            violations: values.violations,
          });
        fieldValues = values.values;
      }
      const command: Command =
        body.status === 3
          ? {
              kind: 'approve',
              taskId: request.params.approver_id,
              operatorId,
              system,
              reason: body.reason,
              fieldValues,
            }
          : {
              kind: 'reject',
              taskId: request.params.approver_id,
              operatorId,
              system,
              reason: body.reason,
            };
      return execute(request, reply, request.params.process_id, command, 'field_values_v2', {
        code: 0,
        msg: 'success',
      });
    },
  );

  app.put(
    `${V2}/processes/:process_id/extra`,
    {
      preValidation: approve,
      schema: { params: ProcessParams, body: ExtraBody, querystring: UserIdTypeQuery },
    },
    async (request, reply) => {
      const body = request.body;
      const identity = await Identity.of(services, principalOf(request), request.query.user_id_type);
      const who = await actingAs(identity, body.operator, body.system_user, 'operator');
      if (!who.ok) return sendFailure(reply, who.error);
      const { operatorId, system } = who.value;
      const users: string[] = [];
      for (const [i, id] of body.extra_user_ids.entries()) {
        const person = await identity.person(id);
        if (!person) return sendFailure(reply, unknownPerson(`extra_user_ids[${i}]`, identity));
        users.push(person.id);
      }
      const extraType = body.extra_type === 0 ? 'pre' : body.extra_type === 1 ? 'parallel' : 'post';
      const approvalType = body.approval_type ?? (extraType === 'parallel' ? 1 : 0);
      return execute(request, reply, request.params.process_id, {
        kind: 'add_sign',
        nodeDefId: body.node_id,
        taskId: body.approver_id,
        extraType,
        approvalMode: approvalType === 1 ? 'and' : 'or',
        userIds: users,
        remark: body.remark,
        operatorId,
        system,
      });
    },
  );

  app.put(
    `${V2}/processes/:process_id/transfer`,
    {
      preValidation: approve,
      schema: { params: ProcessParams, body: TransferBody, querystring: UserIdTypeQuery },
    },
    async (request, reply) => {
      const body = request.body;
      const identity = await Identity.of(services, principalOf(request), request.query.user_id_type);
      const who = await actingAs(identity, body.operator, body.system_user, 'operator');
      if (!who.ok) return sendFailure(reply, who.error);
      const { operatorId, system } = who.value;
      const to = await identity.person(body.to_user_id);
      if (!to) return sendFailure(reply, unknownPerson('to_user_id', identity));
      return execute(request, reply, request.params.process_id, {
        kind: 'transfer',
        taskIds: body.approver_ids,
        toUserId: to.id,
        remark: body.remark,
        operatorId,
        system,
      });
    },
  );

  app.get(
    `${V2}/approvers`,
    { preValidation: read, schema: { querystring: ApproversQuery } },
    async (request, reply) => {
      const principal = principalOf(request);
      const q = request.query;
      const identity = await Identity.of(services, principal, q.user_id_type);
      const person = await identity.person(q.user_id);
      if (!person) return sendFailure(reply, unknownPerson('user_id', identity));
      const statuses =
        q.approver_status === undefined
          ? undefined
          : (Object.keys(TASK_STATUS_CODE) as TaskStatus[]).filter(
              (s) => TASK_STATUS_CODE[s] === q.approver_status,
            );
      // The page is served again until one of this person's processes (or the directory) changes.
      const variant = `approvers\0${q.approver_status ?? ''}\0${q.page_size}\0${q.page_token ?? ''}`;
      const tenantId = principal.tenant.id;
      const cached = services.reads.personalRead(tenantId, person.id, variant, identity.directory);
      if (cached !== undefined) return sendRendered(reply, cached);
      const since = services.reads.currentEpoch();
      const queryKey = JSON.stringify([principal.tenant.id, person.id, q.approver_status ?? '']);
      let afterId: string | undefined;
      if (q.page_token) {
        afterId = decodeBoundCursor(q.page_token, queryKey);
        if (afterId === undefined)
          return sendFailure(reply, invalid('page_token', 'not issued for this query'));
      }
      // A status the vendor lists but no task here can have (CC, failed) matches nothing.
      const page =
        statuses && statuses.length === 0
          ? { items: [], nextAfterId: undefined }
          : await processes.tasksOf(principal.tenant.id, person.id, statuses, {
              pageSize: q.page_size,
              afterId,
            });
      const body = renderData({
        approver_list: page.items.map((t) => ({
          approver_id: t.id,
          process_id: t.process_id,
          approver_status: TASK_STATUS_CODE[t.status as TaskStatus],
        })),
        has_more: page.nextAfterId !== undefined,
        ...(page.nextAfterId === undefined
          ? {}
          : { page_token: encodeBoundCursor(page.nextAfterId, queryKey) }),
      });
      services.reads.rememberPersonalRead(tenantId, person.id, variant, identity.directory, body, since);
      return sendRendered(reply, body);
    },
  );
}
