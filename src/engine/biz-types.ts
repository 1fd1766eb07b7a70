/** The business types of the People process platform (seeds/001), with their numbers and api names. */
export interface BizType {
  code: number;
  apiName: string;
  name: string;
}

export const BIZ_TYPES: readonly BizType[] = [
  { code: 41, apiName: 'resignation_compensation', name: '离职补偿金申请' },
  { code: 42, apiName: 'corehr_probation_default_flow', name: '试用期转正' },
  { code: 43, apiName: 'job_change', name: '员工异动' },
  { code: 44, apiName: 'offboarding_info', name: '离职申请' },
  { code: 45, apiName: 'renewal_record', name: '合同续约' },
  { code: 46, apiName: 'reorg_approval_group', name: '组织架构调整' },
  { code: 48, apiName: 'headhunting', name: '猎头服务费审批' },
  { code: 50, apiName: 'offboarding_transfer', name: '离职手续办理' },
  { code: 51, apiName: 'additional_manage_relation_rule', name: '申请虚线团队权限' },
  { code: 52, apiName: 'offer', name: 'Offer 审批' },
  { code: 53, apiName: 'pre_hire_back', name: '回流人员确认' },
  { code: 54, apiName: 'person_info_change', name: '申请信息变更' },
  { code: 55, apiName: 'workforce_plan_adjustment', name: '编制规划调整审批' },
  { code: 56, apiName: 'leave_application', name: '休假申请' },
  { code: 57, apiName: 'offer_salary', name: 'Offer 薪酬审批' },
  { code: 58, apiName: 'self_certificate', name: '自助证明' },
  { code: 59, apiName: 'self_service', name: '自助服务' },
  { code: 60, apiName: 'offer_salary_merge', name: 'Offer 及薪酬合并审批' },
  { code: 61, apiName: 'payroll', name: 'Payroll 发薪活动审批' },
  { code: 62, apiName: 'cpst_adjust_salary_flow_info', name: '调薪' },
  { code: 63, apiName: 'job_post_content_approval', name: '职位广告内容审批' },
  { code: 64, apiName: 'job_post_channel_approval', name: '职位广告渠道审批' },
  { code: 65, apiName: 'recruitment_request_approval', name: '招聘需求审批' },
  { code: 70, apiName: 'rsu_refrsh_approval_new', name: '期权到期补齐审批' },
  { code: 68, apiName: 'work_application', name: '加班申请' },
  { code: 69, apiName: 'travel_application', name: '出差申请' },
  { code: 72, apiName: 'outing_application', name: '外出申请' },
  { code: 71, apiName: 'remedy_application', name: '补卡申请' },
  { code: 76, apiName: 'swap_shift_application', name: '换班申请' },
  { code: 75, apiName: 'onduty_bonus_apply', name: '值班补贴（新）' },
  { code: 74, apiName: 'batch_compensation_adjustment_new', name: '批量调薪（新）' },
  { code: 73, apiName: 'payroll_data_report', name: '数据填报审批' },
];

const BY_API_NAME = new Map(BIZ_TYPES.map((t) => [t.apiName, t]));

/** Custom business types (ours) are written `custom:<name>`; they have no vendor number. */
export const CUSTOM_BIZ_PREFIX = 'custom:';

export function isKnownBizType(apiName: string): boolean {
  return BY_API_NAME.has(apiName) || /^custom:[a-z][a-z0-9_]{0,62}$/.test(apiName);
}

export function bizTypeOf(apiName: string): BizType | undefined {
  return BY_API_NAME.get(apiName);
}
