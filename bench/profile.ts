import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { leaveStartBody } from './leave.js';
import { startServerProcess, tenantToken } from './server-process.js';
import { peopleSession, seedOpenTasks, startDemoLeave } from './todo-fixture.js';
import { subscribeDemoApp } from './subscriber.js';
import { settle } from './cpu.js';

/**
 * `npm run bench:profile -- --api start|approve|get [--connections 16] [--seconds 5] [--server='…']` — runs one
 * load against a server started with `node --cpu-prof`, then prints where its CPU time went: the
 * self time of the hottest functions and the time per source file. The .cpuprofile is kept (path
 * printed) for Chrome DevTools. The server is the built one (`npm run build` first). `--sql` adds the
 * SQLite statements the load caused, per request (the server's `--sql-profile`), which unlike CPU time do
 * not move with the machine's load.
 */
const { values } = parseArgs({
  options: {
    api: { type: 'string', default: 'start' },
    connections: { type: 'string', default: '16' },
    seconds: { type: 'string', default: '5' },
    top: { type: 'string', default: '30' },
    /** Extra server arguments, e.g. --server='--sqlite-synchronous OFF'. */
    server: { type: 'string', default: '' },
    /** Open tasks the manager holds before the load (copied into the SQLite file, bench/todo-fixture.ts). */
    'open-tasks': { type: 'string', default: '0' },
    /** Subscribe the demo app to every event over the long connection (the WSClient), as `npm run bench` does. */
    subscribe: { type: 'boolean', default: false },
    /** Also count the SQLite statements the load caused (the server's --sql-profile), per request. */
    sql: { type: 'boolean', default: false },
  },
});
const connections = Number(values.connections);
const seconds = Number(values.seconds);

const profileDir = mkdtempSync(join(tmpdir(), 'peopleflow-profile-'));
const serverArgs = values.server.split(' ').filter(Boolean);
let dataDir: string | undefined;
const openTasks = Number(values['open-tasks']);
if (openTasks > 0) {
  const first = await startServerProcess(serverArgs);
  await startDemoLeave(first);
  await first.stop();
  await seedOpenTasks(first.dataDir, 'manager', openTasks, ['dept_leader', 'hrbp', 'cto', 'backend_dev']);
  dataDir = first.dataDir;
}
const sqlFile = join(profileDir, 'statements.json');
if (values.sql) serverArgs.push('--sql-profile', sqlFile);
const server = await startServerProcess(serverArgs, {}, dataDir, [
  '--cpu-prof',
  '--cpu-prof-dir',
  profileDir,
]);
const subscriber = values.subscribe ? await subscribeDemoApp(server) : undefined;
const token = await tenantToken(server);
const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
const leave = server.demo.flow_definitions.leave!;
const base = `${server.url}/open-apis/corehr/v2`;

async function startOne(): Promise<string> {
  const r = await fetch(`${base}/process_start?user_id_type=user_id`, {
    method: 'POST',
    headers,
    body: leaveStartBody(leave),
  });
  return ((await r.json()) as { data: { process_id: string } }).data.process_id;
}

let options: autocannon.Options;
switch (values.api) {
  case 'start':
    options = {
      url: `${base}/process_start?user_id_type=user_id`,
      method: 'POST',
      body: leaveStartBody(leave),
    };
    break;
  case 'approve': {
    // Enough open tasks for the run (approve stays under ~1,500/s here), started beforehand; their
    // starts are in the profile too.
    const tasks: { process: string; task: string }[] = [];
    for (let i = 0; i < 1500 * seconds; i++) {
      const process = await startOne();
      const detail = (await (
        await fetch(`${base}/processes/${process}?user_id_type=user_id`, { headers })
      ).json()) as { data: { todos: { approver_id: string }[] } };
      tasks.push({ process, task: detail.data.todos[0]!.approver_id });
    }
    let next = 0;
    options = {
      url: server.url,
      amount: tasks.length,
      requests: [
        {
          method: 'PUT',
          setupRequest: (req) => {
            const t = tasks[next++]!;
            return {
              ...req,
              path: `/open-apis/corehr/v2/processes/${t.process}/approvers/${t.task}?user_id_type=user_id`,
              body: JSON.stringify({ status: 3, user_id: 'manager' }),
            };
          },
        },
      ],
    };
    break;
  }
  case 'get':
    options = { url: `${base}/processes/${await startOne()}` };
    break;
  case 'todo':
    options = {
      url: `${server.url}/api/v1/inbox/todo?page_size=20`,
      headers: { cookie: (await peopleSession(server, 'manager')).cookie },
    };
    break;
  default:
    throw new Error(`--api must be start, approve, get or todo, not ${values.api}`);
}

