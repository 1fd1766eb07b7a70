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
  const message = FrameType.create({
    SeqID: 0,
    LogID: 0,
    service: frame.service,
    method: frame.method,
    headers: Object.entries(frame.headers).map(([key, value]) => ({ key, value })),
    ...(frame.payload ? { payload: frame.payload } : {}),
  });
  return Buffer.from(FrameType.encode(message).finish());
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
    ...(message.payload ? { payload: Buffer.from(message.payload) } : {}),
  };
}
