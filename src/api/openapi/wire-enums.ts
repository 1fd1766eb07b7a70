import type { NodeStatus, ProcessStatus, RunKind, TaskStatus, TaskType } from '../../engine/process.js';

/** The engine's names ↔ the vendor's numbers (docs/open-api.md). The only place these numbers live. */

export const PROCESS_STATUS_CODE: Record<ProcessStatus, number> = {
  in_progress: 1,
  rejected: 2,
  withdrawn: 4,
  revoked: 8,
  completed: 9,
  revoking: 15,
};

/** A transferred task is reported as 4 (closed): the vendor's enum has no "transferred". */
export const TASK_STATUS_CODE: Record<TaskStatus, number> = {
  skipped: -2,
  initiated: -1,
  not_started: 0,
  in_progress: 1,
  rejected: 2,
  approved: 3,
  cancelled: 4,
  transferred: 4,
  form_submitted: 6,
  rolled_back: 14,
  revoke_initiated: 16,
};

/** A CC record's status in cc lists and events. */
export const CC_STATUS_CODE = 5;

/** (ours) 1 start, 2 approval, 3 cc, 4 form fill, 5 branch (exclusive, parallel, join), 6 end. */
export const NODE_TYPE_CODE: Record<RunKind, number> = {
  start: 1,
  approval: 2,
  revoke_approval: 2,
  cc: 3,
  form_fill: 4,
  exclusive: 5,
  parallel: 5,
  join: 5,
  end: 6,
};

export const NODE_STATUS_CODE: Record<NodeStatus, number> = {
  not_started: 0,
  in_progress: 1,
  rejected: 2,
  passed: 3,
  cancelled: 4,
  skipped: -2,
  rolled_back: 14,
};

export const TODO_TYPE_CODE: Record<TaskType, number> = { approval: 1, form_fill: 2 };

/** Process `properties`: 1 normal (revoke and correction processes are not separate processes here). */
export const PROCESS_PROPERTIES_NORMAL = 1;

export const processStatusFromCode = (code: number): ProcessStatus | undefined =>
  (Object.keys(PROCESS_STATUS_CODE) as ProcessStatus[]).find((k) => PROCESS_STATUS_CODE[k] === code);
