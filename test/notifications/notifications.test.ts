import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { forEachDialect } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { signedInDemo } from '../helpers/fixtures.js';
import { choice, date, DemoDriver, num, sdkClient } from '../helpers/sdk.js';
import { JobRepository } from '../../src/store/job.repository.js';
import { ManualClock } from '../../src/platform/clock.js';
import { notificationRunner, TestSmtp, TestWebhook } from './helpers.js';
import { NOTIFICATIONS_KEPT, PRUNE_EVERY } from '../../src/services/notifications/notifier.js';
import { repositories } from '../../src/services/context.js';

const LEAVE = {
  leave_type: choice('annual'),
  start_date: date('2026-12-01'),
  end_date: date('2026-12-02'),
  days: num('2'),
};

forEachDialect('notifications', (dialect) => {
  let t: TestServer;
  let smtp: TestSmtp;
  let hook: TestWebhook;
  let driver: DemoDriver;
  let tenantId: string;

  before(async () => {
    t = await startTestServer(dialect, {
      flags: ['--demo', '--webhook-allow-hosts', '127.0.0.1'],
      // The test drains its own runner (no backoff); the server's would race it for the jobs.
      runJobs: false,
    });
    driver = new DemoDriver(sdkClient(t.url, t.server.demo!.app), t.server.demo!);
    smtp = await TestSmtp.start();
    hook = await TestWebhook.start();
    const tenant = await t.server.database.db.selectFrom('tenants').select('id').executeTakeFirstOrThrow();
    tenantId = tenant.id;
  });
  after(async () => {
    await smtp.close();
    await hook.close();
    await t.close();
  });

  const notifyJobs = (status: 'failed' | 'pending' | 'done') =>
    new JobRepository(t.server.database.db).list(tenantId, { status, kind: 'notify' }, 100);

  test('admin SMTP settings: set, read back with the password masked, bad input named', async () => {
    const bad = await t.admin('PUT', '/tenants/demo/smtp', {
      host: 'bad host!',
      port: 25,
      from_address: 'not an address',
    });
    assert.equal(bad.status, 400);
    assert.ok(
      JSON.stringify(bad.body).includes('host') && JSON.stringify(bad.body).includes('from_address'),
      JSON.stringify(bad.body),
    );
    assert.equal(
      (await t.admin('GET', '/tenants/demo/smtp')).status,
      404,
      'nothing stored by the refused request',
    );

    const set = await t.admin('PUT', '/tenants/demo/smtp', {
      host: '127.0.0.1',
      port: smtp.port,
      secure: false,
      username: 'mailer',
      password: 's3cret-pass',
      from_address: 'PeopleFlow <hr@demo.peopleflow.local>',
    });
    assert.equal(set.status, 200, JSON.stringify(set.body));
    const got = await t.admin('GET', '/tenants/demo/smtp');
    assert.equal(got.body.data.password, '********');
    assert.ok(!JSON.stringify(got.body).includes('s3cret-pass'));

    const sent = await t.admin('POST', '/tenants/demo/smtp/test', { to: 'ops@example.com' });
    assert.equal(sent.status, 200, JSON.stringify(sent.body));
    const mail = smtp.mails.at(-1)!;
    assert.deepEqual(mail.to, ['ops@example.com']);
    assert.match(mail.subject, /test email/);
    assert.ok(smtp.logins.includes('mailer:s3cret-pass'), 'the sealed password is used to sign in');
  });

  test('a start emails the approver in their language, with a link; the bell lists it and updates live', async () => {
    const manager = await signedInDemo(t, 'manager');
    assert.equal((await manager.patch('/api/v1/me', { language: 'en' })).status, 200);
    const stream = await openStream(manager);
    const before = smtp.mails.length;

    const processId = await driver.start('leave', 'employee', LEAVE);
    // The command wrote the job; nothing was sent inside it.
    assert.equal(smtp.mails.length, before);
    await stream.waitFor('notification', processId);
    stream.close();

    await notificationRunner(t).drain();
    const mails = smtp.mails.slice(before);
    assert.equal(mails.length, 1, JSON.stringify(mails.map((m) => [m.to, m.subject])));
    const mail = mails[0]!;
    assert.deepEqual(mail.to, ['manager@demo.peopleflow.local']);
    assert.equal(mail.from, 'hr@demo.peopleflow.local');
    assert.match(mail.subject, /^Leave from .+ is waiting for your approval$/);
    const link = `${t.url}/approval-center/processes/${processId}`;
    assert.ok(mail.text.includes(link), mail.text);
    assert.ok(mail.html.includes(`href="${link}"`), mail.html);

    const count = await manager.get('/api/v1/notifications/unread-count');
    assert.ok(count.body.unread >= 1);
    const list = await manager.get('/api/v1/notifications?unread=true&page_size=1');
    assert.equal(list.status, 200);
    const item = list.body.items[0];
    assert.equal(item.kind, 'task_assigned');
    assert.equal(item.process_id, processId);
    assert.equal(item.actor.user_id, 'employee');
    assert.equal(item.flow.en_us, 'Leave');
    assert.equal(item.read, false);

    assert.equal(
      (await manager.post(`/api/v1/notifications/${item.notification_id as string}/read`)).status,
      204,
    );
    const after = await manager.get('/api/v1/notifications/unread-count');
    assert.equal(after.body.unread, count.body.unread - 1);
    // Someone else's notification is not there for another person.
    const other = await signedInDemo(t, 'outsider');
    const refused = await other.post(`/api/v1/notifications/${item.notification_id as string}/read`);
    assert.equal(refused.status, 404);
    assert.equal((await manager.post('/api/v1/notifications/read-all')).status, 200);
    assert.equal((await manager.get('/api/v1/notifications/unread-count')).body.unread, 0);

    // The initiator hears of the approval, in Chinese (no language chosen), and is not told of their own
    // start; then that the leave took effect (its business action, applied in the approval's commit).
    const taskId = await driver.openTask('manager', processId);
    const decided = await manager.post(`/api/v1/processes/${processId}/tasks/${taskId}/approve`, {});
    assert.equal(decided.status, 200, JSON.stringify(decided.body));
    await notificationRunner(t).drain();
    const approved = smtp.mails.slice(before + 1);
    assert.deepEqual(
      approved.filter((m) => m.to[0] === 'employee@demo.peopleflow.local').map((m) => m.subject),
      ['你的休假申请已通过', '你的休假申请已完成：变更已生效'],
    );
    // The flow copies the HRBP at the end.
    assert.ok(
      approved.some(
        (m) => m.to[0] === 'hrbp@demo.peopleflow.local' && m.subject === '张三的休假申请抄送给你',
      ),
    );
    assert.ok(
      !approved.some((m) => m.to[0] === 'manager@demo.peopleflow.local'),
      'not told of their own approval',
    );
  });

  test('an SMTP server that refuses or is down: retried, then failed and visible; nothing lost once it is back', async () => {
    const before = smtp.mails.length;
    smtp.refuseWith = 451;
    const processId = await driver.start('leave', 'employee', LEAVE);
    await notificationRunner(t, { maxAttempts: 3 }).drain();
    const failed = (await notifyJobs('failed')).filter((j) => j.process_id === processId);
    assert.equal(failed.length, 1);
    assert.equal(failed[0]!.attempts, 3, 'retried before it was parked');
    assert.match(failed[0]!.last_error ?? '', /451/);
    assert.equal(smtp.mails.length, before);

    // The server accepts again: an admin retries the failed job and the email goes out.
    smtp.refuseWith = undefined;
    assert.ok(await new JobRepository(t.server.database.db).retry(tenantId, failed[0]!.id, Date.now()));
    await notificationRunner(t).drain();
    assert.equal(smtp.mails.length, before + 1);
    assert.ok(smtp.mails.at(-1)!.text.includes(processId));

    // Down (nothing listens on the port): retried, then failed with the connection error.
    const port = smtp.port;
    await t.admin('PUT', '/tenants/demo/smtp', {
      host: '127.0.0.1',
      port: 1,
      from_address: 'hr@demo.peopleflow.local',
    });
    const down = await driver.start('leave', 'employee', LEAVE);
    await notificationRunner(t, { maxAttempts: 2 }).drain();
    const parked = (await notifyJobs('failed')).filter((j) => j.process_id === down);
    assert.equal(parked.length, 1);
    assert.match(parked[0]!.last_error ?? '', /ECONNREFUSED|ECONNECTION|ESOCKET/);
    await t.admin('PUT', '/tenants/demo/smtp', {
      host: '127.0.0.1',
      port,
      from_address: 'hr@demo.peopleflow.local',
    });
  });

  test('preferences: bad input names the field and changes nothing; a chat webhook gets a Feishu card or generic JSON', async () => {
    const manager = await signedInDemo(t, 'manager');
    const initial = await manager.get('/api/v1/me/notification-preferences');
    assert.equal(initial.status, 200);
    assert.equal(initial.body.channels.task_assigned.email, true);
    assert.equal(initial.body.email_available, true);
    assert.equal(initial.body.chat_webhook, null);

    const refusals: [unknown, string][] = [
      [{ channels: { bogus: { email: false } } }, 'channels.bogus'],
      [{ channels: { task_assigned: { sms: true } } }, 'channels.task_assigned.sms'],
      [{ channels: { task_assigned: { email: 'no' } } }, 'channels.task_assigned.email'],
      [{ digest: { hour: 25 } }, 'digest.hour'],
      [{ digest: { time_zone: 'Mars/Olympus' } }, 'digest.time_zone'],
      [{ chat_webhook: { url: 'ftp://example.com/x', type: 'feishu' } }, 'chat_webhook.url'],
      [{ chat_webhook: { url: 'http://10.1.2.3/hook', type: 'feishu' } }, 'chat_webhook.url'],
      [{ chat_webhook: { url: 'http://[::1]:9/hook', type: 'generic' } }, 'chat_webhook.url'],
      [{ chat_webhook: { url: hook.url, type: 'slack' } }, 'chat_webhook.type'],
    ];
    for (const [body, field] of refusals) {
      const r = await manager.send('PUT', '/api/v1/me/notification-preferences', body);
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.equal(r.body.error.code, 'invalid_field');
      assert.ok(
        (r.body.error.violations as { field: string }[]).some((v) => v.field === field),
        `${field}: ${JSON.stringify(r.body)}`,
      );
    }
    const ssrf = await manager.send('PUT', '/api/v1/me/notification-preferences', {
      chat_webhook: { url: 'http://10.1.2.3/hook', type: 'feishu' },
    });
    assert.match(ssrf.body.error.violations[0].description, /private/);
    assert.deepEqual(
      (await manager.get('/api/v1/me/notification-preferences')).body,
      initial.body,
      'nothing changed',
    );

    // Email off for new tasks; chat on, to a Feishu bot on loopback (allowed by --webhook-allow-hosts).
    const set = await manager.send('PUT', '/api/v1/me/notification-preferences', {
      channels: { task_assigned: { email: false } },
      chat_webhook: { url: hook.url, type: 'feishu' },
    });
    assert.equal(set.status, 200, JSON.stringify(set.body));
    assert.equal(set.body.channels.task_assigned.email, false);
    assert.equal(set.body.channels.task_assigned.in_app, true);

    const mailsBefore = smtp.mails.length;
    const processId = await driver.start('leave', 'employee', LEAVE);
    await notificationRunner(t).drain();
    assert.equal(smtp.mails.length, mailsBefore, 'email is off for new tasks');
    const card = hook.bodies.at(-1) as {
      msg_type: string;
      card: { elements: { actions?: { url: string }[] }[] };
    };
    assert.equal(card.msg_type, 'interactive');
    assert.ok(JSON.stringify(card).includes(`/approval-center/processes/${processId}`));

    // A generic receiver gets plain JSON; one that answers 500 is retried, then parked.
    await manager.send('PUT', '/api/v1/me/notification-preferences', {
      chat_webhook: { url: hook.url, type: 'generic' },
    });
    const second = await driver.start('leave', 'employee', LEAVE);
    await notificationRunner(t).drain();
    const generic = hook.bodies.at(-1) as Record<string, unknown>;
    assert.equal(generic.kind, 'task_assigned');
    assert.equal(generic.process_id, second);
    assert.equal((generic.recipient as { user_id: string }).user_id, 'manager');

    hook.status = 500;
    const third = await driver.start('leave', 'employee', LEAVE);
    await notificationRunner(t, { maxAttempts: 2 }).drain();
    hook.status = 200;
    const parked = (await notifyJobs('failed')).filter((j) => j.process_id === third);
    assert.equal(parked.length, 1);
    assert.match(parked[0]!.last_error ?? '', /500/);
    await manager.send('PUT', '/api/v1/me/notification-preferences', {
      chat_webhook: null,
      channels: { task_assigned: { email: true } },
    });
  });

  test('a daily digest: no email at once, one email at the person’s hour with the day’s notifications', async () => {
    const manager = await signedInDemo(t, 'manager');
    const set = await manager.send('PUT', '/api/v1/me/notification-preferences', {
      digest: { daily: true, hour: 8, time_zone: 'Asia/Shanghai' },
    });
    assert.equal(set.status, 200, JSON.stringify(set.body));
    const mailsBefore = smtp.mails.length;
    await driver.start('leave', 'employee', LEAVE);
    await driver.start('leave', 'employee', LEAVE);
    await notificationRunner(t).drain();
    assert.equal(smtp.mails.length, mailsBefore, 'nothing before the digest hour');
    const pending = (await notifyJobs('pending')).filter((j) => j.key.startsWith('digest:'));
    assert.equal(pending.length, 1, 'one digest job per person and day');

    // The next day: the runner's clock is past the digest hour.
    await notificationRunner(t, { clock: new ManualClock(Date.now() + 2 * 24 * 3600_000) }).drain();
    const digests = smtp.mails.slice(mailsBefore);
    assert.equal(digests.length, 1);
    assert.match(digests[0]!.subject, /^PeopleFlow: 2 notifications today$/);
    assert.equal((digests[0]!.text.match(/\/approval-center\/processes\//g) ?? []).length, 2);
    await manager.send('PUT', '/api/v1/me/notification-preferences', { digest: { daily: false } });
  });

  test('a person’s list stays bounded: cut back to the newest 500 every 64 in-app writes, and never longer', async () => {
    const db = t.server.database.db;
    const hr = await db
      .selectFrom('employees')
      .select('id')
      .where('tenant_id', '=', tenantId)
      .where('user_id', '=', t.server.demo!.users.hrbp_sales!.user_id)
      .executeTakeFirstOrThrow();
    const count = async () =>
      Number(
        (
          await db
            .selectFrom('notifications')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('recipient_id', '=', hr.id)
            .executeTakeFirstOrThrow()
        ).n,
      );
    const start = await count();
    const notifier = t.server.services.notifier;
    const counts: number[] = [];
    for (let i = 0; i < NOTIFICATIONS_KEPT + 3 * PRUNE_EVERY; i++) {
      const written = await notifier.write(repositories(db), tenantId, [
        { recipientId: hr.id, kind: 'cc', processId: `bounded-${i}` },
      ]);
      assert.deepEqual(written.told, [hr.id]);
      counts.push(await count());
    }
    assert.ok(Math.max(...counts) < NOTIFICATIONS_KEPT + PRUNE_EVERY, `longest list ${Math.max(...counts)}`);
    // Where the list was cut back: to exactly the newest 500, every PRUNE_EVERY writes.
    const cuts = counts.flatMap((n, i) => (i > 0 && n < counts[i - 1]! ? [i] : []));
    assert.ok(cuts.length >= 2, `cut back ${cuts.length} times (${start} before)`);
    for (const i of cuts) assert.equal(counts[i], NOTIFICATIONS_KEPT);
    for (let k = 1; k < cuts.length; k++) assert.equal(cuts[k]! - cuts[k - 1]!, PRUNE_EVERY);
    const newest = await db
      .selectFrom('notifications')
      .select('process_id')
      .where('recipient_id', '=', hr.id)
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    assert.equal(
      newest.process_id,
      `bounded-${NOTIFICATIONS_KEPT + 3 * PRUNE_EVERY - 1}`,
      'the newest are kept',
    );
  });

  test('the list is paginated and refuses a forged page token', async () => {
    const manager = await signedInDemo(t, 'manager');
    const first = await manager.get('/api/v1/notifications?page_size=2');
    assert.equal(first.body.items.length, 2);
    assert.ok(first.body.page_token);
    const second = await manager.get(
      `/api/v1/notifications?page_size=2&page_token=${encodeURIComponent(first.body.page_token as string)}`,
    );
    assert.equal(second.status, 200);
    assert.ok(second.body.items[0].notification_id < first.body.items[1].notification_id);
    const forged = await manager.get('/api/v1/notifications?page_size=2&page_token=abc');
    assert.equal(forged.status, 400);
    assert.equal(forged.body.error.violations[0].field, 'page_token');
    const unreadToken = await manager.get(
      `/api/v1/notifications?unread=true&page_token=${encodeURIComponent(first.body.page_token as string)}`,
    );
    assert.equal(unreadToken.status, 400, 'a token is bound to its filter');
  });
});

/** A minimal EventSource over fetch: waits for an event of a name whose data names the process. */
async function openStream(person: { baseUrl: string; cookies: Map<string, string> }) {
  const controller = new AbortController();
  const cookie = [...person.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const response = await fetch(`${person.baseUrl}/api/v1/events`, {
    headers: { cookie },
    signal: controller.signal,
  });
  assert.equal(response.status, 200);
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  return {
    async waitFor(event: string, processId: string, ms = 2000) {
      const deadline = Date.now() + ms;
      while (!buffer.includes(`event: ${event}\ndata: {"process_id":"${processId}"}`)) {
        if (Date.now() > deadline) assert.fail(`no ${event} for ${processId}: ${buffer}`);
        const { value, done } = await reader.read();
        if (done) assert.fail('the stream ended');
        buffer += decoder.decode(value, { stream: true });
      }
    },
    close: () => {
      controller.abort();
    },
  };
}
