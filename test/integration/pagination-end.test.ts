import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN_TOKEN, startTestServer, tenantToken } from '../helpers/server.js';
import { choice, date, DemoDriver, num, sdkClient } from '../helpers/sdk.js';
import { PeopleClient } from '../helpers/people.js';

/**
 * The last page of every paginated route leaves `page_token` out: the Go SDK's iterators stop only
 * on a missing token, and an empty one sends them back to the first page forever. The routes are
 * found in the OpenAPI document (every GET taking `page_size`), so a new list is walked too.
 */
test('every paginated route: page_token with has_more on earlier pages, absent on the last', async () => {
  const t = await startTestServer('sqlite', { flags: ['--demo', '--rate-limit', '0'] });
  try {
    const demo = t.server.demo!;
    const driver = new DemoDriver(sdkClient(t.url, demo.app), demo);
    const leave = {
      leave_type: choice('annual'),
      start_date: date('2026-12-01'),
      end_date: date('2026-12-02'),
      days: num('1'),
    };
    for (let i = 0; i < 3; i++) await driver.start('leave', 'employee', leave);
    const token = await tenantToken(t, demo.app.app_id, demo.app.app_secret);

    // What each list needs besides paging; a new list with other required inputs must be added here.
    const now = Date.now();
    const required: Record<string, Record<string, string>> = {
      '/open-apis/corehr/v2/processes': {
        modify_time_from: String(now - 24 * 3600 * 1000),
        modify_time_to: String(now + 3600 * 1000),
      },
      '/open-apis/corehr/v2/approvers': { user_id: 'manager', user_id_type: 'user_id' },
    };
    const pathValues: Record<string, string> = { tenant_key: 'demo', app_id: demo.app.app_id };

    const document = t.server.app.swagger() as {
      paths: Record<string, { get?: { parameters?: { name: string; in: string }[] } }>;
    };
    const allLists = Object.entries(document.paths)
      .filter(([, item]) => item.get?.parameters?.some((p) => p.in === 'query' && p.name === 'page_size'))
      .map(([path]) => path);
    // The people API has its own page shape (`items`, `page_token` absent on the last page): walked below.
    const lists = allLists.filter((path) => !path.startsWith('/api/v1/'));
    const peopleLists = allLists.filter((path) => path.startsWith('/api/v1/'));
    assert.ok(lists.length >= 8, `paginated routes found: ${lists.join(', ')}`);
    assert.ok(peopleLists.length >= 3, `people-API lists found: ${peopleLists.join(', ')}`);

    let withSeveralPages = 0;
    for (const template of lists) {
      const path = template.replace(/\{([a-z_]+)\}/g, (_m, name: string) => {
        const value = pathValues[name];
        if (value === undefined) throw new Error(`${template}: add a value for {${name}} to this test`);
        return value;
      });
      const authorization = `Bearer ${path.startsWith('/admin/') ? ADMIN_TOKEN : token}`;
      let pageToken: string | undefined;
      for (let page = 1; ; page++) {
        assert.ok(page <= 100, `${template}: ends`);
        const query = new URLSearchParams({
          ...required[template],
          page_size: '1',
          ...(pageToken !== undefined ? { page_token: pageToken } : {}),
        });
        const response = await fetch(`${t.url}${path}?${query.toString()}`, { headers: { authorization } });
        const body = (await response.json()) as { code: number; data: Record<string, unknown> };
        assert.equal(response.status, 200, `${template}: ${JSON.stringify(body)}`);
        const data = body.data;
        if (data.has_more === true) {
          assert.equal(typeof data.page_token, 'string', `${template} page ${page}: a token to go on`);
          assert.notEqual(data.page_token, '', `${template} page ${page}`);
          pageToken = data.page_token as string;
          continue;
        }
        assert.equal(data.has_more, false, `${template} page ${page}`);
        assert.ok(
          !('page_token' in data),
          `${template}: the last page has no page_token: ${JSON.stringify(data)}`,
        );
        if (page > 1) withSeveralPages++;
        break;
      }
    }
    assert.ok(withSeveralPages >= 6, 'most lists were walked over several pages');

    // The same rule on the people API, as the signed-in employee (who started the three requests).
    const person = new PeopleClient(t.url);
    await person.signInDemo('employee');
    // The console's lists, as the demo's tenant admin.
    const tenantAdmin = new PeopleClient(t.url);
    await tenantAdmin.signInDemo('hr_head');
    const someFlow = (await tenantAdmin.get('/api/v1/admin/flows')).body as { items: { flow_id: string }[] };
    const peopleValues: Record<string, string> = {
      tab: 'started',
      flow_id: someFlow.items[0]!.flow_id,
      user_id: 'employee',
    };
    let peopleWithSeveralPages = 0;
    for (const template of peopleLists) {
      const path = template.replace(/\{([a-z_]+)\}/g, (_m, name: string) => {
        const value = peopleValues[name];
        if (value === undefined) throw new Error(`${template}: add a value for {${name}} to this test`);
        return value;
      });
      let pageToken: string | undefined;
      for (let page = 1; ; page++) {
        assert.ok(page <= 100, `${template}: ends`);
        const query = new URLSearchParams({
          page_size: '1',
          ...(pageToken !== undefined ? { page_token: pageToken } : {}),
        });
        const client = path.startsWith('/api/v1/admin/') ? tenantAdmin : person;
        const response = await client.get(`${path}?${query.toString()}`);
        assert.equal(response.status, 200, `${template}: ${JSON.stringify(response.body)}`);
        // One person's leave ledger comes with their balances: its page is `entries`.
        const raw = response.body as { entries?: unknown };
        const body = (template.endsWith('/leave/ledger/{user_id}') ? raw.entries : raw) as {
          items: unknown[];
          page_token?: unknown;
        };
        assert.ok(Array.isArray(body.items), `${template}: items`);
        if ('page_token' in body) {
          assert.equal(typeof body.page_token, 'string', `${template} page ${page}: a token to go on`);
          assert.notEqual(body.page_token, '', `${template} page ${page}`);
          pageToken = body.page_token as string;
          continue;
        }
        if (page > 1) peopleWithSeveralPages++;
        break;
      }
    }
    assert.ok(peopleWithSeveralPages >= 3, 'most people-API lists were walked over several pages');
  } finally {
    await t.close();
  }
});
