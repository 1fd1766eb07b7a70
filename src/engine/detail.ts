import type { DirectorySnapshot } from './approver-resolution.js';
import type { I18nText } from './directory.js';
import type { FlowDefinition } from './definition.js';
import type { FieldValue, FormField } from './form.js';
import { REVOKE_NODE_ID } from './machine.js';
import type { ProcessState, Task, TaskStatus, TaskType } from './process.js';

/** One line of a process's to-do or done list, in engine terms (the Open API renders ids and numbers). */
export interface TaskLine {
  taskId: string;
  type: TaskType;
  status: TaskStatus;
  assigneeId: string;
  nodeDefId: string;
  nodeName: I18nText;
  createdAt: number;
  completedAt?: number;
  opinion?: string;
  /** The person the task was meant for, when their out-of-office delegate has it. */
  onBehalfOf?: string;
}

export interface ProcessDetail {
  todos: TaskLine[];
  doneList: TaskLine[];
  /** Waiting on the system: nothing waits on it in this engine, so always empty. */
  systemTodos: TaskLine[];
  /** Decided by the system: duplicate skips, system approvals. */
  systemDoneList: TaskLine[];
  ccList: { ccId: string; recipientId: string; nodeDefId: string; nodeName: I18nText; createdAt: number }[];
  abstracts: { name: I18nText; value: I18nText }[];
}

const MAX_ABSTRACTS = 5;

/** The detail view of a process (docs/open-api.md process detail): lists and a short summary of the form. */
export function processDetail(
  definition: FlowDefinition,
  state: ProcessState,
  directory: DirectorySnapshot,
): ProcessDetail {
  const runs = new Map(state.nodeRuns.map((r) => [r.id, r]));
  const nodeName = (defId: string): I18nText =>
    defId === REVOKE_NODE_ID
      ? { zh_cn: '撤销审批', en_us: 'Revoke approval' }
      : (definition.nodes.find((n) => n.id === defId)?.name ?? { zh_cn: defId, en_us: defId });
  const line = (task: Task): TaskLine => {
    const defId = runs.get(task.nodeRunId)?.defId ?? '';
    return {
      taskId: task.id,
      type: task.type,
      status: task.status,
      assigneeId: task.assigneeId,
      nodeDefId: defId,
      nodeName: nodeName(defId),
      createdAt: task.createdAt,
      ...(task.completedAt !== undefined ? { completedAt: task.completedAt } : {}),
      ...(task.opinion !== undefined ? { opinion: task.opinion } : {}),
      ...(task.onBehalfOf !== undefined ? { onBehalfOf: task.onBehalfOf } : {}),
    };
  };
  const decided = state.tasks.filter(
    (t) => t.status !== 'in_progress' && t.status !== 'not_started' && t.status !== 'initiated',
  );
  const bySystem = (t: Task) => t.status === 'skipped' || t.bySystem === true;
  return {
    todos: state.tasks.filter((t) => t.status === 'in_progress').map(line),
    doneList: decided.filter((t) => !bySystem(t)).map(line),
    systemTodos: [],
    systemDoneList: decided.filter(bySystem).map(line),
    ccList: state.ccs.map((c) => {
      const defId = runs.get(c.nodeRunId)?.defId ?? '';
      return {
        ccId: c.id,
        recipientId: c.recipientId,
        nodeDefId: defId,
        nodeName: nodeName(defId),
        createdAt: c.createdAt,
      };
    }),
    abstracts: definition.form
      .filter((f) => f.type !== 'record' && state.formValues[f.apiName] !== undefined)
      .slice(0, MAX_ABSTRACTS)
      .map((f) => ({ name: f.label, value: displayValue(f, state.formValues[f.apiName], directory) })),
  };
}

/** A value as a person would read it, in both languages. */
export function displayValue(
  field: FormField,
  value: FieldValue | undefined,
  directory: DirectorySnapshot,
): I18nText {
  const same = (text: string): I18nText => ({ zh_cn: text, en_us: text });
  if (value === undefined) return same('');
  switch (field.type) {
    case 'enum':
      return (
        field.options?.find((o) => o.value === value)?.label ?? same(typeof value === 'string' ? value : '')
      );
    case 'bool':
      return value === true ? { zh_cn: '是', en_us: 'Yes' } : { zh_cn: '否', en_us: 'No' };
    case 'user':
    case 'employment':
      return typeof value === 'string' ? (directory.employees.get(value)?.name ?? same(value)) : same('');
    case 'department':
      return typeof value === 'string' ? (directory.departments.get(value)?.name ?? same(value)) : same('');
    case 'i18n':
      return value as I18nText;
    case 'list':
      return same(
        Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string').join(', ') : '',
      );
    case 'file':
      return same(
        typeof value === 'object' && 'name' in value && typeof value.name === 'string' ? value.name : '',
      );
    case 'object':
      return same(
        typeof value === 'object' && 'wkId' in value && typeof value.wkId === 'string' ? value.wkId : '',
      );
    case 'text':
    case 'number':
    case 'date':
    case 'date_time':
    case 'record':
      return same(typeof value === 'string' ? value : '');
  }
}
