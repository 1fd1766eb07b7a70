import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * Password hashing with scrypt (memory-hard, in node:crypto: no native add-on to build). The stored
 * string carries its own parameters — `$scrypt$ln=15,r=8,p=1$<salt>$<hash>` (PHC style, base64 without
 * padding) — so the parameters can be raised later: old hashes still verify, and are re-hashed with
 * the current ones at the person's next sign-in (`needsRehash`).
 */
export interface ScryptParams {
  /** log2 of N, the CPU/memory cost. */
  ln: number;
  r: number;
  p: number;
}

/**
 * N = 2^15, r = 8, p = 1: 32 MiB and one scrypt pass per check (twice Django's and Node's default N).
 * OWASP's figure (2^17 or p = 3 at 2^15) triples the time of every sign-in; with the parameters kept in
 * each hash, raising them later is a one-line change (ADR 0004).
 */
export const CURRENT_PARAMS: ScryptParams = { ln: 15, r: 8, p: 1 };

const SALT_BYTES = 16;
const KEY_BYTES = 32;
/** Bounds on stored parameters, so that a damaged or hostile row cannot make one check take minutes. */
const MAX_LN = 20;
const MAX_R = 32;
const MAX_P = 16;

function derive(password: string, salt: Buffer, params: ScryptParams, keyBytes: number): Promise<Buffer> {
  const N = 2 ** params.ln;
  const options: ScryptOptions = {
    N,
    r: params.r,
    p: params.p,
    // scrypt needs a little over 128·N·r bytes; Node's default ceiling (32 MiB) is too tight for ours.
    maxmem: 128 * N * params.r * 2,
  };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, keyBytes, options, (error, key) => {
      if (error) reject(error);
      else resolve(key);
    });
  });
}

const b64 = (bytes: Buffer) => bytes.toString('base64').replace(/=+$/, '');

export async function hashPassword(password: string, params: ScryptParams = CURRENT_PARAMS): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, params, KEY_BYTES);
  return `$scrypt$ln=${params.ln},r=${params.r},p=${params.p}$${b64(salt)}$${b64(key)}`;
}

interface Parsed {
  params: ScryptParams;
  salt: Buffer;
  key: Buffer;
}

function parse(stored: string): Parsed | undefined {
  const m = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,3}),p=(\d{1,3})\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/.exec(
    stored,
  );
  if (!m) return undefined;
  const params = { ln: Number(m[1]), r: Number(m[2]), p: Number(m[3]) };
  if (
    params.ln < 1 ||
    params.ln > MAX_LN ||
    params.r < 1 ||
    params.r > MAX_R ||
    params.p < 1 ||
    params.p > MAX_P
  )
    return undefined;
  const salt = Buffer.from(m[4] ?? '', 'base64');
  const key = Buffer.from(m[5] ?? '', 'base64');
  if (salt.length < 8 || key.length < 16) return undefined;
  return { params, salt, key };
}

/** Whether `password` matches the stored hash; compared in constant time. A malformed hash never matches. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parse(stored);
  if (!parsed) return false;
  const key = await derive(password, parsed.salt, parsed.params, parsed.key.length);
  return timingSafeEqual(key, parsed.key);
}

/** A hash made with other parameters than today's: re-hash it once the password is known to be right. */
export function needsRehash(stored: string): boolean {
  const parsed = parse(stored);
  return (
    !parsed ||
    parsed.params.ln !== CURRENT_PARAMS.ln ||
    parsed.params.r !== CURRENT_PARAMS.r ||
    parsed.params.p !== CURRENT_PARAMS.p
  );
}

let dummy: Promise<string> | undefined;
/**
 * Spends the time of one check against a hash nobody's password matches: a sign-in for an unknown
 * person, or one without a password, takes as long as a wrong password, so timing tells nothing.
 */
export async function burnVerification(password: string): Promise<void> {
  dummy ??= hashPassword(randomBytes(16).toString('hex'));
  await verifyPassword(password, await dummy);
}

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 200;

/** What is wrong with a new password, or undefined. Lengths count characters (code points), not bytes. */
export function passwordProblem(password: string): string | undefined {
  if (password.includes('\u0000')) return 'must not contain a NUL character';
  // eslint-disable-next-line @typescript-eslint/no-misused-spread -- code points are what is counted
  const length = [...password].length;
  if (length < PASSWORD_MIN) return `must be at least ${PASSWORD_MIN} characters long`;
  if (length > PASSWORD_MAX) return `must be at most ${PASSWORD_MAX} characters long`;
  return undefined;
}
