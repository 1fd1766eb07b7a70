import type { DirectorySnapshot } from './approver-resolution.js';
import { resolveRule } from './approver-resolution.js';
import {
  rulesOf,
  successors,
  type ApproverRule,
  type FlowDefinition,
  type NodeDefinition,
  type NodeKind,
} from './definition.js';
import { ancestry, roleMembersForDepartment, type Department, type Role } from './directory.js';
import type { FormValues } from './form.js';
import type { EngineContext } from './machine.js';
import { previewPath, type PreviewStep } from './preview.js';
import type { ProcessState } from './process.js';

/**
 * Organisation simulation: the path of a flow for every employee of a tenant (or a department
 * subtree) as initiator, with one set of form values — who would approve at each node, where the
 * empty-approver fallback fires and why, where someone would approve their own request, and how long
 * the chains get. Publish impact: the paths of past processes under two definitions, compared.
 *
 * Each employee's path is previewPath's (the same code that shows a new request's path), so the
 * simulation cannot disagree with what starting would do. What depends only on the department
 * (why a department-leader or role rule is empty) is computed once per department.
 */

/** Why a rule named nobody. */
export type EmptyCause =
  /** The manager chain ends before the rule's level. */
  | 'no_manager'
  /** The manager at the rule's level has left (or is not yet active). */
  | 'manager_inactive'
  /** The initiator is in no department, or the tree is not as deep as the rule's level. */
  | 'no_department'
  | 'no_department_leader'
  /** The department's leader is the initiator, and nobody approves their own request as leader. */
  | 'leader_is_initiator'
  | 'leader_inactive'
  | 'unknown_role'
  /** The role has nobody serving the initiator's department (nor tenant-wide members). */
  | 'empty_role'
  | 'empty_form_field'
  /** Every person the rule lists has left. */
  | 'users_inactive'
  /** Chosen by the initiator when starting: a simulation chooses nobody. */
  | 'not_selected';

export const EMPTY_CAUSES: readonly EmptyCause[] = [
  'no_manager',
  'manager_inactive',
  'no_department',
  'no_department_leader',
  'leader_is_initiator',
  'leader_inactive',
  'unknown_role',
  'empty_role',
  'empty_form_field',
  'users_inactive',
  'not_selected',
];

/** A preview step (who acts, who is skipped, the fallback) with what the simulation adds. */
export interface SimulatedNode extends Pick<
  PreviewStep,
  'nodeId' | 'kind' | 'assignees' | 'skipped' | 'fallback' | 'refused'
> {
  /** When the rules named nobody: why, one cause per rule, in rule order (duplicates removed). */
  causes: EmptyCause[];
  /** An approval node where the initiator would approve their own request. */
  selfApproval: boolean;
}

export interface SimulationRow {
  employeeId: string;
  departmentId: string | null;
  nodes: SimulatedNode[];
  /** Approval nodes on the path where somebody would actually approve (not auto-passed, not skipped). */
  chainLength: number;
  fallbacks: number;
  selfApprovals: number;
  refused: boolean;
  /** A fallback fires, someone approves their own request, or the start would be refused. */
  problem: boolean;
}

export interface DepartmentSummary {
  /** null: employees in no department. */
  departmentId: string | null;
  employees: number;
  employeesWithProblems: number;
  /** Employees whose path hits the fallback at each node, by node id. */
  fallbacksByNode: Record<string, number>;
  selfApprovals: number;
  refused: number;
  longestChain: number;
}

export interface NodeSummary {
  nodeId: string;
  kind: NodeKind;
  /** Employees whose path passes this node. */
  reached: number;
  fallbacks: number;
  selfApprovals: number;
  refused: number;
  /** How often each cause made the node's rules empty. */
  causes: Partial<Record<EmptyCause, number>>;
}

export interface SimulationSummary {
  employees: number;
  employeesWithProblems: number;
  withFallback: number;
  withSelfApproval: number;
  refused: number;
  longestChain: number;
  averageChain: number;
  nodes: NodeSummary[];
}

export interface SimulationResult {
  summary: SimulationSummary;
  /** Sorted by department id (null last). */
  departments: DepartmentSummary[];
  /** The longest chains, longest first (ties by employee id). */
  longest: SimulationRow[];
  /** Every simulated employee, in the order given. */
  rows: SimulationRow[];
}

