import { parseArgs } from 'node:util';
import { join, resolve } from 'node:path';
import type { LevelWithSilent } from 'pino';
import { MAX_NODE_ID } from './platform/id-generator.js';

export type SqliteSynchronous = 'OFF' | 'NORMAL' | 'FULL' | 'EXTRA';

export interface Config {
  host: string;
  port: number;
  dataDir: string;
  /** Resolved: a postgres URL, or `sqlite:<file>` under the data dir. */
  databaseUrl: string;
  sqliteSynchronous: SqliteSynchronous;
  /** SQLite: where SIGUSR2 writes the statement profile (a diagnostic); empty: not counted. */
  sqlProfile: string;
  busyTimeoutMs: number;
  /** Commands committed together in one transaction at most (group commit); 1 turns it off. */
  groupCommitMax: number;
  demo: boolean;
  /** Run as the local emulator for integrators (implied by `demo`): allows clock control. */
  emulator: boolean;
  /** `POST /admin/v1/clock` may move the server's clock forward (emulator only). */
  clockControl: boolean;
  /** How often the job runner looks for due timers, actions and notifications (it also wakes on writes). */
  jobIntervalMs: number;
  adminToken: string | undefined;
  /** 32 bytes as hex/base64; when absent a key file in the data dir is used (made on first start). */
  masterKey: string | undefined;
  nodeId: number;
  logLevel: LevelWithSilent;
  rateLimitRequests: number;
  rateLimitWindowSeconds: number;
  /** The public URL, without a trailing slash; links handed out start with it. */
  baseUrl: string | undefined;
  bodyLimitBytes: number;
  /** Largest file accepted by the people API's upload (`POST /api/v1/files`), MiB. */
  fileSizeLimitMb: number;
  /** What one person's uploads not (yet) attached to any request may add up to, MiB. */
  unattachedFilesMb: number;
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  keepAliveTimeoutMs: number;
  /** 0: no limit. */
  maxConnections: number;
  /** 0: no limit. */
  maxRequestsPerSocket: number;
  /** Failed credential attempts per source address per minute before 429; 0 turns it off. */
  authFailureLimit: number;
  /** A people-API session unused this long ends. */
  sessionIdleMinutes: number;
  /** A people-API session ends this long after sign-in, used or not. */
  sessionMaxHours: number;
  /** Delivered event deliveries are kept this many days (the delivery log's history); 0: for ever. */
  deliveryRetentionDays: number;
  webhookRetryScheduleMs: number[];
  webhookAllowHosts: string[];
  webhookTimeoutMs: number;
  dispatchIntervalMs: number;
  wsAckTimeoutMs: number;
  wsFrameBytes: number;
  wsPingIntervalSeconds: number;
  wsReconnectIntervalSeconds: number;
  wsReconnectNonceSeconds: number;
}

