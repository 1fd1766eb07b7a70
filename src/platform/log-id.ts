import { randomHex } from './id-generator.js';

/** The last second stamped, and its text: a request id is made per request, a second's stamp once. */
let stampedSecond = -1;
let stamp = '';

/** Request ids in the vendor's shape: UTC yyyyMMddHHmmss then 18 upper-case hex digits. */
export function newLogId(now = new Date()): string {
  const second = Math.floor(now.getTime() / 1000);
  if (second !== stampedSecond) {
    stamp = now.toISOString().replace(/[-:T]/g, '').slice(0, 14);
    stampedSecond = second;
  }
  return `${stamp}${randomHex(9).toUpperCase()}`;
}
