import type { Failure, FailureKind } from '../services/result.js';

/**
 * The one catalogue of failure kinds → HTTP status and wire code (docs/errors.md). Codes marked
 * "ours" in docs/errors.md are this project's own; a test keeps this table and the docs in step.
 */
export const ERROR_CATALOGUE: Record<FailureKind, { status: number; code: number }> = {
  invalid_field: { status: 400, code: 99992402 },
  not_found: { status: 404, code: 1161404 },
  in_use: { status: 409, code: 1161409 },
  missing_token: { status: 401, code: 99991661 },
  invalid_token: { status: 401, code: 99991663 },
  scope_missing: { status: 403, code: 99991672 },
  rate_limited: { status: 429, code: 99991400 },
  invalid_app_credentials: { status: 400, code: 10014 },
  storage_unavailable: { status: 503, code: 1161503 },
  internal: { status: 500, code: 1161500 },
  process_not_found: { status: 404, code: 1161001 },
  task_not_found: { status: 404, code: 1161002 },
  process_status_conflict: { status: 409, code: 1161003 },
  task_status_conflict: { status: 409, code: 1161004 },
  operator_not_allowed: { status: 403, code: 1161005 },
  definition_not_found: { status: 404, code: 1161006 },
  definition_not_startable: { status: 409, code: 1161007 },
  form_invalid: { status: 400, code: 1161008 },
  id_not_found: { status: 400, code: 1161009 },
  forbidden: { status: 403, code: 1161403 },
  edit_conflict: { status: 409, code: 1161410 },
};

export interface ErrorBody {
  code: number;
  msg: string;
  error: { log_id: string; field_violations?: { field: string; description: string }[] };
}

export function errorBody(failure: Failure, logId: string): ErrorBody {
  const { code } = ERROR_CATALOGUE[failure.kind];
  const body: ErrorBody = { code, msg: failure.message, error: { log_id: logId } };
  if (failure.violations && failure.violations.length > 0) body.error.field_violations = failure.violations;
  return body;
}
