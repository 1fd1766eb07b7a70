import { resolveRules, type DirectorySnapshot } from './approver-resolution.js';
import type { WorkingTime } from './calendar.js';
import { conditionHolds, type ConditionEnv } from './conditions.js';
import { delegateFor } from './delegation.js';
import { ancestry } from './directory.js';
import { nodeScopes, type ApprovalMode, type FlowDefinition, type NodeDefinition } from './definition.js';
import { conditionView } from './form.js';
import {
  isOpenTask,
  type EngineEvent,
  type NodeRun,
  type NodeStatus,
  type ProcessState,
  type ProcessStatus,
  type RunKind,
  type Task,
  type TaskGroup,
  type TaskStatus,
  type TaskType,
} from './process.js';

/** What the engine is given besides definition, state and command: time, ids and the directory. */
export interface EngineContext {
  now: number;
  newId: () => string;
  directory: DirectorySnapshot;
  /** The tenant's working time: node timers are counted in it (only the `timer` command needs it). */
  workingTime?: WorkingTime | undefined;
}

const APPROVED_LIKE: readonly TaskStatus[] = ['approved', 'skipped', 'form_submitted'];
export const REVOKE_NODE_ID = '__revoke_approval__';

/**
 * One decision in progress: a private copy of the state that the command mutates, plus the events
 * it produced in order. Nothing here reads a clock or a database.
 */
export class Machine {
  readonly events: EngineEvent[] = [];
  private readonly nodes: Map<string, NodeDefinition>;
  private scopes?: Map<string, string>;
  /**
   * Runs by id and tasks by run, built once per decision and kept up to date as runs and tasks are
   * added: deciding a node then costs its own tasks, not every task the process ever had.
   */
  private runIndex?: Map<string, NodeRun>;
  private taskIndex?: Map<string, Task[]>;

  constructor(
    readonly definition: FlowDefinition,
    readonly state: ProcessState,
    readonly ctx: EngineContext,
  ) {
    this.nodes = new Map(definition.nodes.map((n) => [n.id, n]));
  }

  node(id: string): NodeDefinition | undefined {
    return this.nodes.get(id);
  }

  scopeOf(defId: string): string {
    this.scopes ??= nodeScopes(this.definition);
    return this.scopes.get(defId) ?? '';
  }

  // --- recording changes ---

  setProcessStatus(status: ProcessStatus): void {
    if (this.state.status === status) return;
    this.state.status = status;
    // The business type's compensating action (undo the job change, restore the leave balance …) is
    // the integration's to run on the revoked status event; the audit trail records that it is due.
    if (status === 'revoked') this.audit('system', 'compensation_due', { biz_type: this.state.bizType });
    if (status !== 'in_progress' && status !== 'revoking') this.state.completedAt = this.ctx.now;
    this.events.push({ kind: 'process_status_changed', status });
  }

  setRunStatus(run: NodeRun, status: NodeStatus): void {
    if (run.status === status) return;
    run.status = status;
    if (status !== 'in_progress' && status !== 'not_started') run.endedAt = this.ctx.now;
    this.events.push({
      kind: 'node_status_changed',
      nodeRunId: run.id,
      nodeDefId: run.defId,
      nodeKind: run.kind,
      status,
    });
  }

  setTaskStatus(
    task: Task,
    status: TaskStatus,
    extra: Partial<Pick<Task, 'opinion' | 'bySystem' | 'transferredTo'>> = {},
  ): void {
    if (task.status === status) return;
    task.status = status;
    Object.assign(task, extra);
    if (status !== 'in_progress' && status !== 'not_started') task.completedAt = this.ctx.now;
    // Timers count from here; a task created in progress counts from its creation (createdAt).
    if (status === 'in_progress' && task.createdAt !== this.ctx.now) task.activatedAt = this.ctx.now;
    const run = this.runOf(task);
    this.events.push({
      kind: 'task_status_changed',
      taskId: task.id,
      nodeRunId: task.nodeRunId,
      nodeDefId: run.defId,
      taskType: task.type,
      status,
    });
  }

  audit(actor: string, action: string, detail?: Record<string, unknown>): void {
    this.state.audit.push({ at: this.ctx.now, actor, action, ...(detail ? { detail } : {}) });
  }

