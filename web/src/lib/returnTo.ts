/**
 * Where to go after signing in: only a path on this site (`/…`, never `//host` or a URL), and never
 * back to a sign-in page.
 */
export function safeReturnTo(value: string | null | undefined, fallback: string): string {
  if (!value || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return fallback;
  if (/^(\/t\/[^/]+)?\/sign-in(\/|\?|$)/.test(value)) return fallback;
  return value;
}

/** The sign-in page for where the person is, remembering the page they wanted. */
export function signInPath(prefix: string, returnTo: string): string {
  return `${prefix}/sign-in?return_to=${encodeURIComponent(returnTo)}`;
}