export interface SimulationOptions {
  /** Employees to simulate as initiators, people_corehr ids (see employeesInScope). */
  initiatorIds: readonly string[];
  /** Form values for every initiator (engine values); fields left out are empty. */
  formValues: FormValues;
  /** How many longest chains to keep (default 10). */
  longest?: number;
}

/**
 * Active employees of the tenant, or of a department and its sub-departments, sorted by id. Linear in
 * employees + departments (children lists, not a walk up from every employee).
 */
export function employeesInScope(directory: DirectorySnapshot, departmentId?: string): string[] {
  let inScope: ((deptId: string | null) => boolean) | undefined;
  if (departmentId !== undefined) {
    const children = new Map<string, string[]>();
    for (const d of directory.departments.values()) {
      if (d.parentId === null) continue;
      const list = children.get(d.parentId);
      if (list) list.push(d.id);
      else children.set(d.parentId, [d.id]);
    }
    const subtree = new Set<string>();
    const stack = [departmentId];
    while (stack.length > 0) {
      const id = stack.pop() as string;
      if (subtree.has(id)) continue;
      subtree.add(id);
      stack.push(...(children.get(id) ?? []));
    }
    inScope = (deptId) => deptId !== null && subtree.has(deptId);
  }
  const out: string[] = [];
  for (const e of directory.employees.values()) {
    if (e.employmentStatus !== 'active') continue;
    if (inScope && !inScope(e.departmentId)) continue;
    out.push(e.id);
  }
  return out.sort();
}

/**
 * A loop of nodes, as node ids from the first repeated one, or undefined. Paths are only walked on
 * acyclic flows (a draft may not be: validateDefinition reports cycles only once other problems are
 * fixed, and a half-done draft is exactly what an admin simulates).
 */
export function findCycle(definition: FlowDefinition): string[] | undefined {
  const byId = new Map(definition.nodes.map((n) => [n.id, n]));
  const state = new Map<string, 'visiting' | 'done'>();
  for (const root of definition.nodes) {
    if (state.has(root.id)) continue;
    // Iterative depth-first search: the trail is the stack of nodes being visited.
    const trail: { id: string; next: string[] }[] = [];
    const enter = (id: string) => {
      state.set(id, 'visiting');
      const node = byId.get(id);
      const next = node ? successors(node) : [];
      if (node?.kind === 'parallel') next.push(node.join);
      trail.push({ id, next: next.filter((n) => byId.has(n)) });
    };
    enter(root.id);
    while (trail.length > 0) {
      const top = trail[trail.length - 1] as { id: string; next: string[] };
      const next = top.next.pop();
      if (next === undefined) {
        state.set(top.id, 'done');
        trail.pop();
      } else if (state.get(next) === 'visiting') {
        const ids = trail.map((t) => t.id);
        return [...ids.slice(ids.indexOf(next)), next];
      } else if (!state.has(next)) enter(next);
    }
  }
  return undefined;
}

/** Why each department-dependent rule is empty, cached per department (and level / role). */
class CauseCache {
  private readonly chains = new Map<string | null, string[]>();
  private readonly roles = new Map<string, boolean>();

  constructor(private readonly directory: DirectorySnapshot) {}

  private chain(departmentId: string | null): string[] {
    let chain = this.chains.get(departmentId);
    if (!chain) {
      chain = ancestry(departmentId, (d: Department) => d.parentId, this.directory.departments);
      this.chains.set(departmentId, chain);
    }
    return chain;
  }

  /** The cause of an empty rule for this initiator; undefined when the rule is not empty. */
  cause(rule: ApproverRule, initiatorId: string, formValues: FormValues): EmptyCause | undefined {
    const { employees, departments, roles } = this.directory;
    const initiator = employees.get(initiatorId);
    const active = (id: string) => employees.get(id)?.employmentStatus === 'active';
    switch (rule.kind) {
      case 'users':
        return rule.userIds.some(active) ? undefined : 'users_inactive';
      case 'initiator':
        return undefined;
      case 'initiator_selected':
        return 'not_selected';
      case 'manager': {
        let current = initiator;
        for (let i = 0; i < rule.level && current; i++)
          current = current.managerId ? employees.get(current.managerId) : undefined;
        if (!current || current.id === initiatorId) return 'no_manager';
        return current.employmentStatus === 'active' ? undefined : 'manager_inactive';
      }
      case 'department_leader': {
        const department = departments.get(this.chain(initiator?.departmentId ?? null)[rule.level - 1] ?? '');
        if (!department) return 'no_department';
        if (!department.leaderId) return 'no_department_leader';
        if (department.leaderId === initiatorId) return 'leader_is_initiator';
        return active(department.leaderId) ? undefined : 'leader_inactive';
      }
      case 'role': {
        const role = roles.get(rule.roleKey);
        if (!role) return 'unknown_role';
        return this.roleServes(role, initiator?.departmentId ?? null) ? undefined : 'empty_role';
      }
      case 'form_field':
        return resolveRule(rule, { initiatorId, formValues, selected: [], directory: this.directory })
          .length > 0
          ? undefined
          : 'empty_form_field';
    }
  }

