import { Type, type Static, type TSchema } from 'typebox';
import { FIELD_TYPES, type FormField } from '../engine/form.js';
import { ruleFieldOf } from '../engine/form-rules.js';
import type { ApprovalMode, ApproverRule, FlowDefinition, NodeDefinition } from '../engine/definition.js';
import type { FieldViolation } from './result.js';
import type { NodeTimers } from '../engine/timers.js';

/**
 * A flow definition as admins write, export and import it ("flows as code"): snake_case, people by
 * their tenant user_id. The engine's FlowDefinition holds people_corehr ids instead.
 */

const I18n = Type.Object(
  {
    zh_cn: Type.String({ minLength: 1, maxLength: 200 }),
    en_us: Type.String({ minLength: 1, maxLength: 200 }),
  },
  { additionalProperties: false },
);
const NodeId = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' });
const FieldName = Type.String({ minLength: 1, maxLength: 64 });
const strict = { additionalProperties: false } as const;

/** A discriminated union Ajv can report on precisely (it picks the branch by `type`). */
function tagged<T extends TSchema[]>(variants: [...T]) {
  return Type.Unsafe<Static<T[number]>>({
    type: 'object',
    oneOf: variants,
    discriminator: { propertyName: 'type' },
    required: ['type'],
  });
}

const Rule = tagged([
  Type.Object(
    {
      type: Type.Literal('users'),
      user_ids: Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { minItems: 1, maxItems: 100 }),
    },
    strict,
  ),
  Type.Object({ type: Type.Literal('manager'), level: Type.Integer({ minimum: 1, maximum: 10 }) }, strict),
  Type.Object(
    { type: Type.Literal('department_leader'), level: Type.Integer({ minimum: 1, maximum: 10 }) },
    strict,
  ),
  Type.Object({ type: Type.Literal('role'), role_key: Type.String({ minLength: 1, maxLength: 64 }) }, strict),
  Type.Object({ type: Type.Literal('form_field'), field: FieldName }, strict),
  Type.Object({ type: Type.Literal('initiator_selected') }, strict),
  Type.Object({ type: Type.Literal('initiator') }, strict),
]);
const Rules = Type.Array(Rule, { maxItems: 20 });
const Mode = Type.Union([
  Type.Enum(['or', 'and', 'sequential']),
  Type.Object({ ratio: Type.Integer({ minimum: 1, maximum: 100 }) }, strict),
]);
const Fallback = Type.Enum(['auto_pass', 'to_admins', 'refuse']);
const Fields = Type.Array(FieldName, { maxItems: 200 });
/** Minutes of working time (the tenant calendar); the range rules are the engine's (timers.ts). */
const Minutes = Type.Integer();
const Timers = Type.Object(
  {
    remind: Type.Optional(
      Type.Object(
        {
          after_minutes: Minutes,
          every_minutes: Type.Optional(Minutes),
          times: Type.Optional(Type.Integer()),
        },
        strict,
      ),
    ),
    escalate: Type.Optional(
      Type.Object({ after_minutes: Minutes, action: Type.Enum(['notify_manager', 'add_manager']) }, strict),
    ),
    auto: Type.Optional(
      Type.Object(
        { after_minutes: Minutes, action: Type.Enum(['approve', 'reject', 'transfer_to_admins']) },
        strict,
      ),
    ),
  },
  strict,
);
type TimersDoc = Static<typeof Timers>;

const timersFromDoc = (t: TimersDoc): NodeTimers => ({
  ...(t.remind
    ? {
        remind: {
          afterMinutes: t.remind.after_minutes,
          ...(t.remind.every_minutes !== undefined ? { everyMinutes: t.remind.every_minutes } : {}),
          ...(t.remind.times !== undefined ? { times: t.remind.times } : {}),
        },
      }
    : {}),
  ...(t.escalate ? { escalate: { afterMinutes: t.escalate.after_minutes, action: t.escalate.action } } : {}),
  ...(t.auto ? { auto: { afterMinutes: t.auto.after_minutes, action: t.auto.action } } : {}),
});

