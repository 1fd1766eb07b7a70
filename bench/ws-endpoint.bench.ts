import { Agent } from 'node:http';
import { jsonRequest } from './json-request.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parseConfig } from '../src/config.js';
import { startServer } from '../src/server.js';

export interface EndpointResult {
  calls: number;
  seconds: number;
  codes: Record<string, number>;
  /** Heap used after a full GC, MB: before the flood, at its largest during it, after it. */
  heapBeforeMb: number;
  heapPeakMb: number;
  heapAfterMb: number;
  ticketsAfter: number;
}

/** A full collection, also when node was started without --expose-gc. */
function collector(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

/**
 * The long-connection endpoint under a flood: `calls` calls offered within `seconds` (a slower machine
 * takes longer; every call is made), a third with the demo
 * app's right secret, a third with a wrong one, a third for AppIDs that do not exist. The server runs
 * in this process so that its heap can be measured after a full GC; the load generator keeps nothing.
 */
export async function endpointBench(calls: number, seconds: number): Promise<EndpointResult> {
  const gc = collector();
  const dataDir = mkdtempSync(join(tmpdir(), 'peopleflow-endpoint-bench-'));
  const server = await startServer(
    // Per-address throttling of wrong secrets is off: it would turn most of a one-address flood
    // away early, and the flood stands for callers from many addresses.
    parseConfig(
      ['--demo', '--port', '0', '--data-dir', dataDir, '--log-level', 'silent', '--auth-failure-limit', '0'],
      {
        PEOPLEFLOW_ADMIN_TOKEN: 'bench-admin-token-0123456789',
      },
    ),
  );
  const agent = new Agent({ keepAlive: true, maxSockets: 32 });
  const target = new URL('/callback/ws/endpoint', server.url);
  const demo = server.demo!;
  const bodies = [
    () => ({ AppID: demo.app.app_id, AppSecret: demo.app.app_secret }),
    (i: number) => ({ AppID: demo.app.app_id, AppSecret: `wrong-${i}` }),
    (i: number) => ({ AppID: `cli_${i.toString(16).padStart(16, '0')}`, AppSecret: 'x' }),
  ];
  const codes: Record<string, number> = {};
  const call = async (i: number) => {
    const { body } = await jsonRequest(
      target.href,
      'POST',
      { 'content-type': 'application/json' },
      JSON.stringify(bodies[i % 3]!(i)),
      agent,
    );
    const { code } = body as { code: number };
    codes[code] = (codes[code] ?? 0) + 1;
  };
  const heapMb = () => {
    gc();
    return process.memoryUsage().heapUsed / 2 ** 20;
  };
  try {
    for (let i = 0; i < 300; i++) await call(i); // warm up
    for (const key of Object.keys(codes)) Reflect.deleteProperty(codes, key);
    const heapBeforeMb = heapMb();
    let heapPeakMb = heapBeforeMb;
    const started = Date.now();
    let next = 0;
    let lastSample = started;
    // 32 callers at a time, each paced so that together they offer `calls` in `seconds`.
    const worker = async () => {
      while (next < calls) {
        const i = next++;
        const due = started + (i / calls) * seconds * 1000;
        if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
        await call(i);
        if (Date.now() - lastSample > 5000) {
          lastSample = Date.now();
          heapPeakMb = Math.max(heapPeakMb, heapMb());
        }
      }
    };
    await Promise.all(Array.from({ length: 32 }, worker));
    const elapsed = (Date.now() - started) / 1000;
    const heapAfterMb = heapMb();
    return {
      calls: next,
      seconds: elapsed,
      codes,
      heapBeforeMb,
      heapPeakMb: Math.max(heapPeakMb, heapAfterMb),
      heapAfterMb,
      ticketsAfter: server.hub.ticketCount(),
    };
  } finally {
    agent.destroy();
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