  /** Does an active member of the role serve the department (nearest department up, or tenant-wide)? */
  private roleServes(role: Role, departmentId: string | null): boolean {
    const key = `${role.roleKey}\u0000${departmentId ?? ''}`;
    let serves = this.roles.get(key);
    if (serves === undefined) {
      const { employees, departments } = this.directory;
      serves = roleMembersForDepartment(role, departmentId, departments).some(
        (id) => employees.get(id)?.employmentStatus === 'active',
      );
      this.roles.set(key, serves);
    }
    return serves;
  }
}

/** The path of one initiator: previewPath, with causes and self-approvals marked. */
function simulateOne(
  definition: FlowDefinition,
  nodesById: ReadonlyMap<string, NodeDefinition>,
  ctx: EngineContext,
  causes: CauseCache,
  initiatorId: string,
  formValues: FormValues,
): SimulationRow {
  const state = { initiatorId, formValues, selectedApprovers: {} } as unknown as ProcessState;
  const steps = previewPath(definition, state, ctx);
  const nodes: SimulatedNode[] = [];
  let chainLength = 0;
  let fallbacks = 0;
  let selfApprovals = 0;
  let refused = false;
  for (const step of steps) {
    const node = nodesById.get(step.nodeId);
    const emptyRules = step.fallback !== undefined || step.refused === true;
    const stepCauses: EmptyCause[] = [];
    if (emptyRules && node) {
      for (const rule of rulesOf(node)) {
        const cause = causes.cause(rule, initiatorId, formValues);
        if (cause && !stepCauses.includes(cause)) stepCauses.push(cause);
      }
    }
    const acting = step.assignees.filter((a) => !step.skipped.includes(a));
    const selfApproval = step.kind === 'approval' && acting.includes(initiatorId);
    if (step.kind === 'approval' && acting.length > 0 && step.fallback !== 'auto_pass') chainLength++;
    if (step.fallback) fallbacks++;
    if (step.refused) refused = true;
    if (selfApproval) selfApprovals++;
    nodes.push(toNode(step, stepCauses, selfApproval));
  }
  const departmentId = ctx.directory.employees.get(initiatorId)?.departmentId ?? null;
  return {
    employeeId: initiatorId,
    departmentId,
    nodes,
    chainLength,
    fallbacks,
    selfApprovals,
    refused,
    problem: fallbacks > 0 || selfApprovals > 0 || refused,
  };
}

function toNode(step: PreviewStep, causes: EmptyCause[], selfApproval: boolean): SimulatedNode {
  const node: SimulatedNode = {
    nodeId: step.nodeId,
    kind: step.kind,
    assignees: step.assignees,
    skipped: step.skipped,
    causes,
    selfApproval,
  };
  if (step.fallback) node.fallback = step.fallback;
  if (step.refused) node.refused = true;
  return node;
}

