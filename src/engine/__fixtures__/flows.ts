import type { DirectorySnapshot } from '../approver-resolution.js';
import type { Department, Employee, Role } from '../directory.js';
import type {
  ApprovalMode,
  ApproverRule,
  EmptyFallback,
  FlowDefinition,
  NodeDefinition,
} from '../definition.js';
import type { FormField } from '../form.js';
import type { EngineContext } from '../machine.js';

/** A small organisation: emp → mgr → lead (leader of backend, under eng led by cto); hrbp serves eng. */
const person = (
  id: string,
  departmentId: string | null,
  managerId: string | null,
  status: Employee['employmentStatus'] = 'active',
): Employee => ({
  id,
  tenantId: 't',
  userId: id,
  unionId: `on_${id}`,
  name: { zh_cn: id, en_us: id },
  email: `${id}@x.example`,
  departmentId,
  managerId,
  employmentStatus: status,
  createdAt: 0,
  updatedAt: 0,
});
const department = (id: string, parentId: string | null, leaderId: string | null): Department => ({
  id,
  tenantId: 't',
  departmentId: id,
  openDepartmentId: `od-${id}`,
  name: { zh_cn: id, en_us: id },
  parentId,
  leaderId,
  createdAt: 0,
  updatedAt: 0,
});

export const PEOPLE = ['emp', 'mgr', 'lead', 'cto', 'hrbp', 'admin', 'a', 'b', 'c', 'd', 'x'] as const;

export function directory(): DirectorySnapshot {
  const employees = [
    person('emp', 'backend', 'mgr'),
    person('mgr', 'backend', 'lead'),
    person('lead', 'backend', 'cto'),
    person('cto', 'eng', null),
    person('hrbp', 'people', null),
    person('admin', 'people', null),
    person('a', 'people', null),
    person('b', 'people', null),
    person('c', 'people', null),
    person('d', 'people', null),
    person('x', 'sales', null),
    person('gone', 'sales', null, 'terminated'),
  ];
  const departments = [
    department('eng', null, 'cto'),
    department('backend', 'eng', 'lead'),
    department('people', null, null),
    department('sales', null, null),
  ];
  const roles: Role[] = [
    {
      id: 'r1',
      tenantId: 't',
      roleKey: 'hrbp',
      name: { zh_cn: 'HRBP', en_us: 'HRBP' },
      members: [{ employeeId: 'hrbp', departmentIds: ['eng'] }],
      createdAt: 0,
      updatedAt: 0,
    },
  ];
  return {
    employees: new Map(employees.map((e) => [e.id, e])),
    departments: new Map(departments.map((d) => [d.id, d])),
    roles: new Map(roles.map((r) => [r.roleKey, r])),
  };
}

/** Deterministic context: time moves one ms per call, ids count up. */
export function context(dir: DirectorySnapshot = directory()): EngineContext & { tick(): void } {
  let now = 1_700_000_000_000;
  let next = 1000;
  return {
    get now() {
      return now;
    },
    newId: () => String(next++),
    directory: dir,
    tick: () => {
      now += 1;
    },
  };
}

const name = (id: string) => ({ zh_cn: id, en_us: id });

export const users = (...userIds: string[]): ApproverRule => ({ kind: 'users', userIds });

export function approval(
  id: string,
  approvers: ApproverRule[],
  next: string,
  options: { mode?: ApprovalMode; fallback?: EmptyFallback; editable?: string[]; required?: string[] } = {},
): NodeDefinition {
  return {
    id,
    kind: 'approval',
    name: name(id),
    approvers,
    mode: options.mode ?? { kind: 'or' },
    emptyFallback: options.fallback ?? 'to_admins',
    editableFields: options.editable ?? [],
    requiredFields: options.required ?? [],
    next,
  };
}

export const start = (next: string): NodeDefinition => ({
  id: 'start',
  kind: 'start',
  name: name('start'),
  next,
});
export const end = (): NodeDefinition => ({ id: 'end', kind: 'end', name: name('end') });

export const LEAVE_FORM: FormField[] = [
  {
    apiName: 'leave_type',
    label: name('leave type'),
    type: 'enum',
    required: true,
    options: ['annual', 'sick', 'personal'].map((v) => ({ value: v, label: name(v) })),
  },
  { apiName: 'days', label: name('days'), type: 'number', required: true },
  { apiName: 'reason', label: name('reason'), type: 'text', required: false },
  { apiName: 'handover_to', label: name('handover'), type: 'user', required: false },
];

export function flow(nodes: NodeDefinition[], overrides: Partial<FlowDefinition> = {}): FlowDefinition {
  return {
    id: '9000000000000000001',
    version: 1,
    name: name('flow'),
    bizType: 'leave_application',
    processAdminIds: ['admin'],
    form: LEAVE_FORM,
    nodes,
    settings: { skipDuplicateApprovers: false, revokeNeedsApproval: false },
    ...overrides,
  };
}

/** start → one approval node → end. */
export const singleNode = (
  approvers: ApproverRule[],
  mode: ApprovalMode = { kind: 'or' },
  overrides: Partial<FlowDefinition> = {},
) => flow([start('n1'), approval('n1', approvers, 'end', { mode }), end()], overrides);

export const LEAVE_VALUES = { leave_type: 'annual', days: '2' };
