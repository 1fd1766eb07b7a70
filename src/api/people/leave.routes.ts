import type { Services } from '../../services/index.js';
import type { HttpApp } from '../http-app.js';
import type { MyLeaveBalances } from './contract.js';
import { leaveBalanceJson } from './console/leave.routes.js';
import { personOf } from './index.js';

/** The signed-in person's leave balances (docs/leave.md "People API"). */
export function registerLeaveRoutes(people: HttpApp, services: Services): void {
  people.get('/leave/balances', async (request): Promise<MyLeaveBalances> => {
    const person = personOf(request);
    const balances = await services.leave.mine(person.tenant.id, person.employee.id);
    return { items: balances.map(leaveBalanceJson) };
  });
}
