import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { forEachDialect } from '../helpers/databases.js';
import { seedTenant, startTestServer, type TestServer } from '../helpers/server.js';
import { PeopleClient, type PeopleResponse } from '../helpers/people.js';
import { DemoDriver, num, sdkClient } from '../helpers/sdk.js';

const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from('not really pixels, but a PNG as far as magic bytes go'),
]);
const LIMIT_MB = 1;
const name = (text: string) => ({ zh_cn: text, en_us: text });

/** An expense claim with a receipt file, approved by the initiator's manager. */
const EXPENSE = {
  name: name('Expense claim'),
  biz_type: 'custom:expense',
  process_admins: ['process_admin'],
  form: [
    { api_name: 'receipt', label: name('Receipt'), type: 'file', required: true },
    { api_name: 'amount', label: name('Amount'), type: 'number', required: true },
  ],
  nodes: [
    { type: 'start', id: 'start', next: 'manager' },
    {
      type: 'approval',
      id: 'manager',
      name: name('Manager'),
      approvers: [{ type: 'manager', level: 1 }],
      next: 'end',
    },
    { type: 'end', id: 'end' },
  ],
};

/**
 * A multipart body written byte by byte, so that tests control exactly what the part headers say
 * (a browser's FormData would clean the file name up first). `disposition` replaces the whole
 * Content-Disposition parameters after `form-data; name="file"`.
 */
