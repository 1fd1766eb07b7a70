import { Environment, type TypeCheckResult } from '@marcbachmann/cel-js';
import { CONDITION_TYPES, describeCelError } from './conditions.js';
import type { I18nText } from './directory.js';
import {
  checkFieldValues,
  epochDay,
  isEmpty,
  isValidDate,
  valueProblem,
  type FieldType,
  type FieldValue,
  type FormField,
  type FormValues,
  type ReferenceCheck,
} from './form.js';
import type { FieldViolation } from './result.js';

/**
 * Form rules: CEL expressions over `form.<api_name>` that the engine enforces whenever the form is
 * filled in (at start and at each node that edits it). In this order:
 *   1. calculations — the server computes the field (a value the client sent is ignored);
 *   2. visibility — a field whose `when` is not true is hidden: not required, its value dropped;
 *   3. validations — a rule that evaluates to false refuses the form with its message on its fields.
 * An expression that cannot be evaluated (a field it reads is empty) counts as false for visibility,
 * leaves a calculated field empty, and does not refuse the form for a validation.
 */
export interface ValidationRule {
  id: string;
  expression: string;
  message: I18nText;
  /** The fields the message is shown on. */
  fields: string[];
}
export interface VisibilityRule {
  field: string;
  when: string;
}
export interface CalculationRule {
  field: string;
  expression: string;
}
export interface FormRules {
  validations?: ValidationRule[];
  visibility?: VisibilityRule[];
  calculations?: CalculationRule[];
}

/** Field types a calculation may fill, and the CEL result types each accepts. */
export const CALCULATED_TYPES: Partial<Record<FieldType, readonly string[]>> = {
  number: ['double', 'int', 'dyn'],
  text: ['string', 'dyn'],
  enum: ['string', 'dyn'],
  date: ['string', 'dyn'],
  bool: ['bool', 'dyn'],
};

function dayNumber(date: string): number {
  if (!isValidDate(date)) throw new Error(`not a date: ${date}`);
  return epochDay(Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10)));
}

/** Days from `start` to `end`, both counted; 0 when `end` is before `start`. */
export function daysBetween(start: string, end: string): number {
  return Math.max(0, dayNumber(end) - dayNumber(start) + 1);
}

/** Monday-to-Friday days from `start` to `end`, both counted; 0 when `end` is before `start`. */
export function workdaysBetween(start: string, end: string): number {
  const first = dayNumber(start);
  const last = dayNumber(end);
  if (last < first) return 0;
  const weeks = Math.floor((last - first + 1) / 7);
  let count = weeks * 5;
  // 1970-01-01 (day 0) was a Thursday: weekday 4 with Sunday = 0.
  for (let day = first + weeks * 7; day <= last; day++) {
    const weekday = (day + 4) % 7;
    if (weekday !== 0 && weekday !== 6) count++;
  }
  return count;
}

/** Rounds half away from zero to `places` decimals (0–10). */
export function roundTo(value: number, places: number): number {
  const p = Math.min(10, Math.max(0, places));
  const factor = 10 ** p;
  return (Math.sign(value) * Math.round(Math.abs(value) * factor + Number.EPSILON)) / factor;
}

/** The functions rules may call besides CEL's own (size, contains, matches, map, filter, …). */
export const RULE_FUNCTIONS = [
  'days_between(date, date) → int: days from start to end, both counted (0 if end is before start)',
  'workdays_between(date, date) → int: Monday–Friday days from start to end, both counted',
  'hours_between(date_time, date_time) → double: hours from the first to the second',
  'sum(list<double>) → double, sum(list<int>) → int: e.g. sum(form.items.map(r, r.cost))',
  'round(double, int) → double: rounded half away from zero to that many decimals',
] as const;

const int = (n: number) => BigInt(Math.trunc(n));
const ms = (text: string): number => {
  if (!/^\d{1,15}$/.test(text)) throw new Error(`not a date_time: ${text}`);
  return Number(text);
};

/**
 * Number fields are doubles in CEL; authors write integer literals (`form.cost * 2`, `form.days == 3`),
 * so mixed double/int arithmetic and equality are declared.
 */
