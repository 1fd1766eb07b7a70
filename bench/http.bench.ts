import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import autocannon from 'autocannon';
import { leaveInstance, leaveStartBody } from './leave.js';
import SqliteDatabase from 'better-sqlite3';
import { freePort, startServerProcess, tenantToken, type ServerProcess } from './server-process.js';
import { withCpu } from './cpu.js';
import { peopleSession, serverWithOpenTasks } from './todo-fixture.js';
import { subscribeDemoApp } from './subscriber.js';
import { approveRequests, ensureOpenTasks, openTasks } from './open-tasks.js';

export interface LoadResult {
  name: string;
  connections: number;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
  /** The server process's CPU time (user + system) over the load and what it left running, per completed request. */
  cpuUsPerRequest: number;
}

/** One autocannon load; with `pid`, the CPU that process spent on it. */
async function load(name: string, options: autocannon.Options, pid?: number): Promise<LoadResult> {
  const { value: result, cpuSeconds } = await withCpu(pid, () => autocannon(options));
  return {
    name,
    connections: options.connections ?? 10,
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.non2xx + result.timeouts,
    cpuUsPerRequest: (cpuSeconds * 1e6) / Math.max(1, result.requests.total),
  };
}

/**
 * A server runs for days: the loads measure it warm. Without this, V8's compilation of each code path
 * (on background threads, counted in the process's CPU) and first-use set-up landed on whichever load
 * came first — it doubled `process_start`'s CPU per request (2026-12-04: 3.0 ms cold, 1.6 ms warm).
 * Full instances (start, read, approve, with their events, notifications and jobs) and each read load
 * run unmeasured first; they leave the manager's open tasks as they were.
 */
async function warmUp(server: ServerProcess, auth: Record<string, string>, seconds: number): Promise<void> {
  await instancesBench(server, seconds);
  const base = `${server.url}/open-apis/corehr/v2`;
  const page = (await (
    await fetch(`${base}/approvers?user_id=manager&user_id_type=user_id&approver_status=1&page_size=1`, {
      headers: auth,
    })
  ).json()) as { data: { approver_list?: { process_id: string }[] } };
  const sample = page.data.approver_list?.[0]?.process_id ?? '0';
  const reads = [
    `${base}/processes/${sample}`,
    `${base}/approvers?user_id=manager&user_id_type=user_id&page_size=20`,
    `${base}/processes?page_size=20&modify_time_from=0&modify_time_to=${Date.now() + 86_400_000}`,
  ];
  for (const url of reads) await autocannon({ url, headers: auth, connections: 16, duration: 1 });
  const { cookie } = await peopleSession(server, 'manager');
  await autocannon({
    url: `${server.url}/api/v1/inbox/todo?page_size=20`,
    headers: { cookie },
    connections: 16,
    duration: 1,
  });
}

export interface HttpBenchOptions {
  seconds: number;
  connectionSets: number[];
  serverArgs?: string[];
  writesOnly?: boolean;
  /** Open tasks the manager holds before the reads (the people API's to-do list is measured at this size). */
  openTasks?: number;
}

/**
 * a. HTTP load per endpoint and connection count, with the machine's HTTP and storage ceilings. The
 * demo app is subscribed to every event over the long connection throughout, and every load reports
 * the server's CPU per request beside its throughput and latency.
 */
