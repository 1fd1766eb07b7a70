import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../src/platform/clock.js';
import { forEachDialect } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { PeopleClient } from '../helpers/people.js';

interface Item {
  process_id: string;
  task_id?: string;
  flow: { flow_id: string; name: { en_us: string } };
  initiator: { user_id: string; name: { en_us: string } };
  status: string;
  node_name?: { en_us: string };
  task_status?: string;
  summary: { label: { en_us: string }; value: { en_us: string; zh_cn: string }; format?: string }[];
  started_at: string;
  waiting_since?: string;
  overdue: boolean;
  batch_approvable: boolean;
}

const HOUR = 60 * 60 * 1000;
const leave = (days: number) => ({
  leave_type: 'annual',
  start_date: '2026-03-02',
  end_date: '2026-03-06',
  days: String(days),
});

/** Every item of a tab, page by page, checking that each page holds the total. */
async function allPages(person: PeopleClient, path: string, pageSize: number): Promise<Item[]> {
  const items: Item[] = [];
  let token: string | undefined;
  let pages = 0;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const page = await person.get(
      `${path}${sep}page_size=${pageSize}${token ? `&page_token=${encodeURIComponent(token)}` : ''}`,
    );
    assert.equal(page.status, 200, JSON.stringify(page.body));
    assert.ok(page.body.items.length <= pageSize);
    items.push(...(page.body.items as Item[]));
    token = page.body.page_token;
    assert.ok(++pages < 50, 'paging ends');
  } while (token);
  return items;
}

