import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import pino from 'pino';
import { parseConfig } from '../../src/config.js';
import { loadMasterKey } from '../../src/server.js';
import { SecretBox } from '../../src/platform/secrets.js';
import type { Clock } from '../../src/platform/clock.js';
import { systemClock } from '../../src/platform/clock.js';
import { TargetGuard } from '../../src/events/target-guard.js';
import { JobRunner } from '../../src/services/jobs/runner.js';
import { registerNotificationJobs } from '../../src/services/notifications/sender.js';
import type { TestServer } from '../helpers/server.js';

/** One message as an SMTP server received it, decoded enough to read. */
export interface ReceivedMail {
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
  raw: string;
}

/** A real SMTP server (smtp-server) on a free loopback port that keeps what it receives. */
export class TestSmtp {
  readonly mails: ReceivedMail[] = [];
  /** While set, every recipient is refused with this SMTP reply code. */
  refuseWith: number | undefined;
  readonly logins: string[] = [];
  private constructor(
    private readonly server: SMTPServer,
    readonly port: number,
  ) {}

  static async start(): Promise<TestSmtp> {
    const holder: { smtp?: TestSmtp } = {};
    const server = new SMTPServer({
      authOptional: true,
      allowInsecureAuth: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onAuth(auth, _session, callback) {
        holder.smtp?.logins.push(`${auth.username}:${auth.password}`);
        callback(null, { user: auth.username });
      },
      onRcptTo(_address, _session, callback) {
        const code = holder.smtp?.refuseWith;
        if (code !== undefined)
          callback(Object.assign(new Error('not now, try later'), { responseCode: code }));
        else callback();
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => {
          chunks.push(c);
        });
        stream.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          holder.smtp?.mails.push({
            ...parseMail(raw),
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            raw,
          });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.server.address() as AddressInfo).port;
    holder.smtp = new TestSmtp(server, port);
    return holder.smtp;
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => {
        resolve();
      });
    });
  }
}

/** Headers, and the text and HTML parts of a multipart/alternative message (quoted-printable or base64). */
function parseMail(raw: string): { subject: string; text: string; html: string } {
  const [head = '', ...rest] = raw.split(/\r?\n\r?\n/);
  const body = rest.join('\r\n\r\n');
  const headers = head.replace(/\r?\n[ \t]+/g, ' ');
  const subject = decodeWords(/^subject: (.*)$/im.exec(headers)?.[1] ?? '');
  const boundary = /boundary="?([^";\r\n]+)"?/i.exec(headers)?.[1];
  const parts = boundary ? body.split(`--${boundary}`) : [raw];
  let text = '';
  let html = '';
  for (const part of parts) {
    const [partHead = '', ...partRest] = part.split(/\r?\n\r?\n/);
    const content = decodeBody(
      partRest.join('\r\n\r\n'),
      /content-transfer-encoding: *(\S+)/i.exec(partHead)?.[1],
    );
    if (/content-type: *text\/plain/i.test(partHead)) text = content;
    else if (/content-type: *text\/html/i.test(partHead)) html = content;
  }
  return { subject, text, html };
}

function decodeBody(body: string, encoding: string | undefined): string {
  const e = (encoding ?? '7bit').toLowerCase();
  if (e === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (e === 'quoted-printable') return decodeQp(body.replace(/=\r?\n/g, ''));
  return body;
}

function decodeQp(text: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '=' && /^[0-9A-F]{2}$/i.test(text.slice(i + 1, i + 3))) {
      bytes.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(...Buffer.from(c, 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8');
}

/** RFC 2047 encoded words (`=?UTF-8?B?…?=`, `=?UTF-8?Q?…?=`). */
function decodeWords(text: string): string {
  return text
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?utf-8\?([bq])\?([^?]*)\?=/gi, (_m, kind: string, data: string) =>
      kind.toLowerCase() === 'b'
        ? Buffer.from(data, 'base64').toString('utf8')
        : decodeQp(data.replace(/_/g, ' ')),
    );
}

/** A local HTTP server that records the JSON bodies posted to it (a chat bot's webhook). */
export class TestWebhook {
  readonly bodies: unknown[] = [];
  status = 200;
  answer = '{"code":0,"msg":"success"}';
  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<TestWebhook> {
    const holder: { hook?: TestWebhook } = {};
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => {
        chunks.push(c);
      });
      req.on('end', () => {
        const hook = holder.hook!;
        hook.bodies.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        res.writeHead(hook.status, { 'content-type': 'application/json' }).end(hook.answer);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    holder.hook = new TestWebhook(server, `http://127.0.0.1:${port}/hook`);
    return holder.hook;
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => {
        resolve();
      });
    });
  }
}

/** A job runner of our own on the test server's database, with the notification senders registered. */
export function notificationRunner(
  t: TestServer,
  options: { clock?: Clock; maxAttempts?: number; allowHosts?: string[] } = {},
): JobRunner {
  const clock = options.clock ?? systemClock;
  const config = parseConfig(['--data-dir', t.database.dir, '--database-url', t.database.url], {});
  const runner = new JobRunner({
    db: t.server.database.db,
    clock,
    logger: pino({ level: 'silent' }),
    owner: 'test-runner',
    pollIntervalMs: 60_000,
    // Retries come due at once, so drain() walks a job through all its attempts.
    backoffMs: () => 0,
  });
  registerNotificationJobs(runner, {
    db: t.server.database.db,
    clock,
    secrets: new SecretBox(loadMasterKey(config)),
    guard: new TargetGuard(options.allowHosts ?? ['127.0.0.1']),
    baseUrl: t.url,
    timeoutMs: 3000,
    ...(options.maxAttempts !== undefined ? { maxAttempts: options.maxAttempts } : {}),
  });
  return runner;
}
