import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, parseConfig } from './config.js';

test('defaults: SQLite under ./data, port 8080, synchronous FULL', () => {
  const config = parseConfig([], {});
  assert.equal(config.port, 8080);
  assert.equal(config.host, '127.0.0.1');
  assert.match(config.databaseUrl, /^sqlite:.*data\/peopleflow\.db$/);
  assert.equal(config.sqliteSynchronous, 'FULL');
  assert.equal(config.demo, false);
});

test('flags win over environment variables, which win over defaults', () => {
  const env = {
    PEOPLEFLOW_PORT: '9000',
    DATABASE_URL: 'postgres://x@127.0.0.1/db',
    PEOPLEFLOW_SQLITE_SYNCHRONOUS: 'normal',
  };
  assert.equal(parseConfig([], env).port, 9000);
  assert.equal(parseConfig(['--port', '9001'], env).port, 9001);
  assert.equal(parseConfig([], env).databaseUrl, 'postgres://x@127.0.0.1/db');
  assert.equal(parseConfig([], env).sqliteSynchronous, 'NORMAL');
  assert.equal(parseConfig(['--demo'], {}).demo, true);
});

test('bad values name the setting', () => {
  assert.throws(
    () => parseConfig(['--port', '70000'], {}),
    (e: unknown) => e instanceof ConfigError && /--port/.test(e.message),
  );
  assert.throws(() => parseConfig(['--sqlite-synchronous', 'fast'], {}), /sqlite-synchronous/);
  assert.throws(() => parseConfig(['--node-id', '999'], {}), /node-id/);
  assert.throws(() => parseConfig(['--no-such-flag'], {}));
});

test('session lifetimes: defaults 12 hours idle and 7 days in all; flags and variables; bad values named', () => {
  const defaults = parseConfig([], {});
  assert.equal(defaults.sessionIdleMinutes, 720);
  assert.equal(defaults.sessionMaxHours, 168);
  const set = parseConfig(['--session-idle-minutes', '30'], { PEOPLEFLOW_SESSION_MAX_HOURS: '8' });
  assert.equal(set.sessionIdleMinutes, 30);
  assert.equal(set.sessionMaxHours, 8);
  assert.throws(() => parseConfig(['--session-idle-minutes', '0'], {}), /session-idle-minutes/);
  assert.throws(() => parseConfig(['--session-max-hours', '1.5'], {}), /session-max-hours/);
});

test('delivery retention: 30 days by default, 0 for ever; bad values named', () => {
  assert.equal(parseConfig([], {}).deliveryRetentionDays, 30);
  assert.equal(parseConfig(['--delivery-retention-days', '0'], {}).deliveryRetentionDays, 0);
  assert.equal(parseConfig([], { PEOPLEFLOW_DELIVERY_RETENTION_DAYS: '7' }).deliveryRetentionDays, 7);
  assert.throws(() => parseConfig(['--delivery-retention-days', '-1'], {}), /delivery-retention-days/);
  assert.throws(() => parseConfig(['--delivery-retention-days', '99999'], {}), /delivery-retention-days/);
});

test('--clock-control is refused unless the server is the demo or the emulator', () => {
  assert.throws(() => parseConfig(['--clock-control'], {}), /only with --demo or --emulator/);
  assert.throws(() => parseConfig([], { PEOPLEFLOW_CLOCK_CONTROL: 'true' }), /never on a production server/);
  assert.equal(parseConfig(['--clock-control', '--emulator'], {}).clockControl, true);
  assert.equal(parseConfig(['--clock-control', '--demo'], {}).clockControl, true);
  assert.equal(parseConfig([], {}).clockControl, false);
});

test('--sql-profile is refused on PostgreSQL, naming the option', () => {
  assert.throws(
    () => parseConfig(['--sql-profile', 'p.json', '--database-url', 'postgres://x@127.0.0.1/db'], {}),
    /--sql-profile .*PostgreSQL/,
  );
  assert.equal(parseConfig(['--sql-profile', 'p.json'], {}).sqlProfile, 'p.json');
});
