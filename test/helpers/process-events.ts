import assert from 'node:assert/strict';
import { PROCESS_STATUS_CODE } from '../../src/api/openapi/wire-enums.js';
import { EVENT_TYPES } from '../../src/services/app.service.js';
import type { TestServer } from './server.js';

/** One event of a process as apps get it: the vendor's event type and body. */
export interface ProcessEvent {
  type: string;
  // Tests read the vendor's fields by name.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  event: Record<string, any>;
}

/**
 * The events a process has emitted, in the order they happened: its event deliveries, one per event
 * (every subscribed app gets its own delivery of it, with the same outbox id). A server makes them in
 * the command's own transaction, so they are there as soon as the command has answered; at least one
 * app of the tenant must be subscribed to every event type (`subscribeToEvents`).
 */
export async function processEvents(t: TestServer, processId: string): Promise<ProcessEvent[]> {
  const rows = await t.server.database.db
    .selectFrom('event_deliveries')
    .select(['outbox_id', 'event_type', 'event'])
    .where('process_id', '=', processId)
    .orderBy('outbox_id')
    .orderBy('id')
    .execute();
  const seen = new Set<string>();
  const events: ProcessEvent[] = [];
  for (const row of rows) {
    if (seen.has(row.outbox_id)) continue;
    seen.add(row.outbox_id);
    events.push({ type: row.event_type, event: JSON.parse(row.event) as Record<string, unknown> });
  }
  return events;
}

/**
 * Subscribes an app to every event by long connection (none connects: its deliveries wait, which is all
 * `processEvents` needs).
 */
export async function subscribeToEvents(t: TestServer, tenantKey: string, appId: string): Promise<void> {
  const r = await t.admin('PATCH', `/tenants/${tenantKey}/apps/${appId}`, {
    event: { event_types: EVENT_TYPES, delivery_mode: 'long_connection' },
  });
  assert.equal(r.status, 200, JSON.stringify(r.body));
}

/** Whether an event says the process reached `status` (`corehr.process.status.update_v2`). */
export const reached = (e: ProcessEvent, status: keyof typeof PROCESS_STATUS_CODE): boolean =>
  e.type === 'corehr.process.status.update_v2' && e.event.status === PROCESS_STATUS_CODE[status];