function multipart(part: {
  field?: string;
  filename?: string;
  disposition?: string;
  type: string;
  bytes: Uint8Array;
}): { body: Buffer; contentType: string } {
  const boundary = '----peopleflow-test-boundary-7d3f';
  const disposition =
    part.disposition ??
    `form-data; name="${part.field ?? 'file'}"; filename="${part.filename ?? 'file.bin'}"`;
  const body = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: ${disposition}\r\nContent-Type: ${part.type}\r\n\r\n`,
      'utf8',
    ),
    part.bytes,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { body, contentType: `multipart/form-data; boundary=${boundary}` };
}

async function upload(
  client: PeopleClient,
  part: Parameters<typeof multipart>[0],
  csrf = true,
): Promise<PeopleResponse> {
  const { body, contentType } = multipart(part);
  const headers: Record<string, string> = { 'content-type': contentType };
  if (csrf) headers['x-csrf-token'] = await client.ensureCsrf();
  return client.request('POST', '/api/v1/files', { rawBody: body, headers });
}

async function download(client: PeopleClient, fileId: string) {
  const headers: Record<string, string> = {};
  if (client.cookies.size > 0) headers.cookie = [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const response = await fetch(`${client.baseUrl}/api/v1/files/${fileId}`, { headers });
  return {
    status: response.status,
    headers: response.headers,
    bytes: Buffer.from(await response.arrayBuffer()),
  };
}

forEachDialect('people API files', (dialect) => {
  let t: TestServer;
  let driver: DemoDriver;
  let flowId: string;
  const people: Record<string, PeopleClient> = {};
  before(async () => {
    t = await startTestServer(dialect, { flags: ['--demo', '--file-size-limit-mb', String(LIMIT_MB)] });
    driver = new DemoDriver(sdkClient(t.url, t.server.demo!.app), t.server.demo!);
    const imported = await t.admin('POST', '/tenants/demo/flow_definitions/import', EXPENSE);
    assert.equal(imported.status, 201, JSON.stringify(imported.body));
    flowId = imported.body.data.flow_definition_id as string;
    for (const userId of ['employee', 'manager', 'outsider', 'process_admin']) {
      people[userId] = new PeopleClient(t.url);
      await people[userId].signInDemo(userId);
    }
  });
  after(() => t.close());

  test('upload, then download by the uploader and by people who may see the process only', async () => {
    const { employee, manager, outsider, process_admin: admin } = people;
    const uploaded = await upload(employee!, { filename: 'receipt.png', type: 'image/png', bytes: PNG });
    assert.equal(uploaded.status, 201, JSON.stringify(uploaded.body));
    const ref = uploaded.body as { file_id: string; name: string; size: number; content_type: string };
    assert.deepEqual(
      { name: ref.name, size: ref.size, content_type: ref.content_type },
      { name: 'receipt.png', size: PNG.length, content_type: 'image/png' },
    );
    assert.match(ref.file_id, /^file_[0-9a-f]{32}$/);

    const own = await download(employee!, ref.file_id);
    assert.equal(own.status, 200);
    assert.deepEqual(own.bytes, PNG);
    assert.equal(own.headers.get('content-type'), 'image/png');
    assert.equal(own.headers.get('x-content-type-options'), 'nosniff');
    assert.match(own.headers.get('content-disposition') ?? '', /^attachment; filename="receipt\.png"/);

    // Before any process references it, the file is the uploader's alone.
    assert.equal((await download(manager!, ref.file_id)).status, 404);

    // Started through the Open API with the file; the value given names another size and name,
    // but the form data answers with the stored file's own metadata.
    const started = await driver.client.corehr.v2.processStart.create({
      params: { user_id_type: 'user_id' },
      data: {
        flow_definition_id: flowId,
        initiator_id: 'employee',
        flow_data: [
          {
            variable_api_name: 'receipt',
            variable_value: { file_value: { open_file_id: ref.file_id, file_name: 'x', length: 1 } },
          },
          { variable_api_name: 'amount', variable_value: num('42') },
        ],
      },
    });
    assert.equal(started.code, 0, JSON.stringify(started));
    const processId = started.data!.process_id!;
    const form = await driver.form(processId);
    assert.deepEqual(form.receipt?.file_value, {
      open_file_id: ref.file_id,
      file_name: 'receipt.png',
      length: PNG.length,
      mime_type: 'image/png',
    });

    const byApprover = await download(manager!, ref.file_id);
    assert.equal(byApprover.status, 200, 'the approver sees the process, so the file');
    assert.deepEqual(byApprover.bytes, PNG);
    assert.equal((await download(admin!, ref.file_id)).status, 200, 'the process admin too');
    const stranger = await download(outsider!, ref.file_id);
    assert.equal(stranger.status, 404, 'someone who may not see the process');
    assert.equal(JSON.parse(stranger.bytes.toString()).error.code, 'not_found');
    assert.equal((await download(outsider!, 'file_0000')).status, 404, 'an unknown id reads the same');
    assert.equal((await download(new PeopleClient(t.url), ref.file_id)).status, 401, 'signed out');
  });

  test('a request started in the app keeps the file it names, content type included; only own uploads', async () => {
    const { employee, manager } = people;
    const uploaded = await upload(employee!, { filename: 'receipt.png', type: 'image/png', bytes: PNG });
    assert.equal(uploaded.status, 201, JSON.stringify(uploaded.body));
    const fileId = uploaded.body.file_id as string;

    const notMine = await manager!.post('/api/v1/processes', {
      flow_id: flowId,
      form_values: { receipt: { file_id: fileId }, amount: '1' },
    });
    assert.equal(notMine.status, 400, JSON.stringify(notMine.body));
    assert.deepEqual(notMine.body.error.violations, [
      { field: 'form_values.receipt', description: 'unknown file: upload it first (POST /api/v1/files)' },
    ]);

    const started = await employee!.post('/api/v1/processes', {
      flow_id: flowId,
      form_values: { receipt: { file_id: fileId }, amount: '12' },
    });
    assert.equal(started.status, 201, JSON.stringify(started.body));
    const detail = await employee!.get(`/api/v1/processes/${started.body.process_id}`);
    assert.equal(detail.status, 200, JSON.stringify(detail.body));
    assert.deepEqual(detail.body.form_values.receipt, {
      file_id: fileId,
      name: 'receipt.png',
      size: PNG.length,
      content_type: 'image/png',
    });
  });

  test("a file in a field hidden at the manager's node is not the manager's to download", async () => {
    const { employee, manager, process_admin: admin } = people;
    const hidden = await t.admin('POST', '/tenants/demo/flow_definitions/import', {
      ...EXPENSE,
      nodes: EXPENSE.nodes.map((n) => (n.id === 'manager' ? { ...n, hidden_fields: ['receipt'] } : n)),
    });
    assert.equal(hidden.status, 201, JSON.stringify(hidden.body));
    const uploaded = await upload(employee!, { filename: 'payslip.png', type: 'image/png', bytes: PNG });
    const fileId = uploaded.body.file_id as string;
    const started = await employee!.post('/api/v1/processes', {
      flow_id: hidden.body.data.flow_definition_id,
      form_values: { receipt: { file_id: fileId }, amount: '5' },
    });
    assert.equal(started.status, 201, JSON.stringify(started.body));
    // The manager sees the process, but not the field, so not its file either (404, as for no file).
    const seen = await manager!.get(`/api/v1/processes/${started.body.process_id}`);
    assert.equal(seen.body.form_values.receipt, undefined);
    assert.equal((await download(manager!, fileId)).status, 404);
    // The process admin sees every field, and the file.
    assert.equal((await download(admin!, fileId)).status, 200);
  });

  test('another tenant neither downloads nor learns of the file', async () => {
    await seedTenant(t, 'other');
    const services = t.server.services;
    const tenant = await services.sessions.tenantFor('other');
    assert.ok(tenant.ok);
    const employee = await services.sessions.employeeByUserId(tenant.value, 'u1');
    assert.ok(employee);
    const created = await services.sessions.create(tenant.value, employee, 'password');
    assert.ok(created.ok);
    const foreigner = new PeopleClient(t.url);
    foreigner.cookies.set('pf_session', created.value.token);

    const theirs = await upload(foreigner, {
      filename: 'notes.txt',
      type: 'text/plain',
      bytes: Buffer.from('hi'),
    });
    assert.equal(theirs.status, 201, JSON.stringify(theirs.body));
    const ours = await upload(people.employee!, {
      filename: 'a.txt',
      type: 'text/plain',
      bytes: Buffer.from('a'),
    });
    assert.equal(ours.status, 201);
    assert.equal((await download(foreigner, ours.body.file_id)).status, 404);
    assert.equal((await download(people.employee!, theirs.body.file_id)).status, 404);
    assert.equal((await download(foreigner, theirs.body.file_id)).status, 200);
    // Nor may another tenant's file id be put in a form through the Open API to reveal it.
    const described = await services.files.describe(tenant.value.id, [ours.body.file_id]);
    assert.equal(described.size, 0);
  });

  test('the size limit: up to it is stored, one byte more is 413 payload_too_large', async () => {
    const limit = LIMIT_MB * 1024 * 1024;
    const fits = await upload(people.employee!, {
      filename: 'big.csv',
      type: 'text/csv',
      bytes: Buffer.alloc(limit, 'a'),
    });
    assert.equal(fits.status, 201, JSON.stringify(fits.body));
    assert.equal(fits.body.size, limit);
    const over = await upload(people.employee!, {
      filename: 'bigger.csv',
      type: 'text/csv',
      bytes: Buffer.alloc(limit + 1, 'a'),
    });
    assert.equal(over.status, 413);
    assert.equal(over.body.error.code, 'payload_too_large');
    assert.match(over.body.error.message, /1 MiB/);
  });

  test('refused types: not on the list, or bytes that are not what they are declared as', async () => {
    const cases: [string, string, Buffer, RegExp][] = [
      ['page.html', 'text/html', Buffer.from('<p>hi</p>'), /text\/html is not accepted/],
      ['logo.svg', 'image/svg+xml', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'), /not accepted/],
      ['setup.png', 'image/png', Buffer.from('MZ\x90\x00 this is a PE header'), /Windows executable/],
      ['run.txt', 'text/plain', Buffer.from('#!/bin/sh\nrm -rf /\n'), /script/],
      ['fake.pdf', 'application/pdf', Buffer.from('hello'), /not a PDF document/],
      ['notes.txt', 'text/plain', Buffer.from('  <!DOCTYPE html><script>alert(1)</script>'), /HTML/],
      ['blob.bin', 'application/octet-stream', Buffer.from('??'), /octet-stream is not accepted/],
    ];
    for (const [filename, type, bytes, message] of cases) {
      const refused = await upload(people.employee!, { filename, type, bytes });
      assert.equal(refused.status, 415, `${filename}: ${JSON.stringify(refused.body)}`);
      assert.equal(refused.body.error.code, 'unsupported_media_type');
      assert.match(refused.body.error.message, message, filename);
    }
    // What browsers send for unknown extensions is taken when the bytes say clearly what it is.
    const sniffed = await upload(people.employee!, {
      filename: 'scan',
      type: 'application/octet-stream',
      bytes: Buffer.from('%PDF-1.7\n...'),
    });
    assert.equal(sniffed.status, 201);
    assert.equal(sniffed.body.content_type, 'application/pdf');
  });

  test('file names: path parts dropped, NUL refused, at most 255 characters', async () => {
    const employee = people.employee!;
    const text = Buffer.from('plain text');
    const pathy = await upload(employee, {
      filename: '..\\..\\C:\\temp/../etc/notes.txt',
      type: 'text/plain',
      bytes: text,
    });
    assert.equal(pathy.status, 201, JSON.stringify(pathy.body));
    assert.equal(pathy.body.name, 'notes.txt');

    const nul = await upload(employee, {
      disposition: `form-data; name="file"; filename*=UTF-8''evil.png%00.txt`,
      type: 'text/plain',
      bytes: text,
    });
    assert.equal(nul.status, 400, JSON.stringify(nul.body));
    assert.equal(nul.body.error.code, 'invalid_field');
    assert.deepEqual(nul.body.error.violations, [
      { field: 'file.name', description: 'must not contain NUL bytes' },
    ]);

    const long = await upload(employee, {
      filename: `${'a'.repeat(252)}.txt`,
      type: 'text/plain',
      bytes: text,
    });
    assert.equal(long.status, 400);
    assert.match(long.body.error.violations[0].description, /at most 255/);
    const justFits = await upload(employee, {
      filename: `${'a'.repeat(251)}.txt`,
      type: 'text/plain',
      bytes: text,
    });
    assert.equal(justFits.status, 201);

    const chinese = await upload(employee, { filename: '发票 2026.txt', type: 'text/plain', bytes: text });
    assert.equal(chinese.status, 201);
    assert.equal(chinese.body.name, '发票 2026.txt');
    const got = await download(employee, chinese.body.file_id);
    assert.match(
      got.headers.get('content-disposition') ?? '',
      /filename\*=UTF-8''%E5%8F%91%E7%A5%A8%202026\.txt/,
    );
  });

  test('bad requests: wrong part, no multipart, no CSRF token, empty file', async () => {
    const employee = people.employee!;
    const wrongPart = await upload(employee, {
      field: 'attachment',
      type: 'text/plain',
      bytes: Buffer.from('x'),
    });
    assert.equal(wrongPart.status, 400);
    assert.equal(wrongPart.body.error.violations[0].field, 'file');
    const json = await employee.post('/api/v1/files', { file: 'x' });
    assert.equal(json.status, 400);
    assert.match(json.body.error.message, /multipart\/form-data/);
    const noCsrf = await upload(employee, { type: 'text/plain', bytes: Buffer.from('x') }, false);
    assert.equal(noCsrf.status, 403);
    assert.equal(noCsrf.body.error.code, 'csrf_invalid');
    const empty = await upload(employee, {
      filename: 'empty.txt',
      type: 'text/plain',
      bytes: Buffer.alloc(0),
    });
    assert.equal(empty.status, 400);
    assert.match(empty.body.error.message, /empty/);
  });
});

forEachDialect(
  'people API files: the bound on unattached uploads, and their deletion after a week',
  (dialect) => {
    let t: TestServer;
    let flowId: string;
    const people: Record<string, PeopleClient> = {};
    /** A PNG of about `kib` KiB (its signature, then filler). */
    const png = (kib: number) => Buffer.concat([PNG, Buffer.alloc(kib * 1024, 0x61)]);
    before(async () => {
      t = await startTestServer(dialect, {
        flags: ['--demo', '--clock-control', '--file-size-limit-mb', '1', '--unattached-files-mb', '1'],
      });
      const imported = await t.admin('POST', '/tenants/demo/flow_definitions/import', EXPENSE);
      assert.equal(imported.status, 201, JSON.stringify(imported.body));
      flowId = imported.body.data.flow_definition_id as string;
      for (const userId of ['employee', 'manager']) {
        people[userId] = new PeopleClient(t.url);
        await people[userId].signInDemo(userId);
      }
    });
    after(() => t.close());

    test("a person's uploads no request names are bounded; a request frees them; a week later the rest are gone", async () => {
      const { employee, manager } = people;
      const first = await upload(employee!, { filename: 'a.png', type: 'image/png', bytes: png(400) });
      const second = await upload(employee!, { filename: 'b.png', type: 'image/png', bytes: png(400) });
      assert.equal(first.status, 201, JSON.stringify(first.body));
      assert.equal(second.status, 201, JSON.stringify(second.body));
      const third = await upload(employee!, { filename: 'c.png', type: 'image/png', bytes: png(400) });
      assert.equal(third.status, 413, JSON.stringify(third.body));
      assert.equal(third.body.error.code, 'upload_quota_exceeded');
      assert.match(third.body.error.message, /not attached to any request/);
      // Someone else's uploads are their own.
      const others = await upload(manager!, { filename: 'm.png', type: 'image/png', bytes: png(400) });
      assert.equal(others.status, 201, JSON.stringify(others.body));

      // A request that names the first file attaches it: there is room again.
      const attachedId = first.body.file_id as string;
      const started = await employee!.post('/api/v1/processes', {
        flow_id: flowId,
        form_values: { receipt: { file_id: attachedId }, amount: '12' },
      });
      assert.equal(started.status, 201, JSON.stringify(started.body));
      const again = await upload(employee!, { filename: 'c.png', type: 'image/png', bytes: png(400) });
      assert.equal(again.status, 201, JSON.stringify(again.body));

      // Six days on, nothing is deleted; eight days on, every upload no request names is.
      const advance = async (days: number) => {
        const moved = await t.admin('POST', '/clock', { advance_ms: days * 24 * 3_600_000 });
        assert.equal(moved.status, 200, JSON.stringify(moved.body));
      };
      await advance(6);
      assert.equal((await t.server.retention.sweep()).files, 0);
      await advance(2);
      const swept = await t.server.retention.sweep();
      assert.equal(swept.files, 3, JSON.stringify(swept));
      // (Sessions ended with the clock's move: sign in again.)
      const employeeNow = new PeopleClient(t.url);
      await employeeNow.signInDemo('employee');
      assert.equal((await download(employeeNow, attachedId)).status, 200, 'the attached file stays');
      for (const gone of [second.body.file_id as string, again.body.file_id as string])
        assert.equal((await download(employeeNow, gone)).status, 404, 'an unattached upload is gone');
      const fresh = await upload(employeeNow, { filename: 'd.png', type: 'image/png', bytes: png(900) });
      assert.equal(fresh.status, 201, 'the room is back');
    });
  },
);
