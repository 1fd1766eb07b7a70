import type { DirectorySnapshot } from '../engine/approver-resolution.js';
import type { PreviewStep } from '../engine/preview.js';
import type { CommentFile } from '../engine/process.js';
import { returnTargets, upcomingSteps } from '../engine/task-options.js';
import type { Command } from '../engine/transitions.js';
import { canSeeProcess } from '../engine/visibility.js';
import { taskReasons, type TaskReason } from '../engine/why.js';
import type { Clock } from '../platform/clock.js';
import type { FileLookup } from './ports.js';
import { peopleToEngineValues } from './people-values.js';
import type { ProcessService, ProcessView, SystemStep } from './process.service.js';
import { fail, invalidField, ok, type Failure, type FieldViolation, type Result } from './result.js';
import type { PersonSession } from './session.service.js';

/** A process as one person sees it: the state, plus what the engine says about it for them. */
export interface PersonProcessView extends ProcessView {
  viewerId: string;
  /** Why each task went to its assignee, by task id. */
  reasons: Map<string, TaskReason>;
  /** Return targets of the viewer's open tasks, by task id. */
  returnTargets: Map<string, string[]>;
  /** The path still ahead (empty once the process has finished). */
  upcoming: PreviewStep[];
  /** Business action, compensation, HTTP action: the system steps (node type 7) after completion. */
  systemSteps: SystemStep[];
}

/** What a person asks to do, in the people API's terms (user_ids, people-shaped values). */
export type PersonAction =
  | {
      kind: 'approve';
      taskId: string;
      opinion?: string | undefined;
      fieldValues?: Record<string, unknown> | undefined;
    }
  | { kind: 'reject'; taskId: string; opinion: string }
  | { kind: 'transfer'; taskId: string; toUserId: string; remark?: string | undefined }
  | {
      kind: 'add_sign';
      taskId: string;
      position: 'pre' | 'parallel' | 'post';
      mode: 'or' | 'and';
      userIds: string[];
      remark?: string | undefined;
    }
  | { kind: 'return'; taskId: string; targetNodeId: string; reason?: string | undefined }
  | { kind: 'withdraw'; reason?: string | undefined }
  | { kind: 'revoke'; reason?: string | undefined }
  | { kind: 'urge'; reason?: string | undefined }
  | {
      kind: 'comment';
      text: string;
      mentionUserIds: string[];
      fileIds: string[];
      clientToken?: string | undefined;
    };

export const COMMENT_MAX_CHARS = 2000;
export const COMMENT_MAX_FILES = 20;
export const COMMENT_MAX_MENTIONS = 50;

/** Engine field names are the Open API's; the people API names the fields of its own requests. */
const PEOPLE_FIELD: Record<string, string> = {
  extra_user_ids: 'user_ids',
  approval_type: 'mode',
  approver_id: 'task_id',
  approver_ids: 'task_id',
  node_id: 'task_id',
  text: 'text',
};

const notVisible = (processId: string): Result<never> =>
  fail('process_not_found', `process ${processId} not found`);

/**
 * The people API's use cases on one process: the signed-in person is the operator of every command
 * (never the system), and a person who may not see the process is told it does not exist. Each
 * command runs through ProcessService.execute, so it gets the same transaction, outbox and race
 * handling as the Open API: the loser of a race, or a second click, meets the engine's conflict.
 */
export class PersonCommands {
  constructor(
    private readonly processes: ProcessService,
    private readonly clock: Clock,
    private readonly files?: FileLookup,
  ) {}

  async view(session: PersonSession, processId: string): Promise<Result<PersonProcessView>> {
    const found = await this.processes.get(session.tenant.id, processId);
    if (!found.ok) return notVisible(processId);
    const { definition, state, directory } = found.value;
    const viewerId = session.employee.id;
    if (!canSeeProcess(definition, state, viewerId)) return notVisible(processId);
    const targets = new Map<string, string[]>();
    for (const task of state.tasks)
      if (task.assigneeId === viewerId && task.status === 'in_progress')
        targets.set(task.id, returnTargets(definition, state, task));
    // The preview runs no command: the context's clock and ids are never used to change anything.
    const ctx = { now: this.clock.now(), newId: () => '', directory };
    return ok({
      ...found.value,
      viewerId,
      reasons: taskReasons(definition, state, directory),
      returnTargets: targets,
      upcoming: upcomingSteps(definition, state, ctx),
      systemSteps: await this.processes.systemSteps(session.tenant.id, state),
    });
  }

  /** Runs one action as the person; the process as they now see it, or why not. */
  async act(
    session: PersonSession,
    processId: string,
    action: PersonAction,
  ): Promise<Result<PersonProcessView>> {
    const seen = await this.processes.get(session.tenant.id, processId);
    if (!seen.ok || !canSeeProcess(seen.value.definition, seen.value.state, session.employee.id))
      return notVisible(processId);
    const command = await this.commandOf(session, seen.value, action);
    if (!command.ok) return command;
    const result = await this.processes.execute(session.tenant.id, processId, command.value);
    if (!result.ok) return { ok: false, error: peopleFailure(result.error, action.kind) };
    return this.view(session, processId);
  }

