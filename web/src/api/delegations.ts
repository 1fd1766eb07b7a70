import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  DelegationCancelled,
  DelegationCreate,
  DelegationCreated,
  DelegationView,
  Page,
} from '@contract';
import { api } from './client';
import { queryKeys } from './keys';

/** My out-of-office delegations, newest first, one page at a time (GET /api/v1/me/delegations). */
export function useMyDelegations(pageToken: string | undefined) {
  return useQuery({
    queryKey: queryKeys.delegations(pageToken),
    queryFn: () =>
      api.get<Page<DelegationView>>('/me/delegations', { query: { page_size: '10', page_token: pageToken } }),
  });
}

export function useCreateDelegation() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: DelegationCreate) => api.post<DelegationCreated>('/me/delegations', body),
    // Handing tasks over changes the inbox too.
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: queryKeys.delegationsAll });
      void client.invalidateQueries({ queryKey: queryKeys.inbox });
      void client.invalidateQueries({ queryKey: queryKeys.inboxCounts });
    },
  });
}

export function useCancelDelegation() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (delegationId: string) =>
      api.post<DelegationCancelled>(`/me/delegations/${delegationId}/cancel`),
    // Cancelling gives the tasks held for me back: the inbox changes too.
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: queryKeys.delegationsAll });
      void client.invalidateQueries({ queryKey: queryKeys.inbox });
      void client.invalidateQueries({ queryKey: queryKeys.inboxCounts });
    },
  });
}
