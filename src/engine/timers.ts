import type { FlowDefinition } from './definition.js';
import type { WorkingTime } from './calendar.js';
import { isOpenTask, type ProcessState } from './process.js';
import type { FieldViolation } from './result.js';

/**
 * Timers of an approval node, in minutes of working time (the tenant's calendar) from the moment a
 * task became the assignee's to decide. Nothing waits forever: a reminder, an escalation, and in the
 * end an action taken for the assignee.
 */
export interface NodeTimers {
  /** Remind the assignee after `afterMinutes`, then every `everyMinutes`, `times` reminders in all. */
  remind?: { afterMinutes: number; everyMinutes?: number; times?: number };
  /** Tell the assignee's manager, or add the manager to decide beside them. */
  escalate?: { afterMinutes: number; action: EscalateAction };
  /** Decide for the assignee: approve, reject, or give the task to the flow's process admins. */
  auto?: { afterMinutes: number; action: AutoAction };
}

export type EscalateAction = 'notify_manager' | 'add_manager';
export type AutoAction = 'approve' | 'reject' | 'transfer_to_admins';
export type TimerKind = keyof NodeTimers;

export const TIMER_LIMITS = {
  minMinutes: 1,
  /** A year of minutes: a timer further off is a mistake, not a policy. */
  maxMinutes: 366 * 24 * 60,
  reminders: 20,
} as const;

/** Problems of one node's timers, each naming its field under `at` (e.g. `nodes[manager].timers`). */
export function timerProblems(timers: NodeTimers, at: string): FieldViolation[] {
  const out: FieldViolation[] = [];
  const minutes = (field: string, value: number | undefined) => {
    if (value === undefined) return;
    if (!Number.isInteger(value) || value < TIMER_LIMITS.minMinutes)
      out.push({ field, description: 'a timer is a whole number of minutes, at least 1' });
    else if (value > TIMER_LIMITS.maxMinutes)
      out.push({ field, description: `at most ${TIMER_LIMITS.maxMinutes} minutes (a year)` });
  };
  const { remind, escalate, auto } = timers;
  if (remind) {
    minutes(`${at}.remind.after_minutes`, remind.afterMinutes);
    minutes(`${at}.remind.every_minutes`, remind.everyMinutes);
    const times = remind.times;
    if (times !== undefined && !(Number.isInteger(times) && times >= 1 && times <= TIMER_LIMITS.reminders))
      out.push({ field: `${at}.remind.times`, description: `1 to ${TIMER_LIMITS.reminders} reminders` });
    else if ((times ?? 1) > 1 && remind.everyMinutes === undefined)
      out.push({
        field: `${at}.remind.every_minutes`,
        description: 'more than one reminder needs an interval',
      });
  }
  if (escalate) minutes(`${at}.escalate.after_minutes`, escalate.afterMinutes);
  if (auto) {
    minutes(`${at}.auto.after_minutes`, auto.afterMinutes);
    // Once the task is decided for the assignee, later timers of the node can never fire.
    const later = (name: TimerKind, after: number | undefined) => {
      if (after !== undefined && after >= auto.afterMinutes)
        out.push({
          field: `${at}.${name}.after_minutes`,
          description: `comes at or after the automatic action (${auto.afterMinutes} minutes): it would never fire`,
        });
    };
    later('escalate', escalate?.afterMinutes);
    later('remind', remind?.afterMinutes);
  }
  return out;
}

/** One timer that would fire for an open task, with the key that makes it fire once. */
export interface DueTimer {
  /** `<task id>:<kind>:<n>`: unique per process, stable across recomputation. */
  key: string;
  taskId: string;
  kind: TimerKind;
  /** 1-based: the n-th reminder (always 1 for escalate and auto). */
  seq: number;
  dueAt: number;
  action?: EscalateAction | AutoAction;
}

/**
 * The timers of every task open now, with their due instants: data for a scheduler, which keeps one
 * job per key, drops jobs whose key is no longer listed, and fires the rest through the command path
 * (where a task decided meanwhile makes the timer stale). A due time the calendar cannot reach
 * (no working time for years) is left out rather than invented.
 */
export function timersOf(definition: FlowDefinition, state: ProcessState, calendar: WorkingTime): DueTimer[] {
  if (state.status !== 'in_progress') return [];
  const timersByNode = new Map<string, NodeTimers>();
  for (const node of definition.nodes)
    if (node.kind === 'approval' && node.timers) timersByNode.set(node.id, node.timers);
  if (timersByNode.size === 0) return [];
  const runDef = new Map(state.nodeRuns.map((r) => [r.id, r.defId]));
  const fired = new Set(state.firedTimers ?? []);
  const out: DueTimer[] = [];
  for (const task of state.tasks) {
    if (task.status !== 'in_progress' || !isOpenTask(task)) continue;
    const timers = timersByNode.get(runDef.get(task.nodeRunId) ?? '');
    if (!timers) continue;
    const since = task.activatedAt ?? task.createdAt;
    const push = (kind: TimerKind, seq: number, minutes: number, action?: EscalateAction | AutoAction) => {
      const dueAt = calendar.addWorkingTime(since, minutes * 60_000);
      const key = `${task.id}:${kind}:${seq}`;
      if (dueAt === undefined || fired.has(key)) return;
      out.push({
        key,
        taskId: task.id,
        kind,
        seq,
        dueAt,
        ...(action ? { action } : {}),
      });
    };
    if (timers.remind) {
      const { afterMinutes, everyMinutes, times } = timers.remind;
      const count = everyMinutes === undefined ? 1 : (times ?? 1);
      for (let n = 1; n <= count; n++) push('remind', n, afterMinutes + (n - 1) * (everyMinutes ?? 0));
    }
    if (timers.escalate) push('escalate', 1, timers.escalate.afterMinutes, timers.escalate.action);
    if (timers.auto) push('auto', 1, timers.auto.afterMinutes, timers.auto.action);
  }
  return out.sort((a, b) => a.dueAt - b.dueAt || (a.key < b.key ? -1 : 1));
}
