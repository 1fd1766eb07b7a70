import { describe, expect, test } from 'vitest';
import type { WorkCalendar } from '../api/timers';
import { ApiError } from '../api/client';
import {
  calendarToSend,
  localCalendarProblems,
  placeCalendarViolations,
  unixMsToIso,
  violationsOf,
} from './calendar';
import { changeFieldLabel } from './actionPreview';

const calendar: WorkCalendar = {
  time_zone: 'Asia/Shanghai',
  work_days: [1, 2, 3, 4, 5],
  hours: [
    { start: '09:00', end: '12:00' },
    { start: '13:00', end: '18:00' },
  ],
  holidays: [{ start: '2026-10-01', end: '2026-10-07', name: '国庆' }],
  extra_workdays: ['2026-10-10'],
};

describe('calendar violations', () => {
  test('read from the people API and from field_violations', () => {
    const people = new ApiError(400, {
      code: 'invalid_field',
      message: 'bad',
      violations: [{ field: 'time_zone', description: 'unknown time zone' }],
    });
    expect(violationsOf(people)).toEqual([{ field: 'time_zone', description: 'unknown time zone' }]);
    const admin = new ApiError(400, {
      code: 'invalid_field',
      message: 'bad',
      field_violations: [{ field: 'hours[1].end', description: 'before start' }],
    } as never);
    expect(violationsOf(admin)).toEqual([{ field: 'hours[1].end', description: 'before start' }]);
    expect(violationsOf(new Error('x'))).toEqual([]);
    expect(violationsOf(undefined)).toEqual([]);
  });

  test('each on its control; unknown places elsewhere', () => {
    const { byField, elsewhere } = placeCalendarViolations(
      [
        { field: 'time_zone', description: 'a' },
        { field: 'hours[1].end', description: 'b' },
        { field: 'hours[1]', description: 'c' },
        { field: 'holidays[0].end', description: 'd' },
        { field: 'holidays[0].name', description: 'e' },
        { field: 'work_days[3]', description: 'f' },
        { field: 'extra_workdays[0]', description: 'g' },
        { field: 'holidays[4]', description: 'h' },
        { field: 'body.hours', description: 'i' },
        { field: 'something', description: 'j' },
      ],
      calendar,
    );
    expect(Object.fromEntries(byField)).toEqual({
      time_zone: ['a'],
      'hours[1].end': ['b'],
      'hours[1]': ['c'],
      'holidays[0]': ['d'],
      'holidays[0].name': ['e'],
      work_days: ['f'],
      'extra_workdays[0]': ['g'],
      hours: ['i'],
    });
    expect(elsewhere.map((v) => v.description)).toEqual(['h', 'j']);
  });

  test('local checks', () => {
    expect(localCalendarProblems(calendar)).toEqual([]);
    expect(
      localCalendarProblems({
        ...calendar,
        hours: [
          { start: '9', end: '12:00' },
          { start: '13:00', end: '12:00' },
        ],
        holidays: [{ start: '2026-01-01', end: '' }],
        extra_workdays: [''],
      }),
    ).toEqual([
      { field: 'hours[0].start', description: 'time' },
      { field: 'hours[1].end', description: 'end_before_start' },
      { field: 'holidays[0]', description: 'range' },
      { field: 'extra_workdays[0]', description: 'day' },
    ]);
  });

  test('what is sent', () => {
    expect(
      calendarToSend({
        ...calendar,
        time_zone: ' UTC ',
        work_days: [5, 1, 5],
        holidays: [
          { start: '2026-01-01', end: '2026-01-01', name: '  ' },
          { start: '2026-02-01', end: '2026-02-03', name: ' Spring ' },
        ],
      }),
    ).toEqual({
      ...calendar,
      time_zone: 'UTC',
      work_days: [1, 5],
      holidays: [
        { start: '2026-01-01', end: '2026-01-01' },
        { start: '2026-02-01', end: '2026-02-03', name: 'Spring' },
      ],
    });
  });
});

describe('job times and changed fields', () => {
  test('Unix milliseconds', () => {
    expect(unixMsToIso('1767225600000')).toBe('2026-01-01T00:00:00.000Z');
    expect(unixMsToIso(0)).toBe('1970-01-01T00:00:00.000Z');
    expect(unixMsToIso('soon')).toBeUndefined();
    expect(unixMsToIso(null)).toBeUndefined();
  });

  test('field labels', () => {
    expect(changeFieldLabel('manager_id')).toEqual({ key: 'on_approval.field.manager_id', values: {} });
    expect(changeFieldLabel('leave_balance.annual')).toEqual({
      key: 'on_approval.leave_balance',
      values: { type: 'annual' },
    });
    // The type's name, when the server gives it, not its key.
    expect(changeFieldLabel('leave_balance.annual', '年假')).toEqual({
      key: 'on_approval.leave_balance',
      values: { type: '年假' },
    });
    expect(changeFieldLabel('shoe_size')).toEqual({
      key: 'on_approval.other_field',
      values: { field: 'shoe_size' },
    });
  });
});
