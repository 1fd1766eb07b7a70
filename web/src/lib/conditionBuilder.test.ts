import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { FlowFormField } from '@contract';
// The engine's checker and evaluator (pure), so "type-correct" means what publishing means.
import { checkCondition, conditionHolds, type ConditionEnv } from '../../../src/engine/conditions';
import type { FormField } from '../../../src/engine/form';
import {
  builderProblems,
  celNumber,
  fromCel,
  INITIATOR_DEPARTMENT,
  INITIATOR_USER,
  isGroup,
  OPERATORS,
  subjectsOf,
  toCel,
  type ConditionGroup,
  type ConditionRow,
  type Operator,
} from './conditionBuilder';

const t = (s: string) => ({ zh_cn: s, en_us: s });
const form: FlowFormField[] = [
  { api_name: 'cost', label: t('Cost'), type: 'number' },
  { api_name: 'city', label: t('City'), type: 'text' },
  {
    api_name: 'kind',
    label: t('Kind'),
    type: 'enum',
    options: [
      { value: 'flight', label: t('Flight') },
      { value: 'train', label: t('Train') },
    ],
  },
  { api_name: 'urgent', label: t('Urgent'), type: 'bool' },
  { api_name: 'start_date', label: t('Start'), type: 'date' },
  { api_name: 'traveller', label: t('Traveller'), type: 'user' },
];
const engineForm: FormField[] = form.map((f) => ({
  apiName: f.api_name,
  label: f.label,
  type: f.type,
  required: false,
  ...(f.options ? { options: f.options } : {}),
}));
const check = (cel: string) => checkCondition(cel, engineForm);

const env = (
  formValues: Record<string, unknown>,
  departmentIds: string[] = ['backend', 'tech', 'root'],
): ConditionEnv => ({
  form: formValues,
  initiator: {
    user_id: 'zhangsan',
    department_id: departmentIds[0] ?? null,
    department_ids: departmentIds,
    employment_status: 'active',
  },
});

const row = (subject: string, operator: Operator, value: ConditionRow['value']): ConditionRow => ({
  subject,
  operator,
  value,
});

describe('condition builder → CEL', () => {
  it('writes numbers as doubles and strings quoted and escaped', () => {
    expect(celNumber(10000)).toBe('10000.0');
    expect(celNumber(2.5)).toBe('2.5');
    const group: ConditionGroup = {
      join: 'and',
      items: [row('form.cost', 'gt', 10000), row('form.city', 'eq', 'Say "hi"\\\n')],
    };
    const cel = toCel(group, form);
    expect(cel).toBe('form.cost > 10000.0 && form.city == "Say \\"hi\\"\\\\\\n"');
    expect(check(cel as string)).toBeUndefined();
    expect(conditionHolds(cel as string, env({ cost: 20000, city: 'Say "hi"\\\n' }))).toBe(true);
    expect(conditionHolds(cel as string, env({ cost: 20000, city: 'x' }))).toBe(false);
  });

  it('writes every operator of every type as CEL that type-checks and means what it says', () => {
    const cases: [ConditionRow, Record<string, unknown>, boolean][] = [
      [row('form.cost', 'eq', 3), { cost: 3 }, true],
      [row('form.cost', 'ne', 3), { cost: 3 }, false],
      [row('form.cost', 'ge', 3.5), { cost: 3.5 }, true],
      [row('form.cost', 'lt', 3.5), { cost: 3.5 }, false],
      [row('form.cost', 'le', -1), { cost: -2 }, true],
      [row('form.city', 'in', ['Paris', 'Rome']), { city: 'Rome' }, true],
      [row('form.city', 'contains', 'ari'), { city: 'Paris' }, true],
      [row('form.kind', 'ne', 'flight'), { kind: 'train' }, true],
      [row('form.urgent', 'is_true', null), { urgent: true }, true],
      [row('form.urgent', 'is_false', null), { urgent: true }, false],
      [row('form.start_date', 'before', '2026-01-01'), { start_date: '2025-12-31' }, true],
      [row('form.start_date', 'after', '2026-01-01'), { start_date: '2025-12-31' }, false],
      [row('form.start_date', 'on', '2026-01-01'), { start_date: '2026-01-01' }, true],
      [row(INITIATOR_DEPARTMENT, 'eq', 'backend'), {}, true],
      [row(INITIATOR_DEPARTMENT, 'ne', 'backend'), {}, false],
      [row(INITIATOR_DEPARTMENT, 'in', ['sales', 'backend']), {}, true],
      [row(INITIATOR_DEPARTMENT, 'in_or_under', ['tech']), {}, true],
      [row(INITIATOR_DEPARTMENT, 'in_or_under', ['sales', 'root']), {}, true],
      [row(INITIATOR_DEPARTMENT, 'in_or_under', ['sales']), {}, false],
      [row(INITIATOR_USER, 'in', ['zhangsan']), {}, true],
    ];
    for (const [r, values, expected] of cases) {
      const cel = toCel({ join: 'and', items: [r] }, form);
      expect(cel, JSON.stringify(r)).not.toBeNull();
      expect(check(cel as string), cel as string).toBeUndefined();
      expect(conditionHolds(cel as string, env(values)), cel as string).toBe(expected);
      expect(fromCel(cel as string, form)).toEqual({ join: 'and', items: [r] });
    }
  });

  it('groups with AND / OR, one level deep, in parentheses', () => {
    const group: ConditionGroup = {
      join: 'or',
      items: [
        row('form.urgent', 'is_true', null),
        { join: 'and', items: [row('form.cost', 'gt', 100), row('form.kind', 'eq', 'flight')] },
      ],
    };
    const cel = toCel(group, form);
    expect(cel).toBe('form.urgent == true || (form.cost > 100.0 && form.kind == "flight")');
    expect(check(cel as string)).toBeUndefined();
    expect(fromCel(cel as string, form)).toEqual(group);
  });

  it('answers null while a row is incomplete, naming it', () => {
    const group: ConditionGroup = {
      join: 'and',
      items: [row('form.cost', 'gt', Number.NaN), row('form.city', 'eq', ''), row('form.gone', 'eq', 'x')],
    };
    expect(toCel(group, form)).toBeNull();
    expect(builderProblems(group, form)).toEqual([
      { path: [0], problem: 'bad_number' },
      { path: [1], problem: 'no_value' },
      { path: [2], problem: 'unknown_subject' },
    ]);
    expect(builderProblems({ join: 'and', items: [] }, form)).toEqual([{ path: [], problem: 'empty_group' }]);
  });

  it('does not offer person and department form fields (conditions see internal ids there)', () => {
    expect(subjectsOf(form).map((s) => s.key)).not.toContain('form.traveller');
  });
});

