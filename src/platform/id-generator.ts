import { randomFillSync } from 'node:crypto';
import type { Clock } from './clock.js';

/**
 * 19-digit, time-ordered ids (docs/open-api.md), snowflake style:
 *   OFFSET + (ms since EPOCH) << 20 | node << 12 | sequence
 * The offset keeps every id at 19 decimal digits until the 2080s; 8 node bits let up to 256 server
 * processes share one database without collisions, 12 sequence bits give 4096 ids per ms per node.
 */
const OFFSET = 7_000_000_000_000_000_000n;
const EPOCH_MS = Date.UTC(2024, 0, 1);
const NODE_BITS = 8n;
const SEQUENCE_BITS = 12n;
const MAX_SEQUENCE = (1n << SEQUENCE_BITS) - 1n;
export const MAX_NODE_ID = Number((1n << NODE_BITS) - 1n);

export class IdGenerator {
  private lastMs = -1;
  private sequence = 0n;

  constructor(
    private readonly clock: Clock,
    private readonly nodeId = 0,
  ) {
    if (!Number.isInteger(nodeId) || nodeId < 0 || nodeId > MAX_NODE_ID) {
      throw new RangeError(`node id must be an integer from 0 to ${MAX_NODE_ID}`);
    }
  }

  /** A new 19-digit decimal id, strictly greater than every id this generator returned before. */
  next(): string {
    // A clock that steps back (NTP) must not produce an id that sorts before an earlier one.
    let ms = Math.max(this.clock.now() - EPOCH_MS, this.lastMs);
    if (ms === this.lastMs) {
      this.sequence += 1n;
      if (this.sequence > MAX_SEQUENCE) {
        // Borrow the next millisecond rather than spin; ids stay unique and ordered.
        ms += 1;
        this.sequence = 0n;
      }
    } else {
      this.sequence = 0n;
    }
    this.lastMs = ms;
    const value =
      OFFSET +
      (BigInt(ms) << (NODE_BITS + SEQUENCE_BITS)) +
      (BigInt(this.nodeId) << SEQUENCE_BITS) +
      this.sequence;
    return value.toString();
  }
}

/**
 * The smallest id a generator could make at `ms` (epoch milliseconds): every id made before `ms`
 * sorts below it, so `id < firstIdAt(t)` finds what was made before t through the primary key.
 */
export function firstIdAt(ms: number): string {
  const since = BigInt(Math.max(0, Math.floor(ms) - EPOCH_MS));
  return (OFFSET + (since << (NODE_BITS + SEQUENCE_BITS))).toString();
}

// Random bytes are drawn from a pool filled 4 KiB at a time: one call into the CSPRNG per few hundred
// ids instead of one per id (a request makes several: its log id, event ids).
const pool = Buffer.alloc(4096);
let poolOffset = pool.length;

export function randomHex(bytes: number): string {
  if (bytes > pool.length) throw new RangeError(`at most ${pool.length} random bytes at once`);
  if (poolOffset + bytes > pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const hex = pool.toString('hex', poolOffset, poolOffset + bytes);
  poolOffset += bytes;
  return hex;
}

/** open_id: per app, `ou_` + 32 hex (docs/open-api.md). */
export const newOpenId = (): string => `ou_${randomHex(16)}`;
/** union_id: per tenant, `on_` + 32 hex. */
export const newUnionId = (): string => `on_${randomHex(16)}`;
/** open_department_id: `od-` + 32 hex. */
export const newOpenDepartmentId = (): string => `od-${randomHex(16)}`;
/**
 * An event's event_id, 32 hex digits as the vendor's: the delivery's id (time-ordered, unique) in 16 hex
 * digits, then 16 random ones. Ids that grow with time are appended at the end of the unique index
 * that holds them; random ones landed each on a page of its own, which every commit then wrote whole
 * (a third of the pages a leave start wrote to the WAL).
 */
export function newEventId(deliveryId: string): string {
  return BigInt(deliveryId).toString(16).padStart(16, '0') + randomHex(8);
}
/** app_id in the vendor's style: `cli_` + 16 hex. */
export const newAppId = (): string => `cli_${randomHex(8)}`;
