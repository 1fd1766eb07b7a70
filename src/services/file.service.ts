import { createHash, randomBytes } from 'node:crypto';
import type { FormField, FormValues } from '../engine/form.js';
import type { ProcessState } from '../engine/process.js';
import { canSeeProcess, hiddenFieldsFor } from '../engine/visibility.js';
import type { FileRecord } from '../store/file.repository.js';
import { repositories, type ServiceContext } from './context.js';
import { checkContentType, sanitiseFileName } from './file-types.js';
import type { FileLookup, StoredFileMeta } from './ports.js';
import type { ProcessService, ProcessView } from './process.service.js';
import type { PersonSession } from './session.service.js';

export interface Upload {
  /** The name the client gave (may carry a path; sanitised here). */
  name: string;
  /** The Content-Type the client declared for the file. */
  declaredType: string;
  bytes: Uint8Array;
}

export type UploadRefusal =
  | { kind: 'invalid_field'; field: string; message: string }
  | { kind: 'unsupported_media_type'; message: string }
  /** The person's uploads that no request names yet would pass their bound. */
  | { kind: 'upload_quota_exceeded'; message: string };

/** The default bound of one person's uploads attached to no request (`--unattached-files-mb`). */
export const DEFAULT_UNATTACHED_FILES_BYTES = 200 * 1024 * 1024;
/** Uploads no request names after this long are deleted (DataRetention). */
export const UNATTACHED_FILE_DAYS = 7;

export type UploadResult = { ok: true; value: StoredFileMeta } | { ok: false; error: UploadRefusal };

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

/** Processes checked per download at most: a file referenced by more is served by the first ones. */
const PROCESSES_CHECKED = 50;

const toMeta = (r: FileRecord): StoredFileMeta => ({
  fileId: r.id,
  tenantId: r.tenantId,
  name: r.name,
  size: r.size,
  contentType: r.contentType,
  uploaderId: r.uploaderId,
  createdAt: r.createdAt,
});

/**
 * Every stored file a process references: file form values (record rows included) and comment
 * attachments. What links a file to a process for downloads (see FileService.referencingProcesses).
 */
export function fileIdsInProcess(form: readonly FormField[], state: ProcessState): Set<string> {
  const ids = new Set<string>();
  const walk = (fields: readonly FormField[], values: FormValues) => {
    for (const field of fields) {
      const value = values[field.apiName];
      if (field.type === 'file' && typeof value === 'object' && 'fileId' in value) ids.add(value.fileId);
      if (field.type === 'record' && Array.isArray(value))
        for (const row of value as FormValues[]) walk(field.subFields ?? [], row);
    }
  };
  walk(form, state.formValues);
  for (const comment of state.comments) {
    // Comment attachments (`files`) arrive with the comments feature; read loosely until then.
    const files = (comment as { files?: readonly { fileId?: unknown }[] }).files ?? [];
    for (const file of files) if (typeof file.fileId === 'string') ids.add(file.fileId);
  }
  return ids;
}

/**
 * Uploaded files: stored with their bytes in the database (several servers on one PostgreSQL serve
 * the same files), served only to the uploader and to people who may see a process that references
 * the file. Everyone else, and every other tenant, hears "not found".
 */
export class FileService implements FileLookup {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly processes: ProcessService,
    private readonly unattachedBytes = DEFAULT_UNATTACHED_FILES_BYTES,
  ) {}

  async upload(session: PersonSession, upload: Upload): Promise<UploadResult> {
    const name = sanitiseFileName(upload.name);
    if (!name.ok)
      return { ok: false, error: { kind: 'invalid_field', field: 'file.name', message: name.reason } };
    if (upload.bytes.length === 0)
      return { ok: false, error: { kind: 'invalid_field', field: 'file', message: 'the file is empty' } };
    const type = checkContentType(upload.declaredType, name.name, upload.bytes);
    if (!type.ok) return { ok: false, error: { kind: 'unsupported_media_type', message: type.reason } };
    // Uploads are kept until a request names them, else a week: one person cannot fill the disk
    // with files nobody will ever see.
    const repos = repositories(this.ctx.db);
    const held = await repos.files.unattachedBytes(session.tenant.id, session.employee.id);
    if (held + upload.bytes.length > this.unattachedBytes)
      return {
        ok: false,
        error: {
          kind: 'upload_quota_exceeded',
          message: `your uploads not attached to any request come to ${mib(held)}; with this file they would pass the limit of ${mib(this.unattachedBytes)}: submit the request or comment that uses them first (uploads left unattached are deleted after ${UNATTACHED_FILE_DAYS} days)`,
        },
      };
    const record: FileRecord = {
      // Random, not time-ordered: a file id must not be guessable from another one.
      id: `file_${randomBytes(16).toString('hex')}`,
      tenantId: session.tenant.id,
      uploaderId: session.employee.id,
      name: name.name,
      size: upload.bytes.length,
      contentType: type.contentType,
      sha256: createHash('sha256').update(upload.bytes).digest('hex'),
      createdAt: this.ctx.clock.now(),
    };
    await repos.files.insert(record, upload.bytes);
    return { ok: true, value: toMeta(record) };
  }

  /** FileLookup: the tenant's files among `fileIds`. */
  async describe(tenantId: string, fileIds: readonly string[]): Promise<Map<string, StoredFileMeta>> {
    const found = await repositories(this.ctx.db).files.describe(tenantId, fileIds);
    return new Map(found.map((r) => [r.id, toMeta(r)]));
  }

  /** The file with its bytes, when the signed-in person may have it; undefined reads as 404. */
  async download(
    session: PersonSession,
    fileId: string,
  ): Promise<{ meta: StoredFileMeta; sha256: string; bytes: Uint8Array } | undefined> {
    const repos = repositories(this.ctx.db);
    const [record] = await repos.files.describe(session.tenant.id, [fileId]);
    if (!record || !(await this.mayRead(session, record))) return undefined;
    const bytes = await repos.files.bytes(session.tenant.id, fileId);
    return bytes && { meta: toMeta(record), sha256: record.sha256, bytes };
  }

  private async mayRead(session: PersonSession, record: FileRecord): Promise<boolean> {
    if (record.uploaderId === session.employee.id) return true;
    const views = await this.referencingProcesses(record.tenantId, record.id);
    const viewer = session.employee.id;
    // Seeing the process is not enough: the file must sit in a field shown to this person (a field
    // hidden at their node hides its file too) or in a comment.
    return views.some((v) => {
      if (!canSeeProcess(v.definition, v.state, viewer)) return false;
      const hidden = hiddenFieldsFor(v.definition, v.state, viewer);
      if (hidden.size === 0) return true;
      const shown = v.definition.form.filter((f) => !hidden.has(f.apiName));
      return fileIdsInProcess(shown, v.state).has(record.id);
    });
  }

  /**
   * The processes that reference the file now. The one place that decides which processes make a
   * file visible: a new kind of reference (a comments table) is added here, or links its files with
   * `repos.files.link` in the transaction that stores it.
   */
  async referencingProcesses(tenantId: string, fileId: string): Promise<ProcessView[]> {
    const ids = await repositories(this.ctx.db).files.processesOf(tenantId, fileId, PROCESSES_CHECKED);
    const views: ProcessView[] = [];
    for (const id of ids) {
      const found = await this.processes.get(tenantId, id);
      // A link outlives an edit that removed the file from the form: the state decides.
      if (found.ok && fileIdsInProcess(found.value.definition.form, found.value.state).has(fileId))
        views.push(found.value);
    }
    return views;
  }
}
