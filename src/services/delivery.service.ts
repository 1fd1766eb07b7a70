import type {
  DeliveryDetail,
  DeliveryRow,
  DeliveryState,
  DeliverySummary,
} from '../store/delivery.repository.js';

export type { DeliveryDetail, DeliveryRow, DeliveryState, DeliverySummary };
import type { Page, PageRequest } from '../store/executor.js';
import type { DeliveryStatus } from '../store/schema.js';
import { repositories, type ServiceContext } from './context.js';
import { fail, notFound, ok, type Result } from './result.js';
import { loadTenant } from './tenant.service.js';

/** The windows the console's delivery metrics are offered over. */
export const METRICS_WINDOWS = { '1h': 3_600_000, '24h': 86_400_000, '7d': 7 * 86_400_000 } as const;
export type MetricsWindow = keyof typeof METRICS_WINDOWS;

/** The console's delivery log filters (the app by its public app_id). */
export interface DeliveryFilter {
  appId?: string | undefined;
  state?: DeliveryState | undefined;
  eventType?: string | undefined;
  processId?: string | undefined;
  createdFrom?: number | undefined;
  createdBefore?: number | undefined;
}

/** One app's deliveries over a window, as the console's metrics cards show them. */
export interface DeliveryMetricsView {
  window: MetricsWindow;
  since: number;
  counts: Record<DeliveryState, number>;
  total: number;
  /** delivered / (delivered + parked): of those settled, how many arrived; null when none settled. */
  successRate: number | null;
  meanAttempts: number | null;
  /** Lag from the event's commit to its delivery, ms; null when nothing was delivered. */
  lagP50Ms: number | null;
  lagP99Ms: number | null;
}

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
    return ok(await repos.deliveries.list(tenant.value.id, app.id, status, page));
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

  /** The tenant's delivery log, newest first; an app that is not the tenant's is not found. */
  async search(
    tenantKey: string,
    filter: DeliveryFilter,
    page: PageRequest,
  ): Promise<Result<Page<DeliverySummary>>> {
    const repos = repositories(this.ctx.db);
    const tenant = await loadTenant(repos, tenantKey);
    if (!tenant.ok) return tenant;
    let appInternalId: string | undefined;
    if (filter.appId !== undefined) {
      const app = await repos.apps.findByAppId(filter.appId);
      if (!app || app.tenantId !== tenant.value.id) return notFound(`app ${filter.appId}`);
      appInternalId = app.id;
    }
    return ok(
      await repos.deliveries.search(
        {
          tenantId: tenant.value.id,
          appId: appInternalId,
          state: filter.state,
          eventType: filter.eventType,
          processId: filter.processId,
          createdFrom: filter.createdFrom,
          createdBefore: filter.createdBefore,
        },
        page,
      ),
    );
  }

  async get(tenantKey: string, deliveryId: string): Promise<Result<DeliveryDetail>> {
    const repos = repositories(this.ctx.db);
    const tenant = await loadTenant(repos, tenantKey);
    if (!tenant.ok) return tenant;
    const found = await repos.deliveries.detail(tenant.value.id, deliveryId);
    return found ? ok(found) : notFound(`delivery ${deliveryId}`);
  }

  /**
   * Retry now: a waiting or retrying delivery is due at once (attempts kept); a parked one gets one
   * more attempt. One being sent or already delivered is refused (409 `in_use`): nothing to hurry.
   */
  async retryNow(tenantKey: string, deliveryId: string): Promise<Result<DeliveryDetail>> {
    return this.change(tenantKey, deliveryId, 'retry', (id, now) =>
      repositories(this.ctx.db).deliveries.retryNow(id, now),
    );
  }

  /**
   * Resend: a delivered or parked delivery goes again as new (same event_id, attempts from zero).
   * One still on its way is refused (409 `in_use`): it will arrive or park by itself.
   */
  async resendSettled(tenantKey: string, deliveryId: string): Promise<Result<DeliveryDetail>> {
    return this.change(tenantKey, deliveryId, 'resend', (id, now) =>
      repositories(this.ctx.db).deliveries.resendSettled(id, now),
    );
  }

  private async change(
    tenantKey: string,
    deliveryId: string,
    action: 'retry' | 'resend',
    apply: (id: string, now: number) => Promise<boolean>,
  ): Promise<Result<DeliveryDetail>> {
    const found = await this.get(tenantKey, deliveryId);
    if (!found.ok) return found;
    // The update itself checks the state, so a delivery that changed meanwhile is refused too.
    if (!(await apply(found.value.id, this.ctx.clock.now()))) {
      const now = await this.get(tenantKey, deliveryId);
      const status = now.ok ? now.value.status : found.value.status;
      return fail(
        'in_use',
        action === 'retry'
          ? `delivery ${deliveryId} is ${status === 'failed' ? 'parked' : status}: only a pending, retrying or parked delivery can be retried`
          : `delivery ${deliveryId} is ${status}: only a delivered or parked delivery can be re-sent (retry a pending one)`,
      );
    }
    // Wakes the dispatcher, so that the delivery goes now rather than at its next poll.
    this.ctx.deliveriesDue?.();
    return this.get(tenantKey, deliveryId);
  }

  /** One app's delivery metrics over the window ending now. */
  async metrics(
    tenantKey: string,
    appId: string,
    window: MetricsWindow,
  ): Promise<Result<DeliveryMetricsView>> {
    const repos = repositories(this.ctx.db);
    const tenant = await loadTenant(repos, tenantKey);
    if (!tenant.ok) return tenant;
    const app = await repos.apps.findByAppId(appId);
    if (!app || app.tenantId !== tenant.value.id) return notFound(`app ${appId}`);
    const since = this.ctx.clock.now() - METRICS_WINDOWS[window];
    const stats = await repos.deliveries.windowStats(app.id, since);
    // Nearest-rank percentiles, each one indexed row read by the database.
    const percentile = async (p: number) =>
      stats.delivered === 0
        ? null
        : ((await repos.deliveries.lagAtRank(app.id, since, Math.ceil(p * stats.delivered) - 1)) ?? null);
    const settled = stats.counts.delivered + stats.counts.parked;
    return ok({
      window,
      since,
      counts: stats.counts,
      total: Object.values(stats.counts).reduce((a, b) => a + b, 0),
      successRate: settled === 0 ? null : stats.counts.delivered / settled,
      meanAttempts: stats.meanAttempts,
      lagP50Ms: await percentile(0.5),
      lagP99Ms: await percentile(0.99),
    });
  }
}
