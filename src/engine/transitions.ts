import type { ApprovalMode, FlowDefinition } from './definition.js';
import type { ReferenceCheck } from './form.js';
import { prepareNodeValues, prepareStartValues } from './form-rules.js';
import { Machine, REVOKE_NODE_ID, type EngineContext } from './machine.js';
import { previewPath } from './preview.js';
import { isOpenTask, type CommentFile, type EngineEvent, type ProcessState, type Task } from './process.js';
import { accept, refuse, type Decision } from './result.js';
import { PROCESS_LIMITS, withinLimits } from './limits.js';
import { timersOf } from './timers.js';

export type { EngineContext } from './machine.js';

export interface Outcome {
  state: ProcessState;
  events: EngineEvent[];
}

export interface StartInput {
  processId: string;
  initiatorId: string;
  formValues: Record<string, unknown>;
  /** For nodes whose approvers the initiator chooses: node id → people. */
  selectedApprovers?: Record<string, string[]>;
  /** Started by an integration on the initiator's behalf (system_initiator); recorded in the audit trail. */
  bySystem?: boolean;
}

/** Who asks: a person, or the integration acting for them (system_approval / system_user). */
export interface Actor {
  operatorId?: string | undefined;
  system: boolean;
  /**
   * With `system`: the console admin (person id) who gave the command in the system's authority. The
   * service checked their role; the audit trail names them, marks the entry `by_admin`, and a withdraw
   * or revoke `on_behalf_of` the initiator.
   */
  admin?: string | undefined;
}

export type Command =
  | ({
      kind: 'approve';
      taskId: string;
      reason?: string | undefined;
      fieldValues?: Record<string, unknown> | undefined;
    } & Actor)
  | ({ kind: 'reject'; taskId: string; reason?: string | undefined } & Actor)
  | ({ kind: 'withdraw'; reason?: string | undefined } & Actor)
  | ({ kind: 'revoke'; reason?: string | undefined } & Actor)
  | ({
      kind: 'add_sign';
      /** The node (definition id) wins over the task when both are given (docs/open-api.md). */
      nodeDefId?: string | undefined;
      taskId?: string | undefined;
      extraType: 'pre' | 'parallel' | 'post';
      approvalMode: 'or' | 'and';
      userIds: string[];
      remark?: string | undefined;
    } & Actor)
  | ({
      kind: 'transfer';
      taskIds: string[];
      toUserId: string;
      remark?: string | undefined;
      /** Handed over for this person (their out-of-office delegation): recorded on the new tasks and the audit line. */
      onBehalfOf?: string | undefined;
      /** The system gives tasks back to the person whose out-of-office delegation ended or was cancelled: the audit line says so. */
      outOfOfficeReturn?: 'ended' | 'cancelled' | undefined;
    } & Actor)
  | ({ kind: 'return'; taskId: string; targetNodeDefId: string; reason?: string | undefined } & Actor)
  /** A node timer that came due (src/engine/timers.ts), fired by the scheduler; `key` names it. */
  | ({ kind: 'timer'; key: string } & Actor)
  /** The initiator urges (催办) whoever has the process's open tasks; at most once an hour. */
  | ({ kind: 'urge'; reason?: string | undefined } & Actor)
  | {
      kind: 'comment';
      authorId: string;
      text: string;
      mentionIds: string[];
      files?: CommentFile[] | undefined;
      /** A retried submission (double click, network retry) with the same token is refused as a conflict. */
      clientToken?: string | undefined;
    };

export type CommandKind = Command['kind'];

function references(ctx: EngineContext): ReferenceCheck {
  return {
    employeeExists: (id) => ctx.directory.employees.has(id),
    departmentExists: (id) => ctx.directory.departments.has(id),
  };
}

const isActive = (ctx: EngineContext, id: string) =>
  ctx.directory.employees.get(id)?.employmentStatus === 'active';

