import type { CommentView, PreviewStep, TaskView, TimelineEntry } from '@contract';

/**
 * The process timeline as a story: node runs (with their tasks in a sensible order), process-level
 * actions and comments, oldest first. Comments come in full from `ProcessDetail.comments`, so the
 * timeline's own `comment` actions are dropped to avoid telling the same thing twice; so are `approve` and
 * `reject` actions, which the node's task lines already tell with their opinions.
 */

export type StoryItem =
  | { kind: 'node'; at: string; entry: Extract<TimelineEntry, { kind: 'node' }> }
  | { kind: 'action'; at: string; entry: Extract<TimelineEntry, { kind: 'action' }> }
  | { kind: 'system_step'; at: string; entry: Extract<TimelineEntry, { kind: 'system_step' }> }
  | { kind: 'comment'; at: string; comment: CommentView };

function timeOf(iso: string): number {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? 0 : t;
}

/** Node kinds that are plumbing in a story: the start action already says who started, gateways decide nothing. */
const QUIET_NODES = new Set<string>(['start', 'end', 'exclusive', 'parallel', 'join']);

/** Approvals and rejections are told by the node's task lines (status and opinion); their actions would repeat them. */
const TOLD_BY_TASKS = new Set(['approve', 'reject']);

export function buildStory(
  timeline: readonly TimelineEntry[],
  comments: readonly CommentView[],
): StoryItem[] {
  const items: { item: StoryItem; seq: number }[] = [];
  let seq = 0;
  for (const entry of timeline) {
    if (entry.kind === 'node') {
      if (QUIET_NODES.has(entry.node_kind) && entry.status !== 'rejected') continue;
      items.push({ item: { kind: 'node', at: entry.started_at, entry }, seq: seq++ });
    } else if (entry.kind === 'system_step') {
      items.push({ item: { kind: 'system_step', at: entry.started_at, entry }, seq: seq++ });
    } else if (TOLD_BY_TASKS.has(entry.action)) {
      continue;
    } else if (entry.action !== 'comment' || comments.length === 0)
      items.push({ item: { kind: 'action', at: entry.at, entry }, seq: seq++ });
  }
  for (const comment of comments)
    items.push({ item: { kind: 'comment', at: comment.created_at, comment }, seq: seq++ });
  // Stable: the server's order breaks ties (a node run and the action that started it share a time).
  items.sort((a, b) => timeOf(a.item.at) - timeOf(b.item.at) || a.seq - b.seq);
  return items.map((i) => i.item);
}

const ORIGIN_RANK: Record<string, number> = {
  add_sign_pre: 0,
  node: 1,
  add_sign_parallel: 1,
  add_sign_post: 2,
};

/** Tasks of one node run: added-before first, then the node's own and parallel ones, then added-after; by creation time within. */
export function orderTasks(tasks: readonly TaskView[]): TaskView[] {
  return tasks
    .map((task, i) => ({ task, i }))
    .sort(
      (a, b) =>
        (ORIGIN_RANK[a.task.origin] ?? 1) - (ORIGIN_RANK[b.task.origin] ?? 1) ||
        timeOf(a.task.created_at) - timeOf(b.task.created_at) ||
        a.i - b.i,
    )
    .map((x) => x.task);
}

export type Tone = 'green' | 'red' | 'blue' | 'gray';

/** The timeline dot colour of a node run. */
export function nodeTone(status: Extract<TimelineEntry, { kind: 'node' }>['status']): Tone {
  switch (status) {
    case 'passed':
      return 'green';
    case 'rejected':
      return 'red';
    case 'in_progress':
      return 'blue';
    case 'not_started':
    case 'cancelled':
    case 'skipped':
    case 'rolled_back':
      return 'gray';
  }
}

/** The timeline dot colour of a system step (business action, compensation, HTTP action). */
export function systemStepTone(status: Extract<TimelineEntry, { kind: 'system_step' }>['status']): Tone {
  if (status === 'done') return 'green';
  if (status === 'failed') return 'red';
  if (status === 'cancelled') return 'gray';
  return 'blue';
}

export function actionTone(action: string): Tone {
  if (action === 'reject' || action === 'revoke' || action === 'withdraw') return 'red';
  if (action === 'approve' || action === 'start') return 'green';
  if (action === 'system') return 'gray';
  return 'blue';
}

/** Steps worth showing people: approvals, form fills and CCs (gateways, start and end are plumbing). */
export function visibleSteps(steps: readonly PreviewStep[]): PreviewStep[] {
  return steps.filter((s) => s.kind === 'approval' || s.kind === 'form_fill' || s.kind === 'cc');
}

/** How a preview step will go, for its label: who acts, or why nobody does. */
export type StepOutcome =
  | { kind: 'people'; acting: PreviewStep['assignees']; skipped: PreviewStep['assignees'] }
  | { kind: 'auto_pass' }
  | { kind: 'to_admins' }
  | { kind: 'all_skipped'; skipped: PreviewStep['assignees'] }
  | { kind: 'nobody' };

export function stepOutcome(step: PreviewStep): StepOutcome {
  const skippedSet = new Set(step.skipped);
  const acting = step.assignees.filter((p) => !skippedSet.has(p.user_id));
  const skipped = step.assignees.filter((p) => skippedSet.has(p.user_id));
  if (acting.length > 0) return { kind: 'people', acting, skipped };
  if (skipped.length > 0) return { kind: 'all_skipped', skipped };
  if (step.fallback === 'auto_pass') return { kind: 'auto_pass' };
  if (step.fallback === 'to_admins') return { kind: 'to_admins' };
  return { kind: 'nobody' };
}

/** Groups steps by parallel branch, keeping order; steps outside branches ('' branch) are their own group. */
export function groupByBranch(steps: readonly PreviewStep[]): { branch: string; steps: PreviewStep[] }[] {
  const groups: { branch: string; steps: PreviewStep[] }[] = [];
  for (const step of steps) {
    const last = groups[groups.length - 1];
    if (last && last.branch === step.branch && step.branch !== '') last.steps.push(step);
    else groups.push({ branch: step.branch, steps: [step] });
  }
  return groups;
}
