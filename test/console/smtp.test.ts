import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { forEachDialect } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { signedInDemo } from '../helpers/fixtures.js';
import type { PeopleClient, PeopleResponse } from '../helpers/people.js';
import { TestSmtp } from '../notifications/helpers.js';

/**
 * The console's SMTP settings (tenant admins): the admin API's rules through the session's own tenant,
 * against a real SMTP server.
 */
forEachDialect('console SMTP settings', (dialect) => {
  let t: TestServer;
  let smtp: TestSmtp;
  let head: PeopleClient;

  before(async () => {
    // The operator allows the loopback mail server the test runs; other internal hosts stay refused.
    t = await startTestServer(dialect, { flags: ['--demo', '--webhook-allow-hosts', '127.0.0.1'] });
    smtp = await TestSmtp.start();
    head = await signedInDemo(t, 'hr_head');
  });
  after(async () => {
    await smtp.close();
    await t.close();
  });

  const settings = () => ({
    host: '127.0.0.1',
    port: smtp.port,
    username: 'mailer',
    password: 's3cret-pass',
    from_address: 'PeopleFlow <hr@example.com>',
  });
  const fieldsOf = (response: PeopleResponse) =>
    ((response.body.error?.violations ?? []) as { field: string }[]).map((v) => v.field);
  const expectRefused = (response: PeopleResponse, field: string, what: string) => {
    assert.equal(response.status, 400, `${what}: ${JSON.stringify(response.body)}`);
    assert.equal(response.body.error.code, 'invalid_field', what);
    assert.ok(fieldsOf(response).includes(field), `${what} names ${field}: ${JSON.stringify(response.body)}`);
  };

  test('only tenant admins: no console role and process admins are refused 403', async () => {
    const employee = await signedInDemo(t, 'employee');
    const processAdmin = await signedInDemo(t, 'process_admin');
    for (const person of [employee, processAdmin]) {
      const answers = [
        await person.get('/api/v1/admin/smtp'),
        await person.send('PUT', '/api/v1/admin/smtp', settings()),
        await person.send('DELETE', '/api/v1/admin/smtp'),
        await person.post('/api/v1/admin/smtp/test', { to: 'ops@example.com' }),
      ];
      for (const answer of answers) {
        assert.equal(answer.status, 403, JSON.stringify(answer.body));
        assert.equal(answer.body.error.code, 'forbidden');
      }
    }
    assert.deepEqual((await head.get('/api/v1/admin/smtp')).body, { smtp: null }, 'nothing was set');
    assert.equal(smtp.mails.length, 0, 'nothing was sent');
  });

  test('bad input answers 400 naming the field, and changes nothing', async () => {
    const none = await head.get('/api/v1/admin/smtp');
    assert.equal(none.status, 200);
    assert.deepEqual(none.body, { smtp: null }, 'not set yet: a state, not an error');

    const refusals: [Record<string, unknown>, string, string][] = [
      [{ host: 'bad host!' }, 'host', 'a host with a space and !'],
      [{ host: 'a'.repeat(100_000) }, 'host', 'a huge host'],
      [{ host: 'smtp\u0000.example.com' }, 'host', 'a NUL in the host'],
      [{ port: 70_000 }, 'port', 'a port above 65535'],
      [{ port: 0 }, 'port', 'port 0'],
      [{ port: '587' }, 'port', 'a port as text'],
      [{ from_address: 'not an address' }, 'from_address', 'a from address without @'],
      [{ from_address: 'HR <hr@example.com>\r\nBcc: x@evil.test' }, 'from_address', 'a header in the from'],
      [{ username: undefined }, 'username', 'a password without a user name'],
      [{ password: 'p'.repeat(5000) }, 'password', 'a huge password'],
      [{ secure: 'yes' }, 'secure', 'secure as text'],
      [{ relay: 'anything' }, 'relay', 'an unknown field'],
      // Tenant admins cannot point the server at the internal network (test mails would probe it).
      [{ host: '169.254.169.254' }, 'host', 'the cloud metadata address'],
      [{ host: '10.0.0.8' }, 'host', 'a private address the operator did not allow'],
    ];
    for (const [change, field, what] of refusals) {
      const body = { ...settings(), ...change };
      expectRefused(await head.send('PUT', '/api/v1/admin/smtp', body), field, what);
    }
    expectRefused(
      await head.send('PUT', '/api/v1/admin/smtp', { port: 25, from_address: 'hr@example.com' }),
      'host',
      'no host',
    );
    assert.deepEqual((await head.get('/api/v1/admin/smtp')).body, { smtp: null }, 'still not set');
    const test = await head.post('/api/v1/admin/smtp/test', { to: 'ops@example.com' });
    assert.equal(test.status, 404, 'a test mail needs settings');
    assert.equal(test.body.error.code, 'not_found');
  });

  test('PUT then GET masks the password; a test mail arrives; a refused one answers with the server', async () => {
    const set = await head.send('PUT', '/api/v1/admin/smtp', settings());
    assert.equal(set.status, 200, JSON.stringify(set.body));
    const expected = {
      tenant_key: 'demo',
      host: '127.0.0.1',
      port: smtp.port,
      secure: false,
      username: 'mailer',
      password: '********',
      from_address: 'PeopleFlow <hr@example.com>',
    };
    const { updated_at: _updated, ...shown } = set.body.smtp;
    assert.deepEqual(shown, expected);
    const got = await head.get('/api/v1/admin/smtp');
    assert.deepEqual(got.body, set.body);
    assert.ok(!JSON.stringify(got.body).includes('s3cret'), 'the password never comes back');
    // The admin API sees the same settings: one store, one set of rules.
    const operators = await t.admin('GET', '/tenants/demo/smtp');
    assert.equal(operators.body.data.host, '127.0.0.1');

    // A bad change after that leaves the saved settings as they were.
    expectRefused(
      await head.send('PUT', '/api/v1/admin/smtp', { ...settings(), port: 65_536 }),
      'port',
      'a port out of range',
    );
    assert.deepEqual((await head.get('/api/v1/admin/smtp')).body, set.body, 'unchanged');

    // The test mail goes through the real server, signed in with the sealed password.
    expectRefused(
      await head.post('/api/v1/admin/smtp/test', { to: 'nobody' }),
      'to',
      'a recipient without @',
    );
    const sent = await head.post('/api/v1/admin/smtp/test', { to: 'hr_head@demo.peopleflow.local' });
    assert.equal(sent.status, 200, JSON.stringify(sent.body));
    assert.deepEqual(sent.body, { sent: true });
    const mail = smtp.mails.at(-1);
    assert.ok(mail, 'the test mail arrived');
    assert.deepEqual(mail.to, ['hr_head@demo.peopleflow.local']);
    assert.equal(mail.from, 'hr@example.com');
    assert.ok(smtp.logins.includes('mailer:s3cret-pass'), 'signed in with the saved password');

    // Kept when left out: the next test mail signs in with it again.
    const kept = await head.send('PUT', '/api/v1/admin/smtp', { ...settings(), password: undefined });
    assert.equal(kept.body.smtp.password, '********');

    // Refused by the server: 400 with the server's own answer, on the `smtp` field.
    const before = smtp.mails.length;
    smtp.refuseWith = 550;
    try {
      const refused = await head.post('/api/v1/admin/smtp/test', {
        to: 'ops@example.com',
        language: 'zh-CN',
      });
      expectRefused(refused, 'smtp', 'a refused test mail');
      const answer = (refused.body.error.violations as { field: string; description: string }[]).find(
        (v) => v.field === 'smtp',
      );
      assert.match(answer?.description ?? '', /550.*not now, try later/);
    } finally {
      smtp.refuseWith = undefined;
    }
    assert.equal(smtp.mails.length, before, 'nothing delivered');

    // Removing the password: null.
    const removed = await head.send('PUT', '/api/v1/admin/smtp', { ...settings(), password: null });
    assert.equal(removed.body.smtp.password, null);
  });

  test('DELETE removes the settings; once more is 404', async () => {
    const removed = await head.send('DELETE', '/api/v1/admin/smtp');
    assert.equal(removed.status, 200, JSON.stringify(removed.body));
    assert.deepEqual(removed.body, { smtp: null });
    assert.deepEqual((await head.get('/api/v1/admin/smtp')).body, { smtp: null });
    assert.equal((await t.admin('GET', '/tenants/demo/smtp')).status, 404);
    const again = await head.send('DELETE', '/api/v1/admin/smtp');
    assert.equal(again.status, 404);
    assert.equal(again.body.error.code, 'not_found');
  });
});
