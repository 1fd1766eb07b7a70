import { evaluate, parse } from '@marcbachmann/cel-js';

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

/** Parse errors and references to unknown names, for publish-time validation. */
export function checkCondition(expression: string, formFields: readonly string[]): string | undefined {
  try {
    parse(expression);
  } catch (error) {
    return `does not parse: ${(error as Error).message.split('\n')[0] ?? ''}`;
  }
  const stripped = expression.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""');
  for (const match of stripped.matchAll(/\b(form|initiator)\.([A-Za-z_][A-Za-z0-9_]*)/g)) {
    const [, root, name] = match;
    if (root === 'form' && name !== undefined && !formFields.includes(name))
      return `refers to unknown form field "${name}"`;
    if (root === 'initiator' && !(INITIATOR_ATTRIBUTES as readonly string[]).includes(name ?? '')) {
      return `refers to unknown initiator attribute "${name ?? ''}"`;
    }
  }
  for (const match of stripped.matchAll(/\b([A-Za-z_][A-Za-z0-9_]*)\s*\./g)) {
    const root = match[1];
    if (root !== 'form' && root !== 'initiator')
      return `refers to unknown name "${root ?? ''}" (use form.<field> or initiator.<attribute>)`;
  }
  return undefined;
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