describe('CEL → condition builder', () => {
  it('opens anything it did not write as raw CEL', () => {
    for (const cel of [
      'form.cost > 10000', // an int literal: not how the builder writes numbers
      'form.cost > 1.0 && form.city == "a" || form.urgent == true', // mixed without parentheses
      'size(form.city) > 3',
      'form.traveller == "x"',
      'form.nope == "x"',
      'form.cost>1.0',
      '(form.cost > 1.0 && (form.cost < 2.0 || form.urgent == true))',
      'form.city == "a',
      '',
      'true',
      'false',
    ])
      expect(fromCel(cel, form), cel).toBeNull();
  });
});

// ---------------------------------------------------------------------------------------------
// properties

const text = fc.string({ maxLength: 12 });
const rowArb: fc.Arbitrary<ConditionRow> = fc.oneof(
  fc.record({
    subject: fc.constant('form.cost'),
    operator: fc.constantFrom(...OPERATORS.number),
    value: fc.oneof(
      fc.integer({ min: -1_000_000, max: 1_000_000 }),
      fc
        .double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true })
        .filter((n) => !Object.is(n, -0)),
    ),
  }),
  fc.record({
    subject: fc.constant('form.city'),
    operator: fc.constantFrom<Operator>('eq', 'ne', 'contains'),
    value: text.filter((s) => s !== ''),
  }),
  fc.record({
    subject: fc.constantFrom('form.city', 'form.kind', INITIATOR_USER, INITIATOR_DEPARTMENT),
    operator: fc.constant<Operator>('in'),
    value: fc.array(text, { minLength: 1, maxLength: 3 }),
  }),
  fc.record({
    subject: fc.constant('form.urgent'),
    operator: fc.constantFrom<Operator>('is_true', 'is_false'),
    value: fc.constant(null),
  }),
  fc.record({
    subject: fc.constant('form.start_date'),
    operator: fc.constantFrom<Operator>('before', 'after', 'on'),
    value: fc
      .date({ min: new Date('1990-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10)),
  }),
  fc
    .record({
      subject: fc.constant(INITIATOR_DEPARTMENT),
      operator: fc.constantFrom<Operator>('eq', 'ne', 'in_or_under'),
      value: text.filter((s) => s !== ''),
    })
    .map((r) => (r.operator === 'in_or_under' ? { ...r, value: [r.value] } : r)),
);

const groupArb: fc.Arbitrary<ConditionGroup> = fc.record({
  join: fc.constantFrom<'and' | 'or'>('and', 'or'),
  items: fc.array(
    fc.oneof(
      { weight: 3, arbitrary: rowArb },
      {
        weight: 1,
        arbitrary: fc.record({
          join: fc.constantFrom<'and' | 'or'>('and', 'or'),
          items: fc.array(rowArb, { minLength: 2, maxLength: 3 }),
        }),
      },
    ),
    { minLength: 1, maxLength: 4 },
  ),
});

/** A group of one item has no join in CEL (it reads back as AND): compare what the CEL can say. */
const normal = (g: ConditionGroup): ConditionGroup => ({
  join: g.items.length === 1 ? 'and' : g.join,
  items: g.items.map((item) => (isGroup(item) ? normal(item) : item)),
});

describe('properties', () => {
  it('builder → CEL type-checks, and reads back as the same builder', () => {
    fc.assert(
      fc.property(groupArb, (group) => {
        const cel = toCel(group, form);
        expect(cel).not.toBeNull();
        expect(check(cel as string)).toBeUndefined();
        const back = fromCel(cel as string, form);
        expect(back && normal(back)).toEqual(normal(group));
      }),
      { numRuns: 300 },
    );
  });
});
