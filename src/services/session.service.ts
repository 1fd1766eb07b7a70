import type { Employee, Tenant } from '../engine/directory.js';
import { randomSecret } from '../platform/secrets.js';
import { CredentialRepository } from '../store/credential.repository.js';
import { SsoRepository } from '../store/sso.repository.js';
import { repositories, type ServiceContext } from './context.js';
import { fail, ok, type Result } from './result.js';
import { SessionCache } from './session-cache.js';

export type AuthMethod = 'password' | 'oidc' | 'demo' | 'invite';

export interface SessionPolicy {
  /** A session unused this long ends. */
  idleMs: number;
  /** A session ends this long after sign-in, used or not. */
  absoluteMs: number;
}

export const DEFAULT_SESSION_POLICY: SessionPolicy = {
  idleMs: 12 * 60 * 60 * 1000,
  absoluteMs: 7 * 24 * 60 * 60 * 1000,
};

/** Who is signed in: what every people-API route acts as. */
export interface PersonSession {
  tokenHash: string;
  tenant: Tenant;
  employee: Employee;
  authMethod: AuthMethod;
  expiresAt: number;
}

/** last_seen_at is written at most this often, so reads stay reads. */
const TOUCH_EVERY_MS = 60 * 1000;

/**
 * People's sessions: created at sign-in (always a new token: a session is never carried over from
 * before sign-in), looked up per request, deleted at sign-out. Only the keyed hash of the token is
 * stored, so a copy of the database signs nobody in.
 */
export class SessionService {
  constructor(
    private readonly ctx: ServiceContext,
    readonly policy: SessionPolicy = DEFAULT_SESSION_POLICY,
    /** Live sessions while the cache bus is trusted; by default one that never trusts (keeps nothing). */
    private readonly cache: SessionCache = new SessionCache(),
  ) {}

  /** The tenant a sign-in page is for: the named one, or the only one. */
  async tenantFor(tenantKey: string | undefined): Promise<Result<Tenant>> {
    const repos = repositories(this.ctx.db);
    if (tenantKey !== undefined) {
      const tenant = await repos.tenants.findByKey(tenantKey);
      return tenant ? ok(tenant) : fail('not_found', `tenant ${tenantKey} not found`);
    }
    const page = await repos.tenants.list({ pageSize: 2 });
    const only = page.items.length === 1 ? page.items[0] : undefined;
    return only
      ? ok(only)
      : fail('not_found', 'several tenants (or none) are set up: name one, /t/<tenant_key>/sign-in');
  }

  /** Starts a session for an active employee; returns the token for the cookie. */
  async create(
    tenant: Tenant,
    employee: Employee,
    authMethod: AuthMethod,
  ): Promise<Result<{ token: string; session: PersonSession }>> {
    if (employee.tenantId !== tenant.id) return fail('not_found', 'person not found');
    if (employee.employmentStatus !== 'active')
      return fail('operator_not_allowed', 'this person is no longer an active employee');
    const token = randomSecret(32);
    const now = this.ctx.clock.now();
    const tokenHash = this.ctx.secrets.hash(`session:${token}`);
    const expiresAt = now + this.policy.absoluteMs;
    await repositories(this.ctx.db).sessions.insert({
      tokenHash,
      tenantId: tenant.id,
      employeeId: employee.id,
      authMethod,
      createdAt: now,
      lastSeenAt: now,
      expiresAt,
    });
    return ok({ token, session: { tokenHash, tenant, employee, authMethod, expiresAt } });
  }

  /** The live session a cookie names, or undefined (unknown, expired, idle, or the person left). */
  async resolve(token: string): Promise<PersonSession | undefined> {
    if (token.length === 0 || token.length > 200) return undefined;
    const repos = repositories(this.ctx.db);
    const now = this.ctx.clock.now();
    const cached = this.cache.get(token, now, this.policy.idleMs);
    if (cached) {
      if (now - cached.lastSeenAt >= TOUCH_EVERY_MS) {
        await repos.sessions.touch(cached.session.tokenHash, now);
        cached.lastSeenAt = now;
      }
      return cached.session;
    }
    const mark = this.cache.mark();
    const tokenHash = this.ctx.secrets.hash(`session:${token}`);
    const stored = await repos.sessions.find(tokenHash);
    if (!stored) return undefined;
    if (stored.expiresAt <= now || stored.lastSeenAt + this.policy.idleMs <= now) {
      await repos.sessions.delete(tokenHash, stored.employeeId);
      return undefined;
    }
    const [tenant, employee] = await Promise.all([
      repos.tenants.findById(stored.tenantId),
      repos.employees.findBy(stored.tenantId, 'id', stored.employeeId),
    ]);
    if (!tenant || !employee || employee.employmentStatus !== 'active') {
      await repos.sessions.delete(tokenHash, stored.employeeId);
      return undefined;
    }
    let lastSeenAt = stored.lastSeenAt;
    if (now - lastSeenAt >= TOUCH_EVERY_MS) {
      await repos.sessions.touch(tokenHash, now);
      lastSeenAt = now;
    }
    const session: PersonSession = {
      tokenHash,
      tenant,
      employee,
      authMethod: stored.authMethod as AuthMethod,
      expiresAt: stored.expiresAt,
    };
    this.cache.set(token, session, lastSeenAt, mark);
    return session;
  }

  /** An employee of the tenant by user_id (the demo sign-in names people so). */
  async employeeByUserId(tenant: Tenant, userId: string): Promise<Employee | undefined> {
    return repositories(this.ctx.db).employees.findBy(tenant.id, 'user_id', userId);
  }

  /** Whether the person has a local password. */
  async hasPassword(employeeId: string): Promise<boolean> {
    return (await new CredentialRepository(this.ctx.db).passwordHash(employeeId)) !== undefined;
  }

  /** Whether the tenant's sign-in page shows the password form: someone there has a password. */
  async passwordOption(tenantId: string): Promise<boolean> {
    return new CredentialRepository(this.ctx.db).anyPassword(tenantId);
  }

  /** The single sign-on button for the tenant's sign-in page, when configured. */
  async oidcOption(tenantId: string): Promise<{ oidc?: { label: string } }> {
    const stored = await new SsoRepository(this.ctx.db).find(tenantId);
    return stored ? { oidc: { label: stored.label } } : {};
  }

  async end(session: PersonSession): Promise<void> {
    await repositories(this.ctx.db).sessions.delete(session.tokenHash, session.employee.id);
  }

  /** Ends every other session of the person (after a password change). */
  async endOthers(session: PersonSession): Promise<void> {
    await repositories(this.ctx.db).sessions.deleteForEmployee(session.employee.id, session.tokenHash);
  }

  async language(employeeId: string): Promise<string | null> {
    return repositories(this.ctx.db).preferences.language(employeeId);
  }

  async setLanguage(session: PersonSession, language: string | null): Promise<void> {
    await repositories(this.ctx.db).preferences.setLanguage(
      session.tenant.id,
      session.employee.id,
      language,
      this.ctx.clock.now(),
    );
  }
}