  private runsById(): Map<string, NodeRun> {
    this.runIndex ??= new Map(this.state.nodeRuns.map((r) => [r.id, r]));
    return this.runIndex;
  }

  private tasksByRun(): Map<string, Task[]> {
    if (!this.taskIndex) {
      this.taskIndex = new Map();
      for (const task of this.state.tasks) {
        const list = this.taskIndex.get(task.nodeRunId);
        if (list) list.push(task);
        else this.taskIndex.set(task.nodeRunId, [task]);
      }
    }
    return this.taskIndex;
  }

  runOf(task: Task): NodeRun {
    const run = this.runsById().get(task.nodeRunId);
    if (!run) throw new Error(`task ${task.id} has no node run`);
    return run;
  }

  /** The run's tasks in creation order (a copy: callers may sort it). */
  tasksOf(run: NodeRun, group?: TaskGroup): Task[] {
    const tasks = this.tasksByRun().get(run.id) ?? [];
    return group ? tasks.filter((t) => t.groupId === group.id) : [...tasks];
  }

  newRun(defId: string, kind: RunKind, scope: string, status: NodeStatus): NodeRun {
    const run: NodeRun = {
      id: this.ctx.newId(),
      defId,
      kind,
      status: 'not_started',
      scope,
      startedAt: this.ctx.now,
      groups: [],
    };
    this.state.nodeRuns.push(run);
    this.runIndex?.set(run.id, run);
    this.setRunStatus(run, status);
    return run;
  }

  newTask(
    run: NodeRun,
    group: TaskGroup,
    assigneeId: string,
    type: TaskType,
    order: number,
    status: TaskStatus,
    onBehalfOf?: string,
  ): Task {
    // A task someone is to work on goes to their out-of-office delegate (records, such as the start's
    // `initiated` and a duplicate `skipped`, stay with the person).
    const open = status === 'not_started' || status === 'in_progress';
    const assignee = open ? delegateFor(this.ctx.directory, assigneeId, this.ctx.now) : assigneeId;
    const forWhom = onBehalfOf ?? (assignee !== assigneeId ? assigneeId : undefined);
    const task: Task = {
      id: this.ctx.newId(),
      nodeRunId: run.id,
      groupId: group.id,
      assigneeId: assignee,
      type,
      status: 'not_started',
      order,
      createdAt: this.ctx.now,
      ...(forWhom !== undefined ? { onBehalfOf: forWhom } : {}),
    };
    this.state.tasks.push(task);
    if (this.taskIndex) {
      const list = this.taskIndex.get(run.id);
      if (list) list.push(task);
      else this.taskIndex.set(run.id, [task]);
    }
    if (status !== 'not_started') this.setTaskStatus(task, status);
    return task;
  }

  newGroup(run: NodeRun, mode: ApprovalMode, phase: number, origin: TaskGroup['origin']): TaskGroup {
    const group: TaskGroup = { id: this.ctx.newId(), mode, phase, origin };
    run.groups.push(group);
    return group;
  }

  // --- moving through the graph ---

  /** Runs a node definition in a scope, and everything that follows at once (gateways, CC, auto-passes). */
  activate(defId: string, scope: string): void {
    const node = this.nodes.get(defId);
    if (!node) throw new Error(`definition has no node ${defId}`);
    switch (node.kind) {
      case 'start':
        throw new Error('the start node runs only at start');
      case 'end':
        this.newRun(node.id, 'end', scope, 'passed');
        this.setProcessStatus('completed');
        return;
      case 'exclusive': {
        this.newRun(node.id, 'exclusive', scope, 'passed');
        const env = this.conditionEnv();
        const chosen = node.branches.find((b) => conditionHolds(b.condition, env));
        this.activate(chosen ? chosen.next : node.defaultNext, scope);
        return;
      }
      case 'parallel':
        this.newRun(node.id, 'parallel', scope, 'passed');
        node.branches.forEach((head, i) => {
          if (this.state.status === 'in_progress')
            this.activate(head, scope ? `${scope}/${node.id}#${i}` : `${node.id}#${i}`);
        });
        return;
      case 'join':
        this.arriveAtJoin(node, scope);
        return;
      case 'cc': {
        const run = this.newRun(node.id, 'cc', scope, 'passed');
        for (const recipientId of this.resolve(node)) {
          const cc = { id: this.ctx.newId(), nodeRunId: run.id, recipientId, createdAt: this.ctx.now };
          this.state.ccs.push(cc);
          this.events.push({ kind: 'cc_created', ccId: cc.id, recipientId });
        }
        this.activate(node.next, scope);
        return;
      }
      case 'approval':
      case 'form_fill':
        this.startTaskNode(node, scope);
        return;
    }
  }

