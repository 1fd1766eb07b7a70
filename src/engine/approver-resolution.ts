import {
  ancestry,
  roleMembersForDepartment,
  type Department,
  type Employee,
  type Role,
} from './directory.js';
import type { ApproverRule } from './definition.js';
import type { FormValues } from './form.js';

/** The directory as loaded by the service for one decision: plain maps, no I/O. */
export interface DirectorySnapshot {
  employees: ReadonlyMap<string, Employee>;
  departments: ReadonlyMap<string, Department>;
  roles: ReadonlyMap<string, Role>;
  /**
   * Out-of-office delegations that had not ended when the snapshot was loaded, by delegator
   * (src/engine/delegation.ts). Absent: nobody delegates.
   */
  delegations?: ReadonlyMap<string, readonly Delegation[]>;
}

/** A person's out-of-office delegate for a time range: tasks created in it go to the delegate. */
export interface Delegation {
  delegatorId: string;
  delegateId: string;
  /** Unix ms, inclusive. */
  startsAt: number;
  /** Unix ms, exclusive. */
  endsAt: number;
}

export interface ResolutionInput {
  initiatorId: string;
  formValues: FormValues;
  /** For `initiator_selected`: what the initiator chose for this node. */
  selected: readonly string[];
  directory: DirectorySnapshot;
}

/** The people one rule names, in a stable order; terminated people never get tasks. */
export function resolveRule(rule: ApproverRule, input: ResolutionInput): string[] {
  const { directory } = input;
  const initiator = directory.employees.get(input.initiatorId);
  const ids = ((): string[] => {
    switch (rule.kind) {
      case 'users':
        return rule.userIds;
      case 'initiator':
        return [input.initiatorId];
      case 'initiator_selected':
        return [...input.selected];
      case 'manager': {
        let current = initiator;
        for (let i = 0; i < rule.level && current; i++)
          current = current.managerId ? directory.employees.get(current.managerId) : undefined;
        return current && current.id !== input.initiatorId ? [current.id] : [];
      }
      case 'department_leader': {
        const chain = ancestry(initiator?.departmentId ?? null, (d) => d.parentId, directory.departments);
        const department = directory.departments.get(chain[rule.level - 1] ?? '');
        // Nobody approves their own request as "their department's leader".
        return department?.leaderId && department.leaderId !== input.initiatorId ? [department.leaderId] : [];
      }
      case 'role': {
        const role = directory.roles.get(rule.roleKey);
        return role
          ? roleMembersForDepartment(role, initiator?.departmentId ?? null, directory.departments)
          : [];
      }
      case 'form_field': {
        const value = input.formValues[rule.field];
        if (typeof value === 'string') return [value];
        return Array.isArray(value) && value.every((v) => typeof v === 'string') ? value : [];
      }
    }
  })();
  return ids.filter((id) => directory.employees.get(id)?.employmentStatus === 'active');
}

/** All rules of a node, duplicates removed, first mention wins. */
export function resolveRules(rules: readonly ApproverRule[], input: ResolutionInput): string[] {
  return [...new Set(rules.flatMap((rule) => resolveRule(rule, input)))];
}
