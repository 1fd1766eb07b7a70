import type { DirectorySnapshot } from '../../engine/approver-resolution.js';
import type { FlowDefinition, NodeDefinition } from '../../engine/definition.js';
import type { I18nText } from '../../engine/directory.js';
import type { FieldValue, FormField as EngineField, FormValues as EngineValues } from '../../engine/form.js';
import { REVOKE_NODE_ID } from '../../engine/machine.js';
import type { PreviewStep as EngineStep } from '../../engine/preview.js';
import type { AuditEntry, NodeRun, ProcessState, Task } from '../../engine/process.js';
import type { TaskReason } from '../../engine/why.js';
import { hiddenFieldsFor } from '../../engine/visibility.js';
import type { PersonProcessView } from '../../services/person-commands.js';
import { SYSTEM_STEP_NAMES, type SystemStep } from '../../services/process.service.js';
import { engineToPeopleValues, peopleFile } from '../../services/people-values.js';
import { bizTypeNames } from '../../services/flow-templates.js';
import type {
  CommentView,
  DepartmentRef,
  FileRef,
  FormField,
  FormValues,
  MyTask,
  PersonRef,
  PreviewStep,
  ProcessDetail,
  TaskView,
  TimelineEntry,
} from './contract.js';
import { summaryOf } from './approval-center-render.js';
import { iso, personRef } from './render.js';
import { fallbackReason, ruleReason } from './rule-reasons.js';

const t = (zh_cn: string, en_us: string): I18nText => ({ zh_cn, en_us });
const REVOKE_NAME = t('撤销审批', 'Revoke approval');

/** The engine's form fields in the people API's shape. */
export function formFields(fields: readonly EngineField[]): FormField[] {
  return fields.map((f) => ({
    api_name: f.apiName,
    label: f.label,
    type: f.type,
    required: f.required,
    ...(f.options ? { options: f.options.map((o) => ({ value: o.value, label: o.label })) } : {}),
    ...(f.subFields ? { sub_fields: formFields(f.subFields) } : {}),
  }));
}

function reasonText(
  reason: TaskReason | undefined,
  definition: FlowDefinition,
  directory: DirectorySnapshot,
): I18nText {
  const name = (id: string) => (id === 'system' ? t('系统', 'the system') : personRef(directory, id).name);
  switch (reason?.kind) {
    case 'initiator':
      return t('发起人', 'Started the request');
    case 'rule':
      return ruleReason(reason.rule, definition, directory);
    case 'fallback_admins':
      return t('流程管理员（未找到审批人）', 'Process admin (nobody else was found)');
    case 'revoke_admins':
      return t('流程管理员（撤销需审批）', 'Process admin (revoking needs approval)');
    case 'returned_from_delegate':
      return t(
        `外出代理结束，由代理人 ${name(reason.fromId).zh_cn} 交还`,
        `Back from your out-of-office delegate ${name(reason.fromId).en_us}`,
      );
    case 'transferred': {
      const by = name(reason.byId);
      return reason.byId === reason.fromId || reason.byId === 'system'
        ? t(`由 ${name(reason.fromId).zh_cn} 转交`, `Transferred by ${name(reason.fromId).en_us}`)
        : t(
            `由 ${by.zh_cn} 从 ${name(reason.fromId).zh_cn} 转交`,
            `Transferred from ${name(reason.fromId).en_us} by ${by.en_us}`,
          );
    }
    case 'add_sign': {
      const by = name(reason.byId);
      const where = {
        pre: t('前加签', 'before them'),
        parallel: t('并加签', 'beside them'),
        post: t('后加签', 'after them'),
      }[reason.position];
      return t(`由 ${by.zh_cn} ${where.zh_cn}`, `Added by ${by.en_us} (${where.en_us})`);
    }
    case 'assigned':
    case undefined:
      return t('节点开始时指定', 'Assigned when the step started');
  }
}

const modeOf = (node: NodeDefinition | undefined): string | undefined =>
  node?.kind === 'approval' ? node.mode.kind : undefined;

