import type { Kysely } from 'kysely';
import type { DirectorySnapshot } from '../../engine/approver-resolution.js';
import type { FlowDefinition } from '../../engine/definition.js';
import type { FormField } from '../../engine/form.js';
import type { ProcessState } from '../../engine/process.js';
import type { TargetGuard } from '../../events/target-guard.js';
import { postJson } from '../../events/webhook-sender.js';
import { signedBody } from '../../events/webhook-crypto.js';
import type { Clock } from '../../platform/clock.js';
import type { SecretBox } from '../../platform/secrets.js';
import type { Database } from '../../store/schema.js';
import { repositories } from '../context.js';
import type { ProcessService } from '../process.service.js';
import type { JobHandler, JobOutcome } from './runner.js';

/** Which moment of the process an `http_action` job reports. */
export type HttpActionEvent = 'process.completed' | 'process.revoked';

/** What an `http_action` job carries (its key: `<process_id>:completed` or `:revoked`). */
export interface HttpActionPayload {
  process_id: string;
  event: HttpActionEvent;
}

export const httpActionKey = (processId: string, event: HttpActionEvent): string =>
  `${processId}:${event === 'process.completed' ? 'completed' : 'revoked'}`;

export interface HttpActionDeps {
  db: Kysely<Database>;
  clock: Clock;
  secrets: SecretBox;
  guard: TargetGuard;
  processes: ProcessService;
  timeoutMs: number;
}

/** How much of the receiver's answer is kept with the job (result or error). */
const ANSWER_KEPT = 2048;

const PROCESS_STATUS_CODE = { completed: 9, revoked: 8 } as const;

/**
 * The HTTP action (docs/actions.md "HTTP action"): a POST of the process and its form to the flow's
 * configured URL, encrypted and signed with the chosen app's encrypt key exactly as that app's event
 * pushes are. 2xx is done (the answer is recorded); 408, 429, 5xx and network errors are retried with
 * backoff; any other answer, or a target the SSRF guard refuses, fails at once for the admins to see.
 * `action_id` (the job id) is the same on every try, so the receiver can drop repeats.
 */
export function httpActionJobHandler(deps: HttpActionDeps): JobHandler {
  return {
    maxAttempts: 8,
    async run(job): Promise<JobOutcome> {
      const payload = job.payload as HttpActionPayload;
      const tenantId = job.row.tenant_id;
      const view = await deps.processes.get(tenantId, payload.process_id);
      if (!view.ok) return { status: 'cancelled', reason: view.error.message };
      const { state, definition, directory } = view.value;
      const setting = definition.httpAction;
      if (!setting) return { status: 'cancelled', reason: 'the flow version has no HTTP action' };
      const repos = repositories(deps.db);
      const [tenant, app] = await Promise.all([
        repos.tenants.findById(tenantId),
        repos.apps.findByAppId(setting.appId),
      ]);
      if (!tenant) return { status: 'cancelled', reason: 'the tenant no longer exists' };
      if (!app || app.tenantId !== tenantId)
        return { status: 'failed', error: `http_action.app_id: the app ${setting.appId} no longer exists` };
      if (app.eventEncryptKeySealed === null)
        return {
          status: 'failed',
          error: `http_action.app_id: the app ${setting.appId} has no encrypt key to sign with`,
        };
      const body = actionBody({
        actionId: job.row.id,
        event: payload.event,
        tenantKey: tenant.tenantKey,
        appId: app.appId,
        occurredAt: job.row.created_at,
        state,
        definition,
        directory,
      });
      const signed = signedBody(body, deps.secrets.decrypt(app.eventEncryptKeySealed), deps.clock.now());
      let answer;
      try {
        answer = await postJson(
          setting.url,
          signed.body,
          { ...signed.headers, 'idempotency-key': job.row.id },
          deps.guard,
          deps.timeoutMs,
        );
      } catch (error) {
        const e = error as Error & { code?: string };
        const blocked = e.code === 'EBLOCKED' || /may not reach|request URL/.test(e.message);
        return { status: blocked ? 'failed' : 'retry', error: `POST ${setting.url}: ${e.message}` };
      }
      const excerpt = answer.body.slice(0, ANSWER_KEPT);
      if (answer.status >= 200 && answer.status < 300)
        return { status: 'done', result: { http_status: answer.status, response: excerpt } };
      const error = `POST ${setting.url} answered ${answer.status}: ${excerpt.slice(0, 200)}`;
      if (answer.status === 408 || answer.status === 429 || answer.status >= 500)
        return { status: 'retry', error };
      return { status: 'failed', error };
    },
  };
}

interface BodyInput {
  actionId: string;
  event: HttpActionEvent;
  tenantKey: string;
  appId: string;
  occurredAt: number;
  state: ProcessState;
  definition: FlowDefinition;
  directory: DirectorySnapshot;
}

/**
 * The action's JSON (before encryption): the process, every form field with its value as stored
 * (people and departments as `people_corehr` ids, dates `YYYY-MM-DD`, numbers decimal strings), and
 * the people it names, with their `user_id` and name.
 */
export function actionBody(input: BodyInput) {
  const { state, definition, directory } = input;
  const peopleIds = new Set<string>([state.initiatorId]);
  const personFields = (fields: readonly FormField[]) =>
    fields.filter((f) => f.type === 'user' || f.type === 'employment').map((f) => f.apiName);
  for (const name of personFields(definition.form)) {
    const value = state.formValues[name];
    for (const id of Array.isArray(value) ? value : [value])
      if (typeof id === 'string' && id !== '') peopleIds.add(id);
  }
  const people: Record<string, { user_id: string; name: { zh_cn: string; en_us: string } }> = {};
  for (const id of peopleIds) {
    const employee = directory.employees.get(id);
    if (employee) people[id] = { user_id: employee.userId, name: employee.name };
  }
  const status = state.status === 'revoked' ? 'revoked' : 'completed';
  return {
    schema: 'peopleflow.http_action.v1',
    action_id: input.actionId,
    event: input.event,
    tenant_key: input.tenantKey,
    app_id: input.appId,
    occurred_at: String(input.occurredAt),
    process: {
      process_id: state.id,
      flow_definition_id: definition.id,
      flow_definition_version: definition.version,
      flow_name: definition.name,
      biz_type: state.bizType,
      status: PROCESS_STATUS_CODE[status],
      initiator_id: state.initiatorId,
      create_time: String(state.createdAt),
      complete_time: state.completedAt !== undefined ? String(state.completedAt) : '',
    },
    form: definition.form.map((f) => ({
      api_name: f.apiName,
      type: f.type,
      label: f.label,
      value: state.formValues[f.apiName] ?? null,
    })),
    people,
  };
}