/** The statement totals since the previous call (the server writes them on SIGUSR2). */
async function statementsSinceLast(): Promise<{ sql: string; count: number; ms: number }[]> {
  rmSync(sqlFile, { force: true });
  server.child.kill('SIGUSR2');
  for (let i = 0; i < 200 && !existsSync(sqlFile); i++) await new Promise((r) => setTimeout(r, 25));
  return JSON.parse(readFileSync(sqlFile, 'utf8')) as { sql: string; count: number; ms: number }[];
}
if (values.sql) await statementsSinceLast();

const result = await autocannon({ headers, ...options, connections, duration: seconds });
process.stdout.write(
  `${values.api} at ${connections} connections: ${Math.round(result.requests.average)} req/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, errors ${result.errors + result.non2xx}\n`,
);
// What the load left to do (events to deliver, jobs) is part of its cost.
if (subscriber || values.sql) await settle(server.child.pid ?? 0);
subscriber?.close();
if (values.sql) printStatements(await statementsSinceLast(), result.requests.total);
await server.stop();

/** Statements per request, grouped by their SQL with IN lists and row lists folded. */
function printStatements(rows: { sql: string; count: number; ms: number }[], requests: number) {
  const groups = new Map<string, { count: number; ms: number }>();
  for (const r of rows) {
    const key = r.sql
      .replace(/\(\?(, \?)*\)/g, '(…)')
      .replace(/(, \(…\))+/g, ', …')
      .slice(0, 140);
    const g = groups.get(key) ?? { count: 0, ms: 0 };
    g.count += r.count;
    g.ms += r.ms;
    groups.set(key, g);
  }
  const total = rows.reduce((a, r) => ({ count: a.count + r.count, ms: a.ms + r.ms }), { count: 0, ms: 0 });
  process.stdout.write(
    `\nSQLite statements: ${(total.count / requests).toFixed(1)} per request, ${((total.ms * 1000) / requests).toFixed(0)} µs inside SQLite per request (${requests} requests)\n\n`,
  );
  for (const [sql, g] of [...groups].sort((a, b) => b[1].ms - a[1].ms).slice(0, Number(values.top)))
    process.stdout.write(
      `${(g.count / requests).toFixed(2).padStart(7)} ×  ${((g.ms * 1000) / requests).toFixed(0).padStart(5)} µs  ${sql}\n`,
    );
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}
const name = readdirSync(profileDir).find((f) => f.endsWith('.cpuprofile'));
if (!name) throw new Error('no .cpuprofile written');
const file = join(profileDir, name);
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map<string, number>();
const perFile = new Map<string, number>();
let total = 0;
profile.samples.forEach((id, i) => {
  const node = byId.get(id);
  const dt = profile.timeDeltas[i] ?? 0;
  if (!node) return;
  total += dt;
  const { functionName, url, lineNumber } = node.callFrame;
  const where = url.replace(/^file:\/\/.*?\/(node_modules|dist)\//, '$1/');
  const key = `${functionName || '(anonymous)'} ${where}:${lineNumber + 1}`;
  self.set(key, (self.get(key) ?? 0) + dt);
  const group = /node_modules\/((@[^/]+\/)?[^/]+)/.exec(where)?.[1] ?? (where || functionName);
  perFile.set(group, (perFile.get(group) ?? 0) + dt);
});
const pct = (n: number) => `${((100 * n) / total).toFixed(1).padStart(5)} %`;
process.stdout.write(`\nprofile: ${file}\n\nself time by function\n`);
for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(values.top)))
  process.stdout.write(`${pct(v)}  ${k}\n`);
process.stdout.write('\nby package or file\n');
for (const [k, v] of [...perFile].sort((a, b) => b[1] - a[1]).slice(0, 25))
  process.stdout.write(`${pct(v)}  ${k}\n`);