/** Starts a process: validates the form and the path, then runs until the first waiting node. */
export function startProcess(
  definition: FlowDefinition,
  input: StartInput,
  ctx: EngineContext,
): Decision<Outcome> {
  if (!isActive(ctx, input.initiatorId))
    return refuse('id_not_found', 'the initiator is not an active employee of this tenant');
  // Calculated fields computed, hidden fields dropped, validations enforced (form-rules.ts).
  const form = prepareStartValues(definition.form, definition.formRules, input.formValues, references(ctx));
  if (form.violations.length > 0) return refuse('form_invalid', 'form data invalid', form.violations);
  const selected = input.selectedApprovers ?? {};
  for (const [nodeId, ids] of Object.entries(selected)) {
    const node = definition.nodes.find((n) => n.id === nodeId);
    if (!node || !('approvers' in node || 'assignees' in node)) {
      return refuse('invalid_field', `selected approvers name unknown node ${nodeId}`, [
        { field: `selected_approvers.${nodeId}`, description: 'unknown node' },
      ]);
    }
    const unknown = ids.find((id) => !isActive(ctx, id));
    if (unknown !== undefined)
      return refuse('id_not_found', `selected approver ${unknown} is not an active employee`);
  }
  const state: ProcessState = {
    id: input.processId,
    definitionId: definition.id,
    definitionVersion: definition.version,
    bizType: definition.bizType,
    status: 'in_progress',
    initiatorId: input.initiatorId,
    formValues: form.values,
    selectedApprovers: selected,
    createdAt: ctx.now,
    updatedAt: ctx.now,
    nodeRuns: [],
    tasks: [],
    ccs: [],
    comments: [],
    audit: [],
  };
  // Only a node that refuses to start without an approver can block the start: the path is walked
  // (every approver resolved) only for a flow that has one.
  const refusing = definition.nodes.some(
    (n) => (n.kind === 'approval' || n.kind === 'form_fill') && n.emptyFallback === 'refuse',
  );
  const blocked = refusing ? previewPath(definition, state, ctx).find((step) => step.refused) : undefined;
  if (blocked) {
    return refuse(
      'definition_not_startable',
      `no approver found for node "${blocked.nodeId}" and the flow refuses to start without one`,
    );
  }
  const m = new Machine(definition, state, ctx);
  m.events.push({ kind: 'process_status_changed', status: 'in_progress' });
  const start = definition.nodes.find((n) => n.kind === 'start');
  if (start?.kind !== 'start') return refuse('definition_not_startable', 'the definition has no start node');
  const run = m.newRun(start.id, 'start', '', 'passed');
  const group = m.newGroup(run, { kind: 'or' }, 0, 'node');
  m.newTask(run, group, input.initiatorId, 'approval', 0, 'initiated');
  m.audit(input.initiatorId, 'start', input.bySystem ? { system_initiator: true } : undefined);
  m.activate(start.next, '');
  const bounded = withinLimits(state, { kind: 'start', formValues: form.values });
  if (!bounded.ok) return bounded;
  m.events.push({ kind: 'process_updated' });
  return accept({ state, events: m.events });
}

/** Applies one command to a process. The input state is never modified. */
export function decide(
  definition: FlowDefinition,
  current: ProcessState,
  command: Command,
  ctx: EngineContext,
): Decision<Outcome> {
  const m = new Machine(definition, structuredClone(current), ctx);
  const auditBefore = m.state.audit.length;
  const result = apply(m, command);
  if (!result.ok) return result;
  if (command.kind !== 'comment' && command.system && command.admin !== undefined)
    markAdminEntries(m.state, auditBefore, command.admin, command.kind);
  m.state.updatedAt = ctx.now;
  const bounded = withinLimits(m.state, command, current.tasks.length);
  if (!bounded.ok) return bounded;
  m.events.push({ kind: 'process_updated' });
  return accept({ state: m.state, events: m.events });
}

