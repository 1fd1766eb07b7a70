import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../api/client';
import { CONSOLE_API, type SystemJob, type SystemJobWithProcess } from '../../../api/timers';

const jobKeys = {
  all: ['console-jobs'] as const,
  ofProcess: (processId: string) => ['console-jobs', 'process', processId] as const,
  failed: (pageToken: string) => ['console-jobs', 'failed', pageToken] as const,
};

const processPath = (processId: string) => `${CONSOLE_API}/processes/${encodeURIComponent(processId)}`;

/** A process's system jobs: its timers, the approval's business action, its compensation. */
export function useProcessJobs(processId: string) {
  return useQuery({
    queryKey: jobKeys.ofProcess(processId),
    queryFn: ({ signal }) => api.get<{ items: SystemJob[] }>(`${processPath(processId)}/jobs`, { signal }),
    retry: false,
  });
}

/** One page of the tenant's failed jobs, newest problems to fix first (as the server orders them). */
export function useFailedJobs(pageToken: string) {
  return useQuery({
    queryKey: jobKeys.failed(pageToken),
    queryFn: ({ signal }) =>
      api.get<{ items: SystemJobWithProcess[]; page_token?: string }>(`${CONSOLE_API}/jobs`, {
        signal,
        query: { status: 'failed', page_size: 20, page_token: pageToken || undefined },
      }),
    placeholderData: keepPreviousData,
    retry: false,
  });
}

/** Runs a failed job again; the answer is the job, due now. */
export function useRetryJob() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ processId, jobId }: { processId: string; jobId: string }) =>
      api.post<SystemJob>(`${processPath(processId)}/jobs/${encodeURIComponent(jobId)}/retry`, {}),
    onSettled: () => {
      void client.invalidateQueries({ queryKey: jobKeys.all });
    },
  });
}