const RULES_BASE: Environment = (() => {
  let env = new Environment()
    .registerFunction('days_between(string, string): int', (a: string, b: string) => int(daysBetween(a, b)))
    .registerFunction('workdays_between(string, string): int', (a: string, b: string) =>
      int(workdaysBetween(a, b)),
    )
    .registerFunction(
      'hours_between(string, string): double',
      (a: string, b: string) => (ms(b) - ms(a)) / 3_600_000,
    )
    .registerFunction('sum(list<double>): double', (list: number[]) => list.reduce((a, b) => a + b, 0))
    .registerFunction('sum(list<int>): int', (list: bigint[]) => list.reduce((a, b) => a + b, 0n))
    .registerFunction('round(double, int): double', (value: number, places: bigint) =>
      roundTo(value, Number(places)),
    );
  const arithmetic: [string, (a: number, b: number) => number][] = [
    ['+', (a, b) => a + b],
    ['-', (a, b) => a - b],
    ['*', (a, b) => a * b],
    ['/', (a, b) => a / b],
  ];
  for (const [op, fn] of arithmetic) {
    env = env
      .registerOperator(`double ${op} int: double`, (a: number, b: bigint) => fn(a, Number(b)))
      .registerOperator(`int ${op} double: double`, (a: bigint, b: number) => fn(Number(a), b));
  }
  return env
    .registerOperator('double == int', (a: number, b: bigint) => a === Number(b))
    .registerOperator('double in list<int>', (a: number, list: bigint[]) =>
      list.some((b) => a === Number(b)),
    );
})();
const RULE_FUNCTION_NAMES = new Set(RULES_BASE.getDefinitions().functions.map((f) => f.name));

type CelSchema = string | { [key: string]: CelSchema };

interface RulesEnv {
  env: Environment;
  compiled: Map<string, ((context: Record<string, unknown>) => unknown) | null>;
}

const envs = new WeakMap<readonly FormField[], RulesEnv>();

/** The CEL environment of one form: `form` typed field by field, record rows typed by their columns. */
function rulesEnv(form: readonly FormField[]): RulesEnv {
  const cached = envs.get(form);
  if (cached) return cached;
  let env = RULES_BASE.clone();
  const schema: Record<string, CelSchema> = {};
  try {
    for (const field of form) {
      if (field.type === 'record') {
        const columns: Record<string, CelSchema> = {};
        for (const column of field.subFields ?? []) {
          const type = CONDITION_TYPES[column.type] as CelSchema | undefined;
          if (type !== undefined && column.type !== 'record') columns[column.apiName] = type;
        }
        const typeName = `Row_${field.apiName}`;
        env = env.registerType(typeName, { schema: columns });
        schema[field.apiName] = `list<${typeName}>`;
      } else {
        const type = CONDITION_TYPES[field.type] as CelSchema | undefined;
        if (type !== undefined) schema[field.apiName] = type;
      }
    }
    env = env.registerVariable({ name: 'form', schema });
  } catch {
    // A form the rest of validation refuses (odd names, say): rules see no fields.
    env = RULES_BASE.clone().registerVariable({ name: 'form', schema: {} });
  }
  const made = { env, compiled: new Map() };
  envs.set(form, made);
  return made;
}

/** The result type of an expression over this form, or the problem in the author's terms. */
export function typeOfRuleExpression(
  form: readonly FormField[],
  expression: string,
): { type: string } | { problem: string } {
  const { env } = rulesEnv(form);
  let result: TypeCheckResult;
  try {
    result = env.check(expression);
  } catch (error) {
    return { problem: `does not parse: ${((error as Error).message.split('\n')[0] ?? '').trim()}` };
  }
  if (!result.valid)
    return { problem: describeCelError(expression, result.error, RULE_FUNCTION_NAMES, 'use form.<field>') };
  return { type: result.type ?? 'dyn' };
}

export type RuleKind = 'validation' | 'visibility' | 'calculation';

/**
 * Checks one rule expression: validations and visibility must be true/false; a calculation must give
 * a value of its field's type. Answers the result type, or the problem.
 */
