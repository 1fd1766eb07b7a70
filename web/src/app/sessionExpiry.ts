/**
 * Set when an API call answers 401 while the app believed someone signed in: the sign-in page then
 * says the session expired (instead of greeting a first visit). Cleared by the next sign-in.
 */
let expired = false;

export function noteSessionExpired(): void {
  expired = true;
}

export function sessionExpired(): boolean {
  return expired;
}

export function clearSessionExpired(): void {
  expired = false;
}
