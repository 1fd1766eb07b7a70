import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { leaveStartBody } from './leave.js';
import { startServerProcess, tenantToken, type ServerProcess } from './server-process.js';

/**
 * Data fixtures for benchmarks that need many processes: copies of one real process written straight
 * into a stopped server's SQLite file (generating them through the API would take hours), and a
 * signed-in people-API session for a demo person.
 */

type Row = Record<string, string | number | null>;

export interface CopyOptions {
  /**
   * Copy i's people: employee ids (not user_ids) to swap, old → new, in its rows and its state — e.g.
   * another approver or initiator. Undefined: the template's people.
   */
  people?: (i: number) => ReadonlyMap<string, string> | undefined;
  /**
   * Copy i's time (Unix ms): its created/updated/waiting-since, its tasks' `updated_at`, and every
   * timestamp in its state equal to the template's `updated_at`. Undefined: the template's times.
   */
  time?: (i: number) => number;
}

export interface Copies {
  /** The copies' process ids, in copy order (ascending). */
  ids: string[];
  /** Per copy, its open tasks' ids and assignees (employee ids), as written to `process_tasks`. */
  openTasks: { id: string; assigneeId: string }[][];
  seconds: number;
}

/** The employee id (people_corehr_id) of a user_id in the demo tenant. */
export function employeeIdOf(db: SqliteDatabase.Database, userId: string): string {
  const row = db
    .prepare(
      "select e.id from employees e join tenants t on t.id = e.tenant_id where t.tenant_key = 'demo' and e.user_id = ?",
    )
    .get(userId) as { id: string } | undefined;
  if (!row) throw new Error(`user_id ${userId}: no such demo person`);
  return row.id;
}

/**
 * Copies process `templateId` (its row, its `process_tasks` and `process_ccs` rows) `count` times with
 * fresh ids into `dataDir`'s SQLite file. The server must be stopped. Fresh ids are above every id in
 * the file, so it can be called again on the same file.
 */
export function copyProcess(
  dataDir: string,
  templateId: string,
  count: number,
  options: CopyOptions = {},
): Copies {
  const db = new SqliteDatabase(join(dataDir, 'peopleflow.db'));
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = OFF');
    const template = db.prepare('select * from processes where id = ?').get(templateId) as Row | undefined;
    if (!template) throw new Error(`templateId: no process ${templateId}`);
    const tasks = db.prepare('select * from process_tasks where process_id = ?').all(templateId) as Row[];
    const ccs = db.prepare('select * from process_ccs where process_id = ?').all(templateId) as Row[];
    const stateText = String(template.state);
    const templateTime = Number(template.updated_at);
    // Every id in the state the engine made for this process (nodes, groups, tasks), renamed per copy.
    const renamed = [
      ...new Set([
        templateId,
        ...(stateText.match(/"(id|nodeRunId|groupId)":"(\d{19})"/g) ?? []).map((m) => m.slice(-20, -1)),
        ...tasks.map((t) => String(t.id)),
      ]),
    ];
    const insert = (table: string, columns: string[]) =>
      db.prepare(
        `insert into ${table} (${columns.join(', ')}) values (${columns.map(() => '?').join(', ')})`,
      );
    const processColumns = Object.keys(template);
    const taskColumns = tasks[0] ? Object.keys(tasks[0]) : [];
    const ccColumns = ccs[0] ? Object.keys(ccs[0]) : [];
    const insertProcess = insert('processes', processColumns);
    const insertTask = taskColumns.length > 0 ? insert('process_tasks', taskColumns) : undefined;
    const insertCc = ccColumns.length > 0 ? insert('process_ccs', ccColumns) : undefined;
    // 19-digit ids compare as text; start above the highest in the file (and above real snowflakes).
    const highest = db
      .prepare(
        'select max(id) as id from (select max(id) as id from processes where length(id) = 19 union all select max(id) from process_tasks where length(id) = 19)',
      )
      .get() as { id: string | null };
    let next = 8_000_000_000_000_000_000n;
    if (highest.id !== null && BigInt(highest.id) >= next) next = BigInt(highest.id) + 1n;
    const timeInState = new RegExp(`:${templateTime}(?=[,}\\]])`, 'g');

    const ids: string[] = [];
    const openTasks: Copies['openTasks'] = [];
    const one = (i: number) => {
      const mapping = new Map(renamed.map((old) => [old, (next++).toString()]));
      const people = options.people?.(i);
      const time = options.time?.(i);
      const person = (id: string | number | null | undefined) =>
        id === null || id === undefined ? null : (people?.get(String(id)) ?? String(id));
      let state = stateText;
      for (const [old, fresh] of mapping) state = state.replaceAll(`"${old}"`, `"${fresh}"`);
      if (people) for (const [old, fresh] of people) state = state.replaceAll(`"${old}"`, `"${fresh}"`);
      if (time !== undefined) state = state.replace(timeInState, `:${time}`);
      const id = mapping.get(templateId)!;
      ids.push(id);
      const at = (value: string | number | null | undefined) =>
        time !== undefined && Number(value) === templateTime ? time : (value ?? null);
      const process: Row = {
        ...template,
        id,
        initiator_id: person(template.initiator_id),
        created_at: at(template.created_at),
        updated_at: at(template.updated_at),
        waiting_since: at(template.waiting_since),
        version: 1,
        state,
      };
      insertProcess.run(processColumns.map((c) => process[c] ?? null));
      const open: { id: string; assigneeId: string }[] = [];
      for (const t of tasks) {
        const task: Row = {
          ...t,
          id: mapping.get(String(t.id))!,
          process_id: id,
          assignee_id: person(t.assignee_id),
          on_behalf_of: person(t.on_behalf_of),
          updated_at: at(t.updated_at),
          // The process's facts each task row carries (migration 0025).
          initiator_id: person(t.initiator_id),
          process_created_at: at(t.process_created_at),
        };
        insertTask!.run(taskColumns.map((c) => task[c] ?? null));
        if (task.status === 'in_progress')
          open.push({ id: String(task.id), assigneeId: String(task.assignee_id) });
      }
      openTasks.push(open);
      for (const c of ccs) {
        const cc: Row = {
          ...c,
          process_id: id,
          recipient_id: person(c.recipient_id),
          created_at: at(c.created_at),
        };
        insertCc!.run(ccColumns.map((col) => cc[col] ?? null));
      }
    };
    const start = performance.now();
    const batch = db.transaction((from: number, to: number) => {
      for (let i = from; i < to; i++) one(i);
    });
    for (let done = 0; done < count; done += 10_000) batch(done, Math.min(done + 10_000, count));
    db.pragma('wal_checkpoint(TRUNCATE)');
    return { ids, openTasks, seconds: (performance.now() - start) / 1000 };
  } finally {
    db.close();
  }
}