  private arriveAtJoin(node: Extract<NodeDefinition, { kind: 'join' }>, branchScope: string): void {
    const parentScope = branchScope.includes('/') ? branchScope.slice(0, branchScope.lastIndexOf('/')) : '';
    const split = this.definition.nodes.find((n) => n.kind === 'parallel' && n.join === node.id);
    const branches = split?.kind === 'parallel' ? split.branches.length : 1;
    let run = this.state.nodeRuns.find(
      (r) => r.defId === node.id && r.scope === parentScope && r.status === 'in_progress',
    );
    run ??= this.newRun(node.id, 'join', parentScope, 'in_progress');
    run.arrivals = [...new Set([...(run.arrivals ?? []), branchScope])];
    if (run.arrivals.length >= branches) {
      this.setRunStatus(run, 'passed');
      this.activate(node.next, parentScope);
    }
  }

  private startTaskNode(
    node: Extract<NodeDefinition, { kind: 'approval' | 'form_fill' }>,
    scope: string,
  ): void {
    let assignees = this.resolve(node);
    if (assignees.length === 0 && node.emptyFallback !== 'auto_pass') {
      // 'refuse' is enforced before start (preview); if the directory changed since, the admins take over.
      assignees = this.definition.processAdminIds.filter(
        (id) => this.ctx.directory.employees.get(id)?.employmentStatus === 'active',
      );
    }
    if (assignees.length === 0) {
      const run = this.newRun(node.id, node.kind, scope, 'passed');
      run.autoPassed = true;
      this.audit('system', 'auto_pass', { node: node.id, reason: 'no approver resolved' });
      this.activate(node.next, scope);
      return;
    }
    const run = this.newRun(node.id, node.kind, scope, 'in_progress');
    const mode: ApprovalMode = node.kind === 'approval' ? node.mode : { kind: 'or' };
    const group = this.newGroup(run, mode, 0, 'node');
    const previous = this.definition.settings.skipDuplicateApprovers
      ? this.previousApprovers(scope, run)
      : new Set<string>();
    assignees.forEach((id, order) => {
      this.newTask(
        run,
        group,
        id,
        node.kind === 'approval' ? 'approval' : 'form_fill',
        order,
        previous.has(id) ? 'skipped' : 'not_started',
      );
    });
    this.evaluate(run);
  }

  /** Who approved at the approval node passed just before `run` in the same scope. */
  private previousApprovers(scope: string, run: NodeRun): Set<string> {
    const earlier = this.state.nodeRuns.filter(
      (r) => r !== run && r.scope === scope && r.kind === 'approval' && r.status === 'passed',
    );
    const last = earlier[earlier.length - 1];
    if (!last) return new Set();
    return new Set(
      this.tasksOf(last)
        .filter((t) => t.status === 'approved')
        .map((t) => t.assigneeId),
    );
  }

  resolve(node: NodeDefinition): string[] {
    const rules =
      node.kind === 'approval'
        ? node.approvers
        : node.kind === 'form_fill'
          ? node.assignees
          : node.kind === 'cc'
            ? node.recipients
            : [];
    return resolveRules(rules, {
      initiatorId: this.state.initiatorId,
      formValues: this.state.formValues,
      selected: this.state.selectedApprovers[node.id] ?? [],
      directory: this.ctx.directory,
    });
  }

  conditionEnv(): ConditionEnv {
    const initiator = this.ctx.directory.employees.get(this.state.initiatorId);
    const departmentIds = ancestry(
      initiator?.departmentId ?? null,
      (d) => d.parentId,
      this.ctx.directory.departments,
    );
    const departmentKey = (id: string) => this.ctx.directory.departments.get(id)?.departmentId ?? id;
    return {
      form: conditionView(this.definition.form, this.state.formValues),
      initiator: {
        user_id: initiator?.userId ?? '',
        department_id: initiator?.departmentId ? departmentKey(initiator.departmentId) : null,
        department_ids: departmentIds.map(departmentKey),
        employment_status: initiator?.employmentStatus ?? '',
      },
    };
  }

