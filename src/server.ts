import {
  accessSync,
  constants,
  mkdirSync,
  readFileSync,
  renameSync,
  writeFileSync,
  existsSync,
} from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import pino, { type Logger } from 'pino';
import type { Config } from './config.js';
import { buildHttpApp, type HttpApp, type HttpAppOptions } from './api/http-app.js';
import { systemClock, type Clock } from './platform/clock.js';
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

/** A start-up problem the operator can fix; the CLI prints the message and exits non-zero. */
export class StartupError extends Error {}

export interface StartOptions {
  clock?: Clock;
  logger?: Logger;
  /** Extra routes, for tests and for later modules. */
  extend?: HttpAppOptions['extend'];
}

export interface RunningServer {
  app: HttpApp;
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

function prepareDataDir(dataDir: string): void {
  try {
    mkdirSync(dataDir, { recursive: true });
    accessSync(dataDir, constants.W_OK);
    const probe = join(dataDir, '.write-probe');
    writeFileSync(probe, '');
    renameSync(probe, join(dataDir, '.write-probe-ok'));
  } catch (error) {
    throw new StartupError(`the data directory ${dataDir} cannot be written: ${(error as Error).message}`);
  }
}

/** The configured master key, or the one in `<data dir>/master.key`, made on first start. */
function loadMasterKey(config: Config): Buffer {
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

export async function openConfiguredDatabase(config: Config): Promise<DatabaseHandle> {
  let database: DatabaseHandle;
  try {
    parseDatabaseUrl(config.databaseUrl);
    database = openDatabase({
      url: config.databaseUrl,
      sqliteSynchronous: config.sqliteSynchronous,
      busyTimeoutMs: config.busyTimeoutMs,
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

export async function startServer(config: Config, options: StartOptions = {}): Promise<RunningServer> {
  const logger = options.logger ?? createLogger(config);
  const clock = options.clock ?? systemClock;
  prepareDataDir(config.dataDir);
  const masterKey = loadMasterKey(config);
  const database = await openConfiguredDatabase(config);
  const services = createServices(
    { db: database.db, clock, ids: new IdGenerator(clock, config.nodeId), secrets: new SecretBox(masterKey) },
    () => database.ping(),
  );
  const admin = await services.auth.ensureAdminToken(config.adminToken);
  if (admin.generated !== undefined) {
    // Shown once: only its hash is kept.
    process.stderr.write(
      `\nPeopleFlow generated an admin token (shown only now; set PEOPLEFLOW_ADMIN_TOKEN to choose your own):\n  ${admin.generated}\n\n`,
    );
  }

  const app = buildHttpApp({
    services,
    logger,
    rateLimit: { requests: config.rateLimitRequests, windowSeconds: config.rateLimitWindowSeconds },
    bodyLimit: config.bodyLimitBytes,
    extend: options.extend,
  });
  try {
    await app.listen({ host: config.host, port: config.port });
  } catch (error) {
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

  let demo: DemoManifest | undefined;
  if (config.demo) {
    const file = join(config.dataDir, 'demo.json');
    const existing = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as DemoManifest) : undefined;
    demo = await new DemoService(services).ensure(existing, config.baseUrl ?? url, admin.generated);
    writeFileSync(file, `${JSON.stringify(demo, null, 2)}\n`, { mode: 0o600 });
    logger.info({ manifest: file, tenant_key: demo.tenant_key, app_id: demo.app.app_id }, 'demo data ready');
  }

  logger.info({ url, database: database.dialect }, 'PeopleFlow is listening');
  let closing: Promise<void> | undefined;
  return {
    app,
    url,
    services,
    database,
    ...(demo ? { demo } : {}),
    close: () =>
      (closing ??= (async () => {
        await app.close();
        await database.close();
      })()),
  };
}