/** Starts the demo leave (employee asks, manager approves) over the Open API; answers its process id. */
export async function startDemoLeave(server: ServerProcess): Promise<string> {
  const response = await fetch(`${server.url}/open-apis/corehr/v2/process_start?user_id_type=user_id`, {
    method: 'POST',
    headers: { authorization: `Bearer ${await tenantToken(server)}`, 'content-type': 'application/json' },
    body: leaveStartBody(server.demo.flow_definitions.leave!),
  });
  const body = (await response.json()) as { code: number; data?: { process_id: string } };
  if (!body.data) throw new Error(`demo leave start: ${JSON.stringify(body)}`);
  return body.data.process_id;
}

const DAY_MS = 86_400_000;

/**
 * Gives demo person `userId` (e.g. 'manager') `count` more open approval tasks, for "a person with
 * 10,000 open tasks" benchmarks.
 *
 * Contract: `dataDir` is the data dir of a STOPPED server (`ServerProcess.dataDir` after `stop()`),
 * SQLite only, holding at least one in-progress process with an open task — e.g. one demo leave
 * started with `startDemoLeave(server)` before stopping it. The newest such process is copied `count`
 * times with fresh ids (the way the scale benchmark does); in each copy the template's open-task
 * assignee becomes `userId` (in the rows and the state), so every copy is a real to-do of theirs that
 * the people API lists, opens and can approve. The copies' times are spread evenly over the 30 days
 * before the template's, newest last (most are overdue, as in a real backlog). Restart the server on
 * the same dir afterwards (`startServerProcess([], {}, dataDir)`).
 */
