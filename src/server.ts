import {
  accessSync,
  chmodSync,
  closeSync,
  constants,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import pino, { type Logger } from 'pino';
import type { Config } from './config.js';
import { buildHttpApp, type HttpApp, type HttpAppOptions } from './api/http-app.js';
import { defaultWebDir } from './api/web-app.js';
import { ControllableClock, systemClock, type Clock } from './platform/clock.js';
import { collectGarbageNow } from './platform/full-gc.js';
import { warmNextTick } from './platform/next-tick-warmup.js';
import { IdGenerator } from './platform/id-generator.js';
import { SecretBox, parseMasterKey } from './platform/secrets.js';
import {
  DatabaseUrlError,
  migrateToLatest,
  openDatabase,
  parseDatabaseUrl,
  redactUrl,
  type DatabaseHandle,
} from './store/database.js';
import { createServices, type Services } from './services/index.js';
import { DemoService, type DemoManifest } from './services/demo.service.js';
import { TargetGuard } from './events/target-guard.js';
import { httpActionJobHandler } from './services/jobs/http-action-jobs.js';
import { WebhookUrlVerifier } from './events/webhook-sender.js';
import { DeliveryMetrics } from './events/metrics.js';
import { LongConnectionHub } from './events/long-connection.js';
import { EventDispatcher } from './events/dispatcher.js';
import { StatementProfile } from './store/statement-profile.js';
import { AppRevocationWatcher } from './events/app-revocation.js';
import { repositories } from './services/context.js';
import { LocalLiveBus, PostgresLiveBus, type LiveBus } from './events/live-bus.js';
import { LocalCacheBus, PostgresCacheBus, type CacheBus } from './events/cache-bus.js';
import { memoryLimiters, postgresLimiters } from './api/auth/limiters.js';
import { JobRunner } from './services/jobs/runner.js';
import { DataRetention } from './services/retention.js';
import { timerJobHandler } from './services/jobs/timer-jobs.js';
import { delegationJobHandlers } from './services/jobs/delegation-jobs.js';
import {
  actionJobHandler,
  compensateJobHandler,
  hasFollowUp,
  moveLeaversTasks,
} from './services/jobs/action-jobs.js';
import type { ActionPlan, BusinessAction } from './services/actions/types.js';
import { registerNotificationJobs } from './services/notifications/sender.js';
import type { Repositories } from './services/context.js';
import type { Result } from './services/result.js';
import type { ProcessState } from './engine/process.js';
import { actionFor } from './services/actions/index.js';
import { storedClockOffset } from './services/emulator-clock.service.js';

/** A start-up problem the operator can fix; the CLI prints the message and exits non-zero. */
export class StartupError extends Error {}

export interface StartOptions {
  clock?: Clock;
  logger?: Logger;
  /** Extra routes, for tests and for later modules. */
  extend?: HttpAppOptions['extend'];
  /** The built web app served at `/` (default: `dist/web` of this package). */
  webDir?: string;
  /** false: the job runner does not run by itself (a test drives its own over the same database). */
  runJobs?: boolean;
}

export interface RunningServer {
  app: HttpApp;
  jobs: JobRunner;
  dispatcher: EventDispatcher;
  /** Deletes delivered events, old notifications and ended sessions, hourly. */
  retention: DataRetention;
  hub: LongConnectionHub;
  /** Keeps the caches right across servers (PostgreSQL: LISTEN/NOTIFY). */
  cacheBus: CacheBus;
  url: string;
  services: Services;
  database: DatabaseHandle;
  demo?: DemoManifest;
  /** Stops accepting, lets in-flight requests finish, then closes the database. */
  close(): Promise<void>;
}

export function createLogger(config: Pick<Config, 'logLevel'>): Logger {
  return pino({
    level: config.logLevel,
    base: { service: 'peopleflow' },
    redact: {
      paths: ['req.headers.authorization', 'app_secret', 'tenant_access_token'],
      censor: '[redacted]',
    },
  });
}

/**
 * The data directory holds the database, the master key and the demo manifest (with the admin
 * token): only the server's user may read it. Existing files are tightened too, as an older version
 * or a hand-made directory may have left them readable.
 */
function prepareDataDir(dataDir: string): void {
  try {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    accessSync(dataDir, constants.W_OK);
    const probe = join(dataDir, '.write-probe');
    writeFileSync(probe, '', { mode: 0o600 });
    renameSync(probe, join(dataDir, '.write-probe-ok'));
  } catch (error) {
    throw new StartupError(`the data directory ${dataDir} cannot be written: ${(error as Error).message}`);
  }
  tighten(dataDir, 0o700);
  for (const entry of readdirSync(dataDir, { withFileTypes: true })) {
    if (entry.isFile()) tighten(join(dataDir, entry.name), 0o600);
  }
}

/** chmod, where we may; a file we do not own keeps its mode (it is not ours to change). */
function tighten(path: string, mode: number): void {
  try {
    chmodSync(path, mode);
  } catch {
    // EPERM on a file of another user, or it vanished meanwhile.
  }
}

/**
 * SQLite creates the -wal and -shm files with the database file's mode, so making that file 0600
 * before SQLite opens it keeps all three private.
 */
function prepareSqliteFile(file: string): void {
  if (file === '' || file === ':memory:' || file.startsWith('file:')) return;
  try {
    closeSync(openSync(file, 'a', 0o600));
  } catch {
    return; // SQLite reports the real problem when it opens the file.
  }
  for (const suffix of ['', '-wal', '-shm', '-journal']) {
    if (existsSync(file + suffix)) tighten(file + suffix, 0o600);
  }
}

/** The configured master key, or the one in `<data dir>/master.key`, made on first start. */
export function loadMasterKey(config: Config): Buffer {
  if (config.masterKey !== undefined) {
    try {
      return parseMasterKey(config.masterKey);
    } catch (error) {
      throw new StartupError(`PEOPLEFLOW_MASTER_KEY: ${(error as Error).message}`);
    }
  }
  const file = join(config.dataDir, 'master.key');
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600, flag: 'wx' });
  return parseMasterKey(readFileSync(file, 'utf8'));
}

