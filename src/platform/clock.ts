/** The only source of "now" outside tests; injected so token expiry and ordering can be tested. */
export interface Clock {
  /** Unix milliseconds. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock that moves only when told to; for tests and replays. */
export class ManualClock implements Clock {
  constructor(private current: number = Date.UTC(2026, 0, 1)) {}
  now(): number {
    return this.current;
  }
  advance(ms: number): void {
    this.current += ms;
  }
  set(ms: number): void {
    this.current = ms;
  }
}

/**
 * The local emulator's clock (`--clock-control`): real time plus an offset that only grows, so an
 * integration can test a three-day timeout in a second. Moving it never goes backwards: tokens,
 * timers and effective dates stay consistent.
 */
export class ControllableClock implements Clock {
  private offset: number;
  constructor(
    offsetMs = 0,
    private readonly real: Clock = systemClock,
  ) {
    this.offset = offsetMs;
  }
  now(): number {
    return this.real.now() + this.offset;
  }
  get offsetMs(): number {
    return this.offset;
  }
  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError('the clock only moves forward');
    this.offset += ms;
  }
}