const timersToDoc = (t: NodeTimers): TimersDoc => ({
  ...(t.remind
    ? {
        remind: {
          after_minutes: t.remind.afterMinutes,
          ...(t.remind.everyMinutes !== undefined ? { every_minutes: t.remind.everyMinutes } : {}),
          ...(t.remind.times !== undefined ? { times: t.remind.times } : {}),
        },
      }
    : {}),
  ...(t.escalate ? { escalate: { after_minutes: t.escalate.afterMinutes, action: t.escalate.action } } : {}),
  ...(t.auto ? { auto: { after_minutes: t.auto.afterMinutes, action: t.auto.action } } : {}),
});

const Node = tagged([
  Type.Object({ type: Type.Literal('start'), id: NodeId, name: Type.Optional(I18n), next: NodeId }, strict),
  Type.Object(
    {
      type: Type.Literal('approval'),
      id: NodeId,
      name: I18n,
      approvers: Rules,
      mode: Type.Optional(Mode),
      empty_fallback: Type.Optional(Fallback),
      editable_fields: Type.Optional(Fields),
      required_fields: Type.Optional(Fields),
      hidden_fields: Type.Optional(Fields),
      timers: Type.Optional(Timers),
      next: NodeId,
    },
    strict,
  ),
  Type.Object(
    {
      type: Type.Literal('form_fill'),
      id: NodeId,
      name: I18n,
      assignees: Rules,
      empty_fallback: Type.Optional(Fallback),
      editable_fields: Fields,
      required_fields: Type.Optional(Fields),
      hidden_fields: Type.Optional(Fields),
      next: NodeId,
    },
    strict,
  ),
  Type.Object({ type: Type.Literal('cc'), id: NodeId, name: I18n, recipients: Rules, next: NodeId }, strict),
  Type.Object(
    {
      type: Type.Literal('exclusive'),
      id: NodeId,
      name: Type.Optional(I18n),
      branches: Type.Array(
        Type.Object({ condition: Type.String({ minLength: 1, maxLength: 2000 }), next: NodeId }, strict),
        { maxItems: 50 },
      ),
      default_next: NodeId,
    },
    strict,
  ),
  Type.Object(
    {
      type: Type.Literal('parallel'),
      id: NodeId,
      name: Type.Optional(I18n),
      branches: Type.Array(NodeId, { maxItems: 20 }),
      join: NodeId,
    },
    strict,
  ),
  Type.Object({ type: Type.Literal('join'), id: NodeId, name: Type.Optional(I18n), next: NodeId }, strict),
  Type.Object({ type: Type.Literal('end'), id: NodeId, name: Type.Optional(I18n) }, strict),
]);

const Options = Type.Array(
  Type.Object({ value: Type.String({ minLength: 1, maxLength: 64 }), label: I18n }, strict),
  { maxItems: 200 },
);
/** Properties every field and record column may have (checked against the field's type when validated). */
const fieldProperties = {
  api_name: FieldName,
  label: I18n,
  required: Type.Optional(Type.Boolean()),
  options: Type.Optional(Options),
  help_text: Type.Optional(
    Type.Object({ zh_cn: Type.String({ maxLength: 1000 }), en_us: Type.String({ maxLength: 1000 }) }, strict),
  ),
  /** A value of the field's type (text, number, bool, enum, date, list), prefilled on the form. */
  default: Type.Optional(
    Type.Union([
      Type.String({ maxLength: 10_000 }),
      Type.Boolean(),
      Type.Array(Type.String({ maxLength: 1000 }), { maxItems: 1000 }),
    ]),
  ),
  /** number: a number; date: YYYY-MM-DD; date_time: ISO 8601. */
  min: Type.Optional(Type.Union([Type.Number(), Type.String({ maxLength: 40 })])),
  max: Type.Optional(Type.Union([Type.Number(), Type.String({ maxLength: 40 })])),
  precision: Type.Optional(Type.Integer({ minimum: 0, maximum: 10 })),
  min_length: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000 })),
  max_length: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000 })),
  pattern: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
};
const SubField = Type.Object(
  { ...fieldProperties, type: Type.Enum(FIELD_TYPES.filter((t) => t !== 'record')) },
  strict,
);
export const FormFieldDoc = Type.Object(
  {
    ...fieldProperties,
    type: Type.Enum([...FIELD_TYPES]),
    sub_fields: Type.Optional(Type.Array(SubField, { maxItems: 50 })),
  },
  strict,
);

