import type { Services } from '../../../services/index.js';
import type { HttpApp } from '../../http-app.js';
import type { RoleOptions } from '../contract.js';
import { personOf } from '../index.js';
import { sendPeopleResult } from '../reply.js';

/** Enough for any real tenant's roles; a picker longer than this would be unusable anyway. */
export const ROLE_OPTIONS_LIMIT = 500;

const tags = ['console: options'];

/**
 * Console: choices for the designers' pickers, open to every console role. Process admins may not read
 * the directory (its members are tenant admins' business) but must be able to name a role in an
 * approver rule, so this answers keys and names only.
 */
export function registerConsoleOptionsRoutes(admin: HttpApp, services: Services): void {
  admin.get(
    '/role-options',
    { schema: { tags, summary: 'The tenant’s roles (key and name) for the role approver rule' } },
    async (request, reply) => {
      const { tenantKey } = personOf(request).tenant;
      const result = await services.roles.options(tenantKey, ROLE_OPTIONS_LIMIT);
      return sendPeopleResult(reply, result, (options) => {
        const body: RoleOptions = {
          items: options.items.map((o) => ({ role_key: o.roleKey, name: o.name })),
          truncated: options.truncated,
        };
        return body;
      });
    },
  );
}
