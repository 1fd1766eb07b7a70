import type { FlowFormField } from '@contract';

/**
 * The condition builder: rows of {subject, operator, value} joined by AND / OR, with one level of
 * nested groups, written as CEL the engine type-checks (docs/engine.md "Definitions"), and read back
 * from the CEL it wrote. Anything else (hand-written CEL) is edited as raw CEL.
 *
 * Subjects are form fields (`form.<api_name>`) and two initiator attributes: `initiator.department`
 * (their department_id; "in or under" looks at `initiator.department_ids`, their department and every
 * ancestor) and `initiator.user` (their user_id). Form fields of type user, employment and department
 * are not offered: conditions see them as internal ids (people_corehr ids), which no picker shows.
 */

export type SubjectType = 'number' | 'text' | 'enum' | 'bool' | 'date' | 'department' | 'user';

export type Operator =
  | 'eq'
  | 'ne'
  | 'gt'
  | 'ge'
  | 'lt'
  | 'le'
  | 'in'
  | 'contains'
  | 'is_true'
  | 'is_false'
  | 'before'
  | 'after'
  | 'on'
  | 'in_or_under';

/** The value a row compares with: a number, a string, a list (for `in`), nothing (bool operators). */
export type RowValue = number | string | string[] | null;

export interface ConditionRow {
  /** `form.<api_name>`, `initiator.department` or `initiator.user`. */
  subject: string;
  operator: Operator;
  value: RowValue;
}

export interface ConditionGroup {
  join: 'and' | 'or';
  /** Rows, and (at the top level only) groups of rows. */
  items: (ConditionRow | ConditionGroup)[];
}

export interface Subject {
  key: string;
  type: SubjectType;
  field?: FlowFormField;
}

export const INITIATOR_DEPARTMENT = 'initiator.department';
export const INITIATOR_USER = 'initiator.user';

/** The operators each subject type offers, in menu order. */
export const OPERATORS: Record<SubjectType, Operator[]> = {
  number: ['eq', 'ne', 'gt', 'ge', 'lt', 'le'],
  text: ['eq', 'ne', 'in', 'contains'],
  enum: ['eq', 'ne', 'in'],
  bool: ['is_true', 'is_false'],
  date: ['before', 'after', 'on'],
  department: ['eq', 'ne', 'in', 'in_or_under'],
  user: ['eq', 'ne', 'in'],
};

/** What the builder can compare: the form's fields of a supported type, then the initiator. */
export function subjectsOf(form: readonly FlowFormField[]): Subject[] {
  const out: Subject[] = [];
  for (const field of form) {
    const type = subjectType(field);
    if (type) out.push({ key: `form.${field.api_name}`, type, field });
  }
  out.push({ key: INITIATOR_DEPARTMENT, type: 'department' }, { key: INITIATOR_USER, type: 'user' });
  return out;
}

function subjectType(field: FlowFormField): SubjectType | undefined {
  const types: Partial<Record<FlowFormField['type'], SubjectType>> = {
    number: 'number',
    text: 'text',
    enum: 'enum',
    bool: 'bool',
    date: 'date',
  };
  return types[field.type];
}

export const isGroup = (item: ConditionRow | ConditionGroup): item is ConditionGroup => 'items' in item;

/** The value a new row (or a row whose operator changed) starts with. */
export function emptyValue(type: SubjectType, operator: Operator): RowValue {
  if (operator === 'is_true' || operator === 'is_false') return null;
  if (operator === 'in' || (operator === 'in_or_under' && type === 'department')) return [];
  if (type === 'number') return 0;
  return '';
}

/** A new row on the first subject (or the given one). */
export function newRow(subjects: readonly Subject[], key?: string): ConditionRow {
  const subject = subjects.find((s) => s.key === key) ?? subjects[0];
  if (!subject) return { subject: INITIATOR_DEPARTMENT, operator: 'eq', value: '' };
  const operator = OPERATORS[subject.type][0] as Operator;
  return { subject: subject.key, operator, value: emptyValue(subject.type, operator) };
}

// ---------------------------------------------------------------------------------------------
// builder → CEL

/** A row that cannot be written yet: which one and why (an i18n key's last part). */
export interface RowProblem {
  path: number[];
  problem: 'unknown_subject' | 'bad_operator' | 'no_value' | 'bad_number' | 'bad_date' | 'empty_group';
}

/** CEL for a number: always a double literal (`10000.0`), as number fields are doubles. */
export function celNumber(n: number): string {
  const text = String(n);
  return /^-?\d+$/.test(text) ? `${text}.0` : text;
}

/** CEL for a string: quoted, with quotes, backslashes and control characters escaped. */
export const celString = (s: string): string => JSON.stringify(s);

const celList = (values: readonly string[]) => `[${values.map(celString).join(', ')}]`;

