import type { DefinitionDocument } from './definition-document.js';
import {
  dateRange,
  departmentLeaderApproval,
  end,
  escalatingApproval,
  field,
  hrbpApproval,
  managerApproval,
  start,
  t,
  threshold,
} from './flow-builders.js';

/** The demo flow definitions (issue: engine §9), written as documents: exactly what an admin could import. */

const ADMINS = ['process_admin'];

/**
 * The expense claim's manager is reminded, then their manager is told, and after a working week the
 * claim goes to the process admin (docs/timers.md; working minutes of the tenant calendar, 480 a day).
 * On the expense flow rather than the leave flow: the browser suite lets days pass over demo leaves.
 */
const EXPENSE_MANAGER_TIMERS = {
  remind: { after_minutes: 240, every_minutes: 480, times: 3 },
  escalate: { after_minutes: 960, action: 'notify_manager' as const },
  auto: { after_minutes: 2400, action: 'transfer_to_admins' as const },
};

export const DEMO_FLOWS: Record<string, DefinitionDocument> = {
  leave: {
    name: t('休假申请', 'Leave'),
    biz_type: 'leave_application',
    process_admins: ADMINS,
    form: [
      field('leave_type', t('假期类型', 'Leave type'), 'enum', true, {
        options: [
          { value: 'annual', label: t('年假', 'Annual') },
          { value: 'sick', label: t('病假', 'Sick') },
          { value: 'personal', label: t('事假', 'Personal') },
        ],
      }),
      ...dateRange(),
      field('reason', t('事由', 'Reason'), 'text', false),
    ],
    nodes: escalatingApproval({
      id: 'long_leave',
      name: t('超过 3 天？', 'More than 3 days?'),
      condition: 'form.days > 3',
    }),
  },
  info_change: {
    name: t('信息变更', 'Information change'),
    biz_type: 'person_info_change',
    process_admins: ADMINS,
    form: [
      field('field', t('变更项', 'Field'), 'enum', true, {
        options: [
          { value: 'phone', label: t('电话', 'Phone') },
          { value: 'address', label: t('地址', 'Address') },
          { value: 'bank_account', label: t('银行账户', 'Bank account') },
        ],
      }),
      field('new_value', t('新值', 'New value'), 'text', true),
    ],
    nodes: [start('hrbp'), hrbpApproval('end', { editable_fields: ['new_value'] }), end],
  },
  job_change: {
    name: t('员工异动', 'Job change'),
    biz_type: 'job_change',
    process_admins: ADMINS,
    form: [
      field('target_department', t('目标部门', 'Target department'), 'department', true),
      field('effective_date', t('生效日期', 'Effective date'), 'date', true),
      field('reason', t('原因', 'Reason'), 'text', true),
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
      hrbpApproval('end'),
      end,
    ],
  },
  offboarding: {
    name: t('离职申请', 'Offboarding'),
    biz_type: 'offboarding_info',
    process_admins: ADMINS,
    form: [
      field('last_day', t('最后工作日', 'Last day'), 'date', true),
      field('reason', t('离职原因', 'Reason'), 'text', true),
      field('handover_to', t('工作交接人', 'Hand over to'), 'user', false),
    ],
    nodes: [
      start('manager'),
      managerApproval('handover'),
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
      field('amount', t('总金额', 'Amount'), 'number', true),
      field('items', t('明细', 'Items'), 'record', true, {
        sub_fields: [
          field('description', t('说明', 'Description'), 'text', true),
          field('amount', t('金额', 'Amount'), 'number', true),
        ],
      }),
    ],
    nodes: [
      start('manager'),
      { ...managerApproval('over_5000'), timers: EXPENSE_MANAGER_TIMERS },
      threshold('over_5000', undefined, 'form.amount > 5000', 'dept_leader', 'end'),
      departmentLeaderApproval('over_20000'),
      threshold('over_20000', undefined, 'form.amount > 20000', 'process_admin', 'end'),
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
