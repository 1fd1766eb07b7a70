import { AppService } from './app.service.js';
import type { FileLookup, UrlVerifier } from './ports.js';
import { PrincipalCache } from './principal-cache.js';
import { Caches, CacheTrust } from './caches.js';
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
import { ReadCache } from './read-cache.js';
import { ProcessService } from './process.service.js';
import { GroupCommit, type GroupCommitOptions } from './group-commit.js';
import { SessionService, type SessionPolicy } from './session.service.js';
import { SessionCache } from './session-cache.js';
import { ApprovalCenterService } from './approval-center.service.js';
import { InboxService } from './inbox.service.js';
import { CredentialService } from './credential.service.js';
import { SsoService } from './sso.service.js';
import { PersonCommands } from './person-commands.js';
import { FileService } from './file.service.js';
import { LiveService } from './live.service.js';
import { ConsoleAccessService } from './console-access.service.js';
import { ConsoleFlowService } from './console-flows.service.js';
import { CanvasPreviewService } from './canvas-preview.service.js';
import { SimulationService } from './simulation.service.js';
import { DirectoryImportService } from './directory-import.service.js';
import { ProcessMonitoring } from './monitoring.service.js';
import { CalendarService } from './calendar.service.js';
import { SystemJobService } from './system-jobs.service.js';
import { actionFor } from './actions/index.js';
import { EmulatorClockService } from './emulator-clock.service.js';
import type { ControllableClock } from '../platform/clock.js';
import { LeaveService } from './leave.service.js';
import { DelegationService } from './delegation.service.js';
import { Notifier } from './notifications/notifier.js';
import { NotificationService } from './notifications/notification.service.js';
import type { WebhookTargetCheck } from './notifications/preferences.js';
import { TargetGuard } from '../events/target-guard.js';

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
  /** The people API's requests before they exist: directory, flows, preview, start. */
  approvalCenter: ApprovalCenterService;
  /** The approval center's tabs and batch approval. */
  inbox: InboxService;
  /** Local passwords and invite links. */
  credentials: CredentialService;
  /** Each tenant's OpenID Connect single sign-on. */
  sso: SsoService;
  /** The people API's actions on one process, as the signed-in person. */
  personCommands: PersonCommands;
  /** Uploaded files (people API uploads and downloads; the FileLookup port of other services). */
  files: FileService;
  /** The people API's live streams on this server. */
  live: LiveService;
  /** Who may use the admin console: tenant admins, process admins of flows. */
  consoleAccess: ConsoleAccessService;
  /** The console's flow definitions: scoped lists, drafts saved by revision, pinned problems, templates. */
  consoleFlows: ConsoleFlowService;
  /** The flow designer's path preview of an unsaved document, for a chosen initiator. */
  canvasPreview: CanvasPreviewService;
  /** The console's organisation simulation and publish impact (read-only). */
  simulation: SimulationService;
  /** CSV import of departments and employees: dry run, then an all-or-nothing apply. */
  directoryImport: DirectoryImportService;
  /** The console's process monitoring: search, CSV export, reassign / return / withdraw / revoke as an admin. */
  monitoring: ProcessMonitoring;
  /** Processes' system jobs (timers, business actions) for admins, and the approver's action preview. */
  systemJobs: SystemJobService;
  /** Each tenant's working-time calendar (timers count in it). */
  calendars: CalendarService;
  /** The emulator's clock control (`POST /admin/v1/clock`). */
  emulatorClock: EmulatorClockService;
  /** Leave types, balances and the leave ledger (docs/leave.md). */
  leave: LeaveService;
  /** People's out-of-office delegations (people API). */
  delegations: DelegationService;
  /** Notifications: written with each command (the notifier); the people API's list and preferences, SMTP settings. */
  notifier: Notifier;
  notifications: NotificationService;
  /** Rendered hot reads (process detail, to-do lists), forgotten as soon as what they show changes. */
  reads: ReadCache;
  /** Caches of data other servers may change; the cache bus keeps them right (docs/scaling.md). */
  caches: Caches;
  /** Round trip to the database, for readiness. */
  ping(): Promise<void>;
}

export function createServices(
  ctx: ServiceContext,
  ping: () => Promise<void>,
  ports: {
    urlVerifier?: UrlVerifier;
    files?: FileLookup;
    controllableClock?: ControllableClock;
    notificationTargets?: WebhookTargetCheck;
    /** Whether rendered reads may be served from memory now (see ReadCache); default: always (one server). */
    readsTrusted?: () => boolean;
    /** What one person's uploads attached to no request may add up to (FileService). */
    unattachedFilesBytes?: number;
  } = {},
  groupCommit: GroupCommitOptions = { maxBatch: 64, lanes: 1 },
  sessionPolicy?: SessionPolicy,
): Services {
  // Untrusted until the server's cache bus says every change reaches it (events/cache-bus.ts).
  const trust = new CacheTrust();
  const snapshots = new DirectorySnapshots(ctx.clock, trust);
  const principals = new PrincipalCache(2000, 10_000, trust);
  const targets = ports.notificationTargets ?? new TargetGuard([]);
  const definitions = new DefinitionService(ctx, snapshots, targets);
  const calendars = new CalendarService(ctx, trust);
  const notifier = new Notifier(ctx);
  const reads = new ReadCache(ctx.clock, ports.readsTrusted);
  const processes = new ProcessService(
    ctx,
    snapshots,
    definitions,
    new GroupCommit(ctx.db, groupCommit, undefined, ctx.fanOut),
    definitions.published,
    calendars,
    notifier,
    reads,
  );
  const sessionCache = new SessionCache(10_000, trust);
  const sessions = new SessionService(ctx, sessionPolicy, sessionCache);
  // Also the FileLookup port of services that reference files (starting processes, comments).
  const files = new FileService(ctx, processes, ports.unattachedFilesBytes);
  const approvalCenter = new ApprovalCenterService(definitions, processes, files);
  return {
    definitions,
    processes,
    reads,
    approvalCenter,
    canvasPreview: new CanvasPreviewService(definitions, processes, approvalCenter),
    inbox: new InboxService(ctx, definitions, processes),
    personCommands: new PersonCommands(processes, ctx.clock, files),
    deliveries: new DeliveryService(ctx),
    sessions,
    credentials: new CredentialService(ctx),
    sso: new SsoService(ctx),
    files,
    live: new LiveService(ctx, processes, sessions.policy.idleMs),
    consoleAccess: new ConsoleAccessService(ctx, definitions),
    consoleFlows: new ConsoleFlowService(ctx, definitions, snapshots),
    simulation: new SimulationService(ctx, snapshots, definitions),
    directoryImport: new DirectoryImportService(ctx),
    monitoring: new ProcessMonitoring(ctx, processes, definitions),
    leave: new LeaveService(ctx),
    delegations: new DelegationService(ctx, processes, snapshots),
    tenants: new TenantService(ctx, principals),
    departments: new DepartmentService(ctx),
    employees: new EmployeeService(ctx),
    roles: new RoleService(ctx),
    apps: new AppService(ctx, ports.urlVerifier, principals),
    auth: new AuthService(ctx, principals),
    ids: new IdMappingService(ctx),
    calendars,
    systemJobs: new SystemJobService(ctx, processes, actionFor, () => ctx.jobsWritten?.()),
    emulatorClock: new EmulatorClockService(ctx, ports.controllableClock),
    notifier,
    notifications: new NotificationService(ctx, snapshots, definitions.published, targets),
    caches: new Caches(trust, principals, snapshots, calendars, sessionCache),
    ping,
  };
}
