import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import * as lark from '@larksuiteoapi/node-sdk';
import SqliteDatabase from 'better-sqlite3';
import { envelopeJson } from '../src/events/envelope.js';
import { EVENT_TYPES } from '../src/services/app.service.js';
import { cpuSecondsOf, settle } from './cpu.js';
import type { FloorTemplate } from './floor-server.js';
import { leaveStartBody } from './leave.js';
import { freePort, startServerProcess, tenantToken } from './server-process.js';
import { subscribeDemoApp } from './subscriber.js';

/**
 * `npm run bench:floor [-- --seconds 5 --warm 5 --rounds 2]` — what a start costs with nothing of
 * PeopleFlow's in it, beside what PeopleFlow's costs, in one run (CPU per request; BENCHMARKS.md).
 *
 * The real server (built dist/, SQLite FULL, the demo app's WSClient subscribed to every event) takes
 * a start load; one of its starts is then copied — its rows, its events' envelopes, its answer — and
 * `bench/floor-server.ts` replays exactly that, three ways: reading the body and answering (http),
 * and writing the rows in a group commit (rows), and sending the events to the same SDK WSClient one
 * ack apart per process and recording the acks (events). The last is the floor under the real start:
 * the same HTTP, the same rows in the same tables and indexes (a copy of the real database), the same
 * frames to the same client, with no authentication, validation, engine, look-ups or bookkeeping.
 */
const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '5' },
    warm: { type: 'string', default: '5' },
    rounds: { type: 'string', default: '2' },
    connections: { type: 'string', default: '16' },
    /** Keep the template and the floor's database (to run floor-server.ts by hand, under a profiler). */
    keep: { type: 'boolean', default: false },
  },
});
const seconds = Number(values.seconds);
const warm = Number(values.warm);
const connections = Number(values.connections);

/** Server CPU per request of a load (after an unmeasured warm-up of the same), until the server is idle again. */
async function measure(pid: number, options: autocannon.Options): Promise<{ cpu: number; rps: number }> {
  await autocannon({ ...options, connections, duration: warm });
  await settle(pid);
  const before = cpuSecondsOf(pid);
  const result = await autocannon({ ...options, connections, duration: seconds });
  await settle(pid);
  const errors = result.errors + result.non2xx;
  if (errors > 0) throw new Error(`${errors} failed requests`);
  return {
    cpu: ((cpuSecondsOf(pid) - before) * 1e6) / result.requests.total,
    rps: result.requests.average,
  };
}

const work = mkdtempSync(join(tmpdir(), 'peopleflow-floor-'));
const real = await startServerProcess();
const subscriber = await subscribeDemoApp(real);
const headers = { authorization: `Bearer ${await tenantToken(real)}`, 'content-type': 'application/json' };
const body = leaveStartBody(real.demo.flow_definitions.leave ?? '');
const startUrl = `${real.url}/open-apis/corehr/v2/process_start?user_id_type=user_id`;
const answer = await (await fetch(startUrl, { method: 'POST', headers, body })).text();

/** The real start's rows and envelopes, read from the server's database. */
function templateOf(file: string): FloorTemplate {
  const db = new SqliteDatabase(file, { readonly: true });
  // The newest start: an older one's notification may have been pruned from the approver's list.
  const processId = (db.prepare('select max(id) as id from processes').get() as { id: string }).id;
  const rows = (table: string) =>
    db
      .prepare(`select * from ${table} where ${table === 'processes' ? 'id' : 'process_id'} = ?`)
      .all(processId) as Record<string, unknown>[];
  const deliveries = rows('event_deliveries') as {
    event_id: string;
    event_type: string;
    created_at: number;
    event: string;
  }[];
  // The demo app's id; its verification token is stored sealed, so one of the same length stands in.
  const app = db.prepare('select app_id from apps limit 1').get() as { app_id: string };
  const template: FloorTemplate = {
    rows: {
      processes: rows('processes'),
      process_tasks: rows('process_tasks'),
      event_deliveries: deliveries,
      notifications: rows('notifications'),
    },
    envelopes: deliveries.map((d) =>
      envelopeJson(
        d,
        { appId: app.app_id, verificationToken: 'floor-verification-token-0123456' },
        'floor-tenant-key-0123',
      ),
    ),
    answer,
  };
  db.close();
  return template;
}

