import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  AddSignRequest,
  ApproveRequest,
  CommentRequest,
  ProcessDetail,
  ReasonRequest,
  RejectRequest,
  ReturnRequest,
  TransferRequest,
} from '@contract';
import { api, isApiError } from '../../api/client';
import { queryKeys } from '../../api/keys';

/** The detail; the live stream invalidates ['process', id] on every change (api/live.ts). */
export function useProcess(processId: string | undefined) {
  return useQuery({
    queryKey: queryKeys.process(processId ?? ''),
    queryFn: ({ signal }) =>
      api.get<ProcessDetail>(`/processes/${encodeURIComponent(processId ?? '')}`, { signal }),
    enabled: Boolean(processId),
  });
}

/** Every action a person takes on a process, with the body its route expects (contract.ts). */
export type ProcessAction =
  | { kind: 'approve'; taskId: string; body: ApproveRequest }
  | { kind: 'reject'; taskId: string; body: RejectRequest }
  | { kind: 'transfer'; taskId: string; body: TransferRequest }
  | { kind: 'add-sign'; taskId: string; body: AddSignRequest }
  | { kind: 'return'; taskId: string; body: ReturnRequest }
  | { kind: 'withdraw'; body: ReasonRequest }
  | { kind: 'revoke'; body: ReasonRequest }
  | { kind: 'comments'; body: CommentRequest };

export function actionPath(processId: string, action: ProcessAction): string {
  const base = `/processes/${encodeURIComponent(processId)}`;
  return 'taskId' in action
    ? `${base}/tasks/${encodeURIComponent(action.taskId)}/${action.kind}`
    : `${base}/${action.kind}`;
}

/** 409: someone else acted first (another approver of an or-sign node, a withdraw meanwhile …). */
export function isConflict(error: unknown): boolean {
  return (
    isApiError(error, 'task_status_conflict') ||
    isApiError(error, 'process_status_conflict') ||
    (isApiError(error) && error.status === 409)
  );
}

export function useProcessAction(processId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (action: ProcessAction) =>
      api.post<ProcessDetail>(actionPath(processId, action), action.body),
    onSuccess: async (detail) => {
      // Actions answer with the new detail; anything less (an older server) means: fetch it.
      if (Array.isArray((detail as Partial<ProcessDetail>).my_tasks)) {
        // A refetch still on its way (a live update, a focus) started before the action: its older
        // answer must not land after this one and bring the decided task back.
        await client.cancelQueries({ queryKey: queryKeys.process(processId) });
        client.setQueryData(queryKeys.process(processId), detail);
      } else void client.invalidateQueries({ queryKey: queryKeys.process(processId) });
      void client.invalidateQueries({ queryKey: queryKeys.inbox });
      void client.invalidateQueries({ queryKey: queryKeys.inboxCounts });
    },
    onError: (error) => {
      // The page must show what is true now, whoever won.
      if (isConflict(error) || isApiError(error, 'task_not_found'))
        void client.invalidateQueries({ queryKey: queryKeys.process(processId) });
    },
  });
}
