import type { FlowDefinition } from '../engine/definition.js';
import { toPage, type Executor, type Page, type PageRequest } from './executor.js';
import type { Selectable } from 'kysely';
import type { FlowDefinitionTable } from './schema.js';
import { keptQuery } from './kept-query.js';

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
  /** Raised by every draft save and publish: a save made against an older one is stale. */
  draftRevision: number;
  /** Employee id of whoever saved the draft last (null: the admin API). */
  draftUpdatedBy: string | null;
  draftUpdatedAt: number | null;
}

export interface PublishedVersion {
  definition: FlowDefinition;
  publishedAt: number;
  /** Employee id of the publisher (null: the admin API). */
  publishedBy: string | null;
}

export interface VersionEntry {
  version: number;
  publishedAt: number;
  publishedBy: string | null;
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
        draft_revision: record.draftRevision,
        draft_updated_by: record.draftUpdatedBy,
        draft_updated_at: record.draftUpdatedAt,
      })
      .execute();
  }

  async update(record: DefinitionRecord): Promise<void> {
    await this.updateIf(record);
  }

  /**
   * Writes the record when the stored draft revision is still `expectedRevision` (compare and set:
   * of two saves made against the same revision, one wins); false when it was not, and nothing changed.
   */
  async updateIfRevision(record: DefinitionRecord, expectedRevision: number): Promise<boolean> {
    return this.updateIf(record, expectedRevision);
  }

  private async updateIf(record: DefinitionRecord, expectedRevision?: number): Promise<boolean> {
    let query = this.db
      .updateTable('flow_definitions')
      .set({
        enabled: record.enabled ? 1 : 0,
        latest_version: record.latestVersion,
        draft: record.draft === null ? null : JSON.stringify(record.draft),
        updated_at: record.updatedAt,
        draft_revision: record.draftRevision,
        draft_updated_by: record.draftUpdatedBy,
        draft_updated_at: record.draftUpdatedAt,
      })
      .where('id', '=', record.id)
      .where('tenant_id', '=', record.tenantId);
    if (expectedRevision !== undefined) query = query.where('draft_revision', '=', expectedRevision);
    const result = await query.executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** In-progress processes per definition (of those given), for the console's flow list. */
  async runningCounts(tenantId: string, ids: string[]): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    if (ids.length === 0) return counts;
    const rows = await this.db
      .selectFrom('processes')
      .select(['definition_id', (eb) => eb.fn.countAll<number | string | bigint>().as('running')])
      .where('tenant_id', '=', tenantId)
      .where('definition_id', 'in', ids)
      .where('status', 'in', ['in_progress', 'revoking'])
      .groupBy('definition_id')
      .execute();
    for (const row of rows) counts.set(row.definition_id, Number(row.running));
    return counts;
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

  /** Whether a definition may start processes, and which version: without its draft (on every start). */
  async startState(
    tenantId: string,
    id: string,
  ): Promise<{ enabled: boolean; latestVersion: number } | undefined> {
    const [row] = (
      await keptQuery(this.db, 'flow_definitions.startState', { tenantId, id }, (v) =>
        this.db
          .selectFrom('flow_definitions')
          .select(['enabled', 'latest_version'])
          .where('tenant_id', '=', v.tenantId)
          .where('id', '=', v.id),
      )
    ).rows;
    return row && { enabled: row.enabled === 1, latestVersion: row.latest_version };
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

  async insertVersion(
    definition: FlowDefinition,
    publishedAt: number,
    publishedBy: string | null = null,
  ): Promise<void> {
    await this.db
      .insertInto('flow_definition_versions')
      .values({
        definition_id: definition.id,
        version: definition.version,
        body: JSON.stringify(definition),
        published_at: publishedAt,
        published_by: publishedBy,
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
    return (
      row && {
        definition: JSON.parse(row.body) as FlowDefinition,
        publishedAt: row.published_at,
        publishedBy: row.published_by,
      }
    );
  }

  async versions(id: string): Promise<VersionEntry[]> {
    const rows = await this.db
      .selectFrom('flow_definition_versions')
      .select(['version', 'published_at', 'published_by'])
      .where('definition_id', '=', id)
      .orderBy('version')
      .execute();
    return rows.map((r) => ({
      version: r.version,
      publishedAt: r.published_at,
      publishedBy: r.published_by,
    }));
  }
}

function toRecord(row: Selectable<FlowDefinitionTable>): DefinitionRecord {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    enabled: row.enabled === 1,
    latestVersion: row.latest_version,
    draft: row.draft === null ? null : (JSON.parse(row.draft) as unknown),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    draftRevision: row.draft_revision,
    draftUpdatedBy: row.draft_updated_by,
    draftUpdatedAt: row.draft_updated_at,
  };
}