const MODES = ['http', 'rows', 'events', 'bare-deliveries', 'bare'] as const;
type Mode = (typeof MODES)[number];
interface Round {
  real: { cpu: number; rps: number };
  floors: Record<Mode, { cpu: number; rps: number }>;
}
const rounds: Round[] = [];
const floorFile = join(work, 'floor.db');
let template: FloorTemplate | undefined;
for (let round = 0; round < Number(values.rounds); round++) {
  const realResult = await measure(real.child.pid ?? 0, { url: startUrl, method: 'POST', headers, body });
  if (!template) {
    template = templateOf(join(real.dataDir, 'peopleflow.db'));
    if (template.rows.event_deliveries.length === 0) throw new Error('the real start made no deliveries');
    process.stdout.write(
      `a real start's rows: ${Object.entries(template.rows)
        .map(([table, rows]) => `${table} ${rows.length}`)
        .join(', ')}\n`,
    );
    writeFileSync(join(work, 'template.json'), JSON.stringify(template));
  }
  const floors = {} as Round['floors'];
  for (const mode of MODES) {
    // A fresh copy of the real database each time (checkpointed into one file by the backup).
    rmSync(floorFile, { force: true });
    const source = new SqliteDatabase(join(real.dataDir, 'peopleflow.db'), { readonly: true });
    await source.backup(floorFile);
    source.close();
    const port = await freePort();
    const floor: ChildProcess = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        join(import.meta.dirname, 'floor-server.ts'),
        String(port),
        floorFile,
        join(work, 'template.json'),
        mode,
      ],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
    const url = `http://127.0.0.1:${port}`;
    for (let i = 0; i < 100; i++) {
      const up = await fetch(`${url}/start`, {
        method: 'POST',
        body: '{}',
        headers: { 'content-type': 'application/json' },
      }).then(
        (r) => r.ok,
        () => false,
      );
      if (up) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    let received = 0;
    const ws =
      mode !== 'http' && mode !== 'rows'
        ? new lark.WSClient({
            // The SDK checks the AppID's form; the floor checks no secret.
            appId: real.demo.app.app_id,
            appSecret: 'floor',
            domain: url,
            loggerLevel: lark.LoggerLevel.fatal,
          })
        : undefined;
    if (ws) {
      const handlers: Record<string, () => Promise<void>> = {};
      for (const type of EVENT_TYPES)
        handlers[type] = () => {
          received++;
          return Promise.resolve();
        };
      await ws.start({
        eventDispatcher: new lark.EventDispatcher({ loggerLevel: lark.LoggerLevel.fatal }).register(
          handlers as never,
        ),
      });
      await new Promise((r) => setTimeout(r, 500));
    }
    floors[mode] = await measure(floor.pid ?? 0, {
      url: `${url}/start`,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    if (ws && received === 0) throw new Error('the floor sent no events');
    ws?.close({ force: true });
    floor.kill();
    await new Promise((r) => floor.once('exit', r));
  }
  rounds.push({ real: realResult, floors });
}
subscriber.close();
await real.stop();
if (values.keep) process.stdout.write(`kept: ${work} (template.json, floor.db)\n`);
else rmSync(work, { recursive: true, force: true });

const f = (n: number) => Math.round(n).toLocaleString('en-US');
const events = template?.rows.event_deliveries.length ?? 0;
const line = (label: string, value: (r: Round) => string) =>
  `| ${label} | ${rounds.map(value).join(' | ')} |\n`;
process.stdout.write(
  `\n## The floor of a start: the same HTTP, rows and ${events} events with nothing of PeopleFlow's in between\n\n` +
    `Server CPU per start (user + system, every thread, until idle again), ${connections} connections, after ${warm} s of the same load.\n\n` +
    `| | ${rounds.map((_, i) => `round ${i + 1}`).join(' | ')} |\n|---|${rounds.map(() => '---|').join('')}\n` +
    line('real start (PeopleFlow)', (r) => `${f(r.real.cpu)} µs (${f(r.real.rps)}/s)`) +
    line('floor: the body read, an answer written', (r) => `${f(r.floors.http.cpu)} µs`) +
    line('+ its rows (group commit, FULL)', (r) => `${f(r.floors.rows.cpu)} µs`) +
    line(
      `+ its ${events} events (the WSClient, one ack apart): **the floor**`,
      (r) => `**${f(r.floors.events.cpu)} µs** (${f(r.floors.events.rps)}/s)`,
    ) +
    line('the floor, deliveries without indexes', (r) => `${f(r.floors['bare-deliveries'].cpu)} µs`) +
    line('the floor, no table with indexes', (r) => `${f(r.floors.bare.cpu)} µs`) +
    line("real − floor (PeopleFlow's own work)", (r) => `${f(r.real.cpu - r.floors.events.cpu)} µs`) +
    line('real / floor', (r) => (r.real.cpu / r.floors.events.cpu).toFixed(2)),
);
