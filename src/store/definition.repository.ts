import type { FlowDefinition } from '../engine/definition.js';
import { toPage, type Executor, type Page, type PageRequest } from './executor.js';
import type { FlowDefinitionTable } from './schema.js';

export interface DefinitionRecord {
  id: string;
  tenantId: string;
  enabled: boolean;
  /** 0 until the first publish. */
  latestVersion: number;
  /** The unpublished document, as the admin wrote it. */
  draft: unknown;
  createdAt: number;
  updatedAt: number;
}

export interface PublishedVersion {
  definition: FlowDefinition;
  publishedAt: number;
}

export class DefinitionRepository {
  constructor(private readonly db: Executor) {}

  async insert(record: DefinitionRecord): Promise<void> {
    await this.db
      .insertInto('flow_definitions')
      .values({
        id: record.id,
        tenant_id: record.tenantId,
        enabled: record.enabled ? 1 : 0,
        latest_version: record.latestVersion,
        draft: record.draft === null ? null : JSON.stringify(record.draft),
        created_at: record.createdAt,
        updated_at: record.updatedAt,
      })
      .execute();
  }

  async update(record: DefinitionRecord): Promise<void> {
    await this.db
      .updateTable('flow_definitions')
      .set({
        enabled: record.enabled ? 1 : 0,
        latest_version: record.latestVersion,
        draft: record.draft === null ? null : JSON.stringify(record.draft),
        updated_at: record.updatedAt,
      })
      .where('id', '=', record.id)
      .where('tenant_id', '=', record.tenantId)
      .execute();
  }

  /**
   * Deletes a definition that has never been published; false when it has a published version (a
   * publish committed in between), in which case nothing is deleted.
   */
  async deleteUnpublished(tenantId: string, id: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('flow_definitions')
      .where('id', '=', id)
      .where('tenant_id', '=', tenantId)
      .where('latest_version', '=', 0)
      .executeTakeFirst();
    return Number(result.numDeletedRows) === 1;
  }

  async find(tenantId: string, id: string): Promise<DefinitionRecord | undefined> {
    const row = await this.db
      .selectFrom('flow_definitions')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
    return row && toRecord(row);
  }

  async list(tenantId: string, page: PageRequest): Promise<Page<DefinitionRecord>> {
    let query = this.db
      .selectFrom('flow_definitions')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .orderBy('id')
      .limit(page.pageSize + 1);
    if (page.afterId !== undefined) query = query.where('id', '>', page.afterId);
    return toPage((await query.execute()).map(toRecord), page.pageSize, (d) => d.id);
  }

  async insertVersion(definition: FlowDefinition, publishedAt: number): Promise<void> {
    await this.db
      .insertInto('flow_definition_versions')
      .values({
        definition_id: definition.id,
        version: definition.version,
        body: JSON.stringify(definition),
        published_at: publishedAt,
      })
      .execute();
  }

  async version(id: string, version: number): Promise<PublishedVersion | undefined> {
    const row = await this.db
      .selectFrom('flow_definition_versions')
      .selectAll()
      .where('definition_id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    return row && { definition: JSON.parse(row.body) as FlowDefinition, publishedAt: row.published_at };
  }

  async versions(id: string): Promise<{ version: number; publishedAt: number }[]> {
    const rows = await this.db
      .selectFrom('flow_definition_versions')
      .select(['version', 'published_at'])
      .where('definition_id', '=', id)
      .orderBy('version')
      .execute();
    return rows.map((r) => ({ version: r.version, publishedAt: r.published_at }));
  }
}

function toRecord(row: FlowDefinitionTable): DefinitionRecord {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    enabled: row.enabled === 1,
    latestVersion: row.latest_version,
    draft: row.draft === null ? null : (JSON.parse(row.draft) as unknown),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
