import { randomHex } from './id-generator.js';

/** Request ids in the vendor's shape: UTC yyyyMMddHHmmss then 18 upper-case hex digits. */
export function newLogId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  return `${stamp}${randomHex(9).toUpperCase()}`;
}
