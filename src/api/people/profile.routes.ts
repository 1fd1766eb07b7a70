import { Type } from 'typebox';
import { presentProfile } from '../../services/employee-profile.js';
import type { Services } from '../../services/index.js';
import type { HttpApp } from '../http-app.js';
import type { MyProfile } from './contract.js';
import { personOf } from './index.js';
import { sendPeopleResult } from './reply.js';

const ProfileQuery = Type.Object(
  { reveal: Type.Optional(Type.Literal('sensitive')) },
  { additionalProperties: false },
);

/**
 * The signed-in person's own directory profile (docs/people-api.md "My profile"): bank account and
 * ID number masked unless asked for with `?reveal=sensitive` — the person may always see their own.
 */
export function registerProfileRoutes(app: HttpApp, services: Services): void {
  app.get(
    '/me/profile',
    { schema: { querystring: ProfileQuery, tags: ['people API'], summary: 'My directory profile' } },
    async (request, reply) => {
      const session = personOf(request);
      const view = await services.employees.get(session.tenant.tenantKey, session.employee.userId);
      return sendPeopleResult(reply, view, (v): MyProfile => {
        const profile = presentProfile(v.profile, request.query.reveal === 'sensitive');
        return {
          user_id: v.employee.userId,
          employment_status: v.employee.employmentStatus,
          ...profile,
          // The service only ever stores the enum's values (employee-profile.ts checks them).
          probation_status: profile.probation_status as MyProfile['probation_status'],
        };
      });
    },
  );
}
