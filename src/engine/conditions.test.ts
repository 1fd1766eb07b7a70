import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkCondition, conditionHolds, CONDITION_TYPES, type ConditionEnv } from './conditions.js';
import { validateDefinition } from './definition.js';
import { conditionView, FIELD_TYPES, type FormField } from './form.js';
import { end, flow, LEAVE_FORM, start } from './__fixtures__/flows.js';
import { DEMO_FLOWS } from '../services/demo-flows.js';
import { fromDocument } from '../services/definition-document.js';

const field = (apiName: string, type: FormField['type'], extra: Partial<FormField> = {}): FormField => ({
  apiName,
  label: { zh_cn: apiName, en_us: apiName },
  type,
  required: false,
  ...extra,
});

/** One field of every type, with a value of that type as the engine stores it. */
const FORM: FormField[] = [
  ...LEAVE_FORM,
  field('estimated_cost', 'number'),
  field('start_date', 'date'),
  field('at', 'date_time'),
  field('urgent', 'bool'),
  field('title', 'i18n'),
  field('tags', 'list'),
  field('dept', 'department'),
  field('who', 'employment'),
  field('doc', 'file'),
  field('ref', 'object'),
  field('lines', 'record', { subFields: [field('amount', 'number'), field('note', 'text')] }),
];
const VALUES = {
  leave_type: 'annual',
  days: '5',
  reason: 'family',
  handover_to: 'mgr',
  estimated_cost: '12000.5',
  start_date: '2026-12-01',
  at: '1780000000000',
  urgent: true,
  title: { zh_cn: '标题', en_us: 'Title' },
  tags: ['a', 'b'],
  dept: 'backend',
  who: 'emp',
  doc: { fileId: 'f1', name: 'a.pdf', size: 2048 },
  ref: { wkId: 'w1', wkApiName: 'thing' },
  lines: [{ amount: '3', note: 'x' }],
};
const ENV: ConditionEnv = {
  form: conditionView(FORM, VALUES),
  initiator: {
    user_id: 'emp',
    department_id: 'backend',
    department_ids: ['backend', 'eng'],
    employment_status: 'active',
  },
};

test('every form field type has a condition type', () => {
  for (const type of FIELD_TYPES) assert.ok(CONDITION_TYPES[type], type);
});

test('well-typed conditions check, and evaluate on the values the engine gives them', () => {
  const holds = [
    'form.days > 3',
    'form.days == 5',
    'form.days in [4, 5]',
    'form.estimated_cost > 10000',
    'form.estimated_cost >= 12000.5',
    'int(form.days) * 2 == 10',
    'form.leave_type == "annual" && form.reason.contains("fam")',
    'form.start_date >= "2026-01-01"',
    'form.at == "1780000000000"',
    'form.urgent',
    '!form.urgent || form.days > 1',
    'form.title.en_us == "Title"',
    '"b" in form.tags && size(form.tags) == 2',
    'form.dept == "backend" && form.who == "emp" && form.handover_to == "mgr"',
    'form.doc.size > 1024.0 && form.doc.name.endsWith(".pdf")',
    'form.ref.wkApiName == "thing"',
    'form.lines.size() == 1',
    'form.lines.exists(l, l.note == "x")',
    'initiator.department_id == "backend" && "eng" in initiator.department_ids',
    'initiator.user_id == "emp" && initiator.employment_status == "active"',
    'initiator.department_id != null',
    'has(form.reason)',
  ];
  for (const expression of holds) {
    assert.equal(checkCondition(expression, FORM), undefined, expression);
    assert.equal(conditionHolds(expression, ENV), true, expression);
  }
});

test('type errors are found before publish: wrong operand types, unknown names and functions, non-boolean results', () => {
  const cases: [string, RegExp][] = [
    [
      'form.estimated_cost > "10000"',
      /does not type-check: no such overload: double > string, at `form\.estimated_cost > "10000"`/,
    ],
    ['form.start_date > 20260101', /does not type-check: no such overload: string > int/],
    ['form.at > 1780000000000', /does not type-check: no such overload: string > int/],
    ['form.days + 1 > 3', /does not type-check: no such overload: double \+ int/],
    ['form.tags > 1', /does not type-check/],
    ['form.title.fr_fr == "x"', /does not type-check: No such key: fr_fr/],
    ['form.salary > 3', /^refers to unknown form field "salary"$/],
    ['initiator.level > 3', /^refers to unknown initiator attribute "level"$/],
    ['user.days > 3', /^refers to unknown name "user"/],
    ['daysBetween(form.start_date, "2026-01-01") > 3', /^calls unknown function "daysBetween"$/],
    ['form.reason.shout() == "x"', /^calls unknown function "shout"$/],
    ['form.days', /^is of type double, not a condition: it must be true or false$/],
    ['form.reason', /^is of type string, not a condition/],
    ['form.days >', /^does not parse/],
  ];
  for (const [expression, expected] of cases) {
    const problem = checkCondition(expression, FORM);
    assert.match(problem ?? 'no problem', expected, expression);
  }
  // Each of these would evaluate to false for every process: silently never taken.
  for (const [expression] of cases) assert.equal(conditionHolds(expression, ENV), false, expression);
});

test('validate names the node and the branch of a badly typed condition', () => {
  const definition = flow(
    [
      start('gw'),
      {
        id: 'gw',
        kind: 'exclusive',
        name: { zh_cn: 'g', en_us: 'g' },
        branches: [
          { condition: 'form.days > 3', next: 'end' },
          { condition: 'form.estimated_cost > "10000"', next: 'end' },
        ],
        defaultNext: 'end',
      },
      end(),
    ],
    { form: FORM },
  );
  const problems = validateDefinition(definition);
  assert.deepEqual(
    problems.map((p) => p.field),
    ['nodes[gw].branches[1].condition'],
  );
  assert.match(problems[0]?.description ?? '', /double > string/);
});

test('every demo flow validates', () => {
  const people = { idOf: (userId: string) => userId, userIdOf: (id: string) => id };
  for (const [key, doc] of Object.entries(DEMO_FLOWS)) {
    const converted = fromDocument(doc, people);
    assert.deepEqual(converted.violations, [], key);
    assert.deepEqual(validateDefinition({ ...converted.definition, id: '1', version: 1 }), [], key);
  }
});