export function checkRuleExpression(
  form: readonly FormField[],
  expression: string,
  kind: RuleKind,
  target?: string,
): { type: string } | { problem: string } {
  if (kind === 'calculation') {
    const field = form.find((f) => f.apiName === target);
    if (!field) return { problem: `calculates "${target ?? ''}", which is not a field of the form` };
    const accepted = CALCULATED_TYPES[field.type];
    if (!accepted) return { problem: `a ${field.type} field cannot be calculated` };
    if (new RegExp(`\\bform\\.${field.apiName}\\b`).test(expression))
      return { problem: `uses the field it calculates (form.${field.apiName})` };
    const typed = typeOfRuleExpression(form, expression);
    if ('problem' in typed) return typed;
    if (!accepted.includes(typed.type))
      return {
        problem: `is of type ${typed.type}, but ${field.apiName} is a ${field.type} field (needs ${accepted
          .filter((t) => t !== 'dyn')
          .join(' or ')})`,
      };
    return typed;
  }
  const typed = typeOfRuleExpression(form, expression);
  if ('problem' in typed) return typed;
  if (typed.type !== 'bool' && typed.type !== 'dyn')
    return { problem: `is of type ${typed.type}, not a condition: it must be true or false` };
  return typed;
}

/** Publish-time checks of a form's rules: each problem names its path (`rules.validations[0].expression`). */
export function validateFormRules(
  form: readonly FormField[],
  rules: FormRules | undefined,
): FieldViolation[] {
  const out: FieldViolation[] = [];
  if (!rules) return out;
  const bad = (field: string, description: string) => out.push({ field, description });
  const names = new Set(form.map((f) => f.apiName));
  const known = (name: string, at: string) => {
    if (!names.has(name)) bad(at, `"${name}" is not a field of the form`);
    return names.has(name);
  };
  const ids = new Set<string>();
  (rules.validations ?? []).forEach((rule, i) => {
    const at = `rules.validations[${i}]`;
    if (ids.has(rule.id)) bad(`${at}.id`, `"${rule.id}" is used twice`);
    ids.add(rule.id);
    if (rule.fields.length === 0) bad(`${at}.fields`, 'name at least one field to show the message on');
    rule.fields.forEach((name, j) => known(name, `${at}.fields[${j}]`));
    const checked = checkRuleExpression(form, rule.expression, 'validation');
    if ('problem' in checked) bad(`${at}.expression`, checked.problem);
  });
  const shown = new Set<string>();
  (rules.visibility ?? []).forEach((rule, i) => {
    const at = `rules.visibility[${i}]`;
    if (known(rule.field, `${at}.field`)) {
      if (shown.has(rule.field)) bad(`${at}.field`, `"${rule.field}" already has a visibility rule`);
      shown.add(rule.field);
    }
    const checked = checkRuleExpression(form, rule.when, 'visibility');
    if ('problem' in checked) bad(`${at}.when`, checked.problem);
  });
  const calculated = new Set<string>();
  (rules.calculations ?? []).forEach((rule, i) => {
    const at = `rules.calculations[${i}]`;
    if (!known(rule.field, `${at}.field`)) return;
    if (calculated.has(rule.field)) bad(`${at}.field`, `"${rule.field}" is calculated twice`);
    calculated.add(rule.field);
    const checked = checkRuleExpression(form, rule.expression, 'calculation', rule.field);
    if ('problem' in checked)
      bad(checked.problem.startsWith('a ') ? `${at}.field` : `${at}.expression`, checked.problem);
  });
  return out;
}

/** The fields a rule is about, for pinning a problem at `rules.<kind>[i]…` on a field in the designer. */
export function ruleFieldOf(rules: FormRules | undefined, path: string): string | undefined {
  const m = /^rules\.(validations|visibility|calculations)\[(\d+)\](?:\.fields\[(\d+)\])?/.exec(path);
  if (!m || !rules) return undefined;
  const index = Number(m[2]);
  if (m[1] === 'validations') {
    const rule = rules.validations?.[index];
    return m[3] !== undefined ? rule?.fields[Number(m[3])] : rule?.fields[0];
  }
  return m[1] === 'visibility' ? rules.visibility?.[index]?.field : rules.calculations?.[index]?.field;
}