/** The preview's steps as the people API shows them (contract PreviewStep). */
export function previewSteps(
  steps: readonly EngineStep[],
  definition: FlowDefinition,
  directory: DirectorySnapshot,
): PreviewStep[] {
  const nodes = new Map(definition.nodes.map((n) => [n.id, n]));
  const admins = definition.processAdminIds.filter(
    (id) => directory.employees.get(id)?.employmentStatus === 'active',
  );
  return steps.map((s) => {
    const node = nodes.get(s.nodeId);
    const rules =
      node?.kind === 'approval'
        ? node.approvers
        : node?.kind === 'form_fill'
          ? node.assignees
          : node?.kind === 'cc'
            ? node.recipients
            : [];
    // A running process does not refuse: a node that finds nobody goes to the process admins.
    const fallback = s.refused ? 'to_admins' : s.fallback;
    const assignees = s.refused ? admins : s.assignees;
    const reasons = rules.map((r) => ruleReason(r, definition, directory));
    if (fallback) reasons.push(fallbackReason(fallback));
    const mode = modeOf(node);
    return {
      node_id: s.nodeId,
      kind: s.kind,
      name: node?.name ?? t(s.nodeId, s.nodeId),
      ...(mode ? { mode } : {}),
      assignees: assignees.map((id) => personRef(directory, id)),
      skipped: s.skipped.map((id) => directory.employees.get(id)?.userId ?? id),
      ...(fallback ? { fallback } : {}),
      reasons,
      branch: s.scope,
    };
  });
}

/** Everyone, every department and every file the form values name, for display. */
function referenced(
  fields: readonly EngineField[],
  values: EngineValues | Record<string, FieldValue>,
  directory: DirectorySnapshot,
  out: {
    people: Record<string, PersonRef>;
    departments: Record<string, DepartmentRef>;
    files: Record<string, FileRef>;
  },
): void {
  for (const field of fields) {
    const value = values[field.apiName];
    if (value === undefined) continue;
    if ((field.type === 'user' || field.type === 'employment') && typeof value === 'string') {
      const ref = personRef(directory, value);
      out.people[ref.user_id] = ref;
    } else if (field.type === 'department' && typeof value === 'string') {
      const department = directory.departments.get(value);
      if (department) {
        const parent = department.parentId ? directory.departments.get(department.parentId) : undefined;
        out.departments[department.departmentId] = {
          department_id: department.departmentId,
          name: department.name,
          ...(parent ? { parent_department_id: parent.departmentId } : {}),
        };
      }
    } else if (field.type === 'file' && typeof value === 'object' && !Array.isArray(value)) {
      const file = peopleFile(value as unknown as Record<string, unknown>);
      out.files[file.file_id] = file;
    } else if (field.type === 'record' && Array.isArray(value)) {
      for (const row of value as unknown[])
        if (typeof row === 'object' && row !== null)
          referenced(field.subFields ?? [], row as EngineValues, directory, out);
    }
  }
}

export function nodeName(definition: FlowDefinition, defId: string): I18nText {
  if (defId === REVOKE_NODE_ID) return REVOKE_NAME;
  return definition.nodes.find((n) => n.id === defId)?.name ?? t(defId, defId);
}

const GATEWAYS = new Set(['exclusive', 'parallel', 'join']);

function auditStrings(detail: Record<string, unknown> | undefined, key: string): string[] {
  const value = detail?.[key];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}
function auditString(detail: Record<string, unknown> | undefined, key: string): string | undefined {
  const value = detail?.[key];
  return typeof value === 'string' ? value : undefined;
}

