import type { FlowProblem } from '@contract';
import type { ApprovalTimers, TimerKind, WorkPeriod } from '../api/timers';

/**
 * Node timers count working time (the tenant calendar) and are stored in minutes; people think in
 * minutes, hours or working days. A working day is as long as the calendar's working periods (8 h by
 * default), so "1 working day" is exactly one day of the calendar, whatever its hours.
 */
export type DurationUnit = 'minutes' | 'hours' | 'days';
export const DURATION_UNITS: readonly DurationUnit[] = ['minutes', 'hours', 'days'];

/** The default calendar's day (09:00–12:00, 13:00–18:00); also what a designer assumes when it cannot read the calendar. */
export const DEFAULT_WORKDAY_MINUTES = 8 * 60;

/** Minutes since midnight of "HH:MM" ("24:00" = 1440); undefined when malformed. */
export function clockMinutes(time: string): number | undefined {
  const match = /^([01]\d|2[0-4]):([0-5]\d)$/.exec(time);
  if (!match) return undefined;
  const minutes = Number(match[1]) * 60 + Number(match[2]);
  return minutes <= 24 * 60 ? minutes : undefined;
}

/** The working minutes of one working day; the default day when the periods give none. */
export function workdayMinutes(hours: readonly WorkPeriod[] | undefined): number {
  let total = 0;
  for (const period of hours ?? []) {
    const start = clockMinutes(period.start);
    const end = clockMinutes(period.end);
    if (start !== undefined && end !== undefined && end > start) total += end - start;
  }
  return total > 0 ? total : DEFAULT_WORKDAY_MINUTES;
}

export function unitMinutes(unit: DurationUnit, dayMinutes: number): number {
  return unit === 'days' ? dayMinutes : unit === 'hours' ? 60 : 1;
}

/** The largest unit that says `minutes` exactly (2 880 → 6 days of 8 h; 90 → 90 minutes). */
export function bestUnit(minutes: number, dayMinutes: number): { amount: number; unit: DurationUnit } {
  if (minutes > 0 && minutes % dayMinutes === 0) return { amount: minutes / dayMinutes, unit: 'days' };
  if (minutes > 0 && minutes % 60 === 0) return { amount: minutes / 60, unit: 'hours' };
  return { amount: minutes, unit: 'minutes' };
}

/** An amount of a unit in whole minutes (1.5 h → 90); undefined for no amount. */
export function toMinutes(amount: number | null | undefined, unit: DurationUnit, dayMinutes: number) {
  if (amount === null || amount === undefined || !Number.isFinite(amount)) return undefined;
  return Math.round(amount * unitMinutes(unit, dayMinutes));
}

/** Working days, hours and minutes of a duration, for a sentence ("1 working day 2 h"). */
export function durationParts(
  minutes: number,
  dayMinutes: number,
): { days: number; hours: number; minutes: number } {
  const whole = Math.max(0, Math.round(minutes));
  const days = Math.floor(whole / dayMinutes);
  const rest = whole - days * dayMinutes;
  return { days, hours: Math.floor(rest / 60), minutes: rest % 60 };
}

type Translate = (key: string, options?: Record<string, unknown>) => string;

/**
 * A duration in words through the catalogue's `duration.days|hours|minutes` (plural) keys, largest
 * first and zero parts left out; `duration.none` for nothing.
 */
export function durationText(minutes: number, dayMinutes: number, t: Translate, separator = ' '): string {
  const parts = durationParts(minutes, dayMinutes);
  const words: string[] = [];
  if (parts.days > 0) words.push(t('duration.days', { count: parts.days }));
  if (parts.hours > 0) words.push(t('duration.hours', { count: parts.hours }));
  if (parts.minutes > 0) words.push(t('duration.minutes', { count: parts.minutes }));
  return words.length > 0 ? words.join(separator) : t('duration.none');
}

/** What a timer starts as when switched on: a nudge after a working day, then the steps after it. */
export const NEW_TIMERS: Required<ApprovalTimers> = {
  remind: { after_minutes: DEFAULT_WORKDAY_MINUTES },
  escalate: { after_minutes: 2 * DEFAULT_WORKDAY_MINUTES, action: 'notify_manager' },
  auto: { after_minutes: 5 * DEFAULT_WORKDAY_MINUTES, action: 'transfer_to_admins' },
};

/**
 * The node's timers with one of them replaced (undefined: switched off). No timers at all is no
 * `timers` key (undefined), so a node without timers stays as it was saved.
 */
export function withTimer<K extends TimerKind>(
  timers: ApprovalTimers | undefined,
  kind: K,
  value: ApprovalTimers[K] | undefined,
): ApprovalTimers | undefined {
  const { [kind]: _replaced, ...rest } = timers ?? {};
  const next: ApprovalTimers = value === undefined ? rest : { ...rest, [kind]: value };
  return Object.keys(next).length > 0 ? next : undefined;
}

/**
 * The problems of one node's timers by the path under `timers` (`remind.after_minutes` → its
 * descriptions). The server names the node by its place in the document (`nodes[2].timers…`, with
 * `node_id` pinned) or, in the engine's words, by its id (`nodes[manager].timers…`); both are read.
 */
export function timerProblems(
  problems: readonly FlowProblem[],
  nodeId: string,
  nodeIndex: number,
): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const problem of problems) {
    const match = /^(?:document\.)?nodes\[([^\]]*)\]\.timers(?:\.(.+))?$/.exec(problem.field);
    if (!match) continue;
    const [, at = '', path = ''] = match;
    const isThisNode =
      problem.node_id !== undefined ? problem.node_id === nodeId : at === nodeId || at === String(nodeIndex);
    if (!isThisNode) continue;
    out.set(path, [...(out.get(path) ?? []), problem.description]);
  }
  return out;
}
