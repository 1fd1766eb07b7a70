import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  ConsoleFlowCreated,
  ConsoleFlowCreateRequest,
  ConsoleFlowDetail,
  ConsoleFlowSummary,
  FlowDocument,
  FlowDraftSaved,
  FlowTemplate,
  FlowValidation,
  FlowVersionSummary,
  Page,
} from '@contract';
import { api, apiUrl } from '../../../api/client';

const flowPath = (flowId: string) => `/admin/flows/${encodeURIComponent(flowId)}`;

export const consoleFlowKeys = {
  all: ['console-flows'] as const,
  list: (query: string, pageToken: string | undefined) =>
    ['console-flows', 'list', query, pageToken ?? ''] as const,
  detail: (flowId: string) => ['console-flows', 'detail', flowId] as const,
  versions: (flowId: string) => ['console-flows', 'versions', flowId] as const,
  version: (flowId: string, version: number) => ['console-flows', 'version', flowId, version] as const,
  templates: ['console-flow-templates'] as const,
};

/** One page of the flows the person administers. */
export function useConsoleFlows(query: string, pageToken: string | undefined) {
  return useQuery({
    queryKey: consoleFlowKeys.list(query, pageToken),
    queryFn: ({ signal }) =>
      api.get<Page<ConsoleFlowSummary>>('/admin/flows', {
        query: { query, page_token: pageToken, page_size: 20 },
        signal,
      }),
    placeholderData: keepPreviousData,
  });
}

/** Flows to clone from, found by name (the first 100 matches). */
export function useFlowChoices(query: string, enabled: boolean) {
  return useQuery({
    queryKey: [...consoleFlowKeys.all, 'choices', query],
    queryFn: ({ signal }) =>
      api.get<Page<ConsoleFlowSummary>>('/admin/flows', { query: { query, page_size: 100 }, signal }),
    enabled,
    placeholderData: keepPreviousData,
  });
}

export function useFlowTemplates(enabled: boolean) {
  return useQuery({
    queryKey: consoleFlowKeys.templates,
    queryFn: ({ signal }) => api.get<{ items: FlowTemplate[] }>('/admin/flow-templates', { signal }),
    enabled,
    staleTime: Infinity,
  });
}

/** The flow with its draft; the editor takes it once and then keeps its own copy (no background refetch). */
export function useFlowDetail(flowId: string) {
  return useQuery({
    queryKey: consoleFlowKeys.detail(flowId),
    queryFn: ({ signal }) => api.get<ConsoleFlowDetail>(flowPath(flowId), { signal }),
    staleTime: Infinity,
    refetchOnWindowFocus: false,
    retry: false,
  });
}

export function useFlowVersions(flowId: string) {
  return useQuery({
    queryKey: consoleFlowKeys.versions(flowId),
    queryFn: ({ signal }) =>
      api.get<Page<FlowVersionSummary>>(`${flowPath(flowId)}/versions`, {
        query: { page_size: 100 },
        signal,
      }),
  });
}

export function useFlowVersion(flowId: string, version: number | undefined) {
  return useQuery({
    queryKey: consoleFlowKeys.version(flowId, version ?? 0),
    queryFn: ({ signal }) =>
      api.get<FlowDocument>(`${flowPath(flowId)}/versions/${version ?? 0}`, { signal }),
    enabled: version !== undefined,
    staleTime: Infinity,
  });
}

export function useCreateFlow() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: ConsoleFlowCreateRequest) => api.post<ConsoleFlowCreated>('/admin/flows', body),
    onSuccess: () => client.invalidateQueries({ queryKey: consoleFlowKeys.all }),
  });
}

export function useImportFlow() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (document: unknown) => api.post<ConsoleFlowCreated>('/admin/flows/import', { document }),
    onSuccess: () => client.invalidateQueries({ queryKey: consoleFlowKeys.all }),
  });
}

export function useSetFlowEnabled() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ flowId, enabled }: { flowId: string; enabled: boolean }) =>
      api.post<ConsoleFlowDetail>(`${flowPath(flowId)}/${enabled ? 'enable' : 'disable'}`),
    onSuccess: () => client.invalidateQueries({ queryKey: consoleFlowKeys.all }),
  });
}

export function useDeleteFlow() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (flowId: string) => api.delete<undefined>(flowPath(flowId)),
    onSuccess: () => client.invalidateQueries({ queryKey: consoleFlowKeys.all }),
  });
}

/** The calls the draft editor makes (not cached: each answers for the document it was given). */
export const draftApi = {
  detail: (flowId: string) => api.get<ConsoleFlowDetail>(flowPath(flowId)),
  save: (flowId: string, document: FlowDocument, revision: number) =>
    api.put<FlowDraftSaved>(`${flowPath(flowId)}/draft`, { document, revision }),
  validate: (flowId: string, document: FlowDocument) =>
    api.post<FlowValidation>(`${flowPath(flowId)}/validate`, { document }),
  publish: (flowId: string, revision: number) =>
    api.post<ConsoleFlowDetail>(`${flowPath(flowId)}/publish`, { revision }),
  setEnabled: (flowId: string, enabled: boolean) =>
    api.post<ConsoleFlowDetail>(`${flowPath(flowId)}/${enabled ? 'enable' : 'disable'}`),
};

/** Where the browser downloads a flow's document (a version, else the latest, else the draft). */
export const exportUrl = (flowId: string, version?: number) =>
  apiUrl(`${flowPath(flowId)}/export`, { version });

/** Offers a document as a JSON file download (the conflict banner's "download my version"). */
export function downloadJson(document: unknown, fileName: string): void {
  const blob = new Blob([JSON.stringify(document, null, 2)], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const link = window.document.createElement('a');
  link.href = url;
  link.download = fileName;
  window.document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => {
    URL.revokeObjectURL(url);
  }, 1000);
}
