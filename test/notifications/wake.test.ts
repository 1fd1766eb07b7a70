import { test } from 'node:test';
import assert from 'node:assert/strict';
import { forEachDialect } from '../helpers/databases.js';
import { startTestServer } from '../helpers/server.js';
import { until } from '../helpers/receivers.js';
import { choice, date, DemoDriver, num, sdkClient } from '../helpers/sdk.js';
import { TestSmtp } from './helpers.js';

// The job runner looks for due jobs once a minute here: an email that arrives within seconds was sent
// because the command that wrote it woke the runner.
forEachDialect('a command’s notification emails wake the job runner', (dialect) => {
  test('the approver’s email leaves at once after a start, not at the runner’s next look', async () => {
    const smtp = await TestSmtp.start();
    const t = await startTestServer(dialect, { flags: ['--demo', '--job-interval-ms', '60000'] });
    try {
      const set = await t.admin('PUT', '/tenants/demo/smtp', {
        host: '127.0.0.1',
        port: smtp.port,
        from_address: 'hr@demo.peopleflow.local',
      });
      assert.equal(set.status, 200, JSON.stringify(set.body));
      const driver = new DemoDriver(sdkClient(t.url, t.server.demo!.app), t.server.demo!);
      // A leave flow has no timers: the notification's email is the only job the start writes.
      const processId = await driver.start('leave', 'employee', {
        leave_type: choice('annual'),
        start_date: date('2026-12-01'),
        end_date: date('2026-12-02'),
        days: num('2'),
      });
      await until(
        () =>
          smtp.mails.some((m) => m.to[0] === 'manager@demo.peopleflow.local' && m.text.includes(processId)),
        10_000,
        'the approver’s email',
      );
    } finally {
      await t.close();
      await smtp.close();
    }
  });
});
