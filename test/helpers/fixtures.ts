import assert from 'node:assert/strict';
import { PeopleClient } from './people.js';
import type { TestServer } from './server.js';

/**
 * Fixtures the server tests share — flow documents, demo sign-in and look-ups, additions to the demo
 * directory — so that a "trip with form rules" or "one approval by named people" is written once (the
 * demo's own flows live in src/services/demo-flows.ts).
 */

export const i18n = (zh_cn: string, en_us: string) => ({ zh_cn, en_us });

/** A demo person signed in to the people API (the server runs with --demo). */
export async function signedInDemo(server: Pick<TestServer, 'url'>, userId: string): Promise<PeopleClient> {
  const client = new PeopleClient(server.url);
  await client.signInDemo(userId);
  return client;
}

/** The id of the demo tenant's flow published for `bizType`. */
export async function demoFlowId(server: TestServer, bizType: string): Promise<string> {
  const list = await server.admin('GET', '/tenants/demo/flow_definitions?page_size=100');
  const found = (
    list.body.data.items as { flow_definition_id: string; published?: { biz_type: string } | null }[]
  ).find((d) => d.published?.biz_type === bizType);
  assert.ok(found, `no demo flow ${bizType}`);
  return found.flow_definition_id;
}

type FieldDoc = Record<string, unknown> & { api_name: string };

/**
 * A travel application with form rules: `days` is calculated from the dates and a `reason` is asked
 * only for trips over 3 days; the manager approves. The options add fields (before the dates, and
 * after `days`), validations, and what the manager may edit.
 */
export function tripFlow(
  options: {
    fieldsFirst?: FieldDoc[];
    fieldsAfterDays?: FieldDoc[];
    validations?: Record<string, unknown>[];
    managerEditable?: string[];
  } = {},
) {
  return {
    name: i18n('出差申请', 'Travel application'),
    biz_type: 'travel_application',
    process_admins: ['process_admin'],
    form: [
      ...(options.fieldsFirst ?? []),
      { api_name: 'start_date', label: i18n('开始日期', 'Start date'), type: 'date', required: true },
      { api_name: 'end_date', label: i18n('结束日期', 'End date'), type: 'date', required: true },
      { api_name: 'days', label: i18n('天数', 'Days'), type: 'number', required: true, precision: 0 },
      ...(options.fieldsAfterDays ?? []),
      { api_name: 'reason', label: i18n('理由', 'Reason'), type: 'text', required: true },
    ],
    rules: {
      ...(options.validations ? { validations: options.validations } : {}),
      visibility: [{ field: 'reason', when: 'form.days > 3' }],
      calculations: [{ field: 'days', expression: 'days_between(form.start_date, form.end_date)' }],
    },
    nodes: [
      { type: 'start', id: 'start', next: 'manager' },
      {
        type: 'approval',
        id: 'manager',
        name: i18n('直属上级', 'Manager'),
        approvers: [{ type: 'manager', level: 1 }],
        ...(options.managerEditable ? { editable_fields: options.managerEditable } : {}),
        next: 'end',
      },
      { type: 'end', id: 'end' },
    ],
  };
}

/** The smallest importable flow: start, one approval by the people named, end. */
export function singleApprovalFlow(options: {
  name: { zh_cn: string; en_us: string };
  bizType: string;
  processAdmins: string[];
  form?: FieldDoc[];
  node: { id: string; name: { zh_cn: string; en_us: string }; userIds: string[] };
}) {
  return {
    name: options.name,
    biz_type: options.bizType,
    process_admins: options.processAdmins,
    form: options.form ?? [],
    nodes: [
      { type: 'start', id: 'start', name: i18n('发起', 'Start'), next: options.node.id },
      {
        type: 'approval',
        id: options.node.id,
        name: options.node.name,
        approvers: [{ type: 'users', user_ids: options.node.userIds }],
        next: 'end',
      },
      { type: 'end', id: 'end', name: i18n('结束', 'End') },
    ],
  };
}

/** A required free-text field. */
export const noteField = (label = i18n('说明', 'Note')) => ({
  api_name: 'note',
  label,
  type: 'text',
  required: true,
});

/**
 * Adds to the demo directory, through the operators' admin API: Operations (`ops`), a department
 * without a leader, with two people reporting to the CEO — one whose names a spreadsheet would run
 * as formulas (for CSV exports).
 */
export async function addLeaderlessDepartment(server: TestServer): Promise<void> {
  const dept = await server.admin('POST', '/tenants/demo/departments', {
    department_id: 'ops',
    name: i18n('运营部', 'Operations'),
    parent_department_id: 'company',
  });
  assert.equal(dept.status, 201, JSON.stringify(dept.body));
  for (const [userId, name] of [
    ['ops_worker', i18n('孙运', 'Sun Yun')],
    ['ops_formula', i18n('=1+2', '@SUM(A1)')],
  ] as const) {
    const person = await server.admin('POST', '/tenants/demo/employees', {
      user_id: userId,
      name,
      email: `${userId}@demo.peopleflow.local`,
      department_id: 'ops',
      manager_user_id: 'ceo',
    });
    assert.equal(person.status, 201, JSON.stringify(person.body));
  }
}
