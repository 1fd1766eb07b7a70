import { DateTime, IANAZone } from 'luxon';

/**
 * A tenant's working-time calendar: timers on approval nodes ("remind after 8 working hours") count
 * only the time inside it. Pure: it converts wall-clock periods of a time zone to instants (Luxon,
 * through the runtime's time-zone data) and never reads the clock.
 */
export interface WorkCalendar {
  /** IANA time zone the hours and dates are in, e.g. "Asia/Shanghai". */
  timeZone: string;
  /** ISO weekdays that are working days: 1 = Monday … 7 = Sunday. */
  workDays: number[];
  /** Working periods of a working day, wall-clock "HH:MM" (end may be "24:00"), sorted, not overlapping. */
  hours: WorkPeriod[];
  /** Days off on what would be working days (public holidays), as inclusive date ranges. */
  holidays: Holiday[];
  /** Make-up working days (调休) on what would be days off, "YYYY-MM-DD". */
  extraWorkdays: string[];
}

export interface WorkPeriod {
  start: string;
  end: string;
}

export interface Holiday {
  /** "YYYY-MM-DD", inclusive. */
  start: string;
  /** "YYYY-MM-DD", inclusive; equal to start for a one-day holiday. */
  end: string;
  name?: string;
}

/** Monday to Friday, 09:00–12:00 and 13:00–18:00 in Beijing time: what a tenant gets until set. */
export const DEFAULT_CALENDAR: WorkCalendar = {
  timeZone: 'Asia/Shanghai',
  workDays: [1, 2, 3, 4, 5],
  hours: [
    { start: '09:00', end: '12:00' },
    { start: '13:00', end: '18:00' },
  ],
  holidays: [],
  extraWorkdays: [],
};

export const CALENDAR_LIMITS = {
  periodsPerDay: 6,
  holidays: 500,
  extraWorkdays: 200,
  holidayNameLength: 100,
  /** The longest stretch of days a holiday range may cover. */
  holidayDays: 366,
  /** How far ahead a sum of working time is searched before the calendar is called empty. */
  searchDays: 3 * 366,
} as const;

export interface CalendarProblem {
  /** The request field at fault, e.g. "hours[1].end" or "holidays[3]". */
  field: string;
  message: string;
}

const TIME = /^([01]\d|2[0-4]):([0-5]\d)$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Minutes since midnight of "HH:MM" ("24:00" = 1440); undefined when malformed. */
function minutesOf(time: string): number | undefined {
  const match = TIME.exec(time);
  if (!match) return undefined;
  const minutes = Number(match[1]) * 60 + Number(match[2]);
  return minutes <= 24 * 60 ? minutes : undefined;
}

function validDate(date: string): boolean {
  return DATE.test(date) && DateTime.fromISO(date, { zone: 'UTC' }).isValid;
}

/** Every problem of a calendar, each naming its field; empty when the calendar can be used. */
export function validateCalendar(calendar: WorkCalendar): CalendarProblem[] {
  const problems: CalendarProblem[] = [];
  const add = (field: string, message: string) => problems.push({ field, message });

  if (!IANAZone.isValidZone(calendar.timeZone))
    add('time_zone', `unknown time zone "${calendar.timeZone}": use an IANA name such as Asia/Shanghai`);

  const days = new Set<number>();
  calendar.workDays.forEach((day, i) => {
    if (!Number.isInteger(day) || day < 1 || day > 7)
      add(`work_days[${i}]`, 'a weekday is 1 (Monday) to 7 (Sunday)');
    else if (days.has(day)) add(`work_days[${i}]`, `weekday ${day} is listed twice`);
    days.add(day);
  });
  if (calendar.workDays.length === 0) add('work_days', 'at least one working day is needed');

  if (calendar.hours.length === 0) add('hours', 'at least one working period is needed');
  if (calendar.hours.length > CALENDAR_LIMITS.periodsPerDay)
    add('hours', `at most ${CALENDAR_LIMITS.periodsPerDay} working periods a day`);
  let previousEnd = -1;
  calendar.hours.forEach((period, i) => {
    const start = minutesOf(period.start);
    const end = minutesOf(period.end);
    if (start === undefined) add(`hours[${i}].start`, 'a time is "HH:MM", 00:00 to 24:00');
    if (end === undefined) add(`hours[${i}].end`, 'a time is "HH:MM", 00:00 to 24:00');
    if (start === undefined || end === undefined) return;
    if (end <= start)
      add(`hours[${i}].end`, `the period ends (${period.end}) before it starts (${period.start})`);
    else if (start < previousEnd)
      add(`hours[${i}].start`, 'working periods are in order and do not overlap the one before');
    previousEnd = Math.max(previousEnd, end);
  });

  if (calendar.holidays.length > CALENDAR_LIMITS.holidays)
    add('holidays', `at most ${CALENDAR_LIMITS.holidays} holidays`);
  const ranges: { start: string; end: string; index: number }[] = [];
  calendar.holidays.forEach((holiday, i) => {
    if (!validDate(holiday.start)) add(`holidays[${i}].start`, 'a date is "YYYY-MM-DD"');
    if (!validDate(holiday.end)) add(`holidays[${i}].end`, 'a date is "YYYY-MM-DD"');
    if ((holiday.name?.length ?? 0) > CALENDAR_LIMITS.holidayNameLength)
      add(`holidays[${i}].name`, `at most ${CALENDAR_LIMITS.holidayNameLength} characters`);
    if (!validDate(holiday.start) || !validDate(holiday.end)) return;
    if (holiday.end < holiday.start) add(`holidays[${i}].end`, 'the holiday ends before it starts');
    else if (daysBetween(holiday.start, holiday.end) >= CALENDAR_LIMITS.holidayDays)
      add(`holidays[${i}].end`, `a holiday covers at most ${CALENDAR_LIMITS.holidayDays} days`);
    else ranges.push({ start: holiday.start, end: holiday.end, index: i });
  });
  ranges.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  for (let i = 1; i < ranges.length; i++) {
    const before = ranges[i - 1] as (typeof ranges)[number];
    const range = ranges[i] as (typeof ranges)[number];
    if (range.start <= before.end)
      add(
        `holidays[${Math.max(range.index, before.index)}]`,
        `holidays ${before.start}–${before.end} and ${range.start}–${range.end} overlap`,
      );
  }

  if (calendar.extraWorkdays.length > CALENDAR_LIMITS.extraWorkdays)
    add('extra_workdays', `at most ${CALENDAR_LIMITS.extraWorkdays} make-up working days`);
  const seen = new Set<string>();
  calendar.extraWorkdays.forEach((date, i) => {
    if (!validDate(date)) add(`extra_workdays[${i}]`, 'a date is "YYYY-MM-DD"');
    else if (seen.has(date)) add(`extra_workdays[${i}]`, `${date} is listed twice`);
    else if (ranges.some((r) => r.start <= date && date <= r.end))
      add(`extra_workdays[${i}]`, `${date} is inside a holiday: a day cannot be both`);
    seen.add(date);
  });
  return problems;
}

