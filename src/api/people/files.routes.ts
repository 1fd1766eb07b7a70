import multipart, { type MultipartFile } from '@fastify/multipart';
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import type { Services } from '../../services/index.js';
import type { StoredFileMeta } from '../../services/ports.js';
import type { HttpApp } from '../http-app.js';
import type { FileRef } from './contract.js';
import { sendPeopleError, sendPeopleProblem } from './reply.js';
import { personOf, type PeopleApiOptions } from './index.js';

export const DEFAULT_FILE_SIZE_LIMIT_BYTES = 20 * 1024 * 1024;

/** Multipart framing around the file (boundaries, part headers): allowed on top of the file limit. */
const FRAMING_BYTES = 64 * 1024;

const FileParams = Type.Object({ file_id: Type.String({ minLength: 1, maxLength: 64 }) });

export const fileRefOf = (meta: StoredFileMeta): FileRef => ({
  file_id: meta.fileId,
  name: meta.name,
  size: meta.size,
  content_type: meta.contentType,
});

const mib = (bytes: number) => `${Math.round((bytes / 1024 / 1024) * 10) / 10} MiB`;

/** `attachment` with the name in both forms: quoted ASCII for old clients, RFC 5987 UTF-8 for the rest. */
function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(name).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

const invalid = (reply: FastifyReply, field: string, description: string) =>
  sendPeopleError(reply, 400, {
    code: 'invalid_field',
    message: `${field} ${description}`,
    violations: [{ field, description }],
  });

/**
 * `POST /files` (multipart/form-data, one part named `file`) → 201 FileRef, and `GET /files/:file_id`
 * → the bytes, as an attachment, to the uploader and to people who may see a process that
 * references the file (404 for everyone else, other tenants included).
 */
export function registerFileRoutes(app: HttpApp, services: Services, options: PeopleApiOptions): void {
  const limit = options.fileSizeLimitBytes ?? DEFAULT_FILE_SIZE_LIMIT_BYTES;
  void app.register(multipart, {
    // The file service sanitises names itself (it also refuses NUL bytes instead of cutting at them).
    preservePath: true,
    limits: { fileSize: limit, files: 1, fields: 10, fieldSize: 1024, parts: 11, headerPairs: 20 },
  });

  app.post('/files', async (request, reply) => {
    const session = personOf(request);
    const tooLarge = () =>
      sendPeopleProblem(reply, 'payload_too_large', `the file is larger than the limit of ${mib(limit)}`);
    if (!request.isMultipart())
      return invalid(reply, 'file', 'must be sent as multipart/form-data with one part named "file"');
    // A declared length far past the limit is refused before reading it; the connection is closed.
    const declared = Number(request.headers['content-length'] ?? 0);
    if (declared > limit + FRAMING_BYTES) {
      void reply.header('connection', 'close');
      return tooLarge();
    }
    let part: MultipartFile | undefined;
    let bytes: Buffer | undefined;
    try {
      part = await request.file();
      if (part?.fieldname === 'file') bytes = await part.toBuffer();
      else part?.file.resume();
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === 'FST_REQ_FILE_TOO_LARGE') return tooLarge();
      if (code === 'FST_FILES_LIMIT' || code === 'FST_PARTS_LIMIT' || code === 'FST_FIELDS_LIMIT')
        return invalid(reply, 'file', 'send one part named "file" and nothing else');
      return invalid(reply, 'file', `the multipart body cannot be read: ${(error as Error).message}`);
    }
    if (!part) return invalid(reply, 'file', 'is required: send one part named "file" with a file name');
    if (bytes === undefined)
      return invalid(reply, 'file', `is required: the part is named "${part.fieldname}", not "file"`);
    const stored = await services.files.upload(session, {
      name: part.filename,
      declaredType: part.mimetype,
      bytes,
    });
    if (!stored.ok) {
      const refusal = stored.error;
      if (refusal.kind === 'invalid_field') return invalid(reply, refusal.field, refusal.message);
      return sendPeopleProblem(reply, refusal.kind, refusal.message);
    }
    return reply.status(201).send(fileRefOf(stored.value));
  });

  app.get('/files/:file_id', { schema: { params: FileParams } }, async (request, reply) => {
    const found = await services.files.download(personOf(request), request.params.file_id);
    if (!found)
      return sendPeopleError(reply, 404, {
        code: 'not_found',
        message: `file ${request.params.file_id} not found`,
      });
    return reply
      .headers({
        'content-type': found.meta.contentType,
        'content-length': String(found.bytes.length),
        'content-disposition': contentDisposition(found.meta.name),
        'x-content-type-options': 'nosniff',
        // Never rendered as a page of ours, even if a browser ignores the attachment.
        'content-security-policy': "default-src 'none'; sandbox",
        'cache-control': 'private, no-cache',
        etag: `"${found.sha256}"`,
      })
      .send(Buffer.from(found.bytes.buffer, found.bytes.byteOffset, found.bytes.byteLength));
  });
}
