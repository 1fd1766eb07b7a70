import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN_TOKEN, startTestServer, tenantToken, type TestServer } from '../helpers/server.js';
import { PeopleClient } from '../helpers/people.js';

/**
 * Every POST/PUT/PATCH route reads its body as JSON whatever the Content-Type says, or without one:
 * the Python SDK sends its token request with none, the Go SDK its long-connection endpoint request.
 * The routes are taken from the server itself, so a new route is covered without touching this file.
 */
let t: TestServer;
let token: string;
before(async () => {
  t = await startTestServer('sqlite', { flags: ['--demo'] });
  const demo = t.server.demo!;
  token = await tenantToken(t, demo.app.app_id, demo.app.app_secret);
});
after(() => t.close());

const CONTENT_TYPES: (string | undefined)[] = [undefined, 'text/plain', 'application/x-www-form-urlencoded'];

/** Parameters that pass validation but name nothing that exists: no request below changes anything. */
function concrete(url: string): string {
  return url.replace(/:([a-z_]+)/g, (_match, name: string) =>
    ['process_id', 'approver_id', 'flow_definition_id', 'delivery_id'].includes(name)
      ? '7000000000000000001'
      : `absent_${name}`,
  );
}

/** People-API routes act as a signed-in person and need the CSRF token: a fresh session per request. */
async function personHeaders(path: string): Promise<Record<string, string>> {
  const person = new PeopleClient(t.url);
  // The console's routes need a console role: the demo's tenant admin.
  await person.signInDemo(path.startsWith('/api/v1/admin/') ? 'hr_head' : 'employee');
  return {
    cookie: [...person.cookies].map(([name, value]) => `${name}=${value}`).join('; '),
    'x-csrf-token': await person.ensureCsrf(),
  };
}

async function send(method: string, path: string, body: string | undefined, contentType?: string) {
  const headers: Record<string, string> = path.startsWith('/api/v1/')
    ? await personHeaders(path)
    : { authorization: `Bearer ${path.startsWith('/admin/') ? ADMIN_TOKEN : token}` };
  if (contentType !== undefined) headers['content-type'] = contentType;
  const response = await fetch(`${t.url}${path}`, {
    method,
    headers,
    ...(body !== undefined ? { body } : {}),
  });
  const text = await response.text();
  return {
    status: response.status,
    text,
    json: (text === '' ? {} : JSON.parse(text)) as Record<string, unknown>,
  };
}

/** Open API and admin errors name fields in `field_violations`, people-API errors in `violations`. */
const fieldsOf = (json: Record<string, unknown>) => {
  const error = json.error as
    { field_violations?: { field: string }[]; violations?: { field: string }[] } | undefined;
  return (error?.field_violations ?? error?.violations ?? []).map((v) => v.field);
};

const bodyRoutes = () =>
  t.server.app.registeredRoutes.filter((r) => ['POST', 'PUT', 'PATCH'].includes(r.method));

test('the server has body routes of each method to check', () => {
  const methods = new Set(bodyRoutes().map((r) => r.method));
  assert.deepEqual([...methods].sort(), ['PATCH', 'POST', 'PUT']);
  assert.ok(bodyRoutes().some((r) => r.url === '/callback/ws/endpoint'));
});

test('every body route parses its body as JSON whatever the Content-Type, or with none', async () => {
  for (const route of bodyRoutes()) {
    const path = concrete(route.url);
    for (const contentType of CONTENT_TYPES) {
      const where = `${route.method} ${route.url} with ${contentType ?? 'no Content-Type'}`;
      const broken = await send(route.method, path, '{"x":', contentType);
      assert.equal(broken.status, 400, `${where}: invalid JSON is refused: ${broken.text}`);
      assert.deepEqual(fieldsOf(broken.json), ['body'], `${where}: names body`);
      assert.match(broken.text, /not valid JSON/, `${where}: says why`);

      for (const body of ['{}', '']) {
        const read = await send(route.method, path, body, contentType);
        assert.notEqual(read.status, 415, `${where}: ${read.text}`);
        assert.doesNotMatch(read.text, /media type/i, `${where}: ${read.text}`);
        assert.ok(
          !fieldsOf(read.json).includes('body'),
          `${where}, body ${JSON.stringify(body)}: read as {} (a field inside it may be missing): ${read.text}`,
        );
      }
    }
  }
});

test('a body without a Content-Type is read: the token request as the Python SDK sends it', async () => {
  const demo = t.server.demo!;
  const response = await fetch(`${t.url}/open-apis/auth/v3/tenant_access_token/internal`, {
    method: 'POST',
    body: JSON.stringify({ app_id: demo.app.app_id, app_secret: demo.app.app_secret }),
  });
  const body = (await response.json()) as { code: number; tenant_access_token: string };
  assert.equal(response.status, 200);
  assert.equal(body.code, 0);
  assert.match(body.tenant_access_token, /^t-/);
  const missing = await send('POST', '/open-apis/auth/v3/tenant_access_token/internal', '{"app_id":"x"}');
  assert.deepEqual(fieldsOf(missing.json), ['app_secret'], 'a field inside the body is named');
});

test('the long-connection endpoint request as the Go SDK sends it (no Content-Type) gets a URL', async () => {
  const demo = t.server.demo!;
  const response = await fetch(`${t.url}/callback/ws/endpoint`, {
    method: 'POST',
    body: JSON.stringify({ AppID: demo.app.app_id, AppSecret: demo.app.app_secret }),
  });
  const body = (await response.json()) as { code: number; data?: { URL: string } };
  assert.equal(body.code, 0, JSON.stringify(body));
  assert.match(body.data?.URL ?? '', /^ws:\/\//);
});

test('an empty body on a route whose fields are all optional behaves as {}', async () => {
  for (const contentType of [undefined, 'application/json']) {
    const response = await send('PATCH', '/admin/v1/tenants/demo', undefined, contentType);
    assert.equal(response.status, 200, response.text);
    assert.equal((response.json.data as { tenant_key: string }).tenant_key, 'demo');
  }
  const invalid = await send('PATCH', '/admin/v1/tenants/demo', '{"name": 5}', 'text/plain');
  assert.equal(invalid.status, 400);
  assert.deepEqual(fieldsOf(invalid.json), ['name']);
});
