import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * The vendor's event encryption (CONTRACT §7a): AES-256-CBC with PKCS#7 padding, the key being
 * SHA-256 of the app's encrypt key, the 16-byte IV prepended, all base64.
 */
export function encryptEvent(encryptKey: string, plaintext: string): string {
  const key = createHash('sha256').update(encryptKey, 'utf8').digest();
  const iv = randomBytes(16);
  const cipher = createCipheriv('aes-256-cbc', key, iv);
  return Buffer.concat([iv, cipher.update(plaintext, 'utf8'), cipher.final()]).toString('base64');
}

export function decryptEvent(encryptKey: string, encrypted: string): string {
  const key = createHash('sha256').update(encryptKey, 'utf8').digest();
  const raw = Buffer.from(encrypted, 'base64');
  const decipher = createDecipheriv('aes-256-cbc', key, raw.subarray(0, 16));
  return Buffer.concat([decipher.update(raw.subarray(16)), decipher.final()]).toString('utf8');
}

/** `X-Lark-Signature`: hex SHA-256 of timestamp + nonce + encrypt key + body. */
export function signature(timestamp: string, nonce: string, encryptKey: string, body: string): string {
  return createHash('sha256')
    .update(timestamp + nonce + encryptKey + body, 'utf8')
    .digest('hex');
}

/** The body and headers of one push: compact JSON, encrypted and signed when the app has a key. */
export function signedBody(
  payload: unknown,
  encryptKey: string | null,
  nowMs: number,
): { body: string; headers: Record<string, string> } {
  const plain = JSON.stringify(payload);
  const timestamp = String(Math.floor(nowMs / 1000));
  const nonce = randomBytes(8).toString('hex');
  const headers: Record<string, string> = {
    'content-type': 'application/json; charset=utf-8',
    'x-lark-request-timestamp': timestamp,
    'x-lark-request-nonce': nonce,
  };
  if (!encryptKey) return { body: plain, headers };
  const body = JSON.stringify({ encrypt: encryptEvent(encryptKey, plain) });
  headers['x-lark-signature'] = signature(timestamp, nonce, encryptKey, body);
  return { body, headers };
}
