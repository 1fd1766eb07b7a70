import type { DirectorySnapshot } from '../../engine/approver-resolution.js';
import type { I18nText } from '../../engine/directory.js';
import type { StoredSmtp } from '../../store/notification.repository.js';
import { inTransaction, repositories, type ServiceContext } from '../context.js';
import type { DirectorySnapshots } from '../directory-snapshot.js';
import type { PublishedDefinitions } from '../published-definitions.js';
import { fail, invalidFields, notFound, ok, type FieldViolation, type Result } from '../result.js';
import { refusedHost } from '../webhook-target.js';
import { loadTenant } from '../tenant.service.js';
import type { NotificationKind } from './kinds.js';
import { sendMail } from './mailer.js';
import {
  applyPreferences,
  effectivePreferences,
  toStored,
  type NotificationPreferences,
  type PreferencesInput,
  type WebhookTargetCheck,
} from './preferences.js';
import { testMail } from './templates.js';

export interface NotificationView {
  id: string;
  kind: NotificationKind;
  processId: string;
  taskId: string | null;
  actorId: string | null;
  initiatorId: string | null;
  flow: I18nText | null;
  createdAt: number;
  readAt: number | null;
}

export interface NotificationList {
  items: NotificationView[];
  /** The last item's id when there is a next page. */
  nextBefore?: string;
  directory: DirectorySnapshot;
}

export interface SmtpInput {
  host: string;
  port: number;
  secure?: boolean;
  username?: string | null;
  /** Absent: keep the stored one; null: none. */
  password?: string | null;
  from_address: string;
}

export interface SmtpView {
  tenantKey: string;
  host: string;
  port: number;
  secure: boolean;
  username: string | null;
  hasPassword: boolean;
  fromAddress: string;
  updatedAt: number;
}

