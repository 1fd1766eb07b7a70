import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ProcessDetail } from '@contract';
import { api, isApiError } from '../../api/client';
import { queryKeys } from '../../api/keys';
import type { ActionPreview } from '../../api/timers';

/**
 * What approving will change in the directory. Under the process's key, so the live stream's
 * invalidation of ['process', id] refreshes it too. 403/404: nothing to show this person.
 */
export function useActionPreview(processId: string, enabled: boolean) {
  return useQuery({
    queryKey: [...queryKeys.process(processId), 'action-preview'] as const,
    queryFn: ({ signal }) =>
      api.get<ActionPreview>(`/processes/${encodeURIComponent(processId)}/action_preview`, { signal }),
    enabled,
    retry: (count, error) => !(isApiError(error) && error.status < 500) && count < 2,
  });
}

/** 催办: nudges whoever has the request now; the server allows it once an hour (409 with its words). */
export function useUrge(processId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<ProcessDetail>(`/processes/${encodeURIComponent(processId)}/urge`, {}),
    onSuccess: (detail) => {
      if (Array.isArray((detail as Partial<ProcessDetail> | undefined)?.my_tasks))
        client.setQueryData(queryKeys.process(processId), detail);
      else void client.invalidateQueries({ queryKey: queryKeys.process(processId) });
    },
  });
}
