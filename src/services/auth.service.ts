import type { Tenant } from '../engine/directory.js';
import { newAccessToken, randomSecret } from '../platform/secrets.js';
import type { StoredApp } from '../store/app.repository.js';
import type { TokenKind } from '../store/token.repository.js';
import { repositories, type ServiceContext } from './context.js';
import { fail, ok, type Result } from './result.js';
import { PrincipalCache } from './principal-cache.js';

/** Token lifetime and reuse window (docs/open-api.md). */
export const TOKEN_TTL_MS = 7200 * 1000;
export const TOKEN_REUSE_MIN_REMAINING_MS = 30 * 60 * 1000;
const ADMIN_TOKEN_SETTING = 'admin_token_hash';
const ADMIN_TOKEN_RECHECK_MS = 1000;

function newAdminToken(): string {
  return `pfa_${randomSecret(24)}`;
}

export interface IssuedToken {
  token: string;
  /** Seconds left, as the vendor's `expire` field. */
  expire: number;
}

/** Who is calling: resolved from a tenant_access_token on every Open API request. */
export interface Principal {
  tenant: Tenant;
  app: StoredApp;
}

export class AuthService {
  private adminTokenHash: string | undefined;
  private adminTokenConfigured = false;
  private adminTokenCheckedAt = 0;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly principals: PrincipalCache = new PrincipalCache(),
  ) {}

  async issueTenantToken(appId: string, appSecret: string): Promise<Result<IssuedToken>> {
    const app = await this.checkCredentials(appId, appSecret);
    if (!app) return fail('invalid_app_credentials', 'app_id or app_secret is invalid');
    return ok(await this.currentOrNew(app, 'tenant'));
  }

  async issueAppToken(
    appId: string,
    appSecret: string,
  ): Promise<Result<{ app: IssuedToken; tenant: IssuedToken }>> {
    const app = await this.checkCredentials(appId, appSecret);
    if (!app) return fail('invalid_app_credentials', 'app_id or app_secret is invalid');
    return ok({ app: await this.currentOrNew(app, 'app'), tenant: await this.currentOrNew(app, 'tenant') });
  }

  /** Resolves a tenant_access_token to its tenant and app; an app_access_token is not accepted here. */
  async authenticate(token: string): Promise<Result<Principal>> {
    const now = this.ctx.clock.now();
    const cached = this.principals.get(token, now);
    if (cached) return ok(cached);
    const mark = this.principals.mark();
    const hash = this.ctx.secrets.hash(token);
    const repos = repositories(this.ctx.db);
    const stored = await repos.tokens.findByHash(hash);
    if (!stored || stored.kind !== 'tenant' || stored.expiresAt <= this.ctx.clock.now()) {
      return fail(
        'invalid_token',
        'Invalid access token for authorization. Please make a request with token attached.',
      );
    }
    const app = await repos.apps.findById(stored.appId);
    const tenant = app && (await repos.tenants.findById(app.tenantId));
    if (!app || !tenant) return fail('invalid_token', 'the app behind this token no longer exists');
    this.principals.set(token, { tenant, app }, now, stored.expiresAt, mark);
    return ok({ tenant, app });
  }

  /**
   * Decides the admin token before the server listens. A configured token always wins (its hash
   * replaces the stored one). Otherwise the stored one is used; on the very first start a new one is
   * made and returned as `pending`: it works at once but is stored only by `commitAdminToken`, after
   * listening succeeded, so a start that fails (a port in use) does not keep a token nobody has seen.
   */
  async prepareAdminToken(configured: string | undefined): Promise<{ pending?: string }> {
    const settings = repositories(this.ctx.db).settings;
    this.adminTokenConfigured = configured !== undefined;
    if (configured !== undefined) {
      this.adminTokenHash = this.ctx.secrets.hash(configured);
      await settings.set(ADMIN_TOKEN_SETTING, this.adminTokenHash);
      return {};
    }
    const stored = await settings.get(ADMIN_TOKEN_SETTING);
    this.adminTokenCheckedAt = this.ctx.clock.now();
    if (stored !== undefined) {
      this.adminTokenHash = stored;
      return {};
    }
    const pending = newAdminToken();
    this.adminTokenHash = this.ctx.secrets.hash(pending);
    return { pending };
  }

  /**
   * Stores the token `prepareAdminToken` made. Returns false when another server sharing the
   * database stored one first; that one is used from then on and this one is never shown.
   */
  async commitAdminToken(pending: string): Promise<boolean> {
    const settings = repositories(this.ctx.db).settings;
    const created = await settings.setIfAbsent(ADMIN_TOKEN_SETTING, this.ctx.secrets.hash(pending));
    this.adminTokenHash = await settings.get(ADMIN_TOKEN_SETTING);
    return created;
  }

  /** Replaces the stored admin token with a new one and returns it (`peopleflow admin-token --reset`). */
  async resetAdminToken(): Promise<string> {
    const token = newAdminToken();
    this.adminTokenHash = this.ctx.secrets.hash(token);
    await repositories(this.ctx.db).settings.set(ADMIN_TOKEN_SETTING, this.adminTokenHash);
    return token;
  }

  /**
   * Checks the admin token. Unless it is configured, the stored hash is read again when a check
   * fails or at most a second after the last read, so a reset from the CLI takes effect in running
   * servers without a restart: the new token works at once, the old one stops within a second.
   */
  async verifyAdminToken(token: string): Promise<boolean> {
    const matches = () =>
      this.adminTokenHash !== undefined && this.ctx.secrets.verify(token, this.adminTokenHash);
    if (this.adminTokenConfigured) return matches();
    const fresh = this.ctx.clock.now() - this.adminTokenCheckedAt < ADMIN_TOKEN_RECHECK_MS;
    if (fresh && matches()) return true;
    try {
      const stored = await repositories(this.ctx.db).settings.get(ADMIN_TOKEN_SETTING);
      // Nothing stored yet: the first start's token is still pending, keep it.
      if (stored !== undefined) this.adminTokenHash = stored;
      this.adminTokenCheckedAt = this.ctx.clock.now();
    } catch {
      // The database is unreachable: the hash read last still decides.
    }
    return matches();
  }

  /** The app these credentials belong to, or undefined (timing does not tell which part was wrong). */
  async checkCredentials(appId: string, appSecret: string): Promise<StoredApp | undefined> {
    const app = await repositories(this.ctx.db).apps.findByAppId(appId);
    // Hash even for an unknown app, so timing does not tell which app ids exist.
    const matches = this.ctx.secrets.verify(appSecret, app?.secretHash ?? '0'.repeat(64));
    return app && matches ? app : undefined;
  }

  private async currentOrNew(app: StoredApp, kind: TokenKind): Promise<IssuedToken> {
    const repos = repositories(this.ctx.db);
    const now = this.ctx.clock.now();
    const current = await repos.tokens.newestValid(app.id, kind, now);
    if (current && current.expiresAt - now > TOKEN_REUSE_MIN_REMAINING_MS) {
      return {
        token: this.ctx.secrets.decrypt(current.tokenSealed),
        expire: Math.floor((current.expiresAt - now) / 1000),
      };
    }
    await repos.tokens.deleteExpired(app.id, now);
    const token = newAccessToken(kind === 'tenant' ? 't-' : 'a-');
    await repos.tokens.insert({
      tokenHash: this.ctx.secrets.hash(token),
      tokenSealed: this.ctx.secrets.encrypt(token),
      kind,
      appId: app.id,
      tenantId: app.tenantId,
      issuedAt: now,
      expiresAt: now + TOKEN_TTL_MS,
    });
    return { token, expire: TOKEN_TTL_MS / 1000 };
  }
}
