import { parseArgs } from 'node:util';
import { leaveStartBody } from './leave.js';
import { startServerProcess, tenantToken } from './server-process.js';
import { subscribeDemoApp } from './subscriber.js';

/**
 * `npx tsx bench/event-lag.ts [--root <checkout>] [--rate 5] [--seconds 8]` — one server (this checkout's
 * build, or `--root`'s), the demo app subscribed by the SDK's WSClient, leave starts paced at `--rate`
 * per second; prints the lag (receipt − commit time) of each event type. A leave start makes six events,
 * sent one after another (one per process in flight), so the types show the lag hop by hop.
 */
const { values } = parseArgs({
  options: {
    root: { type: 'string', default: '.' },
    rate: { type: 'string', default: '5' },
    seconds: { type: 'string', default: '8' },
  },
});
const rate = Number(values.rate);
const server = await startServerProcess([], {}, undefined, [], values.root);
const lags = new Map<string, number[]>();
const subscriber = await subscribeDemoApp(server, (data, type) => {
  const list = lags.get(type) ?? [];
  list.push(Date.now() - Number(data.create_time));
  lags.set(type, list);
});
const headers = { authorization: `Bearer ${await tenantToken(server)}`, 'content-type': 'application/json' };
const body = leaveStartBody(server.demo.flow_definitions.leave!);
const starts: Promise<string>[] = [];
const t0 = Date.now();
for (let i = 0; i < rate * Number(values.seconds); i++) {
  const wait = t0 + (i * 1000) / rate - Date.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  starts.push(
    fetch(`${server.url}/open-apis/corehr/v2/process_start?user_id_type=user_id`, {
      method: 'POST',
      headers,
      body,
    }).then((r) => r.text()),
  );
}
await Promise.all(starts);
await new Promise((r) => setTimeout(r, 2000));
const at = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? NaN;
const byType = [...lags].map(([type, list]) => ({ type, list: list.sort((x, y) => x - y) }));
// In the order the types arrive: the earliest hop first.
byType.sort((a, b) => at(a.list, 0.5) - at(b.list, 0.5));
for (const { type, list } of byType)
  process.stdout.write(
    `${type}: ${list.length} events, lag p50 ${at(list, 0.5)} ms, p99 ${at(list, 0.99)} ms, max ${list.at(-1)} ms\n`,
  );
subscriber.close();
await server.stop();
