import type { FlowDefinition } from '../../engine/definition.js';
import type { EngineEvent, ProcessState, Task } from '../../engine/process.js';
import type { NotificationKind, PlannedNotification } from './kinds.js';

/**
 * Who is told what about one committed command (pure: states and events in, notifications out).
 * Task notifications come from the tasks that became someone's to decide; the others from the
 * command's events. Nobody is told about their own action, and each person hears once per task and
 * kind — the most specific word wins (an escalation over the task it added, a transfer over "new task").
 */
export function planNotifications(
  before: ProcessState | undefined,
  after: ProcessState,
  events: readonly EngineEvent[],
): PlannedNotification[] {
  const actorId = actorOf(before, after, events);
  const out: PlannedNotification[] = [];
  const add = (recipientId: string, kind: NotificationKind, taskId?: string, by = actorId) => {
    if (recipientId === by || recipientId === 'system') return;
    out.push({
      recipientId,
      kind,
      processId: after.id,
      ...(taskId !== undefined ? { taskId } : {}),
      ...(by !== undefined ? { actorId: by } : {}),
    });
  };

  const escalatedTo = new Set<string>();
  for (const event of events) {
    switch (event.kind) {
      case 'timer_fired':
        // A timer is the system's doing: nobody's own action, so the assignee is told even if they acted last.
        if (event.timer === 'remind') add(event.assigneeId, 'reminder', event.taskId, undefined);
        else if (event.timer === 'escalate' && event.managerId !== undefined) {
          add(event.managerId, 'escalated', event.taskId, undefined);
          escalatedTo.add(event.managerId);
        }
        break;
      case 'urged':
        for (const id of new Set(event.assigneeIds)) add(id, 'urged', openTaskOf(after, id)?.id, event.byId);
        break;
      case 'cc_created':
        add(event.recipientId, 'cc');
        break;
      case 'comment_added': {
        const comment = after.comments.find((c) => c.id === event.commentId);
        for (const id of new Set(comment?.mentionIds ?? []))
          add(id, 'mentioned', undefined, comment?.authorId);
        break;
      }
      case 'process_status_changed':
        if (event.status === 'completed') add(after.initiatorId, 'request_approved');
        else if (event.status === 'rejected') add(after.initiatorId, 'request_rejected');
        break;
      case 'node_status_changed':
      case 'process_updated':
      case 'task_status_changed':
        // Tasks are read from the states below, which also see a sequential group's next task.
        break;
    }
  }

  for (const task of tasksNowOpen(before, after)) {
    if (escalatedTo.has(task.assigneeId)) continue;
    add(task.assigneeId, taskKind(before, after, task), task.id);
  }
  return dedupe(out);
}

/** Process admins of the flow, told that a business action or another job of the process failed. */
export function planActionFailed(
  definition: Pick<FlowDefinition, 'processAdminIds'>,
  processId: string,
): PlannedNotification[] {
  return [...new Set(definition.processAdminIds)].map((recipientId) => ({
    recipientId,
    kind: 'action_failed' as const,
    processId,
  }));
}

/** The initiator, told that the change their request asked for took effect (the business action ran). */
export function planRequestCompleted(state: Pick<ProcessState, 'id' | 'initiatorId'>): PlannedNotification[] {
  return [{ recipientId: state.initiatorId, kind: 'request_completed', processId: state.id }];
}

/** Who gave the command: the first person named by its audit entries (the system's own are skipped). */
function actorOf(
  before: ProcessState | undefined,
  after: ProcessState,
  events: readonly EngineEvent[],
): string | undefined {
  const urged = events.find((e) => e.kind === 'urged');
  if (urged) return urged.byId;
  if (events.some((e) => e.kind === 'timer_fired')) return undefined;
  const from = before && before.audit.length <= after.audit.length ? before.audit.length : 0;
  return after.audit.slice(from).find((entry) => entry.actor !== 'system')?.actor;
}

/** Tasks open for their assignee now that were not before (new, or a waiting one whose turn came). */
function tasksNowOpen(before: ProcessState | undefined, after: ProcessState): Task[] {
  const was = new Map((before?.tasks ?? []).map((t) => [t.id, t.status]));
  return after.tasks.filter((t) => t.status === 'in_progress' && was.get(t.id) !== 'in_progress');
}

function taskKind(before: ProcessState | undefined, after: ProcessState, task: Task): NotificationKind {
  const isNew = !before?.tasks.some((t) => t.id === task.id);
  const run = after.nodeRuns.find((r) => r.id === task.nodeRunId);
  const group = run?.groups.find((g) => g.id === task.groupId);
  if (group && group.origin !== 'node') return 'added_to_sign';
  if (isNew) {
    // A transfer closes someone's task in the same group and names this assignee.
    const transferred = after.tasks.some(
      (t) =>
        t.groupId === task.groupId &&
        t.status === 'transferred' &&
        t.transferredTo === task.assigneeId &&
        before?.tasks.find((b) => b.id === t.id)?.status !== 'transferred',
    );
    if (transferred) return 'transferred_to_you';
    const returned = after.audit
      .slice(before?.audit.length ?? 0)
      .some((entry) => entry.action === 'return' && entry.detail?.to === run?.defId);
    if (returned) return 'returned_to_you';
  }
  return 'task_assigned';
}

function openTaskOf(state: ProcessState, assigneeId: string): Task | undefined {
  return state.tasks.find((t) => t.assigneeId === assigneeId && t.status === 'in_progress');
}

function dedupe(list: PlannedNotification[]): PlannedNotification[] {
  const seen = new Set<string>();
  return list.filter((n) => {
    const key = `${n.recipientId}|${n.kind}|${n.taskId ?? ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
