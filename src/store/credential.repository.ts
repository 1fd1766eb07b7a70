import type { Executor } from './executor.js';
import { findByTokenHash } from './hashed-token.js';

export interface StoredInvite {
  tokenHash: string;
  tenantId: string;
  employeeId: string;
  createdAt: number;
  expiresAt: number;
  usedAt: number | null;
}

/** People's local passwords (hashes only) and their one-time invite links (token hashes only). */
export class CredentialRepository {
  constructor(private readonly db: Executor) {}

  async passwordHash(employeeId: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('people_credentials')
      .select('password_hash')
      .where('employee_id', '=', employeeId)
      .executeTakeFirst();
    return row?.password_hash;
  }

  async setPassword(tenantId: string, employeeId: string, passwordHash: string, at: number): Promise<void> {
    await this.db
      .insertInto('people_credentials')
      .values({ employee_id: employeeId, tenant_id: tenantId, password_hash: passwordHash, updated_at: at })
      .onConflict((oc) =>
        oc.column('employee_id').doUpdateSet({ password_hash: passwordHash, updated_at: at }),
      )
      .execute();
  }

  /** Whether the password was there to clear. */
  async clearPassword(employeeId: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('people_credentials')
      .where('employee_id', '=', employeeId)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  /** Whether anyone of the tenant has a password (the sign-in page offers the password form then). */
  async anyPassword(tenantId: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('people_credentials')
      .select('employee_id')
      .where('tenant_id', '=', tenantId)
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  }

  /** Who of these people has a password, and their newest invite: the console shows both. */
  async signInStates(
    employeeIds: readonly string[],
  ): Promise<{ withPassword: Set<string>; invites: Map<string, StoredInvite> }> {
    if (employeeIds.length === 0) return { withPassword: new Set(), invites: new Map() };
    const [passwords, invites] = await Promise.all([
      this.db
        .selectFrom('people_credentials')
        .select('employee_id')
        .where('employee_id', 'in', employeeIds)
        .execute(),
      this.db.selectFrom('people_invites').selectAll().where('employee_id', 'in', employeeIds).execute(),
    ]);
    const newest = new Map<string, StoredInvite>();
    for (const row of invites) {
      const seen = newest.get(row.employee_id);
      if (seen && seen.createdAt >= row.created_at) continue;
      newest.set(row.employee_id, {
        tokenHash: row.token_hash,
        tenantId: row.tenant_id,
        employeeId: row.employee_id,
        createdAt: row.created_at,
        expiresAt: row.expires_at,
        usedAt: row.used_at,
      });
    }
    return { withPassword: new Set(passwords.map((p) => p.employee_id)), invites: newest };
  }

  async insertInvite(invite: StoredInvite): Promise<void> {
    await this.db
      .insertInto('people_invites')
      .values({
        token_hash: invite.tokenHash,
        tenant_id: invite.tenantId,
        employee_id: invite.employeeId,
        created_at: invite.createdAt,
        expires_at: invite.expiresAt,
        used_at: invite.usedAt,
      })
      .execute();
  }

  /** A new invite replaces the person's earlier ones: only the newest link works. */
  async deleteInvitesOf(employeeId: string): Promise<void> {
    await this.db.deleteFrom('people_invites').where('employee_id', '=', employeeId).execute();
  }

  async findInvite(tokenHash: string): Promise<StoredInvite | undefined> {
    const found = await findByTokenHash(this.db, 'people_invites', tokenHash);
    return found && { ...found.fields, usedAt: found.row.used_at };
  }

  /** Marks the invite used unless it already was or has expired: true for exactly one caller. */
  async consumeInvite(tokenHash: string, now: number): Promise<boolean> {
    const result = await this.db
      .updateTable('people_invites')
      .set({ used_at: now })
      .where('token_hash', '=', tokenHash)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }
}
