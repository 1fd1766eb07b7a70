import i18next from 'i18next';
import type { ApiError as ApiErrorBody, CsrfToken } from '@contract';

/**
 * The one way the web app talks to the server: `fetch` with the session cookie, JSON both ways,
 * the CSRF token on every write (refreshed and retried once when the server says it is stale),
 * and failures as `ApiError` carrying the people API's stable `code`.
 */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly violations: { field: string; description: string }[];
  /**
   * The whole `error` object as the server sent it, the fields above included: some answers carry more
   * (a refused publish's `problems`, an edit conflict's `current`). Unchecked: read it with a guard.
   */
  readonly details: Readonly<Record<string, unknown>>;

  constructor(status: number, body: ApiErrorBody) {
    super(body.message);
    this.name = 'ApiError';
    this.status = status;
    this.code = body.code;
    this.violations = body.violations ?? [];
    this.details = { ...body };
  }
}

/** The network failed or the answer was not the people API's JSON (a proxy's error page …). */
export function networkError(status: number, message: string): ApiError {
  return new ApiError(status, { code: status === 0 ? 'network' : 'internal', message });
}

export const API_BASE = '/api/v1';

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

let csrfToken: string | undefined;

/** Sign-in and `GET /me` hand out a token; remembered for the next writes. */
export function rememberCsrfToken(token: string | undefined): void {
  if (token) csrfToken = token;
}

export function forgetCsrfToken(): void {
  csrfToken = undefined;
}

async function refreshCsrfToken(): Promise<string> {
  const body = await send<CsrfToken>('GET', '/auth/csrf', undefined, false);
  csrfToken = body.csrf_token;
  return body.csrf_token;
}

export interface RequestOptions {
  /** Query string values; undefined and '' are left out. */
  query?: Record<string, string | number | boolean | undefined>;
  /** A raw body (a file upload) instead of JSON; its type goes in `contentType`. */
  raw?: Blob;
  contentType?: string;
  signal?: AbortSignal;
}

export function apiUrl(path: string, query?: RequestOptions['query']): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== '') params.set(key, String(value));
  }
  const search = params.toString();
  return `${API_BASE}${path}${search ? `?${search}` : ''}`;
}

async function send<T>(
  method: string,
  path: string,
  body: unknown,
  retryCsrf: boolean,
  options: RequestOptions = {},
): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  // The server words refusals and exports in the page's language, not the browser's.
  if (i18next.language) headers['Accept-Language'] = i18next.language;
  const write = WRITE_METHODS.has(method);
  if (write) headers['X-CSRF-Token'] = csrfToken ?? (await refreshCsrfToken());
  let payload: BodyInit | undefined;
  if (options.raw) {
    payload = options.raw;
    headers['Content-Type'] = options.contentType ?? 'application/octet-stream';
  } else if (body !== undefined) {
    payload = JSON.stringify(body);
    headers['Content-Type'] = 'application/json';
  }
  let response: Response;
  try {
    response = await fetch(apiUrl(path, options.query), {
      method,
      headers,
      body: payload ?? null,
      credentials: 'same-origin',
      signal: options.signal ?? null,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw networkError(0, (error as Error).message);
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    throw networkError(response.status, `not JSON (HTTP ${response.status})`);
  }
  if (!response.ok) {
    const error = (json as { error?: ApiErrorBody & Record<string, unknown> } | undefined)?.error;
    if (!error || typeof error.code !== 'string')
      throw networkError(response.status, `HTTP ${response.status}`);
    if (write && retryCsrf && error.code === 'csrf_invalid') {
      // The token went stale (a new session, a server restart): fetch a fresh one and try once more.
      await refreshCsrfToken();
      return send<T>(method, path, body, false, options);
    }
    throw new ApiError(response.status, error);
  }
  const token = (json as { csrf_token?: unknown } | undefined)?.csrf_token;
  if (typeof token === 'string') rememberCsrfToken(token);
  return json as T;
}

export const api = {
  get: <T>(path: string, options?: RequestOptions): Promise<T> =>
    send<T>('GET', path, undefined, true, options),
  post: <T>(path: string, body?: unknown, options?: RequestOptions): Promise<T> =>
    send<T>('POST', path, body ?? {}, true, options),
  patch: <T>(path: string, body: unknown, options?: RequestOptions): Promise<T> =>
    send<T>('PATCH', path, body, true, options),
  put: <T>(path: string, body: unknown, options?: RequestOptions): Promise<T> =>
    send<T>('PUT', path, body, true, options),
  delete: <T>(path: string, options?: RequestOptions): Promise<T> =>
    send<T>('DELETE', path, undefined, true, options),
};

export function isApiError(error: unknown, code?: string): error is ApiError {
  return error instanceof ApiError && (code === undefined || error.code === code);
}
