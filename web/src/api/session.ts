import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  DemoSignIn,
  InviteAccept,
  InviteInfo,
  Me,
  MeUpdate,
  PasswordChange,
  PasswordSignIn,
  SignInOptions,
} from '@contract';
import { api, forgetCsrfToken, isApiError } from './client';
import { queryKeys } from './keys';
import { clearSessionExpired } from '../app/sessionExpiry';

/** The server's readable marker of its httpOnly session cookie (`pf_signed_in`). */
export function hasSessionMarker(cookies: string = document.cookie): boolean {
  return cookies.split(';').some((cookie) => cookie.trim().startsWith('pf_signed_in='));
}

/** The signed-in person; `null` when nobody is (401), so the guard can send them to sign in. */
export function useMeQuery() {
  return useQuery({
    queryKey: queryKeys.me,
    queryFn: async (): Promise<Me | null> => {
      // No session cookie (the server marks one with a readable cookie): nobody is signed in, and asking
      // would only earn a 401, which the browser reports in its console.
      if (!hasSessionMarker()) return null;
      try {
        return await api.get<Me>('/me');
      } catch (error) {
        if (isApiError(error, 'unauthenticated')) return null;
        throw error;
      }
    },
    staleTime: 5 * 60_000,
    retry: (count, error) => !isApiError(error) && count < 2,
  });
}

export function useSignInOptions(tenant: string | undefined) {
  return useQuery({
    queryKey: queryKeys.signInOptions(tenant),
    queryFn: () => api.get<SignInOptions>('/auth/options', { query: { tenant } }),
    retry: false,
  });
}

/** After any sign-in: the new person replaces whatever was cached for the previous one. */
function useSignedIn() {
  const client = useQueryClient();
  return (me: Me) => {
    clearSessionExpired();
    client.removeQueries({ predicate: (query) => query.queryKey[0] !== 'me' });
    client.setQueryData(queryKeys.me, me);
  };
}

export function usePasswordSignIn() {
  const signedIn = useSignedIn();
  return useMutation({
    mutationFn: (body: PasswordSignIn) => api.post<Me>('/auth/password', body),
    onSuccess: signedIn,
  });
}

export function useDemoSignIn() {
  const signedIn = useSignedIn();
  return useMutation({
    mutationFn: (body: DemoSignIn) => api.post<Me>('/auth/demo', body),
    onSuccess: signedIn,
  });
}

export function useInvite(token: string) {
  return useQuery({
    queryKey: ['invite', token],
    queryFn: () => api.get<InviteInfo>(`/auth/invites/${encodeURIComponent(token)}`),
    retry: false,
  });
}

export function useAcceptInvite(token: string) {
  const signedIn = useSignedIn();
  return useMutation({
    mutationFn: (body: InviteAccept) =>
      api.post<Me>(`/auth/invites/${encodeURIComponent(token)}/accept`, body),
    onSuccess: signedIn,
  });
}

export function useSignOut() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<undefined>('/auth/sign-out'),
    onSettled: () => {
      forgetCsrfToken();
      client.clear();
      client.setQueryData(queryKeys.me, null);
    },
  });
}

export function useUpdateMe() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: MeUpdate) => api.patch<Me>('/me', body),
    onSuccess: (me) => client.setQueryData(queryKeys.me, me),
  });
}

export function useChangePassword() {
  return useMutation({
    mutationFn: (body: PasswordChange) => api.post<undefined>('/me/password', body),
  });
}

/** Where SSO starts: a full-page navigation, the identity provider sends the browser back. */
export function oidcStartUrl(tenant: string | undefined, returnTo: string): string {
  const params = new URLSearchParams({ return_to: returnTo });
  if (tenant) params.set('tenant', tenant);
  return `/api/v1/auth/oidc/start?${params.toString()}`;
}
