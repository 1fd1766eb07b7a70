import type { Command } from './transitions.js';
import type { ProcessState } from './process.js';
import { refuse, type Decision } from './result.js';

/**
 * What one process may hold. A process is one row whose state is read, decided on and written whole
 * by every command, and whose commands share a database with every other tenant: without these bounds
 * one process could be grown until each command on it holds the write lock for seconds.
 */
export const PROCESS_LIMITS = {
  /** Tasks over the process's whole life, closed ones included (the start node's counts too). */
  tasks: 500,
  /** Distinct people one add-sign may add. */
  addSignUsers: 50,
  /** The state serialised as JSON, in UTF-8 bytes: form values, tasks, node runs, comments, audit. */
  stateBytes: 1024 * 1024,
} as const;

/** UTF-8 length of a string, without allocating its encoding. */
function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      // A surrogate pair is one code point of four bytes.
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

export const stateBytes = (state: ProcessState): number => utf8Length(JSON.stringify(state));

/** The request field a refusal names: what the caller sent that made the process grow. */
function fieldOf(
  command: Command | { kind: 'start'; formValues: Record<string, unknown> },
  limit: 'tasks' | 'size',
): string {
  switch (command.kind) {
    case 'start':
      // At start, tasks come from the definition's approvers; size comes from the form.
      return limit === 'tasks' ? 'flow_definition_id' : (largestKey(command.formValues) ?? 'form');
    case 'approve':
      return (limit === 'size' ? largestKey(command.fieldValues ?? {}) : undefined) ?? 'approver_id';
    case 'reject':
    case 'return':
      return 'approver_id';
    case 'withdraw':
    case 'revoke':
    case 'timer':
    case 'urge':
      return 'process_id';
    case 'add_sign':
      return 'extra_user_ids';
    case 'transfer':
      return 'approver_ids';
    case 'comment':
      return 'text';
  }
}

function largestKey(values: Record<string, unknown>): string | undefined {
  let best: string | undefined;
  let size = -1;
  for (const [key, value] of Object.entries(values)) {
    const length = JSON.stringify(value ?? null).length;
    if (length > size) [best, size] = [key, length];
  }
  return best;
}

/**
 * Refuses a decided state that is past a process limit; the command then changes nothing. Only a
 * command that grows the process past a limit is refused, and withdraw, reject and revoke, which end
 * (or undo) it and add no more than an audit line to its size, are not held to the size limit: a full
 * process can always be closed.
 */
export function withinLimits(
  state: ProcessState,
  command: Command | { kind: 'start'; formValues: Record<string, unknown> },
  tasksBefore = 0,
): Decision<null> {
  if (state.tasks.length > PROCESS_LIMITS.tasks && state.tasks.length > tasksBefore) {
    return refuse(
      'invalid_field',
      `the process would have ${state.tasks.length} tasks; a process has at most ${PROCESS_LIMITS.tasks} in its life`,
      [
        {
          field: fieldOf(command, 'tasks'),
          description: `would take the process past its limit of ${PROCESS_LIMITS.tasks} tasks`,
        },
      ],
    );
  }
  if (command.kind === 'withdraw' || command.kind === 'reject' || command.kind === 'revoke')
    return { ok: true, value: null };
  // A UTF-16 code unit is at most three UTF-8 bytes: a state well under the limit (all of them, nearly)
  // needs no byte count.
  const json = JSON.stringify(state);
  const bytes = json.length * 3 <= PROCESS_LIMITS.stateBytes ? 0 : utf8Length(json);
  if (bytes > PROCESS_LIMITS.stateBytes) {
    return refuse(
      'invalid_field',
      `the process would take ${bytes} bytes; a process holds at most ${PROCESS_LIMITS.stateBytes} (form values, tasks, comments and audit trail together)`,
      [
        {
          field: fieldOf(command, 'size'),
          description: `would take the process past its size limit of ${PROCESS_LIMITS.stateBytes} bytes`,
        },
      ],
    );
  }
  return { ok: true, value: null };
}
