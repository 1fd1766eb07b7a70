import type { FlowDocument, FlowFieldType, FlowFormField, FlowFormRules, FlowNode } from '@contract';

/** Every field type, in palette order. */
export const FIELD_TYPES: FlowFieldType[] = [
  'text',
  'number',
  'bool',
  'enum',
  'date',
  'date_time',
  'i18n',
  'user',
  'department',
  'employment',
  'list',
  'file',
  'object',
  'record',
];

/** The label a new field starts with, in both languages whatever the admin's own. */
export const NEW_LABELS: Record<FlowFieldType, { zh_cn: string; en_us: string }> = {
  text: { zh_cn: '文本', en_us: 'Text' },
  number: { zh_cn: '数字', en_us: 'Number' },
  bool: { zh_cn: '是否', en_us: 'Yes / no' },
  enum: { zh_cn: '单选', en_us: 'Choice' },
  date: { zh_cn: '日期', en_us: 'Date' },
  date_time: { zh_cn: '日期时间', en_us: 'Date and time' },
  i18n: { zh_cn: '多语言文本', en_us: 'Text in two languages' },
  user: { zh_cn: '人员', en_us: 'Person' },
  department: { zh_cn: '部门', en_us: 'Department' },
  employment: { zh_cn: '雇佣信息', en_us: 'Employment' },
  list: { zh_cn: '多值列表', en_us: 'List' },
  file: { zh_cn: '附件', en_us: 'File' },
  object: { zh_cn: '对象引用', en_us: 'Object' },
  record: { zh_cn: '明细表', en_us: 'Record list' },
};

/** The types a field may be calculated into (the server refuses the rest). */
export const CALCULABLE: ReadonlySet<FlowFieldType> = new Set(['number', 'text', 'enum', 'date', 'bool']);
/** The types whose default is written as the value itself. */
export const DEFAULTABLE: ReadonlySet<FlowFieldType> = new Set([
  'text',
  'number',
  'bool',
  'enum',
  'date',
  'list',
]);

export const API_NAME = /^[a-z][a-z0-9_]{0,63}$/;

/** Why an api name cannot be used (`format`, `duplicate`), or undefined; `others` are the siblings' names. */
export function apiNameProblem(name: string, others: readonly string[]): 'format' | 'duplicate' | undefined {
  if (!API_NAME.test(name)) return 'format';
  if (others.includes(name)) return 'duplicate';
  return undefined;
}

/** A free api name for a new field of that type: `text_1`, `text_2`, … */
export function freeApiName(type: FlowFieldType, taken: readonly string[]): string {
  for (let i = 1; ; i++) {
    const name = `${type}_${i}`;
    if (!taken.includes(name)) return name;
  }
}

/** A new field of the type, with labels to rename and (enum, record) a first option or column. */
export function newField(
  type: FlowFieldType,
  taken: readonly string[],
  label: { zh_cn: string; en_us: string },
) {
  const field: FlowFormField = { api_name: freeApiName(type, taken), label, type, required: false };
  if (type === 'enum') field.options = [{ value: 'option_1', label: { zh_cn: '选项 1', en_us: 'Option 1' } }];
  if (type === 'record')
    field.sub_fields = [
      { api_name: 'item', label: { zh_cn: '项目', en_us: 'Item' }, type: 'text', required: true },
    ];
  return field;
}

/** Indexes of options whose value an earlier option already has. */
export function duplicateOptions(options: readonly { value: string }[]): Set<number> {
  const seen = new Set<string>();
  const duplicates = new Set<number>();
  options.forEach((option, i) => {
    if (seen.has(option.value)) duplicates.add(i);
    seen.add(option.value);
  });
  return duplicates;
}

/** The list with the item at `from` moved to `to`. */
export function move<T>(list: readonly T[], from: number, to: number): T[] {
  const copy = [...list];
  if (from < 0 || from >= copy.length || to < 0 || to >= copy.length) return copy;
  const [item] = copy.splice(from, 1);
  if (item !== undefined) copy.splice(to, 0, item);
  return copy;
}

/** Adds a field at `index` (the end when undefined). */
export function insertField(doc: FlowDocument, field: FlowFormField, index?: number): FlowDocument {
  const form = [...doc.form];
  form.splice(index ?? form.length, 0, field);
  return { ...doc, form };
}

/** Replaces one field (found by api name) with `patch` applied. */
export function updateField(doc: FlowDocument, apiName: string, patch: Partial<FlowFormField>): FlowDocument {
  return {
    ...doc,
    form: doc.form.map((f) => (f.api_name === apiName ? withoutUndefined({ ...f, ...patch }) : f)),
  };
}

/** Drops properties set to undefined (the document keeps only what is set). */
export function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** Removes a field. What still uses it (rules, conditions, nodes) is left for the server to point at. */
export function removeField(doc: FlowDocument, apiName: string): FlowDocument {
  return { ...doc, form: doc.form.filter((f) => f.api_name !== apiName) };
}

