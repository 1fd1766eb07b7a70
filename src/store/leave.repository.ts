import { PostgresAdapter, sql, type Selectable } from 'kysely';
import { toPage, type Executor, type Page, type PageRequest } from './executor.js';
import type { LeaveEntryKind, LeaveEntryTable, LeaveOverBalance, LeaveTypeTable } from './schema.js';
import { keptQuery } from './kept-query.js';

export interface LeaveType {
  key: string;
  name: { zh_cn: string; en_us: string };
  overBalance: LeaveOverBalance;
  active: boolean;
  createdAt: number;
  updatedAt: number;
}

export interface LeaveEntry {
  id: string;
  employeeId: string;
  typeKey: string;
  kind: LeaveEntryKind;
  /** Hundredths of a day, signed. */
  amount: number;
  reason: string;
  processId: string | null;
  idempotencyKey: string;
  createdBy: string | null;
  createdAt: number;
}

export type NewLeaveEntry = Omit<LeaveEntry, 'createdAt'>;

/** One in-progress request's form values, for what is pending. */
export interface OpenLeaveProcess {
  id: string;
  initiatorId: string;
  formValues: Record<string, unknown>;
}

const toType = (row: Selectable<LeaveTypeTable>): LeaveType => ({
  key: row.type_key,
  name: { zh_cn: row.name_zh_cn, en_us: row.name_en_us },
  overBalance: row.over_balance,
  active: row.active === 1,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

const toEntry = (row: Selectable<LeaveEntryTable>): LeaveEntry => ({
  id: row.id,
  employeeId: row.employee_id,
  typeKey: row.type_key,
  kind: row.kind,
  amount: row.amount_centidays,
  reason: row.reason,
  processId: row.process_id,
  idempotencyKey: row.idempotency_key,
  createdBy: row.created_by,
  createdAt: row.created_at,
});

/** Leave types and the leave ledger (docs/leave.md). Amounts are hundredths of a day. */
export class LeaveRepository {
  constructor(private readonly db: Executor) {}

  /** A tenant's leave types by key; a tenant has few (the service bounds them), so no paging. */
  async types(tenantId: string): Promise<LeaveType[]> {
    const rows = await this.db
      .selectFrom('leave_types')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .orderBy('type_key')
      .execute();
    return rows.map(toType);
  }

  async type(tenantId: string, key: string): Promise<LeaveType | undefined> {
    const [row] = (
      await keptQuery(this.db, 'leave_types.type', { tenantId, key }, (v) =>
        this.db
          .selectFrom('leave_types')
          .selectAll()
          .where('tenant_id', '=', v.tenantId)
          .where('type_key', '=', v.key),
      )
    ).rows;
    return row && toType(row);
  }

  async insertType(tenantId: string, type: LeaveType): Promise<void> {
    await this.db
      .insertInto('leave_types')
      .values({
        tenant_id: tenantId,
        type_key: type.key,
        name_zh_cn: type.name.zh_cn,
        name_en_us: type.name.en_us,
        over_balance: type.overBalance,
        active: type.active ? 1 : 0,
        created_at: type.createdAt,
        updated_at: type.updatedAt,
      })
      .execute();
  }

  async updateType(tenantId: string, type: LeaveType): Promise<void> {
    await this.db
      .updateTable('leave_types')
      .set({
        name_zh_cn: type.name.zh_cn,
        name_en_us: type.name.en_us,
        over_balance: type.overBalance,
        active: type.active ? 1 : 0,
        updated_at: type.updatedAt,
      })
      .where('tenant_id', '=', tenantId)
      .where('type_key', '=', type.key)
      .execute();
  }

  async deleteType(tenantId: string, key: string): Promise<void> {
    await this.db
      .deleteFrom('leave_types')
      .where('tenant_id', '=', tenantId)
      .where('type_key', '=', key)
      .execute();
  }

  async hasEntries(tenantId: string, key: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('leave_entries')
      .select('id')
      .where('tenant_id', '=', tenantId)
      .where('type_key', '=', key)
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  }

  /**
   * Inserts the entries; one whose idempotency key exists already is left as it is. Returns the keys
   * that were new.
   */
  async append(tenantId: string, entries: readonly NewLeaveEntry[], now: number): Promise<Set<string>> {
    const inserted = new Set<string>();
    for (let i = 0; i < entries.length; i += 50) {
      const rows = await this.db
        .insertInto('leave_entries')
        .values(
          entries.slice(i, i + 50).map((e) => ({
            id: e.id,
            tenant_id: tenantId,
            employee_id: e.employeeId,
            type_key: e.typeKey,
            kind: e.kind,
            amount_centidays: e.amount,
            reason: e.reason,
            process_id: e.processId,
            idempotency_key: e.idempotencyKey,
            created_by: e.createdBy,
            created_at: now,
          })),
        )
        .onConflict((oc) => oc.columns(['tenant_id', 'idempotency_key']).doNothing())
        .returning('idempotency_key')
        .execute();
      for (const row of rows) inserted.add(row.idempotency_key);
    }
    return inserted;
  }

  async entryByKey(tenantId: string, idempotencyKey: string): Promise<LeaveEntry | undefined> {
    const row = await this.db
      .selectFrom('leave_entries')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('idempotency_key', '=', idempotencyKey)
      .executeTakeFirst();
    return row && toEntry(row);
  }

  /** Sums per employee and type (hundredths of a day): `employeeId → typeKey → balance`. */
  async balances(
    tenantId: string,
    employeeIds: readonly string[],
    typeKey?: string,
  ): Promise<Map<string, Map<string, number>>> {
    const result = new Map<string, Map<string, number>>();
    if (employeeIds.length === 0) return result;
    let query = this.db
      .selectFrom('leave_entries')
      .select(['employee_id', 'type_key'])
      .select((eb) => eb.fn.sum<string | number>('amount_centidays').as('total'))
      .where('tenant_id', '=', tenantId)
      .where('employee_id', 'in', employeeIds)
      .groupBy(['employee_id', 'type_key']);
    if (typeKey !== undefined) query = query.where('type_key', '=', typeKey);
    for (const row of await query.execute()) {
      let perType = result.get(row.employee_id);
      if (!perType) result.set(row.employee_id, (perType = new Map<string, number>()));
      perType.set(row.type_key, Number(row.total));
    }
    return result;
  }

  /**
   * One employee's ledger, newest first, optionally of one type. Ordered by when each entry was
   * written (then id): a process's debit carries an id made from the process, not the time of writing.
   * `afterId` is the previous page's last `<created_at>:<id>`.
   */
  async ledger(
    tenantId: string,
    employeeId: string,
    typeKey: string | undefined,
    page: PageRequest,
  ): Promise<Page<LeaveEntry>> {
    let query = this.db
      .selectFrom('leave_entries')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('employee_id', '=', employeeId)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(page.pageSize + 1);
    if (typeKey !== undefined) query = query.where('type_key', '=', typeKey);
    const after = /^(\d{1,16}):(.{1,64})$/.exec(page.afterId ?? '');
    if (after) {
      const at = Number(after[1]);
      const id = after[2] ?? '';
      query = query.where((eb) =>
        eb.or([eb('created_at', '<', at), eb.and([eb('created_at', '=', at), eb('id', '<', id)])]),
      );
    }
    return toPage((await query.execute()).map(toEntry), page.pageSize, (e) => `${e.createdAt}:${e.id}`);
  }

  /**
   * Leave requests of these people that may still take days: in progress, or completed with their
   * business action not yet run (its job pending or running), so nothing was debited yet.
   */
  async openRequests(tenantId: string, initiatorIds: readonly string[]): Promise<OpenLeaveProcess[]> {
    if (initiatorIds.length === 0) return [];
    // Only the form values of each state: the database extracts them (in C), not JSON.parse in JavaScript
    // over the whole state — this runs on every leave start, once per open request of the initiator.
    const formValues =
      this.db.getExecutor().adapter instanceof PostgresAdapter
        ? sql<string | null>`(p.state::jsonb -> 'formValues')::text`
        : sql<string | null>`json_extract(p.state, '$.formValues')`;
    const rows = await this.db
      .selectFrom('processes as p')
      .select(['p.id', 'p.initiator_id', formValues.as('form_values')])
      .where('p.tenant_id', '=', tenantId)
      .where('p.initiator_id', 'in', initiatorIds)
      .where('p.biz_type', '=', 'leave_application')
      .where((eb) =>
        eb.or([
          eb('p.status', '=', 'in_progress'),
          eb.and([
            eb('p.status', '=', 'completed'),
            eb.exists(
              eb
                .selectFrom('jobs as j')
                .select('j.id')
                .whereRef('j.process_id', '=', 'p.id')
                .where('j.kind', '=', 'action')
                .where('j.status', 'in', ['pending', 'running']),
            ),
            eb.not(
              eb.exists(
                eb
                  .selectFrom('leave_entries as e')
                  .select('e.id')
                  .whereRef('e.process_id', '=', 'p.id')
                  .where('e.tenant_id', '=', tenantId)
                  .where('e.kind', '=', 'debit'),
              ),
            ),
          ]),
        ]),
      )
      .execute();
    return rows.map((row) => ({
      id: row.id,
      initiatorId: row.initiator_id,
      formValues: row.form_values === null ? {} : (JSON.parse(row.form_values) as Record<string, unknown>),
    }));
  }
}
