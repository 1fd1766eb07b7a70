import { Type } from 'typebox';
import { DEPARTMENT_ID_TYPES, USER_ID_TYPES } from '../../services/id-mapping.service.js';

/** Request schemas of the corehr v2 process endpoints: the official SDK's request types (docs/open-api.md). */

export const UserIdType = Type.Optional(Type.Enum([...USER_ID_TYPES]));
export const DepartmentIdType = Type.Optional(Type.Enum([...DEPARTMENT_ID_TYPES]));
/** Process, task and definition ids: 19-digit decimal strings. */
export const Id = Type.String({ pattern: '^[0-9]{1,19}$', maxLength: 19 });
const PersonId = Type.String({ minLength: 1, maxLength: 64 });
const Text = (maxLength: number) => Type.String({ maxLength });
const Millis = Type.String({ pattern: '^[0-9]{1,15}$' });

const I18n = Type.Object({ zh_cn: Type.Optional(Text(10_000)), en_us: Type.Optional(Text(10_000)) });
const ValueShape = {
  text_value: Type.Optional(Text(10_000)),
  bool_value: Type.Optional(Type.Boolean()),
  number_value: Type.Optional(Text(40)),
  enum_value: Type.Optional(Text(200)),
  date_value: Type.Optional(Text(20)),
  date_time_value: Type.Optional(Text(20)),
  i18n_value: Type.Optional(I18n),
  object_value: Type.Optional(
    Type.Object({ wk_id: Type.Optional(Text(200)), wk_api_name: Type.Optional(Text(200)) }),
  ),
  department_value: Type.Optional(Text(64)),
  employment_value: Type.Optional(Text(64)),
  list_values: Type.Optional(Type.Array(Text(1000), { maxItems: 1000 })),
  file_value: Type.Optional(
    Type.Object({
      open_file_id: Type.Optional(Text(200)),
      file_name: Type.Optional(Text(500)),
      length: Type.Optional(Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER })),
    }),
  ),
  record_values: Type.Optional(
    Type.Array(
      Type.Object({
        variable_api_name: Type.Optional(Text(64)),
        sub_value_key: Type.Optional(Text(200)),
        record_id: Type.Optional(Text(200)),
      }),
      { maxItems: 5000 },
    ),
  ),
};
const VariableValue = Type.Object(ValueShape);
export const FlowData = Type.Array(
  Type.Object({
    variable_api_name: Type.String({ minLength: 1, maxLength: 64 }),
    variable_value: Type.Optional(VariableValue),
    sub_values: Type.Optional(
      Type.Array(Type.Object({ key: Type.Optional(Text(200)), value: Type.Optional(VariableValue) }), {
        maxItems: 5000,
      }),
    ),
  }),
  { maxItems: 200 },
);

export const ProcessParams = Type.Object({ process_id: Id });
export const TaskParams = Type.Object({ process_id: Id, approver_id: Id });
export const IdTypeQuery = Type.Object({ user_id_type: UserIdType, department_id_type: DepartmentIdType });
export const UserIdTypeQuery = Type.Object({ user_id_type: UserIdType });

export const PROCESS_STATUS_CODES = [1, 2, 4, 8, 9, 15] as const;
export const TASK_STATUS_CODES = [-2, -1, 0, 1, 2, 3, 4, 5, 6, 12, 14, 16] as const;
const enumOfNumbers = (values: readonly number[]) =>
  Type.Unsafe<number>({ type: 'integer', enum: [...values] });

export const ListProcessesQuery = Type.Object({
  page_size: Type.Integer({ minimum: 1, maximum: 100 }),
  page_token: Type.Optional(Type.String({ maxLength: 500 })),
  modify_time_from: Millis,
  modify_time_to: Millis,
  statuses: Type.Optional(Type.Array(enumOfNumbers(PROCESS_STATUS_CODES), { maxItems: 6 })),
  flow_definition_id: Type.Optional(Id),
});

export const FlowVariableQuery = Type.Object({
  user_id_type: UserIdType,
  department_id_type: DepartmentIdType,
  variable_keys: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 200 })),
});

export const StartBody = Type.Object({
  flow_definition_id: Id,
  initiator_id: Type.Optional(PersonId),
  system_initiator: Type.Optional(Type.Boolean()),
  flow_data: Type.Optional(FlowData),
});

export const OperatorBody = Type.Object({
  user_id: Type.Optional(PersonId),
  reason: Type.Optional(Text(2000)),
  system_user: Type.Optional(Type.Boolean()),
});

export const ApproveBody = Type.Object({
  status: Type.Unsafe<2 | 3>({ type: 'integer', enum: [2, 3] }),
  user_id: Type.Optional(PersonId),
  system_approval: Type.Optional(Type.Boolean()),
  reason: Type.Optional(Text(2000)),
  field_values_v2: Type.Optional(FlowData),
});

export const ExtraBody = Type.Object({
  operator: Type.Optional(PersonId),
  node_id: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  approver_id: Type.Optional(Id),
  extra_type: Type.Unsafe<0 | 1 | 2>({ type: 'integer', enum: [0, 1, 2] }),
  approval_type: Type.Optional(Type.Unsafe<0 | 1>({ type: 'integer', enum: [0, 1] })),
  extra_user_ids: Type.Array(PersonId, { maxItems: 50 }),
  remark: Type.Optional(Text(2000)),
  system_user: Type.Optional(Type.Boolean()),
});

export const TransferBody = Type.Object({
  operator: Type.Optional(PersonId),
  to_user_id: PersonId,
  approver_ids: Type.Array(Id, { maxItems: 50 }),
  remark: Type.Optional(Text(2000)),
  system_user: Type.Optional(Type.Boolean()),
});

export const ApproversQuery = Type.Object({
  page_size: Type.Integer({ minimum: 1, maximum: 100 }),
  page_token: Type.Optional(Type.String({ maxLength: 500 })),
  user_id_type: UserIdType,
  user_id: PersonId,
  approver_status: Type.Optional(enumOfNumbers(TASK_STATUS_CODES)),
});