/** The fields the server calculates. */
export function calculatedFields(rules: FormRules | undefined): Set<string> {
  return new Set((rules?.calculations ?? []).map((c) => c.field));
}

/** Form values as CEL sees them: numbers (also in record rows) as numbers, everything else as stored. */
export function rulesView(form: readonly FormField[], values: FormValues): Record<string, unknown> {
  const view: Record<string, unknown> = {};
  for (const field of form) {
    const value = values[field.apiName];
    if (value === undefined) continue;
    if (field.type === 'number' && typeof value === 'string') view[field.apiName] = Number(value);
    else if (field.type === 'record' && Array.isArray(value)) {
      const numbers = (field.subFields ?? []).filter((c) => c.type === 'number').map((c) => c.apiName);
      view[field.apiName] = (value as Record<string, unknown>[]).map((row) => {
        const copy: Record<string, unknown> = { ...row };
        for (const name of numbers) if (typeof copy[name] === 'string') copy[name] = Number(copy[name]);
        return copy;
      });
    } else view[field.apiName] = value;
  }
  return view;
}

function run(form: readonly FormField[], expression: string, values: FormValues): unknown {
  const cache = rulesEnv(form);
  let compiled = cache.compiled.get(expression);
  if (compiled === undefined) {
    try {
      compiled = cache.env.parse(expression) as (context: Record<string, unknown>) => unknown;
    } catch {
      compiled = null;
    }
    if (cache.compiled.size > 500) cache.compiled.clear();
    cache.compiled.set(expression, compiled);
  }
  if (compiled === null) throw new Error('does not parse');
  return compiled({ form: rulesView(form, values) });
}

/** A CEL result as the field's stored value, or undefined when it cannot be one. */
function asFieldValue(field: FormField, result: unknown): FieldValue | undefined {
  switch (field.type) {
    case 'number': {
      const n = typeof result === 'bigint' ? Number(result) : result;
      if (typeof n !== 'number' || !Number.isFinite(n)) return undefined;
      const rounded = roundTo(n, field.precision ?? 10);
      // Plain decimal notation (no exponent), trailing zeros trimmed.
      return rounded.toFixed(field.precision ?? 10).replace(/\.?0+$/, '') || '0';
    }
    case 'text':
    case 'enum':
    case 'date':
      return typeof result === 'string' ? result : undefined;
    case 'bool':
      return typeof result === 'boolean' ? result : undefined;
    case 'date_time':
    case 'i18n':
    case 'user':
    case 'department':
    case 'employment':
    case 'list':
    case 'file':
    case 'object':
    case 'record':
      return undefined; // not calculable (refused at publish)
  }
}

