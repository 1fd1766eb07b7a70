import type { DirectorySnapshot } from '../../engine/approver-resolution.js';
import type { ApproverRule, FlowDefinition, NodeDefinition } from '../../engine/definition.js';
import type { FieldValue, FormField as EngineField } from '../../engine/form.js';
import type { PreviewStep as EngineStep } from '../../engine/preview.js';
import { REVOKE_NODE_ID } from '../../engine/machine.js';
import type { ProcessState } from '../../engine/process.js';
import { hiddenFieldsFor } from '../../engine/visibility.js';
import type { PreviewResult } from '../../services/approval-center.service.js';
import type { InboxEntry } from '../../services/inbox.service.js';
import { bizTypeNames } from '../../services/flow-templates.js';
import type {
  FlowForm,
  FlowSummary,
  FormField,
  I18n,
  InboxItem,
  PathPreview,
  PreviewStep,
  SummaryLine,
} from './contract.js';
import { iso, personRef } from './render.js';
import { fallbackReason, ruleReason } from './rule-reasons.js';

const t = (zh_cn: string, en_us: string): I18n => ({ zh_cn, en_us });
const same = (text: string): I18n => ({ zh_cn: text, en_us: text });
export function formFieldOf(field: EngineField): FormField {
  return {
    api_name: field.apiName,
    label: field.label,
    type: field.type,
    required: field.required,
    ...(field.options ? { options: field.options.map((o) => ({ value: o.value, label: o.label })) } : {}),
    ...(field.subFields ? { sub_fields: field.subFields.map(formFieldOf) } : {}),
  };
}

export function flowSummary(definition: FlowDefinition): FlowSummary {
  return {
    flow_id: definition.id,
    name: definition.name,
    biz_type: definition.bizType,
    biz_type_name: bizTypeNames(definition.bizType, definition.name),
    version: definition.version,
  };
}

/**
 * A field of the form to fill in, with what its form rules mean for the filler: a calculated field
 * (the server fills it) or one shown only under a condition (the server decides on submit) is not
 * marked required here; the server still refuses what a shown required field lacks.
 */
function fillableFieldOf(definition: FlowDefinition, field: EngineField): FormField {
  const rules = definition.formRules;
  const calculated = rules?.calculations?.some((c) => c.field === field.apiName) ?? false;
  const shownWhen = rules?.visibility?.find((v) => v.field === field.apiName)?.when;
  return {
    ...formFieldOf(field),
    ...(calculated || shownWhen !== undefined ? { required: false } : {}),
    ...(field.helpText ? { help_text: field.helpText } : {}),
    ...(field.defaultValue !== undefined
      ? { default: field.defaultValue as string | boolean | string[] }
      : {}),
    ...(calculated ? { calculated: true } : {}),
    ...(shownWhen !== undefined ? { shown_when: shownWhen } : {}),
  };
}

export function flowForm(definition: FlowDefinition): FlowForm {
  return {
    ...flowSummary(definition),
    form: definition.form.map((field) => fillableFieldOf(definition, field)),
    selectable_nodes: definition.nodes.flatMap((node) =>
      rulesOf(node).some((r) => r.kind === 'initiator_selected')
        ? [{ node_id: node.id, name: node.name, multiple: true }]
        : [],
    ),
  };
}

function rulesOf(node: NodeDefinition): ApproverRule[] {
  if (node.kind === 'approval') return node.approvers;
  if (node.kind === 'form_fill') return node.assignees;
  if (node.kind === 'cc') return node.recipients;
  return [];
}

const STEP_KINDS = new Set<PreviewStep['kind']>([
  'start',
  'approval',
  'form_fill',
  'cc',
  'exclusive',
  'parallel',
  'join',
  'end',
]);

export function previewStepOf(
  step: EngineStep,
  definition: FlowDefinition,
  directory: DirectorySnapshot,
): PreviewStep {
  const node = definition.nodes.find((n) => n.id === step.nodeId);
  const reasons = node ? rulesOf(node).map((r) => ruleReason(r, definition, directory)) : [];
  if (step.fallback) reasons.push(fallbackReason(step.fallback));
  if (step.refused) reasons.push(fallbackReason('refused'));
  if (step.skipped.length > 0)
    reasons.push(
      t(
        '与上一审批节点的审批人重复，自动跳过',
        'Already approved at the previous step: skipped automatically',
      ),
    );
  return {
    node_id: step.nodeId,
    kind: STEP_KINDS.has(step.kind) ? step.kind : 'approval',
    name: node?.name ?? same(step.nodeId),
    ...(node?.kind === 'approval' ? { mode: node.mode.kind } : {}),
    assignees: step.assignees.map((id) => personRef(directory, id)),
    skipped: step.skipped.map((id) => directory.employees.get(id)?.userId ?? id),
    ...(step.fallback ? { fallback: step.fallback } : {}),
    reasons,
    branch: step.scope,
  };
}

