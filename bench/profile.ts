import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { leaveInstance, leaveStartBody } from './leave.js';
import WebSocket from 'ws';
import { freePort, startServerProcess, tenantToken } from './server-process.js';
import { dataDirWithOpenTasks, peopleSession, TODO_INITIATORS } from './todo-fixture.js';
import { subscribeDemoApp } from './subscriber.js';
import { approveRequests, ensureOpenTasks, openTasks as openTaskList } from './open-tasks.js';
import { cpuSecondsOf, ioBytesOf, settle } from './cpu.js';

/**
 * `npm run bench:profile -- --api start|approve|get|todo|leave [--connections 16] [--seconds 5] [--warm 2]
 * [--server='…']` — runs one load against a server started with `node --cpu-prof`, after the same load
 * for `--warm` seconds unmeasured (a long-running server is warm), then prints where the measured
 * load's time went: the self time of the hottest functions and the time per source file. The
 * .cpuprofile (the whole run) is kept for Chrome DevTools. The server is the built one (`npm run build`
 * first). `leave` runs whole leave instances (start, read, approve; `--connections` at a time, as
 * the full-instance load of `npm run bench`), and "per request" is then per instance.
 *
 * `--sql` adds the SQLite statements the load caused, per request (the server's `--sql-profile`), which
 * unlike CPU time do not move with the machine's load. `--perf` samples the server with Linux `perf`
 * over the measured load: V8's profile counts the main thread's wall time (a commit's fsync looks like
 * work, and time in the kernel or in SQLite's C code is charged to the JavaScript that called it); perf
 * counts CPU only, in every thread, by library and kernel path. `--cpu-only`: no profiler, just the
 * server's CPU per request. `--heap`: what the measured load allocates, per request (V8's sampling heap
 * profiler through the inspector, objects already collected included), by function and file; the
 * profile is kept for Chrome DevTools' Memory panel.
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
    /** Seconds of the same load before the measured one, unmeasured. */
    warm: { type: 'string', default: '2' },
    /** Sample CPU with Linux perf over the measured load (perf must be installed). */
    perf: { type: 'boolean', default: false },
    /** No profiler in the server: just its CPU per request (a profiler's sampling adds to it). */
    'cpu-only': { type: 'boolean', default: false },
    /** Sample allocations (V8's sampling heap profiler, collected objects included) over the measured load. */
    heap: { type: 'boolean', default: false },
  },
});
const warmSeconds = Number(values.warm);
const connections = Number(values.connections);
const seconds = Number(values.seconds);

const inspectPort = values.heap ? await freePort() : 0;
const profileDir = mkdtempSync(join(tmpdir(), 'peopleflow-profile-'));
const serverArgs = values.server.split(' ').filter(Boolean);
let dataDir: string | undefined;
const openTasks = Number(values['open-tasks']);
if (openTasks > 0) {
  dataDir = await dataDirWithOpenTasks('manager', openTasks, TODO_INITIATORS, serverArgs);
}
const sqlFile = join(profileDir, 'statements.json');
if (values.sql) serverArgs.push('--sql-profile', sqlFile);
const server = await startServerProcess(
  serverArgs,
  {},
  dataDir,
  // With perf, no V8 profiler (its sampling would be a good part of what perf sees); JIT-compiled
  // JavaScript named for perf instead.
  values['cpu-only']
    ? []
    : values.heap
      ? [`--inspect=127.0.0.1:${inspectPort}`]
      : values.perf
        ? ['--perf-basic-prof-only-functions']
        : ['--cpu-prof', '--cpu-prof-dir', profileDir],
);
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
/** `--api leave`: whole instances, not autocannon's requests. */
let instances = false;
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
    await ensureOpenTasks(server, token, 1500 * (seconds + warmSeconds));
    options = {
      url: server.url,
      amount: 1500 * seconds,
      requests: approveRequests(await openTaskList(server, token)),
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
  case 'leave':
    options = { url: server.url };
    instances = true;
    break;
  default:
    throw new Error(`--api must be start, approve, get, todo or leave, not ${values.api}`);
}

