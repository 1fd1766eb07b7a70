import type { FlowApproverRule, FlowNode } from '@contract';

type Translate = (key: string, options?: Record<string, unknown>) => string;

/** One rule in the admin's words ("Manager, 2 levels up"), in the shown language. */
export function ruleSummary(rule: FlowApproverRule, t: Translate): string {
  switch (rule.type) {
    case 'users':
      return t('rule_summary.users', { users: rule.user_ids.join(', ') });
    case 'manager':
      return t('rule_summary.manager', { count: rule.level });
    case 'department_leader':
      return t('rule_summary.department_leader', { count: rule.level });
    case 'role':
      return t('rule_summary.role', { role: rule.role_key });
    case 'form_field':
      return t('rule_summary.form_field', { field: rule.field });
    case 'initiator_selected':
      return t('rule_summary.initiator_selected');
    case 'initiator':
      return t('rule_summary.initiator');
  }
}

/** Who acts at a node and how, for its card. */
export function rulesSummary(
  rules: FlowApproverRule[],
  node: FlowNode,
  t: Translate,
  _language: string,
): string {
  const who = rules.length === 0 ? t('rule_summary.nobody') : rules.map((r) => ruleSummary(r, t)).join(' · ');
  if (node.type !== 'approval') return who;
  const mode = node.mode ?? 'or';
  const how = typeof mode === 'string' ? t(`mode.${mode}`) : t('mode.ratio_n', { percent: mode.ratio });
  return `${who} — ${how}`;
}
