import type { CacheChange } from '../store/cache-changes.js';
import type { CalendarService } from './calendar.service.js';
import { CacheTrust } from './cache-trust.js';
import type { DirectorySnapshots } from './directory-snapshot.js';
import type { PrincipalCache } from './principal-cache.js';
import type { SessionCache } from './session-cache.js';

/** This server's caches of data other servers may change (docs/scaling.md), and what to do on a change. */
export class Caches {
  constructor(
    readonly trust: CacheTrust,
    readonly principals: PrincipalCache,
    readonly snapshots: DirectorySnapshots,
    readonly calendars: CalendarService,
    readonly sessions: SessionCache,
  ) {}

  apply(change: CacheChange): void {
    switch (change.kind) {
      case 'app':
        this.principals.forgetApp(change.appId);
        return;
      case 'tenant':
        this.principals.forgetTenant(change.tenantId);
        this.sessions.forgetTenant(change.tenantId);
        this.snapshots.forget(change.tenantId);
        this.calendars.forget(change.tenantId);
        return;
      case 'directory':
        this.snapshots.changed(change.tenantId, change.version);
        // A session carries its employee (status, roles): any directory change may touch it.
        this.sessions.forgetTenant(change.tenantId);
        return;
      case 'sessions':
        this.sessions.forgetEmployee(change.employeeId);
        return;
      case 'calendar':
        this.calendars.forget(change.tenantId);
        return;
    }
  }

  /** Trust gained or lost: whatever is cached may have missed changes, so it all goes. */
  reset(trusted: boolean): void {
    this.trust.set(trusted);
    this.principals.clear();
    this.snapshots.clear();
    this.calendars.clear();
    this.sessions.clear();
  }
}

export { CacheTrust };
