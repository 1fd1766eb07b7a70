import { createHash } from 'node:crypto';
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import type { Page, PageRequest } from '../store/executor.js';
import { sendFailure } from './reply.js';

/** Query fields every admin list takes. */
export const PageQuery = {
  page_size: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 50 })),
  page_token: Type.Optional(Type.String({ maxLength: 200 })),
};

const TOKEN_PREFIX = 'p1:';

/** Opaque keyset cursor: the last id of the previous page. */
export function encodePageToken(afterId: string): string {
  return Buffer.from(`${TOKEN_PREFIX}${afterId}`, 'utf8').toString('base64url');
}

/** `undefined` for a token we did not issue (the caller answers 400 on page_token). */
export function decodePageToken(token: string): string | undefined {
  const text = Buffer.from(token, 'base64url').toString('utf8');
  if (!text.startsWith(TOKEN_PREFIX)) return undefined;
  const id = text.slice(TOKEN_PREFIX.length);
  return /^\d{1,19}$/.test(id) ? id : undefined;
}

export function pageJson<T>(page: Page<T>, render: (item: T) => unknown, listKey = 'items') {
  return {
    [listKey]: page.items.map(render),
    has_more: page.nextAfterId !== undefined,
    ...(page.nextAfterId !== undefined ? { page_token: encodePageToken(page.nextAfterId) } : {}),
  };
}

/** Turns `page_size`/`page_token` into a keyset request, or answers 400 for a token we did not issue. */
export function pageRequest(
  query: { page_size?: number | undefined; page_token?: string | undefined },
  reply: FastifyReply,
): PageRequest | undefined {
  const pageSize = query.page_size ?? 50;
  if (query.page_token === undefined || query.page_token === '') return { pageSize };
  const afterId = decodePageToken(query.page_token);
  if (afterId === undefined) {
    sendFailure(reply, {
      kind: 'invalid_field',
      message: 'page_token: not a token this server issued',
      violations: [{ field: 'page_token', description: 'not a token this server issued' }],
    });
    return undefined;
  }
  return { pageSize, afterId };
}

/**
 * A cursor bound to the query it was issued for: reusing it with other filters is refused, like a
 * forged one. `afterId` is where the previous page ended — its last id, or another keyset position
 * that `position` (when decoding) describes.
 */
export function encodeBoundCursor(afterId: string, query: string): string {
  return Buffer.from(JSON.stringify({ v: 1, a: afterId, q: queryHash(query) }), 'utf8').toString('base64url');
}

export function decodeBoundCursor(
  token: string,
  query: string,
  position: RegExp = /^\d{1,19}$/,
): string | undefined {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as {
      v?: unknown;
      a?: unknown;
      q?: unknown;
    };
    if (
      parsed.v !== 1 ||
      typeof parsed.a !== 'string' ||
      !position.test(parsed.a) ||
      parsed.q !== queryHash(query)
    )
      return undefined;
    return parsed.a;
  } catch {
    return undefined;
  }
}

function queryHash(query: string): string {
  return createHash('sha256').update(query).digest('base64url').slice(0, 12);
}
