import type { ControllableClock } from '../platform/clock.js';
import { repositories, type ServiceContext } from './context.js';
import { fail, invalidField, ok, type Result } from './result.js';

const OFFSET_SETTING = 'emulator.clock_offset_ms';
/** One move at most a year: enough for any timer (they are at most a year), and no overflow games. */
export const MAX_ADVANCE_MS = 366 * 24 * 60 * 60 * 1000;

export interface ClockView {
  /** The server's now, Unix ms. */
  now: number;
  /** How far it is ahead of real time. */
  offsetMs: number;
  controllable: boolean;
}

/** The clock offset a previous run of the emulator left, so that time never runs backwards on restart. */
export async function storedClockOffset(ctx: Pick<ServiceContext, 'db'>): Promise<number> {
  const text = await repositories(ctx.db).settings.get(OFFSET_SETTING);
  const offset = Number(text ?? 0);
  return Number.isFinite(offset) && offset > 0 ? offset : 0;
}

/**
 * The local emulator's clock control (docs/timers.md "Clock control"): `POST /admin/v1/clock` moves
 * the server's time forward; timers, effective dates and token expiry follow. Only a server started
 * with `--clock-control` (itself only allowed with `--demo` or `--emulator`) has a controllable clock.
 */
export class EmulatorClockService {
  /** Set by the composition root: runs what became due (the job runner), so the caller sees the effect. */
  moved: (() => Promise<void>) | undefined;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly clock: ControllableClock | undefined,
  ) {}

  view(): ClockView {
    return {
      now: this.ctx.clock.now(),
      offsetMs: this.clock?.offsetMs ?? 0,
      controllable: this.clock !== undefined,
    };
  }

  async advance(ms: unknown): Promise<Result<ClockView>> {
    if (!this.clock)
      return fail(
        'forbidden',
        'clock control is off: it is a feature of the local emulator (start the server with --clock-control and --demo or --emulator)',
      );
    if (typeof ms !== 'number' || !Number.isInteger(ms) || ms < 1 || ms > MAX_ADVANCE_MS)
      return invalidField(
        'advance_ms',
        `a whole number of milliseconds from 1 to ${MAX_ADVANCE_MS} (366 days)`,
      );
    this.clock.advance(ms);
    await repositories(this.ctx.db).settings.set(OFFSET_SETTING, String(this.clock.offsetMs));
    await this.moved?.();
    return ok(this.view());
  }
}