// Rules may be saved half-written in a draft (an empty expression, message or field while the admin
// types); validate and publish name what is missing.
const Expression = Type.String({ maxLength: 2000 });
const RuleField = Type.String({ maxLength: 64 });
const Message = Type.Object(
  { zh_cn: Type.String({ maxLength: 200 }), en_us: Type.String({ maxLength: 200 }) },
  strict,
);
/** Form rules (engine/form-rules.ts): CEL over `form.<api_name>`. */
export const FormRulesDoc = Type.Object(
  {
    validations: Type.Optional(
      Type.Array(
        Type.Object(
          {
            id: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' }),
            expression: Expression,
            message: Message,
            fields: Type.Array(FieldName, { maxItems: 20 }),
          },
          strict,
        ),
        { maxItems: 100 },
      ),
    ),
    visibility: Type.Optional(
      Type.Array(Type.Object({ field: RuleField, when: Expression }, strict), { maxItems: 200 }),
    ),
    calculations: Type.Optional(
      Type.Array(Type.Object({ field: RuleField, expression: Expression }, strict), { maxItems: 200 }),
    ),
  },
  strict,
);

export const DefinitionDocumentSchema = Type.Object(
  {
    name: I18n,
    biz_type: Type.String({ minLength: 1, maxLength: 80 }),
    process_admins: Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 50 }),
    settings: Type.Optional(
      Type.Object(
        {
          skip_duplicate_approvers: Type.Optional(Type.Boolean()),
          revoke_needs_approval: Type.Optional(Type.Boolean()),
        },
        strict,
      ),
    ),
    form: Type.Array(FormFieldDoc, { maxItems: 200 }),
    rules: Type.Optional(FormRulesDoc),
    nodes: Type.Array(Node, { minItems: 1, maxItems: 200 }),
    /** A signed POST to an integration when a process completes (docs/actions.md "HTTP action"). */
    http_action: Type.Optional(
      Type.Object(
        {
          // Empty is a draft still being written: publishing names it as a problem.
          url: Type.String({ maxLength: 2048 }),
          app_id: Type.String({ maxLength: 64 }),
          on_revoke: Type.Optional(Type.Boolean()),
        },
        strict,
      ),
    ),
  },
  strict,
);
export type DefinitionDocument = Static<typeof DefinitionDocumentSchema>;
type RuleDoc = Static<typeof Rule>;
type NodeDoc = Static<typeof Node>;
type FieldDoc = Static<typeof FormFieldDoc>;

/** Person look-ups in both directions, for one tenant. */
export interface PeopleIndex {
  idOf(userId: string): string | undefined;
  userIdOf(employeeId: string): string;
}