const topName = (path: string) => path.split(/[.[]/)[0] ?? path;
const omit = (values: Record<string, unknown>, names: ReadonlySet<string>) =>
  Object.fromEntries(Object.entries(values).filter(([name]) => !names.has(name)));

export interface RulesOutcome {
  /** The values to store: calculated fields filled in, hidden fields dropped. */
  values: FormValues;
  hidden: Set<string>;
  /** Problems with calculated values, and failed validations (one per field each names). */
  violations: FieldViolation[];
}

/** Runs a form's rules over values already checked field by field (see the order above). */
export function applyFormRules(
  form: readonly FormField[],
  rules: FormRules | undefined,
  given: FormValues,
  refs: ReferenceCheck,
): RulesOutcome {
  let values: FormValues = { ...given };
  const without = (name: string) => Object.fromEntries(Object.entries(values).filter(([k]) => k !== name));
  const hidden = new Set<string>();
  const violations: FieldViolation[] = [];
  if (!rules) return { values, hidden, violations };
  const byName = new Map(form.map((f) => [f.apiName, f]));
  const calculations = rules.calculations ?? [];
  values = omit(values, calculatedFields(rules)) as FormValues;
  for (const rule of calculations) {
    const field = byName.get(rule.field);
    if (!field) continue;
    let result: FieldValue | undefined;
    try {
      result = asFieldValue(field, run(form, rule.expression, values));
    } catch {
      result = undefined;
    }
    if (result !== undefined) values[rule.field] = result;
  }
  for (const rule of rules.visibility ?? []) {
    let visible: boolean;
    try {
      visible = run(form, rule.when, values) === true;
    } catch {
      visible = false;
    }
    if (!visible) {
      hidden.add(rule.field);
      values = without(rule.field);
    }
  }
  for (const rule of calculations) {
    const field = byName.get(rule.field);
    const value = values[rule.field];
    if (!field || hidden.has(rule.field)) continue;
    if (value === undefined) {
      if (field.required)
        violations.push({ field: rule.field, description: 'could not be calculated from the values given' });
      continue;
    }
    const problem = valueProblem(field, value, refs);
    if (problem !== undefined)
      violations.push({
        field: rule.field,
        description: `the calculated value ${JSON.stringify(value)} ${problem}`,
      });
  }
  for (const rule of rules.validations ?? []) {
    let holds: boolean;
    try {
      holds = run(form, rule.expression, values) !== false;
    } catch {
      holds = true;
    }
    if (!holds)
      for (const name of rule.fields)
        if (!hidden.has(name)) violations.push({ field: name, description: rule.message.en_us });
  }
  return { values, hidden, violations };
}

/**
 * The values a new process starts with, and every problem with them: values of the wrong type or
 * outside their field's bounds, required fields left empty (unless hidden or calculated), calculated
 * values that do not fit, and failed validations. Client values for calculated fields are ignored.
 */
export function prepareStartValues(
  form: readonly FormField[],
  rules: FormRules | undefined,
  submitted: Record<string, unknown>,
  refs: ReferenceCheck,
): { values: FormValues; violations: FieldViolation[] } {
  const calculated = calculatedFields(rules);
  const given = omit(submitted, calculated);
  const typeProblems = checkFieldValues(form, given, refs, { requireAll: false });
  const unusable = new Set(typeProblems.map((v) => topName(v.field)));
  const outcome = applyFormRules(form, rules, omit(given, unusable) as FormValues, refs);
  const violations = typeProblems.filter((v) => !outcome.hidden.has(topName(v.field)));
  for (const field of form) {
    const name = field.apiName;
    if (!field.required || outcome.hidden.has(name) || calculated.has(name) || unusable.has(name)) continue;
    if (isEmpty(outcome.values[name])) violations.push({ field: name, description: 'is required' });
  }
  violations.push(...outcome.violations);
  return { values: outcome.values, violations };
}

/** Problems with values submitted at start (see prepareStartValues). */
export function validateStartValues(
  form: readonly FormField[],
  submitted: Record<string, unknown>,
  refs: ReferenceCheck,
  rules?: FormRules,
): FieldViolation[] {
  return prepareStartValues(form, rules, submitted, refs).violations;
}

/**
 * The values after a node edits the form: only its editable fields may be submitted, its required
 * fields must end up filled (unless hidden or calculated), and the form's rules run over the result.
 */
export function prepareNodeValues(
  form: readonly FormField[],
  rules: FormRules | undefined,
  current: FormValues,
  submitted: Record<string, unknown>,
  node: { editable: readonly string[]; required: readonly string[] },
  refs: ReferenceCheck,
): { values: FormValues; violations: FieldViolation[] } {
  const calculated = calculatedFields(rules);
  const given = omit(submitted, calculated);
  const violations = checkFieldValues(form, given, refs, {
    requireAll: false,
    allowed: new Set(node.editable),
  });
  const unusable = new Set(violations.map((v) => topName(v.field)));
  const merged = { ...current, ...(omit(given, unusable) as FormValues) };
  const outcome = applyFormRules(form, rules, merged, refs);
  for (const name of node.required) {
    if (outcome.hidden.has(name) || calculated.has(name) || unusable.has(name)) continue;
    if (isEmpty(outcome.values[name]))
      violations.push({ field: name, description: 'is required at this node' });
  }
  violations.push(...outcome.violations);
  return { values: outcome.values, violations };
}
