import { Ajv, type ErrorObject, type Options } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyRequest, FastifySchemaCompiler } from 'fastify';
import type { FieldViolation } from '../services/result.js';

function makeAjv(options: Options): Ajv {
  const ajv = new Ajv({
    allErrors: true,
    strict: false,
    useDefaults: true,
    removeAdditional: false,
    // Tagged unions (oneOf + discriminator) report errors for the branch named by `type` only.
    discriminator: true,
    ...options,
  });
  // ajv-formats ships CommonJS; its default export is the plugin function.
  (addFormats as unknown as (a: Ajv) => void)(ajv);
  return ajv;
}

// Bodies are JSON and must already have the right types ("1" is not a number); query strings and
// path parameters are text by nature and are coerced (arrays from repeated keys).
const bodyAjv = makeAjv({ coerceTypes: false });
const textAjv = makeAjv({ coerceTypes: 'array' });

export const validatorCompiler: FastifySchemaCompiler<unknown> = ({ schema, httpPart }) => {
  const validate = (httpPart === 'body' ? bodyAjv : textAjv).compile(schema as object);
  return (data: unknown) =>
    validate(data)
      ? { value: data }
      : { error: Object.assign(new Error('invalid request'), { validation: validate.errors }) };
};

/** `/members/0/user_id` → `members[0].user_id`. */
function pathToField(instancePath: string): string {
  return instancePath
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((acc, part) => (/^\d+$/.test(part) ? `${acc}[${part}]` : acc ? `${acc}.${part}` : part), '');
}

const join = (base: string, child: string): string => (base ? `${base}.${child}` : child);

/** Ajv errors → one violation per bad field, named as the client wrote it. */
export function violationsFromAjv(
  errors: readonly ErrorObject[],
  part: string | undefined,
): FieldViolation[] {
  const seen = new Set<string>();
  const violations: FieldViolation[] = [];
  for (const error of errors) {
    // anyOf/oneOf summaries repeat what the branch errors already said.
    if (error.keyword === 'anyOf' || error.keyword === 'oneOf' || error.keyword === 'if') continue;
    let field = pathToField(error.instancePath);
    let description = error.message ?? 'is invalid';
    const params = error.params as Record<string, unknown>;
    if (error.keyword === 'required' && typeof params.missingProperty === 'string') {
      field = join(field, params.missingProperty);
      description = 'is required';
    } else if (error.keyword === 'additionalProperties' && typeof params.additionalProperty === 'string') {
      field = join(field, params.additionalProperty);
      description = part === 'querystring' ? 'is not a known query parameter' : 'is not a known field';
    } else if (error.keyword === 'enum' && Array.isArray(params.allowedValues)) {
      description = `must be one of ${params.allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
    }
    if (!field) field = part ?? 'body';
    // One violation per field: the first is the most specific (a union's "must be null" comes after).
    if (seen.has(field)) continue;
    seen.add(field);
    violations.push({ field, description });
  }
  return violations;
}

// An unpaired UTF-16 surrogate: JSON can spell one ("\ud800"), UTF-8 (and so the database) cannot.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function textProblem(text: string): string | undefined {
  if (text.includes('\u0000')) return 'contains a NUL character (U+0000), which cannot be stored';
  if (LONE_SURROGATE.test(text))
    return 'contains an unpaired UTF-16 surrogate, which is not valid Unicode and cannot be stored';
  return undefined;
}

/** A key as it can be printed in a field name: a NUL in it reads \u0000. */
const printable = (key: string) => JSON.stringify(key).slice(1, -1);

const MAX_REPORTED = 20;

/**
 * Input no database can hold faithfully, wherever it sits: a NUL character or an unpaired surrogate
 * in any string or object key, a number beyond ±(2^53 − 1) (JSON's 1e400 parses to Infinity; integers
 * that large are never exact). PostgreSQL refuses NUL in text outright, so without this check such
 * input would reach SQL on one dialect and fail there. Walks iteratively: a body is bounded by the body
 * limit, not its depth.
 */
export function unstorableInput(value: unknown, field: string): FieldViolation[] {
  const out: FieldViolation[] = [];
  // Each node with its parent's path and its key there: a path is spelt out only for a violation
  // (this runs on every request, and almost every input is clean).
  const stack: [node: unknown, parent: string, key: string | number | undefined][] = [
    [value, field, undefined],
  ];
  const pathOf = (parent: string, key: string | number | undefined) =>
    key === undefined ? parent : typeof key === 'number' ? `${parent}[${key}]` : join(parent, printable(key));
  const fieldOf = (parent: string, key: string | number | undefined) => pathOf(parent, key) || 'body';
  while (stack.length > 0 && out.length < MAX_REPORTED) {
    const [node, parent, key] = stack.pop() as [unknown, string, string | number | undefined];
    if (typeof node === 'string') {
      const problem = textProblem(node);
      if (problem) out.push({ field: fieldOf(parent, key), description: problem });
    } else if (typeof node === 'number') {
      if (!Number.isFinite(node) || Math.abs(node) > Number.MAX_SAFE_INTEGER)
        out.push({
          field: fieldOf(parent, key),
          description: `is out of range: numbers must lie within ±${Number.MAX_SAFE_INTEGER}`,
        });
    } else if (Array.isArray(node)) {
      const path = pathOf(parent, key);
      for (let i = node.length - 1; i >= 0; i--) stack.push([node[i], path, i]);
    } else if (typeof node === 'object' && node !== null) {
      const path = pathOf(parent, key);
      const keys = Object.keys(node);
      for (let i = keys.length - 1; i >= 0; i--) {
        const name = keys[i] as string;
        // A bad key is reported in place of its value (which is not looked at).
        stack.push([textProblem(name) ? name : (node as Record<string, unknown>)[name], path, name]);
      }
    }
  }
  return out;
}

/**
 * The refusal of unstorable input in path parameters, query and body — 400/99992402 naming each field —
 * or undefined: the app's preValidation hook raises it before any schema or service sees the input,
 * the same answer on SQLite and PostgreSQL.
 */
export function unstorableInputError(request: FastifyRequest): UnstorableInputError | undefined {
  const violations = unstorableInput(request.params, '');
  if (request.query !== undefined) violations.push(...unstorableInput(request.query, ''));
  if (request.body !== undefined) violations.push(...unstorableInput(request.body, ''));
  if (violations.length === 0) return undefined;
  const [first] = violations as [FieldViolation];
  // Raised, not sent: each API's error handler answers in its own shape (the people API has its own).
  return new UnstorableInputError(`${first.field}: ${first.description}`, violations.slice(0, MAX_REPORTED));
}

/** Unstorable input (see above): 400 invalid_field naming each field. */
export class UnstorableInputError extends Error {
  readonly statusCode = 400;
  readonly code = 'PF_UNSTORABLE_INPUT';
  constructor(
    message: string,
    readonly violations: FieldViolation[],
  ) {
    super(message);
  }
}
