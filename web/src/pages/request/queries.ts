import { useEffect, useState } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { FlowForm, FlowSummary, Page, PathPreview, PreviewRequest } from '@contract';
import { api } from '../../api/client';
import { queryKeys } from '../../api/keys';

/** Enabled flows the person may start (all pages: a tenant has tens of flows, bounded at 10 pages). */
export function useFlows() {
  return useQuery({
    queryKey: queryKeys.flows,
    queryFn: async ({ signal }) => {
      const all: FlowSummary[] = [];
      let pageToken: string | undefined;
      for (let i = 0; i < 10; i += 1) {
        const page = await api.get<Page<FlowSummary>>('/flows', {
          query: { page_token: pageToken, page_size: 100 },
          signal,
        });
        all.push(...page.items);
        pageToken = page.page_token;
        if (!pageToken) break;
      }
      return all;
    },
    staleTime: 60_000,
  });
}

export function useFlow(flowId: string | undefined) {
  return useQuery({
    queryKey: ['flow', flowId],
    queryFn: ({ signal }) => api.get<FlowForm>(`/flows/${encodeURIComponent(flowId ?? '')}`, { signal }),
    enabled: Boolean(flowId),
    staleTime: 60_000,
  });
}

/** The live path preview for the values as typed (the caller debounces them). Nothing is stored. */
export function usePreview(flowId: string | undefined, body: PreviewRequest | null) {
  return useQuery({
    queryKey: ['flow-preview', flowId, body],
    queryFn: ({ signal }) =>
      api.post<PathPreview>(`/flows/${encodeURIComponent(flowId ?? '')}/preview`, body, { signal }),
    enabled: Boolean(flowId) && body !== null,
    placeholderData: keepPreviousData,
    staleTime: 30_000,
    retry: false,
  });
}

/** The value once it has stopped changing for `ms` (compared as JSON, so new-but-equal objects do not restart the wait). */
export function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  const key = JSON.stringify(value);
  useEffect(() => {
    const timer = setTimeout(() => {
      setSettled(value);
    }, ms);
    return () => {
      clearTimeout(timer);
    };
    // Compared by `key`: a new object with the same content does not restart the wait.
  }, [key, ms]);
  return settled;
}