/**
 * The statement profile diagnostic (docs/operations.md): each SIGUSR2 writes the totals since the
 * previous one to `file` as JSON and starts counting anew.
 */
function profileOnSignal(file: string): StatementProfile {
  const profile = new StatementProfile();
  process.on('SIGUSR2', () => {
    writeFileSync(file, JSON.stringify(profile.take(true), null, 1));
  });
  return profile;
}

export async function openConfiguredDatabase(config: Config): Promise<DatabaseHandle> {
  let database: DatabaseHandle;
  try {
    const { dialect, location } = parseDatabaseUrl(config.databaseUrl);
    if (dialect === 'sqlite') prepareSqliteFile(location);
    database = openDatabase({
      url: config.databaseUrl,
      sqliteSynchronous: config.sqliteSynchronous,
      busyTimeoutMs: config.busyTimeoutMs,
      ...(config.sqlProfile ? { statementProfile: profileOnSignal(config.sqlProfile) } : {}),
    });
    await database.ping();
  } catch (error) {
    if (error instanceof DatabaseUrlError) throw new StartupError(error.message);
    throw new StartupError(
      `cannot open the database ${redactUrl(config.databaseUrl)}: ${(error as Error).message}`,
    );
  }
  try {
    await migrateToLatest(database.db);
  } catch (error) {
    await database.close();
    throw new StartupError(`database migration failed: ${(error as Error).message}`);
  }
  return database;
}

/** `peopleflow admin-token --reset`: a new admin token in the configured database, returned once. */
export async function resetAdminToken(config: Config): Promise<string> {
  prepareDataDir(config.dataDir);
  const secrets = new SecretBox(loadMasterKey(config));
  const database = await openConfiguredDatabase(config);
  try {
    const services = createServices(
      { db: database.db, clock: systemClock, ids: new IdGenerator(systemClock, config.nodeId), secrets },
      () => database.ping(),
    );
    const token = await services.auth.resetAdminToken();
    // The demo manifest carries the admin token for the examples; it follows the reset.
    const manifest = join(config.dataDir, 'demo.json');
    if (existsSync(manifest)) {
      const demo = JSON.parse(readFileSync(manifest, 'utf8')) as DemoManifest;
      writeFileSync(manifest, `${JSON.stringify({ ...demo, admin_token: token }, null, 2)}\n`, {
        mode: 0o600,
      });
    }
    return token;
  } finally {
    await database.close();
  }
}

