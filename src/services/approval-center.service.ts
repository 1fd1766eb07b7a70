import type { DirectorySnapshot } from '../engine/approver-resolution.js';
import type { FlowDefinition } from '../engine/definition.js';
import type { Department, Employee } from '../engine/directory.js';
import type { FieldValue, FormValues } from '../engine/form.js';
import { applyFormRules, calculatedFields, validateStartValues } from '../engine/form-rules.js';
import { previewPath, type PreviewStep } from '../engine/preview.js';
import type { ProcessState } from '../engine/process.js';
import { bizTypeNames } from './flow-templates.js';
import { peopleToEngineValues } from './people-values.js';
import type { DefinitionService } from './definition.service.js';
import type { FileLookup } from './ports.js';
import type { ProcessService } from './process.service.js';
import { fail, ok, type Failure, type FieldViolation, type Result } from './result.js';
import type { PersonSession } from './session.service.js';

/** A page of an in-memory list ordered by a key; `next` is where the following page starts. */
export interface KeyedPage<T> {
  items: T[];
  next?: string;
}

export interface PreviewResult {
  definition: FlowDefinition;
  directory: DirectorySnapshot;
  steps: PreviewStep[];
  /** Values that cannot be used yet (hints while typing); required-but-missing fields are not listed. */
  violations: FieldViolation[];
  /** What the form rules made of the values so far: calculated fields' values, fields hidden now. */
  calculated: Record<string, FieldValue>;
  hidden: string[];
}

export interface StartInput {
  flowId: string;
  formValues: Record<string, unknown>;
  /** node id → user_ids */
  selectedApprovers?: Record<string, string[]> | undefined;
}

/** Text matching for search boxes: case-insensitive, on any of the given names. */
export function matches(query: string | undefined, ...texts: (string | undefined)[]): boolean {
  const q = query?.trim().toLowerCase();
  if (!q) return true;
  return texts.some((t) => t !== undefined && t.toLowerCase().includes(q));
}

/** Position of an item in a list ordered by (key, id), as an opaque string. */
const position = (key: string, id: string) => JSON.stringify([key, id]);
function parsePosition(after: string | undefined): [string, string] | undefined {
  if (after === undefined) return undefined;
  try {
    const parsed = JSON.parse(after) as unknown;
    return Array.isArray(parsed) &&
      parsed.length === 2 &&
      typeof parsed[0] === 'string' &&
      typeof parsed[1] === 'string'
      ? [parsed[0], parsed[1]]
      : undefined;
  } catch {
    return undefined;
  }
}

function keyedPage<T>(
  all: T[],
  keyOf: (item: T) => [string, string],
  pageSize: number,
  after: string | undefined,
): KeyedPage<T> {
  const sorted = all.map((item) => ({ item, key: keyOf(item) })).sort((a, b) => compareKeys(a.key, b.key));
  const from = parsePosition(after);
  const rest = from ? sorted.filter((e) => compareKeys(e.key, from) > 0) : sorted;
  const items = rest.slice(0, pageSize);
  const last = items[items.length - 1];
  return {
    items: items.map((e) => e.item),
    ...(rest.length > pageSize && last ? { next: position(...last.key) } : {}),
  };
}

const compareKeys = (a: [string, string], b: [string, string]) =>
  a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0;

/** Ordered by English name (then id), so pages are stable whatever language the reader uses. */
const nameKey = (name: { en_us: string; zh_cn: string }) => (name.en_us || name.zh_cn).toLowerCase();

/**
 * What a signed-in person does before a request exists: look people and departments up, choose a flow,
 * preview its path and start it — always as themselves (the initiator is the session's person; no
 * system powers). Decisions are the engine's, through the process and definition services.
 */
export class ApprovalCenterService {
  constructor(
    private readonly definitions: DefinitionService,
    private readonly processes: ProcessService,
    private readonly files?: FileLookup,
  ) {}

