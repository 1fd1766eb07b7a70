import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  ConsoleLeaveBalances,
  ConsoleLeaveLedger,
  LeaveEntriesWritten,
  LeaveEntryRequest,
  LeaveOverBalance,
  LeaveTypeView,
  Page,
} from '@contract';
import { api } from '../../../api/client';

const BASE = '/admin/leave';

export const leaveKeys = {
  all: ['console-leave'] as const,
  types: ['console-leave', 'types'] as const,
  balances: (query: string, pageToken: string | undefined) =>
    ['console-leave', 'balances', query, pageToken ?? ''] as const,
  ledger: (userId: string) => ['console-leave', 'ledger', userId] as const,
};

/** After any leave write: the console's lists and the person's own balances (the request form). */
function useInvalidateLeave() {
  const client = useQueryClient();
  return () =>
    Promise.all([
      client.invalidateQueries({ queryKey: leaveKeys.all }),
      client.invalidateQueries({ queryKey: ['leave-balances'] }),
    ]);
}

export function useLeaveTypes() {
  return useQuery({
    queryKey: leaveKeys.types,
    queryFn: ({ signal }) => api.get<{ items: LeaveTypeView[] }>(`${BASE}/types`, { signal }),
  });
}

export interface LeaveTypeForm {
  key: string;
  name: { zh_cn: string; en_us: string };
  over_balance: LeaveOverBalance;
  active: boolean;
}

export function useSaveLeaveType() {
  const invalidate = useInvalidateLeave();
  return useMutation({
    mutationFn: ({ form, existing }: { form: LeaveTypeForm; existing: boolean }) =>
      existing
        ? api.patch<LeaveTypeView>(`${BASE}/types/${encodeURIComponent(form.key)}`, {
            name: form.name,
            over_balance: form.over_balance,
            active: form.active,
          })
        : api.post<LeaveTypeView>(`${BASE}/types`, form),
    onSuccess: () => invalidate(),
  });
}

export function useDeleteLeaveType() {
  const invalidate = useInvalidateLeave();
  return useMutation({
    mutationFn: (key: string) => api.delete<undefined>(`${BASE}/types/${encodeURIComponent(key)}`),
    onSuccess: () => invalidate(),
  });
}

export function useLeaveBalances(query: string, pageToken: string | undefined, pageSize = 20) {
  return useQuery({
    queryKey: leaveKeys.balances(query, pageToken),
    queryFn: ({ signal }) =>
      api.get<Page<ConsoleLeaveBalances>>(`${BASE}/balances`, {
        query: { query, page_size: pageSize, page_token: pageToken },
        signal,
      }),
    placeholderData: keepPreviousData,
  });
}

export function useRecordLeave() {
  const invalidate = useInvalidateLeave();
  return useMutation({
    mutationFn: (body: LeaveEntryRequest) => api.post<LeaveEntriesWritten>(`${BASE}/entries`, body),
    onSuccess: () => invalidate(),
  });
}

/** The latest entries of one person (the first page, 50). */
export function useLeaveLedger(userId: string | undefined) {
  return useQuery({
    queryKey: leaveKeys.ledger(userId ?? ''),
    enabled: userId !== undefined,
    queryFn: ({ signal }) =>
      api.get<ConsoleLeaveLedger>(`${BASE}/ledger/${encodeURIComponent(userId ?? '')}`, {
        query: { page_size: 50 },
        signal,
      }),
  });
}
