import type { Delegation } from '../engine/approver-resolution.js';
import { toPage, type Executor, type Page, type PageRequest } from './executor.js';
import type { DelegationTable } from './schema.js';

/** A stored out-of-office delegation. */
export interface StoredDelegation extends Delegation {
  id: string;
  tenantId: string;
  createdAt: number;
  cancelledAt?: number;
  /** The delegator's open tasks are handed over when the range starts (or at once if it has). */
  includeExisting: boolean;
  /** The tasks still held for the delegator go back to them when it ends or is cancelled. */
  returnOnEnd: boolean;
}

const fromRow = (row: DelegationTable): StoredDelegation => ({
  id: row.id,
  tenantId: row.tenant_id,
  delegatorId: row.delegator_id,
  delegateId: row.delegate_id,
  startsAt: row.starts_at,
  endsAt: row.ends_at,
  createdAt: row.created_at,
  ...(row.cancelled_at !== null ? { cancelledAt: row.cancelled_at } : {}),
  includeExisting: row.include_existing === 1,
  returnOnEnd: row.return_on_end === 1,
});

export class DelegationRepository {
  constructor(private readonly db: Executor) {}

  async insert(delegation: StoredDelegation): Promise<void> {
    await this.db
      .insertInto('delegations')
      .values({
        id: delegation.id,
        tenant_id: delegation.tenantId,
        delegator_id: delegation.delegatorId,
        delegate_id: delegation.delegateId,
        starts_at: delegation.startsAt,
        ends_at: delegation.endsAt,
        created_at: delegation.createdAt,
        cancelled_at: null,
        include_existing: delegation.includeExisting ? 1 : 0,
        return_on_end: delegation.returnOnEnd ? 1 : 0,
      })
      .execute();
  }

  async find(tenantId: string, id: string): Promise<StoredDelegation | undefined> {
    const row = await this.db
      .selectFrom('delegations')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? fromRow(row) : undefined;
  }

  /** Marks it cancelled; false when it was cancelled already (a concurrent cancel). */
  async cancel(tenantId: string, id: string, at: number): Promise<boolean> {
    const result = await this.db
      .updateTable('delegations')
      .set({ cancelled_at: at })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .where('cancelled_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** A person's delegations, newest first (ids are time-ordered). */
  async listOf(tenantId: string, delegatorId: string, page: PageRequest): Promise<Page<StoredDelegation>> {
    let query = this.db
      .selectFrom('delegations')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('delegator_id', '=', delegatorId)
      .orderBy('id', 'desc')
      .limit(page.pageSize + 1);
    if (page.afterId !== undefined) query = query.where('id', '<', page.afterId);
    return toPage((await query.execute()).map(fromRow), page.pageSize, (d) => d.id);
  }

  /**
   * The tenant's delegations in force or still to come at `at` (not cancelled, not ended): what the
   * engine needs, and what a new one is checked against. Bounded by the per-person limit.
   */
  async current(tenantId: string, at: number): Promise<StoredDelegation[]> {
    const rows = await this.db
      .selectFrom('delegations')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('ends_at', '>', at)
      .where('cancelled_at', 'is', null)
      .orderBy('starts_at')
      .execute();
    return rows.map(fromRow);
  }
}
