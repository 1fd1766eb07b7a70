import { statSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { leaveStartBody } from './leave.js';
import SqliteDatabase from 'better-sqlite3';
import { encodeBoundCursor } from '../src/api/pagination.js';
import { startServerProcess, tenantToken, type ServerProcess } from './server-process.js';

interface ScalePoint {
  processes: number;
  diskMb: number;
  generateSeconds: number;
  p99: { 'process.get': number; 'approver list': number; 'deep process-list page': number };
}

/**
 * Copies one real process (started over HTTP) `count` times straight into the SQLite file, with fresh
 * ids, while the server is stopped: generating a million through the API would take hours.
 */
function generate(dataDir: string, templateId: string, count: number): { ids: string[]; seconds: number } {
  const db = new SqliteDatabase(join(dataDir, 'peopleflow.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  const template = db.prepare('select * from processes where id = ?').get(templateId) as Record<
    string,
    string | number
  >;
  const tasks = db.prepare('select * from process_tasks where process_id = ?').all(templateId) as Record<
    string,
    string | number
  >[];
  const stateText = String(template.state);
  const renamed = [
    ...new Set([
      templateId,
      ...(stateText.match(/"(id|nodeRunId|groupId)":"(\d{19})"/g) ?? []).map((m) => m.slice(-20, -1)),
    ]),
  ];
  const insertProcess = db.prepare(
    'insert into processes (id, tenant_id, definition_id, definition_version, biz_type, status, initiator_id, created_at, updated_at, completed_at, version, state) values (?,?,?,?,?,?,?,?,?,?,?,?)',
  );
  const insertTask = db.prepare(
    'insert into process_tasks (id, tenant_id, process_id, assignee_id, status, type, updated_at) values (?,?,?,?,?,?,?)',
  );
  const ids: string[] = [];
  let next = 8_000_000_000_000_000_000n;
  const start = performance.now();
  const batch = db.transaction((n: number) => {
    for (let i = 0; i < n; i++) {
      const mapping = new Map(renamed.map((old) => [old, (next++).toString()]));
      let state = stateText;
      for (const [old, fresh] of mapping) state = state.replaceAll(old, fresh);
      const id = mapping.get(templateId)!;
      ids.push(id);
      insertProcess.run(
        id,
        template.tenant_id,
        template.definition_id,
        template.definition_version,
        template.biz_type,
        template.status,
        template.initiator_id,
        template.created_at,
        template.updated_at,
        template.completed_at ?? null,
        1,
        state,
      );
      for (const t of tasks)
        insertTask.run(
          mapping.get(String(t.id)) ?? (next++).toString(),
          t.tenant_id,
          id,
          t.assignee_id,
          t.status,
          t.type,
          t.updated_at,
        );
    }
  });
  for (let done = 0; done < count; done += 10_000) batch(Math.min(10_000, count - done));
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return { ids, seconds: (performance.now() - start) / 1000 };
}

async function p99(
  url: string,
  headers: Record<string, string>,
  seconds: number,
  path: () => string,
): Promise<number> {
  const result = await autocannon({
    url,
    connections: 1,
    duration: seconds,
    headers,
    requests: [{ setupRequest: (req) => ({ ...req, path: path() }) }],
  });
  if (result.non2xx > 0) throw new Error(`scale benchmark: ${result.non2xx} requests failed`);
  return result.latency.p99;
}

async function measure(processes: number, quick: boolean): Promise<ScalePoint> {
  let server: ServerProcess = await startServerProcess();
  const dataDir = server.dataDir;
  const token = await tenantToken(server);
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const started = (await (
    await fetch(`${server.url}/open-apis/corehr/v2/process_start?user_id_type=user_id`, {
      method: 'POST',
      headers,
      body: leaveStartBody(server.demo.flow_definitions.leave!),
    })
  ).json()) as { data: { process_id: string } };
  await server.stop();
  const { ids, seconds } = generate(dataDir, started.data.process_id, processes - 1);
  const db = new SqliteDatabase(join(dataDir, 'peopleflow.db'), { readonly: true });
  const tenantId = (db.prepare("select id from tenants where tenant_key = 'demo'").get() as { id: string })
    .id;
  // Every copy keeps the template's modification time: the list's keyset position is (updated_at, id).
  const updatedAt = (
    db.prepare('select updated_at from processes where id = ?').get(started.data.process_id) as {
      updated_at: number;
    }
  ).updated_at;
  db.close();
  const files = ['peopleflow.db', 'peopleflow.db-wal'].map((f) => join(dataDir, f)).filter(existsSync);
  const diskMb = files.reduce((n, f) => n + statSync(f).size, 0) / 2 ** 20;

  server = await startServerProcess([], {}, dataDir);
  const url = server.url;
  const auth = { authorization: `Bearer ${await tenantToken(server)}` };
  const duration = quick ? 1 : 3;
  // A window just under 31 days around the template's modification time, and a cursor 90 % of the way through.
  const now = Date.now();
  const windowFrom = now - 29 * 86_400_000;
  const windowTo = now + 86_400_000;
  const deep = encodeBoundCursor(
    `${updatedAt}.${ids[Math.floor(ids.length * 0.9)] ?? ids[0]!}`,
    JSON.stringify([tenantId, windowFrom, windowTo, [], '']),
  );
  const random = () => ids[Math.floor(Math.random() * ids.length)]!;
  const point: ScalePoint = {
    processes,
    diskMb,
    generateSeconds: seconds,
    p99: {
      'process.get': await p99(url, auth, duration, () => `/open-apis/corehr/v2/processes/${random()}`),
      'approver list': await p99(
        url,
        auth,
        duration,
        () => '/open-apis/corehr/v2/approvers?user_id=manager&user_id_type=user_id&page_size=20',
      ),
      'deep process-list page': await p99(
        url,
        auth,
        duration,
        () =>
          `/open-apis/corehr/v2/processes?page_size=20&modify_time_from=${windowFrom}&modify_time_to=${windowTo}&page_token=${deep}`,
      ),
    },
  };
  await server.stop();
  return point;
}

/** d. p99 of reads at a small and a large data set. */
export async function scaleBench(
  small: number,
  large: number,
  quick: boolean,
): Promise<{ small: ScalePoint; large: ScalePoint }> {
  return { small: await measure(small, quick), large: await measure(large, quick) };
}
