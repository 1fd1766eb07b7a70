import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import autocannon from 'autocannon';
import { leaveStartBody } from './leave.js';
import SqliteDatabase from 'better-sqlite3';
import { freePort, startServerProcess, tenantToken, type ServerProcess } from './server-process.js';

export interface LoadResult {
  name: string;
  connections: number;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
}

async function load(name: string, options: autocannon.Options): Promise<LoadResult> {
  const result = await autocannon(options);
  return {
    name,
    connections: options.connections ?? 10,
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.non2xx + result.timeouts,
  };
}

/** Open manager tasks, to approve one per request. */
async function openTasks(
  server: ServerProcess,
  token: string,
): Promise<{ process_id: string; approver_id: string }[]> {
  const out: { process_id: string; approver_id: string }[] = [];
  let pageToken = '';
  for (;;) {
    const r = await fetch(
      `${server.url}/open-apis/corehr/v2/approvers?user_id=manager&user_id_type=user_id&approver_status=1&page_size=100${pageToken ? `&page_token=${pageToken}` : ''}`,
      {
        headers: { authorization: `Bearer ${token}` },
      },
    );
    const body = (await r.json()) as {
      data: {
        approver_list: { process_id: string; approver_id: string }[];
        has_more: boolean;
        page_token: string;
      };
    };
    out.push(...body.data.approver_list);
    if (!body.data.has_more) return out;
    pageToken = body.data.page_token;
  }
}

/** a. HTTP load per endpoint and connection count, with the machine's HTTP and storage ceilings. */
export async function httpBench(
  seconds: number,
  connectionSets: number[],
  serverArgs: string[] = [],
  writesOnly = false,
): Promise<{
  results: LoadResult[];
  ceilings: { http: LoadResult[]; sqliteTxPerSecond: number };
  server: ServerProcess;
}> {
  const server = await startServerProcess(serverArgs);
  const token = await tenantToken(server);
  const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const leave = server.demo.flow_definitions.leave!;
  const results: LoadResult[] = [];
  const now = Date.now();
  const base = server.url;
  for (const connections of connectionSets) {
    const common = { connections, duration: seconds, headers: auth };
    results.push(
      await load('process_start', {
        ...common,
        url: `${base}/open-apis/corehr/v2/process_start?user_id_type=user_id`,
        method: 'POST',
        body: leaveStartBody(leave),
      }),
    );
    const tasks = await openTasks(server, token);
    let next = 0;
    results.push(
      await load('approve', {
        ...common,
        amount: tasks.length,
        url: base,
        requests: [
          {
            method: 'PUT',
            setupRequest: (req) => {
              const task = tasks[next++ % tasks.length]!;
              return {
                ...req,
                path: `/open-apis/corehr/v2/processes/${task.process_id}/approvers/${task.approver_id}?user_id_type=user_id`,
                body: JSON.stringify({ status: 3, user_id: 'manager' }),
              };
            },
          },
        ],
      }),
    );
    if (writesOnly) continue;
    const sample = tasks[0]?.process_id ?? '0';
    results.push(
      await load('process.get', { ...common, url: `${base}/open-apis/corehr/v2/processes/${sample}` }),
    );
    results.push(
      await load('approver list', {
        ...common,
        url: `${base}/open-apis/corehr/v2/approvers?user_id=manager&user_id_type=user_id&page_size=20`,
      }),
    );
    results.push(
      await load('process list', {
        ...common,
        url: `${base}/open-apis/corehr/v2/processes?page_size=20&modify_time_from=${now - 86_400_000}&modify_time_to=${now + 86_400_000}`,
      }),
    );
  }

  if (writesOnly) return { results, ceilings: { http: [], sqliteTxPerSecond: NaN }, server };

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
  for (const connections of connectionSets)
    http.push(
      await load('trivial route', { url: `http://127.0.0.1:${port}/ping`, connections, duration: seconds }),
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
  return { results, ceilings: { http, sqliteTxPerSecond }, server };
}

/** b. Full leave instances over HTTP (start, read the to-do, approve), 16 at a time. */
export async function instancesBench(
  server: ServerProcess,
  seconds: number,
  concurrency = 16,
): Promise<number> {
  const token = await tenantToken(server);
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const leave = server.demo.flow_definitions.leave!;
  let done = 0;
  const end = Date.now() + seconds * 1000;
  const worker = async () => {
    while (Date.now() < end) {
      const started = (await (
        await fetch(`${server.url}/open-apis/corehr/v2/process_start?user_id_type=user_id`, {
          method: 'POST',
          headers,
          body: leaveStartBody(leave),
        })
      ).json()) as { data: { process_id: string } };
      const id = started.data.process_id;
      const detail = (await (
        await fetch(`${server.url}/open-apis/corehr/v2/processes/${id}?user_id_type=user_id`, { headers })
      ).json()) as { data: { todos: { approver_id: string }[] } };
      const task = detail.data.todos[0]!.approver_id;
      const approved = await fetch(
        `${server.url}/open-apis/corehr/v2/processes/${id}/approvers/${task}?user_id_type=user_id`,
        { method: 'PUT', headers, body: JSON.stringify({ status: 3, user_id: 'manager' }) },
      );
      if (approved.ok) done++;
    }
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  return done / ((performance.now() - start) / 1000);
}
