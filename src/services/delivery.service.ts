import type { DeliveryRow } from '../store/delivery.repository.js';

export type { DeliveryRow };
import type { Page, PageRequest } from '../store/executor.js';
import type { DeliveryStatus } from '../store/schema.js';
import { repositories, type ServiceContext } from './context.js';
import { notFound, ok, type Result } from './result.js';
import { loadTenant } from './tenant.service.js';

/** Event deliveries as the admin sees them: what is parked, and sending it again. */
export class DeliveryService {
  constructor(private readonly ctx: ServiceContext) {}

  async list(
    tenantKey: string,
    appId: string,
    status: DeliveryStatus | undefined,
    page: PageRequest,
  ): Promise<Result<Page<DeliveryRow>>> {
    const repos = repositories(this.ctx.db);
    const tenant = await loadTenant(repos, tenantKey);
    if (!tenant.ok) return tenant;
    const app = await repos.apps.findByAppId(appId);
    if (!app || app.tenantId !== tenant.value.id) return notFound(`app ${appId}`);
    return ok(await repos.deliveries.list(app.id, status, page));
  }

  async resend(tenantKey: string, deliveryId: string): Promise<Result<DeliveryRow>> {
    const repos = repositories(this.ctx.db);
    const tenant = await loadTenant(repos, tenantKey);
    if (!tenant.ok) return tenant;
    const delivery = await repos.deliveries.find(tenant.value.id, deliveryId);
    if (!delivery) return notFound(`delivery ${deliveryId}`);
    await repos.deliveries.resend(delivery.id, this.ctx.clock.now());
    const updated = await repos.deliveries.find(tenant.value.id, deliveryId);
    return updated ? ok(updated) : notFound(`delivery ${deliveryId}`);
  }
}
