import type { Executor } from './executor.js';
import { insertRows } from './insert-rows.js';
import type { NotificationTable } from './schema.js';
import { inList, keptQuery } from './kept-query.js';
import { firstIdAt } from '../platform/id-generator.js';

export type NotificationRow = NotificationTable;

export interface NewNotification {
  id: string;
  tenantId: string;
  recipientId: string;
  kind: string;
  processId: string;
  taskId?: string | undefined;
  actorId?: string | undefined;
  createdAt: number;
  inApp: boolean;
  digest: boolean;
}

/** Per kind, per channel: on or off; only what differs from the defaults (everything on) is kept. */
export type ChannelChoices = Record<string, Record<string, boolean>>;

export interface StoredPreferences {
  employeeId: string;
  tenantId: string;
  channels: ChannelChoices;
  digestDaily: boolean;
  digestHour: number;
  timeZone: string;
  chatWebhookUrl: string | null;
  chatWebhookType: string | null;
  updatedAt: number;
}

export interface StoredSmtp {
  tenantId: string;
  host: string;
  port: number;
  secure: boolean;
  username: string | null;
  passwordSealed: string | null;
  fromAddress: string;
  createdAt: number;
  updatedAt: number;
}

/** People's notifications, their preferences, and each tenant's SMTP server (docs/notifications.md). */
export class NotificationRepository {
  constructor(private readonly db: Executor) {}

  async insert(rows: readonly NewNotification[]): Promise<void> {
    if (rows.length === 0) return;
    await insertRows(
      this.db,
      'notifications',
      rows.map((n) => ({
        id: n.id,
        tenant_id: n.tenantId,
        recipient_id: n.recipientId,
        kind: n.kind,
        process_id: n.processId,
        task_id: n.taskId ?? null,
        actor_id: n.actorId ?? null,
        created_at: n.createdAt,
        read_at: null,
        in_app: n.inApp ? 1 : 0,
        digest: n.digest ? 1 : 0,
        digested_at: null,
      })),
    );
  }

  async find(tenantId: string, id: string): Promise<NotificationRow | undefined> {
    return this.db
      .selectFrom('notifications')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
  }

  /** A person's in-app notifications, newest first: up to `pageSize + 1` rows (one more tells a next page). */
  async page(
    tenantId: string,
    recipientId: string,
    unreadOnly: boolean,
    pageSize: number,
    beforeId?: string,
  ): Promise<NotificationRow[]> {
    let query = this.db
      .selectFrom('notifications')
      .selectAll()
      .where('recipient_id', '=', recipientId)
      .where('in_app', '=', 1)
      .where('tenant_id', '=', tenantId)
      .orderBy('id', 'desc')
      .limit(pageSize + 1);
    if (unreadOnly) query = query.where('read_at', 'is', null);
    if (beforeId !== undefined) query = query.where('id', '<', beforeId);
    return query.execute();
  }

