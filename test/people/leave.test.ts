import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { forEachDialect } from '../helpers/databases.js';
import { seedTenant, startTestServer, type TestServer } from '../helpers/server.js';
import { PeopleClient } from '../helpers/people.js';

interface Balance {
  leave_type: { key: string };
  balance: number;
  pending: number;
  available: number;
}

forEachDialect('leave balances: console, my balances, the rule at start', (dialect) => {
  let server: TestServer;
  let admin: PeopleClient;
  let employee: PeopleClient;
  let leaveId: string;
  before(async () => {
    server = await startTestServer(dialect, { flags: ['--demo'] });
    admin = new PeopleClient(server.url);
    await admin.signInDemo('hr_head');
    employee = new PeopleClient(server.url);
    await employee.signInDemo('employee');
    const flows = await employee.get('/api/v1/flows');
    leaveId = flows.body.items.find((f: { biz_type: string }) => f.biz_type === 'leave_application').flow_id;
    // Another tenant whose people must stay out of reach.
    await seedTenant(server, 'other', [], 2);
  });
  after(() => server.close());

  const mine = async (key: string): Promise<Balance | undefined> =>
    ((await employee.get('/api/v1/leave/balances')).body.items as Balance[]).find(
      (b) => b.leave_type.key === key,
    );
  const request = (formValues: Record<string, string>) =>
    employee.post('/api/v1/processes', {
      flow_id: leaveId,
      form_values: { start_date: '2026-03-02', end_date: '2026-03-02', reason: 'Trip', ...formValues },
    });

  test('leave types: created, listed, changed; bad input named; only tenant admins', async () => {
    // The demo tracks annual and sick leave (warn); personal leave is the test's to track.
    const seeded = await admin.get('/api/v1/admin/leave/types');
    assert.deepEqual(
      seeded.body.items.map((t: { key: string; over_balance: string }) => [t.key, t.over_balance]),
      [
        ['annual', 'warn'],
        ['sick', 'warn'],
      ],
    );
    const personal = await admin.post('/api/v1/admin/leave/types', {
      key: 'personal',
      name: { zh_cn: '事假', en_us: 'Personal' },
    });
    assert.equal(personal.status, 201, JSON.stringify(personal.body));
    assert.equal(personal.body.over_balance, 'refuse');
    assert.equal(personal.body.active, true);
    const again = await admin.post('/api/v1/admin/leave/types', {
      key: 'annual',
      name: { zh_cn: '年假', en_us: 'Annual' },
    });
    assert.equal(again.status, 400);
    assert.equal(again.body.error.violations[0].field, 'key');
    const badKey = await admin.post('/api/v1/admin/leave/types', {
      key: 'Bad Key',
      name: { zh_cn: 'x', en_us: 'x' },
    });
    assert.equal(badKey.status, 400);
    assert.equal(badKey.body.error.violations[0].field, 'key');
    const nul = await admin.post('/api/v1/admin/leave/types', {
      key: 'x',
      name: { zh_cn: 'a\u0000b', en_us: 'x' },
    });
    assert.equal(nul.status, 400);
    assert.equal(nul.body.error.violations[0].field, 'name.zh_cn');
    const rule = await admin.post('/api/v1/admin/leave/types', {
      key: 'x',
      name: { zh_cn: 'x', en_us: 'x' },
      over_balance: 'ignore',
    });
    assert.equal(rule.status, 400);
    assert.equal(rule.body.error.violations[0].field, 'over_balance');

    const renamed = await admin.patch('/api/v1/admin/leave/types/sick', {
      name: { zh_cn: '病假', en_us: 'Sick leave' },
    });
    assert.equal(renamed.body.name.en_us, 'Sick leave');
    assert.equal(renamed.body.over_balance, 'warn');
    assert.equal((await admin.patch('/api/v1/admin/leave/types/nope', { active: false })).status, 404);
    const listed = await admin.get('/api/v1/admin/leave/types');
    assert.deepEqual(
      listed.body.items.map((t: { key: string }) => t.key),
      ['annual', 'personal', 'sick'],
    );
    assert.equal((await employee.get('/api/v1/admin/leave/types')).status, 403);
    const processAdmin = new PeopleClient(server.url);
    await processAdmin.signInDemo('process_admin');
    assert.equal((await processAdmin.get('/api/v1/admin/leave/balances')).status, 403);
  });

  test('grants and adjustments: validated before anything is written, bulk, idempotent with request_key', async () => {
    const grant = (body: Record<string, unknown>) =>
      admin.post('/api/v1/admin/leave/entries', {
        leave_type: 'personal',
        kind: 'grant',
        amount: 5,
        reason: 'Yearly grant',
        user_ids: ['employee'],
        ...body,
      });
    const refusals: [Record<string, unknown>, string][] = [
      [{ amount: -1 }, 'amount'],
      [{ amount: 0 }, 'amount'],
      [{ amount: 0.125 }, 'amount'],
      [{ amount: 1e300 }, 'amount'],
      [{ amount: '5' }, 'amount'],
      [{ leave_type: 'unknown' }, 'leave_type'],
      [{ kind: 'debit' }, 'kind'],
      [{ user_ids: ['u0'] }, 'user_ids[0]'], // only in the other tenant
      [{ user_ids: ['employee', 'employee'] }, 'user_ids[1]'],
      [{ user_ids: [] }, 'user_ids'],
      [{ user_ids: Array.from({ length: 501 }, (_, i) => `p${i}`) }, 'user_ids'],
      [{ reason: 'a\u0000b' }, 'reason'],
      [{ reason: '   ' }, 'reason'],
      [{ extra: 1 }, 'extra'],
    ];
    for (const [body, field] of refusals) {
      const refused = await grant(body);
      assert.equal(refused.status, 400, `${JSON.stringify(body)} → ${JSON.stringify(refused.body)}`);
      assert.ok(
        refused.body.error.violations.some((v: { field: string }) => v.field === field),
        `${JSON.stringify(body)} names ${field}: ${JSON.stringify(refused.body.error.violations)}`,
      );
    }
    assert.equal((await mine('personal'))?.balance, 0, 'nothing was written');

    const granted = await grant({});
    assert.equal(granted.status, 201, JSON.stringify(granted.body));
    assert.equal(granted.body.created, 1);
    assert.equal(granted.body.items[0].amount, 5);
    assert.equal(granted.body.items[0].created_by.user_id, 'hr_head');
    const down = await grant({ kind: 'adjustment', amount: -0.5, reason: 'Correction' });
    assert.equal(down.status, 201);
    const up = await grant({ kind: 'adjustment', amount: 0.5, reason: 'Correction undone' });
    assert.equal(up.status, 201);
    assert.deepEqual(await mine('personal'), {
      leave_type: { key: 'personal', name: { zh_cn: '事假', en_us: 'Personal' }, over_balance: 'refuse' },
      balance: 5,
      pending: 0,
      available: 5,
    });

    const accrual = {
      leave_type: 'sick',
      kind: 'accrual',
      amount: 1,
      reason: 'March',
      user_ids: ['employee', 'manager', 'hrbp'],
      request_key: 'accrual-2026-03',
    };
    const first = await admin.post('/api/v1/admin/leave/entries', accrual);
    assert.equal(first.status, 201);
    assert.equal(first.body.created, 3);
    const repeated = await admin.post('/api/v1/admin/leave/entries', accrual);
    assert.equal(repeated.body.created, 0);
    assert.deepEqual(
      repeated.body.items.map((e: { entry_id: string }) => e.entry_id),
      first.body.items.map((e: { entry_id: string }) => e.entry_id),
    );
    assert.equal((await mine('sick'))?.balance, 6, 'the demo’s 5 days and 1');
  });

  test('the rule at start: over the available amount refused (naming days), pending counts, warn types warn', async () => {
    const over = await request({ leave_type: 'personal', days: '6' });
    assert.equal(over.status, 400, JSON.stringify(over.body));
    assert.equal(over.body.error.code, 'form_invalid');
    assert.equal(over.body.error.violations[0].field, 'form_values.days');
    assert.match(
      over.body.error.violations[0].description,
      /6 days asked; only 5 days of Personal \(personal\) available/,
    );

    const three = await request({ leave_type: 'personal', days: '3' });
    assert.equal(three.status, 201, JSON.stringify(three.body));
    assert.deepEqual(await mine('personal'), {
      ...(await mine('personal')),
      balance: 5,
      pending: 3,
      available: 2,
    });
    const more = await request({ leave_type: 'personal', days: '2.5' });
    assert.equal(more.status, 400);
    assert.match(more.body.error.violations[0].description, /only 2 days/);
    // Without days, the calendar days from start to end count (both included): 2 days fit.
    const byDates = await employee.post('/api/v1/processes', {
      flow_id: leaveId,
      form_values: {
        leave_type: 'personal',
        start_date: '2026-03-09',
        end_date: '2026-03-10',
        days: '2',
        reason: 'x',
      },
    });
    assert.equal(byDates.status, 201);
    assert.equal((await mine('personal'))?.available, 0);

    // A withdrawn request stops counting: nothing had been debited.
    const withdrawn = await employee.post(`/api/v1/processes/${three.body.process_id}/withdraw`, {});
    assert.equal(withdrawn.status, 200, JSON.stringify(withdrawn.body));
    assert.deepEqual(await mine('personal'), {
      ...(await mine('personal')),
      balance: 5,
      pending: 2,
      available: 3,
    });

    // 'warn': started, with the warning on the timeline.
    const warned = await request({ leave_type: 'sick', days: '7' });
    assert.equal(warned.status, 201, JSON.stringify(warned.body));
    const detail = await employee.get(`/api/v1/processes/${warned.body.process_id}`);
    const line = (detail.body.timeline as { action?: string; detail?: { en_us: string } }[]).find((e) =>
      e.detail?.en_us.startsWith('over the leave balance'),
    );
    assert.equal(line?.detail?.en_us, 'over the leave balance: 7 days of sick asked, 6 available');
    assert.equal((await mine('sick'))?.available, -1);

    // The demo's annual leave warns as well: 30 days start, over Zhang San's 15.
    assert.equal((await request({ leave_type: 'annual', days: '30' })).status, 201);
    assert.equal((await mine('annual'))?.available, -15);
  });

  test('balances page by person and filter; the ledger of one person, newest first', async () => {
    const page = await admin.get('/api/v1/admin/leave/balances?page_size=3');
    assert.equal(page.status, 200);
    assert.equal(page.body.items.length, 3);
    assert.ok(page.body.page_token);
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const next = await admin.get(
        `/api/v1/admin/leave/balances?page_size=4${token ? `&page_token=${encodeURIComponent(token)}` : ''}`,
      );
      seen.push(...next.body.items.map((r: { person: { user_id: string } }) => r.person.user_id));
      token = next.body.page_token;
    } while (token);
    assert.equal(new Set(seen).size, seen.length);
    assert.ok(seen.includes('employee'));

    const one = await admin.get('/api/v1/admin/leave/balances?user_id=employee&leave_type=personal');
    assert.equal(one.body.items.length, 1);
    assert.deepEqual(
      one.body.items[0].balances.map((b: Balance) => [b.leave_type.key, b.balance, b.pending, b.available]),
      [['personal', 5, 2, 3]],
    );
    const unknownType = await admin.get('/api/v1/admin/leave/balances?leave_type=nope');
    assert.equal(unknownType.status, 400);
    assert.equal(unknownType.body.error.violations[0].field, 'leave_type');
    const otherTenant = await admin.get('/api/v1/admin/leave/balances?user_id=u0');
    assert.equal(otherTenant.status, 400);
    assert.equal(otherTenant.body.error.violations[0].field, 'user_id');
    assert.equal((await admin.get('/api/v1/admin/leave/balances?page_size=1000')).status, 400);
    assert.equal((await admin.get('/api/v1/admin/leave/balances?page_token=forged')).status, 400);

    const ledger = await admin.get('/api/v1/admin/leave/ledger/employee?page_size=2');
    assert.equal(ledger.status, 200);
    assert.equal(ledger.body.person.user_id, 'employee');
    assert.deepEqual(
      ledger.body.entries.items.map((e: { reason: string }) => e.reason),
      ['March', 'Correction undone'],
    );
    const rest = await admin.get(
      `/api/v1/admin/leave/ledger/employee?page_size=2&page_token=${encodeURIComponent(ledger.body.entries.page_token)}`,
    );
    assert.deepEqual(
      rest.body.entries.items.map((e: { reason: string; amount: number }) => [e.reason, e.amount]),
      [
        ['Correction', -0.5],
        ['Yearly grant', 5],
      ],
    );
    assert.equal((await admin.get('/api/v1/admin/leave/ledger/u0')).status, 404);

    // A type with entries stays (deactivate it); one without goes.
    const inUse = await admin.send('DELETE', '/api/v1/admin/leave/types/annual');
    assert.equal(inUse.status, 409);
    await admin.post('/api/v1/admin/leave/types', { key: 'unused', name: { zh_cn: '无', en_us: 'Unused' } });
    assert.equal((await admin.send('DELETE', '/api/v1/admin/leave/types/unused')).status, 204);
    // A deactivated type is no longer checked at start, nor shown among my balances.
    await admin.patch('/api/v1/admin/leave/types/personal', { active: false });
    assert.equal(await mine('personal'), undefined);
    assert.equal((await request({ leave_type: 'personal', days: '50' })).status, 201);
  });
});