function apply(m: Machine, command: Command): Decision<null> {
  switch (command.kind) {
    case 'approve':
    case 'reject':
      return decideTask(m, command);
    case 'withdraw':
      return withdraw(m, command);
    case 'revoke':
      return revoke(m, command);
    case 'add_sign':
      return addSign(m, command);
    case 'transfer':
      return transfer(m, command);
    case 'return':
      return returnTo(m, command);
    case 'comment':
      return comment(m, command);
    case 'timer':
      return fireTimer(m, command);
    case 'urge':
      return urge(m, command);
  }
}

/** How often the initiator may urge: once an hour (seeds: 催办 is a nudge, not a spam channel). */
export const URGE_INTERVAL_MS = 60 * 60 * 1000;

function urge(m: Machine, command: Extract<Command, { kind: 'urge' }>): Decision<null> {
  const status = requireStatus(m, 'in_progress');
  if (!status.ok) return status;
  if (!command.system && command.operatorId !== m.state.initiatorId)
    return refuse('operator_not_allowed', 'only the initiator may urge the approvers');
  const last = m.state.urgedAt;
  if (last !== undefined && m.ctx.now - last < URGE_INTERVAL_MS) {
    const minutes = Math.ceil((last + URGE_INTERVAL_MS - m.ctx.now) / 60_000);
    return refuse(
      'process_status_conflict',
      `the approvers were urged less than an hour ago; urge again in ${minutes} minute${minutes === 1 ? '' : 's'}`,
    );
  }
  const assigneeIds = [
    ...new Set(m.state.tasks.filter((t) => t.status === 'in_progress').map((t) => t.assigneeId)),
  ];
  if (assigneeIds.length === 0) return refuse('process_status_conflict', 'nobody has an open task to urge');
  m.state.urgedAt = m.ctx.now;
  m.events.push({ kind: 'urged', byId: command.operatorId ?? m.state.initiatorId, assigneeIds });
  m.audit(actorName(command), 'urge', {
    assignees: assigneeIds,
    ...(command.reason ? { reason: command.reason } : {}),
  });
  return accept(null);
}

/**
 * A due node timer. It fires only if the engine still lists it as due for an open task: a task
 * decided, transferred or returned meanwhile makes it stale (refused, the scheduler drops it); a key
 * that fired already is refused too, so a job run twice acts once.
 */
function fireTimer(m: Machine, command: Extract<Command, { kind: 'timer' }>): Decision<null> {
  if (!command.system) return refuse('operator_not_allowed', 'timers are fired by the system only');
  const workingTime = m.ctx.workingTime;
  if (!workingTime) throw new Error('the timer command needs the tenant working time');
  if (m.state.firedTimers?.includes(command.key))
    return refuse('process_status_conflict', `timer ${command.key} already fired`);
  const timer = timersOf(m.definition, m.state, workingTime).find((t) => t.key === command.key);
  if (!timer)
    return refuse('process_status_conflict', `timer ${command.key} is no longer due: its task moved on`);
  if (timer.dueAt > m.ctx.now)
    return refuse(
      'process_status_conflict',
      `timer ${command.key} is not due until ${timer.dueAt} (Unix ms)`,
    );
  const task = m.state.tasks.find((t) => t.id === timer.taskId);
  if (!task) return refuse('task_not_found', `approval task ${timer.taskId} not found in this process`);
  m.state.firedTimers = [...(m.state.firedTimers ?? []), timer.key];
  const managerId = m.ctx.directory.employees.get(task.assigneeId)?.managerId;
  const activeManager =
    managerId !== undefined && managerId !== null && isActive(m.ctx, managerId) ? managerId : undefined;
  const fired = (extra: { managerId?: string } = {}) => {
    m.events.push({
      kind: 'timer_fired',
      taskId: task.id,
      assigneeId: task.assigneeId,
      timer: timer.kind,
      seq: timer.seq,
      ...(timer.action ? { action: timer.action } : {}),
      ...extra,
    });
    m.audit('system', `timer_${timer.kind}`, {
      task: task.id,
      timer: timer.key,
      ...(timer.action ? { action: timer.action } : {}),
      ...(extra.managerId ? { manager: extra.managerId } : {}),
    });
  };
  const system = { system: true } as const;
  switch (timer.kind) {
    case 'remind':
      fired();
      return accept(null);
    case 'escalate':
      fired(activeManager ? { managerId: activeManager } : {});
      if (
        timer.action === 'add_manager' &&
        activeManager &&
        !m.openAssigneesOf(task).includes(activeManager)
      ) {
        const added = addSign(m, {
          kind: 'add_sign',
          taskId: task.id,
          extraType: 'parallel',
          approvalMode: 'and',
          userIds: [activeManager],
          ...system,
        });
        if (!added.ok) return added;
      }
      return accept(null);
    case 'auto':
      fired();
      if (timer.action === 'approve' || timer.action === 'reject')
        return decideTask(m, { kind: timer.action, taskId: task.id, ...system });
      {
        const admin = m.definition.processAdminIds.find(
          (id) => id !== task.assigneeId && isActive(m.ctx, id),
        );
        // No one to hand it to: the firing is recorded and the task stays where it is.
        if (admin === undefined) return accept(null);
        return transfer(m, { kind: 'transfer', taskIds: [task.id], toUserId: admin, ...system });
      }
  }
}

