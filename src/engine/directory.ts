/**
 * The organisation as the engine sees it: plain data, no I/O. Internal ids are the 19-digit
 * people_corehr ids; the other id types are kept beside them for rendering at the edge.
 */

export interface I18nText {
  zh_cn: string;
  en_us: string;
}

export const EMPLOYMENT_STATUSES = ['pre_hire', 'active', 'terminated'] as const;
export type EmploymentStatus = (typeof EMPLOYMENT_STATUSES)[number];

export interface Tenant {
  id: string;
  tenantKey: string;
  name: string;
  createdAt: number;
  updatedAt: number;
}

export interface Department {
  /** people_corehr_department_id. */
  id: string;
  tenantId: string;
  /** Tenant-assigned department_id. */
  departmentId: string;
  openDepartmentId: string;
  name: I18nText;
  parentId: string | null;
  leaderId: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface Employee {
  /** people_corehr_id. */
  id: string;
  tenantId: string;
  /** Tenant-assigned user_id. */
  userId: string;
  unionId: string;
  name: I18nText;
  email: string;
  departmentId: string | null;
  managerId: string | null;
  employmentStatus: EmploymentStatus;
  createdAt: number;
  updatedAt: number;
}

export interface RoleMember {
  employeeId: string;
  /** The departments this member serves (and their sub-departments); empty means the whole tenant. */
  departmentIds: string[];
}

export interface Role {
  id: string;
  tenantId: string;
  roleKey: string;
  name: I18nText;
  members: RoleMember[];
  createdAt: number;
  updatedAt: number;
}

/** Ids of `startId` and its ancestors, nearest first; stops at a cycle instead of looping. */
export function ancestry<T extends { id: string }>(
  startId: string | null,
  parentOf: (node: T) => string | null,
  byId: ReadonlyMap<string, T>,
): string[] {
  const chain: string[] = [];
  const seen = new Set<string>();
  let current = startId;
  while (current !== null && !seen.has(current)) {
    seen.add(current);
    chain.push(current);
    const node = byId.get(current);
    current = node ? parentOf(node) : null;
  }
  return chain;
}

/** Would making `newParentId` the parent of `nodeId` close a loop? */
export function wouldCreateCycle<T extends { id: string }>(
  nodeId: string,
  newParentId: string | null,
  parentOf: (node: T) => string | null,
  byId: ReadonlyMap<string, T>,
): boolean {
  if (newParentId === null) return false;
  return ancestry(newParentId, parentOf, byId).includes(nodeId);
}

/**
 * Members of a role who serve a department: the nearest department up the tree that has members
 * wins (the HRBP of a team is the HRBP of the team, or else of its parent, …); tenant-wide members last.
 */
export function roleMembersForDepartment(
  role: Role,
  departmentId: string | null,
  departmentsById: ReadonlyMap<string, Department>,
): string[] {
  for (const deptId of ancestry(departmentId, (d) => d.parentId, departmentsById)) {
    const serving = role.members.filter((m) => m.departmentIds.includes(deptId)).map((m) => m.employeeId);
    if (serving.length > 0) return serving;
  }
  return role.members.filter((m) => m.departmentIds.length === 0).map((m) => m.employeeId);
}