  // --- deciding a run with tasks ---

  /** Who has an open task in the same node run as `task` (an escalation does not add them twice). */
  openAssigneesOf(task: Task): string[] {
    return this.tasksOf(this.runOf(task))
      .filter(isOpenTask)
      .map((t) => t.assigneeId);
  }

  groupOutcome(run: NodeRun, group: TaskGroup): 'passed' | 'rejected' | 'pending' {
    const tasks = this.tasksOf(run, group).filter(
      (t) => t.status !== 'transferred' && t.status !== 'cancelled',
    );
    const approved = tasks.filter((t) => APPROVED_LIKE.includes(t.status)).length;
    const rejected = tasks.filter((t) => t.status === 'rejected').length;
    switch (group.mode.kind) {
      case 'or':
        if (rejected > 0) return 'rejected';
        return approved > 0 ? 'passed' : 'pending';
      case 'and':
      case 'sequential':
        if (rejected > 0) return 'rejected';
        return approved === tasks.length ? 'passed' : 'pending';
      case 'ratio': {
        const needed = (group.mode.percent / 100) * tasks.length;
        if (approved >= needed) return 'passed';
        return tasks.length - rejected < needed ? 'rejected' : 'pending';
      }
    }
  }

  /** Re-decides a run after any task change: close decided groups, open the next phase, pass or reject. */
  evaluate(run: NodeRun): void {
    if (run.status !== 'in_progress') return;
    const phases = [...new Set(run.groups.map((g) => g.phase))].sort((a, b) => a - b);
    for (const phase of phases) {
      const groups = run.groups.filter((g) => g.phase === phase);
      const outcomes = groups.map((g) => this.groupOutcome(run, g));
      if (outcomes.includes('rejected')) {
        this.rejectRun(run);
        return;
      }
      for (const [i, group] of groups.entries()) {
        if (outcomes[i] === 'passed') {
          for (const t of this.tasksOf(run, group)) if (isOpenTask(t)) this.setTaskStatus(t, 'cancelled');
        } else {
          this.open(run, group);
        }
      }
      if (outcomes.some((o) => o === 'pending')) return;
    }
    this.passRun(run);
  }

  private open(run: NodeRun, group: TaskGroup): void {
    const tasks = this.tasksOf(run, group).sort((a, b) => a.order - b.order);
    if (group.mode.kind === 'sequential') {
      if (tasks.some((t) => t.status === 'in_progress')) return;
      const next = tasks.find((t) => t.status === 'not_started');
      if (next) this.setTaskStatus(next, 'in_progress');
      return;
    }
    for (const t of tasks) if (t.status === 'not_started') this.setTaskStatus(t, 'in_progress');
  }

  private passRun(run: NodeRun): void {
    this.setRunStatus(run, 'passed');
    if (run.kind === 'revoke_approval') {
      this.setProcessStatus('revoked');
      return;
    }
    const node = this.nodes.get(run.defId);
    if (node && 'next' in node) this.activate(node.next, run.scope);
  }

  private rejectRun(run: NodeRun): void {
    for (const t of this.tasksOf(run)) if (isOpenTask(t)) this.setTaskStatus(t, 'cancelled');
    this.setRunStatus(run, 'rejected');
    if (run.kind === 'revoke_approval') {
      this.setProcessStatus('completed');
      return;
    }
    this.closeEverything('cancelled');
    this.setProcessStatus('rejected');
  }

  /** Ends every open task and active run (withdraw, reject, return within a scope). */
  closeEverything(taskStatus: TaskStatus, inScope?: (scope: string) => boolean): void {
    for (const run of this.state.nodeRuns) {
      if (run.status !== 'in_progress' || (inScope && !inScope(run.scope))) continue;
      for (const t of this.tasksOf(run)) if (isOpenTask(t)) this.setTaskStatus(t, taskStatus);
      this.setRunStatus(run, 'cancelled');
    }
  }
}
