import { AppService } from './app.service.js';
import type { UrlVerifier } from './ports.js';
import { PrincipalCache } from './principal-cache.js';
import { DeliveryService } from './delivery.service.js';
import { AuthService } from './auth.service.js';
import type { ServiceContext } from './context.js';
import { DepartmentService } from './department.service.js';
import { EmployeeService } from './employee.service.js';
import { IdMappingService } from './id-mapping.service.js';
import { RoleService } from './role.service.js';
import { TenantService } from './tenant.service.js';
import { DefinitionService } from './definition.service.js';
import { DirectorySnapshots } from './directory-snapshot.js';
import { ProcessService } from './process.service.js';
import { GroupCommit, type GroupCommitOptions } from './group-commit.js';
import { SessionService, type SessionPolicy } from './session.service.js';
import { FileService } from './file.service.js';
import { LiveService } from './live.service.js';

/** Every use case the HTTP layer may call; built once by the composition root. */
export interface Services {
  tenants: TenantService;
  departments: DepartmentService;
  employees: EmployeeService;
  roles: RoleService;
  apps: AppService;
  auth: AuthService;
  ids: IdMappingService;
  definitions: DefinitionService;
  processes: ProcessService;
  deliveries: DeliveryService;
  sessions: SessionService;
  /** Uploaded files (people API uploads and downloads; the FileLookup port of other services). */
  files: FileService;
  /** The people API's live streams on this server. */
  live: LiveService;
  /** Round trip to the database, for readiness. */
  ping(): Promise<void>;
}

export function createServices(
  ctx: ServiceContext,
  ping: () => Promise<void>,
  ports: { urlVerifier?: UrlVerifier } = {},
  groupCommit: GroupCommitOptions = { maxBatch: 64, lanes: 1 },
  sessionPolicy?: SessionPolicy,
): Services {
  const snapshots = new DirectorySnapshots();
  const principals = new PrincipalCache();
  const definitions = new DefinitionService(ctx, snapshots);
  const processes = new ProcessService(
    ctx,
    snapshots,
    definitions,
    new GroupCommit(ctx.db, groupCommit, () => ctx.outboxWritten?.()),
    definitions.published,
  );
  const sessions = new SessionService(ctx, sessionPolicy);
  // Also the FileLookup port of services that reference files (starting processes, comments).
  const files = new FileService(ctx, processes);
  return {
    definitions,
    processes,
    deliveries: new DeliveryService(ctx),
    sessions,
    files,
    live: new LiveService(ctx, processes, sessions.policy.idleMs),
    tenants: new TenantService(ctx, principals),
    departments: new DepartmentService(ctx),
    employees: new EmployeeService(ctx),
    roles: new RoleService(ctx),
    apps: new AppService(ctx, ports.urlVerifier, principals),
    auth: new AuthService(ctx, principals),
    ids: new IdMappingService(ctx),
    ping,
  };
}