export function fromDocument(
  doc: DefinitionDocument,
  people: PeopleIndex,
): { definition: Omit<FlowDefinition, 'id' | 'version'>; violations: FieldViolation[] } {
  const violations: FieldViolation[] = [];
  const person = (userId: string, field: string): string => {
    const id = people.idOf(userId);
    if (id === undefined) violations.push({ field, description: 'unknown user' });
    return id ?? userId;
  };
  const rule = (r: RuleDoc, at: string): ApproverRule => {
    switch (r.type) {
      case 'users':
        return { kind: 'users', userIds: r.user_ids.map((u, i) => person(u, `${at}.user_ids[${i}]`)) };
      case 'manager':
      case 'department_leader':
        return { kind: r.type, level: r.level };
      case 'role':
        return { kind: 'role', roleKey: r.role_key };
      case 'form_field':
        return { kind: 'form_field', field: r.field };
      case 'initiator_selected':
      case 'initiator':
        return { kind: r.type };
    }
  };
  const rules = (list: RuleDoc[], at: string) => list.map((r, i) => rule(r, `${at}[${i}]`));
  const mode = (m: Static<typeof Mode> | undefined): ApprovalMode =>
    m === undefined
      ? { kind: 'or' }
      : typeof m === 'string'
        ? { kind: m }
        : { kind: 'ratio', percent: m.ratio };
  const name = (n: { zh_cn: string; en_us: string } | undefined, id: string) => n ?? { zh_cn: id, en_us: id };
  const node = (n: NodeDoc, i: number): NodeDefinition => {
    const at = `nodes[${i}]`;
    switch (n.type) {
      case 'start':
        return { id: n.id, kind: 'start', name: name(n.name, n.id), next: n.next };
      case 'approval':
        return {
          id: n.id,
          kind: 'approval',
          name: n.name,
          approvers: rules(n.approvers, `${at}.approvers`),
          mode: mode(n.mode),
          emptyFallback: n.empty_fallback ?? 'to_admins',
          editableFields: n.editable_fields ?? [],
          requiredFields: n.required_fields ?? [],
          ...(n.hidden_fields?.length ? { hiddenFields: n.hidden_fields } : {}),
          ...(n.timers && Object.keys(n.timers).length > 0 ? { timers: timersFromDoc(n.timers) } : {}),
          next: n.next,
        };
      case 'form_fill':
        return {
          id: n.id,
          kind: 'form_fill',
          name: n.name,
          assignees: rules(n.assignees, `${at}.assignees`),
          emptyFallback: n.empty_fallback ?? 'to_admins',
          editableFields: n.editable_fields,
          requiredFields: n.required_fields ?? [],
          ...(n.hidden_fields?.length ? { hiddenFields: n.hidden_fields } : {}),
          next: n.next,
        };
      case 'cc':
        return {
          id: n.id,
          kind: 'cc',
          name: n.name,
          recipients: rules(n.recipients, `${at}.recipients`),
          next: n.next,
        };
      case 'exclusive':
        return {
          id: n.id,
          kind: 'exclusive',
          name: name(n.name, n.id),
          branches: n.branches,
          defaultNext: n.default_next,
        };
      case 'parallel':
        return { id: n.id, kind: 'parallel', name: name(n.name, n.id), branches: n.branches, join: n.join };
      case 'join':
        return { id: n.id, kind: 'join', name: name(n.name, n.id), next: n.next };
      case 'end':
        return { id: n.id, kind: 'end', name: name(n.name, n.id) };
    }
  };
  const field = (f: FieldDoc): FormField => ({
    apiName: f.api_name,
    label: f.label,
    type: f.type,
    required: f.required ?? false,
    ...(f.options ? { options: f.options } : {}),
    ...(f.sub_fields ? { subFields: f.sub_fields.map((s) => field(s as FieldDoc)) } : {}),
    ...(f.help_text ? { helpText: f.help_text } : {}),
    ...(f.default !== undefined ? { defaultValue: f.default } : {}),
    ...(f.min !== undefined ? { min: f.min } : {}),
    ...(f.max !== undefined ? { max: f.max } : {}),
    ...(f.precision !== undefined ? { precision: f.precision } : {}),
    ...(f.min_length !== undefined ? { minLength: f.min_length } : {}),
    ...(f.max_length !== undefined ? { maxLength: f.max_length } : {}),
    ...(f.pattern !== undefined ? { pattern: f.pattern } : {}),
  });
  const definition = {
    name: doc.name,
    bizType: doc.biz_type,
    processAdminIds: doc.process_admins.map((u, i) => person(u, `process_admins[${i}]`)),
    form: doc.form.map(field),
    ...(doc.rules ? { formRules: doc.rules } : {}),
    nodes: doc.nodes.map(node),
    settings: {
      skipDuplicateApprovers: doc.settings?.skip_duplicate_approvers ?? false,
      revokeNeedsApproval: doc.settings?.revoke_needs_approval ?? false,
    },
    ...(doc.http_action
      ? {
          httpAction: {
            url: doc.http_action.url,
            appId: doc.http_action.app_id,
            onRevoke: doc.http_action.on_revoke ?? true,
          },
        }
      : {}),
  };
  return { definition, violations };
}

