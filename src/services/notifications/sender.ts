import type { Kysely } from 'kysely';
import type { Clock } from '../../platform/clock.js';
import type { SecretBox } from '../../platform/secrets.js';
import type { Database } from '../../store/schema.js';
import type { NotificationRow } from '../../store/notification.repository.js';
import type { TargetGuard } from '../../events/target-guard.js';
import { postJson } from '../../events/webhook-sender.js';
import { repositories, type Repositories } from '../context.js';
import type { JobOutcome, JobRunner } from '../jobs/runner.js';
import type { NotificationKind } from './kinds.js';
import { sendMail, type SendOutcome } from './mailer.js';
import { NOTIFY_JOB, type NotifyPayload } from './notifier.js';
import { effectivePreferences } from './preferences.js';
import {
  digestMail,
  feishuCard,
  genericChatBody,
  notificationMail,
  type MailLanguage,
  type NotificationFacts,
} from './templates.js';

export interface NotificationSenderDeps {
  db: Kysely<Database>;
  clock: Clock;
  secrets: SecretBox;
  /** The webhooks' SSRF guard: chat webhooks go through it (`--webhook-allow-hosts`). */
  guard: TargetGuard;
  /** Links in messages: `<baseUrl>/approval-center/processes/<id>` (`--base-url`, else the listen URL). */
  baseUrl: string;
  timeoutMs?: number;
  /** Tries before a send is parked as failed (visible in the jobs list); default 6. */
  maxAttempts?: number;
}

/** The longest digest: older notifications wait for the next day's. */
const DIGEST_LIMIT = 100;

/** Registers the `notify` job: emails, chat webhook messages and daily digests (docs/notifications.md). */
export function registerNotificationJobs(runner: JobRunner, deps: NotificationSenderDeps): void {
  runner.register(NOTIFY_JOB, {
    maxAttempts: deps.maxAttempts ?? 6,
    run: (job) => {
      const payload = job.payload as NotifyPayload;
      const repos = repositories(deps.db);
      const tenantId = job.row.tenant_id;
      switch (payload.channel) {
        case 'email':
          return sendEmail(deps, repos, tenantId, payload.notificationId);
        case 'chat':
          return sendChat(deps, repos, tenantId, payload.notificationId);
        case 'digest':
          return sendDigest(deps, repos, tenantId, payload.recipientId);
      }
    },
  });
}

const outcomeOf = (sent: SendOutcome): JobOutcome =>
  sent.ok ? { status: 'done' } : { status: sent.permanent ? 'failed' : 'retry', error: sent.error };

async function sendEmail(
  deps: NotificationSenderDeps,
  repos: Repositories,
  tenantId: string,
  notificationId: string,
): Promise<JobOutcome> {
  const row = await repos.notifications.find(tenantId, notificationId);
  if (!row) return { status: 'cancelled', reason: 'the notification no longer exists' };
  const recipient = await mailRecipient(repos, tenantId, row.recipient_id);
  if (!recipient.ok) return recipient.outcome;
  const smtp = await repos.notifications.smtpOf(tenantId);
  if (!smtp) return { status: 'cancelled', reason: 'the tenant has no SMTP settings' };
  const facts = await factsOf(deps, repos, tenantId, row, recipient.language);
  if (!facts) return { status: 'cancelled', reason: 'the process no longer exists' };
  const mail = notificationMail(recipient.language, facts);
  return outcomeOf(await sendMail(smtp, deps.secrets, recipient.email, mail, deps.timeoutMs));
}

async function sendDigest(
  deps: NotificationSenderDeps,
  repos: Repositories,
  tenantId: string,
  recipientId: string,
): Promise<JobOutcome> {
  const rows = await repos.notifications.undigested(tenantId, recipientId, DIGEST_LIMIT);
  if (rows.length === 0) return { status: 'done', result: { sent: 0 } };
  const recipient = await mailRecipient(repos, tenantId, recipientId);
  if (!recipient.ok) return recipient.outcome;
  const smtp = await repos.notifications.smtpOf(tenantId);
  if (!smtp) return { status: 'cancelled', reason: 'the tenant has no SMTP settings' };
  const facts: NotificationFacts[] = [];
  for (const row of rows) {
    const f = await factsOf(deps, repos, tenantId, row, recipient.language);
    if (f) facts.push(f);
  }
  if (facts.length > 0) {
    const sent = await sendMail(
      smtp,
      deps.secrets,
      recipient.email,
      digestMail(recipient.language, facts),
      deps.timeoutMs,
    );
    if (!sent.ok) return outcomeOf(sent);
  }
  await repos.notifications.markDigested(
    rows.map((r) => r.id),
    deps.clock.now(),
  );
  return { status: 'done', result: { sent: facts.length } };
}

