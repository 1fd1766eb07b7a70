import fc from 'fast-check';

/** A JSON Schema node, as the route schemas (TypeBox) produce them. */
export interface Schema {
  type?: string | string[];
  properties?: Record<string, Schema>;
  additionalProperties?: boolean | Schema;
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

export interface ArbitraryOptions {
  /**
   * Real values by property name (`user_id: ['employee', …]`), so that generated requests name things
   * that exist and get past the first lookup; used for a string property (or an array's items) of that name.
   */
  hints?: Record<string, readonly string[]>;
  /**
   * Now and then a leaf is hostile instead: a string carrying a NUL or an unpaired surrogate, a number at
   * an integer extreme (0, -1, 2^31, 2^53, 1e308, 99999999999 …) — input a database column cannot hold.
   */
  hostile?: boolean;
}

/** Characters no database text column holds faithfully. */
export const HOSTILE_CHARACTERS = ['\u0000', '\ud800', '\udfff', '\ud83d'] as const;
/** Numbers at or beyond the edges of int4, int8 and a double's exact integers. */
export const INTEGER_EXTREMES = [
  0,
  -1,
  2 ** 31 - 1,
  2 ** 31,
  -(2 ** 31) - 1,
  2 ** 53,
  -(2 ** 53),
  2 ** 63,
  99999999999,
  1e308,
] as const;

/** `text` with a hostile character spliced in somewhere. */
export const hostileString = (text: fc.Arbitrary<string> = fc.string({ maxLength: 12 })) =>
  fc
    .tuple(text, fc.constantFrom(...HOSTILE_CHARACTERS), fc.nat())
    .map(([s, bad, n]) => s.slice(0, n % (s.length + 1)) + bad + s.slice(n % (s.length + 1)));

/** One leaf in about 25 is hostile: most requests stay valid enough to reach deep code. */
const HOSTILE_WEIGHT = 1;
const PLAIN_WEIGHT = 24;

function withHostile(
  plain: fc.Arbitrary<unknown>,
  hostile: fc.Arbitrary<unknown>,
  options: ArbitraryOptions,
) {
  return options.hostile
    ? fc.oneof({ weight: PLAIN_WEIGHT, arbitrary: plain }, { weight: HOSTILE_WEIGHT, arbitrary: hostile })
    : plain;
}

/**
 * Values that fit a request schema (mostly), derived from the schema itself; `validArbitrary` is
 * then mutated by `fuzzArbitrary` into wrong types, missing required fields and unknown extras.
 */
export function validArbitrary(
  schema: Schema,
  depth = 0,
  options: ArbitraryOptions = {},
  name?: string,
): fc.Arbitrary<unknown> {
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) {
    const values = fc.constantFrom(...schema.enum);
    return schema.enum.every((v) => typeof v === 'number')
      ? withHostile(values, fc.constantFrom(...INTEGER_EXTREMES), options)
      : values;
  }
  const union = schema.anyOf ?? schema.oneOf;
  if (union) return fc.oneof(...union.map((s) => validArbitrary(s, depth + 1, options, name)));
  const type: string = (Array.isArray(schema.type) ? schema.type[0] : schema.type) ?? 'any';
  const hinted = name !== undefined ? options.hints?.[name] : undefined;
  switch (type) {
    case 'string': {
      let plain: fc.Arbitrary<string> = schema.pattern
        ? fc
            .stringMatching(new RegExp(schema.pattern))
            .filter((s) => s.length <= (schema.maxLength ?? 10_000))
        : fc.string({ minLength: schema.minLength ?? 0, maxLength: Math.min(schema.maxLength ?? 40, 40) });
      if (hinted && hinted.length > 0) plain = fc.oneof(fc.constantFrom(...hinted), plain);
      return withHostile(plain, hostileString(plain), options);
    }
    case 'integer':
      return withHostile(
        fc.integer({ min: schema.minimum ?? -1000, max: schema.maximum ?? 1000 }),
        fc.constantFrom(...INTEGER_EXTREMES),
        options,
      );
    case 'number':
      return withHostile(
        fc.double({ min: schema.minimum ?? -1000, max: schema.maximum ?? 1000, noNaN: true }),
        fc.constantFrom(...INTEGER_EXTREMES),
        options,
      );
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      if (depth > 4) return fc.constant([]);
      return fc.array(
        schema.items ? validArbitrary(schema.items, depth + 1, options, name) : fc.jsonValue(),
        {
          minLength: schema.minItems ?? 0,
          maxLength: Math.min(schema.maxItems ?? 3, 3),
        },
      );
    case 'object': {
      if (depth > 4) return fc.constant({});
      const properties = schema.properties ?? {};
      const required = new Set(schema.required ?? []);
      const parts: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [key, property] of Object.entries(properties))
        parts[key] = validArbitrary(property, depth + 1, options, key);
      const record = fc.record(parts, {
        requiredKeys: Object.keys(properties).filter((k) => required.has(k)),
      });
      if (!options.hostile) return record;
      // A key no database holds either (a free-form record such as form_values keeps its keys).
      return fc.oneof(
        { weight: PLAIN_WEIGHT, arbitrary: record },
        {
          weight: HOSTILE_WEIGHT,
          arbitrary: fc
            .tuple(record, hostileString(), fc.jsonValue({ maxDepth: 1 }))
            .map(([value, key, junk]) => ({ ...(value as object), [key]: junk })),
        },
      );
    }
    default:
      return fc.jsonValue();
  }
}

/** Mostly-valid values with one kind of damage now and then. */
export function fuzzArbitrary(schema: Schema, options: ArbitraryOptions = {}): fc.Arbitrary<unknown> {
  const valid = validArbitrary(schema, 0, options);
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
