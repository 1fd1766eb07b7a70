import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { validateDefinition, type FlowDefinition } from './definition.js';
import { epochDay, isoToMs, type FormField } from './form.js';
import {
  checkRuleExpression,
  daysBetween,
  prepareNodeValues,
  prepareStartValues,
  roundTo,
  workdaysBetween,
  type FormRules,
} from './form-rules.js';
import { approval, context, end, flow, start, users } from './__fixtures__/flows.js';
import { decide, startProcess } from './transitions.js';

const name = (text: string) => ({ zh_cn: text, en_us: text });
const refs = { employeeExists: (id: string) => id === 'emp', departmentExists: () => false };

/** A travel application: dates, calculated days, a cost, a reason shown only for long trips. */
const TRAVEL: FormField[] = [
  { apiName: 'destination', label: name('destination'), type: 'text', required: true, maxLength: 50 },
  { apiName: 'start_date', label: name('start'), type: 'date', required: true },
  { apiName: 'end_date', label: name('end'), type: 'date', required: true },
  { apiName: 'days', label: name('days'), type: 'number', required: true, precision: 0 },
  { apiName: 'cost', label: name('cost'), type: 'number', required: false, min: 0, precision: 2 },
  { apiName: 'reason', label: name('reason'), type: 'text', required: true },
  {
    apiName: 'items',
    label: name('items'),
    type: 'record',
    required: false,
    subFields: [
      { apiName: 'what', label: name('what'), type: 'text', required: true },
      { apiName: 'amount', label: name('amount'), type: 'number', required: true, min: 0 },
    ],
  },
  { apiName: 'items_total', label: name('total'), type: 'number', required: false },
];
const TRAVEL_RULES: FormRules = {
  calculations: [
    { field: 'days', expression: 'days_between(form.start_date, form.end_date)' },
    { field: 'items_total', expression: 'sum(form.items.map(r, r.amount))' },
  ],
  visibility: [{ field: 'reason', when: 'form.days > 3' }],
  validations: [
    {
      id: 'dates',
      expression: 'form.end_date >= form.start_date',
      message: { zh_cn: '结束日期不能早于开始日期', en_us: 'The end date cannot be before the start date' },
      fields: ['end_date'],
    },
  ],
};
const trip = { destination: 'Shanghai', start_date: '2026-03-02', end_date: '2026-03-03' };

const travelFlow = (overrides: Partial<FlowDefinition> = {}) =>
  flow([start('n1'), approval('n1', [users('mgr')], 'end', { editable: ['end_date', 'reason'] }), end()], {
    form: TRAVEL,
    formRules: TRAVEL_RULES,
    ...overrides,
  });

test('day counting: both days count, workdays skip weekends, end before start is 0', () => {
  assert.equal(daysBetween('2026-03-02', '2026-03-02'), 1);
  assert.equal(daysBetween('2026-02-27', '2026-03-02'), 4);
  assert.equal(daysBetween('2024-02-28', '2024-03-01'), 3); // leap year
  assert.equal(daysBetween('2026-03-03', '2026-03-02'), 0);
  // 2026-03-06 is a Friday, 2026-03-09 a Monday.
  assert.equal(workdaysBetween('2026-03-06', '2026-03-09'), 2);
  assert.equal(workdaysBetween('2026-03-02', '2026-03-15'), 10);
  assert.equal(workdaysBetween('2026-03-07', '2026-03-08'), 0);
  assert.throws(() => daysBetween('2026-02-30', '2026-03-01'));
  assert.equal(roundTo(2.345, 2), 2.35);
  assert.equal(roundTo(-2.5, 0), -3);
});

test('property: workdays never exceed days, and a full week has five', () => {
  const day = fc
    .integer({ min: 0, max: 40_000 })
    .map((n) => new Date(n * 86_400_000).toISOString().slice(0, 10));
  fc.assert(
    fc.property(day, fc.integer({ min: 0, max: 400 }), (from, length) => {
      const to = new Date(Date.parse(from) + length * 86_400_000).toISOString().slice(0, 10);
      const days = daysBetween(from, to);
      assert.equal(days, length + 1);
      assert.ok(workdaysBetween(from, to) <= days);
      const week = new Date(Date.parse(from) + 6 * 86_400_000).toISOString().slice(0, 10);
      assert.equal(workdaysBetween(from, week), 5);
    }),
  );
});

