import type { DeliveryRow } from '../store/delivery.repository.js';

/** The schema-2.0 envelope of one delivery (CONTRACT §7). */
export function envelope(
  delivery: DeliveryRow,
  app: { appId: string; verificationToken: string },
  tenantKey: string,
) {
  return {
    schema: '2.0',
    header: {
      event_id: delivery.event_id,
      event_type: delivery.event_type,
      create_time: String(delivery.created_at),
      token: app.verificationToken,
      app_id: app.appId,
      tenant_key: tenantKey,
    },
    event: JSON.parse(delivery.event) as Record<string, unknown>,
  };
}
