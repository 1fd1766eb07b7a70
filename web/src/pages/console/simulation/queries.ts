import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import type {
  ApiError as ApiErrorBody,
  CsrfToken,
  PublishImpact,
  PublishImpactRequest,
  SimulationRequest,
  SimulationResult,
} from '@contract';
import { api, ApiError, apiUrl, networkError } from '../../../api/client';

const flowPath = (flowId: string, what: 'simulation' | 'impact') =>
  `/admin/flows/${encodeURIComponent(flowId)}/${what}`;

/**
 * One page of the organisation simulation of `request` (null until the admin presses Run). The
 * request is a snapshot taken at Run: editing the draft afterwards does not re-run it.
 */
export function useSimulation(flowId: string, request: SimulationRequest | null) {
  return useQuery({
    queryKey: ['console-simulation', flowId, request],
    queryFn: ({ signal }) => api.post<SimulationResult>(flowPath(flowId, 'simulation'), request, { signal }),
    enabled: request !== null,
    placeholderData: keepPreviousData,
    staleTime: Infinity,
    retry: false,
  });
}

/**
 * The whole simulation as CSV (the server writes it: UTF-8 with a BOM, formula-safe), saved as a file.
 * The shared client reads JSON only, so this sends the request itself with a fresh CSRF token.
 */
export async function downloadSimulationCsv(
  flowId: string,
  request: SimulationRequest,
  language: string,
): Promise<void> {
  const { csrf_token } = await api.get<CsrfToken>('/auth/csrf');
  const { page_size: _size, page_token: _token, ...body } = request;
  let response: Response;
  try {
    response = await fetch(
      apiUrl(flowPath(flowId, 'simulation'), { format: 'csv', lang: language === 'zh-CN' ? 'zh-CN' : 'en' }),
      {
        method: 'POST',
        body: JSON.stringify(body),
        headers: { Accept: 'text/csv', 'Content-Type': 'application/json', 'X-CSRF-Token': csrf_token },
        credentials: 'same-origin',
      },
    );
  } catch (error) {
    throw networkError(0, (error as Error).message);
  }
  if (!response.ok) {
    let error: ApiErrorBody | undefined;
    try {
      error = ((await response.json()) as { error?: ApiErrorBody }).error;
    } catch {
      error = undefined;
    }
    throw new ApiError(response.status, error ?? { code: 'unknown', message: `HTTP ${response.status}` });
  }
  const blob = await response.blob();
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = `simulation-${flowId}.csv`;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => {
    URL.revokeObjectURL(url);
  }, 10_000);
}

/** The last processes replayed through the document (publish impact). */
export function usePublishImpact(flowId: string) {
  return useMutation({
    mutationFn: (request: PublishImpactRequest) =>
      api.post<PublishImpact>(flowPath(flowId, 'impact'), request),
  });
}