export function pathPreview(result: PreviewResult): PathPreview {
  const blocked = result.steps.find((s) => s.refused);
  const blockedNode = blocked && result.definition.nodes.find((n) => n.id === blocked.nodeId);
  return {
    steps: result.steps.map((s) => previewStepOf(s, result.definition, result.directory)),
    ...(blocked
      ? { blocked: { node_id: blocked.nodeId, name: blockedNode?.name ?? same(blocked.nodeId) } }
      : {}),
    ...(result.violations.length > 0 ? { violations: result.violations } : {}),
    ...calculatedAndHidden(result),
  };
}

/** The form rules' effect so far, for the form being filled in (absent when the form has no rules). */
function calculatedAndHidden(
  result: PreviewResult,
): Pick<PathPreview, 'calculated_values' | 'hidden_fields'> {
  const calculated: Record<string, I18n> = {};
  for (const [name, value] of Object.entries(result.calculated)) {
    const field = result.definition.form.find((f) => f.apiName === name);
    const shown = field ? displayValue(field, value, result.directory) : undefined;
    if (shown) calculated[name] = shown;
  }
  return {
    ...(Object.keys(calculated).length > 0 ? { calculated_values: calculated } : {}),
    ...(result.hidden.length > 0 ? { hidden_fields: result.hidden } : {}),
  };
}

const SUMMARY_TEXT_MAX = 80;
const clip = (text: string) =>
  text.length > SUMMARY_TEXT_MAX ? `${text.slice(0, SUMMARY_TEXT_MAX - 1)}…` : text;

/** A value as a short line of text in both languages; undefined for values without a short form. */
export function displayValue(
  field: EngineField,
  value: FieldValue | undefined,
  directory: DirectorySnapshot,
): I18n | undefined {
  if (value === undefined || value === '') return undefined;
  switch (field.type) {
    case 'text':
    case 'number':
    case 'date':
      return typeof value === 'string' ? same(clip(value)) : undefined;
    case 'date_time':
      return typeof value === 'string' && /^\d+$/.test(value) ? same(iso(Number(value))) : undefined;
    case 'bool':
      return value === true ? t('是', 'Yes') : t('否', 'No');
    case 'enum': {
      const option = field.options?.find((o) => o.value === value);
      return option ? option.label : typeof value === 'string' ? same(value) : undefined;
    }
    case 'i18n':
      return typeof value === 'object' && 'zh_cn' in value
        ? t(clip(value.zh_cn), clip(value.en_us))
        : undefined;
    case 'user':
    case 'employment':
      return typeof value === 'string' ? personRef(directory, value).name : undefined;
    case 'department': {
      const department = typeof value === 'string' ? directory.departments.get(value) : undefined;
      return department ? department.name : typeof value === 'string' ? same(value) : undefined;
    }
    case 'list':
      return Array.isArray(value) && value.length > 0
        ? same(clip(value.filter((v): v is string => typeof v === 'string').join(', ')))
        : undefined;
    case 'file':
      return typeof value === 'object' && 'fileId' in value ? same(clip(value.name)) : undefined;
    case 'object':
    case 'record':
      return undefined;
  }
}

/**
 * Up to `max` "label: value" lines from the form, in the form's order, leaving out `hidden` fields. Dates
 * and date-times say so (`format`): the reader shows them in their own language and time zone.
 */
export function summaryOf(
  definition: FlowDefinition,
  state: ProcessState,
  directory: DirectorySnapshot,
  hidden: ReadonlySet<string> = new Set(),
  max = 3,
): SummaryLine[] {
  const out: SummaryLine[] = [];
  for (const field of definition.form) {
    if (out.length === max) break;
    if (hidden.has(field.apiName)) continue;
    const value = displayValue(field, state.formValues[field.apiName], directory);
    if (!value) continue;
    const format = field.type === 'date' || field.type === 'date_time' ? field.type : undefined;
    out.push(format ? { label: field.label, value, format } : { label: field.label, value });
  }
  return out;
}

export function inboxItem(entry: InboxEntry, directory: DirectorySnapshot): InboxItem {
  const { state, definition, task } = entry;
  const node =
    entry.nodeDefId !== undefined ? definition.nodes.find((n) => n.id === entry.nodeDefId) : undefined;
  const nodeName =
    node?.name ?? (entry.nodeDefId === REVOKE_NODE_ID ? t('撤销审批', 'Revoke approval') : undefined);
  return {
    process_id: state.id,
    ...(task ? { task_id: task.id, task_status: task.status } : {}),
    flow: { flow_id: definition.id, name: definition.name },
    biz_type_name: bizTypeNames(state.bizType, definition.name),
    initiator: personRef(directory, state.initiatorId),
    status: state.status,
    ...(nodeName ? { node_name: nodeName } : {}),
    // The assignee of a todo or done task sees the summary without the fields hidden at their nodes.
    summary: summaryOf(
      definition,
      state,
      directory,
      task ? hiddenFieldsFor(definition, state, task.assigneeId) : undefined,
    ),
    started_at: iso(state.createdAt),
    updated_at: iso(state.updatedAt),
    ...(task && task.status === 'in_progress' ? { waiting_since: iso(task.createdAt) } : {}),
    overdue: entry.overdue,
    batch_approvable: entry.batchApprovable,
  };
}