/** `connections` workers running whole leave instances for `duration` seconds, reported like autocannon's result. */
async function leaveInstances(duration: number) {
  const latencies: number[] = [];
  let failed = 0;
  const end = Date.now() + duration * 1000;
  const began = performance.now();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (Date.now() < end) {
        const t = performance.now();
        if (await leaveInstance(server.url, headers, leave)) latencies.push(performance.now() - t);
        else failed++;
      }
    }),
  );
  const seconds = (performance.now() - began) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (p: number) => Math.round(latencies[Math.floor((latencies.length - 1) * p)] ?? 0);
  return {
    requests: { total: latencies.length, average: latencies.length / seconds },
    latency: { p50: at(0.5), p99: at(0.99) },
    errors: failed,
    non2xx: 0,
  };
}
const load = (extra: autocannon.Options) =>
  instances
    ? leaveInstances(Number(extra.duration))
    : autocannon({ headers, ...options, ...extra, connections });

/** The statement totals since the previous call (the server writes them on SIGUSR2). */
async function statementsSinceLast(): Promise<{ sql: string; count: number; ms: number }[]> {
  rmSync(sqlFile, { force: true });
  server.child.kill('SIGUSR2');
  for (let i = 0; i < 200 && !existsSync(sqlFile); i++) await new Promise((r) => setTimeout(r, 25));
  return JSON.parse(readFileSync(sqlFile, 'utf8')) as { sql: string; count: number; ms: number }[];
}
if (warmSeconds > 0) {
  // An approve load is counted in tasks (each approvable once): the warm-up takes its own share.
  const amount = options.amount === undefined ? {} : { amount: 1500 * warmSeconds };
  await load({ ...amount, duration: warmSeconds } as autocannon.Options);
  await settle(server.child.pid ?? 0);
}
if (values.sql) await statementsSinceLast();

const perfFile = join(profileDir, 'perf.data');
const perf = values.perf ? await startPerf(server.child.pid ?? 0, perfFile) : undefined;
/** The measured window on CLOCK_MONOTONIC in µs, the clock V8's profile uses too. */
const windowStart = Number(process.hrtime.bigint() / 1000n);
const heap = values.heap ? await startAllocationSampling(inspectPort) : undefined;
const cpuBefore = cpuSecondsOf(server.child.pid ?? 0);
const ioBefore = ioBytesOf(server.child.pid ?? 0);
const clientBefore = process.cpuUsage();
const result = await load({ duration: seconds } as autocannon.Options);
process.stdout.write(
  `${values.api} at ${connections} connections: ${Math.round(result.requests.average)} req/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, errors ${result.errors + result.non2xx}\n`,
);
// What the load left to do (events to deliver, jobs) is part of its cost.
await settle(server.child.pid ?? 0);
process.stdout.write(
  `server CPU: ${Math.round(((cpuSecondsOf(server.child.pid ?? 0) - cpuBefore) * 1e6) / result.requests.total)} µs per request (user + system, every thread, until idle again)\n`,
);
// This process is the other side on the same cores: the HTTP client and, with --subscribe, the SDK's
// WSClient receiving every event. What it spends bounds what the pair can do together.
const client = process.cpuUsage(clientBefore);
process.stdout.write(
  `load generator CPU (this process: the HTTP client${values.subscribe ? " and the SDK's WSClient" : ''}): ${Math.round((client.user + client.system) / result.requests.total)} µs per request\n`,
);
const ioAfter = ioBytesOf(server.child.pid ?? 0);
process.stdout.write(
  `server I/O: ${((ioAfter.disk - ioBefore.disk) / 1024 / result.requests.total).toFixed(1)} kB to disk, ${((ioAfter.written - ioBefore.written) / 1024 / result.requests.total).toFixed(1)} kB through write calls (files and sockets) per request\n`,
);
const windowEnd = Number(process.hrtime.bigint() / 1000n);
if (perf) await perf.stop();
if (heap) {
  const head = await heap.stop();
  const file = join(profileDir, 'allocations.heapprofile');
  writeFileSync(file, JSON.stringify({ head }));
  process.stdout.write(`\nallocation profile (Chrome DevTools, Memory): ${file}\n`);
  reportAllocations(head, result.requests.total);
}
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
  /** µs on the monotonic clock; each sample's time is this plus the deltas so far. */
  startTime: number;
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}
if (perf) reportPerf(perfFile);
else if (!values['cpu-only'] && !values.heap) reportV8Profile();

