import { vendorEvent, type EventProcess } from '../api/openapi/event-payloads.js';
import type { WireEvent } from '../engine/process.js';
import { newEventId } from '../platform/id-generator.js';
import type { StoredApp } from '../store/app.repository.js';
import type { EventDeliveryTable } from '../store/schema.js';

const READ_SCOPE = 'corehr:process:readonly';

/** A new event (or a stored outbox row's, parsed) with the process it belongs to. */
export interface FanOutRow {
  id: string;
  tenant_id: string;
  process_id: string;
  created_at: number;
  event: WireEvent;
  process: EventProcess;
}

/**
 * The deliveries of outbox rows: one per app of the event's tenant that subscribed to its type and may
 * read processes (a webhook app also needs a request URL), due at `now`, each with its own event_id.
 */
export function deliveriesOf(
  rows: readonly FanOutRow[],
  apps: readonly StoredApp[],
  newId: () => string,
  now: number,
): EventDeliveryTable[] {
  const deliveries: EventDeliveryTable[] = [];
  for (const row of rows) {
    const receivers = apps.filter((app) => app.tenantId === row.tenant_id && app.scopes.includes(READ_SCOPE));
    if (receivers.length === 0) continue;
    const { type, event } = vendorEvent(row.event, row.process);
    let body: string | undefined;
    for (const app of receivers) {
      if (!app.eventTypes.includes(type)) continue;
      if (app.eventDeliveryMode === 'webhook' && !app.eventRequestUrl) continue;
      body ??= JSON.stringify(event);
      const id = newId();
      deliveries.push({
        id,
        event_id: newEventId(id),
        tenant_id: row.tenant_id,
        app_id: app.id,
        process_id: row.process_id,
        outbox_id: row.id,
        event_type: type,
        event: body,
        mode: app.eventDeliveryMode,
        status: 'pending',
        attempts: 0,
        next_attempt_at: now,
        lease_until: 0,
        last_error: null,
        created_at: row.created_at,
        delivered_at: null,
      });
    }
  }
  return deliveries;
}
