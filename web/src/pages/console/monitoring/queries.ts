import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  AdminProcessDetail,
  AdminReturnRequest,
  MonitorFilterOptions,
  MonitoredProcess,
  OnBehalfRequest,
  Page,
  ReassignRequest,
} from '@contract';
import { api, API_BASE } from '../../../api/client';
import { PageTokens } from '../../../lib/inboxFilters';
import { filtersToApiQuery, type MonitorFilters } from '../../../lib/monitorFilters';

const keys = {
  all: ['console-processes'] as const,
  options: ['console-processes', 'filter-options'] as const,
  search: (query: string, page: number) => ['console-processes', 'search', query, page] as const,
  one: (processId: string) => ['console-processes', 'one', processId] as const,
};

export function useFilterOptions() {
  return useQuery({
    queryKey: keys.options,
    queryFn: () => api.get<MonitorFilterOptions>('/admin/processes/filter-options'),
    staleTime: 60_000,
  });
}

// One set of page tokens per query, for as long as the page is open.
const tokenSets = new Map<string, PageTokens>();
function tokensFor(key: string): PageTokens {
  let tokens = tokenSets.get(key);
  if (!tokens) {
    if (tokenSets.size > 50) tokenSets.clear();
    tokens = new PageTokens();
    tokenSets.set(key, tokens);
  }
  return tokens;
}

export interface SearchPage extends Page<MonitoredProcess> {
  page: number;
  lastPage: number | undefined;
}

/** One page of the search; page n needs page n−1's token, so a deep link walks there. */
export function useProcessSearch(filters: MonitorFilters) {
  const query = filtersToApiQuery(filters).toString();
  const tokens = tokensFor(query);
  return useQuery({
    queryKey: keys.search(query, filters.page),
    placeholderData: keepPreviousData,
    queryFn: async ({ signal }): Promise<SearchPage> => {
      let page = tokens.tokenFor(filters.page) === null ? tokens.highestReachable() : filters.page;
      for (;;) {
        const token = tokens.tokenFor(page);
        const params = new URLSearchParams(query);
        params.set('page_size', '20');
        if (token) params.set('page_token', token);
        const body = await api.get<Page<MonitoredProcess>>(`/admin/processes?${params.toString()}`, {
          signal,
        });
        tokens.record(page, body.page_token);
        if (page >= filters.page || !body.page_token) return { ...body, page, lastPage: tokens.lastPage() };
        page++;
      }
    },
  });
}

/** The CSV export of the same search, in the shown language (a plain link: the browser downloads it). */
export function exportUrl(filters: MonitorFilters, language: string): string {
  const params = filtersToApiQuery(filters);
  params.set('lang', language.startsWith('zh') ? 'zh-CN' : 'en');
  return `${API_BASE}/admin/processes.csv?${params.toString()}`;
}

export function useAdminProcess(processId: string) {
  return useQuery({
    queryKey: keys.one(processId),
    queryFn: () => api.get<AdminProcessDetail>(`/admin/processes/${encodeURIComponent(processId)}`),
  });
}

export type AdminAction =
  | ({ kind: 'reassign' } & ReassignRequest)
  | ({ kind: 'return' } & AdminReturnRequest)
  | ({ kind: 'withdraw' } & OnBehalfRequest)
  | ({ kind: 'revoke' } & OnBehalfRequest);

/** Sends one admin action; the answer is the process as it now is. */
export function useAdminAction(processId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ kind, ...body }: AdminAction) =>
      api.post<AdminProcessDetail>(`/admin/processes/${encodeURIComponent(processId)}/${kind}`, body),
    onSuccess: (detail) => {
      client.setQueryData(keys.one(processId), detail);
      void client.invalidateQueries({ queryKey: [...keys.all, 'search'] });
      void client.invalidateQueries({ queryKey: ['inbox'] });
    },
    // Refused (someone acted first, the process moved on): the page behind the dialog shows it as it is now.
    onError: () => {
      void client.invalidateQueries({ queryKey: keys.one(processId) });
    },
  });
}