  async unreadCount(tenantId: string, recipientId: string): Promise<number> {
    const row = await this.db
      .selectFrom('notifications')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('recipient_id', '=', recipientId)
      .where('read_at', 'is', null)
      .where('in_app', '=', 1)
      .where('tenant_id', '=', tenantId)
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  /** Marks the person's notifications read: the ones named, or all. Returns how many changed. */
  async markRead(
    tenantId: string,
    recipientId: string,
    ids: readonly string[] | 'all',
    now: number,
  ): Promise<number> {
    if (ids !== 'all' && ids.length === 0) return 0;
    let query = this.db
      .updateTable('notifications')
      .set({ read_at: now })
      .where('recipient_id', '=', recipientId)
      .where('tenant_id', '=', tenantId)
      .where('read_at', 'is', null);
    if (ids !== 'all') query = query.where('id', 'in', ids);
    const result = await query.executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  /**
   * Keeps a person's newest `keep` notifications and none made before `before` (bounded lists). Ids are
   * time-ordered, so both cuts are ranges of the index on (recipient, id): the newest `keep` entries
   * walked to find the edge, then only the rows past it read.
   */
  async prune(recipientId: string, keep: number, before: number): Promise<void> {
    const edge = await this.db
      .selectFrom('notifications')
      .select('id')
      .where('recipient_id', '=', recipientId)
      .orderBy('id', 'desc')
      .offset(keep - 1)
      .limit(1)
      .executeTakeFirst();
    const byAge = firstIdAt(before);
    await this.db
      .deleteFrom('notifications')
      .where('recipient_id', '=', recipientId)
      .where('id', '<', edge && edge.id > byAge ? edge.id : byAge)
      .execute();
  }

  /**
   * Deletes up to `limit` notifications (of anyone) made before `before`, found by their time-ordered
   * ids through the primary key; returns how many. The per-person prune keeps busy lists short; this
   * removes what is past its age from the lists of people who get few.
   */
  async deleteCreatedBefore(before: number, limit: number): Promise<number> {
    const result = await this.db
      .deleteFrom('notifications')
      .where(
        'id',
        'in',
        this.db.selectFrom('notifications').select('id').where('id', '<', firstIdAt(before)).limit(limit),
      )
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  /** What waits for a person's digest email, oldest first. */
  async undigested(tenantId: string, recipientId: string, limit: number): Promise<NotificationRow[]> {
    return this.db
      .selectFrom('notifications')
      .selectAll()
      .where('recipient_id', '=', recipientId)
      .where('digest', '=', 1)
      .where('digested_at', 'is', null)
      .where('tenant_id', '=', tenantId)
      .orderBy('id')
      .limit(limit)
      .execute();
  }

  async markDigested(ids: readonly string[], now: number): Promise<void> {
    if (ids.length === 0) return;
    await this.db.updateTable('notifications').set({ digested_at: now }).where('id', 'in', ids).execute();
  }

  /** What a list shows of each process named (not its whole state). */
  async processHeads(
    tenantId: string,
    ids: readonly string[],
  ): Promise<
    {
      id: string;
      definition_id: string;
      definition_version: number;
      initiator_id: string;
      biz_type: string;
    }[]
  > {
    if (ids.length === 0) return [];
    return this.db
      .selectFrom('processes')
      .select(['id', 'definition_id', 'definition_version', 'initiator_id', 'biz_type'])
      .where('tenant_id', '=', tenantId)
      .where('id', 'in', [...new Set(ids)])
      .execute();
  }

  // --- preferences ---------------------------------------------------------------------------

  async preferencesOf(employeeIds: readonly string[]): Promise<Map<string, StoredPreferences>> {
    if (employeeIds.length === 0) return new Map();
    const list = inList('e', [...new Set(employeeIds)]);
    const { rows } = await keptQuery(this.db, `notification_preferences.of:${list.shape}`, list.values, (v) =>
      this.db.selectFrom('notification_preferences').selectAll().where('employee_id', 'in', list.items(v)),
    );
    return new Map(
      rows.map((row) => [
        row.employee_id,
        {
          employeeId: row.employee_id,
          tenantId: row.tenant_id,
          channels: JSON.parse(row.channels) as ChannelChoices,
          digestDaily: row.digest_daily === 1,
          digestHour: row.digest_hour,
          timeZone: row.time_zone,
          chatWebhookUrl: row.chat_webhook_url,
          chatWebhookType: row.chat_webhook_type,
          updatedAt: row.updated_at,
        },
      ]),
    );
  }

  async savePreferences(p: StoredPreferences): Promise<void> {
    const values = {
      channels: JSON.stringify(p.channels),
      digest_daily: p.digestDaily ? 1 : 0,
      digest_hour: p.digestHour,
      time_zone: p.timeZone,
      chat_webhook_url: p.chatWebhookUrl,
      chat_webhook_type: p.chatWebhookType,
      updated_at: p.updatedAt,
    };
    await this.db
      .insertInto('notification_preferences')
      .values({ employee_id: p.employeeId, tenant_id: p.tenantId, ...values })
      .onConflict((oc) => oc.column('employee_id').doUpdateSet(values))
      .execute();
  }

  // --- the tenant's SMTP server --------------------------------------------------------------

  async smtpOf(tenantId: string): Promise<StoredSmtp | undefined> {
    const [row] = (
      await keptQuery(this.db, 'tenant_smtp.of', { tenantId }, (v) =>
        this.db.selectFrom('tenant_smtp').selectAll().where('tenant_id', '=', v.tenantId),
      )
    ).rows;
    return (
      row && {
        tenantId: row.tenant_id,
        host: row.host,
        port: row.port,
        secure: row.secure === 1,
        username: row.username,
        passwordSealed: row.password_sealed,
        fromAddress: row.from_address,
        createdAt: row.created_at,
        updatedAt: row.updated_at,
      }
    );
  }

  async saveSmtp(s: StoredSmtp): Promise<void> {
    const values = {
      host: s.host,
      port: s.port,
      secure: s.secure ? 1 : 0,
      username: s.username,
      password_sealed: s.passwordSealed,
      from_address: s.fromAddress,
      updated_at: s.updatedAt,
    };
    await this.db
      .insertInto('tenant_smtp')
      .values({ tenant_id: s.tenantId, created_at: s.createdAt, ...values })
      .onConflict((oc) => oc.column('tenant_id').doUpdateSet(values))
      .execute();
  }

  async deleteSmtp(tenantId: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('tenant_smtp')
      .where('tenant_id', '=', tenantId)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  /** Everything of a tenant, when the tenant is deleted. */
  async deleteTenant(tenantId: string): Promise<void> {
    await this.db.deleteFrom('notifications').where('tenant_id', '=', tenantId).execute();
    await this.db.deleteFrom('notification_preferences').where('tenant_id', '=', tenantId).execute();
    await this.db.deleteFrom('tenant_smtp').where('tenant_id', '=', tenantId).execute();
  }
}