const HOST = /^[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$|^\[?[0-9A-Fa-f:.]+\]?$/;
const EMAIL = /^[^\s@<>"]{1,64}@[^\s@<>"]{1,255}$/;
/** `Name <address>` or a bare address. */
const FROM = /^(?:[^<>\r\n]{0,100}<[^\s@<>"]{1,64}@[^\s@<>"]{1,255}>|[^\s@<>"]{1,64}@[^\s@<>"]{1,255})$/;

/** The people API's notifications and preferences, and the admin API's SMTP settings. */
export class NotificationService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly snapshots: DirectorySnapshots,
    private readonly published: PublishedDefinitions,
    private readonly targets: WebhookTargetCheck,
  ) {}

  async list(
    tenantId: string,
    employeeId: string,
    options: { unreadOnly: boolean; pageSize: number; before?: string | undefined },
  ): Promise<NotificationList> {
    const repos = repositories(this.ctx.db);
    const rows = await repos.notifications.page(
      tenantId,
      employeeId,
      options.unreadOnly,
      options.pageSize,
      options.before,
    );
    const page = rows.slice(0, options.pageSize);
    const heads = new Map(
      (
        await repos.notifications.processHeads(
          tenantId,
          page.map((r) => r.process_id),
        )
      ).map((h) => [h.id, h]),
    );
    const items: NotificationView[] = [];
    for (const row of page) {
      const head = heads.get(row.process_id);
      const definition =
        head && (await this.published.get(repos, head.definition_id, head.definition_version));
      items.push({
        id: row.id,
        kind: row.kind as NotificationKind,
        processId: row.process_id,
        taskId: row.task_id,
        actorId: row.actor_id,
        initiatorId: head?.initiator_id ?? null,
        flow: definition?.name ?? null,
        createdAt: row.created_at,
        readAt: row.read_at,
      });
    }
    const last = page.at(-1);
    return {
      items,
      ...(rows.length > options.pageSize && last ? { nextBefore: last.id } : {}),
      directory: await this.snapshots.load(repos, tenantId),
    };
  }

  unreadCount(tenantId: string, employeeId: string): Promise<number> {
    return repositories(this.ctx.db).notifications.unreadCount(tenantId, employeeId);
  }

  /** Marks one of the person's notifications read; another person's (or no such) id is not found. */
  async markRead(tenantId: string, employeeId: string, id: string): Promise<Result<null>> {
    const repos = repositories(this.ctx.db);
    const row = await repos.notifications.find(tenantId, id);
    if (!row || row.recipient_id !== employeeId) return fail('not_found', `notification ${id} not found`);
    await repos.notifications.markRead(tenantId, employeeId, [id], this.ctx.clock.now());
    return ok(null);
  }

  markAllRead(tenantId: string, employeeId: string): Promise<number> {
    return repositories(this.ctx.db).notifications.markRead(
      tenantId,
      employeeId,
      'all',
      this.ctx.clock.now(),
    );
  }

  async preferences(
    tenantId: string,
    employeeId: string,
  ): Promise<{ preferences: NotificationPreferences; emailAvailable: boolean }> {
    const repos = repositories(this.ctx.db);
    const stored = (await repos.notifications.preferencesOf([employeeId])).get(employeeId);
    const smtp = await repos.notifications.smtpOf(tenantId);
    return { preferences: effectivePreferences(stored), emailAvailable: smtp !== undefined };
  }

  async setPreferences(
    tenantId: string,
    employeeId: string,
    input: PreferencesInput,
  ): Promise<Result<{ preferences: NotificationPreferences; emailAvailable: boolean }>> {
    const current = await this.preferences(tenantId, employeeId);
    const next = await applyPreferences(current.preferences, input, this.targets);
    if (!next.ok) return invalidFields(next.violations);
    await repositories(this.ctx.db).notifications.savePreferences(
      toStored(tenantId, employeeId, next.value, this.ctx.clock.now()),
    );
    return ok({ preferences: next.value, emailAvailable: current.emailAvailable });
  }

  // --- admin: the tenant's SMTP server ---------------------------------------------------------

  async smtp(tenantKey: string): Promise<Result<SmtpView>> {
    const repos = repositories(this.ctx.db);
    const tenant = await loadTenant(repos, tenantKey);
    if (!tenant.ok) return tenant;
    const stored = await repos.notifications.smtpOf(tenant.value.id);
    return stored ? ok(smtpView(tenantKey, stored)) : notFound(`SMTP settings of tenant ${tenantKey}`);
  }

  /**
   * `guarded` (the console, where tenant admins set it): the host must be a public address unless the
   * operator allows it (`--webhook-allow-hosts`), so that a tenant cannot make the server probe the
   * internal network with test emails. Operators (the admin API) may name any host.
   */
  async setSmtp(
    tenantKey: string,
    input: SmtpInput,
    options: { guarded?: boolean } = {},
  ): Promise<Result<SmtpView>> {
    if (options.guarded && HOST.test(input.host)) {
      const refused = await refusedHost(input.host, this.targets);
      if (refused)
        return invalidFields([
          {
            field: 'host',
            description: `refused: ${refused.address} is ${refused.why}; an internal mail server is set by the operator (admin API) or allowed with --webhook-allow-hosts`,
          },
        ]);
    }
    return inTransaction(this.ctx.db, async (repos) => {
      const tenant = await loadTenant(repos, tenantKey);
      if (!tenant.ok) return tenant;
      const violations: FieldViolation[] = [];
      if (!HOST.test(input.host))
        violations.push({ field: 'host', description: 'must be a host name or an IP address' });
      if (!Number.isInteger(input.port) || input.port < 1 || input.port > 65535)
        violations.push({ field: 'port', description: 'must be a port from 1 to 65535' });
      if (!FROM.test(input.from_address))
        violations.push({
          field: 'from_address',
          description: 'must be an address like hr@example.com or "HR <hr@example.com>"',
        });
      if (input.password !== undefined && input.password !== null && !input.username)
        violations.push({ field: 'username', description: 'is required with a password' });
      if (violations.length > 0) return invalidFields(violations);
      const existing = await repos.notifications.smtpOf(tenant.value.id);
      const now = this.ctx.clock.now();
      const stored: StoredSmtp = {
        tenantId: tenant.value.id,
        host: input.host,
        port: input.port,
        // Port 465 speaks TLS from the first byte; others upgrade with STARTTLS when offered.
        secure: input.secure ?? input.port === 465,
        username: input.username ?? null,
        passwordSealed:
          input.password === undefined
            ? input.username
              ? (existing?.passwordSealed ?? null)
              : null
            : input.password === null
              ? null
              : this.ctx.secrets.encrypt(input.password),
        fromAddress: input.from_address,
        createdAt: existing?.createdAt ?? now,
        updatedAt: now,
      };
      await repos.notifications.saveSmtp(stored);
      return ok(smtpView(tenantKey, stored));
    });
  }

  async deleteSmtp(tenantKey: string): Promise<Result<null>> {
    const repos = repositories(this.ctx.db);
    const tenant = await loadTenant(repos, tenantKey);
    if (!tenant.ok) return tenant;
    return (await repos.notifications.deleteSmtp(tenant.value.id))
      ? ok(null)
      : notFound(`SMTP settings of tenant ${tenantKey}`);
  }

  /** Sends a test email now (the admin waits for the SMTP server's answer). */
  async testSmtp(tenantKey: string, to: string, language: 'zh-CN' | 'en'): Promise<Result<{ sent: true }>> {
    const repos = repositories(this.ctx.db);
    const tenant = await loadTenant(repos, tenantKey);
    if (!tenant.ok) return tenant;
    if (!EMAIL.test(to)) return invalidFields([{ field: 'to', description: 'must be an email address' }]);
    const stored = await repos.notifications.smtpOf(tenant.value.id);
    if (!stored) return notFound(`SMTP settings of tenant ${tenantKey}`);
    const sent = await sendMail(stored, this.ctx.secrets, to, testMail(language));
    if (!sent.ok)
      return fail('invalid_field', `the test email was not sent: ${sent.error}`, [
        { field: 'smtp', description: sent.error },
      ]);
    return ok({ sent: true });
  }
}

function smtpView(tenantKey: string, s: StoredSmtp): SmtpView {
  return {
    tenantKey,
    host: s.host,
    port: s.port,
    secure: s.secure,
    username: s.username,
    hasPassword: s.passwordSealed !== null,
    fromAddress: s.fromAddress,
    updatedAt: s.updatedAt,
  };
}
