import type { Employee, Tenant } from '../engine/directory.js';
import { randomSecret } from '../platform/secrets.js';
import { CredentialRepository } from '../store/credential.repository.js';
import { inTransaction, repositories, type ServiceContext } from './context.js';
import {
  burnVerification,
  hashPassword,
  needsRehash,
  passwordProblem,
  verifyPassword,
} from './credential-hash.js';
import { invalidField, notFound, ok, type FieldViolation, type Result } from './result.js';
import { loadTenant } from './tenant.service.js';

/**
 * What a person-facing credential check can answer besides success. These are people-API codes
 * (docs/people-api.md), not Open API failure kinds: the routes send them as they are.
 */
export type CredentialProblem =
  | { code: 'invalid_credentials'; message: string }
  | { code: 'account_disabled'; message: string }
  | { code: 'invite_invalid'; message: string }
  | { code: 'invalid_field'; message: string; violations: FieldViolation[] };

export type CredentialOutcome<T> = { ok: true; value: T } | { ok: false; problem: CredentialProblem };

const INVALID_CREDENTIALS: CredentialProblem = {
  code: 'invalid_credentials',
  message: 'wrong login or password',
};
const ACCOUNT_DISABLED: CredentialProblem = {
  code: 'account_disabled',
  message: 'this person is not an active employee',
};
const INVITE_INVALID: CredentialProblem = {
  code: 'invite_invalid',
  message: 'this invite link is unknown, used or expired; ask for a new one',
};

const problem = <T>(p: CredentialProblem): CredentialOutcome<T> => ({ ok: false, problem: p });
const fieldProblem = <T>(field: string, description: string): CredentialOutcome<T> =>
  problem({
    code: 'invalid_field',
    message: `${field}: ${description}`,
    violations: [{ field, description }],
  });

export const DEFAULT_INVITE_HOURS = 7 * 24;

export interface InviteView {
  token: string;
  tenant: Tenant;
  employee: Employee;
  expiresAt: number;
}

export interface SignInState {
  hasPassword: boolean;
  /** The newest invite link sent to them, if any. */
  invite: { status: 'pending' | 'used' | 'expired'; expiresAt: number } | null;
}

export interface SignedInPerson {
  tenant: Tenant;
  employee: Employee;
}

/**
 * Local passwords and invite links. Only scrypt hashes of passwords and keyed hashes of invite tokens
 * are stored. A wrong password and an unknown person get the same answer after the same work; an
 * inactive employee is told so only once the password proved who is asking.
 */
export class CredentialService {
  constructor(private readonly ctx: ServiceContext) {}

  // --- admin -----------------------------------------------------------------------------------

  /** Sets (or replaces) an employee's password; their sessions end everywhere (a reset is a recovery). */
  async setPassword(tenantKey: string, userId: string, password: string): Promise<Result<Employee>> {
    const bad = passwordProblem(password);
    if (bad) return invalidField('password', bad);
    const hash = await hashPassword(password);
    return inTransaction(this.ctx.db, async (repos, trx) => {
      const tenant = await loadTenant(repos, tenantKey);
      if (!tenant.ok) return tenant;
      const employee = await repos.employees.findBy(tenant.value.id, 'user_id', userId);
      if (!employee) return notFound(`employee ${userId}`);
      await new CredentialRepository(trx).setPassword(
        tenant.value.id,
        employee.id,
        hash,
        this.ctx.clock.now(),
      );
      await repos.sessions.deleteForEmployee(employee.id);
      return ok(employee);
    });
  }

  /** Removes an employee's password (they sign in by single sign-on or an invite then); sessions end. */
  async clearPassword(tenantKey: string, userId: string): Promise<Result<Employee>> {
    return inTransaction(this.ctx.db, async (repos, trx) => {
      const tenant = await loadTenant(repos, tenantKey);
      if (!tenant.ok) return tenant;
      const employee = await repos.employees.findBy(tenant.value.id, 'user_id', userId);
      if (!employee) return notFound(`employee ${userId}`);
      await new CredentialRepository(trx).clearPassword(employee.id);
      await repos.sessions.deleteForEmployee(employee.id);
      return ok(employee);
    });
  }

  /** A one-time link for the employee to set their password; earlier links of theirs stop working. */
  async createInvite(
    tenantKey: string,
    userId: string,
    hours = DEFAULT_INVITE_HOURS,
  ): Promise<Result<InviteView>> {
    return inTransaction(this.ctx.db, async (repos, trx) => {
      const tenant = await loadTenant(repos, tenantKey);
      if (!tenant.ok) return tenant;
      const employee = await repos.employees.findBy(tenant.value.id, 'user_id', userId);
      if (!employee) return notFound(`employee ${userId}`);
      if (employee.employmentStatus === 'terminated')
        return invalidField('user_id', 'has left (employment_status terminated): no invite for them');
      const token = randomSecret(32);
      const now = this.ctx.clock.now();
      const expiresAt = now + hours * 60 * 60 * 1000;
      const credentials = new CredentialRepository(trx);
      await credentials.deleteInvitesOf(employee.id);
      await credentials.insertInvite({
        tokenHash: this.inviteHash(token),
        tenantId: tenant.value.id,
        employeeId: employee.id,
        createdAt: now,
        expiresAt,
        usedAt: null,
      });
      return ok({ token, tenant: tenant.value, employee, expiresAt });
    });
  }

