import { processDetail, type TaskLine } from '../../engine/detail.js';
import type { FlowDefinition } from '../../engine/definition.js';
import { bizTypeOf } from '../../engine/biz-types.js';
import type { FormValues } from '../../engine/form.js';
import type { ProcessState } from '../../engine/process.js';
import { SYSTEM_STEP_NAMES, type SystemStep } from '../../services/process.service.js';
import type { Identity } from './identity.js';
import { filesInValues, peopleInValues, toVariableValue } from './values.js';
import {
  PROCESS_PROPERTIES_NORMAL,
  PROCESS_STATUS_CODE,
  TASK_STATUS_CODE,
  TODO_TYPE_CODE,
} from './wire-enums.js';

/** A system step's `type` in system_todos / system_done_list: node type 7, "system". */
const SYSTEM_STEP_TYPE = 7;
/** done → 3 (approved), failed → 12, cancelled → 4: the task status codes. */
const SYSTEM_STEP_STATUS_CODE = { done: 3, failed: 12, cancelled: 4 } as const;
const SYSTEM_OPERATOR = { zh_cn: '系统', en_us: 'System' };

const ms = (n: number | undefined) => (n === undefined ? undefined : String(n));

/** Links into PeopleFlow's approval center for a process (the UI serves them). */
export function processLinks(baseUrl: string, processId: string) {
  const url = `${baseUrl}/approval-center/processes/${processId}`;
  return { web_link: url, pc_link: url, mobile_link: url };
}

/** `GET /open-apis/corehr/v2/processes/:process_id` — every field of the SDK's `process.get` data. */
export async function processJson(
  definition: FlowDefinition,
  state: ProcessState,
  identity: Identity,
  baseUrl: string,
  systemSteps: readonly SystemStep[] = [],
) {
  const detail = processDetail(definition, state, identity.directory);
  await identity.prepare([
    state.initiatorId,
    ...state.tasks.map((t) => t.assigneeId),
    ...state.tasks.flatMap((t) => (t.onBehalfOf !== undefined ? [t.onBehalfOf] : [])),
    ...state.ccs.map((c) => c.recipientId),
    ...state.comments.flatMap((c) => [c.authorId, ...c.mentionIds]),
  ]);
  const links = processLinks(baseUrl, state.id);
  // A delegate's decision names whom it was for, in front of the opinion as the vendor's own
  // approvals word it: "（代 李四 审批）同意".
  const opinionOf = (l: TaskLine) => {
    if (l.onBehalfOf === undefined) return l.opinion ?? '';
    const verb = l.type === 'form_fill' ? '提交' : '审批';
    return `（代 ${identity.name(l.onBehalfOf).zh_cn} ${verb}）${l.opinion ?? ''}`;
  };
  const todo = (l: TaskLine) => ({
    approver_id: l.taskId,
    type: TODO_TYPE_CODE[l.type],
    links,
    operator_id: identity.userId(l.assigneeId),
    operator_name: identity.name(l.assigneeId),
    node_name: l.nodeName,
    create_time: ms(l.createdAt),
    node_definition_id: l.nodeDefId,
  });
  const done = (l: TaskLine) => ({
    ...todo(l),
    status: TASK_STATUS_CODE[l.status],
    complete_time: ms(l.completedAt),
    approval_opinion: opinionOf(l),
  });
  const systemLine = (l: TaskLine) => {
    const { operator_id: _operatorId, ...rest } = done(l);
    return rest;
  };
  // The business action, its compensation and the HTTP action: system steps (node type 7) with the
  // job's id as their approver_id, waiting in system_todos, then in system_done_list.
  const stepLine = (step: SystemStep) => ({
    approver_id: step.jobId,
    type: SYSTEM_STEP_TYPE,
    links,
    operator_name: SYSTEM_OPERATOR,
    node_name: SYSTEM_STEP_NAMES[step.kind],
    create_time: String(step.createdAt),
    node_definition_id: `system_${step.kind}`,
  });
  const stepOpen = (step: SystemStep) => step.status === 'pending' || step.status === 'running';
  const biz = bizTypeOf(state.bizType);
  return {
    process_id: state.id,
    status: PROCESS_STATUS_CODE[state.status],
    flow_template_id: state.bizType,
    flow_template_name: biz
      ? { zh_cn: biz.name, en_us: biz.apiName }
      : { zh_cn: state.bizType, en_us: state.bizType },
    flow_definition_id: state.definitionId,
    flow_definition_name: definition.name,
    initiator_id: identity.userId(state.initiatorId),
    initiator_name: identity.name(state.initiatorId),
    create_time: ms(state.createdAt),
    complete_time: ms(state.completedAt) ?? '',
    start_links: links,
    abstracts: detail.abstracts,
    todos: detail.todos.map(todo),
    cc_list: detail.ccList.map((c) => ({
      approver_id: c.ccId,
      links,
      operator_id: identity.userId(c.recipientId),
      operator_name: identity.name(c.recipientId),
      node_name: c.nodeName,
      create_time: ms(c.createdAt),
      node_definition_id: c.nodeDefId,
    })),
    done_list: detail.doneList.map(done),
    properties: PROCESS_PROPERTIES_NORMAL,
    system_todos: [
      ...detail.systemTodos.map((l) => {
        const { operator_id: _operatorId, ...rest } = todo(l);
        return rest;
      }),
      ...systemSteps.filter(stepOpen).map(stepLine),
    ],
    system_done_list: [
      ...detail.systemDoneList.map(systemLine),
      ...systemSteps
        .filter((step) => !stepOpen(step))
        .map((step) => ({
          ...stepLine(step),
          status: SYSTEM_STEP_STATUS_CODE[step.status as 'done' | 'failed' | 'cancelled'],
          complete_time: String(step.updatedAt),
          approval_opinion: step.status === 'failed' ? (step.error ?? '').slice(0, 500) : '',
        })),
    ],
    comment_infos: state.comments.map((c) => ({
      commentor_id: identity.userId(c.authorId),
      commentor_name: identity.name(c.authorId),
      comment_time: ms(c.createdAt),
      comment_msg: c.text,
      at_user_ids: c.mentionIds.map((id) => identity.userId(id)),
      // Images are counted apart from other files, as the vendor does; comments before attachments have none.
      file_count: (c.files ?? []).filter((f) => !f.contentType.startsWith('image/')).length,
      image_count: (c.files ?? []).filter((f) => f.contentType.startsWith('image/')).length,
      comment_id: c.id,
    })),
    process_name: definition.name,
  };
}

