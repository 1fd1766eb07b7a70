import { newAppId, newOpenId } from '../platform/id-generator.js';
import { randomSecret } from '../platform/secrets.js';
import type { AppAccess, DeliveryMode, StoredApp } from '../store/app.repository.js';
import type { Page, PageRequest } from '../store/executor.js';
import { inTransaction, repositories, type Repositories, type ServiceContext } from './context.js';
import { invalidField, notFound, ok, type Result } from './result.js';
import { acceptAllUrls, type UrlVerification, type UrlVerifier } from './ports.js';
import type { PrincipalCache } from './principal-cache.js';
import { loadTenant } from './tenant.service.js';

/** Scopes (ours; see docs/open-api.md): what an app may call. */
export const SCOPES = ['corehr:process:readonly', 'corehr:process', 'corehr:process.approver'] as const;
export type Scope = (typeof SCOPES)[number];

/** The event types an app can subscribe to (docs/events.md). */
export const EVENT_TYPES = [
  'corehr.process.status.update_v2',
  'corehr.process.updated_v2',
  'corehr.process.node.updated_v2',
  'corehr.process.approver.updated_v2',
  'corehr.process.cc.updated_v2',
  'corehr.process_comment_info.updated_v2',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export const DELIVERY_MODES = ['webhook', 'long_connection'] as const satisfies readonly DeliveryMode[];

/** Without it an app receives no events at all. */
export const EVENT_READ_SCOPE: Scope = 'corehr:process:readonly';

/**
 * Why this app may not hold a long connection, or undefined when it may. The endpoint refuses a new
 * connection for these reasons (403), and every server closes live ones as soon as one applies.
 */
export function longConnectionRefusal(
  app: Pick<AppAccess, 'eventDeliveryMode' | 'eventTypes' | 'scopes'>,
): string | undefined {
  if (app.eventDeliveryMode !== 'long_connection')
    return 'the app is not set to receive events over the long connection (event.delivery_mode)';
  if (app.eventTypes.length === 0) return 'the app subscribes to no event types (event.event_types)';
  if (!app.scopes.includes(EVENT_READ_SCOPE))
    return `the app lacks the scope ${EVENT_READ_SCOPE}, without which it receives no events`;
  return undefined;
}

export interface EventSettingsInput {
  request_url?: string | null | undefined;
  verification_token?: string | undefined;
  encrypt_key?: string | null | undefined;
  event_types?: EventType[] | undefined;
  delivery_mode?: DeliveryMode | undefined;
}

export interface AppInput {
  name: string;
  scopes?: Scope[] | undefined;
  event?: EventSettingsInput | undefined;
}

export type AppPatch = Partial<AppInput>;

/** An app as the admin sees it: event secrets opened, the app secret only right after it was made. */
export interface AppView {
  app: StoredApp;
  verificationToken: string | null;
  encryptKey: string | null;
  appSecret?: string;
  /** The url_verification handshake this save ran (the request URL, token, key or mode changed). */
  verification?: RequestUrlCheck;
}

/** A url_verification handshake against one URL, when it ran. */
export interface RequestUrlCheck extends UrlVerification {
  requestUrl: string;
  checkedAt: number;
}

/** Settings to try a handshake with instead of the saved ones (nothing is saved). */
export interface RequestUrlTrial {
  request_url?: string | undefined;
  verification_token?: string | undefined;
  encrypt_key?: string | null | undefined;
}

export class AppService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly urlVerifier: UrlVerifier = acceptAllUrls,
    private readonly principals?: PrincipalCache,
  ) {}

  async create(tenantKey: string, input: AppInput): Promise<Result<AppView>> {
    const tenant = await loadTenant(repositories(this.ctx.db), tenantKey);
    if (!tenant.ok) return tenant;
    const now = this.ctx.clock.now();
    const secret = randomSecret(24);
    const app: StoredApp = {
      id: this.ctx.ids.next(),
      tenantId: tenant.value.id,
      appId: newAppId(),
      name: input.name,
      secretHash: this.ctx.secrets.hash(secret),
      scopes: dedupe(input.scopes ?? []),
      eventRequestUrl: null,
      eventVerificationTokenSealed: this.ctx.secrets.encrypt(randomSecret(24)),
      eventEncryptKeySealed: null,
      eventTypes: [],
      eventDeliveryMode: 'webhook',
      accessRevision: 0,
      createdAt: now,
      updatedAt: now,
    };
    this.applyEventSettings(app, input.event);
    const unused = unusedRequestUrl(app, input.event);
    if (unused) return unused;
    // The handshake is network I/O: done before the transaction, which must stay short.
    const checked = await this.verifyRequestUrl(app, undefined);
    if (checked && !checked.ok) return checked;
    const verification = checked?.value;
    return inTransaction(this.ctx.db, async (repos) => {
      await repos.apps.insert(app);
      // The app gets its own open_id for every person of the tenant.
      const employeeIds = await repos.employees.listIds(app.tenantId);
      await repos.apps.insertOpenIds(
        employeeIds.map((employeeId) => ({ appId: app.id, employeeId, openId: newOpenId() })),
      );
      return ok({ ...this.view(app), appSecret: secret, ...(verification ? { verification } : {}) });
    });
  }

  async get(tenantKey: string, appId: string): Promise<Result<AppView>> {
    const found = await this.load(repositories(this.ctx.db), tenantKey, appId);
    return found.ok ? ok(this.view(found.value)) : found;
  }

  async list(tenantKey: string, page: PageRequest): Promise<Result<Page<AppView>>> {
    const repos = repositories(this.ctx.db);
    const tenant = await loadTenant(repos, tenantKey);
    if (!tenant.ok) return tenant;
    const result = await repos.apps.list(tenant.value.id, page);
    return ok({ ...result, items: result.items.map((app) => this.view(app)) });
  }

  async update(tenantKey: string, appId: string, patch: AppPatch): Promise<Result<AppView>> {
    const found = await this.load(repositories(this.ctx.db), tenantKey, appId);
    if (!found.ok) return found;
    const app: StoredApp = { ...found.value, updatedAt: this.ctx.clock.now() };
    if (patch.name !== undefined) app.name = patch.name;
    if (patch.scopes !== undefined) app.scopes = dedupe(patch.scopes);
    this.applyEventSettings(app, patch.event);
    const unused = unusedRequestUrl(app, patch.event);
    if (unused) return unused;
    const checked = await this.verifyRequestUrl(app, found.value);
    if (checked && !checked.ok) return checked;
    const verification = checked?.value;
    const before = found.value;
    const result = await inTransaction(this.ctx.db, async (repos) => {
      await repos.apps.update(app);
      // Events waiting in the mode the app left go the new way, in the same order: nothing is
      // stranded in a mode nobody reads any more.
      await repos.deliveries.reroute(app.id, app.eventDeliveryMode, this.ctx.clock.now());
      if (!longConnectionRefusal(before) && longConnectionRefusal(app))
        await repos.apps.withdrawAccess(app.id);
      const saved = await repos.apps.findById(app.id);
      return ok({ ...this.view(saved ?? app), ...(verification ? { verification } : {}) });
    });
    this.principals?.forgetApp(app.id);
    if (result.ok) this.ctx.accessChanged?.();
    return result;
  }

  /**
   * A webhook URL is accepted only after it answers the url_verification challenge (docs/events.md),
   * checked whenever the URL, the token, the key or the mode changes.
   */
  private async verifyRequestUrl(
    app: StoredApp,
    before: StoredApp | undefined,
  ): Promise<Result<RequestUrlCheck> | undefined> {
    if (app.eventDeliveryMode !== 'webhook' || !app.eventRequestUrl) return undefined;
    const view = this.view(app);
    if (before) {
      const old = this.view(before);
      const unchanged =
        before.eventRequestUrl === app.eventRequestUrl &&
        before.eventDeliveryMode === app.eventDeliveryMode &&
        old.verificationToken === view.verificationToken &&
        old.encryptKey === view.encryptKey;
      if (unchanged) return undefined;
    }
    const check = await this.handshake(app.eventRequestUrl, view.verificationToken ?? '', view.encryptKey);
    return check.passed ? ok(check) : invalidField('event.request_url', describeRefusal(check));
  }

  private async handshake(url: string, token: string, encryptKey: string | null): Promise<RequestUrlCheck> {
    const checkedAt = this.ctx.clock.now();
    const result: UrlVerification = this.urlVerifier.check
      ? await this.urlVerifier.check(url, token, encryptKey)
      : await this.urlVerifier.verify(url, token, encryptKey).then((problem) => ({
          passed: problem === undefined,
          ...(problem !== undefined ? { problem } : {}),
          durationMs: 0,
        }));
    return { ...result, requestUrl: url, checkedAt };
  }

  /**
   * Runs the url_verification handshake against the app's request URL (or the one given, with the
   * given token and key) and answers how it went, passed or not; nothing is saved.
   */
  async checkRequestUrl(
    tenantKey: string,
    appId: string,
    trial: RequestUrlTrial = {},
  ): Promise<Result<RequestUrlCheck>> {
    const found = await this.load(repositories(this.ctx.db), tenantKey, appId);
    if (!found.ok) return found;
    const view = this.view(found.value);
    const url = trial.request_url ?? found.value.eventRequestUrl;
    if (!url) return invalidField('request_url', 'the app has no request URL; give one to check');
    const token = trial.verification_token ?? view.verificationToken ?? '';
    const key = trial.encrypt_key === undefined ? view.encryptKey : trial.encrypt_key || null;
    return ok(await this.handshake(url, token, key));
  }

  /**
   * A new secret; the old one stops working at once, and so do the long connections and unused
   * connection tickets obtained with it. Tokens already issued live out their time.
   */
  async rotateSecret(tenantKey: string, appId: string): Promise<Result<AppView>> {
    const result = await inTransaction(this.ctx.db, async (repos) => {
      const found = await this.load(repos, tenantKey, appId);
      if (!found.ok) return found;
      const secret = randomSecret(24);
      await repos.apps.replaceSecret(found.value.id, this.ctx.secrets.hash(secret), this.ctx.clock.now());
      const app = await repos.apps.findById(found.value.id);
      return app ? ok({ ...this.view(app), appSecret: secret }) : notFound(`app ${appId}`);
    });
    if (result.ok) this.ctx.accessChanged?.();
    return result;
  }

  async delete(tenantKey: string, appId: string): Promise<Result<null>> {
    const result = await inTransaction(this.ctx.db, async (repos) => {
      const found = await this.load(repos, tenantKey, appId);
      if (!found.ok) return found;
      await repos.apps.delete(found.value.tenantId, found.value.id);
      this.principals?.forgetApp(found.value.id);
      return ok(null);
    });
    if (result.ok) this.ctx.accessChanged?.();
    return result;
  }

  private applyEventSettings(app: StoredApp, event: EventSettingsInput | undefined): void {
    if (!event) return;
    if (event.request_url !== undefined) app.eventRequestUrl = event.request_url;
    if (event.verification_token !== undefined) {
      app.eventVerificationTokenSealed = this.ctx.secrets.encrypt(event.verification_token);
    }
    if (event.encrypt_key !== undefined) {
      app.eventEncryptKeySealed =
        event.encrypt_key === null || event.encrypt_key === ''
          ? null
          : this.ctx.secrets.encrypt(event.encrypt_key);
    }
    if (event.event_types !== undefined) app.eventTypes = dedupe(event.event_types);
    if (event.delivery_mode !== undefined) app.eventDeliveryMode = event.delivery_mode;
  }

  private view(app: StoredApp): AppView {
    return {
      app,
      verificationToken: app.eventVerificationTokenSealed
        ? this.ctx.secrets.decrypt(app.eventVerificationTokenSealed)
        : null,
      encryptKey: app.eventEncryptKeySealed ? this.ctx.secrets.decrypt(app.eventEncryptKeySealed) : null,
    };
  }

  private async load(repos: Repositories, tenantKey: string, appId: string): Promise<Result<StoredApp>> {
    const tenant = await loadTenant(repos, tenantKey);
    if (!tenant.ok) return tenant;
    const app = await repos.apps.findByAppId(appId);
    // Another tenant's app is simply not found here.
    return app && app.tenantId === tenant.value.id ? ok(app) : notFound(`app ${appId}`);
  }
}

