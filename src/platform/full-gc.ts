import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * Runs one full garbage collection now.
 *
 * Why, once, before the server listens: compiling the routes' schemas fills V8's table of shape
 * transitions from the empty object (at most 1,536 entries) with the throw-away objects of the schema
 * compiler. Until a full collection clears those dead entries, every object built key by key gets a
 * shape of its own, and optimised code that expects shared shapes keeps being thrown away and compiled
 * again.
 */
export function collectGarbageNow(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}
