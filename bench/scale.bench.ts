import { statSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { encodeBoundCursor } from '../src/api/pagination.js';
import { startServerProcess, tenantToken, type ServerProcess } from './server-process.js';
import { copyProcess, employeeIdOf, peopleSession, startDemoLeave } from './todo-fixture.js';

export const SCALE_ROWS = [
  'process.get',
  'approver list',
  'deep process-list page',
  'people: to-do first page',
  'people: to-do page 90 % deep',
  'people: tab counts',
  'people: to-do search (initiator name)',
  'people: started search (flow name)',
] as const;

interface ScalePoint {
  processes: number;
  /** The measured approver's (manager's) open tasks; the initiator (employee) started as many. */
  todos: number;
  diskMb: number;
  generateSeconds: number;
  p99: Record<(typeof SCALE_ROWS)[number], number>;
  p50: Record<(typeof SCALE_ROWS)[number], number>;
}

/** The measured person's open tasks at any size: one person's backlog does not grow with the data set. */
const MEASURED_TODOS = 1_000;
/** The copies' times spread over the 28 days before the template's (inside the list's 31-day window). */
const SPAN_MS = 28 * 86_400_000;

/**
 * Copies one real demo leave (employee asks, manager approves) until there are `processes`. 999 copies,
 * evenly spread, keep employee and manager, so manager's 1,000 to-dos (and employee's started processes)
 * are spread evenly through the data set; the others go between the other demo people. Times ascend
 * with the copies, the template newest.
 */
function generate(dataDir: string, templateId: string, processes: number) {
  const db = new SqliteDatabase(join(dataDir, 'peopleflow.db'), { readonly: true });
  const employee = employeeIdOf(db, 'employee');
  const manager = employeeIdOf(db, 'manager');
  const tenantId = (db.prepare("select id from tenants where tenant_key = 'demo'").get() as { id: string })
    .id;
  const others = (
    db.prepare('select id from employees where tenant_id = ? order by id').all(tenantId) as { id: string }[]
  )
    .map((e) => e.id)
    .filter((id) => id !== employee && id !== manager);
  const templateTime = (
    db.prepare('select updated_at from processes where id = ?').get(templateId) as { updated_at: number }
  ).updated_at;
  db.close();
  const count = processes - 1;
  // Copy i keeps employee and manager when it is where the next of `kept` evenly spread copies falls.
  const kept = Math.min(MEASURED_TODOS - 1, count);
  const keeps = (i: number) => Math.floor(((i + 1) * kept) / count) > Math.floor((i * kept) / count);
  const time = (i: number) => Math.round(templateTime - SPAN_MS + ((i + 1) * SPAN_MS) / (count + 1));
  const copies = copyProcess(dataDir, templateId, count, {
    time,
    people: (i) =>
      keeps(i)
        ? undefined
        : new Map([
            [employee, others[i % others.length]!],
            [manager, others[(i + 1) % others.length]!],
          ]),
  });
  const todos = 1 + copies.openTasks.filter((open) => open.some((t) => t.assigneeId === manager)).length;
  return { ...copies, tenantId, time, todos };
}

/**
 * p99 and p50 of `path()` over `seconds`, one request at a time (like one connection), timed with
 * performance.now() around fetch: autocannon reports whole milliseconds, too coarse for these reads.
 */
async function latency(
  url: string,
  headers: Record<string, string>,
  seconds: number,
  path: () => string,
): Promise<{ p99: number; p50: number }> {
  const once = async () => {
    const start = performance.now();
    const response = await fetch(`${url}${path()}`, { headers });
    await response.arrayBuffer();
    const ms = performance.now() - start;
    if (!response.ok) throw new Error(`scale benchmark: ${path()} answered ${response.status}`);
    return ms;
  };
  // Warm (JIT, caches, the connection): 20 requests, or a quarter of the time if they are slow.
  const warm = performance.now() + seconds * 250;
  for (let i = 0; i < 20 && performance.now() < warm; i++) await once();
  const samples: number[] = [];
  const end = performance.now() + seconds * 1000;
  while (performance.now() < end) samples.push(await once());
  samples.sort((a, b) => a - b);
  const at = (q: number) => samples[Math.max(0, Math.ceil(samples.length * q) - 1)]!;
  return { p99: at(0.99), p50: at(0.5) };
}

async function json<T>(url: string, headers: Record<string, string>): Promise<T> {
  const response = await fetch(url, { headers });
  if (!response.ok) throw new Error(`scale benchmark: ${url} answered ${response.status}`);
  return (await response.json()) as T;
}

interface InboxPage {
  items: unknown[];
  total: number;
  page_token?: string;
}

/** The token of the to-do page 90 % of the way through the list (walked 100 at a time). */
async function deepTodoToken(url: string, headers: Record<string, string>, total: number): Promise<string> {
  let token = '';
  for (let seen = 0; seen < total * 0.9;) {
    const page = await json<InboxPage>(
      `${url}/api/v1/inbox/todo?page_size=100${token ? `&page_token=${token}` : ''}`,
      headers,
    );
    if (!page.page_token) break;
    token = page.page_token;
    seen += page.items.length;
  }
  return token;
}

async function measure(processes: number, quick: boolean): Promise<ScalePoint> {
  let server: ServerProcess = await startServerProcess();
  const dataDir = server.dataDir;
  const templateId = await startDemoLeave(server);
  await server.stop({ keepData: true });
  const { ids, seconds, tenantId, time, todos } = generate(dataDir, templateId, processes);
  const files = ['peopleflow.db', 'peopleflow.db-wal'].map((f) => join(dataDir, f)).filter(existsSync);
  const diskMb = files.reduce((n, f) => n + statSync(f).size, 0) / 2 ** 20;

  server = await startServerProcess([], {}, dataDir);
  const url = server.url;
  const auth = { authorization: `Bearer ${await tenantToken(server)}` };
  const manager = (await peopleSession(server, 'manager')).headers;
  const employee = (await peopleSession(server, 'employee')).headers;
  const duration = quick ? 0.5 : 3;
  // A window just under 31 days around now, and a cursor 90 % of the way through the copies.
  const now = Date.now();
  const windowFrom = now - 29 * 86_400_000;
  const windowTo = now + 86_400_000;
  const deepIndex = Math.floor(ids.length * 0.9);
  const deep = encodeBoundCursor(
    `${time(deepIndex)}.${ids[deepIndex] ?? ids[0]!}`,
    JSON.stringify([tenantId, windowFrom, windowTo, [], '']),
  );
  // The searches must find something, or they would measure an empty answer.
  const initiatorName = 'Zhang San'; // the demo employee's English name
  const flowName = 'Leave'; // the demo leave flow's English name
  const todoSearch = `/api/v1/inbox/todo?query=${encodeURIComponent(initiatorName)}&page_size=20`;
  const startedSearch = `/api/v1/inbox/started?query=${flowName}&page_size=20`;
  const todoFirst = await json<InboxPage>(`${url}/api/v1/inbox/todo?page_size=20`, manager);
  if (todoFirst.total !== todos || todoFirst.items.length === 0)
    throw new Error(`scale benchmark: manager has ${todoFirst.total} to-dos, expected ${todos}`);
  for (const [path, who] of [
    [todoSearch, manager],
    [startedSearch, employee],
  ] as const)
    if ((await json<InboxPage>(`${url}${path}`, who)).total === 0)
      throw new Error(`scale benchmark: ${path} finds nothing`);
  const deepTodo = await deepTodoToken(url, manager, todos);

  const random = () => ids[Math.floor(Math.random() * ids.length)]!;
  const rows: [(typeof SCALE_ROWS)[number], Record<string, string>, () => string][] = [
    ['process.get', auth, () => `/open-apis/corehr/v2/processes/${random()}`],
    [
      'approver list',
      auth,
      () => '/open-apis/corehr/v2/approvers?user_id=manager&user_id_type=user_id&page_size=20',
    ],
    [
      'deep process-list page',
      auth,
      () =>
        `/open-apis/corehr/v2/processes?page_size=20&modify_time_from=${windowFrom}&modify_time_to=${windowTo}&page_token=${deep}`,
    ],
    ['people: to-do first page', manager, () => '/api/v1/inbox/todo?page_size=20'],
    ['people: to-do page 90 % deep', manager, () => `/api/v1/inbox/todo?page_size=20&page_token=${deepTodo}`],
    ['people: tab counts', manager, () => '/api/v1/inbox/counts'],
    ['people: to-do search (initiator name)', manager, () => todoSearch],
    ['people: started search (flow name)', employee, () => startedSearch],
  ];
  const p99s = {} as ScalePoint['p99'];
  const p50s = {} as ScalePoint['p50'];
  for (const [name, headers, path] of rows)
    ({ p99: p99s[name], p50: p50s[name] } = await latency(url, headers, duration, path));
  await server.stop();
  if (process.env.PEOPLEFLOW_BENCH_KEEP_DATA) console.error(`scale benchmark: kept ${dataDir}`);
  return { processes, todos, diskMb, generateSeconds: seconds, p99: p99s, p50: p50s };
}

/**
 * d. p99 of reads at a small and a large data set: Open API reads, and the people API's approval
 * center (manager's to-do list, its counts, searches) with the same ~1,000 to-dos at both sizes.
 * The data dirs are removed afterwards (PEOPLEFLOW_BENCH_KEEP_DATA=1 keeps them, e.g. to EXPLAIN).
 */
export async function scaleBench(
  small: number,
  large: number,
  quick: boolean,
): Promise<{ small: ScalePoint; large: ScalePoint }> {
  return { small: await measure(small, quick), large: await measure(large, quick) };
}
