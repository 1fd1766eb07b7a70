/** Results of engine decisions: failures are values (ARCHITECTURE rule 3). */

export interface FieldViolation {
  field: string;
  description: string;
}

export type EngineFailureKind =
  | 'invalid_field'
  | 'form_invalid'
  | 'process_status_conflict'
  | 'task_not_found'
  | 'task_status_conflict'
  | 'operator_not_allowed'
  | 'definition_not_startable'
  | 'id_not_found';

export interface EngineFailure {
  kind: EngineFailureKind;
  message: string;
  violations?: FieldViolation[];
}

export type Decision<T> = { ok: true; value: T } | { ok: false; error: EngineFailure };

export const accept = <T>(value: T): Decision<T> => ({ ok: true, value });
export const refuse = <T = never>(
  kind: EngineFailureKind,
  message: string,
  violations?: FieldViolation[],
): Decision<T> => ({
  ok: false,
  error: violations ? { kind, message, violations } : { kind, message },
});
