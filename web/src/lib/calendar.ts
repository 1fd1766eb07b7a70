import type { WorkCalendar } from '../api/timers';
import { clockMinutes } from './timers';

/**
 * The working-calendar page's pure parts: where the server's violations go, the page's own quick
 * checks, the time zones offered, and job times.
 */

export interface Violation {
  field: string;
  description: string;
}

/**
 * The per-field violations of a refused save: the people API's `violations`, or `field_violations`
 * (the admin API's name for them) when that is what came.
 */
export function violationsOf(error: unknown): Violation[] {
  if (!error || typeof error !== 'object') return [];
  const lists: unknown[] = [];
  if ('violations' in error) lists.push(error.violations);
  if ('details' in error && error.details && typeof error.details === 'object') {
    const details = error.details as Record<string, unknown>;
    lists.push(details.field_violations);
  }
  const out: Violation[] = [];
  const seen = new Set<string>();
  for (const list of lists) {
    if (!Array.isArray(list)) continue;
    for (const item of list as { field?: unknown; description?: unknown }[]) {
      if (typeof item.field !== 'string' || typeof item.description !== 'string') continue;
      const key = `${item.field}\n${item.description}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ field: item.field, description: item.description });
    }
  }
  return out;
}

/**
 * Each violation on the control that shows it: `time_zone`, `work_days`, `hours`, `hours[i]` (the
 * row), `hours[i].start|end`, `holidays`, `holidays[i]` (its range; `.start`/`.end` land there too),
 * `holidays[i].name`, `extra_workdays`, `extra_workdays[i]`. Anything else, or a row the page no
 * longer has, is `elsewhere` (said above the form).
 */
export function placeCalendarViolations(
  violations: readonly Violation[],
  calendar: WorkCalendar,
): { byField: Map<string, string[]>; elsewhere: Violation[] } {
  const byField = new Map<string, string[]>();
  const elsewhere: Violation[] = [];
  const put = (field: string, description: string) => {
    byField.set(field, [...(byField.get(field) ?? []), description]);
  };
  for (const violation of violations) {
    const field = violation.field.replace(/^(body|calendar)\./, '');
    const at = controlOf(field, calendar);
    if (at === undefined) elsewhere.push(violation);
    else put(at, violation.description);
  }
  return { byField, elsewhere };
}

function controlOf(field: string, calendar: WorkCalendar): string | undefined {
  if (field === 'time_zone') return field;
  if (/^work_days(\[\d+\])?$/.test(field)) return 'work_days';
  if (field === 'hours' || field === 'holidays' || field === 'extra_workdays') return field;
  let match = /^hours\[(\d+)\](?:\.(start|end))?$/.exec(field);
  if (match) {
    const index = Number(match[1]);
    if (index >= calendar.hours.length) return undefined;
    return match[2] ? `hours[${index}].${match[2]}` : `hours[${index}]`;
  }
  match = /^holidays\[(\d+)\](?:\.(start|end|name))?$/.exec(field);
  if (match) {
    const index = Number(match[1]);
    if (index >= calendar.holidays.length) return undefined;
    return match[2] === 'name' ? `holidays[${index}].name` : `holidays[${index}]`;
  }
  match = /^extra_workdays\[(\d+)\]$/.exec(field);
  if (match) return Number(match[1]) < calendar.extra_workdays.length ? field : undefined;
  return undefined;
}

/** Problems the page sees before asking the server: a malformed time, a period that ends before it starts. */
export function localCalendarProblems(calendar: WorkCalendar): Violation[] {
  const out: Violation[] = [];
  calendar.hours.forEach((period, i) => {
    const start = clockMinutes(period.start);
    const end = clockMinutes(period.end);
    if (start === undefined) out.push({ field: `hours[${i}].start`, description: 'time' });
    if (end === undefined) out.push({ field: `hours[${i}].end`, description: 'time' });
    if (start !== undefined && end !== undefined && end <= start)
      out.push({ field: `hours[${i}].end`, description: 'end_before_start' });
  });
  calendar.holidays.forEach((holiday, i) => {
    if (!holiday.start || !holiday.end) out.push({ field: `holidays[${i}]`, description: 'range' });
  });
  calendar.extra_workdays.forEach((day, i) => {
    if (!day) out.push({ field: `extra_workdays[${i}]`, description: 'day' });
  });
  return out;
}

/** What is sent: names trimmed (an empty one left out), work days in order and once each. */
export function calendarToSend(calendar: WorkCalendar): WorkCalendar {
  return {
    time_zone: calendar.time_zone.trim(),
    work_days: [...new Set(calendar.work_days)].sort((a, b) => a - b),
    hours: calendar.hours.map((p) => ({ start: p.start.trim(), end: p.end.trim() })),
    holidays: calendar.holidays.map((h) => {
      const name = h.name?.trim();
      return { start: h.start, end: h.end, ...(name ? { name } : {}) };
    }),
    extra_workdays: calendar.extra_workdays,
  };
}

/** Time zones most tenants pick; any other IANA name can be typed. */
export const COMMON_TIME_ZONES = [
  'Asia/Shanghai',
  'Asia/Hong_Kong',
  'Asia/Taipei',
  'Asia/Singapore',
  'Asia/Tokyo',
  'Asia/Seoul',
  'Asia/Kolkata',
  'Asia/Dubai',
  'Australia/Sydney',
  'Europe/London',
  'Europe/Berlin',
  'Europe/Paris',
  'America/New_York',
  'America/Chicago',
  'America/Los_Angeles',
  'America/Sao_Paulo',
  'UTC',
] as const;

/** A job's `due_at` (Unix milliseconds as text) as an ISO instant; undefined when it is not a time. */
export function unixMsToIso(value: string | number | null | undefined): string | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  const ms = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(ms)) return undefined;
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}
