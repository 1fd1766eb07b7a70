import type { Migration, MigrationProvider } from 'kysely';
import * as m0001 from './0001-foundation.js';
import * as m0002 from './0002-processes.js';
import * as m0003 from './0003-event-delivery.js';
import * as m0004 from './0004-keyset-indexes.js';
import * as m0005 from './0005-app-access-revision.js';
import * as m0006 from './0006-people-sessions.js';
import * as m0009 from './0009-files.js';
import * as m0007 from './0007-people-sign-in.js';
import * as m0008 from './0008-inbox.js';
import * as m0010 from './0010-console-admins.js';
import * as m0011 from './0011-flow-drafts.js';
import * as m0014 from './0014-delivery-log-indexes.js';
import * as m0016 from './0016-process-monitoring.js';
import * as m0017 from './0017-jobs.js';
import * as m0018 from './0018-employee-profile.js';
import * as m0019 from './0019-leave.js';
import * as m0020 from './0020-delegations.js';
import * as m0021 from './0021-notifications.js';
import * as m0022 from './0022-delegation-jobs.js';
import * as m0023 from './0023-rate-limits.js';
import * as m0024 from './0024-delivery-queue-index.js';
import * as m0025 from './0025-task-process-columns.js';
import * as m0026 from './0026-outbox-unfanned-index.js';
import * as m0027 from './0027-open-delivery-indexes.js';
import * as m0028 from './0028-lease-keeps-status.js';
import * as m0029 from './0029-delivery-indexes-without-status.js';
import * as m0030 from './0030-open-indexes-by-mode.js';
import * as m0031 from './0031-retention-indexes.js';
import * as m0032 from './0032-notification-lists.js';

/** Migrations are compiled in, not read from disk, so `dist/` and `tsx` runs behave the same. */
export const migrationProvider: MigrationProvider = {
  getMigrations(): Promise<Record<string, Migration>> {
    return Promise.resolve({
      '0001-foundation': m0001,
      '0002-processes': m0002,
      '0003-event-delivery': m0003,
      '0004-keyset-indexes': m0004,
      '0005-app-access-revision': m0005,
      '0006-people-sessions': m0006,
      '0009-files': m0009,
      '0007-people-sign-in': m0007,
      '0008-inbox': m0008,
      '0010-console-admins': m0010,
      '0011-flow-drafts': m0011,
      '0014-delivery-log-indexes': m0014,
      '0016-process-monitoring': m0016,
      '0017-jobs': m0017,
      '0018-employee-profile': m0018,
      '0019-leave': m0019,
      '0020-delegations': m0020,
      '0021-notifications': m0021,
      '0022-delegation-jobs': m0022,
      '0023-rate-limits': m0023,
      '0024-delivery-queue-index': m0024,
      '0025-task-process-columns': m0025,
      '0026-outbox-unfanned-index': m0026,
      '0027-open-delivery-indexes': m0027,
      '0028-lease-keeps-status': m0028,
      '0029-delivery-indexes-without-status': m0029,
      '0030-open-indexes-by-mode': m0030,
      '0031-retention-indexes': m0031,
      '0032-notification-lists': m0032,
    });
  },
};