export async function httpBench(options: HttpBenchOptions): Promise<{
  results: LoadResult[];
  ceilings: { http: LoadResult[]; sqliteTxPerSecond: number };
  server: ServerProcess;
  eventsReceived: number;
  closeSubscriber: () => void;
}> {
  const { seconds, connectionSets, serverArgs = [], writesOnly = false } = options;
  // On SQLite the manager's open tasks are copied into the file up front (seconds, not minutes of starts).
  const seeded = (options.openTasks ?? 0) > 0 && !serverArgs.includes('--database-url');
  const server = seeded
    ? await serverWithOpenTasks(
        'manager',
        options.openTasks ?? 0,
        serverArgs,
        // Started by several people, none of them the loads' initiator (whose pending leave is summed per start).
        ['dept_leader', 'hrbp', 'process_admin', 'hr_head', 'cto', 'backend_dev', 'it_admin'],
      )
    : await startServerProcess(serverArgs);
  const pid = server.child.pid;
  const subscriber = await subscribeDemoApp(server);
  const token = await tenantToken(server);
  const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const leave = server.demo.flow_definitions.leave!;
  const results: LoadResult[] = [];
  const now = Date.now();
  const base = server.url;
  await warmUp(server, auth, Math.max(1, seconds / 2));
  for (const connections of connectionSets) {
    const common = { connections, duration: seconds, headers: auth };
    results.push(
      await load(
        'process_start',
        {
          ...common,
          url: `${base}/open-apis/corehr/v2/process_start?user_id_type=user_id`,
          method: 'POST',
          body: leaveStartBody(leave),
        },
        pid,
      ),
    );
    const tasks = await openTasks(server, token);
    results.push(
      await load(
        'approve',
        {
          ...common,
          // autocannon's amount overrides the duration: it only caps a load that has fewer tasks than it needs.
          ...(tasks.length < 2000 ? { amount: tasks.length } : {}),
          url: base,
          requests: approveRequests(tasks),
        },
        pid,
      ),
    );
    if (writesOnly) continue;
    const held = await ensureOpenTasks(server, token, options.openTasks ?? 0);
    const sample = (await openTasks(server, token))[0]?.process_id ?? '0';
    results.push(
      await load('process.get', { ...common, url: `${base}/open-apis/corehr/v2/processes/${sample}` }, pid),
    );
    results.push(
      await load(
        'approver list',
        {
          ...common,
          url: `${base}/open-apis/corehr/v2/approvers?user_id=manager&user_id_type=user_id&page_size=20`,
        },
        pid,
      ),
    );
    results.push(
      await load(
        'process list',
        {
          ...common,
          url: `${base}/open-apis/corehr/v2/processes?page_size=20&modify_time_from=${now - 86_400_000}&modify_time_to=${now + 86_400_000}`,
        },
        pid,
      ),
    );
    results.push(
      await load(
        `people to-do list (${held.toLocaleString('en-US')} open)`,
        {
          connections,
          duration: seconds,
          url: `${base}/api/v1/inbox/todo?page_size=20`,
          headers: { cookie: (await peopleSession(server, 'manager')).cookie },
        },
        pid,
      ),
    );
  }

  if (writesOnly)
    return {
      results,
      ceilings: { http: [], sqliteTxPerSecond: NaN },
      server,
      eventsReceived: subscriber.received(),
      closeSubscriber: subscriber.close,
    };

  // Ceilings, measured in the same run on the same machine.
  const port = await freePort();
  const trivial = spawn(
    process.execPath,
    ['--import', 'tsx', join(import.meta.dirname, 'trivial-server.ts'), String(port)],
    { stdio: 'ignore' },
  );
  for (let i = 0; i < 100; i++) {
    if (
      await fetch(`http://127.0.0.1:${port}/ping`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const http: LoadResult[] = [];
  await autocannon({ url: `http://127.0.0.1:${port}/ping`, connections: 16, duration: 1 }); // warm, as the server
  for (const connections of connectionSets)
    http.push(
      await load(
        'trivial route',
        { url: `http://127.0.0.1:${port}/ping`, connections, duration: seconds },
        trivial.pid,
      ),
    );
  trivial.kill();

  const file = join(mkdtempSync(join(tmpdir(), 'pf-sqlite-')), 'ceiling.db');
  const db = new SqliteDatabase(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('create table t (id integer primary key, v text)');
  const insert = db.prepare('insert into t (v) values (?)');
  const tx = db.transaction(() => {
    for (let i = 0; i < 10; i++) insert.run('x'.repeat(100));
  });
  let count = 0;
  const start = performance.now();
  while (performance.now() - start < seconds * 1000) {
    tx();
    count++;
  }
  const sqliteTxPerSecond = count / ((performance.now() - start) / 1000);
  db.close();
  return {
    results,
    ceilings: { http, sqliteTxPerSecond },
    server,
    eventsReceived: subscriber.received(),
    closeSubscriber: subscriber.close,
  };
}

/** b. Full leave instances over HTTP (start, read the to-do, approve), 16 at a time. */
export async function instancesBench(
  server: ServerProcess,
  seconds: number,
  concurrency = 16,
): Promise<{ perSecond: number; cpuUsPerInstance: number; clientUsPerInstance: number }> {
  const token = await tenantToken(server);
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const leave = server.demo.flow_definitions.leave!;
  let done = 0;
  let end = 0;
  const worker = async () => {
    while (Date.now() < end) {
      if (await leaveInstance(server.url, headers, leave)) done++;
    }
  };
  const clientBefore = process.cpuUsage();
  const { value: elapsedMs, cpuSeconds } = await withCpu(server.child.pid, async () => {
    const start = performance.now();
    end = Date.now() + seconds * 1000;
    await Promise.all(Array.from({ length: concurrency }, worker));
    return performance.now() - start;
  });
  const client = process.cpuUsage(clientBefore);
  return {
    perSecond: done / (elapsedMs / 1000),
    cpuUsPerInstance: (cpuSeconds * 1e6) / Math.max(1, done),
    clientUsPerInstance: (client.user + client.system) / Math.max(1, done),
  };
}
