/** Expected failures are values (ARCHITECTURE rule 3); src/api/errors.ts maps each kind to its wire code. */

import type { RefusalParams, RefusalReason } from './refusals.js';

export interface FieldViolation {
  field: string;
  description: string;
}

export const FAILURE_KINDS = [
  'invalid_field',
  'not_found',
  'in_use',
  'missing_token',
  'invalid_token',
  'scope_missing',
  'rate_limited',
  'invalid_app_credentials',
  'storage_unavailable',
  'internal',
  'process_not_found',
  'task_not_found',
  'process_status_conflict',
  'task_status_conflict',
  'operator_not_allowed',
  'definition_not_found',
  'definition_not_startable',
  'form_invalid',
  'id_not_found',
  'forbidden',
  'edit_conflict',
] as const;
export type FailureKind = (typeof FAILURE_KINDS)[number];

export interface Failure {
  kind: FailureKind;
  message: string;
  violations?: FieldViolation[];
  /** Extra headers the edge should send (rate-limit counters, …). */
  headers?: Record<string, string>;
  /** Why, for a client to word it (refusals.ts): the people API answers in the reader's language. */
  refusal?: { reason: RefusalReason; params: RefusalParams };
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: Failure };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });

export const fail = <T = never>(
  kind: FailureKind,
  message: string,
  violations?: FieldViolation[],
): Result<T> => ({
  ok: false,
  error: violations ? { kind, message, violations } : { kind, message },
});

/** One or more bad request fields: 400 with each field named. */
export const invalidFields = <T = never>(violations: FieldViolation[]): Result<T> =>
  fail('invalid_field', violations.map((v) => `${v.field}: ${v.description}`).join('; '), violations);

export const invalidField = <T = never>(field: string, description: string): Result<T> =>
  invalidFields([{ field, description }]);

export const notFound = <T = never>(what: string): Result<T> => fail('not_found', `${what} not found`);
