import { useCallback } from 'react';
import { useParams } from 'react-router-dom';

/** `/t/<tenant_key>` when the page was opened under a tenant prefix, else ''. Links keep it. */
export function useTenantPrefix(): string {
  const { tenantKey } = useParams();
  return tenantKey ? `/t/${encodeURIComponent(tenantKey)}` : '';
}

/** The tenant named in the URL, if any. */
export function useTenantKey(): string | undefined {
  return useParams().tenantKey;
}

/** App paths with the tenant prefix kept: `appPath('/profile')` → `/t/acme/profile` under /t/acme. */
export function useAppPath(): (path: string) => string {
  const prefix = useTenantPrefix();
  return useCallback((path: string) => `${prefix}${path}`, [prefix]);
}