/** Simulates every given initiator; linear in initiators × path length. */
export function simulateOrganisation(
  definition: FlowDefinition,
  directory: DirectorySnapshot,
  options: SimulationOptions,
): SimulationResult {
  const ctx: EngineContext = { now: 0, newId: () => '', directory };
  const causes = new CauseCache(directory);
  const nodesById = new Map(definition.nodes.map((n) => [n.id, n]));
  const rows = options.initiatorIds.map((id) =>
    simulateOne(definition, nodesById, ctx, causes, id, options.formValues),
  );

  const nodeSummaries = new Map<string, NodeSummary>();
  for (const node of definition.nodes)
    nodeSummaries.set(node.id, {
      nodeId: node.id,
      kind: node.kind,
      reached: 0,
      fallbacks: 0,
      selfApprovals: 0,
      refused: 0,
      causes: {},
    });
  const departments = new Map<string | null, DepartmentSummary>();
  let chainTotal = 0;
  const summary: SimulationSummary = {
    employees: rows.length,
    employeesWithProblems: 0,
    withFallback: 0,
    withSelfApproval: 0,
    refused: 0,
    longestChain: 0,
    averageChain: 0,
    nodes: [],
  };
  for (const row of rows) {
    let dept = departments.get(row.departmentId);
    if (!dept) {
      dept = {
        departmentId: row.departmentId,
        employees: 0,
        employeesWithProblems: 0,
        fallbacksByNode: {},
        selfApprovals: 0,
        refused: 0,
        longestChain: 0,
      };
      departments.set(row.departmentId, dept);
    }
    dept.employees++;
    if (row.problem) dept.employeesWithProblems++;
    if (row.selfApprovals > 0) dept.selfApprovals++;
    if (row.refused) dept.refused++;
    dept.longestChain = Math.max(dept.longestChain, row.chainLength);
    for (const node of row.nodes) {
      const s = nodeSummaries.get(node.nodeId);
      if (!s) continue;
      s.reached++;
      if (node.fallback || node.refused) {
        if (node.fallback) s.fallbacks++;
        if (node.refused) s.refused++;
        dept.fallbacksByNode[node.nodeId] = (dept.fallbacksByNode[node.nodeId] ?? 0) + 1;
        for (const cause of node.causes) s.causes[cause] = (s.causes[cause] ?? 0) + 1;
      }
      if (node.selfApproval) s.selfApprovals++;
    }
    summary.employeesWithProblems += row.problem ? 1 : 0;
    summary.withFallback += row.fallbacks > 0 ? 1 : 0;
    summary.withSelfApproval += row.selfApprovals > 0 ? 1 : 0;
    summary.refused += row.refused ? 1 : 0;
    summary.longestChain = Math.max(summary.longestChain, row.chainLength);
    chainTotal += row.chainLength;
  }
  summary.averageChain = rows.length > 0 ? chainTotal / rows.length : 0;
  summary.nodes = [...nodeSummaries.values()];

  const longest = [...rows]
    .sort((a, b) => b.chainLength - a.chainLength || compareIds(a.employeeId, b.employeeId))
    .slice(0, options.longest ?? 10);
  const departmentList = [...departments.values()].sort((a, b) =>
    a.departmentId === null ? 1 : b.departmentId === null ? -1 : compareIds(a.departmentId, b.departmentId),
  );
  return { summary, departments: departmentList, longest, rows };
}

const compareIds = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

// --- publish impact ---

/** One acting step of a path: who would act (or be copied) at which node. */
export interface PathStep {
  nodeId: string;
  kind: NodeKind;
  assignees: string[];
  fallback?: 'auto_pass' | 'to_admins';
  refused?: boolean;
}

/** Only the nodes where people act or are copied: gateways and joins are routing, not the path. */
export function actingPath(steps: readonly PreviewStep[]): PathStep[] {
  return steps
    .filter((s) => s.kind === 'approval' || s.kind === 'form_fill' || s.kind === 'cc')
    .map((s) => {
      const step: PathStep = {
        nodeId: s.nodeId,
        kind: s.kind,
        assignees: s.assignees.filter((a) => !s.skipped.includes(a)),
      };
      if (s.fallback) step.fallback = s.fallback;
      if (s.refused) step.refused = true;
      return step;
    });
}

export function samePath(a: readonly PathStep[], b: readonly PathStep[]): boolean {
  const key = (p: readonly PathStep[]) =>
    JSON.stringify(p.map((s) => [s.nodeId, [...s.assignees].sort(), s.fallback ?? '', s.refused === true]));
  return key(a) === key(b);
}

export interface ReplayInput {
  initiatorId: string;
  formValues: FormValues;
  selectedApprovers: Record<string, string[]>;
}

export interface ImpactComparison {
  before: PathStep[];
  after: PathStep[];
  changed: boolean;
}

/**
 * A past request's path under the definition it ran on and under another (a draft), both against the
 * directory as it is now: a difference is the definition's doing, not the organisation's.
 */
export function comparePaths(
  before: FlowDefinition,
  after: FlowDefinition,
  input: ReplayInput,
  directory: DirectorySnapshot,
): ImpactComparison {
  const ctx: EngineContext = { now: 0, newId: () => '', directory };
  const state = { ...input } as unknown as ProcessState;
  const pathBefore = actingPath(previewPath(before, state, ctx));
  const pathAfter = actingPath(previewPath(after, state, ctx));
  return { before: pathBefore, after: pathAfter, changed: !samePath(pathBefore, pathAfter) };
}
