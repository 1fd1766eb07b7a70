import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { eventsBench } from './events.bench.js';
import { startServerProcess } from './server-process.js';

/**
 * `npx tsx bench/events-ab.ts [--base ../other-checkout] [--server-a='…'] [--server-b='…'] [--rates 1000]
 * [--seconds 10] [--rounds 3]`
 *
 * Event lag of two variants, one server at a time, alternating (A B, B A, A B …): the events bench (e. in
 * `npm run bench`: a webhook receiver and the SDK's WSClient at once, leave starts paced to offer each
 * rate) against this checkout's server with `--server-a` flags and against `--base`'s (default: this
 * checkout too) with `--server-b` flags — another build, or a setting of the same one. Lag p99 over 10 s
 * moves a lot with this host's load; only runs side by side, alternating, compare.
 */
const { values } = parseArgs({
  options: {
    base: { type: 'string', default: '.' },
    'server-a': { type: 'string', default: '' },
    'server-b': { type: 'string', default: '' },
    rates: { type: 'string', default: '1000' },
    seconds: { type: 'string', default: '10' },
    rounds: { type: 'string', default: '3' },
  },
});
if (!existsSync(resolve(values.base, 'dist/cli.js')))
  throw new Error('--base must name a checkout with a built server (dist/cli.js)');
const rates = values.rates.split(',').map(Number);
const flags = (text: string) => text.split(' ').filter(Boolean);
const variants = [
  { name: 'A', root: '.', args: flags(values['server-a']) },
  { name: 'B', root: values.base, args: flags(values['server-b']) },
];
const common = ['--webhook-allow-hosts', '127.0.0.1', '--dispatch-interval-ms', '20'];
for (let round = 0; round < Number(values.rounds); round++)
  for (const variant of round % 2 ? [...variants].reverse() : variants) {
    const server = await startServerProcess([...common, ...variant.args], {}, undefined, [], variant.root);
    try {
      for (const r of await eventsBench(server, rates, Number(values.seconds)))
        process.stdout.write(
          `round ${round + 1} ${variant.name} ${Math.round(r.offeredPerSecond)}/s: webhook p50 ${r.webhook.p50} p99 ${r.webhook.p99} ms | WSClient p50 ${r.longConnection.p50} p99 ${r.longConnection.p99} ms | RSS ${Math.round(r.maxRssMb)} MB${r.keptUp ? '' : ' (fell behind)'}\n`,
        );
    } finally {
      await server.stop();
    }
  }
process.exit(0);
