import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  BatchApprove,
  BatchResult,
  InboxCounts,
  InboxItem,
  InboxTab,
  Page,
  ProcessDetail,
} from '@contract';
import { filtersToApiQuery, PageTokens, type InboxFilters } from '../lib/inboxFilters';
import { api } from './client';
import { queryKeys } from './keys';

export function useInboxCounts() {
  return useQuery({
    queryKey: queryKeys.inboxCounts,
    queryFn: () => api.get<InboxCounts>('/inbox/counts'),
  });
}

// One set of page tokens per tab + filters, for as long as the page is open.
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

export interface InboxPage extends Page<InboxItem> {
  /** The page actually shown (a deep link past the end shows the last page). */
  page: number;
}

/** One page of a tab. Page n needs page n−1's token: a deep link walks there page by page. */
export function useInboxPage(tab: InboxTab, filters: InboxFilters) {
  const params = filtersToApiQuery(filters, tab);
  const tokens = tokensFor(JSON.stringify([tab, params]));
  return useQuery({
    queryKey: [...queryKeys.inboxTab(tab, params), filters.page],
    placeholderData: keepPreviousData,
    queryFn: async ({ signal }): Promise<InboxPage> => {
      let page = tokens.tokenFor(filters.page) === null ? tokens.highestReachable() : filters.page;
      for (;;) {
        const token = tokens.tokenFor(page);
        const body = await api.get<Page<InboxItem>>(`/inbox/${tab}`, {
          query: { ...params, ...(token ? { page_token: token } : {}) },
          signal,
        });
        tokens.record(page, body.page_token);
        if (page >= filters.page || !body.page_token) return { ...body, page };
        page++;
      }
    },
  });
}

function useInvalidateInbox() {
  const client = useQueryClient();
  return () => {
    void client.invalidateQueries({ queryKey: queryKeys.inbox });
    void client.invalidateQueries({ queryKey: queryKeys.inboxCounts });
  };
}

export function useBatchApprove() {
  const invalidate = useInvalidateInbox();
  return useMutation({
    mutationFn: (body: BatchApprove) => api.post<BatchResult>('/inbox/batch-approve', body),
    onSettled: invalidate,
  });
}

/** Approve or reject one to-do straight from the list (the detail page has its own actions). */
export function useTaskDecision() {
  const invalidate = useInvalidateInbox();
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { item: InboxItem; decision: 'approve' | 'reject'; opinion?: string }) =>
      api.post<ProcessDetail>(
        `/processes/${encodeURIComponent(input.item.process_id)}/tasks/${encodeURIComponent(input.item.task_id ?? '')}/${input.decision}`,
        input.decision === 'reject'
          ? { opinion: input.opinion ?? '' }
          : input.opinion
            ? { opinion: input.opinion }
            : {},
      ),
    onSuccess: (detail) => client.setQueryData(queryKeys.process(detail.process_id), detail),
    onSettled: invalidate,
  });
}
