import type { FastifyReply } from 'fastify';
import type { Failure, Result } from '../../services/result.js';
import { ERROR_CATALOGUE } from '../errors.js';
import type { ApiError } from './contract.js';
import { refusalMessage } from '../../services/refusals.js';
import { requestLanguage } from './language.js';

/** People-API failures beyond the services' kinds (docs/people-api.md lists them all). */
export const PEOPLE_ERRORS = {
  unauthenticated: 401,
  csrf_invalid: 403,
  forbidden: 403,
  invalid_credentials: 401,
  account_disabled: 403,
  invite_invalid: 400,
  too_many_requests: 429,
  payload_too_large: 413,
  /** A person's uploads attached to no request would pass their bound (`--unattached-files-mb`). */
  upload_quota_exceeded: 413,
  unsupported_media_type: 415,
} as const;
export type PeopleErrorCode = keyof typeof PEOPLE_ERRORS;

/** `{ error: { code, message, violations? } }`: the people API's one error shape. */
export function sendPeopleError(
  reply: FastifyReply,
  status: number,
  error: ApiError,
  headers?: Record<string, string>,
): FastifyReply {
  if (headers) void reply.headers(headers);
  return reply.status(status).send({ error });
}

export function sendPeopleFailure(reply: FastifyReply, failure: Failure): FastifyReply {
  const error: ApiError = { code: failure.kind, message: failure.message };
  if (failure.refusal) {
    // A refusal a person reads: its reason for the client, the sentence in the reader's language.
    const { reason, params } = failure.refusal;
    error.reason = reason;
    error.params = params;
    error.message = refusalMessage(reason, params, requestLanguage(reply.request));
  }
  if (failure.violations && failure.violations.length > 0) error.violations = failure.violations;
  return sendPeopleError(reply, ERROR_CATALOGUE[failure.kind].status, error, failure.headers);
}

export function sendPeopleProblem(
  reply: FastifyReply,
  code: PeopleErrorCode,
  message: string,
  violations?: ApiError['violations'],
): FastifyReply {
  return sendPeopleError(reply, PEOPLE_ERRORS[code], {
    code,
    message,
    ...(violations ? { violations } : {}),
  });
}

/** Sends `render(value)` (status 200 unless set before) on success, the failure otherwise. */
export async function sendPeopleResult<T>(
  reply: FastifyReply,
  result: Result<T>,
  render: (value: T) => unknown,
): Promise<FastifyReply> {
  return result.ok ? reply.send(await render(result.value)) : sendPeopleFailure(reply, result.error);
}
