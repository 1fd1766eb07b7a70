import { execSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Clock ticks per second of /proc's CPU counters (100 on Linux almost everywhere). */
const TICKS = (() => {
  try {
    return Number(execSync('getconf CLK_TCK', { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/**
 * CPU seconds (user + system, every thread, dead threads included) a process has used so far. Unlike
 * requests per second, CPU time per request barely moves when this shared machine is slow: it is the
 * benchmarks' primary measure.
 */
export function cpuSecondsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS;
}

/**
 * Bytes the process has had written to storage and through write system calls (Linux `/proc/<pid>/io`):
 * `disk` counts what reached the block layer (the WAL's frames, checkpoints), `written` every
 * write and send (files and sockets alike).
 */
export function ioBytesOf(pid: number): { disk: number; written: number } {
  const io = readFileSync(`/proc/${pid}/io`, 'utf8');
  const field = (name: string) => Number(new RegExp(`^${name}: (\\d+)`, 'm').exec(io)?.[1] ?? 0);
  return { disk: field('write_bytes'), written: field('wchar') };
}

/** Waits until the process is idle (under 5 % of a core over 250 ms), at most `maxMs`. */
export async function settle(pid: number, maxMs = 5000): Promise<void> {
  const end = Date.now() + maxMs;
  let last = cpuSecondsOf(pid);
  while (Date.now() < end) {
    await new Promise((r) => setTimeout(r, 250));
    const now = cpuSecondsOf(pid);
    if (now - last <= 0.0125) return;
    last = now;
  }
}

/**
 * Runs `work` and returns the CPU the process spent on it, including what the work left running after
 * it returned (events still being delivered, jobs): measured until the process is idle again.
 */
export async function withCpu<T>(
  pid: number | undefined,
  work: () => Promise<T>,
): Promise<{ value: T; cpuSeconds: number }> {
  if (pid === undefined) return { value: await work(), cpuSeconds: NaN };
  await settle(pid, 2000);
  const before = cpuSecondsOf(pid);
  const value = await work();
  await settle(pid);
  return { value, cpuSeconds: cpuSecondsOf(pid) - before };
}
