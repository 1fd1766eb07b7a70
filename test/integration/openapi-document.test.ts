import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Validator } from '@seriousme/openapi-schema-validator';
import { startTestServer } from '../helpers/server.js';

test('/openapi.json is a valid OpenAPI 3.1 document that covers every route', async () => {
  const t = await startTestServer('sqlite');
  try {
    const response = await fetch(`${t.url}/openapi.json`);
    assert.equal(response.status, 200);
    const doc = (await response.json()) as {
      openapi: string;
      paths: Record<string, Record<string, unknown>>;
    };
    assert.equal(doc.openapi, '3.1.0');
    const result = await new Validator().validate(doc);
    assert.equal(result.valid, true, JSON.stringify(result.errors ?? []).slice(0, 2000));

    const routes = t.server.app.registeredRoutes.filter((r) => r.url !== '/openapi.json');
    assert.ok(routes.length > 40, `${routes.length} routes`);
    for (const route of routes) {
      const path = route.url.replace(/:([A-Za-z_]+)/g, '{$1}');
      assert.ok(
        doc.paths[path]?.[route.method.toLowerCase()],
        `${route.method} ${route.url} is missing from /openapi.json`,
      );
    }
    for (const path of [
      '/open-apis/corehr/v2/process_start',
      '/open-apis/corehr/v2/processes/{process_id}/approvers/{approver_id}',
      '/admin/v1/tenants/{tenant_key}/flow_definitions',
    ]) {
      assert.ok(doc.paths[path], path);
    }
  } finally {
    await t.close();
  }
});
