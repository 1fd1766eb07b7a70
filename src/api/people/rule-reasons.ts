import type { DirectorySnapshot } from '../../engine/approver-resolution.js';
import type { ApproverRule, FlowDefinition } from '../../engine/definition.js';
import type { I18nText } from '../../engine/directory.js';

const t = (zh_cn: string, en_us: string): I18nText => ({ zh_cn, en_us });

/**
 * Why an approver rule names its people, in both languages ("Manager of the initiator"). The one
 * wording for the path preview's `reasons` and a task's `why`, so the two screens say the same thing.
 */
export function ruleReason(
  rule: ApproverRule,
  definition: FlowDefinition,
  directory: DirectorySnapshot,
): I18nText {
  switch (rule.kind) {
    case 'users':
      // Also CC recipients and form-fill assignees: "people", not "approvers".
      return t('流程指定的人员', 'Named in the flow');
    case 'initiator':
      return t('发起人本人', 'The initiator');
    case 'initiator_selected':
      return t('发起人自选', 'Chosen by the initiator');
    case 'manager':
      return rule.level === 1
        ? t('发起人的直属上级', 'Manager of the initiator')
        : t(`发起人的第 ${rule.level} 级上级`, `Manager ${rule.level} levels above the initiator`);
    case 'department_leader':
      return rule.level === 1
        ? t('发起人所在部门的负责人', "Leader of the initiator's department")
        : t(
            `发起人所在部门向上第 ${rule.level} 级部门的负责人`,
            `Leader of the department ${rule.level} levels above the initiator's`,
          );
    case 'role': {
      // A role resolves to the members serving the initiator's department, not all its members.
      const name = directory.roles.get(rule.roleKey)?.name ?? t(rule.roleKey, rule.roleKey);
      return t(
        `角色「${name.zh_cn}」（负责发起人所在部门）`,
        `Role “${name.en_us}” serving the initiator's department`,
      );
    }
    case 'form_field': {
      const label = definition.form.find((f) => f.apiName === rule.field)?.label ?? t(rule.field, rule.field);
      return t(`表单字段「${label.zh_cn}」中填写的人员`, `Named in the form field “${label.en_us}”`);
    }
  }
}

/** Why a step has the people it has when its rules found nobody: the flow's fallback (or a refusal). */
export function fallbackReason(fallback: 'to_admins' | 'auto_pass' | 'refused'): I18nText {
  switch (fallback) {
    case 'to_admins':
      return t('未找到审批人，由流程管理员处理', 'No approver found: the process admins take over');
    case 'auto_pass':
      return t('未找到审批人，自动通过', 'No approver found: passed automatically');
    case 'refused':
      return t('未找到审批人，流程无法发起', 'No approver found: the flow cannot start');
  }
}
