/** Ticks queued one after another before a server starts; a few thousand are enough (BENCHMARKS.md). */
const WARM_TICKS = 5000;

let warmed: Promise<void> | undefined;

/**
 * Runs `process.nextTick` a few thousand times, once per process, before the server's start-up.
 *
 * Why: Node 20's `nextTick` makes each queued tick an object literal with symbol keys. When its first
 * calls fall in a server's start-up instead — migrations, the demo seed, full collections (full-gc.ts) —
 * V8 ends up adding that literal's properties through its runtime on every call (perf:
 * `Runtime_DefineKeyedOwnPropertyInLiteral`, `JSObject::MigrateToMap`). Measured in `peopleflow serve
 * --demo`, 4 starts of 4: 550–640 ns a tick, against 70–100 ns with this warm-up first (and in a bare
 * Node process). Streams and HTTP queue several ticks a request: with the warm-up `process.get` took 61
 * µs of CPU against 67–70, a start 2 % less (BENCHMARKS.md, twentieth session).
 */
export function warmNextTick(): Promise<void> {
  warmed ??= new Promise((resolve) => {
    let queued = 0;
    const tick = () => {
      if (++queued < WARM_TICKS) process.nextTick(tick);
      else resolve();
    };
    process.nextTick(tick);
  });
  return warmed;
}
