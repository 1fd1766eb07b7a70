import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { forEachDialect } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { PeopleClient } from '../helpers/people.js';
import { choice, date, DemoDriver, num, sdkClient } from '../helpers/sdk.js';

const LEAVE = {
  leave_type: choice('annual'),
  start_date: date('2026-12-01'),
  end_date: date('2026-12-02'),
  days: num('2'),
};
/** The issue's promise: an open page updates within 2 s of the change. */
const WITHIN_MS = 2000;

interface SseEvent {
  event: string;
  data: string;
}

/** A Server-Sent Events client over real HTTP, reading the stream as a browser's EventSource would. */
class EventStream {
  readonly events: SseEvent[] = [];
  private readonly waiters = new Set<() => void>();
  private readonly abort = new AbortController();
  ended = false;

  private constructor(readonly response: Response) {}

  static async open(person: PeopleClient): Promise<EventStream> {
    const cookie = [...person.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const controller = new AbortController();
    const response = await fetch(`${person.baseUrl}/api/v1/events`, {
      headers: { cookie, accept: 'text/event-stream' },
      signal: controller.signal,
    });
    const stream = new EventStream(response);
    stream.abort.signal.addEventListener('abort', () => {
      controller.abort();
    });
    if (response.status === 200) void stream.read();
    return stream;
  }

  private async read(): Promise<void> {
    const body = this.response.body;
    if (!body) return;
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of body) {
        buffer += decoder.decode(chunk as Uint8Array, { stream: true });
        let at: number;
        while ((at = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, at);
          buffer = buffer.slice(at + 2);
          let event = 'message';
          const data: string[] = [];
          for (const line of block.split('\n')) {
            if (line.startsWith('event: ')) event = line.slice(7);
            else if (line.startsWith('data: ')) data.push(line.slice(6));
          }
          if (data.length > 0) this.events.push({ event, data: data.join('\n') });
          for (const wake of this.waiters) wake();
        }
      }
    } catch {
      // aborted by close()
    }
    this.ended = true;
    for (const wake of this.waiters) wake();
  }

  /** The change events for this process received so far. */
  changesOf(processId: string): { process_id: string; kinds: string[] }[] {
    return this.events
      .filter((e) => e.event === 'change')
      .map((e) => JSON.parse(e.data) as { process_id: string; kinds: string[] })
      .filter((c) => c.process_id === processId);
  }

  /**
   * Waits until a change of this process (with `kind`, if given) arrives after the first `seen`
   * changes of it; fails after `ms`.
   */
  async waitForChange(processId: string, kind?: string, seen = 0, ms = WITHIN_MS) {
    const found = () =>
      this.changesOf(processId)
        .slice(seen)
        .find((c) => kind === undefined || c.kinds.includes(kind));
    const started = Date.now();
    while (!found()) {
      const left = ms - (Date.now() - started);
      if (left <= 0 || this.ended)
        assert.fail(
          `no change${kind ? ` (${kind})` : ''} of ${processId} within ${ms} ms; got ${JSON.stringify(this.events)}`,
        );
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, left);
        const waiters = this.waiters;
        function done() {
          clearTimeout(timer);
          waiters.delete(done);
          resolve();
        }
        this.waiters.add(done);
      });
    }
    return { change: found()!, ms: Date.now() - started };
  }

  /** Resolves once the server has ended the stream. */
  async waitForEnd(ms: number): Promise<void> {
    const started = Date.now();
    while (!this.ended) {
      if (Date.now() - started > ms) assert.fail(`the stream did not end within ${ms} ms`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  close(): void {
    this.abort.abort();
  }
}

async function signedIn(url: string, userId: string): Promise<PeopleClient> {
  const person = new PeopleClient(url);
  await person.signInDemo(userId);
  return person;
}

forEachDialect('people API live updates', (dialect) => {
  let t: TestServer;
  let driver: DemoDriver;
  const streams: EventStream[] = [];
  const open = async (person: PeopleClient) => {
    const stream = await EventStream.open(person);
    streams.push(stream);
    return stream;
  };
  before(async () => {
    t = await startTestServer(dialect, { flags: ['--demo'] });
    driver = new DemoDriver(sdkClient(t.url, t.server.demo!.app), t.server.demo!);
  });
  after(async () => {
    for (const s of streams) s.close();
    await t.close();
  });

  test('changes reach the people concerned within 2 s, after an app action and after another person acts; a stranger hears nothing', async () => {
    const employee = await open(await signedIn(t.url, 'employee'));
    const manager = await open(await signedIn(t.url, 'manager'));
    const stranger = await open(await signedIn(t.url, 'outsider'));
    assert.equal(employee.response.status, 200);
    assert.match(employee.response.headers.get('content-type') ?? '', /^text\/event-stream/);
    assert.match(employee.response.headers.get('cache-control') ?? '', /no-cache/);
    assert.equal(employee.response.headers.get('x-accel-buffering'), 'no');

    // An app starts a leave request for the employee through the Open API.
    const processId = await driver.start('leave', 'employee', LEAVE);
    const started = await employee.waitForChange(processId, 'process');
    assert.deepEqual(started.change.kinds, ['process', 'task']);
    await manager.waitForChange(processId, 'task');

    // The manager approves (through the app, as themselves): the employee's open page hears it.
    assert.equal(employee.changesOf(processId).length, 1);
    await driver.approve(processId, 'manager');
    const approved = await employee.waitForChange(processId, 'task', 1);
    assert.ok(approved.ms < WITHIN_MS);
    assert.deepEqual(approved.change.kinds, ['process', 'task']);

    // Changes are sent to every stream in one pass: the stranger's would be there by now.
    await new Promise((r) => setTimeout(r, 200));
    assert.deepEqual(stranger.changesOf(processId), []);
    assert.deepEqual(
      stranger.events.filter((e) => e.event === 'change'),
      [],
      'nothing about processes the outsider may not see',
    );
  });

  test('a change that arrives without its people (too many to carry between servers) is checked against the process', async () => {
    const employee = await open(await signedIn(t.url, 'employee'));
    const stranger = await open(await signedIn(t.url, 'outsider'));
    const processId = await driver.start('leave', 'employee', LEAVE);
    await employee.waitForChange(processId);
    const seen = employee.changesOf(processId).length;
    const tenant = await t.server.services.sessions.tenantFor('demo');
    assert.ok(tenant.ok);
    await t.server.services.live.deliver({
      tenantId: tenant.value.id,
      processId,
      kinds: ['comment'],
      people: null,
    });
    const { change } = await employee.waitForChange(processId, 'comment', seen);
    assert.deepEqual(change.kinds, ['comment']);
    await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(stranger.changesOf(processId), []);
  });

  test('signed-out requests are refused; at most 10 streams per person', async () => {
    const anonymous = await EventStream.open(new PeopleClient(t.url));
    assert.equal(anonymous.response.status, 401);
    assert.equal(
      ((await anonymous.response.json()) as { error: { code: string } }).error.code,
      'unauthenticated',
    );

    const person = await signedIn(t.url, 'hrbp');
    const held: EventStream[] = [];
    for (let i = 0; i < 10; i++) held.push(await open(person));
    assert.ok(held.every((s) => s.response.status === 200));
    const eleventh = await EventStream.open(person);
    assert.equal(eleventh.response.status, 429);
    assert.equal(
      ((await eleventh.response.json()) as { error: { code: string } }).error.code,
      'too_many_requests',
    );
    // Closing one frees its place (the server notices the client went).
    held[0]!.close();
    const deadline = Date.now() + WITHIN_MS;
    let again = await EventStream.open(person);
    while (again.response.status === 429 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      again = await EventStream.open(person);
    }
    streams.push(again);
    assert.equal(again.response.status, 200);
  });

  test('stopping the server ends open streams instead of waiting for them', async () => {
    const other = await startTestServer(dialect, { flags: ['--demo'] });
    const stream = await EventStream.open(await signedIn(other.url, 'employee'));
    assert.equal(stream.response.status, 200);
    const closing = other.close();
    await stream.waitForEnd(5000);
    await closing;
  });
});

const POSTGRES_URL = process.env.PEOPLEFLOW_TEST_POSTGRES_URL;
const CLUSTER = 'people API live updates across two servers on one PostgreSQL';
if (!POSTGRES_URL) {
  process.stderr.write(`\n*** ${CLUSTER}: SKIPPED, set PEOPLEFLOW_TEST_POSTGRES_URL to run it ***\n\n`);
  void test(CLUSTER, { skip: 'PEOPLEFLOW_TEST_POSTGRES_URL is not set' }, () => undefined);
} else {
  void describe(CLUSTER, () => {
    let a: TestServer;
    let b: TestServer;
    before(async () => {
      a = await startTestServer('postgres', { flags: ['--demo'] });
      b = await startTestServer('postgres', { flags: ['--demo', '--node-id', '1'], database: a.database });
    });
    after(async () => {
      await b.close();
      await a.close();
    });

    test('an action on server A reaches the stream on server B within 2 s, and only the people concerned', async () => {
      // Sessions live in the database: signed in on A, streaming from B.
      const employee = await signedIn(a.url, 'employee');
      const onB = new PeopleClient(b.url);
      for (const [k, v] of employee.cookies) onB.cookies.set(k, v);
      const stream = await EventStream.open(onB);
      const stranger = await EventStream.open(await signedIn(b.url, 'outsider'));
      try {
        assert.equal(stream.response.status, 200);
        const driver = new DemoDriver(sdkClient(a.url, a.server.demo!.app), a.server.demo!);
        const processId = await driver.start('leave', 'employee', LEAVE);
        await stream.waitForChange(processId, 'process');
        const seen = stream.changesOf(processId).length;
        await driver.approve(processId, 'manager');
        await stream.waitForChange(processId, 'task', seen);
        assert.deepEqual(stranger.changesOf(processId), []);
      } finally {
        stream.close();
        stranger.close();
      }
    });
  });
}