const actorName = (actor: Actor) =>
  actor.system ? (actor.admin ?? 'system') : (actor.operatorId ?? 'system');

/** The admin's own entries of this command: done by an admin; a withdraw or revoke for the initiator. */
function markAdminEntries(state: ProcessState, from: number, admin: string, kind: CommandKind): void {
  const forInitiator = kind === 'withdraw' || kind === 'revoke';
  for (const entry of state.audit.slice(from))
    if (entry.actor === admin)
      entry.detail = {
        ...entry.detail,
        by_admin: true,
        ...(forInitiator ? { on_behalf_of: state.initiatorId } : {}),
      };
}

/** A task the actor may act on now, or why not. */
function openTaskFor(m: Machine, taskId: string, actor: Actor): Decision<Task> {
  const task = m.state.tasks.find((t) => t.id === taskId);
  if (!task) return refuse('task_not_found', `approval task ${taskId} not found in this process`);
  if (task.status !== 'in_progress')
    return refuse('task_status_conflict', `approval task ${taskId} is ${task.status}, not in progress`);
  if (!actor.system && actor.operatorId !== task.assigneeId) {
    return refuse(
      'operator_not_allowed',
      'only the assignee of the task may act on it (or the system, with system approval)',
    );
  }
  return accept(task);
}

function requireStatus(m: Machine, ...allowed: ProcessState['status'][]): Decision<null> {
  return allowed.includes(m.state.status)
    ? accept(null)
    : refuse(
        'process_status_conflict',
        `the process is ${m.state.status}; this needs ${allowed.join(' or ')}`,
      );
}

function decideTask(m: Machine, command: Extract<Command, { kind: 'approve' | 'reject' }>): Decision<null> {
  // The task is checked first: the loser of two concurrent approvals learns its task closed (1161004),
  // even when the winner's approval also finished the process.
  const found = openTaskFor(m, command.taskId, command);
  if (!found.ok) return found;
  const status = requireStatus(m, 'in_progress', 'revoking');
  if (!status.ok) return status;
  const task = found.value;
  const run = m.runOf(task);
  const node = m.node(run.defId);
  if (command.kind === 'approve') {
    const editable = node?.kind === 'approval' || node?.kind === 'form_fill' ? node : undefined;
    const submitted = command.fieldValues ?? {};
    if (editable || Object.keys(submitted).length > 0) {
      // The form's rules run over the edited form, as at start.
      const form = prepareNodeValues(
        m.definition.form,
        m.definition.formRules,
        m.state.formValues,
        submitted,
        { editable: editable?.editableFields ?? [], required: editable?.requiredFields ?? [] },
        references(m.ctx),
      );
      if (form.violations.length > 0)
        return refuse('form_invalid', 'field values invalid for this node', form.violations);
      m.state.formValues = form.values;
    }
  }
  const next =
    command.kind === 'reject' ? 'rejected' : task.type === 'form_fill' ? 'form_submitted' : 'approved';
  m.setTaskStatus(task, next, {
    ...(command.reason ? { opinion: command.reason } : {}),
    ...(command.system ? { bySystem: true } : {}),
  });
  m.audit(actorName(command), command.kind, {
    task: task.id,
    ...(command.reason ? { reason: command.reason } : {}),
  });
  m.evaluate(run);
  return accept(null);
}

