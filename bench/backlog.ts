import { parseArgs } from 'node:util';
import { cpuSecondsOf, settle } from './cpu.js';
import { leaveStartBody } from './leave.js';
import { startServerProcess, tenantToken } from './server-process.js';
import { subscribeDemoApp } from './subscriber.js';

/**
 * `npx tsx bench/backlog.ts [--root <checkout>] [--starts 1000] [--node='<node flags>']` — an integration that was away: leave
 * starts made while the demo app has no long connection (six events each wait in the store), then the
 * official SDK's WSClient connects. Prints how long the backlog takes to reach it and the server's CPU
 * per event over the drain. Each process's events still go one at a time, in order; different
 * processes go side by side.
 */
const { values } = parseArgs({
  options: {
    root: { type: 'string', default: '.' },
    starts: { type: 'string', default: '1000' },
    /** Node flags for the server, e.g. --node='--cpu-prof --cpu-prof-dir=/tmp/backlog-profile'. */
    node: { type: 'string', default: '' },
  },
});
const starts = Number(values.starts);
const server = await startServerProcess(
  [],
  {},
  undefined,
  values.node.split(' ').filter(Boolean),
  values.root,
);
const pid = server.child.pid!;
const headers = { authorization: `Bearer ${await tenantToken(server)}`, 'content-type': 'application/json' };
const body = leaveStartBody(server.demo.flow_definitions.leave!);
let next = 0;
await Promise.all(
  Array.from({ length: 16 }, async () => {
    while (next++ < starts) {
      const r = await fetch(`${server.url}/open-apis/corehr/v2/process_start?user_id_type=user_id`, {
        method: 'POST',
        headers,
        body,
      });
      const answer = (await r.json()) as { code: number };
      if (answer.code !== 0) throw new Error(`start failed: ${JSON.stringify(answer)}`);
    }
  }),
);
await settle(pid);

// Every event of the starts (and the demo's own, made before) is waiting: the drain ends when the
// WSClient has had `starts` × 6 of them and nothing more arrives for a second.
const expected = starts * 6;
const cpuBefore = cpuSecondsOf(pid);
const t0 = Date.now();
let lastAt = t0;
const subscriber = await subscribeDemoApp(server, () => {
  lastAt = Date.now();
});
for (;;) {
  await new Promise((r) => setTimeout(r, 100));
  if (subscriber.received() >= expected && Date.now() - lastAt > 1000) break;
  if (Date.now() - lastAt > 30_000)
    throw new Error(`drain stalled at ${subscriber.received()} of ${expected}`);
}
const drainMs = lastAt - t0;
await settle(pid);
const cpuUs = (cpuSecondsOf(pid) - cpuBefore) * 1e6;
const received = subscriber.received();
process.stdout.write(
  `backlog of ${received} events (${starts} leave starts): drained in ${drainMs} ms ` +
    `(${Math.round((received / drainMs) * 1000)} events/s), server CPU ${Math.round(cpuUs / received)} µs per event\n`,
);
subscriber.close();
await server.stop();
