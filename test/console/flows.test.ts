import { test } from 'node:test';
import assert from 'node:assert/strict';
import { forEachDialect } from '../helpers/databases.js';
import { seedTenant, startTestServer } from '../helpers/server.js';
import { PeopleClient } from '../helpers/people.js';
import { signedInDemo } from '../helpers/fixtures.js';

// Tests read arbitrary response shapes.
/* eslint-disable @typescript-eslint/no-explicit-any */

const fromTemplate = async (head: PeopleClient, bizType = 'travel_application') => {
  const created = await head.post('/api/v1/admin/flows', { template: bizType });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  return created.body.flow;
};

forEachDialect('console flows: lifecycle', (dialect) => {
  test('template → edit the draft → problems pinned → publish → versions, export, import, delete', async () => {
    const server = await startTestServer(dialect, { flags: ['--demo'] });
    try {
      const head = await signedInDemo(server, 'hr_head');

      // Templates: one per known business type, the travel application among them.
      const templates = await head.get('/api/v1/admin/flow-templates');
      assert.equal(templates.status, 200);
      const travel = templates.body.items.find((t: any) => t.biz_type === 'travel_application');
      assert.ok(travel, 'travel_application has a template');
      assert.equal(travel.biz_type_name.zh_cn, '出差申请');
      assert.ok(templates.body.items.length >= 30);

      const flow = await fromTemplate(head);
      const id = flow.flow_id;
      assert.equal(flow.latest_version, 0);
      assert.equal(flow.has_draft, true);
      assert.equal(flow.draft.revision, 1);
      assert.equal(flow.draft.updated_by.user_id, 'hr_head');
      assert.deepEqual(flow.draft.document.process_admins, ['hr_head'], 'the creator administers it');
      assert.equal(flow.published, null);
      assert.equal(flow.biz_type_name.en_us, 'Travel application');

      // The list shows it with its draft badge and running count.
      const list = await head.get('/api/v1/admin/flows?query=travel');
      assert.equal(list.status, 200);
      assert.deepEqual(
        list.body.items.map((f: any) => f.flow_id),
        [id],
      );
      assert.equal(list.body.items[0].running, 0);
      assert.equal(list.body.items[0].process_admins[0].user_id, 'hr_head');

      // Save a draft whose condition compares a number with a string: saved, problems pinned.
      const doc = structuredClone(flow.draft.document);
      doc.name = { zh_cn: '出差（测试）', en_us: 'Travel (test)' };
      const gateway = doc.nodes.findIndex((n: any) => n.type === 'exclusive');
      doc.nodes[gateway].branches[0].condition = 'form.estimated_cost > "10000"';
      doc.nodes[1].approvers = [{ type: 'users', user_ids: ['nobody_here'] }];
      const saved = await head.send('PUT', `/api/v1/admin/flows/${id}/draft`, { document: doc, revision: 1 });
      assert.equal(saved.status, 200, JSON.stringify(saved.body));
      assert.equal(saved.body.revision, 2);
      const fields = saved.body.problems.map((p: any) => [p.field, p.node_id]);
      assert.deepEqual(fields, [
        ['nodes[1].approvers[0].user_ids[0]', 'manager'],
        [`nodes[${gateway}].branches[0].condition`, 'high_cost'],
      ]);

      // Validate says the same; an unsaved document can be checked too.
      const validated = await head.post(`/api/v1/admin/flows/${id}/validate`, {});
      assert.deepEqual(validated.body.problems, saved.body.problems);
      const unsaved = structuredClone(doc);
      unsaved.form[0].api_name = 'Bad Name';
      const checkedUnsaved = await head.post(`/api/v1/admin/flows/${id}/validate`, { document: unsaved });
      assert.ok(
        checkedUnsaved.body.problems.some(
          (p: any) => p.field === 'form[0].api_name' && p.field_api_name === 'Bad Name',
        ),
      );
      assert.equal((await head.post(`/api/v1/admin/flows/${id}/validate`)).status, 200, 'no body is fine');

      // Publish is refused while problems remain; each one pinned; nothing published.
      const refused = await head.post(`/api/v1/admin/flows/${id}/publish`, { revision: 2 });
      assert.equal(refused.status, 400);
      assert.equal(refused.body.error.code, 'invalid_field');
      assert.deepEqual(refused.body.error.problems, saved.body.problems);
      assert.equal((await head.get(`/api/v1/admin/flows/${id}`)).body.latest_version, 0);

      // Fixed: published as version 1; the draft is gone and the revision moved on.
      doc.nodes[gateway].branches[0].condition = 'form.estimated_cost > 10000';
      doc.nodes[1].approvers = [{ type: 'manager', level: 1 }];
      const fixed = await head.send('PUT', `/api/v1/admin/flows/${id}/draft`, { document: doc, revision: 2 });
      assert.deepEqual(fixed.body.problems, []);
      const published = await head.post(`/api/v1/admin/flows/${id}/publish`, { revision: 3 });
      assert.equal(published.status, 200, JSON.stringify(published.body));
      assert.equal(published.body.latest_version, 1);
      assert.equal(published.body.draft, null);
      assert.equal(published.body.draft_revision, 4);
      assert.equal(published.body.published.name.en_us, 'Travel (test)');

      // Publishing again without a draft: nothing to publish.
      assert.equal((await head.post(`/api/v1/admin/flows/${id}/publish`, { revision: 4 })).status, 400);

      // The employee can start it now; it counts as running.
      const employee = await signedInDemo(server, 'employee');
      const started = await employee.post('/api/v1/processes', {
        flow_id: id,
        form_values: {
          destination: 'Shanghai',
          start_date: '2026-12-10',
          end_date: '2026-12-12',
          days: '3',
          estimated_cost: '2000',
          traveller: 'employee',
        },
      });
      assert.equal(started.status, 201, JSON.stringify(started.body));
      const running = await head.get(`/api/v1/admin/flows/${id}`);
      assert.equal(running.body.running, 1);

      // A draft edited when none exists starts from the latest version; version 2.
      const v2 = structuredClone(running.body.published);
      v2.form.push({ api_name: 'hotel', label: { zh_cn: '酒店', en_us: 'Hotel' }, type: 'text' });
      const v2saved = await head.send('PUT', `/api/v1/admin/flows/${id}/draft`, {
        document: v2,
        revision: 4,
      });
      assert.equal(v2saved.status, 200);
      assert.equal((await head.post(`/api/v1/admin/flows/${id}/publish`, { revision: 5 })).status, 200);

      const versions = await head.get(`/api/v1/admin/flows/${id}/versions`);
      assert.deepEqual(
        versions.body.items.map((v: any) => [v.version, v.published_by.user_id]),
        [
          [2, 'hr_head'],
          [1, 'hr_head'],
        ],
      );
      const paged = await head.get(`/api/v1/admin/flows/${id}/versions?page_size=1`);
      assert.equal(paged.body.items.length, 1);
      const second = await head.get(
        `/api/v1/admin/flows/${id}/versions?page_size=1&page_token=${encodeURIComponent(paged.body.page_token)}`,
      );
      assert.equal(second.body.items[0].version, 1);
      assert.equal(second.body.page_token, undefined);
      const one = await head.get(`/api/v1/admin/flows/${id}/versions/1`);
      assert.equal(one.body.form.length, 7);
      assert.equal((await head.get(`/api/v1/admin/flows/${id}/versions/9`)).status, 404);

      // Export: a JSON download of the latest version (or the one asked for).
      const exported = await head.get(`/api/v1/admin/flows/${id}/export`);
      assert.equal(exported.status, 200);
      assert.match(
        exported.headers.get('content-disposition') ?? '',
        /attachment; filename="flow-\d+-v2\.json"/,
      );
      assert.equal(exported.body.form.length, 8);
      assert.equal((await head.get(`/api/v1/admin/flows/${id}/export?version=1`)).body.form.length, 7);

      // Import: a new flow holding it as a draft.
      const imported = await head.post('/api/v1/admin/flows/import', { document: exported.body });
      assert.equal(imported.status, 201);
      assert.equal(imported.body.flow.has_draft, true);
      assert.deepEqual(imported.body.problems, []);

      // Clone and blank.
      const clone = await head.post('/api/v1/admin/flows', { clone_from: id });
      assert.equal(clone.status, 201);
      assert.equal(clone.body.flow.name.en_us, 'Travel (test) (copy)');
      const blank = await head.post('/api/v1/admin/flows', {
        name: { zh_cn: '空白', en_us: 'Blank' },
        biz_type: 'custom:blank_one',
      });
      assert.equal(blank.status, 201);
      assert.deepEqual(
        blank.body.flow.draft.document.nodes.map((n: any) => n.type),
        ['start', 'end'],
      );

      // Enable / disable.
      const disabled = await head.post(`/api/v1/admin/flows/${id}/disable`);
      assert.equal(disabled.body.enabled, false);
      assert.equal((await head.post(`/api/v1/admin/flows/${id}/enable`)).body.enabled, true);

      // Delete: only a flow never published.
      const del = await head.send('DELETE', `/api/v1/admin/flows/${id}`);
      assert.equal(del.status, 409);
      assert.equal(del.body.error.code, 'in_use');
      assert.equal((await head.send('DELETE', `/api/v1/admin/flows/${blank.body.flow.flow_id}`)).status, 204);
      assert.equal((await head.get(`/api/v1/admin/flows/${blank.body.flow.flow_id}`)).status, 404);
    } finally {
      await server.close();
    }
  });
});

