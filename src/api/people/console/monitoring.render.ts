import type { DirectorySnapshot } from '../../../engine/approver-resolution.js';
import type { I18nText } from '../../../engine/directory.js';
import type { MonitorEntry } from '../../../services/monitoring.service.js';
import type { PersonProcessView } from '../../../services/person-commands.js';
import type { AdminProcessDetail, AdminTask, MonitoredProcess } from '../contract.js';
import { bizTypeNames } from '../../../services/flow-templates.js';
import { actionEntry, nodeName, processDetailJson, taskView } from '../process.render.js';
import { iso, personRef } from '../render.js';

/** Nodes with open tasks now and who holds them, in the order the nodes started. */
function currentNodes({ state, definition }: MonitorEntry, directory: DirectorySnapshot) {
  const out: MonitoredProcess['current_nodes'] = [];
  for (const run of state.nodeRuns) {
    if (run.status !== 'in_progress') continue;
    const holders = state.tasks.filter((t) => t.nodeRunId === run.id && t.status === 'in_progress');
    if (holders.length === 0) continue;
    out.push({
      node_id: run.defId,
      name: nodeName(definition, run.defId),
      assignees: holders.map((t) => personRef(directory, t.assigneeId)),
    });
  }
  return out;
}

/** When the oldest open task of a running process was assigned. */
function waitingSince({ state }: MonitorEntry): number | undefined {
  if (state.status !== 'in_progress' && state.status !== 'revoking') return undefined;
  const open = state.tasks.filter((t) => t.status === 'in_progress').map((t) => t.createdAt);
  return open.length > 0 ? Math.min(...open) : undefined;
}

/** One row of the console's process search. */
export function monitoredProcess(entry: MonitorEntry, directory: DirectorySnapshot): MonitoredProcess {
  const { state, definition } = entry;
  const waiting = waitingSince(entry);
  return {
    process_id: state.id,
    flow: { flow_id: state.definitionId, name: definition.name, version: state.definitionVersion },
    biz_type_name: bizTypeNames(state.bizType, definition.name),
    initiator: personRef(directory, state.initiatorId),
    status: state.status,
    current_nodes: currentNodes(entry, directory),
    started_at: iso(state.createdAt),
    updated_at: iso(state.updatedAt),
    ...(state.completedAt !== undefined ? { completed_at: iso(state.completedAt) } : {}),
    ...(waiting !== undefined ? { waiting_since: iso(waiting) } : {}),
  };
}

/** GET /api/v1/admin/processes/:process_id — everything a process admin needs about one process. */
export function adminProcessJson(view: PersonProcessView): AdminProcessDetail {
  const { state, definition, directory } = view;
  const { my_tasks: _mine, can: _personal, ...detail } = processDetailJson(view);
  const runs = new Map(state.nodeRuns.map((r) => [r.id, r]));
  const tasks: AdminTask[] = [];
  for (const task of state.tasks) {
    const run = runs.get(task.nodeRunId);
    if (!run || task.status === 'initiated') continue;
    tasks.push({
      ...taskView(task, run, view),
      node_id: run.defId,
      node_name: nodeName(definition, run.defId),
      return_targets: (view.returnTargets.get(task.id) ?? []).map((id) => ({
        node_id: id,
        name: nodeName(definition, id),
      })),
    });
  }
  const open = tasks.filter((t) => t.status === 'in_progress');
  const running = state.status === 'in_progress';
  return {
    ...detail,
    tasks,
    audit: state.audit.map((entry) => actionEntry(entry, state, definition, directory)),
    can: {
      reassign: (running || state.status === 'revoking') && open.length > 0,
      return: running && open.some((t) => t.return_targets.length > 0),
      withdraw: running,
      revoke: state.status === 'completed',
    },
  };
}

/** The CSV export's columns, in the admin's language. */
export const CSV_HEADER: Record<'en' | 'zh-CN', string[]> = {
  en: [
    'process_id',
    'flow',
    'version',
    'status',
    'initiator_user_id',
    'initiator',
    'department',
    'current_nodes',
    'assignees',
    'started_at',
    'waiting_since',
    'completed_at',
  ],
  'zh-CN': [
    '流程实例 ID',
    '流程',
    '版本',
    '状态',
    '发起人 user_id',
    '发起人',
    '部门',
    '当前节点',
    '处理人',
    '发起时间',
    '等待起始',
    '结束时间',
  ],
};

/** A cell a spreadsheet would run as a formula gets a leading apostrophe (CSV injection). */
export function safeCell(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** One CSV row for a search result, every cell formula-safe. */
export function csvRow(row: MonitoredProcess, language: 'en' | 'zh-CN'): string[] {
  const text = (i: I18nText) => (language === 'en' ? i.en_us : i.zh_cn);
  const cells = [
    row.process_id,
    text(row.flow.name),
    String(row.flow.version),
    row.status,
    row.initiator.user_id,
    text(row.initiator.name),
    row.initiator.department ? text(row.initiator.department.name) : '',
    row.current_nodes.map((n) => text(n.name)).join('; '),
    row.current_nodes.map((n) => n.assignees.map((a) => a.user_id).join(', ')).join('; '),
    row.started_at,
    row.waiting_since ?? '',
    row.completed_at ?? '',
  ];
  return cells.map(safeCell);
}