  /** How each of these employees (internal ids) can sign in: a password, an invite link pending. */
  async signInStates(employeeIds: readonly string[]): Promise<Map<string, SignInState>> {
    const { withPassword, invites } = await new CredentialRepository(this.ctx.db).signInStates(employeeIds);
    const now = this.ctx.clock.now();
    return new Map(
      employeeIds.map((id) => {
        const invite = invites.get(id);
        const inviteState: SignInState['invite'] = !invite
          ? null
          : {
              status: invite.usedAt !== null ? 'used' : invite.expiresAt <= now ? 'expired' : 'pending',
              expiresAt: invite.expiresAt,
            };
        return [id, { hasPassword: withPassword.has(id), invite: inviteState }];
      }),
    );
  }

  // --- people ----------------------------------------------------------------------------------

  /** The employee a login names: user_id first, then email (stored in lower case). */
  async lookup(tenant: Tenant, login: string): Promise<Employee | undefined> {
    const repos = repositories(this.ctx.db);
    return (
      (await repos.employees.findBy(tenant.id, 'user_id', login)) ??
      (login.includes('@')
        ? await repos.employees.findBy(tenant.id, 'email', login.toLowerCase())
        : undefined)
    );
  }

  /**
   * Checks a password sign-in. `employee` is what `lookup` found (undefined: nobody), so that the
   * caller can throttle per account in between.
   */
  async checkPassword(
    employee: Employee | undefined,
    password: string,
  ): Promise<CredentialOutcome<Employee>> {
    const stored = employee && (await new CredentialRepository(this.ctx.db).passwordHash(employee.id));
    if (!employee || stored === undefined) {
      await burnVerification(password);
      return problem(INVALID_CREDENTIALS);
    }
    if (!(await verifyPassword(password, stored))) return problem(INVALID_CREDENTIALS);
    if (employee.employmentStatus !== 'active') return problem(ACCOUNT_DISABLED);
    if (needsRehash(stored)) {
      await new CredentialRepository(this.ctx.db).setPassword(
        employee.tenantId,
        employee.id,
        await hashPassword(password),
        this.ctx.clock.now(),
      );
    }
    return { ok: true, value: employee };
  }

  /** The person's own change: the current password proves it is them; their other sessions end. */
  async changePassword(
    employee: Employee,
    keepSessionHash: string,
    current: string,
    next: string,
  ): Promise<CredentialOutcome<null>> {
    const bad = passwordProblem(next);
    if (bad) return fieldProblem('new_password', bad);
    const credentials = new CredentialRepository(this.ctx.db);
    const stored = await credentials.passwordHash(employee.id);
    if (stored === undefined) {
      await burnVerification(current);
      return fieldProblem('current_password', 'this person has no password yet (use an invite link)');
    }
    if (!(await verifyPassword(current, stored)))
      return fieldProblem('current_password', 'is not the current password');
    const hash = await hashPassword(next);
    await this.ctx.db.transaction().execute(async (trx) => {
      await new CredentialRepository(trx).setPassword(
        employee.tenantId,
        employee.id,
        hash,
        this.ctx.clock.now(),
      );
      await repositories(trx).sessions.deleteForEmployee(employee.id, keepSessionHash);
    });
    return { ok: true, value: null };
  }

  /** Who an invite link is for, while it can still be used. */
  async invite(token: string): Promise<CredentialOutcome<InviteView>> {
    if (token.length === 0 || token.length > 200) return problem(INVITE_INVALID);
    const invite = await new CredentialRepository(this.ctx.db).findInvite(this.inviteHash(token));
    if (!invite || invite.usedAt !== null || invite.expiresAt <= this.ctx.clock.now())
      return problem(INVITE_INVALID);
    const repos = repositories(this.ctx.db);
    const [tenant, employee] = await Promise.all([
      repos.tenants.findById(invite.tenantId),
      repos.employees.findBy(invite.tenantId, 'id', invite.employeeId),
    ]);
    if (!tenant || !employee) return problem(INVITE_INVALID);
    if (employee.employmentStatus !== 'active') return problem(ACCOUNT_DISABLED);
    return { ok: true, value: { token, tenant, employee, expiresAt: invite.expiresAt } };
  }

  /**
   * Sets the password an invite asked for and uses the invite up (exactly once, even when two
   * requests race); the person's earlier sessions end. A refused password leaves the invite usable.
   */
  async acceptInvite(token: string, password: string): Promise<CredentialOutcome<SignedInPerson>> {
    const found = await this.invite(token);
    if (!found.ok) return found;
    const bad = passwordProblem(password);
    if (bad) return fieldProblem('password', bad);
    const hash = await hashPassword(password);
    const { tenant, employee } = found.value;
    const accepted = await inTransaction(this.ctx.db, async (repos, trx) => {
      const credentials = new CredentialRepository(trx);
      const now = this.ctx.clock.now();
      if (!(await credentials.consumeInvite(this.inviteHash(token), now))) return notFound('invite');
      await credentials.setPassword(tenant.id, employee.id, hash, now);
      await repos.sessions.deleteForEmployee(employee.id);
      return ok(null);
    });
    if (!accepted.ok) return problem(INVITE_INVALID);
    return { ok: true, value: { tenant, employee } };
  }

  private inviteHash(token: string): string {
    return this.ctx.secrets.hash(`invite:${token}`);
  }
}
