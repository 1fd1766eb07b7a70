import type { I18nText } from './directory.js';
import { conditionChecker } from './conditions.js';
import { FIELD_TYPES, compiledPattern, isoToMs, isValidDate, valueProblem, type FormField } from './form.js';
import { calculatedFields, validateFormRules, type FormRules } from './form-rules.js';
import { isKnownBizType } from './biz-types.js';
import type { FieldViolation } from './result.js';
import { timerProblems, type NodeTimers } from './timers.js';

/** How an approval node decides: first approval, all approvals, one after another, or a share (vote %). */
export type ApprovalMode =
  { kind: 'or' } | { kind: 'and' } | { kind: 'sequential' } | { kind: 'ratio'; percent: number };

/** Who acts at a node. Person ids are people_corehr ids. */
export type ApproverRule =
  | { kind: 'users'; userIds: string[] }
  /** The initiator's manager, `level` steps up (1 = direct manager). */
  | { kind: 'manager'; level: number }
  /** The leader of the initiator's department, `level` steps up the tree (1 = own department). */
  | { kind: 'department_leader'; level: number }
  /** Members of a role serving the initiator's department (nearest department up the tree). */
  | { kind: 'role'; roleKey: string }
  /** The person (or people) in a user- or employment-typed form field. */
  | { kind: 'form_field'; field: string }
  /** Chosen by the initiator when starting. */
  | { kind: 'initiator_selected' }
  | { kind: 'initiator' };

/** What to do when a node's approvers resolve to nobody. */
export type EmptyFallback = 'auto_pass' | 'to_admins' | 'refuse';

interface NodeBase {
  id: string;
  name: I18nText;
}

export type NodeDefinition =
  | (NodeBase & { kind: 'start'; next: string })
  | (NodeBase & {
      kind: 'approval';
      approvers: ApproverRule[];
      mode: ApprovalMode;
      emptyFallback: EmptyFallback;
      editableFields: string[];
      requiredFields: string[];
      /** Fields not shown to this node's assignees (the initiator and process admins still see them). */
      hiddenFields?: string[];
      /** Reminders, escalation and an automatic action in working time (timers.ts). */
      timers?: NodeTimers;
      next: string;
    })
  | (NodeBase & {
      kind: 'form_fill';
      assignees: ApproverRule[];
      emptyFallback: EmptyFallback;
      editableFields: string[];
      requiredFields: string[];
      /** Fields not shown to this node's assignees (the initiator and process admins still see them). */
      hiddenFields?: string[];
      next: string;
    })
  | (NodeBase & { kind: 'cc'; recipients: ApproverRule[]; next: string })
  | (NodeBase & { kind: 'exclusive'; branches: { condition: string; next: string }[]; defaultNext: string })
  | (NodeBase & { kind: 'parallel'; branches: string[]; join: string })
  | (NodeBase & { kind: 'join'; next: string })
  | (NodeBase & { kind: 'end' });

export type NodeKind = NodeDefinition['kind'];

export interface FlowSettings {
  /** Skip (task status -2) an approver who just approved at the previous approval node. */
  skipDuplicateApprovers: boolean;
  /** Revoking a completed process needs the process admins' approval first (status 15). */
  revokeNeedsApproval: boolean;
}

/**
 * The HTTP action (docs/actions.md "HTTP action"): when a process of this flow completes — and, with
 * `onRevoke`, when it is revoked — a signed POST carries the process and its form to `url`. Signed
 * with the encrypt key of the tenant's app `appId`, as that app's event pushes are.
 */
export interface HttpActionSetting {
  url: string;
  appId: string;
  onRevoke: boolean;
}

export interface FlowDefinition {
  id: string;
  version: number;
  name: I18nText;
  bizType: string;
  processAdminIds: string[];
  form: FormField[];
  /** Cross-field validations, visibility and calculated fields (form-rules.ts). */
  formRules?: FormRules;
  nodes: NodeDefinition[];
  settings: FlowSettings;
  httpAction?: HttpActionSetting;
}

/** Ids of the nodes a node leads to. */
export function successors(node: NodeDefinition): string[] {
  switch (node.kind) {
    case 'end':
      return [];
    case 'exclusive':
      return [...node.branches.map((b) => b.next), node.defaultNext];
    case 'parallel':
      return [...node.branches];
    case 'start':
    case 'approval':
    case 'form_fill':
    case 'cc':
    case 'join':
      return [node.next];
  }
}