const COMPARE: Partial<Record<Operator, string>> = {
  eq: '==',
  ne: '!=',
  gt: '>',
  ge: '>=',
  lt: '<',
  le: '<=',
  before: '<',
  after: '>',
  on: '==',
};

/** Checks the builder; the first problem of each row, with its path (indices through the groups). */
export function builderProblems(group: ConditionGroup, form: readonly FlowFormField[]): RowProblem[] {
  const subjects = new Map(subjectsOf(form).map((s) => [s.key, s]));
  const out: RowProblem[] = [];
  const visit = (g: ConditionGroup, path: number[]) => {
    if (g.items.length === 0) out.push({ path, problem: 'empty_group' });
    g.items.forEach((item, i) => {
      const at = [...path, i];
      if (isGroup(item)) {
        visit(item, at);
        return;
      }
      const problem = rowProblem(item, subjects.get(item.subject));
      if (problem) out.push({ path: at, problem });
    });
  };
  visit(group, []);
  return out;
}

function rowProblem(row: ConditionRow, subject: Subject | undefined): RowProblem['problem'] | null {
  if (!subject) return 'unknown_subject';
  if (!OPERATORS[subject.type].includes(row.operator)) return 'bad_operator';
  const { value, operator } = row;
  if (operator === 'is_true' || operator === 'is_false') return null;
  if (Array.isArray(value)) {
    if (operator !== 'in' && operator !== 'in_or_under') return 'bad_operator';
    return value.length === 0 ? 'no_value' : null;
  }
  if (operator === 'in') return 'no_value';
  if (subject.type === 'number')
    return typeof value === 'number' && Number.isFinite(value) ? null : 'bad_number';
  if (typeof value !== 'string' || value === '') return 'no_value';
  if (subject.type === 'date' && !/^\d{4}-\d{2}-\d{2}$/.test(value)) return 'bad_date';
  return null;
}

/** The CEL of a builder, or null while a row is incomplete (see builderProblems). */
export function toCel(group: ConditionGroup, form: readonly FlowFormField[]): string | null {
  if (builderProblems(group, form).length > 0) return null;
  return groupCel(group, false);
}

function groupCel(group: ConditionGroup, nested: boolean): string {
  const parts = group.items.map((item) => (isGroup(item) ? groupCel(item, true) : rowCel(item)));
  const text = parts.join(group.join === 'and' ? ' && ' : ' || ');
  return nested && parts.length > 1 ? `(${text})` : text;
}

function rowCel(row: ConditionRow): string {
  const { operator, value } = row;
  if (row.subject === INITIATOR_DEPARTMENT) {
    if (operator === 'in_or_under') {
      const list = Array.isArray(value) ? value : [String(value)];
      return list.length === 1
        ? `${celString(list[0] as string)} in initiator.department_ids`
        : `initiator.department_ids.exists(d, d in ${celList(list)})`;
    }
    return simple('initiator.department_id', operator, value);
  }
  if (row.subject === INITIATOR_USER) return simple('initiator.user_id', operator, value);
  return simple(row.subject, operator, value);
}

function simple(target: string, operator: Operator, value: RowValue): string {
  if (operator === 'is_true') return `${target} == true`;
  if (operator === 'is_false') return `${target} == false`;
  if (operator === 'in') return `${target} in ${celList(Array.isArray(value) ? value : [])}`;
  if (operator === 'contains') return `${target}.contains(${celString(String(value))})`;
  const literal = typeof value === 'number' ? celNumber(value) : celString(String(value));
  return `${target} ${COMPARE[operator] ?? '=='} ${literal}`;
}

// ---------------------------------------------------------------------------------------------
// CEL → builder

type Token =
  { kind: 'str'; text: string } | { kind: 'num'; text: string } | { kind: 'punct' | 'name'; text: string };

function tokenize(source: string): Token[] | null {
  const out: Token[] = [];
  const pattern =
    /\s*(?:("(?:[^"\\\n]|\\.)*")|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|(&&|\|\||==|!=|>=|<=|[<>()[\],])|([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*))/y;
  let at = 0;
  while (at < source.length) {
    if (/^\s*$/.test(source.slice(at))) break;
    pattern.lastIndex = at;
    const m = pattern.exec(source);
    if (!m) return null;
    at = pattern.lastIndex;
    if (m[1] !== undefined) out.push({ kind: 'str', text: m[1] });
    else if (m[2] !== undefined) out.push({ kind: 'num', text: m[2] });
    else if (m[3] !== undefined) out.push({ kind: 'punct', text: m[3] });
    else if (m[4] !== undefined) out.push({ kind: 'name', text: m[4] });
  }
  return out;
}

class Reader {
  private at = 0;
  constructor(private readonly tokens: Token[]) {}
  peek(): Token | undefined {
    return this.tokens[this.at];
  }
  take(): Token | undefined {
    return this.tokens[this.at++];
  }
  accept(text: string): boolean {
    if (this.peek()?.text !== text || this.peek()?.kind === 'str') return false;
    this.at++;
    return true;
  }
  done(): boolean {
    return this.at >= this.tokens.length;
  }
}

