import { useQuery } from '@tanstack/react-query';
import type { DepartmentRef, FileRef, Page, PersonRef } from '@contract';
import { api } from '../../api/client';

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

/** POST /api/v1/files: the file's bytes as the body, its name in the query (contract.ts, Files). */
export function uploadFile(file: File): Promise<FileRef> {
  return api.post<FileRef>('/files', undefined, {
    raw: file,
    contentType: file.type || 'application/octet-stream',
    query: { name: file.name },
  });
}

export function fileUrl(fileId: string): string {
  return `/api/v1/files/${encodeURIComponent(fileId)}`;
}
