import { after, before, test } from 'node:test';
import { forEachDialect } from '../helpers/databases.js';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { PeopleClient } from '../helpers/people.js';
import { choice, date, DemoDriver, num, sdkClient } from '../helpers/sdk.js';
import { until, webhookReceiver, type WebhookReceiver } from '../helpers/receivers.js';

/**
 * Comments through the people API (docs/people-api.md "Comments"): stored on the process, shown in
 * its detail and timeline, visible to the Open API as `comment_infos` (read with the official SDK),
 * and announced by `corehr.process_comment_info.updated_v2` (received by the SDK's EventDispatcher).
 */

const LEAVE = {
  leave_type: choice('annual'),
  start_date: date('2026-12-01'),
  end_date: date('2026-12-02'),
  days: num('2'),
};

forEachDialect('people API: comments', (dialect) => {
  let t: TestServer;
  let d: DemoDriver;
  let receiver: WebhookReceiver;
  const people = new Map<string, PeopleClient>();
  async function as(userId: string): Promise<PeopleClient> {
    let client = people.get(userId);
    if (!client) {
      client = new PeopleClient(t.url);
      await client.signInDemo(userId);
      people.set(userId, client);
    }
    return client;
  }
  const comment = async (userId: string, processId: string, body: unknown) =>
    (await as(userId)).post(`/api/v1/processes/${processId}/comments`, body);

  before(async () => {
    t = await startTestServer(dialect, {
      flags: ['--demo', '--webhook-allow-hosts', '127.0.0.1', '--dispatch-interval-ms', '20'],
    });
    d = new DemoDriver(sdkClient(t.url, t.server.demo!.app), t.server.demo!);
    receiver = await webhookReceiver({ encryptKey: 'comment-key' });
    const app = await t.admin('POST', '/tenants/demo/apps', {
      name: 'comments',
      scopes: ['corehr:process:readonly'],
      event: {
        request_url: receiver.url,
        encrypt_key: 'comment-key',
        event_types: ['corehr.process_comment_info.updated_v2'],
        delivery_mode: 'webhook',
      },
    });
    assert.equal(app.status, 201, JSON.stringify(app.body));
  });
  after(async () => {
    await t.close();
    await receiver.close();
  });

  test('a comment with a mention: in the detail, the timeline, comment_infos and the event', async () => {
    const p = await d.start('leave', 'employee', LEAVE);
    // The HRBP is not involved yet: the process does not exist for them.
    assert.equal((await (await as('hrbp')).get(`/api/v1/processes/${p}`)).status, 404);

    const posted = await comment('employee', p, {
      text: '  Could @He Jia check my balance?  ',
      mention_user_ids: ['hrbp'],
    });
    assert.equal(posted.status, 201, JSON.stringify(posted.body));
    assert.equal(posted.body.comments.length, 1);
    const view = posted.body.comments[0];
    assert.equal(view.text, 'Could @He Jia check my balance?', 'trimmed');
    assert.equal(view.author.user_id, 'employee');
    assert.deepEqual(
      view.mentions.map((m: { user_id: string }) => m.user_id),
      ['hrbp'],
    );
    assert.deepEqual(view.files, []);
    const line = posted.body.timeline.find((e: { action?: string }) => e.action === 'comment');
    assert.equal(line.comment_id, view.comment_id);
    assert.equal(line.actor.user_id, 'employee');

    // Mentioned: the HRBP may now see the process, and comment on it.
    const hrbp = await (await as('hrbp')).get(`/api/v1/processes/${p}`);
    assert.equal(hrbp.status, 200);
    assert.deepEqual(hrbp.body.my_tasks, []);
    assert.equal((await comment('hrbp', p, { text: 'Balance is fine.' })).status, 201);

    // The Open API: comment_infos in process.get, through the official SDK.
    const got = await d.get(p);
    const infos = got.comment_infos ?? [];
    assert.equal(infos.length, 2);
    const first = infos[0];
    assert.ok(first);
    assert.equal(first.comment_id, view.comment_id);
    assert.equal(first.commentor_id, 'employee');
    assert.equal(first.commentor_name?.en_us, 'Zhang San');
    assert.equal(first.comment_msg, 'Could @He Jia check my balance?');
    assert.deepEqual(first.at_user_ids, ['hrbp']);
    assert.equal(first.file_count, 0);
    assert.equal(first.image_count, 0);
    assert.equal(infos[1]?.commentor_id, 'hrbp');

    // The event, received by the SDK's EventDispatcher behind a webhook.
    await until(
      () => receiver.events.filter((e) => e.process_id === p).length >= 2,
      10_000,
      'two comment events',
    );
    const events = receiver.events.filter((e) => e.process_id === p);
    assert.ok(events.every((e) => e.event_type === 'corehr.process_comment_info.updated_v2'));
    assert.deepEqual(
      events.map((e) => e.comment_id),
      infos.map((i) => i.comment_id),
    );
    assert.equal(events[0]?.type, 1);
  });

  test('bad comments are refused, naming the field; nothing is added', async () => {
    const p = await d.start('leave', 'employee', LEAVE);
    const cases: [unknown, string][] = [
      [{ text: '' }, 'text'],
      [{ text: '    ' }, 'text'],
      [{ text: 'x'.repeat(2001) }, 'text'],
      [{ text: 'hi', mention_user_ids: ['nobody'] }, 'mention_user_ids[0]'],
      [{ text: 'hi', file_ids: ['123'] }, 'file_ids[0]'],
      [{ text: 'hi', file_ids: Array.from({ length: 21 }, (_, i) => String(i)) }, 'file_ids'],
      [{ text: 'hi', extra: true }, 'extra'],
    ];
    for (const [body, field] of cases) {
      const r = await comment('employee', p, body);
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.equal(r.body.error.code, 'invalid_field');
      assert.ok(
        r.body.error.violations.some((v: { field: string }) => v.field === field),
        `${JSON.stringify(body)} → ${JSON.stringify(r.body.error.violations)}`,
      );
    }
    // Someone who may not see the process cannot comment on it either.
    const stranger = await comment('outsider', p, { text: 'hello' });
    assert.equal(stranger.status, 404);
    assert.equal(stranger.body.error.code, 'process_not_found');
    const noCsrf = await (
      await as('employee')
    ).request('POST', `/api/v1/processes/${p}/comments`, {
      body: { text: 'hello' },
    });
    assert.equal(noCsrf.status, 403);
    assert.deepEqual((await (await as('employee')).get(`/api/v1/processes/${p}`)).body.comments, []);
    assert.deepEqual((await d.get(p)).comment_infos ?? [], []);
  });

  test("attachments: one's own uploads only; counted in comment_infos; downloadable by those who see the process", async () => {
    const p = await d.start('leave', 'employee', LEAVE);
    const upload = async (userId: string, filename: string, type: string, bytes: Buffer) => {
      const client = await as(userId);
      const boundary = '----comment-test-boundary';
      const body = Buffer.concat([
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n`,
        ),
        bytes,
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]);
      const r = await client.request('POST', '/api/v1/files', {
        rawBody: body,
        headers: {
          'content-type': `multipart/form-data; boundary=${boundary}`,
          'x-csrf-token': await client.ensureCsrf(),
        },
      });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      return r.body.file_id as string;
    };
    const png = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      Buffer.from('px'),
    ]);
    const image = await upload('employee', 'balance.png', 'image/png', png);
    const note = await upload('employee', 'note.txt', 'text/plain', Buffer.from('three days left'));
    const notMine = await upload('manager', 'secret.txt', 'text/plain', Buffer.from('manager only'));

    const refused = await comment('employee', p, { text: 'see attached', file_ids: [image, notMine] });
    assert.equal(refused.status, 400);
    assert.deepEqual(
      refused.body.error.violations.map((v: { field: string }) => v.field),
      ['file_ids[1]'],
    );
    const posted = await comment('employee', p, { text: 'see attached', file_ids: [image, note] });
    assert.equal(posted.status, 201, JSON.stringify(posted.body));
    const files = posted.body.comments[0].files as { file_id: string; name: string; content_type: string }[];
    assert.deepEqual(
      files.map((f) => [f.file_id, f.name, f.content_type]),
      [
        [image, 'balance.png', 'image/png'],
        [note, 'note.txt', 'text/plain'],
      ],
    );
    assert.equal(posted.body.files[image].name, 'balance.png');
    const infos = (await d.get(p)).comment_infos ?? [];
    assert.equal(infos[0]?.image_count, 1);
    assert.equal(infos[0].file_count, 1);
    // The manager sees the process, so the attachment; the outsider does not.
    const manager = await as('manager');
    const download = async (client: PeopleClient) =>
      fetch(`${t.url}/api/v1/files/${note}`, {
        headers: { cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
      });
    const got = await download(manager);
    assert.equal(got.status, 200);
    assert.equal(await got.text(), 'three days left');
    assert.equal((await download(await as('outsider'))).status, 404);
  });

  test('a double submit with the same client_token adds one comment; the second gets 409', async () => {
    const p = await d.start('leave', 'employee', LEAVE);
    const body = { text: 'Sent once', client_token: 'c-1' };
    const [a, b] = await Promise.all([comment('manager', p, body), comment('manager', p, body)]);
    assert.deepEqual([a.status, b.status].sort(), [201, 409]);
    const conflict = a.status === 409 ? a : b;
    assert.equal(conflict.body.error.code, 'process_status_conflict');
    assert.match(conflict.body.error.message, /already added/);
    const detail = await (await as('manager')).get(`/api/v1/processes/${p}`);
    assert.equal(detail.body.comments.length, 1);
    // Another person may use the same token: tokens are per author.
    assert.equal((await comment('employee', p, body)).status, 201);
    // Comments on a finished process are still welcome.
    const task = detail.body.my_tasks[0].task_id as string;
    const done = await (await as('manager')).post(`/api/v1/processes/${p}/tasks/${task}/approve`, {});
    assert.equal(done.body.status, 'completed');
    const late = await comment('manager', p, { text: 'Enjoy your days off' });
    assert.equal(late.status, 201);
    assert.equal(late.body.comments.length, 3);
  });
});
