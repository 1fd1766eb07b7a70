import type { FlowDefinition } from '../../engine/definition.js';
import type { EngineEvent, ProcessState } from '../../engine/process.js';
import type { NewJob } from '../../store/job.repository.js';
import type { JobRow } from '../../store/job.repository.js';
import type { NewNotification } from '../../store/notification.repository.js';
import { inTransaction, type Repositories, type ServiceContext } from '../context.js';
import { ok } from '../result.js';
import type { PlannedNotification } from './kinds.js';
import { planActionFailed, planNotifications, planRequestCompleted } from './planner.js';
import { effectivePreferences, nextDigest } from './preferences.js';

/** The job kind the senders run (src/events/notification-sender.ts). */
export const NOTIFY_JOB = 'notify';

export type NotifyPayload =
  | { channel: 'email' | 'chat'; notificationId: string }
  /** Everything waiting for the person's daily digest, in one email. */
  | { channel: 'digest'; recipientId: string };

/** What a write of notifications did: who got a new in-app one (for live updates), and whether it wrote jobs (email, chat, digest) for the runner to send. */
export interface Written {
  told: string[];
  jobs: boolean;
}

/** Bounds of a person's list: the newest this many, none older than that. */
export const NOTIFICATIONS_KEPT = 500;
export const NOTIFICATION_DAYS = 90;
/**
 * A person's list is pruned at every this many in-app notifications written for them here (counted
 * from this server's start): pruning reads the person's newest 500, so a list may run at most this
 * many over before it is cut back.
 */
export const PRUNE_EVERY = 64;
/** People whose count is kept; past it the counts start again (a forgotten count only delays a prune). */
const COUNTED_PEOPLE = 10_000;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Writes notifications inside the transaction of the command that caused them: the in-app rows,
 * and a `notify` job per email or chat message (or the person's digest job), as their preferences
 * say. Nothing here touches the network, so a slow SMTP server never holds a command up.
 */
export class Notifier {
  /** In-app notifications written per person since their list was last pruned (or this server started). */
  private readonly sincePrune = new Map<string, number>();

  constructor(private readonly ctx: ServiceContext) {}

  /** A command's notifications, in its transaction. */
  async record(
    repos: Repositories,
    tenantId: string,
    _definition: FlowDefinition,
    before: ProcessState | undefined,
    after: ProcessState,
    events: readonly EngineEvent[],
  ): Promise<Written> {
    return this.write(repos, tenantId, planNotifications(before, after, events));
  }

  /** Writes planned notifications (own transaction of the caller). */
  async write(
    repos: Repositories,
    tenantId: string,
    planned: readonly PlannedNotification[],
  ): Promise<Written> {
    if (planned.length === 0) return { told: [], jobs: false };
    const now = this.ctx.clock.now();
    const stored = await repos.notifications.preferencesOf(planned.map((n) => n.recipientId));
    const smtp = await repos.notifications.smtpOf(tenantId);
    const rows: NewNotification[] = [];
    const jobs: NewJob[] = [];
    /** In-app rows per recipient, in this write. */
    const inApp = new Map<string, number>();
    for (const n of planned) {
      const prefs = effectivePreferences(stored.get(n.recipientId));
      const wants = prefs.channels[n.kind];
      const email = smtp !== undefined && wants.email;
      const chat = prefs.chatWebhook !== null && wants.chat;
      if (!wants.in_app && !email && !chat) continue;
      const id = this.ctx.ids.next();
      const digest = email && prefs.digestDaily;
      rows.push({ id, tenantId, ...n, createdAt: now, inApp: wants.in_app, digest });
      if (wants.in_app) inApp.set(n.recipientId, (inApp.get(n.recipientId) ?? 0) + 1);
      const job = (
        key: string,
        payload: NotifyPayload,
        dueAt = now,
        processId: string | undefined = n.processId,
      ) => jobs.push({ id: this.ctx.ids.next(), tenantId, kind: NOTIFY_JOB, key, processId, dueAt, payload });
      if (digest) {
        const next = nextDigest(now, prefs.digestHour, prefs.timeZone);
        job(
          `digest:${n.recipientId}:${next.date}`,
          { channel: 'digest', recipientId: n.recipientId },
          next.dueAt,
          undefined,
        );
      } else if (email) job(`${id}:email`, { channel: 'email', notificationId: id });
      if (chat) job(`${id}:chat`, { channel: 'chat', notificationId: id });
    }
    await repos.notifications.insert(rows);
    if (jobs.length > 0) await repos.jobs.enqueue(jobs, now);
    // Bounded lists: once a person has PRUNE_EVERY new in-app rows here, their oldest go (not on every
    // write: a prune reads the person's whole list).
    for (const [recipient, added] of inApp) {
      const count = (this.sincePrune.get(recipient) ?? 0) + added;
      if (count < PRUNE_EVERY) {
        if (this.sincePrune.size >= COUNTED_PEOPLE && !this.sincePrune.has(recipient))
          this.sincePrune.clear();
        this.sincePrune.set(recipient, count);
        continue;
      }
      this.sincePrune.delete(recipient);
      await repos.notifications.prune(recipient, NOTIFICATIONS_KEPT, now - NOTIFICATION_DAYS * DAY_MS);
    }
    return { told: [...inApp.keys()], jobs: jobs.length > 0 };
  }

  /**
   * The business action of a completed request took effect: its initiator is told (call it in the
   * action's transaction; publish the returned recipients as `notified` after the commit).
   */
  requestCompleted(repos: Repositories, tenantId: string, state: ProcessState): Promise<Written> {
    return this.write(repos, tenantId, planRequestCompleted(state));
  }

  /**
   * A job of a process failed for good (the job runner's `onFailed`): the flow's process admins are
   * told, in-app and as they prefer, in a transaction of its own; live streams hear of it.
   */
  async actionFailed(job: Pick<JobRow, 'tenant_id' | 'process_id'>): Promise<void> {
    const processId = job.process_id;
    if (processId === null) return;
    const tenantId = job.tenant_id;
    let recipients: Written = { told: [], jobs: false };
    await inTransaction(this.ctx.db, async (repos) => {
      const record = await repos.processes.find(tenantId, processId);
      if (!record) return ok(null);
      const published = await repos.definitions.version(
        record.state.definitionId,
        record.state.definitionVersion,
      );
      if (!published) return ok(null);
      recipients = await this.write(repos, tenantId, planActionFailed(published.definition, processId));
      return ok(null);
    });
    if (recipients.told.length > 0)
      this.ctx.processChanged?.({ tenantId, processId, kinds: [], people: [], notified: recipients.told });
    this.ctx.jobsWritten?.();
  }
}
