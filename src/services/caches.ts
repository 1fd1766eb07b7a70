import type { CacheChange } from '../store/cache-changes.js';
import type { CalendarService } from './calendar.service.js';
import { CacheTrust } from './cache-trust.js';
import type { DirectorySnapshots } from './directory-snapshot.js';
import type { PrincipalCache } from './principal-cache.js';

/** This server's caches of data other servers may change (docs/scaling.md), and what to do on a change. */
export class Caches {
  constructor(
    readonly trust: CacheTrust,
    readonly principals: PrincipalCache,
    readonly snapshots: DirectorySnapshots,
    readonly calendars: CalendarService,
  ) {}

  apply(change: CacheChange): void {
    switch (change.kind) {
      case 'app':
        this.principals.forgetApp(change.appId);
        return;
      case 'tenant':
        this.principals.forgetTenant(change.tenantId);
        this.snapshots.forget(change.tenantId);
        this.calendars.forget(change.tenantId);
        return;
      case 'directory':
        this.snapshots.changed(change.tenantId, change.version);
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
  }
}

export { CacheTrust };