export async function startServer(config: Config, options: StartOptions = {}): Promise<RunningServer> {
  // Before anything of the start-up queues ticks (src/platform/next-tick-warmup.ts).
  await warmNextTick();
  const logger = options.logger ?? createLogger(config);
  prepareDataDir(config.dataDir);
  const masterKey = loadMasterKey(config);
  const database = await openConfiguredDatabase(config);
  // The emulator's clock resumes where the last run left it: time never runs backwards on restart.
  const controllableClock = !config.clockControl
    ? undefined
    : options.clock instanceof ControllableClock
      ? options.clock
      : new ControllableClock(await storedClockOffset({ db: database.db }));
  const clock = controllableClock ?? options.clock ?? systemClock;
  const ids = new IdGenerator(clock, config.nodeId);
  const secrets = new SecretBox(masterKey);
  const guard = new TargetGuard(config.webhookAllowHosts);
  let readsTrusted = () => database.dialect === 'sqlite';
  const services = createServices(
    {
      db: database.db,
      clock,
      ids,
      secrets,
      fanOut: (trx, rows) => dispatcher.fanOutInTransaction(trx, rows),
      deliveriesDue: () => {
        dispatcher.kick();
      },
      accessChanged: () => {
        revocations.kick();
      },
      processChanged: (change) => {
        live.publish(change);
      },
      jobsWritten: () => {
        jobs.kick();
      },
    },
    () => database.ping(),
    {
      urlVerifier: new WebhookUrlVerifier(guard, config.webhookTimeoutMs, () => clock.now()),
      ...(controllableClock ? { controllableClock } : {}),
      notificationTargets: guard,
      // One server on SQLite hears every change itself; on PostgreSQL the others' changes arrive over
      // LISTEN/NOTIFY, and rendered reads are trusted only while that feed is up.
      readsTrusted: () => readsTrusted(),
      unattachedFilesBytes: config.unattachedFilesMb * 1024 * 1024,
    },
    {
      maxBatch: config.groupCommitMax,
      // SQLite has one connection: one batch at a time. PostgreSQL runs a few side by side and keeps
      // the rest of its pool for reads and the dispatcher.
      lanes: database.dialect === 'sqlite' ? 1 : 4,
    },
    {
      idleMs: config.sessionIdleMinutes * 60 * 1000,
      absoluteMs: config.sessionMaxHours * 60 * 60 * 1000,
    },
  );
  // Caches of apps, tenants, directories and calendars: on PostgreSQL kept right across servers by
  // LISTEN/NOTIFY (docs/scaling.md); rate limits are counted in the database there.
  const cacheBus: CacheBus =
    database.dialect === 'postgres'
      ? new PostgresCacheBus({
          url: config.databaseUrl,
          hooks: database.hooks,
          caches: services.caches,
          logger,
        })
      : new LocalCacheBus(database.hooks, services.caches, database.writtenElsewhere);
  if (cacheBus instanceof PostgresCacheBus) await cacheBus.start();
  const limiters = database.pool ? postgresLimiters(database.pool) : memoryLimiters;
  // Live updates for the people API: on PostgreSQL carried between servers by LISTEN/NOTIFY.
  const deliverLive = (change: Parameters<typeof services.live.deliver>[0]) => {
    // Another server's change (this server's own were heard when they committed).
    services.reads.changed(change);
    return services.live.deliver(change);
  };
  const live: LiveBus =
    database.dialect === 'postgres'
      ? new PostgresLiveBus({
          url: config.databaseUrl,
          db: database.db,
          logger,
          deliver: deliverLive,
          othersChanged: () => {
            dispatcher.kick();
          },
          interrupted: () => {
            services.reads.clear();
            services.live.closeAll();
          },
        })
      : new LocalLiveBus(deliverLive, logger);
  if (live instanceof PostgresLiveBus) {
    await live.start();
    readsTrusted = () => live.listening;
  }
  const metrics = new DeliveryMetrics(() => repositories(database.db).deliveries.countsByStatus());
  const hub: LongConnectionHub = new LongConnectionHub({
    services,
    logger,
    clientConfig: {
      ReconnectCount: -1,
      ReconnectInterval: config.wsReconnectIntervalSeconds,
      ReconnectNonce: config.wsReconnectNonceSeconds,
      PingInterval: config.wsPingIntervalSeconds,
    },
    frameBytes: config.wsFrameBytes,
    maxConnectionsPerApp: 50,
    // The dispatcher is made just below; acks arrive only once connections exist.
    onAck: (appInternalId, deliveryId): Promise<void> => dispatcher.acknowledged(appInternalId, deliveryId),
    onConnected: () => {
      dispatcher.kick();
    },
    metrics,
    baseUrl: config.baseUrl,
    clock,
    limiters,
  });
  const dispatcher: EventDispatcher = new EventDispatcher({
    db: database.db,
    clock,
    ids,
    secrets,
    guard,
    logger,
    metrics,
    hub,
    retryScheduleMs: config.webhookRetryScheduleMs,
    pollIntervalMs: config.dispatchIntervalMs,
    webhookTimeoutMs: config.webhookTimeoutMs,
    ackTimeoutMs: config.wsAckTimeoutMs,
  });
  // Long connections whose app lost access close within a second, on every server of a cluster.
  const revocations: AppRevocationWatcher = new AppRevocationWatcher({
    db: database.db,
    hub,
    logger,
    intervalMs: 300,
  });
  const listening = { url: '' };
  // Timers, business actions, notifications and delegations' hand-overs (docs/adr/0007-durable-jobs.md).
  const jobs: JobRunner = new JobRunner({
    db: database.db,
    clock,
    logger,
    owner: `node-${config.nodeId}-${randomBytes(4).toString('hex')}`,
    pollIntervalMs: config.jobIntervalMs,
    // A process's timer or action that failed for good: its process admins are told.
    onFailed: (job) => {
      if (['action', 'compensate', 'http_action', 'timer'].includes(job.kind))
        void services.notifier.actionFailed(job).catch((error: unknown) => {
          logger.warn({ err: error, job: job.id }, 'could not tell the process admins of a failed job');
        });
    },
  });
  jobs.register('timer', timerJobHandler(services.processes));
  const actionDeps = {
    db: database.db,
    clock,
    secrets,
    processes: services.processes,
    calendars: services.calendars,
    actionFor,
    completedIn: (repos: Repositories, tenantId: string, state: ProcessState) =>
      services.notifier.requestCompleted(repos, tenantId, state),
    transact: <T>(processId: string, work: (repos: Repositories) => Promise<Result<T>>) =>
      services.processes.transact(processId, work),
    applied: async (tenantId: string, action: BusinessAction, plan: ActionPlan) => {
      if (hasFollowUp(action) && plan.employeeId !== undefined)
        await moveLeaversTasks(services.processes, database.db, tenantId, plan.employeeId);
    },
  };
  jobs.register('action', actionJobHandler(actionDeps));
  jobs.register('compensate', compensateJobHandler(actionDeps));
  jobs.register(
    'http_action',
    httpActionJobHandler({
      db: database.db,
      clock,
      secrets,
      guard,
      processes: services.processes,
      timeoutMs: config.webhookTimeoutMs,
    }),
  );
  for (const [kind, handler] of Object.entries(delegationJobHandlers(services.delegations)))
    jobs.register(kind, handler);
  registerNotificationJobs(jobs, {
    db: database.db,
    clock,
    secrets,
    guard,
    // Links in messages: the public URL, else where this server listens (known once it does).
    get baseUrl() {
      return config.baseUrl ?? listening.url;
    },
  });
  // Delivered events, old notifications, ended sessions: bounded (src/services/retention.ts).
  const retention = new DataRetention({
    db: database.db,
    clock,
    logger,
    deliveryDays: config.deliveryRetentionDays,
    sessionIdleMs: config.sessionIdleMinutes * 60_000,
  });
  services.emulatorClock.moved = async () => {
    await jobs.drain();
    dispatcher.kick();
  };
  const admin = await services.auth.prepareAdminToken(config.adminToken);

  let started = false;
  const app = buildHttpApp({
    services,
    logger,
    rateLimit: { requests: config.rateLimitRequests, windowSeconds: config.rateLimitWindowSeconds },
    bodyLimit: config.bodyLimitBytes,
    limits: {
      headersTimeoutMs: config.headersTimeoutMs,
      requestTimeoutMs: config.requestTimeoutMs,
      keepAliveTimeoutMs: config.keepAliveTimeoutMs,
      maxConnections: config.maxConnections,
      maxRequestsPerSocket: config.maxRequestsPerSocket,
    },
    ...(config.baseUrl !== undefined ? { baseUrl: config.baseUrl } : {}),
    authFailureLimit: config.authFailureLimit,
    limiters,
    people: { demo: config.demo, fileSizeLimitBytes: config.fileSizeLimitMb * 1024 * 1024 },
    web: { dir: options.webDir ?? defaultWebDir() },
    started: () => started,
    modules: [
      (app) => {
        hub.registerRoutes(app);
      },
      (app) => {
        app.get('/metrics', async (_request, reply) =>
          reply.header('content-type', metrics.registry.contentType).send(await metrics.registry.metrics()),
        );
      },
    ],
    extend: options.extend,
  });
  hub.attach(app.server);
  try {
    // The routes' schemas compile in ready(); the collection after it gives back V8's shape table
    // (src/platform/full-gc.ts) before the first request rather than at the first full collection under load.
    await app.ready();
    collectGarbageNow();
    await app.listen({ host: config.host, port: config.port });
  } catch (error) {
    await live.close();
    await cacheBus.close();
    await app.close();
    await database.close();
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE')
      throw new StartupError(`port ${config.port} on ${config.host} is already in use`);
    if (code === 'EACCES') throw new StartupError(`not allowed to listen on ${config.host}:${config.port}`);
    throw new StartupError(`cannot listen on ${config.host}:${config.port}: ${(error as Error).message}`);
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  listening.url = url;

  // Stored, and shown, only now that the server is up: a start that failed before this point left
  // no token behind, so the next one makes and shows a new one.
  let generatedAdminToken: string | undefined;
  if (admin.pending !== undefined && (await services.auth.commitAdminToken(admin.pending))) {
    generatedAdminToken = admin.pending;
    process.stderr.write(
      `\nPeopleFlow generated an admin token (shown only now; set PEOPLEFLOW_ADMIN_TOKEN to choose your own, or make a new one with "peopleflow admin-token --reset"):\n  ${generatedAdminToken}\n\n`,
    );
  }

  let demo: DemoManifest | undefined;
  if (config.demo) {
    const file = join(config.dataDir, 'demo.json');
    const existing = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as DemoManifest) : undefined;
    demo = await new DemoService(services).ensure(existing, config.baseUrl ?? url, generatedAdminToken);
    writeFileSync(file, `${JSON.stringify(demo, null, 2)}\n`, { mode: 0o600 });
    logger.info({ manifest: file, tenant_key: demo.tenant_key, app_id: demo.app.app_id }, 'demo data ready');
  }

  dispatcher.start();
  revocations.start();
  if (options.runJobs !== false) jobs.start();
  retention.start();
  started = true;
  logger.info({ url, database: database.dialect }, 'PeopleFlow is listening');
  let closing: Promise<void> | undefined;
  return {
    app,
    jobs,
    dispatcher,
    retention,
    hub,
    cacheBus,
    url,
    services,
    database,
    ...(demo ? { demo } : {}),
    close: () =>
      (closing ??= (async () => {
        await revocations.stop();
        await retention.stop();
        hub.close();
        // Open event streams would hold app.close() up: they end first, and no new one starts.
        services.live.closeAll({ shutdown: true });
        await live.close();
        await app.close();
        await cacheBus.close();
        await jobs.stop();
        await dispatcher.stop();
        await database.close();
      })()),
  };
}
