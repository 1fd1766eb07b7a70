import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { cpuSecondsOf, settle } from './cpu.js';
import { leaveInstance, leaveStartBody } from './leave.js';
import { startServerProcess, tenantToken, type ServerProcess } from './server-process.js';
import { subscribeDemoApp } from './subscriber.js';
import { approveRequests, ensureOpenTasks, openTasks } from './open-tasks.js';
import { dataDirWithOpenTasks, peopleSession, TODO_INITIATORS } from './todo-fixture.js';
import { median } from './median.js';

/**
 * `npx tsx bench/ab.ts --base ../other-checkout [--api start|approve|get|todo|leave] [--rate 120] [--seconds 10]
 * [--rounds 3] [--open-tasks 10000] [--node='<node flags for this checkout's server>']`
 *
 * `leave` runs whole leave instances (start, read, approve: the full-instance load of `npm run bench`),
 * `--rate` of them a second, and reports CPU per instance. `approve` approves the manager's open tasks (each side starts enough leave requests first; their
 * starts are not measured). `todo` reads the people API's to-do list (first page) of a manager holding `--open-tasks` open tasks.
 *
 * Two builds side by side, at the same time, under the same paced load: this checkout's server and the
 * one built in `--base` (`npm run build:server` there first). This host's speed moves 2× within an
 * hour, and a change of 10 % cannot be read from runs one after the other; two servers measured in the
 * same seconds see the same host. Each gets `--rate` requests per second (below what either can take,
 * so both complete the same work), the demo app subscribed by long connection to each; after an
 * unmeasured round, each round prints both servers' CPU per request (user + system, until idle again)
 * and their ratio, and the p99 lag of the events each WSClient received (receipt − commit time). Which server the load generator starts first alternates between rounds.
 */
const { values } = parseArgs({
  options: {
    base: { type: 'string' },
    api: { type: 'string', default: 'start' },
    rate: { type: 'string', default: '120' },
    seconds: { type: 'string', default: '10' },
    rounds: { type: 'string', default: '3' },
    connections: { type: 'string', default: '8' },
    /** For --api todo: the open tasks the manager holds (bench/todo-fixture.ts). */
    'open-tasks': { type: 'string', default: '10000' },
    /** Node flags for this checkout's server only, e.g. --node='--max-semi-space-size=16': a runtime setting compared with the same build. */
    node: { type: 'string', default: '' },
  },
});
if (!values.base || !existsSync(resolve(values.base, 'dist/cli.js')))
  throw new Error('--base must name a checkout with a built server (dist/cli.js)');

interface Side {
  name: string;
  server: ServerProcess;
  close: () => void;
  /** The load: requests autocannon sends, or (`--api leave`) one whole instance, paced by `paced`. */
  options: autocannon.Options;
  instance?: () => Promise<boolean>;
  /** Event lags (receipt − commit time, ms) seen by the side's WSClient in the current round. */
  lags: number[];
}

async function side(name: string, root: string, nodeArgs: string[] = []): Promise<Side> {
  const dataDir =
    values.api === 'todo'
      ? await dataDirWithOpenTasks(
          'manager',
          Number(values['open-tasks']),
          TODO_INITIATORS,
          [],
          nodeArgs,
          root,
        )
      : undefined;
  const server = await startServerProcess([], {}, dataDir, nodeArgs, root);
  const lags: number[] = [];
  const subscriber = await subscribeDemoApp(server, (data) => {
    if (data.create_time) lags.push(Date.now() - Number(data.create_time));
  });
  const token = await tenantToken(server);
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const base = `${server.url}/open-apis/corehr/v2`;
  const body = leaveStartBody(server.demo.flow_definitions.leave!);
  let options: autocannon.Options;
  if (values.api === 'start')
    options = { url: `${base}/process_start?user_id_type=user_id`, method: 'POST', body, headers };
  else if (values.api === 'get') {
    const r = await fetch(`${base}/process_start?user_id_type=user_id`, { method: 'POST', headers, body });
    const id = ((await r.json()) as { data: { process_id: string } }).data.process_id;
    options = { url: `${base}/processes/${id}?user_id_type=user_id`, headers };
  } else if (values.api === 'approve') {
    // One open task per approve of every round (the unmeasured one too), started beforehand.
    const needed = Number(values.rate) * Number(values.seconds) * (Number(values.rounds) + 1) * 1.1;
    await ensureOpenTasks(server, token, Math.ceil(needed));
    options = { url: server.url, headers, requests: approveRequests(await openTasks(server, token)) };
  } else if (values.api === 'leave') {
    options = { url: server.url };
    const flow = server.demo.flow_definitions.leave!;
    const instance = () => leaveInstance(server.url, headers, flow);
    return { name, server, close: subscriber.close, options, instance, lags };
  } else if (values.api === 'todo')
    options = {
      url: `${server.url}/api/v1/inbox/todo?page_size=20`,
      headers: { cookie: (await peopleSession(server, 'manager')).cookie },
    };
  else throw new Error(`--api must be start, approve, get, todo or leave, not ${values.api}`);
  return { name, server, close: subscriber.close, options, lags };
}