  private async commandOf(
    session: PersonSession,
    { definition, directory }: ProcessView,
    action: PersonAction,
  ): Promise<Result<Command>> {
    const operator = { operatorId: session.employee.id, system: false };
    switch (action.kind) {
      case 'approve': {
        let fieldValues: Record<string, unknown> | undefined;
        if (action.fieldValues && Object.keys(action.fieldValues).length > 0) {
          const converted = await peopleToEngineValues(
            definition.form,
            action.fieldValues,
            { directory, files: this.files, tenantId: session.tenant.id, uploaderId: session.employee.id },
            'field_values.',
          );
          if (converted.violations.length > 0)
            return fail('form_invalid', 'field_values invalid', converted.violations);
          fieldValues = converted.values;
        }
        return ok({
          kind: 'approve',
          taskId: action.taskId,
          reason: action.opinion,
          fieldValues,
          ...operator,
        });
      }
      case 'reject':
        if (action.opinion.trim() === '') return invalidField('opinion', 'a rejection needs an opinion');
        return ok({ kind: 'reject', taskId: action.taskId, reason: action.opinion, ...operator });
      case 'transfer': {
        const to = person(directory, action.toUserId, 'to_user_id');
        if (!to.ok) return to;
        return ok({
          kind: 'transfer',
          taskIds: [action.taskId],
          toUserId: to.value,
          remark: action.remark,
          ...operator,
        });
      }
      case 'add_sign': {
        const ids: string[] = [];
        for (const [i, userId] of action.userIds.entries()) {
          const found = person(directory, userId, `user_ids[${i}]`);
          if (!found.ok) return found;
          ids.push(found.value);
        }
        if (action.position === 'parallel' && action.mode !== 'and')
          return invalidField('mode', 'a parallel add-sign is a countersign: mode must be "and"');
        return ok({
          kind: 'add_sign',
          taskId: action.taskId,
          extraType: action.position,
          approvalMode: action.mode,
          userIds: ids,
          remark: action.remark,
          ...operator,
        });
      }
      case 'return':
        return ok({
          kind: 'return',
          taskId: action.taskId,
          targetNodeDefId: action.targetNodeId,
          reason: action.reason,
          ...operator,
        });
      case 'withdraw':
      case 'revoke':
      case 'urge':
        return ok({ kind: action.kind, reason: action.reason, ...operator });
      case 'comment':
        return this.commentOf(session, directory, action);
    }
  }

  private async commentOf(
    session: PersonSession,
    directory: DirectorySnapshot,
    action: Extract<PersonAction, { kind: 'comment' }>,
  ): Promise<Result<Command>> {
    const problems: FieldViolation[] = [];
    const text = action.text.trim();
    if (text === '' || text.length > COMMENT_MAX_CHARS)
      problems.push({ field: 'text', description: `must be 1 to ${COMMENT_MAX_CHARS} characters` });
    const mentionIds: string[] = [];
    action.mentionUserIds.forEach((userId, i) => {
      const found = person(directory, userId, `mention_user_ids[${i}]`);
      if (found.ok) mentionIds.push(found.value);
      else problems.push(...(found.error.violations ?? []));
    });
    const files: CommentFile[] = [];
    const fileIds = [...new Set(action.fileIds)];
    if (fileIds.length > 0) {
      if (!this.files) {
        problems.push({ field: 'file_ids', description: 'attachments are not available on this server' });
      } else {
        const known = await this.files.describe(session.tenant.id, fileIds);
        fileIds.forEach((id) => {
          const meta = known.get(id);
          // Only one's own uploads: attaching a file shows it to everyone who sees the process.
          if (!meta || meta.uploaderId !== session.employee.id)
            problems.push({
              field: `file_ids[${action.fileIds.indexOf(id)}]`,
              description: 'no such file uploaded by you',
            });
          else
            files.push({
              fileId: meta.fileId,
              name: meta.name,
              size: meta.size,
              contentType: meta.contentType,
            });
        });
      }
    }
    if (problems.length > 0)
      return fail('invalid_field', problems.map((p) => `${p.field}: ${p.description}`).join('; '), problems);
    return ok({
      kind: 'comment',
      authorId: session.employee.id,
      text,
      mentionIds,
      files,
      clientToken: action.clientToken,
    });
  }
}

/** An active person of the tenant by user_id, or a violation naming `field`. */
function person(directory: DirectorySnapshot, userId: string, field: string): Result<string> {
  for (const employee of directory.employees.values())
    if (employee.userId === userId && employee.employmentStatus === 'active') return ok(employee.id);
  return invalidField(field, 'no active person with this user_id');
}

/** Engine failures name the Open API's request fields; rename them to the people API's. */
function peopleFailure(error: Failure, action: PersonAction['kind']): Failure {
  if (!error.violations) return error;
  // The engine names a node's form problems by form field; they came in `field_values`.
  const rename = (field: string) =>
    action === 'approve' && error.kind === 'form_invalid'
      ? field.startsWith('field_values.')
        ? field
        : `field_values.${field}`
      : (PEOPLE_FIELD[field] ?? field);
  return { ...error, violations: error.violations.map((v) => ({ ...v, field: rename(v.field) })) };
}
