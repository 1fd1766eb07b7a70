import type { DefinitionDocument } from './definition-document.js';

/**
 * The pieces the demo flows (demo-flows.ts) and the console's templates (flow-templates.ts) are
 * built from, so that the two speak of one "manager approval" or one "CC the HRBP" and cannot drift.
 */

type FormField = DefinitionDocument['form'][number];
type FlowNode = DefinitionDocument['nodes'][number];

export const t = (zh_cn: string, en_us: string) => ({ zh_cn, en_us });

export const start = (next: string) => ({
  type: 'start' as const,
  id: 'start',
  name: t('发起', 'Start'),
  next,
});
export const end = { type: 'end' as const, id: 'end', name: t('结束', 'End') };

export const managerApproval = (next: string) => ({
  type: 'approval' as const,
  id: 'manager',
  name: t('直属上级审批', 'Manager approval'),
  approvers: [{ type: 'manager' as const, level: 1 }],
  next,
});

export const departmentLeaderApproval = (next: string) => ({
  type: 'approval' as const,
  id: 'dept_leader',
  name: t('部门负责人审批', 'Department leader approval'),
  approvers: [{ type: 'department_leader' as const, level: 1 }],
  next,
});

/** `fields` says which form fields the HRBP may edit. */
export const hrbpApproval = (next: string, fields: { editable_fields?: string[] } = {}) => ({
  type: 'approval' as const,
  id: 'hrbp',
  name: t('HRBP 审批', 'HRBP approval'),
  approvers: [{ type: 'role' as const, role_key: 'hrbp' }],
  ...fields,
  next,
});

export const ccHrbp = (next: string) => ({
  type: 'cc' as const,
  id: 'notify_hrbp',
  name: t('抄送 HRBP', 'CC the HRBP'),
  recipients: [{ type: 'role' as const, role_key: 'hrbp' }],
  next,
});

/** A one-branch gateway: `condition` goes to `then`, anything else to `otherwise`. */
export const threshold = (
  id: string,
  name: ReturnType<typeof t> | undefined,
  condition: string,
  then: string,
  otherwise: string,
): FlowNode => ({
  type: 'exclusive',
  id,
  ...(name ? { name } : {}),
  branches: [{ condition, next: then }],
  default_next: otherwise,
});

/**
 * The manager approves; above a threshold the department leader approves too; the HRBP is copied
 * either way (the leave request and the travel application).
 */
export const escalatingApproval = (gateway: {
  id: string;
  name: ReturnType<typeof t>;
  condition: string;
}) => [
  start('manager'),
  managerApproval(gateway.id),
  threshold(gateway.id, gateway.name, gateway.condition, 'dept_leader', 'notify_hrbp'),
  departmentLeaderApproval('notify_hrbp'),
  ccHrbp('end'),
  end,
];

/** A form field; `extra` carries options or sub-fields. */
export const field = <Type extends FormField['type']>(
  apiName: string,
  label: ReturnType<typeof t>,
  type: Type,
  required: boolean,
  extra: Partial<Omit<FormField, 'type'>> = {},
) => ({ api_name: apiName, label, type, required, ...extra });

/** The dates and length of an absence (leave, travel). */
export const dateRange = (): FormField[] => [
  field('start_date', t('开始日期', 'Start date'), 'date', true),
  field('end_date', t('结束日期', 'End date'), 'date', true),
  field('days', t('天数', 'Days'), 'number', true),
];
