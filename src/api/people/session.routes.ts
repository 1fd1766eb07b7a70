import type { FastifyReply, FastifyRequest } from 'fastify';
import { clearSessionCookies, setSessionCookies } from '../auth/session-cookies.js';
import { Type } from 'typebox';
import type { Services } from '../../services/index.js';
import type { PersonSession } from '../../services/session.service.js';
import { DEMO_SIGN_IN_PEOPLE, DEMO_TENANT_KEY } from '../../services/demo.service.js';
import type { HttpApp } from '../http-app.js';
import type { Me, SignInOptions } from './contract.js';
import { personOf as personRefOf } from './render.js';
import { sendPeopleFailure, sendPeopleProblem } from './reply.js';
import { personOf, type PeopleApiOptions } from './index.js';

const TenantQuery = Type.Object({ tenant: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })) });
const LanguageSchema = Type.Union([Type.Literal('zh-CN'), Type.Literal('en'), Type.Null()]);

async function consoleOf(services: Services, session: PersonSession): Promise<Me['console']> {
  const access = await services.consoleAccess.access(session.tenant.id, session.employee);
  return { tenant_admin: access.tenantAdmin, flow_ids: access.flowIds };
}

/** What the web app needs about the signed-in person (and a CSRF token for its next requests). */
export async function meOf(services: Services, session: PersonSession, reply: FastifyReply): Promise<Me> {
  const directory = await services.processes.directory(session.tenant.id);
  const language = await services.sessions.language(session.employee.id);
  return {
    person: personRefOf(session.employee, directory),
    tenant: { tenant_key: session.tenant.tenantKey, name: session.tenant.name },
    language: language === 'zh-CN' || language === 'en' ? language : null,
    is_process_admin: await services.definitions.isProcessAdminAnywhere(
      session.tenant.id,
      session.employee.id,
    ),
    console: await consoleOf(services, session),
    auth_method: session.authMethod,
    has_password: await services.sessions.hasPassword(session.employee.id),
    csrf_token: reply.generateCsrf(),
  };
}

/** Signs the person in: a new session (never one from before), its cookie, and Me. */
export async function startSession(
  app: HttpApp,
  services: Services,
  request: FastifyRequest,
  reply: FastifyReply,
  created: { token: string; session: PersonSession },
): Promise<Me> {
  const previous = request.person;
  if (previous) await services.sessions.end(previous);
  setSessionCookies(app, request, reply, created.token, services.sessions.policy.absoluteMs);
  request.person = created.session;
  return meOf(services, created.session, reply);
}

export function registerSessionRoutes(app: HttpApp, services: Services, options: PeopleApiOptions): void {
  app.get('/auth/csrf', { config: { public: true } }, (_request, reply) => ({
    csrf_token: reply.generateCsrf(),
  }));

  app.get(
    '/auth/options',
    { config: { public: true }, schema: { querystring: TenantQuery } },
    async (request, reply) => {
      const tenant = await services.sessions.tenantFor(request.query.tenant);
      if (!tenant.ok) return sendPeopleFailure(reply, tenant.error);
      const body: SignInOptions = {
        tenant: { tenant_key: tenant.value.tenantKey, name: tenant.value.name },
        password: await services.sessions.passwordOption(tenant.value.id),
        ...(await services.sessions.oidcOption(tenant.value.id)),
      };
      if (options.demo && tenant.value.tenantKey === DEMO_TENANT_KEY) {
        const directory = await services.processes.directory(tenant.value.id);
        const byUserId = new Map([...directory.employees.values()].map((e) => [e.userId, e]));
        body.demo_people = DEMO_SIGN_IN_PEOPLE.flatMap(({ userId, title }) => {
          const employee = byUserId.get(userId);
          return employee?.employmentStatus === 'active'
            ? [{ ...personRefOf(employee, directory), title }]
            : [];
        });
      }
      return body;
    },
  );

  app.post(
    '/auth/demo',
    {
      config: { public: true },
      schema: {
        body: Type.Object(
          {
            tenant: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
            user_id: Type.String({ minLength: 1, maxLength: 64 }),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => {
      if (!options.demo)
        return sendPeopleProblem(reply, 'forbidden', 'demo sign-in is only offered with --demo');
      const tenant = await services.sessions.tenantFor(request.body.tenant ?? DEMO_TENANT_KEY);
      if (!tenant.ok || tenant.value.tenantKey !== DEMO_TENANT_KEY)
        return sendPeopleProblem(reply, 'forbidden', 'demo sign-in is only offered for the demo tenant');
      const employee = await services.sessions.employeeByUserId(tenant.value, request.body.user_id);
      if (!employee)
        return sendPeopleProblem(reply, 'invalid_credentials', 'no such person', [
          { field: 'user_id', description: 'unknown user' },
        ]);
      const created = await services.sessions.create(tenant.value, employee, 'demo');
      if (!created.ok) return sendPeopleProblem(reply, 'account_disabled', created.error.message);
      return startSession(app, services, request, reply, created.value);
    },
  );

  app.post('/auth/sign-out', { config: { public: true } }, async (request, reply) => {
    if (request.person) await services.sessions.end(request.person);
    clearSessionCookies(reply);
    return reply.status(204).send();
  });

  app.get('/me', async (request, reply) => meOf(services, personOf(request), reply));

  app.patch(
    '/me',
    {
      schema: {
        body: Type.Object({ language: LanguageSchema }, { additionalProperties: false }),
      },
    },
    async (request, reply) => {
      const session = personOf(request);
      await services.sessions.setLanguage(session, request.body.language);
      return meOf(services, session, reply);
    },
  );
}
