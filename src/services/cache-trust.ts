/**
 * Whether this server hears every change to cached data: on PostgreSQL while the cache bus LISTENs
 * (events/cache-bus.ts), on SQLite always (one server, every write goes through it). Until then —
 * and in tools and unit tests that have no bus — caches check the database as they did before
 * there was a bus. `epoch` moves whenever trust is gained or lost: a value read from the database
 * under another epoch is not trusted, as a change may have been missed between the two.
 */
export class CacheTrust {
  private state = false;
  epoch = 0;

  constructor(trusted = false) {
    this.state = trusted;
  }

  get trusted(): boolean {
    return this.state;
  }

  set(trusted: boolean): void {
    this.state = trusted;
    this.epoch += 1;
  }
}

/**
 * Even a trusted entry is checked against the database this often: a backstop for writes that do
 * not go through PeopleFlow's repositories (an operator's SQL, a tool on a SQLite file the server has
 * open). It costs one query per entry per period, not one per request.
 */
export const TRUSTED_BACKSTOP_MS = 60_000;