class NotBuilderCel extends Error {}
const refuse = (): never => {
  throw new NotBuilderCel();
};

function readString(r: Reader): string {
  const token = r.take();
  if (token?.kind !== 'str') return refuse();
  try {
    return JSON.parse(token.text) as string;
  } catch {
    return refuse();
  }
}

function readList(r: Reader): string[] {
  if (!r.accept('[')) refuse();
  const out: string[] = [];
  if (r.accept(']')) return out;
  do out.push(readString(r));
  while (r.accept(','));
  if (!r.accept(']')) refuse();
  return out;
}

/**
 * Reads CEL back into a builder. Answers null for anything the builder did not write (unknown fields,
 * other operators, other spellings): the designer then opens it as raw CEL.
 */
export function fromCel(source: string, form: readonly FlowFormField[]): ConditionGroup | null {
  const tokens = tokenize(source);
  if (!tokens || tokens.length === 0) return null;
  const subjects = new Map(subjectsOf(form).map((s) => [s.key, s]));
  const r = new Reader(tokens);

  const row = (): ConditionRow => {
    const first = r.take();
    if (first?.kind === 'str') {
      // "<department>" in initiator.department_ids
      const value = JSON.parse(first.text) as string;
      if (!r.accept('in') || r.take()?.text !== 'initiator.department_ids') refuse();
      return { subject: INITIATOR_DEPARTMENT, operator: 'in_or_under', value: [value] };
    }
    if (first?.kind !== 'name') return refuse();
    if (first.text === 'initiator.department_ids.exists') {
      if (
        !r.accept('(') ||
        r.take()?.text !== 'd' ||
        !r.accept(',') ||
        r.take()?.text !== 'd' ||
        !r.accept('in')
      )
        refuse();
      const list = readList(r);
      if (!r.accept(')')) refuse();
      return { subject: INITIATOR_DEPARTMENT, operator: 'in_or_under', value: list };
    }
    if (first.text.endsWith('.contains')) {
      const subject = subjects.get(first.text.slice(0, -'.contains'.length));
      if (subject?.type !== 'text' || !r.accept('(')) return refuse();
      const value = readString(r);
      if (!r.accept(')')) refuse();
      return { subject: subject.key, operator: 'contains', value };
    }
    const key =
      first.text === 'initiator.department_id'
        ? INITIATOR_DEPARTMENT
        : first.text === 'initiator.user_id'
          ? INITIATOR_USER
          : first.text;
    const subject = subjects.get(key);
    if (!subject) return refuse();
    if (r.accept('in')) return { subject: key, operator: 'in', value: readList(r) };
    const op = r.take();
    if (op?.kind !== 'punct') return refuse();
    const value = r.take();
    if (subject.type === 'bool') {
      if (op.text !== '==' || value?.kind !== 'name' || (value.text !== 'true' && value.text !== 'false'))
        return refuse();
      return { subject: key, operator: value.text === 'true' ? 'is_true' : 'is_false', value: null };
    }
    const operator = operatorOf(subject.type, op.text);
    if (!operator || !value) return refuse();
    if (subject.type === 'number') {
      if (value.kind !== 'num') return refuse();
      return { subject: key, operator, value: Number(value.text) };
    }
    if (value.kind !== 'str') return refuse();
    return { subject: key, operator, value: JSON.parse(value.text) as string };
  };

  // One level of groups: a group in parentheses holds rows only.
  const sequence = (nested: boolean): ConditionGroup => {
    const items: (ConditionRow | ConditionGroup)[] = [];
    let join: 'and' | 'or' | undefined;
    for (;;) {
      if (!nested && r.accept('(')) {
        const inner = sequence(true);
        if (!r.accept(')')) refuse();
        items.push(inner);
      } else items.push(row());
      const next = r.peek();
      const word =
        next?.kind === 'punct' && (next.text === '&&' || next.text === '||') ? next.text : undefined;
      if (!word) break;
      const thisJoin = word === '&&' ? 'and' : 'or';
      if (join && join !== thisJoin) refuse(); // mixed && and || without parentheses
      join = thisJoin;
      r.take();
    }
    return { join: join ?? 'and', items };
  };

  try {
    const group = sequence(false);
    if (!r.done()) return null;
    // A single parenthesised group is written without its parentheses; anything else must round-trip.
    return toCel(group, form) === source.trim() ? group : null;
  } catch (error) {
    if (error instanceof NotBuilderCel || error instanceof SyntaxError) return null;
    throw error;
  }
}

function operatorOf(type: SubjectType, symbol: string): Operator | undefined {
  const candidates = OPERATORS[type];
  const found = (Object.entries(COMPARE) as [Operator, string][]).filter(
    ([op, s]) => s === symbol && candidates.includes(op),
  );
  return found[0]?.[0];
}