export function rulesOf(node: NodeDefinition): ApproverRule[] {
  if (node.kind === 'approval') return node.approvers;
  if (node.kind === 'form_fill') return node.assignees;
  if (node.kind === 'cc') return node.recipients;
  return [];
}

/**
 * For every node, the parallel branches it sits in, outermost first, as `parallelId#branchIndex`
 * joined by `/` ('' outside any parallel region). Return and join decisions compare these scopes.
 */
export function nodeScopes(definition: FlowDefinition): Map<string, string> {
  const byId = new Map(definition.nodes.map((n) => [n.id, n]));
  const scopes = new Map<string, string>();
  const walk = (id: string, scope: string, stopAt: Set<string>) => {
    const stack: string[] = [id];
    while (stack.length > 0) {
      const current = stack.pop();
      if (current === undefined || scopes.has(current) || stopAt.has(current)) continue;
      const node = byId.get(current);
      if (!node) continue;
      scopes.set(current, scope);
      if (node.kind === 'parallel') {
        node.branches.forEach((head, i) => {
          walk(head, scope ? `${scope}/${node.id}#${i}` : `${node.id}#${i}`, new Set([...stopAt, node.join]));
        });
        stack.push(node.join);
      } else {
        stack.push(...successors(node));
      }
    }
  };
  const start = definition.nodes.find((n) => n.kind === 'start');
  if (start) walk(start.id, '', new Set());
  return scopes;
}

const NO_REFS = { employeeExists: () => false, departmentExists: () => false };
/** Field types whose default can be written in the document as the value itself. */
const DEFAULTABLE = new Set(['text', 'number', 'bool', 'enum', 'date', 'list']);

/** One field's own properties: name, options, bounds, pattern, default. */
function validateField(f: FormField, at: string, bad: (field: string, description: string) => void): void {
  if (!/^[a-z][a-z0-9_]{0,63}$/.test(f.apiName))
    bad(`${at}.api_name`, 'must start with a lower-case letter and hold only a-z, 0-9 and _ (at most 64)');
  if (!(FIELD_TYPES as readonly string[]).includes(f.type)) {
    bad(`${at}.type`, 'unknown field type');
    return;
  }
  if (f.type === 'enum') {
    if ((f.options ?? []).length === 0) bad(`${at}.options`, 'an enum field needs options');
    const values = new Set<string>();
    (f.options ?? []).forEach((o, j) => {
      if (values.has(o.value)) bad(`${at}.options[${j}].value`, `"${o.value}" is listed twice`);
      values.add(o.value);
    });
  } else if (f.options !== undefined) bad(`${at}.options`, 'only enum fields have options');
  if (f.type === 'record' && (f.subFields ?? []).length === 0)
    bad(`${at}.sub_fields`, 'a record field needs columns');
  const only = (prop: string, present: boolean, types: string[]) => {
    if (present && !types.includes(f.type))
      bad(`${at}.${prop}`, `applies to ${types.join(' and ')} fields only`);
    return present && types.includes(f.type);
  };
  for (const [prop, value] of [
    ['min', f.min],
    ['max', f.max],
  ] as const) {
    if (!only(prop, value !== undefined, ['number', 'date', 'date_time'])) continue;
    if (f.type === 'number' && (typeof value !== 'number' || !Number.isFinite(value)))
      bad(`${at}.${prop}`, 'must be a number');
    if (f.type === 'date' && (typeof value !== 'string' || !isValidDate(value)))
      bad(`${at}.${prop}`, 'must be a date written YYYY-MM-DD');
    if (f.type === 'date_time' && (typeof value !== 'string' || Number.isNaN(isoToMs(value))))
      bad(`${at}.${prop}`, 'must be a date and time in ISO 8601, e.g. 2026-01-01T09:00:00Z');
  }
  if (f.min !== undefined && f.max !== undefined && typeof f.min === typeof f.max) {
    const after = f.type === 'date_time' ? isoToMs(String(f.min)) > isoToMs(String(f.max)) : f.min > f.max;
    if (after) bad(`${at}.max`, 'must not be below min');
  }
  if (only('precision', f.precision !== undefined, ['number'])) {
    if (!Number.isInteger(f.precision) || (f.precision ?? 0) < 0 || (f.precision ?? 0) > 10)
      bad(`${at}.precision`, 'must be a whole number of decimal places, 0 to 10');
  }
  for (const [prop, value] of [
    ['min_length', f.minLength],
    ['max_length', f.maxLength],
  ] as const) {
    if (
      only(prop, value !== undefined, ['text']) &&
      !(value !== undefined && Number.isInteger(value) && value >= 0 && value <= 10_000)
    )
      bad(`${at}.${prop}`, 'must be a whole number from 0 to 10000');
  }
  if (f.minLength !== undefined && f.maxLength !== undefined && f.minLength > f.maxLength)
    bad(`${at}.max_length`, 'must not be below min_length');
  if (only('pattern', f.pattern !== undefined, ['text'])) {
    if ((f.pattern ?? '').length > 200) bad(`${at}.pattern`, 'must be at most 200 characters');
    else if (compiledPattern(f.pattern ?? '') === null)
      bad(`${at}.pattern`, 'is not a valid regular expression');
  }
  if (f.defaultValue !== undefined) {
    if (!DEFAULTABLE.has(f.type)) bad(`${at}.default`, `a ${f.type} field cannot have a default`);
    else {
      const problem = valueProblem(f, f.defaultValue, NO_REFS);
      if (problem !== undefined) bad(`${at}.default`, problem);
    }
  }
}

