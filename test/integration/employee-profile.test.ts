import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { forEachDialect } from '../helpers/databases.js';
import { startTestServer, type CallResult, type TestServer } from '../helpers/server.js';
import { signedInDemo } from '../helpers/fixtures.js';

/** The fields a refusal names: the admin API's `field_violations`, the people API's `violations`. */
const fields = (r: { body: CallResult['body'] }): string[] =>
  ((r.body.error?.field_violations ?? r.body.error?.violations ?? []) as { field: string }[])
    .map((v) => v.field)
    .sort();

/**
 * Employee profile fields (docs/admin-api.md "Employee profile", docs/people-api.md "My profile"):
 * validated naming the field, sensitive ones sealed at rest and masked unless revealed.
 */
forEachDialect('employee profile', (dialect) => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer(dialect, { flags: ['--demo'] });
  });
  after(async () => {
    await t.close();
  });

  const rawRow = (userId: string) =>
    t.server.database.db
      .selectFrom('employees')
      .selectAll()
      .where('user_id', '=', userId)
      .executeTakeFirstOrThrow();

  test('admin API: create and patch carry the profile; sensitive fields are masked unless revealed', async () => {
    const created = await t.admin('POST', '/tenants/demo/employees', {
      user_id: 'li_lei',
      name: { zh_cn: '李雷', en_us: 'Li Lei' },
      email: 'li.lei@demo.example',
      job_title: 'Backend engineer',
      phone: '+86 138 0013 8000',
      personal_email: 'lilei@home.example',
      address: '88 Century Avenue\nShanghai',
      emergency_contact_name: 'Han Meimei',
      emergency_contact_phone: '(021) 5555-0101',
      bank_account: '6222 0212 3456 7890',
      id_number: '110101199003074578',
      probation_status: 'on_probation',
      probation_end_date: '2026-06-30',
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const data = created.body.data;
    assert.equal(data.job_title, 'Backend engineer');
    assert.equal(data.phone, '+86 138 0013 8000');
    assert.equal(data.bank_account, '****7890');
    assert.equal(data.id_number, '****4578');
    assert.equal(data.probation_status, 'on_probation');
    assert.equal(data.employment_status, 'active', 'on probation and still active');
    assert.equal(data.last_day, null);

    const masked = await t.admin('GET', '/tenants/demo/employees/li_lei');
    assert.equal(masked.body.data.bank_account, '****7890');
    const revealed = await t.admin('GET', '/tenants/demo/employees/li_lei?reveal=sensitive');
    assert.equal(revealed.body.data.bank_account, '6222 0212 3456 7890');
    assert.equal(revealed.body.data.id_number, '110101199003074578');
    const list = await t.admin('GET', '/tenants/demo/employees?page_size=100');
    const inList = (list.body.data.items as { user_id: string; bank_account: string }[]).find(
      (e) => e.user_id === 'li_lei',
    );
    assert.equal(inList?.bank_account, '****7890');
    const badReveal = await t.admin('GET', '/tenants/demo/employees/li_lei?reveal=all');
    assert.equal(badReveal.status, 400);

    // Sealed at rest: neither the account nor the ID number is in the row.
    const row = await rawRow('li_lei');
    assert.ok(row.bank_account?.startsWith('v1:'));
    assert.ok(!JSON.stringify(row).includes('3456 7890'));
    assert.ok(!JSON.stringify(row).includes('110101199003074578'));
    assert.equal(row.phone, '+86 138 0013 8000', 'other fields are plain');

    // A patch changes only what it names; '' or null clears.
    const patched = await t.admin('PATCH', '/tenants/demo/employees/li_lei', {
      address: '',
      id_number: null,
      job_title: 'Senior backend engineer',
    });
    assert.equal(patched.status, 200);
    assert.equal(patched.body.data.address, null);
    assert.equal(patched.body.data.id_number, null);
    assert.equal(patched.body.data.bank_account, '****7890');
    assert.equal(patched.body.data.phone, '+86 138 0013 8000');
    // A directory-only patch leaves the profile alone.
    const renamed = await t.admin('PATCH', '/tenants/demo/employees/li_lei', { name: { zh_cn: '李雷雷' } });
    assert.equal(renamed.body.data.job_title, 'Senior backend engineer');
  });

  test('admin API: each bad profile field is named; nothing is written', async () => {
    const before = await rawRow('li_lei');
    const bad = await t.admin('PATCH', '/tenants/demo/employees/li_lei', {
      phone: 'call me maybe',
      personal_email: 'not-an-email',
      bank_account: '12',
      probation_status: 'forever',
      probation_end_date: '2026-02-30',
      last_day: '31/12/2026',
      emergency_contact_name: 'tab\there',
    });
    assert.equal(bad.status, 400);
    assert.deepEqual(fields(bad), [
      'bank_account',
      'emergency_contact_name',
      'last_day',
      'personal_email',
      'phone',
      'probation_end_date',
      'probation_status',
    ]);
    const long = await t.admin('PATCH', '/tenants/demo/employees/li_lei', { job_title: 'x'.repeat(101) });
    assert.deepEqual(fields(long), ['job_title']);
    const nul = await t.admin('PATCH', '/tenants/demo/employees/li_lei', { address: 'a\u0000b' });
    assert.equal(nul.status, 400);
    assert.deepEqual(fields(nul), ['address']);
    assert.deepEqual(await rawRow('li_lei'), before);
  });

  test('people API: my own profile, masked; revealed when I ask', async () => {
    assert.equal(
      (
        await t.admin('PATCH', '/tenants/demo/employees/employee', {
          phone: '13900001111',
          bank_account: 'GB33BUKB20201555555555',
        })
      ).status,
      200,
    );
    const person = await signedInDemo(t, 'employee');
    const mine = await person.get('/api/v1/me/profile');
    assert.equal(mine.status, 200);
    assert.equal(mine.body.user_id, 'employee');
    assert.equal(mine.body.phone, '13900001111');
    assert.equal(mine.body.bank_account, '****5555');
    assert.equal(mine.body.employment_status, 'active');
    const revealed = await person.get('/api/v1/me/profile?reveal=sensitive');
    assert.equal(revealed.body.bank_account, 'GB33BUKB20201555555555');
    const wrong = await person.get('/api/v1/me/profile?reveal=everything');
    assert.equal(wrong.status, 400);
  });

  test('console: tenant admins edit the profile and reveal on request; bad values name the field', async () => {
    const head = await signedInDemo(t, 'hr_head');
    const patched = await head.patch('/api/v1/admin/directory/employees/employee', {
      job_title: 'Engineer',
      id_number: 'E1234567',
    });
    assert.equal(patched.status, 200, JSON.stringify(patched.body));
    assert.equal(patched.body.job_title, 'Engineer');
    assert.equal(patched.body.id_number, '****4567');
    const one = await head.get('/api/v1/admin/directory/employees/employee?reveal=sensitive');
    assert.equal(one.body.id_number, 'E1234567');
    assert.equal(one.body.bank_account, 'GB33BUKB20201555555555');
    const bad = await head.patch('/api/v1/admin/directory/employees/employee', { phone: 'x' });
    assert.equal(bad.status, 400);
    assert.deepEqual(fields(bad), ['phone']);
    // Not a tenant admin: no console, no reveal.
    const employee = await signedInDemo(t, 'employee');
    assert.equal(
      (await employee.get('/api/v1/admin/directory/employees/manager?reveal=sensitive')).status,
      403,
    );
  });
});
