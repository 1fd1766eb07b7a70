/**
 * Server violations (`{ field: 'form_values.items[0].amount', description }`) → the path of the form
 * control that shows them (`['items', 0, 'amount']`), and known English descriptions → codes the
 * page translates into the person's language.
 */

export type FieldPath = (string | number)[];

/** Splits a dotted path with [n] indexes; numbers become numeric segments. */
export function parsePath(path: string): FieldPath {
  const out: FieldPath = [];
  for (const part of path.split('.')) {
    if (part === '') continue;
    const re = /([^[\]]+)|\[(\d+)\]/g;
    let m: RegExpExecArray | null;
    while ((m = re.exec(part)) !== null) {
      if (m[2] !== undefined) out.push(Number(m[2]));
      else if (m[1] !== undefined) out.push(/^\d+$/.test(m[1]) ? Number(m[1]) : m[1]);
    }
  }
  return out;
}

/**
 * The form path of a violation, or null when it is not about a form field. `prefix` is the request
 * body's key holding the values (`form_values` at start, `field_values` when approving); bare field
 * names are accepted when `knownFields` lists them (node validation names fields without prefix).
 */
export function violationPath(
  field: string,
  prefix: string,
  knownFields: readonly string[] = [],
): FieldPath | null {
  const path = parsePath(field);
  if (path[0] === prefix) return path.length > 1 ? path.slice(1) : null;
  if (typeof path[0] === 'string' && knownFields.includes(path[0])) return path;
  return null;
}

export interface PlacedViolation {
  path: FieldPath;
  description: string;
}

/** Violations sorted into those shown on fields and the rest (shown above the form). */
export function placeViolations(
  violations: readonly { field: string; description: string }[],
  prefix: string,
  knownFields: readonly string[],
): { onFields: PlacedViolation[]; elsewhere: { field: string; description: string }[] } {
  const onFields: PlacedViolation[] = [];
  const elsewhere: { field: string; description: string }[] = [];
  for (const v of violations) {
    const path = violationPath(v.field, prefix, knownFields);
    if (path && typeof path[0] === 'string' && knownFields.includes(path[0])) {
      onFields.push({ path, description: v.description });
    } else {
      elsewhere.push(v);
    }
  }
  return { onFields, elsewhere };
}

/** Groups several violations of one control into one list of messages (antd shows them all). */
export function errorsByPath(placed: readonly PlacedViolation[]): { name: FieldPath; errors: string[] }[] {
  const map = new Map<string, { name: FieldPath; errors: string[] }>();
  for (const p of placed) {
    const key = JSON.stringify(p.path);
    const entry = map.get(key) ?? { name: p.path, errors: [] };
    entry.errors.push(p.description);
    map.set(key, entry);
  }
  return [...map.values()];
}

export type ViolationCode =
  | 'required'
  | 'not_a_field'
  | 'not_editable'
  | 'number'
  | 'date'
  | 'date_time'
  | 'enum'
  | 'unknown_user'
  | 'unknown_department'
  | 'text'
  | 'too_long'
  | 'list'
  | 'file'
  | 'object'
  | 'i18n'
  | 'rows';

const KNOWN: [RegExp, ViolationCode][] = [
  [/^is required/, 'required'],
  [/^is not a field/, 'not_a_field'],
  [/^is not editable/, 'not_editable'],
  [/decimal number/, 'number'],
  [/YYYY-MM-DD/, 'date'],
  [/Unix milliseconds|ISO 8601/, 'date_time'],
  [/^must be one of/, 'enum'],
  [/^unknown user/, 'unknown_user'],
  [/^unknown department/, 'unknown_department'],
  [/^must be text/, 'text'],
  [/at most \d+ (characters|items|rows)/, 'too_long'],
  [/list of strings/, 'list'],
  [/file/, 'file'],
  [/wk_id/, 'object'],
  [/zh_cn/, 'i18n'],
  [/row/, 'rows'],
];

/** The code of a server description the web app knows how to say in Chinese, or null (then the English text is shown). */
export function violationCode(description: string): ViolationCode | null {
  for (const [re, code] of KNOWN) if (re.test(description)) return code;
  return null;
}