test('at start: calculated fields are computed, client values for them ignored', () => {
  const { values, violations } = prepareStartValues(
    TRAVEL,
    TRAVEL_RULES,
    {
      ...trip,
      days: '99',
      items: [
        { what: 'train', amount: '120.5' },
        { what: 'hotel', amount: '300' },
      ],
    },
    refs,
  );
  assert.deepEqual(violations, []);
  assert.equal(values.days, '2');
  assert.equal(values.items_total, '420.5');
});

test('at start: a hidden field is not required and its value is dropped', () => {
  const short = prepareStartValues(TRAVEL, TRAVEL_RULES, { ...trip, reason: 'typed anyway' }, refs);
  assert.deepEqual(short.violations, []);
  assert.equal(short.values.reason, undefined);
  const long = prepareStartValues(TRAVEL, TRAVEL_RULES, { ...trip, end_date: '2026-03-09' }, refs);
  assert.deepEqual(long.violations, [{ field: 'reason', description: 'is required' }]);
  const explained = prepareStartValues(
    TRAVEL,
    TRAVEL_RULES,
    { ...trip, end_date: '2026-03-09', reason: 'conference' },
    refs,
  );
  assert.deepEqual(explained.violations, []);
  assert.equal(explained.values.days, '8');
  assert.equal(explained.values.reason, 'conference');
});

test('at start: a failing validation names each of its fields with its message', () => {
  const { violations } = prepareStartValues(TRAVEL, TRAVEL_RULES, { ...trip, end_date: '2026-03-01' }, refs);
  assert.deepEqual(violations, [
    { field: 'end_date', description: 'The end date cannot be before the start date' },
  ]);
});

test('field properties are enforced on values: bounds, precision, length, pattern, dates, rows', () => {
  const form: FormField[] = [
    { apiName: 'n', label: name('n'), type: 'number', required: false, min: 1, max: 10, precision: 1 },
    {
      apiName: 'code',
      label: name('code'),
      type: 'text',
      required: false,
      minLength: 2,
      maxLength: 4,
      pattern: '[A-Z]+',
    },
    { apiName: 'd', label: name('d'), type: 'date', required: false, min: '2026-01-01', max: '2026-12-31' },
    {
      apiName: 'at',
      label: name('at'),
      type: 'date_time',
      required: false,
      min: '2026-01-01T00:00:00Z',
    },
    {
      apiName: 'rows',
      label: name('rows'),
      type: 'record',
      required: false,
      subFields: [{ apiName: 'q', label: name('q'), type: 'number', required: true, max: 5 }],
    },
  ];
  const problems = (values: Record<string, unknown>) =>
    prepareStartValues(form, undefined, values, refs).violations.map((v) => `${v.field}: ${v.description}`);
  assert.deepEqual(problems({ n: '5.5', code: 'AB', d: '2026-06-01', at: String(Date.UTC(2026, 5, 1)) }), []);
  assert.deepEqual(problems({ n: '0.5' }), ['n: must be at least 1']);
  assert.deepEqual(problems({ n: '11' }), ['n: must be at most 10']);
  assert.deepEqual(problems({ n: '2.25' }), ['n: must have at most 1 decimal places']);
  assert.deepEqual(problems({ code: 'A' }), ['code: must be at least 2 characters']);
  assert.deepEqual(problems({ code: 'ABCDE' }), ['code: must be at most 4 characters']);
  assert.deepEqual(problems({ code: 'ab' }), ['code: must match the pattern [A-Z]+']);
  assert.deepEqual(problems({ code: '' }), []);
  assert.deepEqual(problems({ d: '2025-12-31' }), ['d: must be on or after 2026-01-01']);
  assert.deepEqual(problems({ at: '1000' }), ['at: must be at or after 2026-01-01T00:00:00Z']);
  assert.deepEqual(problems({ rows: [{ q: '6' }] }), ['rows[0].q: must be at most 5']);
});

