import type { Selectable } from 'kysely';
import type { Executor } from './executor.js';
import type { Database } from './schema.js';

/** Tables of a person's secret tokens, stored as the keyed hash only (sessions, invite links). */
type PersonTokenTable = 'people_sessions' | 'people_invites';

/** What every person token row holds, whatever else its table adds, in the store's camelCase. */
export interface PersonTokenFields {
  tokenHash: string;
  tenantId: string;
  employeeId: string;
  createdAt: number;
  expiresAt: number;
}

/**
 * The row a token's keyed hash names, or undefined: `fields` are the columns every token table
 * has, `row` the whole row for the table's own columns.
 */
export async function findByTokenHash<T extends PersonTokenTable>(
  db: Executor,
  table: T,
  tokenHash: string,
): Promise<{ fields: PersonTokenFields; row: Selectable<Database[T]> } | undefined> {
  // Queried as the union of the tables (Kysely cannot type a generic table name), typed back below.
  const from: PersonTokenTable = table;
  const row = await db.selectFrom(from).selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
  if (!row) return undefined;
  return {
    fields: {
      tokenHash: row.token_hash,
      tenantId: row.tenant_id,
      employeeId: row.employee_id,
      createdAt: row.created_at,
      expiresAt: row.expires_at,
    },
    row: row as Selectable<Database[T]>,
  };
}