export function seedOpenTasks(
  dataDir: string,
  userId: string,
  count: number,
  /** user_ids the copies' initiators rotate through (default: the template's initiator for all). */
  initiators: string[] = [],
): Promise<void> {
  const db = new SqliteDatabase(join(dataDir, 'peopleflow.db'), { readonly: true });
  let templateId: string;
  let assigneeId: string;
  let me: string;
  let templateTime: number;
  let templateInitiator: string;
  let initiatorIds: string[];
  try {
    me = employeeIdOf(db, userId);
    initiatorIds = initiators.map((u) => employeeIdOf(db, u));
    const template = db
      .prepare(
        "select p.id, p.updated_at, t.assignee_id from processes p join process_tasks t on t.process_id = p.id where p.status = 'in_progress' and t.status = 'in_progress' order by (t.assignee_id = ?) desc, p.updated_at desc, p.id desc limit 1",
      )
      .get(me) as { id: string; updated_at: number; assignee_id: string } | undefined;
    if (!template)
      throw new Error(`seedOpenTasks: ${dataDir} holds no in-progress process (start one: startDemoLeave)`);
    [templateId, assigneeId, templateTime] = [template.id, template.assignee_id, template.updated_at];
    templateInitiator = (
      db.prepare('select initiator_id from processes where id = ?').get(templateId) as {
        initiator_id: string;
      }
    ).initiator_id;
  } finally {
    db.close();
  }
  const swaps = (initiatorIds.length > 0 ? initiatorIds : [templateInitiator]).map(
    (initiator) =>
      new Map([
        ...(assigneeId === me ? [] : [[assigneeId, me] as const]),
        ...(initiator === templateInitiator ? [] : [[templateInitiator, initiator] as const]),
      ]),
  );
  const step = (30 * DAY_MS) / Math.max(count, 1);
  copyProcess(dataDir, templateId, count, {
    people: (i) => {
      const swap = swaps[i % swaps.length];
      return swap && swap.size > 0 ? swap : undefined;
    },
    time: (i) => Math.round(templateTime - 30 * DAY_MS + (i + 1) * step) - 1,
  });
  return Promise.resolve();
}

/** A signed-in demo person on the people API: send `headers` with every request. */
export interface PeopleSession {
  /** The session and CSRF cookies, as one `cookie` header value. */
  cookie: string;
  /** For state-changing requests (POST, PATCH, DELETE) as `x-csrf-token`. */
  csrfToken: string;
  /** `cookie` and `x-csrf-token`, ready for fetch or autocannon. */
  headers: Record<string, string>;
}

/**
 * Signs demo person `userId` in to the people API of a running server (started with --demo, as
 * `startServerProcess` does), through demo sign-in (no password).
 */
export async function peopleSession(server: ServerProcess, userId: string): Promise<PeopleSession> {
  const jar = new Map<string, string>();
  const keep = (response: Response) => {
    for (const line of response.headers.getSetCookie()) {
      const pair = line.split(';')[0] ?? '';
      const eq = pair.indexOf('=');
      if (eq > 0) jar.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
  };
  const cookie = () => [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
  const csrf = await fetch(`${server.url}/api/v1/auth/csrf`);
  keep(csrf);
  const csrfToken = ((await csrf.json()) as { csrf_token: string }).csrf_token;
  const signIn = await fetch(`${server.url}/api/v1/auth/demo`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-csrf-token': csrfToken, cookie: cookie() },
    body: JSON.stringify({ user_id: userId }),
  });
  keep(signIn);
  const text = await signIn.text();
  if (signIn.status !== 200) throw new Error(`demo sign-in as ${userId}: ${signIn.status} ${text}`);
  // A body may hand out a fresh CSRF token (as the web app's client reads it).
  const fresh = (JSON.parse(text) as { csrf_token?: unknown }).csrf_token;
  const token = typeof fresh === 'string' ? fresh : csrfToken;
  return { cookie: cookie(), csrfToken: token, headers: { cookie: cookie(), 'x-csrf-token': token } };
}

/** Demo people who start the to-dos a profile or an A/B run seeds for the manager. */
export const TODO_INITIATORS = ['dept_leader', 'hrbp', 'cto', 'backend_dev'];

/**
 * A data dir (SQLite, --demo) in which `userId` has `count` open tasks: starts a server (the build of
 * checkout `root`, with `nodeArgs`), starts a demo leave, stops it, and seeds. Start a server on it next.
 */
export async function dataDirWithOpenTasks(
  userId: string,
  count: number,
  initiators: string[] = [],
  serverArgs: string[] = [],
  nodeArgs: string[] = [],
  root?: string,
): Promise<string> {
  const first = await startServerProcess(serverArgs, {}, undefined, nodeArgs, root);
  await startDemoLeave(first);
  await first.stop({ keepData: true });
  await seedOpenTasks(first.dataDir, userId, count, initiators);
  return first.dataDir;
}

/** A running server on `dataDirWithOpenTasks`' data dir. Stop it when done. */
export async function serverWithOpenTasks(
  userId: string,
  count: number,
  serverArgs: string[] = [],
  initiators: string[] = [],
): Promise<ServerProcess> {
  return startServerProcess(
    serverArgs,
    {},
    await dataDirWithOpenTasks(userId, count, initiators, serverArgs),
  );
}
