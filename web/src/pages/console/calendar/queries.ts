import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../api/client';
import { CONSOLE_API, type CalendarView, type WorkCalendar } from '../../../api/timers';

const calendarKey = ['console-calendar'] as const;

/**
 * The tenant's working calendar (tenant admins only). The flow designer reads it too, for how long a
 * working day is; for a process admin it assumes the default day.
 */
export function useWorkCalendar(enabled = true) {
  return useQuery({
    enabled,
    queryKey: calendarKey,
    queryFn: ({ signal }) => api.get<CalendarView>(`${CONSOLE_API}/calendar`, { signal }),
    staleTime: 5 * 60_000,
    retry: false,
  });
}

export function useSaveWorkCalendar() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (calendar: WorkCalendar) => api.put<CalendarView>(`${CONSOLE_API}/calendar`, calendar),
    onSuccess: (view) => {
      client.setQueryData(calendarKey, view);
    },
  });
}
