/**
 * Every `ApiError.code` the people API documents (src/api/people/contract.ts), plus the client's own
 * (`network`, `session_expired`) and the sign-in page's `?error=` codes from SSO. Each has a key in the `errors`
 * namespace; anything else reads as `unknown`.
 */
export const ERROR_CODES = [
  'unauthenticated',
  'csrf_invalid',
  'forbidden',
  'not_found',
  'process_not_found',
  'task_not_found',
  'invalid_field',
  'form_invalid',
  'task_status_conflict',
  'process_status_conflict',
  'in_use',
  'edit_conflict',
  'definition_not_startable',
  'operator_not_allowed',
  'too_many_requests',
  'payload_too_large',
  'upload_quota_exceeded',
  'unsupported_media_type',
  'invalid_credentials',
  'account_disabled',
  'invite_invalid',
  'storage_unavailable',
  'internal',
  'network',
  'oidc_failed',
  'unknown_person',
  'session_expired',
  'unknown',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

const KNOWN = new Set<string>(ERROR_CODES);

/** The catalogue key for a code; unknown codes read as `unknown` rather than showing a raw code. */
export function errorKey(code: string | undefined | null): `errors:${ErrorCode}` {
  return `errors:${code && KNOWN.has(code) ? (code as ErrorCode) : 'unknown'}`;
}

type Translate = (key: string, options?: Record<string, unknown>) => string;

function codeOf(error: unknown): string | undefined {
  if (error && typeof error === 'object' && 'code' in error) {
    const code = error.code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

/** One sentence in the shown language for any error thrown by the API client (or anything else). */
export function describeError(t: Translate, error: unknown): string {
  return t(errorKey(codeOf(error)));
}

/** Per-field problems as `{ field → description }`, for forms that show them beside the field. */
export function violationsByField(error: unknown): Record<string, string> {
  const result: Record<string, string> = {};
  if (error && typeof error === 'object' && 'violations' in error) {
    const violations = error.violations;
    if (Array.isArray(violations)) {
      for (const v of violations as { field?: unknown; description?: unknown }[]) {
        if (typeof v.field === 'string' && typeof v.description === 'string' && !(v.field in result))
          result[v.field] = v.description;
      }
    }
  }
  return result;
}
