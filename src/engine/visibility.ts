import type { FlowDefinition } from './definition.js';
import type { ProcessState } from './process.js';

/**
 * Who may see a process (its detail, its files, its live updates): the initiator, everyone who has
 * or had a task in it, everyone copied, everyone @mentioned in a comment, and the flow's process
 * admins. Everyone else gets "not found", so ids of processes one may not see reveal nothing.
 */
export function canSeeProcess(definition: FlowDefinition, state: ProcessState, employeeId: string): boolean {
  return peopleWhoSee(definition, state).has(employeeId);
}

/** Everyone who may see the process (see canSeeProcess): whom a change to it concerns. */
export function peopleWhoSee(definition: FlowDefinition, state: ProcessState): Set<string> {
  const people = new Set<string>([state.initiatorId, ...definition.processAdminIds]);
  for (const task of state.tasks) people.add(task.assigneeId);
  for (const cc of state.ccs) people.add(cc.recipientId);
  for (const comment of state.comments) for (const id of comment.mentionIds) people.add(id);
  return people;
}

/**
 * The form fields a person must not be shown: those hidden (`hiddenFields`) at every node the person
 * has a task at, when that is their only part in the process. The initiator, the process admins, and
 * anyone copied, @mentioned or with a task at a node that does not hide a field see it.
 */
export function hiddenFieldsFor(
  definition: FlowDefinition,
  state: ProcessState,
  viewerId: string,
): Set<string> {
  const none = new Set<string>();
  if (state.initiatorId === viewerId || definition.processAdminIds.includes(viewerId)) return none;
  if (state.ccs.some((cc) => cc.recipientId === viewerId)) return none;
  if (state.comments.some((c) => c.mentionIds.includes(viewerId))) return none;
  const runs = new Map(state.nodeRuns.map((r) => [r.id, r.defId]));
  const nodes = new Map(definition.nodes.map((n) => [n.id, n]));
  let hidden: Set<string> | undefined;
  for (const task of state.tasks) {
    if (task.assigneeId !== viewerId) continue;
    const node = nodes.get(runs.get(task.nodeRunId) ?? '');
    const here = node?.kind === 'approval' || node?.kind === 'form_fill' ? (node.hiddenFields ?? []) : [];
    hidden = new Set(here.filter((f) => hidden === undefined || hidden.has(f)));
    if (hidden.size === 0) return none;
  }
  return hidden ?? none;
}
