import type { DeliveryRow } from '../store/delivery.repository.js';

type EnvelopeSource = Pick<DeliveryRow, 'event_id' | 'event_type' | 'created_at' | 'event'>;

function header(
  delivery: EnvelopeSource,
  app: { appId: string; verificationToken: string },
  tenantKey: string,
) {
  return {
    event_id: delivery.event_id,
    event_type: delivery.event_type,
    create_time: String(delivery.created_at),
    token: app.verificationToken,
    app_id: app.appId,
    tenant_key: tenantKey,
  };
}

/** The schema-2.0 envelope of one delivery (CONTRACT §7). */
export function envelope(
  delivery: EnvelopeSource,
  app: { appId: string; verificationToken: string },
  tenantKey: string,
) {
  return {
    schema: '2.0',
    header: header(delivery, app, tenantKey),
    event: JSON.parse(delivery.event) as Record<string, unknown>,
  };
}

/**
 * The same envelope as JSON text, the stored body (JSON.stringify's output) set in as it is: byte for
 * byte `JSON.stringify(envelope(…))`, without parsing the body and writing it out again per send.
 */
export function envelopeJson(
  delivery: EnvelopeSource,
  app: { appId: string; verificationToken: string },
  tenantKey: string,
): string {
  return `{"schema":"2.0","header":${JSON.stringify(header(delivery, app, tenantKey))},"event":${delivery.event}}`;
}