async function sendChat(
  deps: NotificationSenderDeps,
  repos: Repositories,
  tenantId: string,
  notificationId: string,
): Promise<JobOutcome> {
  const row = await repos.notifications.find(tenantId, notificationId);
  if (!row) return { status: 'cancelled', reason: 'the notification no longer exists' };
  const prefs = effectivePreferences(
    (await repos.notifications.preferencesOf([row.recipient_id])).get(row.recipient_id),
  );
  const webhook = prefs.chatWebhook;
  if (!webhook) return { status: 'cancelled', reason: 'the person has no chat webhook any more' };
  const [employee] = await repos.employees.findManyByIds(tenantId, [row.recipient_id]);
  if (!employee) return { status: 'cancelled', reason: 'the recipient is no longer an employee' };
  const language = languageOf(await repos.preferences.language(employee.id));
  const facts = await factsOf(deps, repos, tenantId, row, language);
  if (!facts) return { status: 'cancelled', reason: 'the process no longer exists' };
  const body =
    webhook.type === 'feishu'
      ? feishuCard(language, facts)
      : genericChatBody(language, facts, { userId: employee.userId, email: employee.email }, row.id);
  let answer;
  try {
    answer = await postJson(
      webhook.url,
      JSON.stringify(body),
      { 'content-type': 'application/json; charset=utf-8', 'idempotency-key': row.id },
      deps.guard,
      deps.timeoutMs ?? 10_000,
    );
  } catch (error) {
    const e = error as Error & { code?: string };
    const blocked = e.code === 'EBLOCKED' || /may not reach|request URL/.test(e.message);
    return { status: blocked ? 'failed' : 'retry', error: `chat webhook: ${e.message}` };
  }
  if (answer.status === 429 || answer.status >= 500)
    return { status: 'retry', error: `chat webhook answered ${answer.status}` };
  if (answer.status < 200 || answer.status >= 300)
    return {
      status: 'failed',
      error: `chat webhook answered ${answer.status}: ${answer.body.slice(0, 200)}`,
    };
  if (webhook.type === 'feishu') {
    // Feishu answers 200 with a non-zero code for a refused message (bad signature, keyword, frequency).
    const code = feishuCode(answer.body);
    if (code !== 0)
      return { status: 'failed', error: `Feishu bot refused the message: ${answer.body.slice(0, 200)}` };
  }
  return { status: 'done' };
}

function feishuCode(body: string): number {
  try {
    const parsed = JSON.parse(body) as { code?: unknown; StatusCode?: unknown };
    const code = parsed.code ?? parsed.StatusCode ?? 0;
    return typeof code === 'number' ? code : 0;
  } catch {
    return 0;
  }
}

/** The email reader's language: their own choice, else Chinese (the product's first language). */
const languageOf = (chosen: string | null): MailLanguage => (chosen === 'en' ? 'en' : 'zh-CN');

async function mailRecipient(
  repos: Repositories,
  tenantId: string,
  employeeId: string,
): Promise<{ ok: true; email: string; language: MailLanguage } | { ok: false; outcome: JobOutcome }> {
  const [employee] = await repos.employees.findManyByIds(tenantId, [employeeId]);
  if (!employee)
    return { ok: false, outcome: { status: 'cancelled', reason: 'the recipient is no longer an employee' } };
  if (!employee.email)
    return { ok: false, outcome: { status: 'cancelled', reason: 'the recipient has no email address' } };
  return {
    ok: true,
    email: employee.email,
    language: languageOf(await repos.preferences.language(employeeId)),
  };
}

async function factsOf(
  deps: NotificationSenderDeps,
  repos: Repositories,
  tenantId: string,
  row: NotificationRow,
  language: MailLanguage,
): Promise<NotificationFacts | undefined> {
  const record = await repos.processes.find(tenantId, row.process_id);
  if (!record) return undefined;
  const { state } = record;
  const published = await repos.definitions.version(state.definitionId, state.definitionVersion);
  const people = await repos.employees.findManyByIds(
    tenantId,
    [state.initiatorId, row.actor_id].filter((id): id is string => id !== null),
  );
  const nameOf = (id: string | null) => {
    const person = people.find((p) => p.id === id);
    return person
      ? language === 'en'
        ? person.name.en_us || person.name.zh_cn
        : person.name.zh_cn || person.name.en_us
      : undefined;
  };
  const flowName = published?.definition.name;
  return {
    kind: row.kind as NotificationKind,
    flow: flowName ? (language === 'en' ? flowName.en_us : flowName.zh_cn) : state.bizType,
    initiator: nameOf(state.initiatorId) ?? state.initiatorId,
    actor: nameOf(row.actor_id),
    processId: state.id,
    url: processUrl(deps.baseUrl, state.id),
    at: row.created_at,
  };
}

/** The web app's page of a process (the same link the Open API's process detail gives). */
export const processUrl = (baseUrl: string, processId: string) =>
  `${baseUrl.replace(/\/+$/, '')}/approval-center/processes/${processId}`;