/** One row per setting: flag, environment variable, default. README's configuration table mirrors it. */
const OPTIONS = {
  host: { type: 'string', env: 'PEOPLEFLOW_HOST', default: '127.0.0.1' },
  port: { type: 'string', env: 'PEOPLEFLOW_PORT', default: '8080' },
  'data-dir': { type: 'string', env: 'PEOPLEFLOW_DATA_DIR', default: './data' },
  'database-url': { type: 'string', env: 'DATABASE_URL', default: '' },
  'sqlite-synchronous': { type: 'string', env: 'PEOPLEFLOW_SQLITE_SYNCHRONOUS', default: 'FULL' },
  'sql-profile': { type: 'string', env: 'PEOPLEFLOW_SQL_PROFILE', default: '' },
  'busy-timeout-ms': { type: 'string', env: 'PEOPLEFLOW_BUSY_TIMEOUT_MS', default: '5000' },
  'group-commit-max': { type: 'string', env: 'PEOPLEFLOW_GROUP_COMMIT_MAX', default: '64' },
  demo: { type: 'boolean', env: 'PEOPLEFLOW_DEMO', default: 'false' },
  emulator: { type: 'boolean', env: 'PEOPLEFLOW_EMULATOR', default: 'false' },
  'clock-control': { type: 'boolean', env: 'PEOPLEFLOW_CLOCK_CONTROL', default: 'false' },
  'job-interval-ms': { type: 'string', env: 'PEOPLEFLOW_JOB_INTERVAL_MS', default: '1000' },
  'node-id': { type: 'string', env: 'PEOPLEFLOW_NODE_ID', default: '0' },
  'log-level': { type: 'string', env: 'PEOPLEFLOW_LOG_LEVEL', default: 'info' },
  'rate-limit': { type: 'string', env: 'PEOPLEFLOW_RATE_LIMIT', default: '1000' },
  'rate-limit-window': { type: 'string', env: 'PEOPLEFLOW_RATE_LIMIT_WINDOW_SECONDS', default: '1' },
  'base-url': { type: 'string', env: 'PEOPLEFLOW_BASE_URL', default: '' },
  'body-limit': { type: 'string', env: 'PEOPLEFLOW_BODY_LIMIT_BYTES', default: '1048576' },
  'file-size-limit-mb': { type: 'string', env: 'PEOPLEFLOW_FILE_SIZE_LIMIT_MB', default: '20' },
  'unattached-files-mb': { type: 'string', env: 'PEOPLEFLOW_UNATTACHED_FILES_MB', default: '200' },
  'headers-timeout-ms': { type: 'string', env: 'PEOPLEFLOW_HEADERS_TIMEOUT_MS', default: '10000' },
  'request-timeout-ms': { type: 'string', env: 'PEOPLEFLOW_REQUEST_TIMEOUT_MS', default: '30000' },
  'keep-alive-timeout-ms': { type: 'string', env: 'PEOPLEFLOW_KEEP_ALIVE_TIMEOUT_MS', default: '72000' },
  'max-connections': { type: 'string', env: 'PEOPLEFLOW_MAX_CONNECTIONS', default: '10000' },
  'max-requests-per-socket': { type: 'string', env: 'PEOPLEFLOW_MAX_REQUESTS_PER_SOCKET', default: '0' },
  'auth-failure-limit': { type: 'string', env: 'PEOPLEFLOW_AUTH_FAILURE_LIMIT', default: '20' },
  'session-idle-minutes': { type: 'string', env: 'PEOPLEFLOW_SESSION_IDLE_MINUTES', default: '720' },
  'session-max-hours': { type: 'string', env: 'PEOPLEFLOW_SESSION_MAX_HOURS', default: '168' },
  'delivery-retention-days': {
    type: 'string',
    env: 'PEOPLEFLOW_DELIVERY_RETENTION_DAYS',
    default: '30',
  },
  'webhook-retry-schedule': {
    type: 'string',
    env: 'PEOPLEFLOW_WEBHOOK_RETRY_SCHEDULE',
    default: '15s,5m,1h,6h',
  },
  'webhook-allow-hosts': { type: 'string', env: 'PEOPLEFLOW_WEBHOOK_ALLOW_HOSTS', default: '' },
  'webhook-timeout-ms': { type: 'string', env: 'PEOPLEFLOW_WEBHOOK_TIMEOUT_MS', default: '3000' },
  'dispatch-interval-ms': { type: 'string', env: 'PEOPLEFLOW_DISPATCH_INTERVAL_MS', default: '50' },
  'ws-ack-timeout-ms': { type: 'string', env: 'PEOPLEFLOW_WS_ACK_TIMEOUT_MS', default: '10000' },
  'ws-frame-bytes': { type: 'string', env: 'PEOPLEFLOW_WS_FRAME_BYTES', default: '65536' },
  'ws-ping-interval': { type: 'string', env: 'PEOPLEFLOW_WS_PING_INTERVAL_SECONDS', default: '120' },
  'ws-reconnect-interval': {
    type: 'string',
    env: 'PEOPLEFLOW_WS_RECONNECT_INTERVAL_SECONDS',
    default: '120',
  },
  'ws-reconnect-nonce': { type: 'string', env: 'PEOPLEFLOW_WS_RECONNECT_NONCE_SECONDS', default: '30' },
} as const;