forEachDialect('console flows: conflicts', (dialect) => {
  test('two editors of one draft: the second save is refused with who saved, the first is kept', async () => {
    const server = await startTestServer(dialect, { flags: ['--demo'] });
    try {
      const head = await signedInDemo(server, 'hr_head');
      const admin = await signedInDemo(server, 'process_admin');
      const flow = await fromTemplate(head);
      const id = flow.flow_id;
      // Make the process admin one of its admins, so both may edit.
      const doc = structuredClone(flow.draft.document);
      doc.process_admins = ['hr_head', 'process_admin'];
      const shared = await head.send('PUT', `/api/v1/admin/flows/${id}/draft`, {
        document: doc,
        revision: 1,
      });
      assert.equal(shared.status, 200);

      // Both load revision 2.
      const loaded = (await admin.get(`/api/v1/admin/flows/${id}`)).body;
      assert.equal(loaded.draft.revision, 2);
      const first = structuredClone(loaded.draft.document);
      first.name.en_us = 'First';
      const second = structuredClone(loaded.draft.document);
      second.name.en_us = 'Second';

      const firstSave = await admin.send('PUT', `/api/v1/admin/flows/${id}/draft`, {
        document: first,
        revision: 2,
      });
      assert.equal(firstSave.status, 200);
      const secondSave = await head.send('PUT', `/api/v1/admin/flows/${id}/draft`, {
        document: second,
        revision: 2,
      });
      assert.equal(secondSave.status, 409);
      assert.equal(secondSave.body.error.code, 'edit_conflict');
      assert.match(secondSave.body.error.message, /Xu Jing \(process_admin\) saved revision 3/);
      assert.equal(secondSave.body.error.current.revision, 3);
      assert.equal(secondSave.body.error.current.updated_by.user_id, 'process_admin');
      const kept = (await head.get(`/api/v1/admin/flows/${id}`)).body;
      assert.equal(kept.draft.document.name.en_us, 'First');
      assert.equal(kept.draft.revision, 3);

      // Publishing a stale revision is a conflict too; nothing is published.
      const stale = await head.post(`/api/v1/admin/flows/${id}/publish`, { revision: 2 });
      assert.equal(stale.status, 409);
      assert.equal((await head.get(`/api/v1/admin/flows/${id}`)).body.latest_version, 0);

      // Saves racing on one revision: exactly one wins.
      const race = await Promise.all(
        ['a', 'b', 'c', 'd'].map((tag) => {
          const d = structuredClone(kept.draft.document);
          d.name.en_us = tag;
          return head.send('PUT', `/api/v1/admin/flows/${id}/draft`, { document: d, revision: 3 });
        }),
      );
      assert.deepEqual(race.map((r) => r.status).sort(), [200, 409, 409, 409]);
      assert.equal((await head.get(`/api/v1/admin/flows/${id}`)).body.draft.revision, 4);
    } finally {
      await server.close();
    }
  });
});