function withdraw(m: Machine, command: Extract<Command, { kind: 'withdraw' }>): Decision<null> {
  const status = requireStatus(m, 'in_progress');
  if (!status.ok) return status;
  if (!command.system && command.operatorId !== m.state.initiatorId) {
    return refuse('operator_not_allowed', 'only the initiator may withdraw the process (or the system)');
  }
  m.closeEverything('cancelled');
  m.setProcessStatus('withdrawn');
  m.audit(actorName(command), 'withdraw', command.reason ? { reason: command.reason } : undefined);
  return accept(null);
}

function revoke(m: Machine, command: Extract<Command, { kind: 'revoke' }>): Decision<null> {
  const status = requireStatus(m, 'completed');
  if (!status.ok) return status;
  if (!command.system && !m.definition.processAdminIds.includes(command.operatorId ?? '')) {
    return refuse(
      'operator_not_allowed',
      'only a process admin of the definition may revoke (or the system)',
    );
  }
  m.audit(actorName(command), 'revoke', command.reason ? { reason: command.reason } : undefined);
  const admins = m.definition.processAdminIds.filter((id) => isActive(m.ctx, id));
  if (m.definition.settings.revokeNeedsApproval && !command.system && admins.length > 0) {
    m.setProcessStatus('revoking');
    const run = m.newRun(REVOKE_NODE_ID, 'revoke_approval', '', 'in_progress');
    const group = m.newGroup(run, { kind: 'or' }, 0, 'node');
    admins.forEach((id, i) => m.newTask(run, group, id, 'approval', i, 'not_started'));
    m.evaluate(run);
    return accept(null);
  }
  m.setProcessStatus('revoked');
  return accept(null);
}