export class ConfigError extends Error {}

/** Shortest admin token accepted from PEOPLEFLOW_ADMIN_TOKEN; generated ones are much longer. */
export const MIN_ADMIN_TOKEN_LENGTH = 20;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const SYNC_MODES = ['OFF', 'NORMAL', 'FULL', 'EXTRA'] as const;

export function parseConfig(argv: string[], env: NodeJS.ProcessEnv): Config {
  const { values } = parseArgs({
    args: argv,
    options: Object.fromEntries(Object.entries(OPTIONS).map(([name, o]) => [name, { type: o.type }])),
    strict: true,
    allowPositionals: false,
  });
  const pick = (name: keyof typeof OPTIONS): string => {
    const flag = values[name];
    if (typeof flag === 'string') return flag;
    if (typeof flag === 'boolean') return String(flag);
    return env[OPTIONS[name].env] ?? OPTIONS[name].default;
  };
  const integer = (name: keyof typeof OPTIONS, min: number, max: number): number => {
    const text = pick(name);
    const value = Number(text);
    if (!/^\d+$/.test(text) || value < min || value > max) {
      throw new ConfigError(
        `--${name} (${OPTIONS[name].env}) must be a whole number from ${min} to ${max}, got "${text}"`,
      );
    }
    return value;
  };
  const oneOf = <T extends string>(
    name: keyof typeof OPTIONS,
    allowed: readonly T[],
    normalise: (s: string) => string,
  ): T => {
    const text = normalise(pick(name));
    if (!(allowed as readonly string[]).includes(text)) {
      throw new ConfigError(
        `--${name} (${OPTIONS[name].env}) must be one of ${allowed.join(', ')}, got "${text}"`,
      );
    }
    return text as T;
  };

  const adminToken = env.PEOPLEFLOW_ADMIN_TOKEN || undefined;
  if (adminToken !== undefined && adminToken.length < MIN_ADMIN_TOKEN_LENGTH) {
    throw new ConfigError(
      `PEOPLEFLOW_ADMIN_TOKEN must be at least ${MIN_ADMIN_TOKEN_LENGTH} characters long (it has ${adminToken.length}); for example: openssl rand -hex 24`,
    );
  }
  const headersTimeoutMs = integer('headers-timeout-ms', 10, 3_600_000);
  const requestTimeoutMs = integer('request-timeout-ms', 10, 3_600_000);
  if (headersTimeoutMs > requestTimeoutMs) {
    throw new ConfigError(
      `--headers-timeout-ms (${headersTimeoutMs}) must not be longer than --request-timeout-ms (${requestTimeoutMs})`,
    );
  }
  const demo = yes('demo');
  const emulator = yes('emulator');
  const clockControl = yes('clock-control');
  if (clockControl && !demo && !emulator)
    throw new ConfigError(
      '--clock-control (PEOPLEFLOW_CLOCK_CONTROL) moves the server clock for testing; it is allowed only with --demo or --emulator, never on a production server',
    );
  const dataDir = resolve(pick('data-dir'));
  const databaseUrl = pick('database-url') || `sqlite:${join(dataDir, 'peopleflow.db')}`;
  const sqlProfile = pick('sql-profile');
  if (sqlProfile && /^postgres(ql)?:\/\//i.test(databaseUrl))
    throw new ConfigError(
      '--sql-profile (PEOPLEFLOW_SQL_PROFILE) counts SQLite statements; on PostgreSQL use pg_stat_statements',
    );
  return {
    host: pick('host'),
    port: integer('port', 0, 65535),
    dataDir,
    databaseUrl,
    sqliteSynchronous: oneOf('sqlite-synchronous', SYNC_MODES, (s) => s.toUpperCase()),
    sqlProfile,
    busyTimeoutMs: integer('busy-timeout-ms', 1, 600_000),
    groupCommitMax: integer('group-commit-max', 1, 10_000),
    demo,
    emulator,
    clockControl,
    jobIntervalMs: integer('job-interval-ms', 10, 60_000),
    adminToken,
    masterKey: env.PEOPLEFLOW_MASTER_KEY || undefined,
    nodeId: integer('node-id', 0, MAX_NODE_ID),
    logLevel: oneOf('log-level', LOG_LEVELS, (s) => s.toLowerCase()),
    rateLimitRequests: integer('rate-limit', 0, 10_000_000),
    rateLimitWindowSeconds: integer('rate-limit-window', 1, 86_400),
    baseUrl: baseUrl(),
    bodyLimitBytes: integer('body-limit', 1024, 100 * 1024 * 1024),
    fileSizeLimitMb: integer('file-size-limit-mb', 1, 500),
    unattachedFilesMb: integer('unattached-files-mb', 1, 1_000_000),
    headersTimeoutMs,
    requestTimeoutMs,
    keepAliveTimeoutMs: integer('keep-alive-timeout-ms', 10, 3_600_000),
    maxConnections: integer('max-connections', 0, 10_000_000),
    maxRequestsPerSocket: integer('max-requests-per-socket', 0, 10_000_000),
    authFailureLimit: integer('auth-failure-limit', 0, 1_000_000),
    sessionIdleMinutes: integer('session-idle-minutes', 1, 525_600),
    sessionMaxHours: integer('session-max-hours', 1, 8_760),
    deliveryRetentionDays: integer('delivery-retention-days', 0, 36_500),
    webhookRetryScheduleMs: durations('webhook-retry-schedule'),
    webhookAllowHosts: pick('webhook-allow-hosts')
      .split(',')
      .map((h) => h.trim())
      .filter(Boolean),
    webhookTimeoutMs: integer('webhook-timeout-ms', 100, 60_000),
    dispatchIntervalMs: integer('dispatch-interval-ms', 5, 60_000),
    wsAckTimeoutMs: integer('ws-ack-timeout-ms', 100, 600_000),
    wsFrameBytes: integer('ws-frame-bytes', 64, 1024 * 1024),
    wsPingIntervalSeconds: integer('ws-ping-interval', 1, 3600),
    wsReconnectIntervalSeconds: integer('ws-reconnect-interval', 1, 3600),
    wsReconnectNonceSeconds: integer('ws-reconnect-nonce', 0, 3600),
  };

  function yes(name: keyof typeof OPTIONS): boolean {
    return ['true', '1', 'yes'].includes(pick(name).toLowerCase());
  }

  function baseUrl(): string | undefined {
    const text = pick('base-url');
    if (text === '') return undefined;
    let url: URL | undefined;
    try {
      url = new URL(text);
    } catch {
      url = undefined;
    }
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.search || url.hash) {
      throw new ConfigError(
        `--base-url (PEOPLEFLOW_BASE_URL) must be an http:// or https:// URL like https://hr.example.com, got "${text}"`,
      );
    }
    return text.replace(/\/+$/, '');
  }

  function durations(name: keyof typeof OPTIONS): number[] {
    const text = pick(name);
    const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
    const parts = text.split(',').map((p) => p.trim());
    return parts.map((part) => {
      const m = /^(\d+)(ms|s|m|h)$/.exec(part);
      if (!m)
        throw new ConfigError(
          `--${name} (${OPTIONS[name].env}) must be durations like 15s,5m,1h; got "${text}"`,
        );
      return Number(m[1]) * (units[m[2] ?? 's'] ?? 1000);
    });
  }
}

export const CONFIG_HELP = Object.entries(OPTIONS)
  .map(([name, o]) => `  --${name.padEnd(20)} ${o.env.padEnd(38)} default: ${o.default || '(see README)'}`)
  .join('\n');
