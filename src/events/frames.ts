import protobuf from 'protobufjs';

/** The long connection's frame (pbbp2.Frame, CONTRACT §7b), as the official SDKs encode it. */
const root = protobuf.parse(`
  syntax = "proto2";
  package pbbp2;
  message Header { required string key = 1; required string value = 2; }
  message Frame {
    required uint64 SeqID = 1;
    required uint64 LogID = 2;
    required int32 service = 3;
    required int32 method = 4;
    repeated Header headers = 5;
    optional string payload_encoding = 6;
    optional string payload_type = 7;
    optional bytes payload = 8;
    optional string LogIDNew = 9;
  }
`).root;
const FrameType = root.lookupType('pbbp2.Frame');

export const FRAME_CONTROL = 0;
export const FRAME_DATA = 1;

export interface Frame {
  service: number;
  method: number;
  headers: Record<string, string>;
  payload?: Buffer;
}

export function encodeFrame(frame: Frame): Buffer {
  // A plain object is encoded as it is (no message instance made first); Node's protobufjs writer
  // already returns a Buffer, so it is not copied.
  const headers: { key: string; value: string }[] = [];
  for (const key in frame.headers) headers.push({ key, value: frame.headers[key] ?? '' });
  const bytes = FrameType.encode({
    SeqID: 0,
    LogID: 0,
    service: frame.service,
    method: frame.method,
    headers,
    ...(frame.payload ? { payload: frame.payload } : {}),
  }).finish();
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Decodes a frame; throws on anything that is not a well-formed pbbp2.Frame. */
export function decodeFrame(data: Buffer): Frame {
  const message = FrameType.decode(data) as unknown as {
    service: number;
    method: number;
    headers?: { key: string; value: string }[];
    payload?: Uint8Array;
  };
  const headers: Record<string, string> = {};
  for (const h of message.headers ?? []) headers[h.key] = h.value;
  return {
    service: message.service,
    method: message.method,
    headers,
    // Node's reader gives the bytes as a Buffer over `data` already: kept, not copied. (An absent payload
    // reads as the message type's default, an empty array.)
    ...(message.payload
      ? { payload: Buffer.isBuffer(message.payload) ? message.payload : Buffer.from(message.payload) }
      : {}),
  };
}