/** Publish-time checks: each problem names the node (`nodes[<id>]…`) or field it is about. */
export function validateDefinition(definition: FlowDefinition): FieldViolation[] {
  const out: FieldViolation[] = [];
  const bad = (field: string, description: string) => out.push({ field, description });
  if (!isKnownBizType(definition.bizType))
    bad('biz_type', 'is neither a listed business type nor custom:<name>');

  // --- form ---
  const fieldNames = new Set<string>();
  definition.form.forEach((f, i) => {
    const at = `form[${i}]`;
    if (fieldNames.has(f.apiName)) bad(`${at}.api_name`, `"${f.apiName}" is used twice`);
    fieldNames.add(f.apiName);
    validateField(f, at, bad);
    const columns = new Set<string>();
    (f.subFields ?? []).forEach((column, j) => {
      const c = `${at}.sub_fields[${j}]`;
      if (columns.has(column.apiName))
        bad(`${c}.api_name`, `"${column.apiName}" is used twice in this record`);
      columns.add(column.apiName);
      if (column.type === 'record') bad(`${c}.type`, 'a record column cannot itself be a record');
      else validateField(column, c, bad);
    });
  });
  out.push(...validateFormRules(definition.form, definition.formRules));
  const calculated = calculatedFields(definition.formRules);
  const checkCondition = conditionChecker(definition.form);
  const userFields = new Set(
    definition.form.filter((f) => f.type === 'user' || f.type === 'employment').map((f) => f.apiName),
  );

  // --- nodes ---
  const byId = new Map<string, NodeDefinition>();
  for (const node of definition.nodes) {
    if (byId.has(node.id)) bad(`nodes[${node.id}]`, 'node id used twice');
    byId.set(node.id, node);
  }
  const starts = definition.nodes.filter((n) => n.kind === 'start');
  if (starts.length !== 1) bad('nodes', 'needs exactly one start node');
  if (!definition.nodes.some((n) => n.kind === 'end')) bad('nodes', 'needs an end node');

  for (const node of definition.nodes) {
    const at = `nodes[${node.id}]`;
    for (const next of successors(node)) {
      if (!byId.has(next)) bad(at, `leads to unknown node "${next}"`);
      else if (byId.get(next)?.kind === 'start') bad(at, 'leads back to the start node');
    }
    if (node.kind === 'approval' || node.kind === 'form_fill' || node.kind === 'cc') {
      const rules = rulesOf(node);
      if (rules.length === 0) bad(`${at}.approvers`, 'has no approver rule');
      rules.forEach((rule, i) => {
        const r = `${at}.approvers[${i}]`;
        if (rule.kind === 'users' && rule.userIds.length === 0) bad(r, 'lists no users');
        if (
          (rule.kind === 'manager' || rule.kind === 'department_leader') &&
          !(rule.level >= 1 && rule.level <= 10)
        ) {
          bad(`${r}.level`, 'must be 1 to 10');
        }
        if (rule.kind === 'form_field' && !userFields.has(rule.field))
          bad(`${r}.field`, `"${rule.field}" is not a user or employment field of the form`);
      });
    }
    if (node.kind === 'approval' || node.kind === 'form_fill') {
      for (const [list, names] of [
        ['editable_fields', node.editableFields],
        ['required_fields', node.requiredFields],
      ] as const) {
        names.forEach((name, i) => {
          if (!fieldNames.has(name)) bad(`${at}.${list}[${i}]`, `"${name}" is not a field of the form`);
          else if (list === 'editable_fields' && calculated.has(name))
            bad(`${at}.${list}[${i}]`, `"${name}" is calculated by the server and cannot be edited`);
        });
      }
      const editable = new Set([...node.editableFields, ...node.requiredFields]);
      for (const name of node.hiddenFields ?? []) {
        if (!fieldNames.has(name)) bad(`${at}.hidden_fields`, `"${name}" is not a field of the form`);
        else if (editable.has(name))
          bad(`${at}.hidden_fields`, `"${name}" cannot be both hidden and editable at this node`);
      }
      if (node.kind === 'form_fill' && node.editableFields.length === 0)
        bad(`${at}.editable_fields`, 'a form-fill node needs fields to fill');
    }
    if (
      node.kind === 'approval' &&
      node.mode.kind === 'ratio' &&
      !(node.mode.percent > 0 && node.mode.percent <= 100)
    ) {
      bad(`${at}.mode.percent`, 'must be above 0 and at most 100');
    }
    if (node.kind === 'approval' && node.timers) out.push(...timerProblems(node.timers, `${at}.timers`));
    if (node.kind === 'exclusive') {
      if (node.branches.length === 0)
        bad(`${at}.branches`, 'an exclusive gateway needs at least one conditional branch');
      if (!node.defaultNext) bad(`${at}.default_next`, 'a branch set needs a default branch');
      node.branches.forEach((b, i) => {
        const problem = checkCondition(b.condition);
        if (problem) bad(`${at}.branches[${i}].condition`, problem);
      });
    }
    if (node.kind === 'parallel') {
      if (node.branches.length < 2) bad(`${at}.branches`, 'a parallel split needs at least two branches');
      if (byId.get(node.join)?.kind !== 'join') bad(`${at}.join`, `"${node.join}" is not a join node`);
    }
  }

  // Reachability and cycles (flows are acyclic: a "loop" is a return, which is a runtime operation).
  const start = starts[0];
  if (start && out.length === 0) {
    const reached = new Set<string>();
    const state = new Map<string, 'visiting' | 'done'>();
    const visit = (id: string, trail: string[]): void => {
      if (state.get(id) === 'done') return;
      if (state.get(id) === 'visiting') {
        bad(`nodes[${id}]`, `is part of a cycle: ${[...trail.slice(trail.indexOf(id)), id].join(' → ')}`);
        return;
      }
      state.set(id, 'visiting');
      reached.add(id);
      const node = byId.get(id);
      if (node) for (const next of successors(node)) visit(next, [...trail, id]);
      if (node?.kind === 'parallel') visit(node.join, [...trail, id]);
      state.set(id, 'done');
    };
    visit(start.id, []);
    for (const node of definition.nodes)
      if (!reached.has(node.id)) bad(`nodes[${node.id}]`, 'cannot be reached from the start node');
    // Every branch of a parallel split must arrive at its own join, not at the end or another join.
    const problemsSoFar = (): number => out.length;
    if (problemsSoFar() === 0) {
      const scopes = nodeScopes(definition);
      for (const node of definition.nodes) {
        if (node.kind === 'end' && scopes.get(node.id) !== '')
          bad(`nodes[${node.id}]`, 'an end node cannot sit inside a parallel branch');
      }
      for (const node of definition.nodes) {
        if (node.kind !== 'parallel') continue;
        const joinScope = scopes.get(node.join);
        if (joinScope !== scopes.get(node.id))
          bad(`nodes[${node.id}].join`, 'the join must close this parallel split');
      }
    }
  }
  if (definition.processAdminIds.length === 0) bad('process_admin_ids', 'needs at least one process admin');
  return out;
}
