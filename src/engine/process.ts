import type { ApprovalMode, NodeKind } from './definition.js';
import type { FormValues } from './form.js';

/** The engine's own names; src/api/openapi maps them to the vendor's numbers (docs/open-api.md). */
export type ProcessStatus = 'in_progress' | 'rejected' | 'withdrawn' | 'revoked' | 'completed' | 'revoking';

export type TaskStatus =
  | 'skipped'
  | 'initiated'
  | 'not_started'
  | 'in_progress'
  | 'rejected'
  | 'approved'
  | 'cancelled'
  | 'transferred'
  | 'form_submitted'
  | 'rolled_back'
  | 'revoke_initiated';

export type NodeStatus =
  'not_started' | 'in_progress' | 'rejected' | 'passed' | 'cancelled' | 'skipped' | 'rolled_back';

export type TaskType = 'approval' | 'form_fill';

/** A node's kinds at run time: the definition's, plus the approval a revoke may need. */
export type RunKind = NodeKind | 'revoke_approval';

/** A set of tasks deciding together; groups of the same phase run side by side, phases in order. */
export interface TaskGroup {
  id: string;
  mode: ApprovalMode;
  phase: number;
  origin: 'node' | 'add_sign_pre' | 'add_sign_parallel' | 'add_sign_post';
}

/** One run of a node definition; a return makes a node run again. */
export interface NodeRun {
  id: string;
  defId: string;
  kind: RunKind;
  status: NodeStatus;
  /** Parallel-branch scope (see nodeScopes). */
  scope: string;
  startedAt: number;
  endedAt?: number;
  groups: TaskGroup[];
  /** join runs: the branch scopes that have arrived. */
  arrivals?: string[];
  /** approval/form-fill runs resolved to nobody and passed by the empty-approver fallback. */
  autoPassed?: boolean;
}

export interface Task {
  id: string;
  nodeRunId: string;
  groupId: string;
  assigneeId: string;
  type: TaskType;
  status: TaskStatus;
  /** Position for sequential groups. */
  order: number;
  createdAt: number;
  /** When the task became the assignee's to decide (a sequential group's later tasks wait first). */
  activatedAt?: number;
  completedAt?: number;
  opinion?: string;
  /** Set when the decision was made by the system (system_approval / system_user), not the assignee. */
  bySystem?: boolean;
  transferredTo?: string;
  /**
   * The person the task was meant for, when it went to their out-of-office delegate instead (or was
   * handed to the delegate for them): src/engine/delegation.ts.
   */
  onBehalfOf?: string;
}

export interface CcRecord {
  id: string;
  nodeRunId: string;
  recipientId: string;
  createdAt: number;
}

/** A file attached to a comment, as it was when attached (the file service owns the bytes). */
export interface CommentFile {
  fileId: string;
  name: string;
  size: number;
  contentType: string;
}

export interface Comment {
  id: string;
  authorId: string;
  text: string;
  mentionIds: string[];
  createdAt: number;
  /** Attachments (absent on comments made before attachments existed). */
  files?: CommentFile[];
  /** The author's own key for this comment: a repeated submission with it adds nothing. */
  clientToken?: string;
}

export interface AuditEntry {
  at: number;
  /** Person id, or 'system'. */
  actor: string;
  action: string;
  detail?: Record<string, unknown>;
}

export interface ProcessState {
  id: string;
  definitionId: string;
  definitionVersion: number;
  bizType: string;
  status: ProcessStatus;
  initiatorId: string;
  formValues: FormValues;
  /** Approvers the initiator chose at start, per node definition id. */
  selectedApprovers: Record<string, string[]>;
  createdAt: number;
  updatedAt: number;
  completedAt?: number;
  nodeRuns: NodeRun[];
  tasks: Task[];
  ccs: CcRecord[];
  comments: Comment[];
  audit: AuditEntry[];
  /** Keys of node timers that already fired (src/engine/timers.ts): each fires once. */
  firedTimers?: string[];
  /** When the initiator last urged the approvers (at most once an hour). */
  urgedAt?: number;
}

/** What changed, in order, for the outbox (docs/events.md maps these to event types). */
export type EngineEvent =
  | { kind: 'process_status_changed'; status: ProcessStatus }
  | { kind: 'process_updated' }
  | {
      kind: 'node_status_changed';
      nodeRunId: string;
      nodeDefId: string;
      nodeKind: RunKind;
      status: NodeStatus;
    }
  | {
      kind: 'task_status_changed';
      taskId: string;
      nodeRunId: string;
      nodeDefId: string;
      taskType: TaskType;
      status: TaskStatus;
    }
  | { kind: 'cc_created'; ccId: string; recipientId: string }
  | { kind: 'comment_added'; commentId: string }
  | InternalEvent;

/**
 * Events for this server's own consumers (notifications), never sent to apps: the vendor has no
 * event for them. `isWireEvent` tells the two apart.
 */
export type InternalEvent =
  /** A node timer fired for a task: a reminder, an escalation, or an automatic decision. */
  | {
      kind: 'timer_fired';
      taskId: string;
      assigneeId: string;
      timer: 'remind' | 'escalate' | 'auto';
      seq: number;
      action?: string;
      /** escalate: the manager told or added. */
      managerId?: string;
    }
  /** The initiator urged (催办) the people who have the process's open tasks. */
  | { kind: 'urged'; byId: string; assigneeIds: string[] };

/** The events apps receive (docs/events.md). */
export type WireEvent = Exclude<EngineEvent, InternalEvent>;

const INTERNAL_EVENT_KINDS: ReadonlySet<string> = new Set(['timer_fired', 'urged']);
export const isWireEvent = (event: EngineEvent): event is WireEvent => !INTERNAL_EVENT_KINDS.has(event.kind);

export const OPEN_TASK_STATUSES: readonly TaskStatus[] = ['in_progress', 'not_started'];
export const FINISHED_PROCESS_STATUSES: readonly ProcessStatus[] = [
  'rejected',
  'withdrawn',
  'revoked',
  'completed',
];

export const isOpenTask = (task: Task): boolean => OPEN_TASK_STATUSES.includes(task.status);
