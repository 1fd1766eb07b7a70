import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';

/**
 * What the server stores instead of secrets: a keyed hash for what only needs verifying (app secrets,
 * access tokens, the admin token), AES-256-GCM under the master key for what must be recovered
 * (a still-valid token to hand out again, event verification tokens and encrypt keys).
 */
export class SecretBox {
  private readonly encryptionKey: Buffer;
  private readonly hashKey: Buffer;
  /**
   * Sealed text → plain text, for the secrets opened again and again (an app's event verification
   * token and encrypt key, for every round of events sent): AES-GCM set-up was a twentieth of a
   * start's JavaScript time. A sealed text only ever opens to one plain text, so this is never stale.
   */
  private readonly opened = new Map<string, string>();

  constructor(masterKey: Buffer) {
    if (masterKey.length !== 32) throw new RangeError('the master key must be 32 bytes');
    // Separate keys for separate purposes, both derived from the one configured key.
    this.encryptionKey = createHmac('sha256', masterKey).update('peopleflow/encrypt').digest();
    this.hashKey = createHmac('sha256', masterKey).update('peopleflow/hash').digest();
  }

  /** Keyed hash, hex: deterministic, so it can be looked up by equality. */
  hash(secret: string): string {
    return createHmac('sha256', this.hashKey).update(secret, 'utf8').digest('hex');
  }

  /** Constant-time check of a presented secret against a stored hash. */
  verify(secret: string, storedHash: string): boolean {
    return constantTimeEqual(this.hash(secret), storedHash);
  }

  encrypt(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.encryptionKey, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return `v1:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`;
  }

  decrypt(sealed: string): string {
    const known = this.opened.get(sealed);
    if (known !== undefined) return known;
    if (!sealed.startsWith('v1:')) throw new Error('unknown sealed secret format');
    const raw = Buffer.from(sealed.slice(3), 'base64');
    const decipher = createDecipheriv('aes-256-gcm', this.encryptionKey, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    const plain = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    if (this.opened.size >= OPENED_KEPT) this.opened.clear();
    this.opened.set(sealed, plain);
    return plain;
  }
}

/** Opened secrets kept (a few per app); past it the memory starts again empty. */
const OPENED_KEPT = 1024;

export function constantTimeEqual(a: string, b: string): boolean {
  // Compare digests so that neither the content nor the length leaks through timing.
  const da = createHash('sha256').update(a, 'utf8').digest();
  const db = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(da, db) && a.length === b.length;
}

/** A random secret of `bytes` bytes in URL-safe base64 without padding. */
export function randomSecret(bytes = 24): string {
  return randomBytes(bytes).toString('base64url');
}

/** Vendor-looking access token: prefix, then 40 upper-case alphanumerics. */
export function newAccessToken(prefix: 't-' | 'a-'): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  const bytes = randomBytes(40);
  let out = prefix;
  for (const b of bytes) out += alphabet.charAt(b % alphabet.length);
  return out;
}

export function parseMasterKey(text: string): Buffer {
  const trimmed = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(trimmed)
    ? Buffer.from(trimmed, 'hex')
    : Buffer.from(trimmed, 'base64');
  if (key.length !== 32) throw new RangeError('the master key must be 32 bytes, as 64 hex digits or base64');
  return key;
}
