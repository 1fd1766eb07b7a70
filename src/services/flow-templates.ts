import { BIZ_TYPES, bizTypeOf } from '../engine/biz-types.js';
import type { DefinitionDocument } from './definition-document.js';
import { DEMO_FLOWS } from './demo-flows.js';
import { dateRange, end, escalatingApproval, field, managerApproval, start, t } from './flow-builders.js';

/**
 * Starter documents for the console's "New flow from a template": one per known business type. The
 * demo's flows serve their business types; the demo has no travel application (biz type 69), so its
 * template is built here from the same pieces as the demo's leave request; every other type gets a
 * plain manager approval. `process_admins` is empty: the console names the person who creates the flow.
 */
export interface FlowTemplate {
  bizType: string;
  document: DefinitionDocument;
}

const TRAVEL: DefinitionDocument = {
  name: t('出差申请', 'Travel application'),
  biz_type: 'travel_application',
  process_admins: [],
  form: [
    field('destination', t('目的地', 'Destination'), 'text', true),
    ...dateRange(),
    field('estimated_cost', t('预计费用', 'Estimated cost'), 'number', true),
    field('traveller', t('出差人', 'Traveller'), 'user', true),
    field('reason', t('出差事由', 'Purpose'), 'text', false),
  ],
  nodes: escalatingApproval({
    id: 'high_cost',
    name: t('费用超过 10000？', 'Cost above 10,000?'),
    condition: 'form.estimated_cost > 10000',
  }),
};

/** English names for the business types (the vendor lists only Chinese ones). */
const ENGLISH: Record<string, string> = {
  resignation_compensation: 'Resignation compensation',
  corehr_probation_default_flow: 'Probation completion',
  job_change: 'Job change',
  offboarding_info: 'Offboarding',
  renewal_record: 'Contract renewal',
  reorg_approval_group: 'Reorganisation',
  headhunting: 'Headhunting fee',
  offboarding_transfer: 'Offboarding handover',
  additional_manage_relation_rule: 'Dotted-line team access',
  offer: 'Offer approval',
  pre_hire_back: 'Rehire confirmation',
  person_info_change: 'Information change',
  workforce_plan_adjustment: 'Headcount plan adjustment',
  leave_application: 'Leave',
  offer_salary: 'Offer salary approval',
  self_certificate: 'Self-service certificate',
  self_service: 'Self service',
  offer_salary_merge: 'Offer and salary approval',
  payroll: 'Payroll run approval',
  cpst_adjust_salary_flow_info: 'Salary adjustment',
  job_post_content_approval: 'Job ad content approval',
  job_post_channel_approval: 'Job ad channel approval',
  recruitment_request_approval: 'Recruitment request',
  rsu_refrsh_approval_new: 'Option refresh approval',
  work_application: 'Overtime',
  travel_application: 'Travel application',
  outing_application: 'Going out',
  remedy_application: 'Missed clock-in',
  swap_shift_application: 'Shift swap',
  onduty_bonus_apply: 'On-duty allowance',
  batch_compensation_adjustment_new: 'Batch salary adjustment',
  payroll_data_report: 'Data report approval',
};

/**
 * A business type's name in both languages, the same on every screen and in every API: the vendor's
 * Chinese name with ours in English for the platform's types; a custom type has no name of its own, so
 * it is named after its flow (`flowName`) where there is one, else read from its api name
 * (`custom:team_outing` → "Team outing").
 */
export function bizTypeNames(
  apiName: string,
  flowName?: { zh_cn: string; en_us: string },
): { zh_cn: string; en_us: string } {
  // A map lookup: this runs for every item of a to-do page.
  const known = bizTypeOf(apiName);
  if (known) return t(known.name, ENGLISH[apiName] ?? apiName);
  if (flowName && apiName.startsWith('custom:')) return { zh_cn: flowName.zh_cn, en_us: flowName.en_us };
  const own = apiName.startsWith('custom:') ? apiName.slice(7).replace(/_/g, ' ') : apiName;
  const readable = own.charAt(0).toUpperCase() + own.slice(1);
  return t(readable, readable);
}

const plain = (bizType: string): DefinitionDocument => ({
  name: bizTypeNames(bizType),
  biz_type: bizType,
  process_admins: [],
  form: [field('reason', t('事由', 'Reason'), 'text', true)],
  nodes: [start('manager'), managerApproval('end'), end],
});

const fromDemo = (doc: DefinitionDocument): DefinitionDocument => ({
  ...structuredClone(doc),
  process_admins: [],
});

const DEMO_BY_BIZ_TYPE = new Map(Object.values(DEMO_FLOWS).map((d) => [d.biz_type, d]));

/** One template per known business type, in the vendor's order. */
export const FLOW_TEMPLATES: readonly FlowTemplate[] = BIZ_TYPES.map((b) => {
  const demo = DEMO_BY_BIZ_TYPE.get(b.apiName);
  const document =
    b.apiName === 'travel_application' ? structuredClone(TRAVEL) : demo ? fromDemo(demo) : plain(b.apiName);
  return { bizType: b.apiName, document };
});

export function templateFor(bizType: string): FlowTemplate | undefined {
  return FLOW_TEMPLATES.find((template) => template.bizType === bizType);
}
