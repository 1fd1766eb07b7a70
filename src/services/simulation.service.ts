import type { DirectorySnapshot } from '../engine/approver-resolution.js';
import { validateDefinition, type FlowDefinition } from '../engine/definition.js';
import { checkFieldValues, type FormValues } from '../engine/form.js';
import { applyFormRules } from '../engine/form-rules.js';
import type { ProcessState } from '../engine/process.js';
import {
  comparePaths,
  employeesInScope,
  findCycle,
  simulateOrganisation,
  type ImpactComparison,
  type SimulationResult,
} from '../engine/simulation.js';
import { repositories, type Repositories, type ServiceContext } from './context.js';
import { fromDocument, type DefinitionDocument } from './definition-document.js';
import { peopleIndex, type DefinitionService } from './definition.service.js';
import type { DirectorySnapshots } from './directory-snapshot.js';
import { plainToEngineValues } from './form-values.js';
import { fail, invalidFields, notFound, ok, type FieldViolation, type Result } from './result.js';

/** Where the simulated flow came from: the document sent, the saved draft, or a published version. */
export type FlowSource = { kind: 'document' } | { kind: 'draft' } | { kind: 'version'; version: number };

export interface SimulationInput {
  /** Tenant-assigned department_id: its employees and those of its sub-departments. */
  departmentId?: string | undefined;
  /** Plain form values as the people API takes them (people by user_id). */
  formValues?: Record<string, unknown> | undefined;
  document?: DefinitionDocument | undefined;
}

export interface Simulation {
  result: SimulationResult;
  definition: FlowDefinition;
  directory: DirectorySnapshot;
  source: FlowSource;
  durationMs: number;
}

export interface ImpactInput {
  last: number;
  document?: DefinitionDocument | undefined;
}

export interface ImpactedProcess {
  process: ProcessState;
  /** The version the process ran on. */
  before: FlowDefinition;
  comparison: ImpactComparison;
}

export interface Impact {
  compared: number;
  changed: ImpactedProcess[];
  /** The definition the processes were replayed through. */
  after: FlowDefinition;
  directory: DirectorySnapshot;
}

export const IMPACT_MAX = 1000;

/**
 * The console's checks "no peer makes": the organisation simulation (every employee's path through a
 * draft) and publish impact (past processes replayed through a draft). Read-only: nothing is started
 * or stored. The flow-admin check is the caller's (requireFlowAdmin).
 */