forEachDialect('console flows: scope', (dialect) => {
  test('a process admin sees and edits only their flows; an employee is refused; another tenant’s flow is 404', async () => {
    const server = await startTestServer(dialect, { flags: ['--demo'] });
    try {
      const head = await signedInDemo(server, 'hr_head');
      const admin = await signedInDemo(server, 'process_admin');
      const employee = await signedInDemo(server, 'employee');
      const mine = await fromTemplate(head);

      const all = (await head.get('/api/v1/admin/flows')).body.items.map((f: any) => f.flow_id);
      const theirs = (await admin.get('/api/v1/admin/flows')).body.items.map((f: any) => f.flow_id);
      assert.ok(all.includes(mine.flow_id));
      assert.ok(!theirs.includes(mine.flow_id), 'the process admin does not see the head’s flow');
      assert.equal(theirs.length, 5, 'the five demo flows');
      assert.equal(all.length, 6);

      // Others' flows answer 404, whatever the operation.
      const other = mine.flow_id;
      for (const [method, path, body] of [
        ['GET', `/api/v1/admin/flows/${other}`, undefined],
        ['PUT', `/api/v1/admin/flows/${other}/draft`, { document: mine.draft.document, revision: 1 }],
        ['POST', `/api/v1/admin/flows/${other}/validate`, {}],
        ['POST', `/api/v1/admin/flows/${other}/publish`, { revision: 1 }],
        ['POST', `/api/v1/admin/flows/${other}/disable`, undefined],
        ['GET', `/api/v1/admin/flows/${other}/versions`, undefined],
        ['GET', `/api/v1/admin/flows/${other}/export`, undefined],
      ] as const) {
        const r = await admin.send(method, path, body);
        assert.equal(r.status, 404, `${method} ${path}`);
      }

      // Their own: edit, validate, publish, disable. Creating, importing, deleting: tenant admins.
      const own = theirs[0];
      const detail = (await admin.get(`/api/v1/admin/flows/${own}`)).body;
      assert.equal(detail.latest_version, 1);
      const draft = structuredClone(detail.published);
      draft.name.en_us = 'Renamed by the process admin';
      const saved = await admin.send('PUT', `/api/v1/admin/flows/${own}/draft`, {
        document: draft,
        revision: detail.draft_revision,
      });
      assert.equal(saved.status, 200, JSON.stringify(saved.body));
      const published = await admin.post(`/api/v1/admin/flows/${own}/publish`, {
        revision: saved.body.revision,
      });
      assert.equal(published.status, 200, JSON.stringify(published.body));
      assert.equal(published.body.latest_version, 2);
      assert.equal((await admin.post(`/api/v1/admin/flows/${own}/disable`)).status, 200);
      assert.equal((await admin.post(`/api/v1/admin/flows/${own}/enable`)).status, 200);
      assert.equal((await admin.post('/api/v1/admin/flows', { template: 'leave_application' })).status, 403);
      assert.equal((await admin.post('/api/v1/admin/flows/import', { document: draft })).status, 403);
      assert.equal((await admin.get('/api/v1/admin/flow-templates')).status, 200, 'the type list is for all');
      assert.equal((await admin.send('DELETE', `/api/v1/admin/flows/${own}`)).status, 403);

      // No console role at all: 403.
      const refused = await employee.get('/api/v1/admin/flows');
      assert.equal(refused.status, 403);
      assert.equal(refused.body.error.code, 'forbidden');

      // Another tenant's flow: not found for this tenant's admin.
      await seedTenant(server, 'other');
      const foreign = await server.admin('POST', '/tenants/other/flow_definitions', {
        ...mine.draft.document,
        process_admins: ['u0'],
      });
      assert.equal(foreign.status, 201, JSON.stringify(foreign.body));
      const foreignId = foreign.body.data.flow_definition_id;
      assert.equal((await head.get(`/api/v1/admin/flows/${foreignId}`)).status, 404);
      assert.equal(
        (await head.send('PUT', `/api/v1/admin/flows/${foreignId}/draft`, { document: draft, revision: 1 }))
          .status,
        404,
      );
      assert.equal((await head.post('/api/v1/admin/flows', { clone_from: foreignId })).status, 400);
      assert.ok(
        !(await head.get('/api/v1/admin/flows')).body.items.some((f: any) => f.flow_id === foreignId),
      );
    } finally {
      await server.close();
    }
  });
});

