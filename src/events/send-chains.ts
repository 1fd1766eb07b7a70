/** A long-connection event ready to go: its frame's fields, and when it was made (for the lag). */
export interface ChainEvent {
  deliveryId: string;
  eventId: string;
  json: string;
  createdAt: number;
}

/**
 * The events one command made for one (app, process) long-connection queue, sent one ack apart from
 * memory. Only the first is leased in the store when the command commits; while the chain runs, that
 * lease (its `storedHead`) keeps every other round and server off the queue, so the next event can go
 * the moment an ack comes without a transaction: the acks are written when the chain ends, in the
 * next ack batch. A chain that runs long has its hold moved to the event out on a send (`due`), with
 * the acks so far; one whose event is not acknowledged in time is dropped, and the store's lease on
 * that event makes it a failed attempt, as for any other send.
 */
export interface SendChain {
  readonly appId: string;
  readonly processId: string;
  /** The member whose lease in the store holds the queue (the oldest one not yet written as delivered). */
  storedHead: string;
  /** When that lease runs out. */
  storedLeaseUntil: number;
  /** Members acknowledged here and not yet written, oldest first (the stored head among them, once acked). */
  acked: string[];
  /** The member out on a send. */
  inFlight: { deliveryId: string; createdAt: number; sentAt: number };
  /** Members still to send, in order. */
  rest: ChainEvent[];
}

/** The send chains of this server, by the delivery each has out on a send; at most `max` of them. */
export class SendChains {
  private readonly byInFlight = new Map<string, SendChain>();

  constructor(
    private readonly max: number,
    private readonly ackTimeoutMs: number,
  ) {}

  get size(): number {
    return this.byInFlight.size;
  }

  /** Room for one more chain; past the bound, a command's later events go one hop each through the store. */
  hasRoom(): boolean {
    return this.byInFlight.size < this.max;
  }

  /** Keeps `chain` under the delivery it has out on a send. */
  put(chain: SendChain): void {
    this.byInFlight.set(chain.inFlight.deliveryId, chain);
  }

  /** The chain whose send of `deliveryId` an app's connection acknowledged, taken out; else undefined. */
  take(appId: string, deliveryId: string): SendChain | undefined {
    const chain = this.byInFlight.get(deliveryId);
    if (chain?.appId !== appId) return undefined;
    this.byInFlight.delete(deliveryId);
    return chain;
  }

  /** Forgets the chain out on a send of `deliveryId`, if it still is. */
  drop(deliveryId: string): void {
    this.byInFlight.delete(deliveryId);
  }

  /**
   * Chains whose hold must be written now: their event out on a send is past its ack deadline (the
   * chain ends), or the stored head's lease is half run out while a later event is out (the hold moves
   * to that event, whose own deadline is later).
   */
  due(now: number, all = false): SendChain[] {
    const due: SendChain[] = [];
    for (const chain of this.byInFlight.values())
      if (
        all ||
        now >= chain.inFlight.sentAt + this.ackTimeoutMs ||
        (chain.storedHead !== chain.inFlight.deliveryId &&
          now >= chain.storedLeaseUntil - this.ackTimeoutMs / 2)
      )
        due.push(chain);
    return due;
  }
}