  /** Active people of the person's tenant matching `query` (name, email or user_id), by name. */
  async people(
    session: PersonSession,
    query: string | undefined,
    pageSize: number,
    after?: string,
  ): Promise<{ page: KeyedPage<Employee>; directory: DirectorySnapshot }> {
    const directory = await this.processes.directory(session.tenant.id);
    const found = [...directory.employees.values()].filter(
      (e) => e.employmentStatus === 'active' && matches(query, e.name.zh_cn, e.name.en_us, e.email, e.userId),
    );
    return { page: keyedPage(found, (e) => [nameKey(e.name), e.userId], pageSize, after), directory };
  }

  /** Departments of the person's tenant matching `query` (name or department_id), by name. */
  async departments(
    session: PersonSession,
    query: string | undefined,
    pageSize: number,
    after?: string,
  ): Promise<{ page: KeyedPage<Department>; directory: DirectorySnapshot }> {
    const directory = await this.processes.directory(session.tenant.id);
    const found = [...directory.departments.values()].filter((d) =>
      matches(query, d.name.zh_cn, d.name.en_us, d.departmentId),
    );
    return {
      page: keyedPage(found, (d) => [nameKey(d.name), d.departmentId], pageSize, after),
      directory,
    };
  }

  /**
   * Enabled flows with a published version, matching `query` on the flow's name or business type.
   * Any employee may start any enabled flow (definitions carry no initiator scope).
   */
  async flows(
    session: PersonSession,
    query: string | undefined,
    pageSize: number,
    after?: string,
  ): Promise<KeyedPage<FlowDefinition>> {
    const all = await this.definitions.latestPublished(session.tenant.id);
    const found = all
      .filter(({ enabled }) => enabled)
      .map(({ definition }) => definition)
      .filter((d) => {
        const biz = bizTypeNames(d.bizType, d.name);
        return matches(query, d.name.zh_cn, d.name.en_us, d.bizType, biz.zh_cn, biz.en_us);
      });
    // Ids are time-ordered: the oldest flow first, new ones at the end.
    return keyedPage(found, (d) => [d.id.padStart(20, '0'), d.id], pageSize, after);
  }

  /** The version new requests of this flow start on (404 for another tenant's flow, 409 when disabled). */
  flow(session: PersonSession, flowId: string): Promise<Result<FlowDefinition>> {
    return this.definitions.startableFor(session.tenant.id, flowId);
  }

  /**
   * The path a request would take with these (possibly partial) values, as the signed-in person.
   * Nothing is stored. Values that cannot be used are left out of the preview and listed as hints.
   */
  async preview(
    session: PersonSession,
    flowId: string,
    input: { formValues: Record<string, unknown>; selectedApprovers?: Record<string, string[]> | undefined },
  ): Promise<Result<PreviewResult>> {
    const definition = await this.definitions.startableFor(session.tenant.id, flowId);
    if (!definition.ok) return definition;
    const directory = await this.processes.directory(session.tenant.id);
    return ok(await this.previewOf(session, definition.value, directory, session.employee, input));
  }

