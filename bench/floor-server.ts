import Fastify from 'fastify';
import SqliteDatabase from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { decodeFrame, encodeFrame, FRAME_DATA } from '../src/events/frames.js';

/**
 * The floor of a start: a server that does only what no implementation of `process_start` can skip,
 * with none of PeopleFlow's code in between (`bench/floor.ts` runs it and explains the figures).
 * `node --import tsx bench/floor-server.ts <port> <sqlite file> <template.json> <http|rows|events>`:
 * - http: Fastify reads the start's JSON body and answers with a start's JSON answer;
 * - rows: and writes a start's rows — the process, its task, its deliveries, its notification, copied
 *   from a real start — into a copy of a real database (the same tables and indexes), the requests of
 *   one turn of the event loop in one transaction committed with synchronous=FULL before they are
 *   answered (a group commit);
 * - events: and sends each start's events over the long connection (the SDK's WSClient), one ack apart
 *   per process, and marks them delivered once the last is acknowledged, in a transaction that does
 *   not wait for the disk (as PeopleFlow's dispatcher does);
 * - bare-deliveries: as events, the deliveries into a table of the same columns without its indexes
 *   and constraints (its id alone indexed, for the acks): the most a leaner delivery store could save;
 * - bare: so every table: the least any schema could write for a start.
 */
export interface FloorTemplate {
  /** Row objects of one real start, by table. */
  rows: Record<
    'processes' | 'process_tasks' | 'event_deliveries' | 'notifications',
    Record<string, unknown>[]
  >;
  /** Each delivery's frame payload (the event's envelope as JSON). */
  envelopes: string[];
  /** The real server's answer to the start. */
  answer: string;
}

const [portText, file, templateFile, mode] = process.argv.slice(2);
const MODES = ['http', 'rows', 'events', 'bare-deliveries', 'bare'];
if (!portText || !file || !templateFile || !MODES.includes(mode ?? ''))
  throw new Error(`usage: floor-server.ts <port> <sqlite file> <template.json> <${MODES.join('|')}>`);
const template = JSON.parse(readFileSync(templateFile, 'utf8')) as FloorTemplate;

const db = new SqliteDatabase(file);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.pragma('temp_store = MEMORY');
const sends = mode !== 'http' && mode !== 'rows';
const bareTables = new Set(
  mode === 'bare' ? Object.keys(template.rows) : mode === 'bare-deliveries' ? ['event_deliveries'] : [],
);
const tableOf = (table: string) => (bareTables.has(table) ? `bare_${table}` : table);
if (bareTables.size > 0) {
  for (const table of bareTables)
    db.exec(`create table if not exists bare_${table} as select * from ${table} where 0`);
  db.exec('create unique index if not exists bare_event_deliveries_id on bare_event_deliveries (id)');
}
const inserts = Object.fromEntries(
  Object.entries(template.rows)
    .filter(([, rows]) => rows.length > 0)
    .map(([table, rows]) => {
      const columns = Object.keys(rows[0] ?? {});
      return [
        table,
        db.prepare(
          `insert into ${tableOf(table)} (${columns.map((c) => `"${c}"`).join(', ')}) values (${columns.map((c) => `@${c}`).join(', ')})`,
        ),
      ];
    }),
);
const delivered = db.prepare(
  `update ${tableOf('event_deliveries')} set status = 'delivered', delivered_at = ?, lease_until = 0 where id in (select value from json_each(?))`,
);
const syncOff = db.prepare('pragma synchronous = NORMAL');
const syncOn = db.prepare('pragma synchronous = FULL');

/** Ids after every id in the copied database, time-ordered like the real ones (19 digits). */
let nextId = BigInt(Date.now()) * 1_000_000n;
const newId = () => String(nextId++);

