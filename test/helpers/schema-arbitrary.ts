import fc from 'fast-check';

/** A JSON Schema node, as the route schemas (TypeBox) produce them. */
interface Schema {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: Schema[];
  oneOf?: Schema[];
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
}

/**
 * Values that fit a request schema (mostly), derived from the schema itself; `validArbitrary` is
 * then mutated by `fuzzArbitrary` into wrong types, missing required fields and unknown extras.
 */
export function validArbitrary(schema: Schema, depth = 0): fc.Arbitrary<unknown> {
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const union = schema.anyOf ?? schema.oneOf;
  if (union) return fc.oneof(...union.map((s) => validArbitrary(s, depth + 1)));
  const type: string = (Array.isArray(schema.type) ? schema.type[0] : schema.type) ?? 'any';
  switch (type) {
    case 'string':
      if (schema.pattern)
        return fc
          .stringMatching(new RegExp(schema.pattern))
          .filter((s) => s.length <= (schema.maxLength ?? 10_000));
      return fc.string({ minLength: schema.minLength ?? 0, maxLength: Math.min(schema.maxLength ?? 40, 40) });
    case 'integer':
      return fc.integer({ min: schema.minimum ?? -1000, max: schema.maximum ?? 1000 });
    case 'number':
      return fc.double({ min: schema.minimum ?? -1000, max: schema.maximum ?? 1000, noNaN: true });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      if (depth > 4) return fc.constant([]);
      return fc.array(schema.items ? validArbitrary(schema.items, depth + 1) : fc.jsonValue(), {
        minLength: schema.minItems ?? 0,
        maxLength: Math.min(schema.maxItems ?? 3, 3),
      });
    case 'object': {
      if (depth > 4) return fc.constant({});
      const properties = schema.properties ?? {};
      const required = new Set(schema.required ?? []);
      const parts: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [name, property] of Object.entries(properties))
        parts[name] = validArbitrary(property, depth + 1);
      return fc.record(parts, { requiredKeys: Object.keys(properties).filter((k) => required.has(k)) });
    }
    default:
      return fc.jsonValue();
  }
}

/** Mostly-valid values with one kind of damage now and then. */
export function fuzzArbitrary(schema: Schema): fc.Arbitrary<unknown> {
  const valid = validArbitrary(schema);
  return fc.oneof(
    { weight: 4, arbitrary: valid },
    { weight: 1, arbitrary: fc.jsonValue() },
    {
      weight: 2,
      arbitrary: fc
        .tuple(valid, fc.string({ maxLength: 12 }), fc.jsonValue(), fc.nat())
        .map(([value, key, junk, n]) => {
          if (typeof value !== 'object' || value === null || Array.isArray(value)) return junk;
          const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
          const keys = Object.keys(copy);
          const target = keys[n % Math.max(keys.length, 1)];
          if (n % 3 === 0 && target !== undefined)
            return Object.fromEntries(Object.entries(copy).filter(([k]) => k !== target));
          if (n % 3 === 1 && target !== undefined) copy[target] = junk;
          else copy[key || 'extra'] = junk;
          return copy;
        }),
    },
  );
}
