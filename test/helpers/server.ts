import { parseConfig } from '../../src/config.js';
import { startServer, type RunningServer, type StartOptions } from '../../src/server.js';
import type { Clock } from '../../src/platform/clock.js';
import { freshDatabase, type DialectName, type TestDatabase } from './databases.js';

export const ADMIN_TOKEN = 'test-admin-token-0123456789';

export interface TestServer {
  server: RunningServer;
  database: TestDatabase;
  url: string;
  /** JSON request to the server; returns status, headers and parsed body. */
  call(method: string, path: string, options?: CallOptions): Promise<CallResult>;
  /** The same, with the admin token. */
  admin(method: string, path: string, body?: unknown): Promise<CallResult>;
  close(): Promise<void>;
}

export interface CallOptions {
  body?: unknown;
  token?: string;
  rawBody?: string;
  headers?: Record<string, string>;
}

export interface CallResult {
  status: number;
  headers: Headers;
  // Tests read arbitrary response shapes.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

export interface TestServerOptions {
  clock?: Clock;
  flags?: string[];
  extend?: StartOptions['extend'];
  /**
   * Another server's database (and data dir, so the same master key): a second server of a cluster.
   * Dropping it stays with the server that made it.
   */
  database?: TestDatabase;
  /** false: the server's job runner stays idle (the test runs its own). */
  runJobs?: boolean;
}

export async function startTestServer(
  dialect: DialectName,
  options: TestServerOptions = {},
): Promise<TestServer> {
  const database = options.database ?? (await freshDatabase(dialect));
  const config = parseConfig(
    [
      '--port',
      '0',
      '--data-dir',
      database.dir,
      '--database-url',
      database.url,
      '--log-level',
      'silent',
      ...(options.flags ?? []),
    ],
    { PEOPLEFLOW_ADMIN_TOKEN: ADMIN_TOKEN },
  );
  const server = await startServer(config, {
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.extend ? { extend: options.extend } : {}),
    ...(options.runJobs === false ? { runJobs: false } : {}),
  });
  const call = async (method: string, path: string, opts: CallOptions = {}): Promise<CallResult> => {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.token !== undefined) headers.authorization = `Bearer ${opts.token}`;
    let body: string | undefined = opts.rawBody;
    if (opts.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(opts.body);
    }
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers,
      ...(body !== undefined ? { body } : {}),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON; keep the text
    }
    return { status: response.status, headers: response.headers, body: parsed };
  };
  return {
    server,
    database,
    url: server.url,
    call,
    admin: (method, path, body) =>
      call(method, `/admin/v1${path}`, { token: ADMIN_TOKEN, ...(body !== undefined ? { body } : {}) }),
    close: async () => {
      await server.close();
      if (!options.database) await database.drop();
    },
  };
}

/** A tenant with one department, `count` employees and an app with the given scopes. */
export async function seedTenant(
  t: TestServer,
  tenantKey: string,
  scopes: string[] = ['corehr:process:readonly', 'corehr:process', 'corehr:process.approver'],
  count = 3,
): Promise<{ appId: string; appSecret: string }> {
  const ok = (r: CallResult, what: string) => {
    if (r.status >= 300) throw new Error(`${what}: ${r.status} ${JSON.stringify(r.body)}`);
    return r;
  };
  ok(await t.admin('POST', '/tenants', { tenant_key: tenantKey, name: tenantKey }), 'tenant');
  ok(
    await t.admin('POST', `/tenants/${tenantKey}/departments`, {
      department_id: 'root',
      name: { zh_cn: '总部', en_us: 'HQ' },
    }),
    'dept',
  );
  for (let i = 0; i < count; i++) {
    ok(
      await t.admin('POST', `/tenants/${tenantKey}/employees`, {
        user_id: `u${i}`,
        name: { zh_cn: `员工${i}`, en_us: `Person ${i}` },
        email: `u${i}@${tenantKey.replace(/_/g, '-')}.example`,
        department_id: 'root',
        manager_user_id: i === 0 ? null : 'u0',
      }),
      `employee ${i}`,
    );
  }
  const app = ok(
    await t.admin('POST', `/tenants/${tenantKey}/apps`, { name: `${tenantKey} app`, scopes }),
    'app',
  );
  return { appId: app.body.data.app_id as string, appSecret: app.body.data.app_secret as string };
}

export async function tenantToken(t: TestServer, appId: string, appSecret: string): Promise<string> {
  const r = await t.call('POST', '/open-apis/auth/v3/tenant_access_token/internal', {
    body: { app_id: appId, app_secret: appSecret },
  });
  if (r.status !== 200) throw new Error(`token: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.tenant_access_token as string;
}