test('at a node: rules run over the edited form; calculated fields cannot be set', () => {
  const current = { ...trip, days: '2' };
  const edited = prepareNodeValues(
    TRAVEL,
    TRAVEL_RULES,
    current,
    { end_date: '2026-03-10', days: '1' },
    { editable: ['end_date', 'reason'], required: ['reason'] },
    refs,
  );
  assert.equal(edited.values.days, '9');
  assert.deepEqual(edited.violations, [{ field: 'reason', description: 'is required at this node' }]);
  const bad = prepareNodeValues(
    TRAVEL,
    TRAVEL_RULES,
    current,
    { end_date: '2026-02-01' },
    { editable: ['end_date'], required: ['reason'] },
    refs,
  );
  // reason is hidden (days is 0), so not required; the validation fails on end_date.
  assert.deepEqual(
    bad.violations.map((v) => v.field),
    ['end_date'],
  );
});

test('the engine enforces rules at start and when a node edits the form', () => {
  const definition = travelFlow();
  const ctx = context();
  const refused = startProcess(
    definition,
    { processId: 'p1', initiatorId: 'emp', formValues: { ...trip, end_date: '2026-03-01' } },
    ctx,
  );
  assert.ok(!refused.ok);
  assert.equal(refused.error.kind, 'form_invalid');
  assert.ok(refused.error.violations?.some((v) => v.field === 'end_date'));

  const started = startProcess(
    definition,
    { processId: 'p1', initiatorId: 'emp', formValues: { ...trip, days: '40', reason: 'dropped' } },
    ctx,
  );
  assert.ok(started.ok);
  assert.equal(started.value.state.formValues.days, '2');
  assert.equal(started.value.state.formValues.reason, undefined);

  const task = started.value.state.tasks.find((t) => t.assigneeId === 'mgr');
  assert.ok(task);
  const approve = (fieldValues: Record<string, unknown>) =>
    decide(
      definition,
      started.value.state,
      { kind: 'approve', taskId: task.id, operatorId: 'mgr', system: false, fieldValues },
      ctx,
    );
  const early = approve({ end_date: '2026-02-01' });
  assert.ok(!early.ok);
  assert.deepEqual(
    early.error.violations?.find((v) => v.field === 'end_date')?.description,
    'The end date cannot be before the start date',
  );
  const longer = approve({ end_date: '2026-03-09', reason: 'extended' });
  assert.ok(longer.ok);
  assert.equal(longer.value.state.formValues.days, '8');
  assert.equal(longer.value.state.formValues.reason, 'extended');
});

test('rule expressions are type-checked: bool for validations and visibility, the field type for calculations', () => {
  const check = (expression: string, kind: 'validation' | 'visibility' | 'calculation', field?: string) =>
    checkRuleExpression(TRAVEL, expression, kind, field);
  assert.deepEqual(check('form.end_date >= form.start_date', 'validation'), { type: 'bool' });
  assert.deepEqual(check('form.days > 3', 'visibility'), { type: 'bool' });
  assert.deepEqual(check('days_between(form.start_date, form.end_date)', 'calculation', 'days'), {
    type: 'int',
  });
  assert.deepEqual(check('form.cost * 2', 'calculation', 'items_total'), { type: 'double' });
  assert.deepEqual(check('sum(form.items.map(r, r.amount))', 'calculation', 'items_total'), {
    type: 'double',
  });
  assert.match((check('form.days', 'validation') as { problem: string }).problem, /not a condition/);
  assert.match(
    (check('form.destination', 'calculation', 'days') as { problem: string }).problem,
    /is of type string, but days is a number field/,
  );
  assert.match(
    (check('form.nope > 1', 'visibility') as { problem: string }).problem,
    /unknown form field "nope"/,
  );
  assert.match((check('form.days >', 'validation') as { problem: string }).problem, /does not parse/);
  assert.match(
    (check('form.days + 1', 'calculation', 'days') as { problem: string }).problem,
    /uses the field/,
  );
  assert.match((check('1', 'calculation', 'items') as { problem: string }).problem, /cannot be calculated/);
});

