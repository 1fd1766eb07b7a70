import type { FastifyRequest } from 'fastify';
import type { Services } from '../../../services/index.js';
import type { SmtpView } from '../../../services/notifications/notification.service.js';
import { SmtpSet, SmtpTest, smtpJson } from '../../admin/notification.routes.js';
import type { HttpApp } from '../../http-app.js';
import { personOf } from '../index.js';
import { requestLanguage } from '../language.js';
import { sendPeopleResult } from '../reply.js';
import { requireTenantAdmin } from './index.js';

const tags = ['console: email'];

/** `{smtp}`: the settings as the admin API shows them (password masked), or null when none are set. */
const smtpAnswer = (view: SmtpView | null) => ({ smtp: view ? smtpJson(view) : null });

/**
 * Console: the tenant's SMTP server for notification emails (tenant admins). The admin API's service
 * calls for the signed-in person's own tenant, with the admin API's body schemas: one set of rules.
 */
export function registerConsoleSmtpRoutes(admin: HttpApp, services: Services): void {
  const tenantKeyOf = (request: FastifyRequest) => personOf(request).tenant.tenantKey;

  admin.get(
    '/smtp',
    { schema: { tags, summary: "The tenant's SMTP settings (the password masked), or null" } },
    async (request, reply) => {
      if (!requireTenantAdmin(request, reply)) return reply;
      const found = await services.notifications.smtp(tenantKeyOf(request));
      // "Not set" is a state the page shows, not an error.
      if (!found.ok && found.error.kind === 'not_found') return smtpAnswer(null);
      return sendPeopleResult(reply, found, smtpAnswer);
    },
  );
  admin.put(
    '/smtp',
    { schema: { tags, summary: "Set the tenant's SMTP server", body: SmtpSet } },
    async (request, reply) => {
      if (!requireTenantAdmin(request, reply)) return reply;
      return sendPeopleResult(
        reply,
        await services.notifications.setSmtp(tenantKeyOf(request), request.body, { guarded: true }),
        smtpAnswer,
      );
    },
  );
  admin.delete(
    '/smtp',
    { schema: { tags, summary: 'Remove the SMTP settings (no more emails)' } },
    async (request, reply) => {
      if (!requireTenantAdmin(request, reply)) return reply;
      return sendPeopleResult(reply, await services.notifications.deleteSmtp(tenantKeyOf(request)), () =>
        smtpAnswer(null),
      );
    },
  );
  admin.post(
    '/smtp/test',
    {
      schema: {
        tags,
        summary: 'Send a test email now through the saved settings',
        body: SmtpTest,
      },
    },
    async (request, reply) => {
      if (!requireTenantAdmin(request, reply)) return reply;
      const { to, language } = request.body;
      return sendPeopleResult(
        reply,
        await services.notifications.testSmtp(tenantKeyOf(request), to, language ?? requestLanguage(request)),
        (sent) => sent,
      );
    },
  );
}