async function round(
  sides: Side[],
  seconds: number,
): Promise<{ name: string; usPerRequest: number; requests: number; lagP99: number }[]> {
  await Promise.all(sides.map((s) => settle(s.server.child.pid ?? 0)));
  for (const s of sides) s.lags.length = 0;
  const before = sides.map((s) => cpuSecondsOf(s.server.child.pid ?? 0));
  const results = await Promise.all(
    sides.map((s) =>
      s.instance
        ? paced(s.instance, Number(values.rate), seconds)
        : autocannon({
            ...s.options,
            connections: Number(values.connections),
            overallRate: Number(values.rate),
            duration: seconds,
          }),
    ),
  );
  await Promise.all(sides.map((s) => settle(s.server.child.pid ?? 0)));
  return sides.map((s, i) => {
    const requests = results[i]!.requests.total;
    const cpu = cpuSecondsOf(s.server.child.pid ?? 0) - before[i]!;
    const lags = [...s.lags].sort((a, b) => a - b);
    const lagP99 = lags[Math.min(lags.length - 1, Math.floor(lags.length * 0.99))] ?? NaN;
    return { name: s.name, usPerRequest: (cpu * 1e6) / requests, requests, lagP99 };
  });
}

/** `rate` instances a second for `seconds`, each started on time whatever the others do; the completed ones. */
async function paced(
  instance: () => Promise<boolean>,
  rate: number,
  seconds: number,
): Promise<{ requests: { total: number } }> {
  let total = 0;
  const running: Promise<void>[] = [];
  const began = performance.now();
  for (let i = 0; i < rate * seconds; i++) {
    const wait = began + (i * 1000) / rate - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    running.push(
      instance().then(
        (ok) => {
          if (ok) total++;
        },
        () => undefined,
      ),
    );
  }
  await Promise.all(running);
  return { requests: { total } };
}

const sides = [
  await side('this checkout', '.', values.node.split(' ').filter(Boolean)),
  await side(`base (${values.base})`, values.base),
];
const seconds = Number(values.seconds);
await round(sides, seconds);
const ratios: number[] = [];
for (let r = 0; r < Number(values.rounds); r++) {
  const ordered = r % 2 === 0 ? sides : [...sides].reverse();
  const results = await round(ordered, seconds);
  const mine = results.find((x) => x.name === sides[0]!.name)!;
  const theirs = results.find((x) => x.name === sides[1]!.name)!;
  ratios.push(mine.usPerRequest / theirs.usPerRequest);
  process.stdout.write(
    `${values.api} round ${r + 1}: this checkout ${Math.round(mine.usPerRequest)} µs/request (${mine.requests}), base ${Math.round(theirs.usPerRequest)} µs/request (${theirs.requests}), ratio ${ratios.at(-1)!.toFixed(3)}${Number.isNaN(mine.lagP99) ? '' : `; event lag p99 ${mine.lagP99} / ${theirs.lagP99} ms`}\n`,
  );
}
// Of an even number of rounds, the mean of the middle two (until 2026-12-06 the upper one was printed).
process.stdout.write(`median ratio (this / base): ${median(ratios).toFixed(3)}\n`);
for (const s of sides) {
  s.close();
  await s.server.stop();
}
