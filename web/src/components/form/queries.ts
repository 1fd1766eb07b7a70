import { useQuery } from '@tanstack/react-query';
import type { ApiError as ApiErrorBody, CsrfToken, DepartmentRef, FileRef, Page, PersonRef } from '@contract';
import { api, ApiError, apiUrl, networkError } from '../../api/client';

/** Directory look-ups for the pickers: active people by name, and the department tree. */
export function usePeopleSearch(query: string) {
  return useQuery({
    queryKey: ['people', query],
    queryFn: ({ signal }) => api.get<Page<PersonRef>>('/people', { query: { query, page_size: 20 }, signal }),
    staleTime: 60_000,
    placeholderData: (previous) => previous,
  });
}

/** The whole department tree (the API pages it at 500; a few pages at most). */
export function useDepartments() {
  return useQuery({
    queryKey: ['departments'],
    queryFn: async ({ signal }) => {
      const all: DepartmentRef[] = [];
      let pageToken: string | undefined;
      for (let i = 0; i < 10; i += 1) {
        const page = await api.get<Page<DepartmentRef>>('/departments', {
          query: { page_token: pageToken },
          signal,
        });
        all.push(...page.items);
        pageToken = page.page_token;
        if (!pageToken) break;
      }
      return all;
    },
    staleTime: 5 * 60_000,
  });
}

/**
 * POST /api/v1/files as multipart/form-data with one part named `file` (WEB-PLAN, Files). The shared
 * client sends JSON or a raw body only, so this builds the request itself, with a fresh CSRF token.
 */
export async function uploadFile(file: File): Promise<FileRef> {
  const { csrf_token } = await api.get<CsrfToken>('/auth/csrf');
  const body = new FormData();
  body.append('file', file, file.name);
  let response: Response;
  try {
    response = await fetch(apiUrl('/files'), {
      method: 'POST',
      body,
      headers: { Accept: 'application/json', 'X-CSRF-Token': csrf_token },
      credentials: 'same-origin',
    });
  } catch (error) {
    throw networkError(0, (error as Error).message);
  }
  let json: unknown;
  try {
    json = await response.json();
  } catch {
    json = undefined;
  }
  if (!response.ok) {
    const error = (json as { error?: ApiErrorBody } | undefined)?.error;
    // A proxy or the body limit may answer before the route does: the status still says what happened.
    const fallback =
      response.status === 413
        ? 'payload_too_large'
        : response.status === 415
          ? 'unsupported_media_type'
          : 'unknown';
    throw new ApiError(
      response.status,
      error && typeof error.code === 'string'
        ? error
        : { code: fallback, message: `HTTP ${response.status}` },
    );
  }
  return json as FileRef;
}

export function fileUrl(fileId: string): string {
  return `/api/v1/files/${encodeURIComponent(fileId)}`;
}