forEachDialect('people API: the approval center inbox', (dialect) => {
  const clock = new ManualClock(Date.UTC(2026, 2, 1, 9));
  let server: TestServer;
  const people: Record<string, PeopleClient> = {};
  const flows: Record<string, string> = {};
  /** The 5-day leave (two approvers), then six 2-day leaves, one minute apart. */
  const started: string[] = [];
  let infoChange = '';

  before(async () => {
    server = await startTestServer(dialect, { flags: ['--demo'], clock });
    for (const who of ['employee', 'manager', 'dept_leader', 'hrbp', 'outsider']) {
      people[who] = new PeopleClient(server.url);
      await people[who].signInDemo(who);
    }
    const employee = people.employee as PeopleClient;
    for (const f of (await employee.get('/api/v1/flows')).body.items as {
      flow_id: string;
      biz_type: string;
    }[])
      flows[f.biz_type] = f.flow_id;
    for (const days of [5, 2, 2, 2, 2, 2, 2]) {
      clock.advance(60_000);
      const r = await employee.post('/api/v1/processes', {
        flow_id: flows.leave_application,
        form_values: leave(days),
      });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      started.push(r.body.process_id as string);
    }
    clock.advance(60_000);
    const r = await employee.post('/api/v1/processes', {
      flow_id: flows.person_info_change,
      form_values: { field: 'phone', new_value: '555-0100' },
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    infoChange = r.body.process_id as string;
  });
  after(() => server.close());

  test("the manager's to-dos: counts, items with summary lines, newest or oldest first", async () => {
    const manager = people.manager as PeopleClient;
    assert.deepEqual((await manager.get('/api/v1/inbox/counts')).body, {
      todo: 7,
      done: 0,
      started: 0,
      cc: 0,
    });
    const todo = await manager.get('/api/v1/inbox/todo');
    assert.equal(todo.status, 200);
    assert.equal(todo.body.total, 7);
    const items = todo.body.items as Item[];
    assert.deepEqual(
      items.map((i) => i.process_id),
      [...started].reverse(),
    );
    const first = items.find((i) => i.process_id === started[0]) as Item;
    assert.equal(first.flow.name.en_us, 'Leave');
    assert.equal(first.initiator.user_id, 'employee');
    assert.equal(first.initiator.name.en_us, 'Zhang San');
    assert.equal(first.status, 'in_progress');
    assert.equal(first.node_name?.en_us, 'Manager approval');
    assert.equal(first.task_status, 'in_progress');
    assert.match(first.task_id ?? '', /^\d+$/);
    // Dates say so: the reader shows them in their own language (the value is the stored date).
    assert.deepEqual(
      first.summary.map((s) => [s.label.en_us, s.value.en_us, s.format]),
      [
        ['Leave type', 'Annual', undefined],
        ['Start date', '2026-03-02', 'date'],
        ['End date', '2026-03-06', 'date'],
      ],
    );
    assert.equal(first.summary[0]?.value.zh_cn, '年假');
    // The process page's summary: the same lines (up to five).
    const detail = await manager.get(`/api/v1/processes/${started[0]}`);
    assert.deepEqual(
      (detail.body.summary as Item['summary']).map((s) => [s.label.en_us, s.value.en_us, s.format]),
      [
        ['Leave type', 'Annual', undefined],
        ['Start date', '2026-03-02', 'date'],
        ['End date', '2026-03-06', 'date'],
        ['Days', '5', undefined],
      ],
    );
    assert.equal(first.started_at, new Date(Date.UTC(2026, 2, 1, 9, 1)).toISOString());
    assert.equal(first.waiting_since, first.started_at);
    assert.equal(first.overdue, false);
    assert.equal(first.batch_approvable, true);

    const oldest = await manager.get('/api/v1/inbox/todo?sort=oldest');
    assert.deepEqual(
      (oldest.body.items as Item[]).map((i) => i.process_id),
      started,
    );
    // The HRBP's to-do lets them edit a field but requires none: batch approvable.
    const hrbp = await (people.hrbp as PeopleClient).get('/api/v1/inbox/todo');
    assert.deepEqual(
      (hrbp.body.items as Item[]).map((i) => [i.process_id, i.batch_approvable]),
      [[infoChange, true]],
    );
  });

  test('paging walks every item once, in order, whatever the page size and order', async () => {
    const manager = people.manager as PeopleClient;
    for (const sort of ['newest', 'oldest']) {
      const full = ((await manager.get(`/api/v1/inbox/todo?sort=${sort}`)).body.items as Item[]).map(
        (i) => i.process_id,
      );
      for (const size of [1, 2, 3, 7]) {
        const paged = (await allPages(manager, `/api/v1/inbox/todo?sort=${sort}`, size)).map(
          (i) => i.process_id,
        );
        assert.deepEqual(paged, full, `${sort} by ${size}`);
      }
    }
    const employee = people.employee as PeopleClient;
    const startedTab = (await allPages(employee, '/api/v1/inbox/started?sort=oldest', 3)).map(
      (i) => i.process_id,
    );
    assert.deepEqual(startedTab, [...started, infoChange]);

    // A token is bound to its tab and filters.
    const page = await manager.get('/api/v1/inbox/todo?page_size=2');
    const reused = await manager.get(
      `/api/v1/inbox/todo?page_size=2&sort=oldest&page_token=${encodeURIComponent(page.body.page_token as string)}`,
    );
    assert.equal(reused.status, 400);
    assert.equal(reused.body.error.violations[0].field, 'page_token');
  });

  test('filters: flow, text, status, start dates, overdue', async () => {
    const manager = people.manager as PeopleClient;
    const total = async (query: string) => {
      const r = await manager.get(`/api/v1/inbox/todo?${query}`);
      assert.equal(r.status, 200, `${query}: ${JSON.stringify(r.body)}`);
      assert.equal(r.body.items.length, r.body.total);
      return r.body.total as number;
    };
    assert.equal(await total(`flow_id=${flows.leave_application}`), 7);
    assert.equal(await total(`flow_id=${flows.person_info_change}`), 0);
    assert.equal(await total('query=zhang'), 7);
    assert.equal(await total(`query=${encodeURIComponent('张三')}`), 7);
    assert.equal(await total('query=leave'), 7);
    assert.equal(await total('query=nobody'), 0);
    assert.equal(await total(`query=${started[3]}`), 1);
    assert.equal(await total('status=in_progress'), 7);
    assert.equal(await total('status=completed'), 0);
    assert.equal(await total('from=2026-03-01&to=2026-03-01'), 7);
    assert.equal(await total('from=2026-03-02'), 0);
    assert.equal(await total('to=2026-02-28'), 0);
    assert.equal(await total(`from=${encodeURIComponent('2026-03-01T09:03:30Z')}`), 4);
    assert.equal(await total('overdue=true'), 0);

    clock.advance(49 * HOUR);
    // Two days idle ended every session: sign in again.
    for (const [who, person] of Object.entries(people)) await person.signInDemo(who);
    const overdue = await manager.get('/api/v1/inbox/todo?overdue=true');
    assert.equal(overdue.body.total, 7);
    assert.ok((overdue.body.items as Item[]).every((i) => i.overdue));
    const startedOverdue = await (people.employee as PeopleClient).get('/api/v1/inbox/started?overdue=true');
    assert.equal(startedOverdue.body.total, 8);
  });

  test('batch approve: each item on its own; then the leader, and the HRBP is copied', async () => {
    const manager = people.manager as PeopleClient;
    const todo = (await manager.get('/api/v1/inbox/todo?sort=oldest')).body.items as Item[];
    const items = todo.map((i) => ({ process_id: i.process_id, task_id: i.task_id }));
    const noCsrf = await manager.request('POST', '/api/v1/inbox/batch-approve', { body: { items } });
    assert.equal(noCsrf.status, 403);
    const batch = await manager.post('/api/v1/inbox/batch-approve', {
      items: [...items, { process_id: started[0], task_id: '1' }, { process_id: infoChange, task_id: '2' }],
      opinion: 'OK',
    });
    assert.equal(batch.status, 200, JSON.stringify(batch.body));
    const results = batch.body.results as { process_id: string; ok: boolean; error?: { code: string } }[];
    assert.deepEqual(
      results.slice(0, 7).map((r) => r.ok),
      [true, true, true, true, true, true, true],
    );
    assert.equal(results[7]?.error?.code, 'task_not_found');
    // The info change is not the manager's to see.
    assert.equal(results[8]?.error?.code, 'process_not_found');
    assert.deepEqual((await manager.get('/api/v1/inbox/counts')).body, {
      todo: 0,
      done: 7,
      started: 0,
      cc: 0,
    });
    const done = (await manager.get('/api/v1/inbox/done')).body.items as Item[];
    assert.equal(done.length, 7);
    assert.ok(done.every((i) => i.task_status === 'approved' && i.node_name?.en_us === 'Manager approval'));
    assert.ok(done.every((i) => !i.batch_approvable));

    // Approving again: the task has closed.
    const again = await manager.post('/api/v1/inbox/batch-approve', { items: items.slice(0, 1) });
    assert.equal(again.body.results[0].error.code, 'task_status_conflict');

    const leader = people.dept_leader as PeopleClient;
    const leaderTodo = (await leader.get('/api/v1/inbox/todo')).body.items as Item[];
    assert.deepEqual(
      leaderTodo.map((i) => [i.process_id, i.node_name?.en_us]),
      [[started[0], 'Department leader approval']],
    );
    const leaderTask = { process_id: started[0], task_id: leaderTodo[0]?.task_id };
    // Not theirs: someone who cannot see the process learns nothing; the initiator may see it but not act.
    const outsider = await (people.outsider as PeopleClient).post('/api/v1/inbox/batch-approve', {
      items: [leaderTask],
    });
    assert.equal(outsider.body.results[0].error.code, 'process_not_found');
    const initiator = await (people.employee as PeopleClient).post('/api/v1/inbox/batch-approve', {
      items: [leaderTask],
    });
    assert.equal(initiator.body.results[0].error.code, 'operator_not_allowed');
    assert.equal((await leader.get('/api/v1/inbox/counts')).body.todo, 1);
    clock.advance(60_000);
    const approved = await leader.post('/api/v1/inbox/batch-approve', { items: [leaderTask] });
    assert.equal(approved.body.results[0].ok, true);

    const hrbp = people.hrbp as PeopleClient;
    const counts = (await hrbp.get('/api/v1/inbox/counts')).body;
    assert.equal(counts.cc, 7);
    const cc = (await hrbp.get('/api/v1/inbox/cc?sort=oldest')).body;
    assert.equal(cc.total, 7);
    const ccItems = cc.items as Item[];
    assert.ok(ccItems.every((i) => i.status === 'completed' && i.task_id === undefined));
    assert.equal(ccItems.at(-1)?.process_id, started[0], 'copied last, when the leader approved');
    assert.deepEqual(ccItems.map((i) => i.process_id).sort(), [...started].sort());
    assert.equal((await hrbp.get(`/api/v1/inbox/cc?flow_id=${flows.person_info_change}`)).body.total, 0);

    const employee = people.employee as PeopleClient;
    assert.equal((await employee.get('/api/v1/inbox/started?status=completed')).body.total, 7);
    assert.equal((await employee.get('/api/v1/inbox/started?status=in_progress')).body.total, 1);
    assert.deepEqual((await employee.get('/api/v1/inbox/counts')).body, {
      todo: 0,
      done: 0,
      started: 8,
      cc: 0,
    });
  });

  test('bad input is refused with the field named', async () => {
    const manager = people.manager as PeopleClient;
    assert.equal((await new PeopleClient(server.url).get('/api/v1/inbox/counts')).status, 401);
    const field = async (path: string) => {
      const r = await manager.get(path);
      assert.equal(r.status, 400, `${path}: ${r.status}`);
      assert.equal(r.body.error.code, 'invalid_field');
      return r.body.error.violations[0].field as string;
    };
    assert.equal(await field('/api/v1/inbox/nope'), 'tab');
    assert.equal(await field('/api/v1/inbox/todo?status=lost'), 'status');
    assert.equal(await field('/api/v1/inbox/todo?page_size=0'), 'page_size');
    assert.equal(await field('/api/v1/inbox/todo?page_size=101'), 'page_size');
    assert.equal(await field('/api/v1/inbox/todo?sort=random'), 'sort');
    assert.equal(await field('/api/v1/inbox/todo?from=yesterday'), 'from');
    assert.equal(await field('/api/v1/inbox/todo?from=2026-02-31'), 'from');
    assert.equal(await field('/api/v1/inbox/todo?from=2026-03-02&to=2026-03-01'), 'to');
    assert.equal(await field('/api/v1/inbox/todo?flow_id=abc'), 'flow_id');
    assert.equal(await field('/api/v1/inbox/todo?page_token=forged'), 'page_token');
    assert.equal(await field(`/api/v1/inbox/todo?query=${'x'.repeat(201)}`), 'query');
    assert.equal(await field('/api/v1/inbox/todo?query=a%00b'), 'query');

    const batch = async (body: unknown) => {
      const r = await manager.post('/api/v1/inbox/batch-approve', body);
      assert.equal(r.status, 400, JSON.stringify(r.body));
      return r.body.error.violations[0].field as string;
    };
    const item = { process_id: started[0], task_id: '1' };
    assert.equal(await batch({ items: [] }), 'items');
    assert.equal(await batch({ items: Array.from({ length: 51 }, () => item) }), 'items');
    assert.equal(await batch({ items: [{ process_id: 'x', task_id: '1' }] }), 'items[0].process_id');
    assert.equal(await batch({ items: [item], opinion: 'x'.repeat(2001) }), 'opinion');
    assert.equal(await batch({ items: [item], extra: true }), 'extra');
  });
});
