import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { longConnectionRefusal } from '../services/app.service.js';
import { repositories } from '../services/context.js';
import type { Database } from '../store/schema.js';

/** What the watcher needs from the long-connection hub. */
export interface AccessGrantHolder {
  /** Apps with live connections or unused tickets on this server, with the access revisions granted. */
  accessGrants(): Map<string, Set<number>>;
  /** Closes connections and forgets tickets of the app granted under any revision but `keep`. */
  revokeAccess(appInternalId: string, keep: number | undefined, reason: string): number;
}

export interface RevocationWatcherOptions {
  db: Kysely<Database>;
  hub: AccessGrantHolder;
  logger: Logger;
  /** How often the apps with connections here are re-read; the design target is "within a second". */
  intervalMs: number;
}

/**
 * Closes long connections whose app lost the right to them: a new secret, the app or its tenant
 * deleted, no event types or no read scope left, webhook mode. Each server holds its own sockets
 * while the change may be made through any server of the cluster, so every server reads the current
 * state of just the apps it has connections (or unused tickets) for, every `intervalMs`, and at once
 * after a change made through itself. Plain reads on the shared database: no dialect-specific
 * notification channel is needed.
 */
export class AppRevocationWatcher {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = true;

  constructor(private readonly o: RevocationWatcherOptions) {}

  start(): void {
    this.stopped = false;
    this.schedule(this.o.intervalMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  /** A change was made through this server: check now rather than at the next interval. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.schedule(0);
  }

  private schedule(delayMs: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.running = this.check()
        .then(() => undefined)
        .catch((error: unknown) => {
          this.o.logger.warn({ err: error }, 'checking long connections against app access failed');
        })
        .finally(() => {
          this.running = undefined;
          if (this.stopped) return;
          const now = this.again;
          this.again = false;
          this.schedule(now ? 0 : this.o.intervalMs);
        });
    }, delayMs);
    this.timer.unref();
  }

  /** One pass: closes what must close; returns how many connections were closed. */
  async check(): Promise<number> {
    const grants = this.o.hub.accessGrants();
    if (grants.size === 0) return 0;
    const current = await repositories(this.o.db).apps.accessOf([...grants.keys()]);
    let closed = 0;
    for (const [appInternalId, revisions] of grants) {
      const app = current.get(appInternalId);
      const refusal = app ? longConnectionRefusal(app) : 'the app was deleted';
      if (refusal) {
        closed += this.o.hub.revokeAccess(appInternalId, undefined, `access revoked: ${refusal}`);
        continue;
      }
      if (app && [...revisions].some((r) => r !== app.accessRevision))
        closed += this.o.hub.revokeAccess(
          appInternalId,
          app.accessRevision,
          'access revoked: the app secret or event settings changed',
        );
    }
    if (closed > 0)
      this.o.logger.info({ closed }, 'closed long connections of apps whose access was withdrawn');
    return closed;
  }
}
