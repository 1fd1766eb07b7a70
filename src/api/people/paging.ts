import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { decodeBoundCursor, encodeBoundCursor } from '../pagination.js';
import { sendPeopleError } from './reply.js';

/** A search box's text. */
export const SearchText = Type.String({ maxLength: 200 });
export const PageTokenQuery = Type.String({ maxLength: 1000 });

/** Any position string the services hand out (bounded; the cursor is bound to its query). */
const ANY_POSITION = /^[\s\S]{1,600}$/;

/** An opaque page token: where the previous page ended, bound to the query it was issued for. */
export const encodePeopleCursor = (position: string, query: string) => encodeBoundCursor(position, query);

/**
 * The position a page token names; undefined without a token; null after answering 400 for a token
 * this server did not issue for this query (a forged one, or one from other filters).
 */
export function decodePeopleCursor(
  reply: FastifyReply,
  token: string | undefined,
  query: string,
): string | undefined | null {
  if (token === undefined || token === '') return undefined;
  const position = decodeBoundCursor(token, query, ANY_POSITION);
  if (position !== undefined) return position;
  void sendPeopleError(reply, 400, {
    code: 'invalid_field',
    message: 'page_token: not a token this server issued for this query',
    violations: [{ field: 'page_token', description: 'not a token this server issued for this query' }],
  });
  return null;
}