forEachDialect('console flows: bad input', (dialect) => {
  test('missing and wrong-typed fields, NUL bytes, huge names, unknown ids: named, nothing changed', async () => {
    const server = await startTestServer(dialect, { flags: ['--demo'] });
    try {
      const head = await signedInDemo(server, 'hr_head');
      const flow = await fromTemplate(head);
      const id = flow.flow_id;
      const doc = flow.draft.document;
      const put = (body: unknown) => head.send('PUT', `/api/v1/admin/flows/${id}/draft`, body);
      const violated = async (response: Promise<any>, field: string, status = 400) => {
        const r = await response;
        assert.equal(r.status, status, JSON.stringify(r.body));
        if (status === 400) {
          assert.equal(r.body.error.code, 'invalid_field');
          assert.ok(
            r.body.error.violations.some((v: any) => v.field === field),
            `${field} in ${JSON.stringify(r.body.error.violations)}`,
          );
        }
      };

      await violated(put({ document: doc }), 'revision');
      await violated(put({ revision: 1 }), 'document');
      await violated(put({ document: doc, revision: '1' }), 'revision');
      const wrongType = structuredClone(doc);
      wrongType.nodes[1].type = 'teleport';
      await violated(put({ document: wrongType, revision: 1 }), 'document.nodes[1]');
      const noName = structuredClone(doc);
      delete noName.nodes[1].name;
      await violated(put({ document: noName, revision: 1 }), 'document.nodes[1].name');
      const huge = structuredClone(doc);
      huge.name.en_us = 'x'.repeat(10_000);
      await violated(put({ document: huge, revision: 1 }), 'document.name.en_us');
      const nul = structuredClone(doc);
      nul.form[0].label.zh_cn = 'a\u0000b';
      await violated(put({ document: nul, revision: 1 }), 'document.form[0].label.zh_cn');
      await violated(put({ document: doc, revision: 1, extra: true }), 'extra');

      // Nothing of that was saved.
      const after = (await head.get(`/api/v1/admin/flows/${id}`)).body;
      assert.equal(after.draft.revision, 1);
      assert.deepEqual(after.draft.document, doc);

      // Unknown flows, malformed ids.
      assert.equal((await head.get('/api/v1/admin/flows/999999')).status, 404);
      assert.equal(
        (await head.send('PUT', '/api/v1/admin/flows/999999/draft', { document: doc, revision: 1 })).status,
        404,
      );
      await violated(head.get('/api/v1/admin/flows/not-a-number'), 'flow_id');
      await violated(head.get(`/api/v1/admin/flows/${id}/versions/0`), 'version');

      // Create: exactly one way, known types and templates, names bounded.
      await violated(head.post('/api/v1/admin/flows', {}), 'template');
      await violated(
        head.post('/api/v1/admin/flows', { template: 'leave_application', clone_from: id }),
        'clone_from',
      );
      await violated(head.post('/api/v1/admin/flows', { template: 'no_such_type' }), 'template');
      await violated(head.post('/api/v1/admin/flows', { biz_type: 'leave_application' }), 'name');
      await violated(
        head.post('/api/v1/admin/flows', { name: { zh_cn: 'x', en_us: 'x' }, biz_type: 'made up' }),
        'biz_type',
      );
      await violated(
        head.post('/api/v1/admin/flows', {
          template: 'leave_application',
          name: { zh_cn: 'x'.repeat(201), en_us: 'x' },
        }),
        'name.zh_cn',
      );
      await violated(head.post('/api/v1/admin/flows', { clone_from: '999999' }), 'clone_from');
      await violated(head.post('/api/v1/admin/flows/import', { document: { name: 'x' } }), 'document.name');
      await violated(head.get('/api/v1/admin/flows?page_token=forged'), 'page_token');
      await violated(head.get('/api/v1/admin/flows?page_size=1000'), 'page_size');
      await violated(head.get(`/api/v1/admin/flows/${id}/export?version=abc`), 'version');

      // Paging walks every flow once.
      const seen: string[] = [];
      let token: string | undefined;
      do {
        const page = await head.get(
          `/api/v1/admin/flows?page_size=2${token ? `&page_token=${encodeURIComponent(token)}` : ''}`,
        );
        assert.equal(page.status, 200);
        seen.push(...page.body.items.map((f: any) => f.flow_id));
        token = page.body.page_token;
      } while (token);
      assert.equal(seen.length, 6);
      assert.equal(new Set(seen).size, 6);
    } finally {
      await server.close();
    }
  });
});