export function toDocument(
  definition: Omit<FlowDefinition, 'id' | 'version'>,
  people: PeopleIndex,
): DefinitionDocument {
  const rule = (r: ApproverRule): RuleDoc => {
    switch (r.kind) {
      case 'users':
        return { type: 'users', user_ids: r.userIds.map((id) => people.userIdOf(id)) };
      case 'manager':
      case 'department_leader':
        return { type: r.kind, level: r.level };
      case 'role':
        return { type: 'role', role_key: r.roleKey };
      case 'form_field':
        return { type: 'form_field', field: r.field };
      case 'initiator_selected':
      case 'initiator':
        return { type: r.kind };
    }
  };
  const mode = (m: ApprovalMode) => (m.kind === 'ratio' ? { ratio: m.percent } : m.kind);
  const node = (n: NodeDefinition): NodeDoc => {
    switch (n.kind) {
      case 'start':
        return { type: 'start', id: n.id, name: n.name, next: n.next };
      case 'approval':
        return {
          type: 'approval',
          id: n.id,
          name: n.name,
          approvers: n.approvers.map(rule),
          mode: mode(n.mode),
          empty_fallback: n.emptyFallback,
          editable_fields: n.editableFields,
          required_fields: n.requiredFields,
          ...(n.hiddenFields?.length ? { hidden_fields: n.hiddenFields } : {}),
          ...(n.timers ? { timers: timersToDoc(n.timers) } : {}),
          next: n.next,
        };
      case 'form_fill':
        return {
          type: 'form_fill',
          id: n.id,
          name: n.name,
          assignees: n.assignees.map(rule),
          empty_fallback: n.emptyFallback,
          editable_fields: n.editableFields,
          required_fields: n.requiredFields,
          ...(n.hiddenFields?.length ? { hidden_fields: n.hiddenFields } : {}),
          next: n.next,
        };
      case 'cc':
        return { type: 'cc', id: n.id, name: n.name, recipients: n.recipients.map(rule), next: n.next };
      case 'exclusive':
        return {
          type: 'exclusive',
          id: n.id,
          name: n.name,
          branches: n.branches,
          default_next: n.defaultNext,
        };
      case 'parallel':
        return { type: 'parallel', id: n.id, name: n.name, branches: n.branches, join: n.join };
      case 'join':
        return { type: 'join', id: n.id, name: n.name, next: n.next };
      case 'end':
        return { type: 'end', id: n.id, name: n.name };
    }
  };
  const field = (f: FormField): FieldDoc => ({
    api_name: f.apiName,
    label: f.label,
    type: f.type,
    required: f.required,
    ...(f.options ? { options: f.options } : {}),
    ...(f.subFields ? { sub_fields: f.subFields.map((s) => field(s) as Static<typeof SubField>) } : {}),
    ...(f.helpText ? { help_text: f.helpText } : {}),
    ...(f.defaultValue !== undefined ? { default: f.defaultValue as FieldDoc['default'] } : {}),
    ...(f.min !== undefined ? { min: f.min } : {}),
    ...(f.max !== undefined ? { max: f.max } : {}),
    ...(f.precision !== undefined ? { precision: f.precision } : {}),
    ...(f.minLength !== undefined ? { min_length: f.minLength } : {}),
    ...(f.maxLength !== undefined ? { max_length: f.maxLength } : {}),
    ...(f.pattern !== undefined ? { pattern: f.pattern } : {}),
  });
  return {
    name: definition.name,
    biz_type: definition.bizType,
    process_admins: definition.processAdminIds.map((id) => people.userIdOf(id)),
    settings: {
      skip_duplicate_approvers: definition.settings.skipDuplicateApprovers,
      revoke_needs_approval: definition.settings.revokeNeedsApproval,
    },
    form: definition.form.map(field),
    ...(definition.formRules ? { rules: definition.formRules } : {}),
    nodes: definition.nodes.map(node),
    ...(definition.httpAction
      ? {
          http_action: {
            url: definition.httpAction.url,
            app_id: definition.httpAction.appId,
            on_revoke: definition.httpAction.onRevoke,
          },
        }
      : {}),
  };
}

/**
 * The form field a validation problem is about, for pinning it in the form designer: `form[2]…` is
 * the third field, `rules.validations[0]…` the (first) field the rule names. Undefined for the rest.
 */
export function problemFieldApiName(doc: DefinitionDocument, path: string): string | undefined {
  const field = /^form\[(\d+)\]/.exec(path);
  if (field) return doc.form[Number(field[1])]?.api_name;
  return ruleFieldOf(doc.rules, path);
}
