import type { FlowDefinition } from '../engine/definition.js';
import type { EngineEvent, ProcessState } from '../engine/process.js';
import { canSeeProcess, peopleWhoSee } from '../engine/visibility.js';
import { repositories, type ServiceContext } from './context.js';
import type { ProcessService } from './process.service.js';
import type { PersonSession } from './session.service.js';

export type LiveKind = 'process' | 'task' | 'comment';
const KIND_ORDER: readonly LiveKind[] = ['process', 'task', 'comment'];

/** A committed change to one process: what the people API's live streams are fed with. */
export interface ProcessChange {
  tenantId: string;
  processId: string;
  kinds: LiveKind[];
  /**
   * Employees who may see the process, before or after the change; null when too many to carry
   * between servers, and then each stream's person is checked against the process itself.
   */
  people: string[] | null;
  /** Employees with a new in-app notification (src/services/notifications): their bell updates. */
  notified?: string[] | undefined;
}

/** What a committed command changed, and for whom (engine events → kinds; visibility → people). */
export function processChange(
  tenantId: string,
  definition: FlowDefinition,
  before: ProcessState | undefined,
  after: ProcessState,
  events: readonly EngineEvent[],
): ProcessChange {
  const kinds = new Set<LiveKind>();
  for (const event of events) {
    if (event.kind === 'task_status_changed') kinds.add('task');
    else if (event.kind === 'comment_added') kinds.add('comment');
    else kinds.add('process');
  }
  if (kinds.size === 0) kinds.add('process');
  const people = peopleWhoSee(definition, after);
  // Someone who could see it before (a transferred approver) hears that it changed too.
  if (before) for (const id of peopleWhoSee(definition, before)) people.add(id);
  return {
    tenantId,
    processId: after.id,
    kinds: KIND_ORDER.filter((k) => kinds.has(k)),
    people: [...people],
  };
}

/** One open stream of one signed-in person. */
export interface LiveSubscriber {
  tenantId: string;
  employeeId: string;
  tokenHash: string;
  change(processId: string, kinds: readonly LiveKind[]): void;
  /** A new in-app notification for this person (about `processId`). */
  notification?(processId: string): void;
  /** Ends the stream (the browser reconnects, and refetches what it shows). */
  close(): void;
}

export interface LiveLimits {
  /** Streams one person may hold open on this server (tabs, devices). */
  perPerson: number;
  /** Streams this server holds open at most. */
  total: number;
}

export const DEFAULT_LIVE_LIMITS: LiveLimits = { perPerson: 10, total: 5000 };

export type Subscription = { ok: true; unsubscribe: () => void } | { ok: false; reason: string };

/**
 * The live streams of this server and the delivery of committed changes to them. Changes come from
 * every server of a cluster (src/events/live-bus.ts carries them); each goes to the streams of the
 * people who may see the process, and to nobody else.
 */
export class LiveService {
  private readonly byTenant = new Map<string, Set<LiveSubscriber>>();
  private readonly perPerson = new Map<string, number>();
  private total = 0;
  private shut = false;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly processes: ProcessService,
    private readonly idleMs: number,
    readonly limits: LiveLimits = DEFAULT_LIVE_LIMITS,
  ) {}

  subscribe(subscriber: LiveSubscriber): Subscription {
    if (this.shut) return { ok: false, reason: 'the server is shutting down' };
    const personKey = `${subscriber.tenantId}:${subscriber.employeeId}`;
    const held = this.perPerson.get(personKey) ?? 0;
    if (held >= this.limits.perPerson)
      return {
        ok: false,
        reason: `at most ${this.limits.perPerson} live streams per person; close another tab first`,
      };
    if (this.total >= this.limits.total)
      return { ok: false, reason: 'this server holds as many live streams as it may; retry later' };
    let subscribers = this.byTenant.get(subscriber.tenantId);
    if (!subscribers) this.byTenant.set(subscriber.tenantId, (subscribers = new Set()));
    subscribers.add(subscriber);
    this.perPerson.set(personKey, held + 1);
    this.total += 1;
    let done = false;
    return {
      ok: true,
      unsubscribe: () => {
        if (done) return;
        done = true;
        subscribers.delete(subscriber);
        if (subscribers.size === 0) this.byTenant.delete(subscriber.tenantId);
        const left = (this.perPerson.get(personKey) ?? 1) - 1;
        if (left > 0) this.perPerson.set(personKey, left);
        else this.perPerson.delete(personKey);
        this.total -= 1;
      },
    };
  }

  /** Open streams on this server (metrics, tests). */
  get open(): number {
    return this.total;
  }

  /** Sends a committed change to the streams of the people who may see the process. */
  async deliver(change: ProcessChange): Promise<void> {
    const subscribers = this.byTenant.get(change.tenantId);
    if (!subscribers || subscribers.size === 0) return;
    if (change.notified && change.notified.length > 0) {
      const notified = new Set(change.notified);
      for (const subscriber of [...subscribers])
        if (notified.has(subscriber.employeeId)) subscriber.notification?.(change.processId);
    }
    // A notification alone (a failed action) changed no process.
    if (change.kinds.length === 0) return;
    let allowed: (employeeId: string) => boolean;
    if (change.people) {
      const people = new Set(change.people);
      allowed = (id) => people.has(id);
    } else {
      const found = await this.processes.get(change.tenantId, change.processId);
      if (!found.ok) return;
      const { definition, state } = found.value;
      allowed = (id) => canSeeProcess(definition, state, id);
    }
    for (const subscriber of [...subscribers])
      if (allowed(subscriber.employeeId)) subscriber.change(change.processId, change.kinds);
  }

  /**
   * Whether the session behind a stream still holds (not signed out, not expired, not idle). Read
   * without touching it: an open stream alone does not keep a session alive.
   */
  async sessionHolds(session: Pick<PersonSession, 'tokenHash'>): Promise<boolean> {
    const stored = await repositories(this.ctx.db).sessions.find(session.tokenHash);
    const now = this.ctx.clock.now();
    return stored !== undefined && stored.expiresAt > now && stored.lastSeenAt + this.idleMs > now;
  }

  /**
   * Ends every stream: changes may have been missed (the feed between servers was interrupted), so
   * clients reconnect and refetch. With `shutdown`, no new stream is accepted afterwards.
   */
  closeAll(options: { shutdown?: boolean } = {}): void {
    if (options.shutdown) this.shut = true;
    for (const subscribers of [...this.byTenant.values()])
      for (const subscriber of [...subscribers]) subscriber.close();
  }
}
