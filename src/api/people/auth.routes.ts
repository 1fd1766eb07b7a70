import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Services } from '../../services/index.js';
import type { CredentialProblem } from '../../services/credential.service.js';
import type { OidcErrorCode } from '../../services/sso.service.js';
import { OIDC_FLOW_MS } from '../../services/sso.service.js';
import type { HttpApp } from '../http-app.js';
import type { InviteInfo } from './contract.js';
import { iso, personOf as personRefOf } from './render.js';
import { sendPeopleError, sendPeopleFailure, sendPeopleProblem } from './reply.js';
import { startSession } from './session.routes.js';
import { SignInThrottle } from './sign-in-throttle.js';
import { personOf } from './index.js';

/** The OIDC flow's sealed state, sent back only to the callback. */
export const OIDC_COOKIE = 'pf_oidc';
const OIDC_PATH = '/api/v1/auth/oidc';

const TenantKey = Type.String({ minLength: 1, maxLength: 64 });
const InviteParams = Type.Object({ token: Type.String({ minLength: 1, maxLength: 200 }) });
/** Generous upper bounds only: the rules (8–200 characters) are checked by the service, naming the field. */
const NewPassword = Type.String({ maxLength: 1000 });

/** A path on this site (`/approval-center/todo?x=1`), never another origin (`//evil`, `/\evil`, `https:`). */
export function safeReturnTo(text: string): boolean {
  return (
    text.length <= 2048 &&
    /^\/(?![/\\])/.test(text) &&
    // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
    !/[\u0000-\u001f\u007f\\]/.test(text)
  );
}

function sendCredentialProblem(reply: FastifyReply, problem: CredentialProblem): FastifyReply {
  if (problem.code === 'invalid_field')
    return sendPeopleError(reply, 400, {
      code: 'invalid_field',
      message: problem.message,
      violations: problem.violations,
    });
  return sendPeopleProblem(reply, problem.code, problem.message);
}

/**
 * Sign-in by password, by invite link and by the tenant's OpenID Connect provider, and the person's
 * own password change (docs/people-api.md, "Sign-in and sessions").
 */
