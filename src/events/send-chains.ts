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
  /** Later commands' events no longer join (some had to wait in the store). */
  closed?: boolean;
}

/** Events a chain holds in memory at most, waiting to be sent. */
const MAX_CHAIN_EVENTS = 100;

/** The key of an (app, process) long-connection queue: the unit of the one-event-in-flight order rule. */
export const queueKey = (appId: string, processId: string): string => `${appId}/${processId}`;

const queueOf = (chain: Pick<SendChain, 'appId' | 'processId'>) => queueKey(chain.appId, chain.processId);

/** The send chains of this server, by the delivery each has out on a send; at most `max` of them. */
export class SendChains {
  private readonly byInFlight = new Map<string, SendChain>();
  /** The same chains by their (app, process) queue: a later command's events of it join the chain. */
  private readonly byQueue = new Map<string, SendChain>();

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
    this.byQueue.set(queueOf(chain), chain);
  }

  /**
   * The chain whose send of `deliveryId` an app's connection acknowledged, taken out (`put` it back with
   * its next event out, or `end` it); else undefined.
   */
  take(appId: string, deliveryId: string): SendChain | undefined {
    const chain = this.byInFlight.get(deliveryId);
    if (chain?.appId !== appId) return undefined;
    this.byInFlight.delete(deliveryId);
    return chain;
  }

  /** The chain has sent its last event, or stops: a later command's events of its queue go the stored way. */
  end(chain: SendChain): void {
    if (this.byQueue.get(queueOf(chain)) === chain) this.byQueue.delete(queueOf(chain));
  }

  /** Forgets the chain out on a send of `deliveryId`, if it still is. */
  drop(deliveryId: string): void {
    const chain = this.byInFlight.get(deliveryId);
    if (!chain) return;
    this.byInFlight.delete(deliveryId);
    this.end(chain);
  }

  /** Whether a chain of this server holds the queue now. */
  holds(appId: string, processId: string): boolean {
    return this.byQueue.has(queueKey(appId, processId));
  }

  /** Later commands' events of the queue no longer join its chain (some wait in the store). */
  close(appId: string, processId: string): void {
    const chain = this.byQueue.get(queueKey(appId, processId));
    if (chain) chain.closed = true;
  }

  /**
   * A later command's events of a queue a chain holds (their commit is durable) go at the chain's end:
   * the chain's stored lease keeps everyone else off the queue until it ends. False when no chain holds
   * the queue any more (the events wait in the store, where the chain's end finds them).
   */
  append(appId: string, processId: string, events: readonly ChainEvent[]): boolean {
    const chain = this.byQueue.get(queueKey(appId, processId));
    if (!chain || chain.closed) return false;
    if (chain.rest.length + events.length > MAX_CHAIN_EVENTS) {
      // A chain stays small: a busy process's later events wait in the store, and so must every event
      // after them (none may overtake them from memory).
      chain.closed = true;
      return false;
    }
    chain.rest.push(...events);
    return true;
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