export class SimulationService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly snapshots: DirectorySnapshots,
    private readonly definitions: DefinitionService,
  ) {}

  async simulate(tenantId: string, flowId: string, input: SimulationInput): Promise<Result<Simulation>> {
    const repos = repositories(this.ctx.db);
    const directory = await this.snapshots.load(repos, tenantId);
    const flow = await this.flowOf(repos, tenantId, flowId, input.document, directory, 'latest');
    if (!flow.ok) return flow;
    const { definition, source } = flow.value;

    let departmentKey: string | undefined;
    if (input.departmentId !== undefined) {
      departmentKey = [...directory.departments.values()].find(
        (d) => d.departmentId === input.departmentId,
      )?.id;
      if (departmentKey === undefined)
        return invalidFields([{ field: 'department_id', description: 'unknown department' }]);
    }
    const values = formValuesOf(definition, input.formValues ?? {}, directory);
    if (!values.ok) return values;

    const started = performance.now();
    const result = simulateOrganisation(definition, directory, {
      initiatorIds: employeesInScope(directory, departmentKey),
      formValues: values.value,
    });
    return ok({ result, definition, directory, source, durationMs: performance.now() - started });
  }

  async impact(tenantId: string, flowId: string, input: ImpactInput): Promise<Result<Impact>> {
    const repos = repositories(this.ctx.db);
    const directory = await this.snapshots.load(repos, tenantId);
    const flow = await this.flowOf(repos, tenantId, flowId, input.document, directory, 'draft');
    if (!flow.ok) return flow;
    const after = flow.value.definition;
    const last = Math.min(Math.max(1, Math.floor(input.last)), IMPACT_MAX);
    const processes = await repos.processes.latestOfDefinition(tenantId, flowId, last);
    const changed: ImpactedProcess[] = [];
    let compared = 0;
    for (const process of processes) {
      const before = await this.definitions.published.get(repos, flowId, process.definitionVersion);
      if (!before) continue;
      compared++;
      const comparison = comparePaths(
        before,
        after,
        {
          initiatorId: process.initiatorId,
          formValues: process.formValues,
          selectedApprovers: process.selectedApprovers,
        },
        directory,
      );
      if (comparison.changed) changed.push({ process, before, comparison });
    }
    return ok({ compared, changed, after, directory });
  }

  /**
   * The flow to simulate: the document sent, else the saved draft, else (for `latest`) the latest
   * published version. A document with unknown people or a broken structure (a cycle, a node leading
   * nowhere) is refused with the problems; other problems (a missing process admin) do not stop a
   * simulation, which is how an admin finds out what a half-done draft would do.
   */
  private async flowOf(
    repos: Repositories,
    tenantId: string,
    flowId: string,
    document: DefinitionDocument | undefined,
    directory: DirectorySnapshot,
    fallback: 'latest' | 'draft',
  ): Promise<Result<{ definition: FlowDefinition; source: FlowSource }>> {
    const record = await repos.definitions.find(tenantId, flowId);
    if (!record) return notFound(`flow ${flowId}`);
    const fromDoc = (doc: DefinitionDocument, prefix: string, source: FlowSource) => {
      const { definition, violations } = fromDocument(doc, peopleIndex(directory));
      const full: FlowDefinition = { ...definition, id: flowId, version: 0 };
      const problems = [...violations, ...validateDefinition(full).filter(isStructural)];
      const cycle = findCycle(full);
      if (cycle && !problems.some((p) => p.description.includes('cycle')))
        problems.push({
          field: `nodes[${cycle[0] ?? ''}]`,
          description: `is part of a cycle: ${cycle.join(' → ')}`,
        });
      if (problems.length > 0)
        return fail<{ definition: FlowDefinition; source: FlowSource }>(
          'invalid_field',
          'the flow cannot be simulated until these are fixed: ' +
            problems.map((p) => `${prefix}${p.field}: ${p.description}`).join('; '),
          problems.map((p) => ({ field: `${prefix}${p.field}`, description: p.description })),
        );
      return ok({ definition: full, source });
    };
    if (document) return fromDoc(document, 'document.', { kind: 'document' });
    if (record.draft) return fromDoc(record.draft as DefinitionDocument, '', { kind: 'draft' });
    if (fallback === 'draft')
      return invalidFields([
        { field: 'document', description: 'the flow has no draft: send the document to compare' },
      ]);
    const published =
      record.latestVersion > 0
        ? await this.definitions.published.get(repos, flowId, record.latestVersion)
        : undefined;
    if (!published) return notFound(`flow ${flowId}`);
    return ok({ definition: published, source: { kind: 'version', version: record.latestVersion } });
  }
}

/**
 * Problems that would stop a path from being walked (nodes that lead nowhere, cycles, parallel
 * splits without their join): the node-level ones, not those of a rule, a condition or a form field.
 */
function isStructural(violation: FieldViolation): boolean {
  return /^nodes(\[[^\]]*\](\.join)?)?$/.test(violation.field);
}

/**
 * Plain values to engine values, each checked against its field (type, bounds); none is required.
 * Fields not given take their default; the form's calculations then run, but a value given for a
 * calculated field wins, so an admin can simulate "days = 5" without inventing two dates.
 */
function formValuesOf(
  definition: FlowDefinition,
  plain: Record<string, unknown>,
  directory: DirectorySnapshot,
): Result<FormValues> {
  const converted = plainToEngineValues(definition.form, plain, directory, 'form_values.');
  const refs = {
    employeeExists: (id: string) => directory.employees.has(id),
    departmentExists: (id: string) => directory.departments.has(id),
  };
  const typed = checkFieldValues(definition.form, converted.values, refs, { requireAll: false }).map((v) => ({
    field: `form_values.${v.field}`,
    description: v.description,
  }));
  // An unknown person is reported by the conversion; the type check would say it again.
  const seen = new Set(converted.violations.map((v) => v.field));
  const problems = [...converted.violations, ...typed.filter((v) => !seen.has(v.field))];
  if (problems.length > 0) return invalidFields(problems);
  const given = converted.values as FormValues;
  const values: FormValues = {};
  for (const field of definition.form)
    if (field.defaultValue !== undefined) values[field.apiName] = field.defaultValue;
  Object.assign(values, given);
  const outcome = applyFormRules(definition.form, definition.formRules, values, refs);
  return ok({ ...outcome.values, ...given });
}