function addSign(m: Machine, command: Extract<Command, { kind: 'add_sign' }>): Decision<null> {
  const status = requireStatus(m, 'in_progress');
  if (!status.ok) return status;
  let anchor: Task | undefined;
  if (command.nodeDefId !== undefined) {
    const run = m.state.nodeRuns.find(
      (r) =>
        r.defId === command.nodeDefId &&
        r.status === 'in_progress' &&
        (r.kind === 'approval' || r.kind === 'form_fill'),
    );
    if (!run)
      return refuse('invalid_field', `node ${command.nodeDefId} is not waiting for approval`, [
        { field: 'node_id', description: 'not an approval node in progress' },
      ]);
    const open = m.tasksOf(run).filter((t) => t.status === 'in_progress');
    anchor = command.system ? open[0] : open.find((t) => t.assigneeId === command.operatorId);
    if (!anchor) return refuse('operator_not_allowed', 'the operator has no open task at this node');
  } else if (command.taskId !== undefined) {
    const found = openTaskFor(m, command.taskId, command);
    if (!found.ok) return found;
    anchor = found.value;
  } else {
    return refuse('invalid_field', 'name the node or the task to add approvers to', [
      { field: 'approver_id', description: 'node_id or approver_id is required' },
    ]);
  }
  const users = [...new Set(command.userIds)];
  if (users.length === 0)
    return refuse('invalid_field', 'no users to add', [
      { field: 'extra_user_ids', description: 'must list at least one user' },
    ]);
  if (users.length > PROCESS_LIMITS.addSignUsers)
    return refuse('invalid_field', `an add-sign adds at most ${PROCESS_LIMITS.addSignUsers} people`, [
      { field: 'extra_user_ids', description: `must list at most ${PROCESS_LIMITS.addSignUsers} users` },
    ]);
  if (users.includes(anchor.assigneeId)) {
    return refuse('invalid_field', 'the assignee cannot be added to their own task', [
      { field: 'extra_user_ids', description: 'must not include the assignee' },
    ]);
  }
  const inactive = users.find((id) => !isActive(m.ctx, id));
  if (inactive !== undefined) return refuse('id_not_found', `user ${inactive} is not an active employee`);
  if (command.extraType === 'parallel' && command.approvalMode !== 'and') {
    return refuse('invalid_field', 'a parallel add-sign is a countersign', [
      { field: 'approval_type', description: 'must be 1 (countersign) with extra_type 1' },
    ]);
  }

  const run = m.runOf(anchor);
  const anchorGroup = run.groups.find((g) => g.id === anchor.groupId);
  if (!anchorGroup) throw new Error('task without group');
  const mode: ApprovalMode = { kind: command.approvalMode };
  const p = anchorGroup.phase;
  if (command.extraType === 'pre') {
    // The new approvers decide first; the anchor's group waits for them.
    for (const g of run.groups) if (g.phase >= p) g.phase += 1;
    const group = m.newGroup(run, mode, p, 'add_sign_pre');
    users.forEach((id, i) => m.newTask(run, group, id, 'approval', i, 'not_started'));
    for (const t of m.tasksOf(run, anchorGroup))
      if (t.status === 'in_progress') m.setTaskStatus(t, 'not_started');
  } else if (command.extraType === 'post') {
    for (const g of run.groups) if (g.phase > p) g.phase += 1;
    const group = m.newGroup(run, mode, p + 1, 'add_sign_post');
    users.forEach((id, i) => m.newTask(run, group, id, 'approval', i, 'not_started'));
  } else {
    const group = m.newGroup(run, mode, p, 'add_sign_parallel');
    users.forEach((id, i) => m.newTask(run, group, id, 'approval', i, 'not_started'));
  }
  m.audit(actorName(command), 'add_sign', {
    type: command.extraType,
    users,
    ...(command.remark ? { remark: command.remark } : {}),
  });
  m.evaluate(run);
  return accept(null);
}

function transfer(m: Machine, command: Extract<Command, { kind: 'transfer' }>): Decision<null> {
  const status = requireStatus(m, 'in_progress', 'revoking');
  if (!status.ok) return status;
  if (command.taskIds.length === 0)
    return refuse('invalid_field', 'no tasks to transfer', [
      { field: 'approver_ids', description: 'must list at least one task' },
    ]);
  if (!isActive(m.ctx, command.toUserId))
    return refuse('id_not_found', 'the person to transfer to is not an active employee');
  const tasks: Task[] = [];
  for (const taskId of new Set(command.taskIds)) {
    const found = openTaskFor(m, taskId, command);
    if (!found.ok) return found;
    if (found.value.assigneeId === command.toUserId) {
      return refuse('invalid_field', 'cannot transfer a task to its own assignee', [
        { field: 'to_user_id', description: 'is already the assignee' },
      ]);
    }
    tasks.push(found.value);
  }
  for (const task of tasks) {
    const run = m.runOf(task);
    const group = run.groups.find((g) => g.id === task.groupId);
    if (!group) throw new Error('task without group');
    m.setTaskStatus(task, 'transferred', {
      transferredTo: command.toUserId,
      ...(command.system ? { bySystem: true } : {}),
    });
    m.newTask(run, group, command.toUserId, task.type, task.order, 'in_progress', command.onBehalfOf);
  }
  m.audit(actorName(command), 'transfer', {
    tasks: tasks.map((t) => t.id),
    to: command.toUserId,
    ...(command.remark ? { remark: command.remark } : {}),
    ...(command.onBehalfOf !== undefined ? { on_behalf_of: command.onBehalfOf } : {}),
    ...(command.outOfOfficeReturn !== undefined ? { out_of_office_return: command.outOfOfficeReturn } : {}),
  });
  return accept(null);
}