/** `field_variable_values` of the form, in form order, only the fields that hold a value. */
export async function formVariableValues(definition: FlowDefinition, values: FormValues, identity: Identity) {
  await identity.prepare(peopleInValues(definition.form, values));
  await identity.prepareFiles(filesInValues(definition.form, values));
  return definition.form
    .filter((f) => values[f.apiName] !== undefined)
    .map((f) => {
      const value = values[f.apiName];
      const rendered = value === undefined ? { variable_value: {} } : toVariableValue(f, value, identity);
      return { variable_api_name: f.apiName, variable_name: f.label, ...rendered };
    });
}

/** Process fields offered by flow_variable_data next to the form's (ours: the vendor leaves them open). */
export const PROCESS_VARIABLES = [
  'process_id',
  'initiator_id',
  'flow_definition_id',
  'process_biz_type',
  'process_status',
  'process_start_time',
  'process_complete_time',
] as const;

export async function processVariableValues(state: ProcessState, identity: Identity) {
  await identity.prepare([state.initiatorId]);
  const text = (zh: string, en: string) => ({ zh_cn: zh, en_us: en });
  const all = [
    {
      variable_api_name: 'process_id',
      variable_name: text('流程实例 ID', 'Process id'),
      variable_value: { text_value: state.id },
    },
    {
      variable_api_name: 'initiator_id',
      variable_name: text('发起人', 'Initiator'),
      variable_value: { user_value: identity.userId(state.initiatorId) },
    },
    {
      variable_api_name: 'flow_definition_id',
      variable_name: text('流程定义 ID', 'Flow definition id'),
      variable_value: { text_value: state.definitionId },
    },
    {
      variable_api_name: 'process_biz_type',
      variable_name: text('业务类型', 'Business type'),
      variable_value: { text_value: state.bizType },
    },
    {
      variable_api_name: 'process_status',
      variable_name: text('流程状态', 'Process status'),
      variable_value: { number_value: String(PROCESS_STATUS_CODE[state.status]) },
    },
    {
      variable_api_name: 'process_start_time',
      variable_name: text('发起时间', 'Start time'),
      variable_value: { date_time_value: String(state.createdAt) },
    },
  ];
  if (state.completedAt !== undefined) {
    all.push({
      variable_api_name: 'process_complete_time',
      variable_name: text('完成时间', 'Completion time'),
      variable_value: { date_time_value: String(state.completedAt) },
    });
  }
  return all;
}
