import type { DefinitionDocument } from './definition-document.js';

/** The demo flow definitions (issue: engine §9), written as documents: exactly what an admin could import. */

const t = (zh_cn: string, en_us: string) => ({ zh_cn, en_us });
const start = (next: string) => ({ type: 'start' as const, id: 'start', name: t('发起', 'Start'), next });
const end = { type: 'end' as const, id: 'end', name: t('结束', 'End') };
const ADMINS = ['process_admin'];

export const DEMO_FLOWS: Record<string, DefinitionDocument> = {
  leave: {
    name: t('休假申请', 'Leave'),
    biz_type: 'leave_application',
    process_admins: ADMINS,
    form: [
      {
        api_name: 'leave_type',
        label: t('假期类型', 'Leave type'),
        type: 'enum',
        required: true,
        options: [
          { value: 'annual', label: t('年假', 'Annual') },
          { value: 'sick', label: t('病假', 'Sick') },
          { value: 'personal', label: t('事假', 'Personal') },
        ],
      },
      { api_name: 'start_date', label: t('开始日期', 'Start date'), type: 'date', required: true },
      { api_name: 'end_date', label: t('结束日期', 'End date'), type: 'date', required: true },
      { api_name: 'days', label: t('天数', 'Days'), type: 'number', required: true },
      { api_name: 'reason', label: t('事由', 'Reason'), type: 'text', required: false },
    ],
    nodes: [
      start('manager'),
      {
        type: 'approval',
        id: 'manager',
        name: t('直属上级审批', 'Manager approval'),
        approvers: [{ type: 'manager', level: 1 }],
        next: 'long_leave',
      },
      {
        type: 'exclusive',
        id: 'long_leave',
        name: t('超过 3 天？', 'More than 3 days?'),
        branches: [{ condition: 'form.days > 3', next: 'dept_leader' }],
        default_next: 'notify_hrbp',
      },
      {
        type: 'approval',
        id: 'dept_leader',
        name: t('部门负责人审批', 'Department leader approval'),
        approvers: [{ type: 'department_leader', level: 1 }],
        next: 'notify_hrbp',
      },
      {
        type: 'cc',
        id: 'notify_hrbp',
        name: t('抄送 HRBP', 'CC the HRBP'),
        recipients: [{ type: 'role', role_key: 'hrbp' }],
        next: 'end',
      },
      end,
    ],
  },
  info_change: {
    name: t('信息变更', 'Information change'),
    biz_type: 'person_info_change',
    process_admins: ADMINS,
    form: [
      {
        api_name: 'field',
        label: t('变更项', 'Field'),
        type: 'enum',
        required: true,
        options: [
          { value: 'phone', label: t('电话', 'Phone') },
          { value: 'address', label: t('地址', 'Address') },
          { value: 'bank_account', label: t('银行账户', 'Bank account') },
        ],
      },
      { api_name: 'new_value', label: t('新值', 'New value'), type: 'text', required: true },
    ],
    nodes: [
      start('hrbp'),
      {
        type: 'approval',
        id: 'hrbp',
        name: t('HRBP 审批', 'HRBP approval'),
        approvers: [{ type: 'role', role_key: 'hrbp' }],
        editable_fields: ['new_value'],
        next: 'end',
      },
      end,
    ],
  },
  job_change: {
    name: t('员工异动', 'Job change'),
    biz_type: 'job_change',
    process_admins: ADMINS,
    form: [
      {
        api_name: 'target_department',
        label: t('目标部门', 'Target department'),
        type: 'department',
        required: true,
      },
      { api_name: 'effective_date', label: t('生效日期', 'Effective date'), type: 'date', required: true },
      { api_name: 'reason', label: t('原因', 'Reason'), type: 'text', required: true },
    ],
    nodes: [
      start('countersign'),
      {
        type: 'approval',
        id: 'countersign',
        name: t('上级与部门负责人会签', 'Manager and department leader (countersign)'),
        approvers: [
          { type: 'manager', level: 1 },
          { type: 'department_leader', level: 1 },
        ],
        mode: 'and',
        next: 'hrbp',
      },
      {
        type: 'approval',
        id: 'hrbp',
        name: t('HRBP 审批', 'HRBP approval'),
        approvers: [{ type: 'role', role_key: 'hrbp' }],
        next: 'end',
      },
      end,
    ],
  },
  offboarding: {
    name: t('离职申请', 'Offboarding'),
    biz_type: 'offboarding_info',
    process_admins: ADMINS,
    form: [
      { api_name: 'last_day', label: t('最后工作日', 'Last day'), type: 'date', required: true },
      { api_name: 'reason', label: t('离职原因', 'Reason'), type: 'text', required: true },
      { api_name: 'handover_to', label: t('工作交接人', 'Hand over to'), type: 'user', required: false },
    ],
    nodes: [
      start('manager'),
      {
        type: 'approval',
        id: 'manager',
        name: t('直属上级审批', 'Manager approval'),
        approvers: [{ type: 'manager', level: 1 }],
        next: 'handover',
      },
      {
        type: 'form_fill',
        id: 'handover',
        name: t('HRBP 填写交接人', 'HRBP names the handover'),
        assignees: [{ type: 'role', role_key: 'hrbp' }],
        editable_fields: ['handover_to'],
        required_fields: ['handover_to'],
        next: 'it',
      },
      {
        type: 'approval',
        id: 'it',
        name: t('IT 审批', 'IT approval'),
        approvers: [{ type: 'role', role_key: 'it_admin' }],
        next: 'end',
      },
      end,
    ],
  },
  expense: {
    name: t('费用报销', 'Expense'),
    biz_type: 'custom:expense',
    process_admins: ADMINS,
    form: [
      { api_name: 'amount', label: t('总金额', 'Amount'), type: 'number', required: true },
      {
        api_name: 'items',
        label: t('明细', 'Items'),
        type: 'record',
        required: true,
        sub_fields: [
          { api_name: 'description', label: t('说明', 'Description'), type: 'text', required: true },
          { api_name: 'amount', label: t('金额', 'Amount'), type: 'number', required: true },
        ],
      },
    ],
    nodes: [
      start('manager'),
      {
        type: 'approval',
        id: 'manager',
        name: t('直属上级审批', 'Manager approval'),
        approvers: [{ type: 'manager', level: 1 }],
        next: 'over_5000',
      },
      {
        type: 'exclusive',
        id: 'over_5000',
        branches: [{ condition: 'form.amount > 5000', next: 'dept_leader' }],
        default_next: 'end',
      },
      {
        type: 'approval',
        id: 'dept_leader',
        name: t('部门负责人审批', 'Department leader approval'),
        approvers: [{ type: 'department_leader', level: 1 }],
        next: 'over_20000',
      },
      {
        type: 'exclusive',
        id: 'over_20000',
        branches: [{ condition: 'form.amount > 20000', next: 'process_admin' }],
        default_next: 'end',
      },
      {
        type: 'approval',
        id: 'process_admin',
        name: t('流程管理员审批', 'Process admin approval'),
        approvers: [{ type: 'users', user_ids: ['process_admin'] }],
        next: 'end',
      },
      end,
    ],
  },
};
