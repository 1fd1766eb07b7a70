import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Delivery metrics for /metrics (Prometheus text format); one registry per server. */
export class DeliveryMetrics {
  readonly registry = new Registry();
  readonly deliveries: Counter<'mode' | 'result'>;
  readonly lag: Histogram<'mode'>;
  readonly queue: Gauge<'mode' | 'state'>;
  readonly ignoredAcks: Counter;

  constructor(queueDepth: () => Promise<{ mode: string; status: string; retrying: number; n: number }[]>) {
    this.deliveries = new Counter({
      name: 'peopleflow_event_deliveries_total',
      help: 'Event delivery attempts by mode (webhook, long_connection) and result (delivered, failed, parked)',
      labelNames: ['mode', 'result'],
      registers: [this.registry],
    });
    this.lag = new Histogram({
      name: 'peopleflow_event_delivery_lag_seconds',
      help: 'Time from commit to acknowledged delivery',
      labelNames: ['mode'],
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15, 60, 300, 3600],
      registers: [this.registry],
    });
    this.ignoredAcks = new Counter({
      name: 'peopleflow_event_acks_ignored_total',
      help: 'Long-connection acks naming an event that connection was not sent or had already acknowledged',
      registers: [this.registry],
    });
    this.queue = new Gauge({
      name: 'peopleflow_event_delivery_queue',
      help: 'Deliveries waiting (pending, sending), retrying (pending after a failure) and parked (failed)',
      labelNames: ['mode', 'state'],
      registers: [this.registry],
      collect: async () => {
        this.queue.reset();
        for (const row of await queueDepth()) {
          this.queue.inc({ mode: row.mode, state: row.status === 'failed' ? 'parked' : row.status }, row.n);
          if (row.status === 'pending') this.queue.inc({ mode: row.mode, state: 'retrying' }, row.retrying);
        }
      },
    });
  }
}
