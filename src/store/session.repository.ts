import type { Executor } from './executor.js';
import { findByTokenHash } from './hashed-token.js';
import { announceChange } from './cache-changes.js';

export interface StoredSession {
  tokenHash: string;
  tenantId: string;
  employeeId: string;
  authMethod: string;
  createdAt: number;
  lastSeenAt: number;
  expiresAt: number;
}

/** People's web sessions, looked up by the keyed hash of the cookie's token. */
export class SessionRepository {
  constructor(private readonly db: Executor) {}

  async insert(session: StoredSession): Promise<void> {
    await this.db
      .insertInto('people_sessions')
      .values({
        token_hash: session.tokenHash,
        tenant_id: session.tenantId,
        employee_id: session.employeeId,
        auth_method: session.authMethod,
        created_at: session.createdAt,
        last_seen_at: session.lastSeenAt,
        expires_at: session.expiresAt,
      })
      .execute();
  }

  async find(tokenHash: string): Promise<StoredSession | undefined> {
    const found = await findByTokenHash(this.db, 'people_sessions', tokenHash);
    return (
      found && {
        ...found.fields,
        authMethod: found.row.auth_method,
        lastSeenAt: found.row.last_seen_at,
      }
    );
  }

  async touch(tokenHash: string, at: number): Promise<void> {
    await this.db
      .updateTable('people_sessions')
      .set({ last_seen_at: at })
      .where('token_hash', '=', tokenHash)
      .execute();
  }

  /** Ends one session of the employee; every server's cached sessions of them are forgotten. */
  async delete(tokenHash: string, employeeId: string): Promise<void> {
    await this.db.deleteFrom('people_sessions').where('token_hash', '=', tokenHash).execute();
    await announceChange(this.db, { kind: 'sessions', employeeId });
  }

  /** Signs a person out everywhere (password changed, employee disabled). */
  async deleteForEmployee(employeeId: string, exceptHash?: string): Promise<void> {
    let query = this.db.deleteFrom('people_sessions').where('employee_id', '=', employeeId);
    if (exceptHash !== undefined) query = query.where('token_hash', '!=', exceptHash);
    await query.execute();
    await announceChange(this.db, { kind: 'sessions', employeeId });
  }

  /** Deletes the sessions past their absolute end or unused since `idleBefore`; returns how many. */
  async deleteExpired(now: number, idleBefore: number): Promise<number> {
    const result = await this.db
      .deleteFrom('people_sessions')
      .where((eb) => eb.or([eb('expires_at', '<=', now), eb('last_seen_at', '<', idleBefore)]))
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
