import type { FastifyReply } from 'fastify';
import type { Failure, Result } from '../services/result.js';
import { ERROR_CATALOGUE, errorBody } from './errors.js';

/** `{code:0,msg:"success",data}`: the vendor's success envelope. */
export function sendData(reply: FastifyReply, data: unknown): FastifyReply {
  return reply.send({ code: 0, msg: 'success', data });
}

/** The success envelope as JSON text, to send now and again later (ReadCache). */
export function renderData(data: unknown): string {
  return JSON.stringify({ code: 0, msg: 'success', data });
}

/** A body rendered by renderData (or any JSON text, or its UTF-8 bytes), sent as it is. */
export function sendRendered(reply: FastifyReply, json: string | Buffer): FastifyReply {
  return reply.type('application/json; charset=utf-8').send(json);
}

export function sendFailure(reply: FastifyReply, failure: Failure): FastifyReply {
  if (failure.headers) void reply.headers(failure.headers);
  return reply.status(ERROR_CATALOGUE[failure.kind].status).send(errorBody(failure, reply.request.id));
}

/** Sends `render(value)` on success, the catalogued error otherwise. */
export function sendResult<T>(
  reply: FastifyReply,
  result: Result<T>,
  render: (value: T) => unknown,
): FastifyReply {
  return result.ok ? sendData(reply, render(result.value)) : sendFailure(reply, result.error);
}
