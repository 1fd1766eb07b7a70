import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type {
  CanvasPreviewRequest,
  ExpressionCheckResult,
  FlowFormField,
  PathPreview,
  RoleOptions,
} from '@contract';
import { api } from '../../../api/client';

/** A branch condition checked against the unsaved form (the caller debounces it). */
export function useConditionCheck(form: FlowFormField[], expression: string) {
  return useQuery({
    queryKey: ['console-expression-check', form, expression],
    queryFn: ({ signal }) =>
      api.post<ExpressionCheckResult>(
        '/admin/expressions/check',
        { form, expression, kind: 'condition' },
        { signal },
      ),
    enabled: expression.trim() !== '',
    placeholderData: keepPreviousData,
    staleTime: 60_000,
    retry: false,
  });
}

/** The path the unsaved document would take for an initiator and form values; nothing is stored. */
export function useCanvasPreview(flowId: string, body: CanvasPreviewRequest | null) {
  return useQuery({
    queryKey: ['console-canvas-preview', flowId, body],
    queryFn: ({ signal }) =>
      api.post<PathPreview>(`/admin/flows/${encodeURIComponent(flowId)}/preview`, body, { signal }),
    enabled: body !== null,
    placeholderData: keepPreviousData,
    staleTime: 10_000,
    retry: false,
  });
}

/** The tenant's roles (key and name) for the role approver rule; open to process admins too. */
export function useRoleOptions() {
  return useQuery({
    queryKey: ['console-role-options'],
    queryFn: ({ signal }) => api.get<RoleOptions>('/admin/role-options', { signal }),
    staleTime: 60_000,
  });
}