test('publish-time problems: field properties, rules, and users of a removed field', () => {
  const problems = (definition: FlowDefinition) =>
    validateDefinition(definition).map((v) => `${v.field}: ${v.description}`);
  assert.deepEqual(problems(travelFlow()), []);

  const badFields: FormField[] = [
    {
      apiName: 'kind',
      label: name('kind'),
      type: 'enum',
      required: false,
      options: [
        { value: 'a', label: name('a') },
        { value: 'a', label: name('a again') },
      ],
    },
    { apiName: 'n', label: name('n'), type: 'number', required: false, min: 5, max: 1, defaultValue: '9' },
    { apiName: 'code', label: name('code'), type: 'text', required: false, pattern: '(', min: 3 },
    { apiName: 'Bad-Name', label: name('bad'), type: 'text', required: false },
    { apiName: 'who', label: name('who'), type: 'user', required: false, defaultValue: 'emp' },
  ];
  assert.deepEqual(problems(flow([start('end'), end()], { form: badFields })), [
    'form[0].options[1].value: "a" is listed twice',
    'form[1].max: must not be below min',
    'form[1].default: must be at most 1',
    'form[2].min: applies to number and date and date_time fields only',
    'form[2].pattern: is not a valid regular expression',
    'form[3].api_name: must start with a lower-case letter and hold only a-z, 0-9 and _ (at most 64)',
    'form[4].default: a user field cannot have a default',
  ]);

  // end_date removed while a rule, a calculation and a node still use it.
  const without = TRAVEL.filter((f) => f.apiName !== 'end_date');
  assert.deepEqual(problems(travelFlow({ form: without })), [
    'rules.validations[0].fields[0]: "end_date" is not a field of the form',
    'rules.validations[0].expression: refers to unknown form field "end_date"',
    'rules.calculations[0].expression: refers to unknown form field "end_date"',
    'nodes[n1].editable_fields[0]: "end_date" is not a field of the form',
  ]);

  // A calculated field cannot be edited at a node; a field has one visibility rule.
  const edited = travelFlow({
    nodes: [start('n1'), approval('n1', [users('mgr')], 'end', { editable: ['days'] }), end()],
    formRules: {
      ...TRAVEL_RULES,
      visibility: [...(TRAVEL_RULES.visibility ?? []), { field: 'reason', when: 'true' }],
    },
  });
  assert.deepEqual(problems(edited), [
    'rules.visibility[1].field: "reason" already has a visibility rule',
    'nodes[n1].editable_fields[0]: "days" is calculated by the server and cannot be edited',
  ]);
});

test('property: values outside a number field bounds are always refused, inside always accepted', () => {
  const form: FormField[] = [
    { apiName: 'n', label: name('n'), type: 'number', required: true, min: -50, max: 50, precision: 2 },
  ];
  fc.assert(
    fc.property(fc.integer({ min: -10_000, max: 10_000 }), (cents) => {
      const value = (cents / 100).toFixed(2);
      const violations = prepareStartValues(form, undefined, { n: value }, refs).violations;
      assert.equal(violations.length === 0, Math.abs(cents) <= 5000);
    }),
  );
});

test('property: the engine’s own calendar agrees with Date for dates and ISO 8601 times', () => {
  fc.assert(
    fc.property(
      fc.date({ min: new Date('1900-01-01'), max: new Date('2200-12-31'), noInvalidDate: true }),
      (when) => {
        const iso = when.toISOString();
        assert.equal(isoToMs(iso), when.getTime());
        assert.equal(
          epochDay(when.getUTCFullYear(), when.getUTCMonth() + 1, when.getUTCDate()),
          Math.floor(when.getTime() / 86_400_000),
        );
      },
    ),
  );
  assert.equal(isoToMs('2026-01-01T08:00:00+08:00'), Date.UTC(2026, 0, 1));
  assert.ok(Number.isNaN(isoToMs('2026-02-30T00:00:00Z')));
});