const renameIn = (expression: string, from: string, to: string) =>
  expression.replace(new RegExp(`\\bform\\.${from}\\b`, 'g'), `form.${to}`);

/**
 * Renames a field and everything that refers to it: rules (their fields and expressions), node
 * permissions, branch conditions and form-field approver rules.
 */
export function renameField(doc: FlowDocument, from: string, to: string): FlowDocument {
  if (from === to) return doc;
  const name = (n: string) => (n === from ? to : n);
  const rules: FlowFormRules | undefined = doc.rules && {
    ...(doc.rules.validations && {
      validations: doc.rules.validations.map((r) => ({
        ...r,
        expression: renameIn(r.expression, from, to),
        fields: r.fields.map(name),
      })),
    }),
    ...(doc.rules.visibility && {
      visibility: doc.rules.visibility.map((r) => ({
        field: name(r.field),
        when: renameIn(r.when, from, to),
      })),
    }),
    ...(doc.rules.calculations && {
      calculations: doc.rules.calculations.map((r) => ({
        field: name(r.field),
        expression: renameIn(r.expression, from, to),
      })),
    }),
  };
  const node = (n: FlowNode): FlowNode => {
    switch (n.type) {
      case 'approval':
      case 'form_fill': {
        const rulesKey = n.type === 'approval' ? 'approvers' : 'assignees';
        const people = (n.type === 'approval' ? n.approvers : n.assignees).map((r) =>
          r.type === 'form_field' ? { ...r, field: name(r.field) } : r,
        );
        return {
          ...n,
          [rulesKey]: people,
          ...(n.editable_fields && { editable_fields: n.editable_fields.map(name) }),
          ...(n.required_fields && { required_fields: n.required_fields.map(name) }),
        };
      }
      case 'cc':
        return {
          ...n,
          recipients: n.recipients.map((r) => (r.type === 'form_field' ? { ...r, field: name(r.field) } : r)),
        };
      case 'exclusive':
        return {
          ...n,
          branches: n.branches.map((b) => ({ ...b, condition: renameIn(b.condition, from, to) })),
        };
      case 'start':
      case 'parallel':
      case 'join':
      case 'end':
        return n;
    }
  };
  return {
    ...doc,
    form: doc.form.map((f) => (f.api_name === from ? { ...f, api_name: to } : f)),
    ...(rules && { rules }),
    nodes: doc.nodes.map(node),
  };
}

/** Which rules use a field (by name or in an expression): shown before deleting it. */
export function usesOf(doc: FlowDocument, apiName: string): number {
  const mentions = (text: string) => new RegExp(`\\bform\\.${apiName}\\b`).test(text);
  const rules = doc.rules ?? {};
  let count = 0;
  for (const r of rules.validations ?? []) if (r.fields.includes(apiName) || mentions(r.expression)) count++;
  for (const r of rules.visibility ?? []) if (r.field === apiName || mentions(r.when)) count++;
  for (const r of rules.calculations ?? []) if (r.field === apiName || mentions(r.expression)) count++;
  for (const n of doc.nodes) {
    if (
      (n.type === 'approval' || n.type === 'form_fill') &&
      [...(n.editable_fields ?? []), ...(n.required_fields ?? [])].includes(apiName)
    )
      count++;
    if (n.type === 'exclusive' && n.branches.some((b) => mentions(b.condition))) count++;
  }
  return count;
}

/** The rules part of the document, edited as a whole. */
export function setRules(doc: FlowDocument, rules: FlowFormRules): FlowDocument {
  const cleaned = withoutUndefined({
    validations: rules.validations?.length ? rules.validations : undefined,
    visibility: rules.visibility?.length ? rules.visibility : undefined,
    calculations: rules.calculations?.length ? rules.calculations : undefined,
  });
  const { rules: _old, ...rest } = doc;
  return Object.keys(cleaned).length > 0 ? { ...rest, rules: cleaned } : rest;
}

/** A free validation id: `rule_1`, `rule_2`, … */
export function freeRuleId(rules: FlowFormRules | undefined): string {
  const taken = new Set((rules?.validations ?? []).map((r) => r.id));
  for (let i = 1; ; i++) if (!taken.has(`rule_${i}`)) return `rule_${i}`;
}

/** A number property typed into a text box: undefined when empty, NaN-free. */
export function parseNumber(text: string): number | undefined {
  if (text.trim() === '') return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : undefined;
}

/** Whether a regular expression compiles (the server checks the same, anchored, with the u flag). */
export function patternCompiles(pattern: string): boolean {
  try {
    new RegExp(`^(?:${pattern})$`, 'u');
    return true;
  } catch {
    return false;
  }
}