/** One audit line as a timeline action: who did what, said in both languages. */
export function actionEntry(
  entry: AuditEntry,
  state: ProcessState,
  definition: FlowDefinition,
  directory: DirectorySnapshot,
): Extract<TimelineEntry, { kind: 'action' }> {
  const names = (ids: string[]) => {
    const refs = ids.map((id) => personRef(directory, id).name);
    return t(refs.map((r) => r.zh_cn).join('、'), refs.map((r) => r.en_us).join(', '));
  };
  // A console admin's command: marked, and a withdraw or revoke names the initiator it was done for.
  const onBehalf = auditString(entry.detail, 'on_behalf_of');
  const forWhom = onBehalf !== undefined ? personRef(directory, onBehalf) : undefined;
  const base = {
    kind: 'action' as const,
    actor: entry.actor === 'system' ? null : personRef(directory, entry.actor),
    at: iso(entry.at),
    ...(entry.detail?.by_admin === true ? { by_admin: true } : {}),
    ...(forWhom ? { on_behalf_of: forWhom } : {}),
  };
  const reason = auditString(entry.detail, 'reason') ?? auditString(entry.detail, 'remark');
  const withReason = reason !== undefined ? { reason } : {};
  switch (entry.action) {
    case 'start':
      return {
        ...base,
        action: 'start',
        detail:
          entry.detail?.system_initiator === true
            ? t('由集成系统代为发起', 'started on their behalf by an integration')
            : t('发起了申请', 'started the request'),
      };
    case 'approve':
      return { ...base, action: 'approve', detail: t('同意', 'approved'), ...withReason };
    case 'reject':
      return { ...base, action: 'reject', detail: t('拒绝', 'rejected'), ...withReason };
    case 'withdraw':
      return {
        ...base,
        action: 'withdraw',
        detail: forWhom
          ? t(
              `代 ${forWhom.name.zh_cn} 撤回了申请`,
              `withdrew the request on behalf of ${forWhom.name.en_us}`,
            )
          : t('撤回了申请', 'withdrew the request'),
        ...withReason,
      };
    case 'revoke':
      return {
        ...base,
        action: 'revoke',
        detail: forWhom
          ? t(`代 ${forWhom.name.zh_cn} 撤销了申请`, `revoked the request on behalf of ${forWhom.name.en_us}`)
          : t('撤销了申请', 'revoked the request'),
        ...withReason,
      };
    case 'transfer': {
      const to = auditString(entry.detail, 'to');
      const who = names(to ? [to] : []);
      // The system gives a delegate's tasks back to the person whose out-of-office delegation is over.
      const returned = auditString(entry.detail, 'out_of_office_return');
      return {
        ...base,
        action: 'transfer',
        detail: returned
          ? returned === 'cancelled'
            ? t(
                `外出代理已取消，任务交还给 ${who.zh_cn}`,
                `returned to ${who.en_us}: their out-of-office delegation was cancelled`,
              )
            : t(
                `外出代理结束，任务交还给 ${who.zh_cn}`,
                `returned to ${who.en_us}: their out-of-office delegation ended`,
              )
          : forWhom
            ? t(
                `代 ${forWhom.name.zh_cn} 转交给 ${who.zh_cn}（外出代理）`,
                `transferred to ${who.en_us} on behalf of ${forWhom.name.en_us} (out of office)`,
              )
            : t(`转交给 ${who.zh_cn}`, `transferred to ${who.en_us}`),
        ...withReason,
      };
    }
    case 'add_sign': {
      const users = auditStrings(entry.detail, 'users');
      const type = auditString(entry.detail, 'type') ?? 'post';
      // The audit line does not keep the mode; the group the add-sign made does.
      const task = state.tasks.find((x) => x.createdAt === entry.at && users.includes(x.assigneeId));
      const group = task
        ? state.nodeRuns.find((r) => r.id === task.nodeRunId)?.groups.find((g) => g.id === task.groupId)
        : undefined;
      const mode = group?.mode.kind === 'and' ? t('会签', 'countersign') : t('或签', 'or-sign');
      const where =
        type === 'pre'
          ? t('前加签', 'before themselves')
          : type === 'parallel'
            ? t('并加签', 'beside themselves')
            : t('后加签', 'after themselves');
      const who = names(users);
      return {
        ...base,
        action: 'add_sign',
        detail: t(
          `${where.zh_cn} ${who.zh_cn}（${mode.zh_cn}）`,
          `added ${who.en_us} ${where.en_us}, ${mode.en_us}`,
        ),
        ...withReason,
      };
    }
    case 'return': {
      const target = nodeName(definition, auditString(entry.detail, 'to') ?? '');
      return {
        ...base,
        action: 'return',
        detail: t(`退回到「${target.zh_cn}」`, `returned to “${target.en_us}”`),
        ...withReason,
      };
    }
    case 'comment': {
      const commentId = auditString(entry.detail, 'comment');
      return {
        ...base,
        action: 'comment',
        detail: t('发表了评论', 'commented'),
        ...(commentId !== undefined ? { comment_id: commentId } : {}),
      };
    }
    case 'auto_pass': {
      const node = nodeName(definition, auditString(entry.detail, 'node') ?? '');
      return {
        ...base,
        action: 'system',
        detail: t(
          `「${node.zh_cn}」未找到审批人，自动通过`,
          `“${node.en_us}” passed automatically: nobody to approve`,
        ),
      };
    }
    case 'leave_balance_warning': {
      // Started over the balance of a leave type that warns (docs/leave.md "At start").
      const type = auditString(entry.detail, 'leave_type') ?? '';
      const days = auditString(entry.detail, 'days') ?? '';
      const available = auditString(entry.detail, 'available') ?? '';
      return {
        ...base,
        action: 'system',
        detail: t(
          `超出假期余额：申请 ${days} 天 ${type}，可用 ${available} 天`,
          `over the leave balance: ${days} days of ${type} asked, ${available} available`,
        ),
      };
    }
    case 'compensation_due':
      return {
        ...base,
        action: 'system',
        detail: t('业务类型的补偿动作待执行', "the business type's compensating action is due"),
      };
    default:
      return { ...base, action: entry.actor === 'system' ? 'system' : entry.action, ...withReason };
  }
}

