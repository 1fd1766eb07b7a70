import { Ajv, type ErrorObject, type Options } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';
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
      description = 'is not a known field';
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
