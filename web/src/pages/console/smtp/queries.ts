import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ConsoleSmtpTest, ConsoleSmtpUpdate, ConsoleSmtpView } from '@contract';
import { api } from '../../../api/client';
import { queryKeys } from '../../../api/keys';
import { CONSOLE_API } from '../../../api/timers';

const smtpKey = ['console-smtp'] as const;
const SMTP_PATH = `${CONSOLE_API}/smtp`;

/** The tenant's SMTP settings (tenant admins only); `smtp: null` while none are saved. */
export function useSmtpSettings() {
  return useQuery({
    queryKey: smtpKey,
    queryFn: ({ signal }) => api.get<ConsoleSmtpView>(SMTP_PATH, { signal }),
    retry: false,
  });
}

/** Saving or removing changes whether people can choose email (their preferences say so). */
function useSettled() {
  const client = useQueryClient();
  return (view: ConsoleSmtpView) => {
    client.setQueryData(smtpKey, view);
    void client.invalidateQueries({ queryKey: queryKeys.notificationPreferences });
  };
}

export function useSaveSmtp() {
  const settled = useSettled();
  return useMutation({
    mutationFn: (update: ConsoleSmtpUpdate) => api.put<ConsoleSmtpView>(SMTP_PATH, update),
    onSuccess: settled,
  });
}

export function useRemoveSmtp() {
  const settled = useSettled();
  return useMutation({
    mutationFn: () => api.delete<ConsoleSmtpView>(SMTP_PATH),
    onSuccess: settled,
  });
}

/** Sends a test email through the saved settings; fails with the SMTP server's answer. */
export function useSendTestMail() {
  return useMutation({
    mutationFn: (test: ConsoleSmtpTest) => api.post<{ sent: true }>(`${SMTP_PATH}/test`, test),
  });
}