interface Event {
  deliveryId: string;
  eventId: string;
  json: string;
}
/** One start's rows, its ids fresh; and its events, in order. */
function startRows(): { rows: [string, Record<string, unknown>][]; events: Event[] } {
  const now = Date.now();
  const processId = newId();
  const taskIds = new Map<unknown, string>();
  const rows: [string, Record<string, unknown>][] = [];
  for (const row of template.rows.processes)
    rows.push(['processes', { ...row, id: processId, created_at: now, updated_at: now }]);
  for (const row of template.rows.process_tasks) {
    const id = newId();
    taskIds.set(row.id, id);
    rows.push(['process_tasks', { ...row, id, process_id: processId, updated_at: now }]);
  }
  const events: Event[] = [];
  template.rows.event_deliveries.forEach((row, i) => {
    const id = newId();
    const eventId = `${id}0000`;
    rows.push([
      'event_deliveries',
      {
        ...row,
        id,
        event_id: eventId,
        process_id: processId,
        outbox_id: id,
        status: 'pending',
        delivered_at: null,
        created_at: now,
      },
    ]);
    events.push({ deliveryId: id, eventId, json: template.envelopes[i] ?? '{}' });
  });
  for (const row of template.rows.notifications)
    rows.push([
      'notifications',
      {
        ...row,
        id: newId(),
        process_id: processId,
        task_id: taskIds.get(row.task_id) ?? null,
        created_at: now,
      },
    ]);
  return { rows, events };
}

/** The group commit: what one turn brought, in one transaction, answered once it is durable. */
let batch: { rows: [string, Record<string, unknown>][]; events: Event[]; done: () => void }[] = [];
const writeBatch = db.transaction((rows: [string, Record<string, unknown>][]) => {
  for (const [table, row] of rows) inserts[table]?.run(row);
});
function flush(): void {
  const taken = batch;
  batch = [];
  writeBatch(taken.flatMap((b) => b.rows));
  for (const b of taken) {
    b.done();
    if (sends) startChain(b.events);
  }
}

/** Long connection: each process's events one ack apart; the acks written when its last one comes. */
const sockets: { socket: WebSocket; stream: Duplex; corked: boolean }[] = [];
let turn = 0;
const chains = new Map<string, { events: Event[]; next: number }>();
let acked: string[] = [];
function send(event: Event): void {
  const connection = sockets[turn++ % sockets.length];
  if (!connection) return;
  if (!connection.corked) {
    connection.corked = true;
    connection.stream.cork();
    process.nextTick(() => {
      connection.corked = false;
      connection.stream.uncork();
    });
  }
  connection.socket.send(
    encodeFrame({
      service: 1,
      method: FRAME_DATA,
      headers: { type: 'event', message_id: event.deliveryId, sum: '1', seq: '0', trace_id: event.eventId },
      payload: Buffer.from(event.json, 'utf8'),
    }),
  );
}
function startChain(events: Event[]): void {
  const first = events[0];
  if (!first) return;
  chains.set(first.deliveryId, { events, next: 1 });
  send(first);
}
function onAck(deliveryId: string): void {
  const chain = chains.get(deliveryId);
  if (!chain) return;
  chains.delete(deliveryId);
  const next = chain.events[chain.next++];
  if (next) {
    chains.set(next.deliveryId, chain);
    send(next);
    return;
  }
  if (acked.length === 0) setImmediate(writeAcks);
  acked.push(...chain.events.map((e) => e.deliveryId));
}
function writeAcks(): void {
  const ids = acked;
  acked = [];
  syncOff.run();
  db.transaction(() => delivered.run(Date.now(), JSON.stringify(ids)))();
  syncOn.run();
}

const app = Fastify({ logger: false });
app.post('/start', (request, reply) => {
  if (typeof request.body !== 'object' || request.body === null) return reply.code(400).send({ code: 1 });
  if (mode === 'http') return reply.type('application/json').send(template.answer);
  const { rows, events } = startRows();
  if (batch.length === 0) setImmediate(flush);
  batch.push({
    rows,
    events,
    done: () => void reply.type('application/json').send(template.answer),
  });
  return reply;
});
app.post('/callback/ws/endpoint', () => ({
  code: 0,
  msg: 'ok',
  data: {
    URL: `ws://127.0.0.1:${portText}/callback/ws/connect?device_id=floor&service_id=1`,
    ClientConfig: { ReconnectCount: -1, ReconnectInterval: 120, ReconnectNonce: 30, PingInterval: 3600 },
  },
}));
const wss = new WebSocketServer({ noServer: true });
app.server.on('upgrade', (request, stream: Duplex, head: Buffer) => {
  wss.handleUpgrade(request, stream, head, (socket) => {
    sockets.push({ socket, stream, corked: false });
    socket.on('message', (data: Buffer) => {
      const frame = decodeFrame(data);
      if (frame.method !== FRAME_DATA || !frame.headers.message_id) return;
      const { code } = JSON.parse(frame.payload?.toString('utf8') ?? '{}') as { code?: number };
      if (code === 200) onAck(frame.headers.message_id);
    });
  });
});
await app.listen({ host: '127.0.0.1', port: Number(portText) });