function daysBetween(start: string, end: string): number {
  return DateTime.fromISO(end, { zone: 'UTC' }).diff(DateTime.fromISO(start, { zone: 'UTC' }), 'days').days;
}

/**
 * A validated calendar prepared for arithmetic: holiday and make-up days as sets of dates, periods as
 * minutes. Build once per calendar change, use for every timer.
 */
export class WorkingTime {
  private readonly holidays = new Set<string>();
  private readonly extraWorkdays: Set<string>;
  private readonly workDays: Set<number>;
  private readonly periods: { start: number; end: number }[];
  private readonly zone: IANAZone;

  constructor(readonly calendar: WorkCalendar) {
    const problems = validateCalendar(calendar);
    if (problems.length > 0)
      throw new Error(`invalid calendar: ${problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`);
    this.zone = IANAZone.create(calendar.timeZone);
    this.workDays = new Set(calendar.workDays);
    this.extraWorkdays = new Set(calendar.extraWorkdays);
    this.periods = calendar.hours.map((p) => ({
      start: minutesOf(p.start) as number,
      end: minutesOf(p.end) as number,
    }));
    for (const holiday of calendar.holidays) {
      let day = DateTime.fromISO(holiday.start, { zone: 'UTC' });
      const last = DateTime.fromISO(holiday.end, { zone: 'UTC' });
      while (day <= last) {
        this.holidays.add(day.toISODate() as string);
        day = day.plus({ days: 1 });
      }
    }
  }

  /** Whether a local date ("YYYY-MM-DD", at midnight in the zone) is a working day. */
  /** The instant a calendar date ("YYYY-MM-DD") begins in the tenant's zone: when an effective date takes effect. */
  startOfDate(date: string): number {
    return DateTime.fromISO(date, { zone: this.zone }).startOf('day').toMillis();
  }

  isWorkingDay(day: DateTime): boolean {
    const date = day.toISODate() as string;
    if (this.extraWorkdays.has(date)) return true;
    if (this.holidays.has(date)) return false;
    return this.workDays.has(day.weekday);
  }

  /** The working intervals [start, end) in epoch ms of one local day. */
  private intervalsOf(day: DateTime): [number, number][] {
    if (!this.isWorkingDay(day)) return [];
    return this.periods.map(({ start, end }) => [wallClock(day, start), wallClock(day, end)]);
  }

  private dayOf(instant: number): DateTime {
    return DateTime.fromMillis(instant, { zone: this.zone }).startOf('day');
  }

  /** Whether the instant falls inside a working period. */
  isWorkingTime(instant: number): boolean {
    return this.intervalsOf(this.dayOf(instant)).some(([start, end]) => start <= instant && instant < end);
  }

  /**
   * The instant at which `duration` ms of working time have passed since `from`. A zero duration
   * gives `from` itself. Undefined when the calendar holds no working time for years ahead (every
   * day a holiday), so a timer is never set to fire at a made-up time.
   */
  addWorkingTime(from: number, duration: number): number | undefined {
    if (duration <= 0) return from;
    let left = duration;
    let day = this.dayOf(from);
    for (let i = 0; i < CALENDAR_LIMITS.searchDays; i++) {
      for (const [start, end] of this.intervalsOf(day)) {
        const begin = Math.max(start, from);
        if (begin >= end) continue;
        if (end - begin >= left) return begin + left;
        left -= end - begin;
      }
      day = day.plus({ days: 1 }).startOf('day');
    }
    return undefined;
  }

  /** Working time, in ms, inside [from, to). */
  workingTimeBetween(from: number, to: number): number {
    let total = 0;
    let day = this.dayOf(from);
    while (day.toMillis() < to) {
      for (const [start, end] of this.intervalsOf(day)) {
        const begin = Math.max(start, from);
        const finish = Math.min(end, to);
        if (finish > begin) total += finish - begin;
      }
      day = day.plus({ days: 1 }).startOf('day');
    }
    return total;
  }
}

/**
 * The instant of a wall-clock time (minutes since midnight, 1440 = the next midnight) on a local day.
 * Set, not added: on a day a DST change shortens, 09:00 is still 09:00. A wall time the change skips
 * moves forward; a repeated one takes the earlier instant.
 */
function wallClock(day: DateTime, minutes: number): number {
  if (minutes >= 24 * 60) return day.plus({ days: 1 }).startOf('day').toMillis();
  return day.set({ hour: Math.floor(minutes / 60), minute: minutes % 60 }).toMillis();
}