/** A delegate's task: whom it is for, then why it was theirs. */
function onBehalfText(task: Task, directory: DirectorySnapshot, why: I18nText): I18nText {
  if (task.onBehalfOf === undefined) return why;
  const name = personRef(directory, task.onBehalfOf).name;
  return t(`代 ${name.zh_cn}（${why.zh_cn}）`, `On behalf of ${name.en_us} (${why.en_us})`);
}

export function taskView(task: Task, run: NodeRun, view: PersonProcessView): TaskView {
  const { definition, directory } = view;
  const group = run.groups.find((g) => g.id === task.groupId);
  return {
    task_id: task.id,
    assignee: personRef(directory, task.assigneeId),
    status: task.status,
    type: task.type,
    created_at: iso(task.createdAt),
    ...(task.completedAt !== undefined ? { completed_at: iso(task.completedAt) } : {}),
    ...(task.opinion !== undefined ? { opinion: task.opinion } : {}),
    by_system: task.bySystem === true || task.status === 'skipped',
    ...(task.transferredTo !== undefined ? { transferred_to: personRef(directory, task.transferredTo) } : {}),
    ...(task.onBehalfOf !== undefined ? { on_behalf_of: personRef(directory, task.onBehalfOf) } : {}),
    origin: group?.origin ?? 'node',
    why: onBehalfText(task, directory, reasonText(view.reasons.get(task.id), definition, directory)),
  };
}

/** A system step as the timeline shows it; its error only to the flow's process admins. */
function systemStepEntry(step: SystemStep, view: PersonProcessView): TimelineEntry {
  const finished = step.status === 'done' || step.status === 'failed' || step.status === 'cancelled';
  const admin = view.definition.processAdminIds.includes(view.viewerId);
  return {
    kind: 'system_step',
    node_type: 7,
    job_id: step.jobId,
    step: step.kind,
    name: SYSTEM_STEP_NAMES[step.kind],
    status: step.status,
    started_at: iso(step.createdAt),
    ...(step.status === 'pending' && step.dueAt > step.createdAt ? { due_at: iso(step.dueAt) } : {}),
    ...(finished ? { ended_at: iso(step.updatedAt) } : {}),
    attempts: step.attempts,
    ...(admin && step.error !== undefined ? { error: step.error } : {}),
  };
}

/** Node runs (gateways left out) and audit lines, in time order; at the same instant the action first. */
function timeline(view: PersonProcessView): TimelineEntry[] {
  const { state, definition, directory } = view;
  const tasksByRun = new Map<string, Task[]>();
  for (const task of state.tasks)
    tasksByRun.set(task.nodeRunId, [...(tasksByRun.get(task.nodeRunId) ?? []), task]);
  const nodes = new Map(definition.nodes.map((n) => [n.id, n]));
  const items: { at: number; rank: number; seq: number; entry: TimelineEntry }[] = [];
  state.audit.forEach((entry, seq) => {
    items.push({ at: entry.at, rank: 0, seq, entry: actionEntry(entry, state, definition, directory) });
  });
  state.nodeRuns.forEach((run, seq) => {
    if (GATEWAYS.has(run.kind)) return;
    const mode = modeOf(nodes.get(run.defId)) ?? (run.kind === 'revoke_approval' ? 'or' : undefined);
    items.push({
      at: run.startedAt,
      rank: 1,
      seq,
      entry: {
        kind: 'node',
        node_run_id: run.id,
        node_id: run.defId,
        node_kind: run.kind,
        name: nodeName(definition, run.defId),
        status: run.status,
        ...(mode ? { mode } : {}),
        started_at: iso(run.startedAt),
        ...(run.endedAt !== undefined ? { ended_at: iso(run.endedAt) } : {}),
        auto_passed: run.autoPassed === true,
        tasks: (tasksByRun.get(run.id) ?? []).map((task) => taskView(task, run, view)),
        cc: state.ccs.filter((c) => c.nodeRunId === run.id).map((c) => personRef(directory, c.recipientId)),
      },
    });
  });
  view.systemSteps.forEach((step, seq) => {
    items.push({ at: step.createdAt, rank: 2, seq, entry: systemStepEntry(step, view) });
  });
  items.sort((a, b) => a.at - b.at || a.rank - b.rank || a.seq - b.seq);
  return items.map((i) => i.entry);
}