export function registerAuthRoutes(app: HttpApp, services: Services): void {
  const throttle = new SignInThrottle(app.authFailures.limit, app.authFailures.limiters);

  app.post(
    '/auth/password',
    {
      config: { public: true },
      schema: {
        body: Type.Object(
          {
            tenant: Type.Optional(TenantKey),
            login: Type.String({ minLength: 1, maxLength: 254 }),
            password: Type.String({ minLength: 1, maxLength: 1000 }),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => {
      if (await throttle.refuse(request, reply)) return reply;
      const tenant = await services.sessions.tenantFor(request.body.tenant);
      if (!tenant.ok) return sendPeopleFailure(reply, tenant.error);
      const employee = await services.credentials.lookup(tenant.value, request.body.login);
      // One budget per person however they are named (email or user_id); per login text otherwise.
      const account = employee
        ? `e:${employee.id}`
        : `l:${tenant.value.id}:${request.body.login.toLowerCase()}`;
      if (await throttle.refuse(request, reply, account)) return reply;
      const checked = await services.credentials.checkPassword(employee, request.body.password);
      if (!checked.ok) {
        if (checked.problem.code === 'invalid_credentials') await throttle.failed(request, account);
        return sendCredentialProblem(reply, checked.problem);
      }
      await throttle.succeeded(account);
      const created = await services.sessions.create(tenant.value, checked.value, 'password');
      if (!created.ok) return sendPeopleProblem(reply, 'account_disabled', created.error.message);
      return startSession(app, services, request, reply, created.value);
    },
  );

  app.get(
    '/auth/invites/:token',
    { config: { public: true }, schema: { params: InviteParams } },
    async (request, reply) => {
      const found = await services.credentials.invite(request.params.token);
      if (!found.ok) return sendCredentialProblem(reply, found.problem);
      const { tenant, employee, expiresAt } = found.value;
      const directory = await services.processes.directory(tenant.id);
      const body: InviteInfo = {
        tenant: { tenant_key: tenant.tenantKey, name: tenant.name },
        person: personRefOf(employee, directory),
        expires_at: iso(expiresAt),
      };
      return body;
    },
  );

  app.post(
    '/auth/invites/:token/accept',
    {
      config: { public: true },
      schema: {
        params: InviteParams,
        body: Type.Object({ password: NewPassword }, { additionalProperties: false }),
      },
    },
    async (request, reply) => {
      const accepted = await services.credentials.acceptInvite(request.params.token, request.body.password);
      if (!accepted.ok) return sendCredentialProblem(reply, accepted.problem);
      const created = await services.sessions.create(
        accepted.value.tenant,
        accepted.value.employee,
        'invite',
      );
      if (!created.ok) return sendPeopleProblem(reply, 'account_disabled', created.error.message);
      return startSession(app, services, request, reply, created.value);
    },
  );

  app.post(
    '/me/password',
    {
      schema: {
        body: Type.Object(
          { current_password: Type.String({ maxLength: 1000 }), new_password: NewPassword },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => {
      const session = personOf(request);
      // A stolen session must not become a way to guess the password.
      const account = `e:${session.employee.id}`;
      if (await throttle.refuse(request, reply, account)) return reply;
      const changed = await services.credentials.changePassword(
        session.employee,
        session.tokenHash,
        request.body.current_password,
        request.body.new_password,
      );
      if (!changed.ok) {
        const problem = changed.problem;
        if (
          problem.code === 'invalid_field' &&
          problem.violations.some((v) => v.field === 'current_password')
        )
          await throttle.failed(request, account);
        return sendCredentialProblem(reply, changed.problem);
      }
      return reply.status(204).send();
    },
  );

  app.get(
    '/auth/oidc/start',
    {
      config: { public: true },
      schema: {
        querystring: Type.Object({
          tenant: Type.Optional(TenantKey),
          return_to: Type.Optional(Type.String({ minLength: 1, maxLength: 2048 })),
        }),
      },
    },
    async (request, reply) => {
      const returnTo = request.query.return_to ?? '/';
      if (!safeReturnTo(returnTo))
        return sendPeopleError(reply, 400, {
          code: 'invalid_field',
          message: 'return_to must be a path on this site, like /approval-center/todo',
          violations: [
            { field: 'return_to', description: 'must be a path on this site (starting with one /)' },
          ],
        });
      const signInPath =
        request.query.tenant === undefined
          ? '/sign-in'
          : `/t/${encodeURIComponent(request.query.tenant)}/sign-in`;
      const failed = (reason: string, error?: unknown) => {
        request.log.warn({ err: error, reason }, 'single sign-on could not start');
        return reply.redirect(`${signInPath}?error=oidc_failed`, 302);
      };
      const tenant = await services.sessions.tenantFor(request.query.tenant);
      if (!tenant.ok) return failed(tenant.error.message);
      let started;
      try {
        started = await services.sso.start(
          tenant.value,
          `${app.publicBaseUrl(request)}${OIDC_PATH}/callback`,
          returnTo,
          signInPath,
        );
      } catch (error) {
        return failed('the identity provider cannot be reached or its metadata was refused', error);
      }
      if (!started.ok) return failed(started.error.message);
      void reply.setCookie(OIDC_COOKIE, started.value.sealedState, oidcCookieOptions(app, request));
      return reply.redirect(started.value.authorizationUrl, 302);
    },
  );

  app.get('/auth/oidc/callback', { config: { public: true } }, async (request, reply) => {
    const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '';
    const finished = await services.sso.finish(request.cookies[OIDC_COOKIE], query);
    void reply.clearCookie(OIDC_COOKIE, { path: OIDC_PATH });
    const failed = (code: OidcErrorCode, signInPath: string) =>
      reply.redirect(`${signInPath}?error=${code}`, 302);
    if (!finished.ok) {
      request.log.warn({ err: finished.cause, reason: finished.reason }, 'single sign-on refused');
      return failed(finished.code, finished.signInPath);
    }
    const created = await services.sessions.create(finished.tenant, finished.employee, 'oidc');
    if (!created.ok) return failed('account_disabled', finished.signInPath);
    await startSession(app, services, request, reply, created.value);
    return reply.redirect(finished.returnTo, 302);
  });
}

function oidcCookieOptions(app: HttpApp, request: FastifyRequest) {
  return {
    path: OIDC_PATH,
    httpOnly: true,
    // Lax: the identity provider sends the browser back with a top-level GET, which carries it.
    sameSite: 'lax' as const,
    secure: app.publicBaseUrl(request).startsWith('https:'),
    maxAge: Math.floor(OIDC_FLOW_MS / 1000),
  };
}
