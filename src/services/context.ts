import type { Kysely } from 'kysely';
import type { Clock } from '../platform/clock.js';
import type { IdGenerator } from '../platform/id-generator.js';
import type { SecretBox } from '../platform/secrets.js';
import type { Database } from '../store/schema.js';
import type { Executor } from '../store/executor.js';
import { TenantRepository } from '../store/tenant.repository.js';
import { DepartmentRepository } from '../store/department.repository.js';
import { EmployeeRepository } from '../store/employee.repository.js';
import { RoleRepository } from '../store/role.repository.js';
import { AppRepository } from '../store/app.repository.js';
import { TokenRepository } from '../store/token.repository.js';
import { SettingRepository } from '../store/setting.repository.js';
import { DefinitionRepository } from '../store/definition.repository.js';
import { ProcessRepository } from '../store/process.repository.js';
import { DeliveryRepository } from '../store/delivery.repository.js';
import { SessionRepository } from '../store/session.repository.js';
import { PreferenceRepository } from '../store/preference.repository.js';
import { InboxRepository } from '../store/inbox.repository.js';
import { FileRepository } from '../store/file.repository.js';
import { TenantAdminRepository } from '../store/tenant-admin.repository.js';
import { CalendarRepository, JobRepository } from '../store/job.repository.js';
import { LeaveRepository } from '../store/leave.repository.js';
import { DelegationRepository } from '../store/delegation.repository.js';
import { NotificationRepository } from '../store/notification.repository.js';
import type { OutboxRow } from '../store/process.repository.js';
import type { Result } from './result.js';
import type { ProcessChange } from './live.service.js';

/** What every service gets from the composition root. */
export interface ServiceContext {
  db: Kysely<Database>;
  clock: Clock;
  ids: IdGenerator;
  secrets: SecretBox;
  /**
   * Makes the deliveries of a command batch's new outbox rows in the batch's own transaction, before
   * it commits (one write path: no second transaction to take the rows, no second commit); what it
   * returns runs after the commit (the events it leased leave then; it must not throw). Without it,
   * the rows are written for a dispatcher to take on its next round.
   */
  fanOut?: (trx: Kysely<Database>, rows: readonly OutboxRow[]) => Promise<(() => void) | undefined>;
  /** Called after deliveries were made due again (retry, re-send): the dispatcher looks at every queue. */
  deliveriesDue?: () => void;
  /**
   * Called after a transaction that may have withdrawn an app's access (new secret, app or tenant
   * deleted, event settings changed) committed: this server re-checks its long connections at once.
   */
  accessChanged?: () => void;
  /** Called after a process change committed (any actor): feeds the people API's live updates. */
  processChanged?: (change: ProcessChange) => void;
  /** Called after a transaction that wrote jobs committed (the job runner wakes up). */
  jobsWritten?: () => void;
}

export interface Repositories {
  tenants: TenantRepository;
  departments: DepartmentRepository;
  employees: EmployeeRepository;
  roles: RoleRepository;
  apps: AppRepository;
  tokens: TokenRepository;
  settings: SettingRepository;
  definitions: DefinitionRepository;
  processes: ProcessRepository;
  deliveries: DeliveryRepository;
  sessions: SessionRepository;
  preferences: PreferenceRepository;
  inbox: InboxRepository;
  files: FileRepository;
  tenantAdmins: TenantAdminRepository;
  jobs: JobRepository;
  calendars: CalendarRepository;
  leave: LeaveRepository;
  delegations: DelegationRepository;
  notifications: NotificationRepository;
}

export function repositories(db: Executor): Repositories {
  return {
    tenants: new TenantRepository(db),
    departments: new DepartmentRepository(db),
    employees: new EmployeeRepository(db),
    roles: new RoleRepository(db),
    apps: new AppRepository(db),
    tokens: new TokenRepository(db),
    settings: new SettingRepository(db),
    definitions: new DefinitionRepository(db),
    processes: new ProcessRepository(db),
    deliveries: new DeliveryRepository(db),
    sessions: new SessionRepository(db),
    preferences: new PreferenceRepository(db),
    inbox: new InboxRepository(db),
    files: new FileRepository(db),
    tenantAdmins: new TenantAdminRepository(db),
    jobs: new JobRepository(db),
    calendars: new CalendarRepository(db),
    leave: new LeaveRepository(db),
    delegations: new DelegationRepository(db),
    notifications: new NotificationRepository(db),
  };
}

class Rollback extends Error {
  constructor(readonly result: Result<never>) {
    super('rollback');
  }
}

/**
 * Runs `work` in one transaction. A failure value rolls everything back, so a rejected request
 * changes nothing; exceptions roll back too and propagate.
 */
export async function inTransaction<T>(
  db: Kysely<Database>,
  work: (repos: Repositories, trx: Executor) => Promise<Result<T>>,
): Promise<Result<T>> {
  try {
    return await db.transaction().execute(async (trx) => {
      const result = await work(repositories(trx), trx);
      if (!result.ok) throw new Rollback(result);
      return result;
    });
  } catch (error) {
    if (error instanceof Rollback) return error.result;
    throw error;
  }
}
