import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  ConsoleApp,
  ConsoleAppInput,
  ConsoleAppPatch,
  ConsoleDelivery,
  ConsoleDeliveryMetrics,
  ConsoleMetricsWindow,
  ConsoleUrlCheckRequest,
  ConsoleUrlVerification,
  Page,
} from '@contract';
import { api } from '../../../api/client';

const appPath = (appId: string) => `/admin/apps/${encodeURIComponent(appId)}`;
const deliveryPath = (deliveryId: string) => `/admin/deliveries/${encodeURIComponent(deliveryId)}`;

export const consoleAppKeys = {
  apps: ['console-apps'] as const,
  app: (appId: string) => ['console-apps', appId] as const,
  metrics: (appId: string, window: ConsoleMetricsWindow) => ['console-app-metrics', appId, window] as const,
  deliveries: ['console-deliveries'] as const,
  deliveryPage: (filters: DeliveryFilters, token: string | undefined) =>
    ['console-deliveries', filters, token ?? ''] as const,
  delivery: (deliveryId: string) => ['console-delivery', deliveryId] as const,
};

/** The tenant's apps, every page (a tenant has a handful; bounded at 10 pages of 100). */
export function useApps() {
  return useQuery({
    queryKey: consoleAppKeys.apps,
    queryFn: async ({ signal }) => {
      const all: ConsoleApp[] = [];
      let pageToken: string | undefined;
      for (let i = 0; i < 10; i += 1) {
        const page = await api.get<Page<ConsoleApp>>('/admin/apps', {
          query: { page_size: 100, page_token: pageToken },
          signal,
        });
        all.push(...page.items);
        pageToken = page.page_token;
        if (!pageToken) break;
      }
      return all;
    },
  });
}

export function useApp(appId: string | undefined) {
  return useQuery({
    queryKey: consoleAppKeys.app(appId ?? ''),
    queryFn: ({ signal }) => api.get<ConsoleApp>(appPath(appId ?? ''), { signal }),
    enabled: Boolean(appId),
    retry: false,
  });
}

export function useAppMetrics(appId: string, window: ConsoleMetricsWindow) {
  return useQuery({
    queryKey: consoleAppKeys.metrics(appId, window),
    queryFn: ({ signal }) =>
      api.get<ConsoleDeliveryMetrics>(`${appPath(appId)}/metrics`, { query: { window }, signal }),
    placeholderData: keepPreviousData,
    refetchInterval: 30_000,
  });
}

/** After any change to an app: its page and the list show the saved state. */
function useAppSaved() {
  const client = useQueryClient();
  return (app: ConsoleApp) => {
    // The secret is answered once: it must not linger in the cache of the app's page.
    const { app_secret: _secret, verification: _verification, ...saved } = app;
    client.setQueryData(consoleAppKeys.app(app.app_id), saved);
    void client.invalidateQueries({ queryKey: consoleAppKeys.apps, exact: true });
  };
}

export function useCreateApp() {
  const saved = useAppSaved();
  return useMutation({
    mutationFn: (input: ConsoleAppInput) => api.post<ConsoleApp>('/admin/apps', input),
    onSuccess: saved,
  });
}

export function useUpdateApp(appId: string) {
  const saved = useAppSaved();
  return useMutation({
    mutationFn: (patch: ConsoleAppPatch) => api.patch<ConsoleApp>(appPath(appId), patch),
    onSuccess: saved,
  });
}

export function useRotateSecret(appId: string) {
  const saved = useAppSaved();
  return useMutation({
    mutationFn: () => api.post<ConsoleApp>(`${appPath(appId)}/secret`),
    onSuccess: saved,
  });
}

export function useDeleteApp(appId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => api.delete<unknown>(appPath(appId)),
    onSuccess: () => {
      client.removeQueries({ queryKey: consoleAppKeys.app(appId) });
      void client.invalidateQueries({ queryKey: consoleAppKeys.apps, exact: true });
    },
  });
}

/** The url_verification handshake without saving: against the saved URL, or the one typed. */
export function useCheckUrl(appId: string) {
  return useMutation({
    mutationFn: (trial: ConsoleUrlCheckRequest) =>
      api.post<ConsoleUrlVerification>(`${appPath(appId)}/event/check`, trial),
  });
}

/** The delivery log's filters, as in the URL (`status: parked` is the parked tab). */
export interface DeliveryFilters {
  status?: string | undefined;
  event_type?: string | undefined;
  app_id?: string | undefined;
  process_id?: string | undefined;
  created_from?: string | undefined;
  created_to?: string | undefined;
}

export const DELIVERY_PAGE_SIZE = 20;

export function useDeliveries(filters: DeliveryFilters, pageToken: string | undefined) {
  return useQuery({
    queryKey: consoleAppKeys.deliveryPage(filters, pageToken),
    queryFn: ({ signal }) =>
      api.get<Page<ConsoleDelivery>>('/admin/deliveries', {
        query: { ...filters, page_size: DELIVERY_PAGE_SIZE, page_token: pageToken },
        signal,
      }),
    placeholderData: keepPreviousData,
    // Deliveries move on their own (retries, the dispatcher): the log follows.
    refetchInterval: 5_000,
    retry: false,
  });
}

/** One delivery with its event body: fetched when its row is opened. */
export function useDelivery(deliveryId: string) {
  return useQuery({
    queryKey: consoleAppKeys.delivery(deliveryId),
    queryFn: ({ signal }) => api.get<ConsoleDelivery>(deliveryPath(deliveryId), { signal }),
    staleTime: 60_000,
  });
}

export function useDeliveryAction() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ deliveryId, action }: { deliveryId: string; action: 'retry' | 'resend' }) =>
      api.post<ConsoleDelivery>(`${deliveryPath(deliveryId)}/${action}`),
    onSettled: () => {
      void client.invalidateQueries({ queryKey: consoleAppKeys.deliveries });
    },
  });
}
