import v8 from 'node:v8';

/** How far V8 lets the old space grow past what the last full collection kept, in per cent. */
export const HEAP_GROWING_PERCENT = 50;

/**
 * Bounds the old space's growth between full collections to 1.5× what the last one kept. Left to
 * itself V8 lets a freshly started server's old space grow to about four times its live heap before
 * the first full collection of a load (the server's first minute under 1,000 events/s peaked at 270–275 MB
 * resident, later minutes at 195–220), and settles near 1.3–1.5× once it has measured the load: this
 * makes the first minute behave like the rest (peak 198 MB, CPU per request unchanged in steady state;
 * BENCHMARKS.md). A `--heap-growing-percent` given to Node by the operator wins
 * (`node --heap-growing-percent=100 dist/cli.js serve`).
 */
export function boundHeapGrowth(execArgv: readonly string[] = process.execArgv): boolean {
  // (Node refuses this flag in NODE_OPTIONS: on the command line is the only place an operator sets it.)
  if (execArgv.some((arg) => /^--heap[-_]growing[-_]percent\b/.test(arg))) return false;
  v8.setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  return true;
}
