import { resolveRule, type DirectorySnapshot } from './approver-resolution.js';
import { rulesOf, type ApproverRule, type FlowDefinition } from './definition.js';
import type { NodeRun, ProcessState, Task, TaskGroup } from './process.js';

/**
 * Why a task went to its assignee. Nothing is recorded when a task is made, so this is recomputed
 * from the definition, the state (transfers, add-signs and their audit lines) and the directory as it
 * is now: a rule whose people changed since (a new manager) may no longer name the assignee, which
 * then reads `assigned`.
 */
export type TaskReason =
  | { kind: 'initiator' }
  | { kind: 'rule'; rule: ApproverRule }
  /** The node's rules found nobody, so the process admins took over. */
  | { kind: 'fallback_admins' }
  | { kind: 'revoke_admins' }
  /** `byId` is 'system' when an integration or an administrator transferred it. */
  | { kind: 'transferred'; fromId: string; byId: string }
  /** The system gave it back from `fromId`, the person's out-of-office delegate, when the delegation was over. */
  | { kind: 'returned_from_delegate'; fromId: string }
  | { kind: 'add_sign'; byId: string; position: 'pre' | 'parallel' | 'post' }
  | { kind: 'assigned' };

const auditUsers = (detail: Record<string, unknown> | undefined, key: string): string[] => {
  const value = detail?.[key];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
};

/** The reason for every task of the process, by task id. */
export function taskReasons(
  definition: FlowDefinition,
  state: ProcessState,
  directory: DirectorySnapshot,
): Map<string, TaskReason> {
  const runs = new Map(state.nodeRuns.map((r) => [r.id, r]));
  const nodes = new Map(definition.nodes.map((n) => [n.id, n]));
  const out = new Map<string, TaskReason>();
  for (const task of state.tasks) {
    const run = runs.get(task.nodeRunId);
    const group = run?.groups.find((g) => g.id === task.groupId);
    out.set(task.id, reasonOf(task, run, group));
  }
  return out;

  function reasonOf(task: Task, run: NodeRun | undefined, group: TaskGroup | undefined): TaskReason {
    if (!run || !group) return { kind: 'assigned' };
    // A task that went to an out-of-office delegate is explained by whom it was meant for.
    const meantFor = task.onBehalfOf ?? task.assigneeId;
    // A transfer closes the old task and opens the new one at the same place in the same group.
    const from = state.tasks.find(
      (t) =>
        t.groupId === task.groupId &&
        t.order === task.order &&
        t.status === 'transferred' &&
        (t.transferredTo === task.assigneeId || t.transferredTo === meantFor) &&
        t.completedAt === task.createdAt,
    );
    if (from) {
      const entry = state.audit.find(
        (a) => a.action === 'transfer' && auditUsers(a.detail, 'tasks').includes(from.id),
      );
      if (entry?.detail?.out_of_office_return !== undefined)
        return { kind: 'returned_from_delegate', fromId: from.assigneeId };
      return { kind: 'transferred', fromId: from.assigneeId, byId: entry?.actor ?? 'system' };
    }
    if (group.origin !== 'node') {
      const position =
        group.origin === 'add_sign_pre' ? 'pre' : group.origin === 'add_sign_post' ? 'post' : 'parallel';
      const entry = state.audit.find(
        (a) =>
          a.action === 'add_sign' &&
          a.at === task.createdAt &&
          auditUsers(a.detail, 'users').includes(meantFor),
      );
      return { kind: 'add_sign', byId: entry?.actor ?? 'system', position };
    }
    if (run.kind === 'start') return { kind: 'initiator' };
    if (run.kind === 'revoke_approval') return { kind: 'revoke_admins' };
    const node = nodes.get(run.defId);
    if (!node) return { kind: 'assigned' };
    const input = {
      initiatorId: state.initiatorId,
      formValues: state.formValues,
      selected: state.selectedApprovers[node.id] ?? [],
      directory,
    };
    const rules = rulesOf(node);
    const rule = rules.find((r) => resolveRule(r, input).includes(meantFor));
    if (rule) return { kind: 'rule', rule };
    const nobody = rules.every((r) => resolveRule(r, input).length === 0);
    if (nobody && definition.processAdminIds.includes(meantFor)) return { kind: 'fallback_admins' };
    return { kind: 'assigned' };
  }
}
