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
