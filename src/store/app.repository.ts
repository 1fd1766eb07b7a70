import { toPage, type Executor, type Page, type PageRequest } from './executor.js';
import type { AppTable } from './schema.js';
import { announceChange } from './cache-changes.js';
import { inList, keptQuery } from './kept-query.js';

export type DeliveryMode = 'webhook' | 'long_connection';

/** An app as stored: secrets only as hashes or sealed (encrypted) text. */
export interface StoredApp {
  id: string;
  tenantId: string;
  appId: string;
  name: string;
  secretHash: string;
  scopes: string[];
  eventRequestUrl: string | null;
  eventVerificationTokenSealed: string | null;
  eventEncryptKeySealed: string | null;
  eventTypes: string[];
  eventDeliveryMode: DeliveryMode;
  /** Raised whenever access granted earlier is withdrawn; long connections admitted under an older one are closed. */
  accessRevision: number;
  createdAt: number;
  updatedAt: number;
}

const toApp = (row: AppTable): StoredApp => ({
  id: row.id,
  tenantId: row.tenant_id,
  appId: row.app_id,
  name: row.name,
  secretHash: row.secret_hash,
  scopes: JSON.parse(row.scopes) as string[],
  eventRequestUrl: row.event_request_url,
  eventVerificationTokenSealed: row.event_verification_token_sealed,
  eventEncryptKeySealed: row.event_encrypt_key_sealed,
  eventTypes: JSON.parse(row.event_types) as string[],
  eventDeliveryMode: row.event_delivery_mode as DeliveryMode,
  accessRevision: row.access_revision,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

const toRow = (a: StoredApp): AppTable => ({
  id: a.id,
  tenant_id: a.tenantId,
  app_id: a.appId,
  name: a.name,
  secret_hash: a.secretHash,
  scopes: JSON.stringify(a.scopes),
  event_request_url: a.eventRequestUrl,
  event_verification_token_sealed: a.eventVerificationTokenSealed,
  event_encrypt_key_sealed: a.eventEncryptKeySealed,
  event_types: JSON.stringify(a.eventTypes),
  event_delivery_mode: a.eventDeliveryMode,
  access_revision: a.accessRevision,
  created_at: a.createdAt,
  updated_at: a.updatedAt,
});

/** What decides whether an app's long connections may stay open. */
export type AppAccess = Pick<
  StoredApp,
  'id' | 'accessRevision' | 'eventDeliveryMode' | 'eventTypes' | 'scopes'
>;

export class AppRepository {
  constructor(private readonly db: Executor) {}

  async insert(app: StoredApp): Promise<void> {
    await this.db.insertInto('apps').values(toRow(app)).execute();
  }

  /**
   * Saves the app's settings. The secret and the access revision are left alone: they change only
   * through `replaceSecret` and `withdrawAccess`, so a settings change made from an older read can
   * never bring back a rotated secret or undo a revocation.
   */
  async update(app: StoredApp): Promise<void> {
    // eslint-disable-next-line @typescript-eslint/no-unused-vars -- left out on purpose, see above
    const { id, tenant_id, secret_hash, access_revision, ...changes } = toRow(app);
    await this.db
      .updateTable('apps')
      .set(changes)
      .where('id', '=', id)
      .where('tenant_id', '=', tenant_id)
      .execute();
    await announceChange(this.db, { kind: 'app', appId: id });
  }

  /** A new secret; what was granted under the old one is withdrawn with it. */
  async replaceSecret(id: string, secretHash: string, updatedAt: number): Promise<void> {
    await this.db
      .updateTable('apps')
      .set((eb) => ({
        secret_hash: secretHash,
        updated_at: updatedAt,
        access_revision: eb('access_revision', '+', 1),
      }))
      .where('id', '=', id)
      .execute();
    await announceChange(this.db, { kind: 'app', appId: id });
  }

  /** Raises the access revision: every server closes the long connections admitted before. */
  async withdrawAccess(id: string): Promise<void> {
    await this.db
      .updateTable('apps')
      .set((eb) => ({ access_revision: eb('access_revision', '+', 1) }))
      .where('id', '=', id)
      .execute();
    await announceChange(this.db, { kind: 'app', appId: id });
  }

  /** The access state of these apps; an app missing from the map no longer exists. */
  async accessOf(ids: readonly string[]): Promise<Map<string, AppAccess>> {
    const out = new Map<string, AppAccess>();
    for (let i = 0; i < ids.length; i += 500) {
      const rows = await this.db
        .selectFrom('apps')
        .select(['id', 'access_revision', 'event_delivery_mode', 'event_types', 'scopes'])
        .where('id', 'in', ids.slice(i, i + 500))
        .execute();
      for (const row of rows)
        out.set(row.id, {
          id: row.id,
          accessRevision: row.access_revision,
          eventDeliveryMode: row.event_delivery_mode as DeliveryMode,
          eventTypes: JSON.parse(row.event_types) as string[],
          scopes: JSON.parse(row.scopes) as string[],
        });
    }
    return out;
  }

  async findByAppId(appId: string): Promise<StoredApp | undefined> {
    const row = await this.db.selectFrom('apps').selectAll().where('app_id', '=', appId).executeTakeFirst();
    return row && toApp(row);
  }

  async findById(id: string): Promise<StoredApp | undefined> {
    // The event dispatcher reads its apps on every round.
    const [row] = (
      await keptQuery(this.db, 'apps.findById', { id }, (v) =>
        this.db.selectFrom('apps').selectAll().where('id', '=', v.id),
      )
    ).rows;
    return row && toApp(row);
  }

  async list(tenantId: string, page: PageRequest): Promise<Page<StoredApp>> {
    let query = this.db
      .selectFrom('apps')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .orderBy('id')
      .limit(page.pageSize + 1);
    if (page.afterId !== undefined) query = query.where('id', '>', page.afterId);
    return toPage((await query.execute()).map(toApp), page.pageSize, (a) => a.id);
  }

  /** Apps of these tenants that subscribe to at least one event type. */
  async subscribers(tenantIds: readonly string[]): Promise<StoredApp[]> {
    if (tenantIds.length === 0) return [];
    // Read with every command batch that wrote events: its SQL kept (kept-query.ts).
    const list = inList('tenants', tenantIds);
    const { rows } = await keptQuery(this.db, `apps.subscribers:${list.shape}`, list.values, (v) =>
      this.db
        .selectFrom('apps')
        .selectAll()
        .where('tenant_id', 'in', list.items(v))
        .where('event_types', '!=', '[]'),
    );
    return rows.map(toApp);
  }

  async listIds(tenantId: string): Promise<string[]> {
    const rows = await this.db.selectFrom('apps').select('id').where('tenant_id', '=', tenantId).execute();
    return rows.map((r) => r.id);
  }

  async delete(tenantId: string, id: string): Promise<void> {
    await this.db.deleteFrom('event_deliveries').where('app_id', '=', id).execute();
    await this.db.deleteFrom('access_tokens').where('app_id', '=', id).execute();
    await this.db.deleteFrom('app_open_ids').where('app_id', '=', id).execute();
    await this.db.deleteFrom('apps').where('tenant_id', '=', tenantId).where('id', '=', id).execute();
    await announceChange(this.db, { kind: 'app', appId: id });
  }

  // --- open_id: one per (app, employee) ---

  async insertOpenIds(rows: { appId: string; employeeId: string; openId: string }[]): Promise<void> {
    // Chunked: SQLite caps the number of bound parameters per statement.
    for (let i = 0; i < rows.length; i += 200) {
      const chunk = rows.slice(i, i + 200);
      await this.db
        .insertInto('app_open_ids')
        .values(chunk.map((r) => ({ app_id: r.appId, employee_id: r.employeeId, open_id: r.openId })))
        .execute();
    }
  }

  async openIdOf(appInternalId: string, employeeId: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('app_open_ids')
      .select('open_id')
      .where('app_id', '=', appInternalId)
      .where('employee_id', '=', employeeId)
      .executeTakeFirst();
    return row?.open_id;
  }

  async openIdsOf(appInternalId: string, employeeIds: readonly string[]): Promise<Map<string, string>> {
    if (employeeIds.length === 0) return new Map();
    const rows = await this.db
      .selectFrom('app_open_ids')
      .select(['employee_id', 'open_id'])
      .where('app_id', '=', appInternalId)
      .where('employee_id', 'in', employeeIds)
      .execute();
    return new Map(rows.map((r) => [r.employee_id, r.open_id]));
  }

  async employeeIdByOpenId(appInternalId: string, openId: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('app_open_ids')
      .select('employee_id')
      .where('app_id', '=', appInternalId)
      .where('open_id', '=', openId)
      .executeTakeFirst();
    return row?.employee_id;
  }
}