function reportV8Profile(): void {
  const name = readdirSync(profileDir).find((f) => f.endsWith('.cpuprofile'));
  if (!name) throw new Error('no .cpuprofile written');
  const file = join(profileDir, name);
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  const perFile = new Map<string, number>();
  let total = 0;
  let idle = 0;
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    const node = byId.get(id);
    const dt = profile.timeDeltas[i] ?? 0;
    at += dt;
    // Only the measured load (and what it left to do): not start-up, seeding or the warm-up.
    if (!node || at < windowStart || at > windowEnd) return;
    if (node.callFrame.functionName === '(idle)') {
      idle += dt;
      return;
    }
    total += dt;
    const { functionName, url, lineNumber } = node.callFrame;
    const where = url.replace(/^file:\/\/.*?\/(node_modules|dist)\//, '$1/');
    const key = `${functionName || '(anonymous)'} ${where}:${lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + dt);
    const group = /node_modules\/((@[^/]+\/)?[^/]+)/.exec(where)?.[1] ?? (where || functionName);
    perFile.set(group, (perFile.get(group) ?? 0) + dt);
  });
  const pct = (n: number) => `${((100 * n) / total).toFixed(1).padStart(5)} %`;
  process.stdout.write(
    `\nprofile: ${file} (the measured window on its clock: ${windowStart}–${windowEnd} µs)\n\nthe main thread over the measured load: busy ${(total / 1000).toFixed(0)} ms, idle ${(idle / 1000).toFixed(0)} ms (wall time; percentages below are of busy)\n\nself time by function\n`,
  );
  for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(values.top)))
    process.stdout.write(`${pct(v)}  ${k}\n`);
  process.stdout.write('\nby package or file\n');
  for (const [k, v] of [...perFile].sort((a, b) => b[1] - a[1]).slice(0, 25))
    process.stdout.write(`${pct(v)}  ${k}\n`);
}

interface SamplingHeapNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: SamplingHeapNode[];
}

/**
 * V8's sampling heap profiler over the inspector protocol, counting objects the collector has already
 * freed too: where the load allocates (what the garbage collector then has to clear), not what stays.
 */
async function startAllocationSampling(port: number): Promise<{ stop: () => Promise<SamplingHeapNode> }> {
  const targets = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as {
    webSocketDebuggerUrl: string;
  }[];
  const socket = new WebSocket(targets[0]?.webSocketDebuggerUrl ?? '');
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  let nextId = 1;
  const call = (method: string, params: object = {}) =>
    new Promise<unknown>((resolve) => {
      const id = nextId++;
      const onMessage = (data: Buffer) => {
        const message = JSON.parse(data.toString()) as { id?: number; result?: unknown };
        if (message.id !== id) return;
        socket.off('message', onMessage);
        resolve(message.result);
      };
      socket.on('message', onMessage);
      socket.send(JSON.stringify({ id, method, params }));
    });
  await call('HeapProfiler.enable');
  await call('HeapProfiler.startSampling', {
    samplingInterval: 16384,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  });
  return {
    stop: async () => {
      const { profile } = (await call('HeapProfiler.stopSampling')) as {
        profile: { head: SamplingHeapNode };
      };
      socket.close();
      return profile.head;
    },
  };
}

/** Bytes allocated per request, by the function that allocated and by the package or file. */
function reportAllocations(head: SamplingHeapNode, requests: number): void {
  const self = new Map<string, number>();
  const perFile = new Map<string, number>();
  let total = 0;
  const visit = (node: SamplingHeapNode) => {
    const { functionName, url, lineNumber } = node.callFrame;
    const where = url.replace(/^file:\/\/.*?\/(node_modules|dist)\//, '$1/');
    const key = `${functionName || '(anonymous)'} ${where}:${lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + node.selfSize);
    const group = /node_modules\/((@[^/]+\/)?[^/]+)/.exec(where)?.[1] ?? (where || functionName);
    perFile.set(group, (perFile.get(group) ?? 0) + node.selfSize);
    total += node.selfSize;
    for (const child of node.children) visit(child);
  };
  visit(head);
  const perRequest = (n: number) => `${(n / requests / 1024).toFixed(1).padStart(7)} kB`;
  process.stdout.write(
    `\nallocated: ${perRequest(total)} per request (sampled, collected objects included)\n\nby function\n`,
  );
  for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(values.top)))
    process.stdout.write(`${perRequest(v)}  ${k}\n`);
  process.stdout.write('\nby package or file\n');
  for (const [k, v] of [...perFile].sort((a, b) => b[1] - a[1]).slice(0, 25))
    process.stdout.write(`${perRequest(v)}  ${k}\n`);
}

