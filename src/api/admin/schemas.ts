import { Type } from 'typebox';
import { EMPLOYMENT_STATUSES } from '../../engine/directory.js';
import { DELIVERY_MODES, EVENT_TYPES, SCOPES } from '../../services/app.service.js';
import { USER_ID_TYPES } from '../../services/id-mapping.service.js';
import { PROFILE_FIELD_RULES, PROFILE_FIELDS } from '../../services/employee-profile.js';

/** Request schemas of the admin API: types, lengths and enums are checked here, references in services. */

/** The largest value of a 32-bit integer column (definition versions): a larger one is a 400, not SQL's error. */
export const MAX_INT4 = 2_147_483_647;

const KEY_PATTERN = '^[A-Za-z0-9_.@-]+$';
export const TenantKey = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' });
export const ExternalId = Type.String({ minLength: 1, maxLength: 64, pattern: KEY_PATTERN });
export const RoleKey = Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-z][a-z0-9_]*$' });
const Name = Type.String({ minLength: 1, maxLength: 100 });
const I18n = Type.Object(
  {
    zh_cn: Type.String({ minLength: 1, maxLength: 100 }),
    en_us: Type.String({ minLength: 1, maxLength: 100 }),
  },
  { additionalProperties: false },
);
const PersonName = Type.Object(
  {
    zh_cn: Type.String({ minLength: 1, maxLength: 100 }),
    en_us: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  },
  { additionalProperties: false },
);
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);
const strict = { additionalProperties: false } as const;
/** `{enum:[…]}` rather than anyOf-of-consts, so an error lists the allowed values. */
export const enumOf = <const T extends string>(values: readonly T[]) => Type.Enum([...values]);

export const TenantParams = Type.Object({ tenant_key: TenantKey });

export const TenantCreate = Type.Object({ tenant_key: Type.Optional(TenantKey), name: Name }, strict);
export const TenantUpdate = Type.Object({ name: Type.Optional(Name) }, strict);

export const DepartmentCreate = Type.Object(
  {
    department_id: Type.Optional(ExternalId),
    name: I18n,
    parent_department_id: Type.Optional(Nullable(ExternalId)),
    leader_user_id: Type.Optional(Nullable(ExternalId)),
  },
  strict,
);
export const DepartmentUpdate = Type.Partial(DepartmentCreate, strict);

/**
 * The profile fields (services/employee-profile.ts): text or null here; formats (phone, email, date,
 * enum) are checked by the service, which names the field the same way.
 */
const profileText = (maxLength: number) => Type.Optional(Nullable(Type.String({ maxLength })));
const ProfileProperties = Object.fromEntries(
  PROFILE_FIELDS.map((field) => [field, profileText(PROFILE_FIELD_RULES[field].maxLength)]),
) as Record<(typeof PROFILE_FIELDS)[number], ReturnType<typeof profileText>>;
/** `?reveal=sensitive`: bank account and ID number in full. */
export const RevealQuery = Type.Object(
  { reveal: Type.Optional(Type.Literal('sensitive')) },
  { additionalProperties: false },
);

export const EmployeeCreate = Type.Object(
  {
    user_id: Type.Optional(ExternalId),
    name: PersonName,
    email: Type.String({ format: 'email', maxLength: 254 }),
    department_id: Type.Optional(Nullable(ExternalId)),
    manager_user_id: Type.Optional(Nullable(ExternalId)),
    employment_status: Type.Optional(enumOf(EMPLOYMENT_STATUSES)),
    ...ProfileProperties,
  },
  strict,
);
export const EmployeeUpdate = Type.Partial(EmployeeCreate, strict);

const RoleMember = Type.Object(
  { user_id: ExternalId, department_ids: Type.Optional(Type.Array(ExternalId, { maxItems: 1000 })) },
  strict,
);
export const RoleCreate = Type.Object(
  { role_key: RoleKey, name: I18n, members: Type.Optional(Type.Array(RoleMember, { maxItems: 1000 })) },
  strict,
);
export const RoleUpdate = Type.Object(
  { name: Type.Optional(I18n), members: Type.Optional(Type.Array(RoleMember, { maxItems: 1000 })) },
  strict,
);

const EventSettings = Type.Object(
  {
    request_url: Type.Optional(Nullable(Type.String({ maxLength: 2048, pattern: '^https?://[^\\s]+$' }))),
    verification_token: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
    encrypt_key: Type.Optional(Nullable(Type.String({ maxLength: 128 }))),
    event_types: Type.Optional(Type.Array(enumOf(EVENT_TYPES), { maxItems: EVENT_TYPES.length * 2 })),
    delivery_mode: Type.Optional(enumOf(DELIVERY_MODES)),
  },
  strict,
);
export const AppCreate = Type.Object(
  {
    name: Name,
    scopes: Type.Optional(Type.Array(enumOf(SCOPES), { maxItems: SCOPES.length * 2 })),
    event: Type.Optional(EventSettings),
  },
  strict,
);
export const AppUpdate = Type.Partial(AppCreate, strict);

export const IdLookupQuery = Type.Object({
  user_id_type: Type.Optional(enumOf(USER_ID_TYPES)),
  app_id: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
});
