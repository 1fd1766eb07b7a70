import type { Executor } from './executor.js';

/** A stored file's metadata (the bytes are read only when downloaded). */
export interface FileRecord {
  id: string;
  tenantId: string;
  uploaderId: string;
  name: string;
  size: number;
  contentType: string;
  sha256: string;
  createdAt: number;
}

const META = [
  'id',
  'tenant_id',
  'uploader_id',
  'name',
  'size',
  'content_type',
  'sha256',
  'created_at',
] as const;

type MetaRow = {
  id: string;
  tenant_id: string;
  uploader_id: string;
  name: string;
  size: number;
  content_type: string;
  sha256: string;
  created_at: number;
};

const toRecord = (row: MetaRow): FileRecord => ({
  id: row.id,
  tenantId: row.tenant_id,
  uploaderId: row.uploader_id,
  name: row.name,
  size: row.size,
  contentType: row.content_type,
  sha256: row.sha256,
  createdAt: row.created_at,
});

/** Uploaded files (bytes in the database) and the processes that reference them. */
export class FileRepository {
  constructor(private readonly db: Executor) {}

  async insert(file: FileRecord, bytes: Uint8Array): Promise<void> {
    await this.db
      .insertInto('files')
      .values({
        id: file.id,
        tenant_id: file.tenantId,
        uploader_id: file.uploaderId,
        name: file.name,
        size: file.size,
        content_type: file.contentType,
        sha256: file.sha256,
        bytes,
        created_at: file.createdAt,
      })
      .execute();
  }

  /** The tenant's files among `ids` (at most 500 asked at once; callers pass a form's worth). */
  async describe(tenantId: string, ids: readonly string[]): Promise<FileRecord[]> {
    if (ids.length === 0) return [];
    const rows = await this.db
      .selectFrom('files')
      .select(META)
      .where('tenant_id', '=', tenantId)
      .where('id', 'in', [...new Set(ids)].slice(0, 500))
      .execute();
    return rows.map(toRecord);
  }

  async bytes(tenantId: string, id: string): Promise<Uint8Array | undefined> {
    const row = await this.db
      .selectFrom('files')
      .select('bytes')
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
    return row?.bytes;
  }

  /**
   * Records that a process references these files; ids that are not the tenant's files are ignored
   * (an Open API value may name a file this server never stored).
   */
  async link(tenantId: string, processId: string, fileIds: readonly string[]): Promise<void> {
    if (fileIds.length === 0) return;
    await this.db
      .insertInto('file_links')
      .columns(['file_id', 'process_id', 'tenant_id'])
      .expression((eb) =>
        eb
          .selectFrom('files')
          .select((s) => ['id', s.cast(s.val(processId), 'text').as('process_id'), 'tenant_id'])
          .where('tenant_id', '=', tenantId)
          .where('id', 'in', [...new Set(fileIds)].slice(0, 500)),
      )
      .onConflict((oc) => oc.columns(['file_id', 'process_id']).doNothing())
      .execute();
  }

  /** The bytes of the person's files that no process references. */
  async unattachedBytes(tenantId: string, uploaderId: string): Promise<number> {
    const row = await this.db
      .selectFrom('files as f')
      .select((eb) => eb.fn.coalesce(eb.fn.sum<number | string>('f.size'), eb.lit(0)).as('bytes'))
      .where('f.tenant_id', '=', tenantId)
      .where('f.uploader_id', '=', uploaderId)
      .where((eb) =>
        eb.not(
          eb.exists(eb.selectFrom('file_links as l').select('l.file_id').whereRef('l.file_id', '=', 'f.id')),
        ),
      )
      .executeTakeFirst();
    return Number(row?.bytes ?? 0);
  }

  /**
   * Deletes up to `limit` files uploaded before `before` that no process references (the retention
   * sweep: an upload nobody submitted), oldest first; returns how many.
   */
  async deleteUnattachedBefore(before: number, limit: number): Promise<number> {
    const result = await this.db
      .deleteFrom('files')
      .where(
        'id',
        'in',
        this.db
          .selectFrom('files as f')
          .select('f.id')
          .where('f.created_at', '<', before)
          .where((eb) =>
            eb.not(
              eb.exists(
                eb.selectFrom('file_links as l').select('l.file_id').whereRef('l.file_id', '=', 'f.id'),
              ),
            ),
          )
          .orderBy('f.created_at')
          .limit(limit),
      )
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  /** Processes that reference the file, oldest link first, at most `limit`. */
  async processesOf(tenantId: string, fileId: string, limit: number): Promise<string[]> {
    const rows = await this.db
      .selectFrom('file_links')
      .select('process_id')
      .where('tenant_id', '=', tenantId)
      .where('file_id', '=', fileId)
      .orderBy('process_id')
      .limit(limit)
      .execute();
    return rows.map((r) => r.process_id);
  }
}
