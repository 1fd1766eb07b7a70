import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DEFAULT_CALENDAR, validateCalendar, WorkingTime, type WorkCalendar } from './calendar.js';

const HOUR = 3_600_000;
const at = (iso: string) => Date.parse(iso);

const beijing = new WorkingTime({
  ...DEFAULT_CALENDAR,
  holidays: [{ start: '2026-10-01', end: '2026-10-07', name: '国庆节' }],
  extraWorkdays: ['2026-10-10'],
});

test('eight working hours from Friday 16:00 Beijing time end on Monday 16:00 (lunch and weekend left out)', () => {
  // Friday 16:00–18:00 = 2 h; Monday 09:00–12:00 = 3 h (5); 13:00–16:00 = 3 h (8) → Monday 16:00.
  const due = beijing.addWorkingTime(at('2026-11-20T16:00:00+08:00'), 8 * HOUR);
  assert.equal(new Date(due as number).toISOString(), '2026-11-23T08:00:00.000Z');
});

test('a timer set in the night starts counting at 09:00', () => {
  const due = beijing.addWorkingTime(at('2026-11-24T02:00:00+08:00'), HOUR);
  assert.equal(new Date(due as number).toISOString(), '2026-11-24T02:00:00.000Z'); // 10:00 Beijing
});

test('public holidays are skipped and a make-up Saturday counts', () => {
  // Wednesday 30 September 17:00: one hour that day, then the Golden Week off, then Thursday 8 October.
  const due = beijing.addWorkingTime(at('2026-09-30T17:00:00+08:00'), 2 * HOUR);
  assert.equal(new Date(due as number).toISOString(), '2026-10-08T02:00:00.000Z'); // 8 Oct 10:00
  assert.equal(beijing.isWorkingTime(at('2026-10-10T10:00:00+08:00')), true, 'make-up Saturday');
  assert.equal(beijing.isWorkingTime(at('2026-10-05T10:00:00+08:00')), false, 'holiday Monday');
  assert.equal(beijing.isWorkingTime(at('2026-11-24T12:30:00+08:00')), false, 'lunch');
});

test('wall-clock hours hold across a DST change (New York, 8 March 2026)', () => {
  const newYork = new WorkingTime({
    ...DEFAULT_CALENDAR,
    timeZone: 'America/New_York',
    workDays: [1, 2, 3, 4, 5, 6, 7],
  });
  // Sunday 8 March: clocks jump from 02:00 to 03:00, but work still starts at 09:00 EDT (13:00 UTC).
  const due = newYork.addWorkingTime(at('2026-03-08T05:00:00Z'), HOUR);
  assert.equal(new Date(due as number).toISOString(), '2026-03-08T14:00:00.000Z');
  // 8 working hours a day, DST or not.
  assert.equal(newYork.workingTimeBetween(at('2026-03-08T05:00:00Z'), at('2026-03-09T05:00:00Z')), 8 * HOUR);
});

test('a calendar whose every day is a holiday has no due time, rather than a made-up one', () => {
  const never = new WorkingTime({
    ...DEFAULT_CALENDAR,
    holidays: Array.from({ length: 4 }, (_, i) => ({ start: `${2027 + i}-01-01`, end: `${2027 + i}-12-31` })),
  });
  assert.equal(never.addWorkingTime(at('2027-01-01T00:00:00Z'), HOUR), undefined);
});

test('a bad calendar names every field at fault', () => {
  const bad: WorkCalendar = {
    timeZone: 'Mars/Olympus',
    workDays: [1, 1, 9],
    hours: [
      { start: '13:00', end: '12:00' },
      { start: '9:00', end: '25:00' },
    ],
    holidays: [
      { start: '2026-10-01', end: '2026-10-07' },
      { start: '2026-10-05', end: '2026-10-06' },
      { start: '2026-02-30', end: '2026-03-01' },
    ],
    extraWorkdays: ['2026-10-03', '2026-10-10', '2026-10-10'],
  };
  const fields = validateCalendar(bad).map((p) => p.field);
  assert.deepEqual(fields, [
    'time_zone',
    'work_days[1]',
    'work_days[2]',
    'hours[0].end',
    'hours[1].start',
    'hours[1].end',
    'holidays[2].start',
    'holidays[1]',
    'extra_workdays[0]',
    'extra_workdays[2]',
  ]);
  assert.deepEqual(
    validateCalendar({ ...DEFAULT_CALENDAR, workDays: [], hours: [] }).map((p) => p.field),
    ['work_days', 'hours'],
  );
  assert.deepEqual(validateCalendar(DEFAULT_CALENDAR), []);
  assert.throws(() => new WorkingTime(bad), /invalid calendar: time_zone/);
});

const zones = ['Asia/Shanghai', 'Europe/Berlin', 'America/New_York', 'UTC', 'Australia/Lord_Howe'];

test('property: the working time between a start and its due time is the duration asked for', () => {
  fc.assert(
    fc.property(
      fc.constantFrom(...zones),
      fc.integer({ min: at('2026-01-01T00:00:00Z'), max: at('2027-12-31T00:00:00Z') }),
      fc.integer({ min: 0, max: 200 * HOUR }),
      fc.subarray([1, 2, 3, 4, 5, 6, 7], { minLength: 1 }),
      (timeZone, from, duration, workDays) => {
        const calendar = new WorkingTime({ ...DEFAULT_CALENDAR, timeZone, workDays });
        const due = calendar.addWorkingTime(from, duration);
        assert.ok(due !== undefined && due >= from);
        assert.equal(calendar.workingTimeBetween(from, due), duration);
        // Due at the earliest such instant: a moment less would not be enough.
        if (duration > 0) assert.equal(calendar.workingTimeBetween(from, due - 1), duration - 1);
      },
    ),
    { numRuns: 300 },
  );
});

test('property: a round-the-clock UTC calendar is plain addition', () => {
  const always = new WorkingTime({
    timeZone: 'UTC',
    workDays: [1, 2, 3, 4, 5, 6, 7],
    hours: [{ start: '00:00', end: '24:00' }],
    holidays: [],
    extraWorkdays: [],
  });
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 2 ** 42 }),
      fc.integer({ min: 0, max: 90 * 24 * HOUR }),
      (from, d) => {
        assert.equal(always.addWorkingTime(from, d), from + d);
      },
    ),
  );
});