  /**
   * The path of any definition (a designer's unsaved draft, say) for a given initiator of the session's
   * tenant: `preview` with the definition and initiator chosen by the caller.
   */
  async previewOf(
    session: PersonSession,
    definition: FlowDefinition,
    directory: DirectorySnapshot,
    initiator: Employee,
    input: { formValues: Record<string, unknown>; selectedApprovers?: Record<string, string[]> | undefined },
  ): Promise<PreviewResult> {
    const converted = await this.convert(session, definition, directory, input.formValues);
    const refs = {
      employeeExists: (x: string) => directory.employees.has(x),
      departmentExists: (x: string) => directory.departments.has(x),
    };
    const problems = validateStartValues(
      definition.form,
      converted.values,
      refs,
      definition.formRules,
    ).filter((v) => v.description !== 'is required');
    // Only usable values steer the preview: a half-typed number must not pick a branch.
    const unusable = new Set(
      [
        ...converted.violations.map((x) => x.field.slice('form_values.'.length)),
        ...problems.map((p) => p.field),
      ].map((field) => field.split(/[.[]/)[0] ?? field),
    );
    const usable = Object.fromEntries(
      Object.entries(converted.values).filter(([name]) => !unusable.has(name)),
    );
    const selected = this.selected(directory, input.selectedApprovers);
    // Calculated fields steer branches too (a `days` computed from two dates, say).
    const outcome = applyFormRules(definition.form, definition.formRules, usable as FormValues, refs);
    const ruled = outcome.values;
    const calculated: Record<string, FieldValue> = {};
    for (const name of calculatedFields(definition.formRules)) {
      const value = ruled[name];
      if (value !== undefined) calculated[name] = value;
    }
    const state = {
      initiatorId: initiator.id,
      formValues: ruled,
      selectedApprovers: selected.ids,
    } as unknown as ProcessState;
    const steps = previewPath(definition, state, {
      now: 0,
      newId: () => '0',
      directory,
    });
    return {
      definition,
      directory,
      steps,
      violations: [
        ...converted.violations,
        ...problems.map((p) => ({ ...p, field: `form_values.${p.field}` })),
        ...selected.violations,
      ],
      calculated,
      hidden: [...outcome.hidden],
    };
  }

  /** Starts a request as the signed-in person. */
  async start(session: PersonSession, input: StartInput): Promise<Result<ProcessState>> {
    const definition = await this.definitions.startableFor(session.tenant.id, input.flowId);
    if (!definition.ok)
      return definition.error.kind === 'definition_not_found' ? underFlowId(definition.error) : definition;
    const directory = await this.processes.directory(session.tenant.id);
    const converted = await this.convert(session, definition.value, directory, input.formValues);
    const selected = this.selected(directory, input.selectedApprovers);
    if (converted.violations.length > 0 || selected.violations.length > 0) {
      // Name every bad field at once: what could not be converted, and what the form refuses of the rest.
      const reported = new Set(converted.violations.map((v) => v.field));
      const refs = {
        employeeExists: (x: string) => directory.employees.has(x),
        departmentExists: (x: string) => directory.departments.has(x),
      };
      const more = validateStartValues(
        definition.value.form,
        converted.values,
        refs,
        definition.value.formRules,
      )
        .map((v) => ({ ...v, field: `form_values.${v.field}` }))
        .filter((v) => !reported.has(v.field));
      return fail('form_invalid', 'form values invalid', [
        ...converted.violations,
        ...more,
        ...selected.violations,
      ]);
    }
    const started = await this.processes.start(session.tenant.id, input.flowId, {
      initiatorId: session.employee.id,
      formValues: converted.values,
      selectedApprovers: selected.ids,
    });
    if (started.ok) return started;
    const error = started.error;
    if (error.kind === 'form_invalid' && error.violations)
      return fail(
        'form_invalid',
        error.message,
        error.violations.map((v) => ({ ...v, field: `form_values.${v.field}` })),
      );
    return started;
  }

  private convert(
    session: PersonSession,
    definition: FlowDefinition,
    directory: DirectorySnapshot,
    values: Record<string, unknown>,
  ) {
    return peopleToEngineValues(
      definition.form,
      values,
      { directory, files: this.files, tenantId: session.tenant.id, uploaderId: session.employee.id },
      'form_values.',
    );
  }

  /** user_ids chosen per node → people_corehr ids; unknown or inactive people are named. */
  private selected(directory: DirectorySnapshot, input: Record<string, string[]> | undefined) {
    const userIndex = new Map([...directory.employees.values()].map((e) => [e.userId, e]));
    const ids: Record<string, string[]> = {};
    const violations: FieldViolation[] = [];
    for (const [node, userIds] of Object.entries(input ?? {})) {
      ids[node] = [];
      userIds.forEach((userId, i) => {
        const employee = userIndex.get(userId);
        if (employee?.employmentStatus !== 'active')
          violations.push({
            field: `selected_approvers.${node}[${i}]`,
            description: 'unknown or inactive user',
          });
        else ids[node]?.push(employee.id);
      });
    }
    return { ids, violations };
  }
}

/** A flow id the tenant does not have: the request's field is named. */
function underFlowId(error: Failure): Result<never> {
  return { ok: false, error: { ...error, violations: [{ field: 'flow_id', description: 'unknown flow' }] } };
}
