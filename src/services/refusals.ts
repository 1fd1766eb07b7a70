import { fail, type FailureKind, type Result } from './result.js';

/**
 * Refusals a person reads in the console when a directory change cannot be made (a department or
 * person still in use, the last tenant admin): a stable `reason` with its `params`, and the sentence
 * in each language the console speaks. The failure's own `message` stays English (logs, the admin
 * API); the people API words it in the request's language (docs/console-api.md "Refusals").
 */

export const REFUSAL_LANGUAGES = ['en', 'zh-CN'] as const;
export type RefusalLanguage = (typeof REFUSAL_LANGUAGES)[number];

export interface RefusalParams {
  department_id?: string;
  user_id?: string;
  /** Roles that still name the department or person. */
  role_keys?: string[];
  /** Departments the person leads. */
  department_ids?: string[];
}

type Wording = Record<RefusalLanguage, (p: RefusalParams) => string>;

const list = (items: string[] | undefined, separator: string) => (items ?? []).join(separator);

const REFUSALS = {
  last_tenant_admin: {
    en: () => 'the last tenant admin cannot be removed from the console; ask an operator',
    'zh-CN': () => '不能在控制台中移除最后一位租户管理员；如需移除，请联系运维人员',
  },
  department_has_subdepartments: {
    en: (p) => `department ${p.department_id ?? ''} has sub-departments; move or delete them first`,
    'zh-CN': (p) => `部门 ${p.department_id ?? ''} 下还有子部门；请先移走或删除它们`,
  },
  department_has_employees: {
    en: (p) => `department ${p.department_id ?? ''} has employees; move them first`,
    'zh-CN': (p) => `部门 ${p.department_id ?? ''} 下还有员工；请先将他们调到其他部门`,
  },
  department_in_role_scope: {
    en: (p) =>
      `department ${p.department_id ?? ''} is in the scope of role(s) ${list(p.role_keys, ', ')}; change them first`,
    'zh-CN': (p) =>
      `部门 ${p.department_id ?? ''} 在角色 ${list(p.role_keys, '、')} 的范围内；请先修改这些角色`,
  },
  employee_leads_departments: {
    en: (p) =>
      `${p.user_id ?? ''} leads department(s) ${list(p.department_ids, ', ')}; set another leader first`,
    'zh-CN': (p) => `${p.user_id ?? ''} 是部门 ${list(p.department_ids, '、')} 的负责人；请先指定其他负责人`,
  },
  employee_manages_others: {
    en: (p) => `${p.user_id ?? ''} is the direct manager of other employees; give them another manager first`,
    'zh-CN': (p) => `${p.user_id ?? ''} 是其他员工的直属上级；请先为这些员工指定其他上级`,
  },
  employee_in_roles: {
    en: (p) => `${p.user_id ?? ''} is a member of role(s) ${list(p.role_keys, ', ')}; remove them first`,
    'zh-CN': (p) => `${p.user_id ?? ''} 是角色 ${list(p.role_keys, '、')} 的成员；请先将其移出这些角色`,
  },
} satisfies Record<string, Wording>;

export type RefusalReason = keyof typeof REFUSALS;
export const REFUSAL_REASONS = Object.keys(REFUSALS) as RefusalReason[];

export function refusalMessage(
  reason: RefusalReason,
  params: RefusalParams,
  language: RefusalLanguage = 'en',
): string {
  return REFUSALS[reason][language](params);
}

/** A failure of `kind` carrying its reason and params; the message is the English. */
export function refuse<T = never>(
  kind: FailureKind,
  reason: RefusalReason,
  params: RefusalParams,
): Result<T> {
  const result = fail<T>(kind, refusalMessage(reason, params));
  if (!result.ok) result.error.refusal = { reason, params };
  return result;
}