function myTasks(view: PersonProcessView): MyTask[] {
  const { state, definition } = view;
  const runs = new Map(state.nodeRuns.map((r) => [r.id, r]));
  const nodes = new Map(definition.nodes.map((n) => [n.id, n]));
  return state.tasks
    .filter((task) => task.assigneeId === view.viewerId && task.status === 'in_progress')
    .map((task) => {
      const run = runs.get(task.nodeRunId);
      const node = run ? nodes.get(run.defId) : undefined;
      const fields = node?.kind === 'approval' || node?.kind === 'form_fill' ? node : undefined;
      const targets = view.returnTargets.get(task.id) ?? [];
      const running = state.status === 'in_progress';
      const ordinary = run?.kind !== 'revoke_approval';
      return {
        task_id: task.id,
        node_id: run?.defId ?? '',
        node_name: nodeName(definition, run?.defId ?? ''),
        type: task.type,
        editable_fields: fields?.editableFields ?? [],
        required_fields: fields?.requiredFields ?? [],
        can: {
          approve: true,
          // A form-fill task is submitted, not decided; the engine's rules for the rest (engine.md).
          reject: task.type === 'approval',
          transfer: true,
          add_sign: running && ordinary && task.type === 'approval',
          return: running && ordinary && targets.length > 0,
        },
        return_targets: targets.map((id) => ({ node_id: id, name: nodeName(definition, id) })),
      };
    });
}

function comments(state: ProcessState, directory: DirectorySnapshot): CommentView[] {
  return state.comments.map((c) => ({
    comment_id: c.id,
    author: personRef(directory, c.authorId),
    text: c.text,
    mentions: c.mentionIds.map((id) => personRef(directory, id)),
    files: (c.files ?? []).map((f) => ({
      file_id: f.fileId,
      name: f.name,
      size: f.size,
      content_type: f.contentType,
    })),
    created_at: iso(c.createdAt),
  }));
}

/**
 * The view without the form fields the viewer must not see: those hidden at the nodes they act at
 * (engine/visibility.ts hiddenFieldsFor). Tasks, timeline and path are unchanged.
 */
function visibleTo(view: PersonProcessView): PersonProcessView {
  const hidden = hiddenFieldsFor(view.definition, view.state, view.viewerId);
  if (hidden.size === 0) return view;
  const formValues: ProcessState['formValues'] = {};
  for (const [name, value] of Object.entries(view.state.formValues))
    if (!hidden.has(name)) formValues[name] = value;
  return {
    ...view,
    definition: { ...view.definition, form: view.definition.form.filter((f) => !hidden.has(f.apiName)) },
    state: { ...view.state, formValues },
  };
}

/** GET /api/v1/processes/:process_id — the process as the signed-in person sees it. */
export function processDetailJson(view: PersonProcessView): ProcessDetail {
  const { state, definition, directory } = visibleTo(view);
  const out: {
    people: Record<string, PersonRef>;
    departments: Record<string, DepartmentRef>;
    files: Record<string, FileRef>;
  } = { people: {}, departments: {}, files: {} };
  referenced(definition.form, state.formValues, directory, out);
  for (const c of state.comments)
    for (const f of c.files ?? [])
      out.files[f.fileId] = { file_id: f.fileId, name: f.name, size: f.size, content_type: f.contentType };
  return {
    process_id: state.id,
    flow: { flow_id: state.definitionId, name: definition.name, version: state.definitionVersion },
    biz_type_name: bizTypeNames(state.bizType, definition.name),
    status: state.status,
    initiator: personRef(directory, state.initiatorId),
    started_at: iso(state.createdAt),
    updated_at: iso(state.updatedAt),
    ...(state.completedAt !== undefined ? { completed_at: iso(state.completedAt) } : {}),
    // The fields hidden from this person are out of `definition` and `state` already (visibleTo).
    summary: summaryOf(definition, state, directory, undefined, 5),
    form: formFields(definition.form),
    form_values: engineToPeopleValues(definition.form, state.formValues, directory) as FormValues,
    ...out,
    my_tasks: myTasks(view),
    can: {
      withdraw: state.status === 'in_progress' && state.initiatorId === view.viewerId,
      revoke: state.status === 'completed' && definition.processAdminIds.includes(view.viewerId),
      comment: true,
    },
    timeline: timeline(view),
    upcoming: previewSteps(view.upcoming, definition, directory),
    comments: comments(state, directory),
  };
}
