import { Environment, evaluate, type TypeCheckResult } from '@marcbachmann/cel-js';
import type { FieldType, FormField } from './form.js';

/**
 * Branch conditions are CEL expressions (github.com/google/cel-spec) over `form.<field>` and
 * `initiator.<attribute>`, evaluated by cel-js: no eval, no side effects, no loops.
 * Example: `form.days > 3 && initiator.department_id == "backend"`.
 */
export interface ConditionEnv {
  form: Record<string, unknown>;
  initiator: {
    user_id: string;
    department_id: string | null;
    department_ids: string[];
    employment_status: string;
  };
}

export const INITIATOR_ATTRIBUTES = [
  'user_id',
  'department_id',
  'department_ids',
  'employment_status',
] as const;

/**
 * The CEL type of each form field as conditions see it: the value conditionView hands the evaluator
 * (numbers become JS numbers, which CEL treats as double; everything else is passed as stored).
 * Declared types and evaluated values must agree, or a condition that checks would still be false.
 */
type CelSchema = string | { [key: string]: CelSchema };
export const CONDITION_TYPES: Record<FieldType, CelSchema> = {
  text: 'string',
  bool: 'bool',
  number: 'double',
  enum: 'string',
  date: 'string',
  date_time: 'string',
  i18n: { zh_cn: 'string', en_us: 'string' },
  user: 'string',
  department: 'string',
  employment: 'string',
  list: 'list<string>',
  file: { fileId: 'string', name: 'string', size: 'double' },
  object: { wkId: 'string', wkApiName: 'string' },
  record: 'list<map<string, dyn>>',
};

/** What ConditionEnv['initiator'] holds, as CEL types. */
const INITIATOR_TYPES: Record<(typeof INITIATOR_ATTRIBUTES)[number], string> = {
  user_id: 'string',
  department_id: 'string',
  department_ids: 'list<string>',
  employment_status: 'string',
};

/**
 * The checking environment shared by every definition (each adds its own `form` to a clone). The
 * evaluator compares a number field with an integer literal by value (`form.days == 3`,
 * `form.days in [1, 2]`) and a missing department with null; the checker is told so.
 */
const BASE: Environment = new Environment()
  .registerVariable({ name: 'initiator', schema: INITIATOR_TYPES })
  .registerOperator('double == int', (a: number, b: bigint) => a === Number(b))
  .registerOperator('double in list<int>', (a: number, list: bigint[]) => list.some((b) => a === Number(b)))
  .registerOperator('string == null', (a: string | null) => a === null);

/** Names of the functions and macros conditions may call (size, contains, exists, int, …). */
const FUNCTIONS = new Set(BASE.getDefinitions().functions.map((f) => f.name));

/**
 * Type-checks conditions against one form: parse errors, unknown names, fields, attributes and
 * functions, operands of the wrong type (a number field compared with a string, a date with a number),
 * and results that are not true/false. Returns a checker giving the problem, or undefined.
 */
export function conditionChecker(form: readonly FormField[]): (expression: string) => string | undefined {
  const schema: Record<string, CelSchema> = {};
  for (const field of form) {
    const type = CONDITION_TYPES[field.type] as CelSchema | undefined;
    if (type !== undefined) schema[field.apiName] = type;
  }
  let env: Environment;
  try {
    env = BASE.clone().registerVariable({ name: 'form', schema });
  } catch {
    // A form the rest of validation refuses (odd names, say): check conditions against no fields.
    env = BASE.clone().registerVariable({ name: 'form', schema: {} });
  }
  return (expression) => {
    let result: TypeCheckResult;
    try {
      result = env.check(expression);
    } catch (error) {
      return `does not parse: ${firstLine(error)}`;
    }
    if (!result.valid)
      return describeCelError(
        expression,
        result.error,
        FUNCTIONS,
        'use form.<field> or initiator.<attribute>',
      );
    // dyn: a record cell, say, whose type is known only at run time; it must then be true.
    if (result.type !== 'bool' && result.type !== 'dyn')
      return `is of type ${result.type ?? 'unknown'}, not a condition: it must be true or false`;
    return undefined;
  };
}

/** Checks one condition against a form (see conditionChecker). */
export function checkCondition(expression: string, form: readonly FormField[]): string | undefined {
  return conditionChecker(form)(expression);
}

const firstLine = (error: unknown) => ((error as Error).message.split('\n')[0] ?? '').trim();

/** The checker's error in the definition author's terms, with the part of the expression it is about. */
export function describeCelError(
  expression: string,
  error: TypeCheckResult['error'],
  functions: ReadonlySet<string>,
  namesHint: string,
): string {
  if (!error) return 'does not type-check';
  const message = firstLine(error);
  if (error.name === 'ParseError') return `does not parse: ${message}`;
  const node = error.node as { op?: string; args?: unknown } | undefined;
  const args: unknown[] = Array.isArray(node?.args) ? (node.args as unknown[]) : [];
  const missing = /^No such key: (.*)$/.exec(message)?.[1];
  if (missing !== undefined && node?.op === '.') {
    const object = args[0] as { op?: string; args?: unknown } | undefined;
    if (object?.op === 'id' && object.args === 'form') return `refers to unknown form field "${missing}"`;
    if (object?.op === 'id' && object.args === 'initiator')
      return `refers to unknown initiator attribute "${missing}"`;
  }
  if (node?.op === 'call' || node?.op === 'rcall') {
    const name = args[0];
    if (typeof name === 'string' && !functions.has(name)) return `calls unknown function "${name}"`;
  }
  const unknown = /^Unknown variable: (.*)$/.exec(message)?.[1];
  if (unknown !== undefined) return `refers to unknown name "${unknown}" (${namesHint})`;
  const range = error.range;
  const where = range ? `, at \`${expression.slice(range.start, range.end)}\`` : '';
  return `does not type-check: ${message}${where}`;
}

/**
 * True only when the expression evaluates to true. A field the initiator left empty makes a
 * comparison on it false rather than an error, so optional fields can be used in conditions.
 */
export function conditionHolds(expression: string, env: ConditionEnv): boolean {
  try {
    return evaluate(expression, { ...env }) === true;
  } catch {
    return false;
  }
}