function returnTo(m: Machine, command: Extract<Command, { kind: 'return' }>): Decision<null> {
  const status = requireStatus(m, 'in_progress');
  if (!status.ok) return status;
  const found = openTaskFor(m, command.taskId, command);
  if (!found.ok) return found;
  const task = found.value;
  const run = m.runOf(task);
  const target = m.node(command.targetNodeDefId);
  const targetScope = m.scopeOf(command.targetNodeDefId);
  const passedBefore = m.state.nodeRuns.some(
    (r) =>
      r.defId === command.targetNodeDefId &&
      r.status === 'passed' &&
      !r.autoPassed &&
      (r.kind === 'approval' || r.kind === 'form_fill'),
  );
  const reachable =
    targetScope === '' || run.scope === targetScope || run.scope.startsWith(`${targetScope}/`);
  if (!target || !passedBefore || !reachable || target.id === run.defId) {
    return refuse(
      'invalid_field',
      `node ${command.targetNodeDefId} is not an earlier approval node on this path`,
      [
        {
          field: 'target_node_id',
          description:
            'must be an approval or form-fill node this process already passed, on the same branch',
        },
      ],
    );
  }
  m.setTaskStatus(task, 'rolled_back', {
    ...(command.reason ? { opinion: command.reason } : {}),
    ...(command.system ? { bySystem: true } : {}),
  });
  for (const t of m.tasksOf(run)) if (isOpenTask(t)) m.setTaskStatus(t, 'cancelled');
  m.setRunStatus(run, 'rolled_back');
  const inScope = (scope: string) =>
    targetScope === '' || scope === targetScope || scope.startsWith(`${targetScope}/`);
  m.closeEverything('cancelled', inScope);
  m.audit(actorName(command), 'return', {
    task: task.id,
    to: command.targetNodeDefId,
    ...(command.reason ? { reason: command.reason } : {}),
  });
  m.activate(command.targetNodeDefId, targetScope);
  return accept(null);
}

function comment(m: Machine, command: Extract<Command, { kind: 'comment' }>): Decision<null> {
  if (!m.ctx.directory.employees.has(command.authorId))
    return refuse('id_not_found', 'the comment author is not an employee of this tenant');
  if (command.text.trim() === '' || command.text.length > 5000) {
    return refuse('invalid_field', 'a comment needs 1 to 5000 characters', [
      { field: 'text', description: 'must be 1 to 5000 characters' },
    ]);
  }
  const unknown = command.mentionIds.find((id) => !m.ctx.directory.employees.has(id));
  if (unknown !== undefined)
    return refuse('id_not_found', `mentioned user ${unknown} is not an employee of this tenant`);
  const token = command.clientToken;
  if (
    token !== undefined &&
    m.state.comments.some((c) => c.authorId === command.authorId && c.clientToken === token)
  )
    return refuse('process_status_conflict', 'this comment was already added (same client_token)');
  const id = m.ctx.newId();
  m.state.comments.push({
    id,
    authorId: command.authorId,
    text: command.text,
    mentionIds: [...new Set(command.mentionIds)],
    createdAt: m.ctx.now,
    ...(command.files && command.files.length > 0 ? { files: command.files } : {}),
    ...(token !== undefined ? { clientToken: token } : {}),
  });
  m.events.push({ kind: 'comment_added', commentId: id });
  m.audit(command.authorId, 'comment', { comment: id });
  return accept(null);
}
