import { test } from 'node:test';
import assert from 'node:assert/strict';
import { forEachDialect } from '../helpers/databases.js';
import { processEvents, reached, subscribeToEvents } from '../helpers/process-events.js';
import { seedTenant, startTestServer, type TestServer } from '../helpers/server.js';
import { i18n } from '../helpers/fixtures.js';
import { approveTheTask, beijingDate, jobChangeFlow } from './job-change.js';
import { TestSmtp } from '../notifications/helpers.js';

const FLAGS = ['--emulator', '--clock-control', '--job-interval-ms', '50'];
const HOUR = 3_600_000;

forEachDialect(
  'a job change effective tomorrow survives a restart and applies when the clock gets there',
  (dialect) => {
    test('employee moved, events written, email delivered — after a restart and a clock move', async () => {
      const smtp = await TestSmtp.start();
      let t: TestServer | undefined = await startTestServer(dialect, { flags: FLAGS });
      const database = t.database;
      try {
        const { appId } = await seedTenant(t, 'rs');
        await subscribeToEvents(t, 'rs', appId);
        const eng = await t.admin('POST', '/tenants/rs/departments', {
          department_id: 'eng',
          name: i18n('研发部', 'Engineering'),
          parent_department_id: 'root',
        });
        assert.equal(eng.status, 201, JSON.stringify(eng.body));
        const smtpSet = await t.admin('PUT', '/tenants/rs/smtp', {
          host: '127.0.0.1',
          port: smtp.port,
          from_address: 'hr@rs.example',
        });
        assert.equal(smtpSet.status, 200, JSON.stringify(smtpSet.body));
        const created = await t.admin('POST', '/tenants/rs/flow_definitions', jobChangeFlow);
        const flowId = created.body.data.flow_definition_id as string;
        assert.equal((await t.admin('POST', `/tenants/rs/flow_definitions/${flowId}/publish`)).status, 200);

        const now = Number((await t.admin('GET', '/clock')).body.data.now);
        const tomorrow = beijingDate(now, 1);
        const started = await t.admin('POST', '/tenants/rs/processes', {
          flow_definition_id: flowId,
          initiator_user_id: 'u1',
          form_values: { effective_date: tomorrow, new_department: 'eng', new_job_title: 'Staff engineer' },
        });
        assert.equal(started.status, 201, JSON.stringify(started.body));
        const processId = started.body.data.process_id as string;
        const tenant = await t.server.services.tenants.get('rs');
        assert.ok(tenant.ok);
        const tenantId = tenant.value.id;
        await approveTheTask(t, tenantId, processId);
        await t.server.jobs.drain();
        const before = await t.admin('GET', '/tenants/rs/employees/u1');
        assert.equal(before.body.data.department_id, 'root', 'not effective yet');
        const waiting = await t.admin('GET', '/tenants/rs/jobs?kind=action');
        assert.equal(waiting.body.data.items[0]?.status, 'pending', JSON.stringify(waiting.body));
        assert.equal(waiting.body.data.items[0]?.due_at, String(Date.parse(`${tomorrow}T00:00:00+08:00`)));

        // Restart: a new server on the same database, as after a deploy or a crash.
        await t.server.close();
        t = undefined;
        t = await startTestServer(dialect, { flags: FLAGS, database });
        const resumed = Number((await t.admin('GET', '/clock')).body.data.now);
        assert.ok(resumed >= now, 'the emulator clock did not run backwards across the restart');
        const moved = await t.admin('POST', '/clock', { advance_ms: 48 * HOUR });
        assert.equal(moved.status, 200);

        const after = await t.admin('GET', '/tenants/rs/employees/u1');
        assert.equal(after.body.data.department_id, 'eng', JSON.stringify(after.body.data));
        assert.equal(after.body.data.job_title, 'Staff engineer');
        const done = await t.admin('GET', '/tenants/rs/jobs?kind=action');
        assert.equal(done.body.data.items[0]?.status, 'done');
        assert.ok(
          (await processEvents(t, processId)).some((e) => reached(e, 'completed')),
          'the events were written for apps',
        );
        await t.server.jobs.drain();
        const toInitiator = smtp.mails.filter((m) => m.to.some((to) => to.startsWith('u1@')));
        assert.ok(
          toInitiator.length >= 1,
          `mails: ${JSON.stringify(smtp.mails.map((m) => [m.to, m.subject]))}`,
        );
        assert.ok(toInitiator.some((m) => m.text.includes(processId)));
      } finally {
        if (t) await t.server.close();
        await database.drop();
        await smtp.close();
      }
    });
  },
);
