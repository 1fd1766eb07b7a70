import { fastifyCookie as cookie } from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { HttpApp } from '../http-app.js';

/** The person's session token: httpOnly, never readable by the page. */
export const SESSION_COOKIE = 'pf_session';
/**
 * Not a secret, and readable by the page: "a session cookie is there". The web app asks `GET /me` only
 * when it is, so a first visit goes straight to sign-in instead of through a refused request (a 401
 * every browser reports in its console). It follows the session cookie: set and cleared with it, and
 * dropped with it when the server no longer knows the session.
 */
export const SIGNED_IN_COOKIE = 'pf_signed_in';

const secureFor = (app: HttpApp, request: FastifyRequest) => app.publicBaseUrl(request).startsWith('https:');

/** The session cookie (httpOnly, SameSite=Lax, Secure over https) and its readable marker. */
export function setSessionCookies(
  app: HttpApp,
  request: FastifyRequest,
  reply: FastifyReply,
  token: string,
  maxAgeMs: number,
): void {
  const common = {
    path: '/',
    sameSite: 'lax' as const,
    secure: secureFor(app, request),
    maxAge: Math.floor(maxAgeMs / 1000),
  };
  void reply.setCookie(SESSION_COOKIE, token, { ...common, httpOnly: true });
  void reply.setCookie(SIGNED_IN_COOKIE, '1', { ...common, httpOnly: false });
}

/** Signed out, or a session the server no longer knows: both cookies go. */
export function clearSessionCookies(reply: FastifyReply): void {
  void reply.clearCookie(SESSION_COOKIE, { path: '/' });
  void reply.clearCookie(SIGNED_IN_COOKIE, { path: '/' });
}

/**
 * The web app's page, served to a browser holding a session cookie without the marker (a session from a
 * release before the marker existed): the marker, so that the app asks `/me` and the person stays signed
 * in. Whether the session is still live is `/me`'s to say; a dead one clears both.
 */
export function markSessionCookie(app: HttpApp, request: FastifyRequest, reply: FastifyReply): void {
  // The page is served outside the people API, where no cookie plugin parses or writes: by hand, with
  // the plugin's own parser and serializer.
  const header = request.headers.cookie;
  if (header === undefined) return;
  const cookies = cookie.parse(header);
  if (cookies[SESSION_COOKIE] === undefined || cookies[SIGNED_IN_COOKIE] !== undefined) return;
  void reply.header(
    'set-cookie',
    cookie.serialize(SIGNED_IN_COOKIE, '1', {
      path: '/',
      sameSite: 'lax',
      secure: secureFor(app, request),
      httpOnly: false,
    }),
  );
}