/** `perf record` on the server, all threads, with call chains; `stop` ends it and waits for the file. */
async function startPerf(pid: number, out: string): Promise<{ stop: () => Promise<void> }> {
  const child = spawn('perf', ['record', '-F', '999', '-g', '-p', String(pid), '-o', out], {
    stdio: 'ignore',
  });
  const failed = new Promise<never>((_, reject) => child.once('error', reject));
  // perf needs a moment to attach before the load starts.
  await Promise.race([new Promise((r) => setTimeout(r, 500)), failed]);
  return {
    stop: async () => {
      child.kill('SIGINT');
      await new Promise((r) => child.once('exit', r));
    },
  };
}

/** CPU by library, the hottest symbols, and kernel time by the user-space code that entered it. */
function reportPerf(data: string): void {
  const script = execFileSync('perf', ['script', '-i', data, '-F', 'ip,sym,dso'], {
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const frame = (line: string) => {
    const m = /^\s*[0-9a-f]+\s+(.*?)\s+\((.*)\)$/.exec(line);
    return m ? { sym: m[1] ?? '?', dso: (m[2] ?? '?').replace(/^.*\//, '') } : undefined;
  };
  const byDso = new Map<string, number>();
  const bySymbol = new Map<string, number>();
  const kernelFrom = new Map<string, number>();
  let samples = 0;
  for (const block of script.split(/\n\s*\n/)) {
    const frames = block
      .split('\n')
      .map(frame)
      .filter((f) => f !== undefined);
    const leaf = frames[0];
    if (!leaf) continue;
    samples++;
    const dso = leaf.dso.startsWith('[JIT]') ? 'JIT-compiled JavaScript' : leaf.dso;
    byDso.set(dso, (byDso.get(dso) ?? 0) + 1);
    const symbol = `${leaf.sym.slice(0, 100)} (${dso})`;
    bySymbol.set(symbol, (bySymbol.get(symbol) ?? 0) + 1);
    if (leaf.dso === 'kernel.kallsyms' || leaf.dso === '[kernel.kallsyms]') {
      const caller = frames.filter((f) => !f.dso.includes('kernel')).slice(0, 2);
      const key = caller.map((f) => f.sym.slice(0, 60)).join(' ← ') || '(no user frame)';
      kernelFrom.set(key, (kernelFrom.get(key) ?? 0) + 1);
    }
  }
  const share = (n: number) => `${((100 * n) / Math.max(1, samples)).toFixed(1).padStart(5)} %`;
  const top = (m: Map<string, number>, n: number) => [...m].sort((a, b) => b[1] - a[1]).slice(0, n);
  process.stdout.write(
    `\nperf: ${samples} CPU samples over the measured load, every thread (${data})\n\nby library\n`,
  );
  for (const [k, v] of top(byDso, 10)) process.stdout.write(`${share(v)}  ${k}\n`);
  process.stdout.write('\nhottest symbols\n');
  for (const [k, v] of top(bySymbol, Number(values.top))) process.stdout.write(`${share(v)}  ${k}\n`);
  process.stdout.write('\nkernel time, by the user-space code that entered the kernel\n');
  for (const [k, v] of top(kernelFrom, 15)) process.stdout.write(`${share(v)}  ${k}\n`);
}