/**
 * A request URL given for an app that stays on the long connection would be kept and never used:
 * refused, so that nobody waits for webhooks that will not come.
 */
function unusedRequestUrl(app: StoredApp, event: EventSettingsInput | undefined): Result<never> | undefined {
  if (!event) return undefined;
  // Events subscribed for webhook push with nowhere to push them would be dropped without a word.
  if (app.eventDeliveryMode === 'webhook' && app.eventTypes.length > 0 && !app.eventRequestUrl)
    return invalidField(
      'event.request_url',
      'is required to deliver the subscribed events by webhook; ' +
        'or set event.delivery_mode to long_connection, or subscribe to no event types',
    );
  if (!event.request_url || app.eventDeliveryMode !== 'long_connection') return undefined;
  return invalidField(
    'event.request_url',
    'the app receives events over the long connection, where a request URL is not used; ' +
      'set event.delivery_mode to webhook as well (in the same request) to deliver to this URL',
  );
}

/** The refusal with what the receiver answered, so that whoever set the URL sees what went wrong. */
function describeRefusal(check: UrlVerification): string {
  const problem = check.problem ?? 'did not pass the url_verification challenge';
  if (!check.answer) return problem;
  const body = check.answer.body.trim().slice(0, 200);
  return body ? `${problem}; it answered: ${body}` : problem;
}

function dedupe<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}
