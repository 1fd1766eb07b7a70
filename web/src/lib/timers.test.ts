import { describe, expect, test } from 'vitest';
import {
  bestUnit,
  clockMinutes,
  DEFAULT_WORKDAY_MINUTES,
  durationParts,
  durationText,
  timerProblems,
  toMinutes,
  withTimer,
  workdayMinutes,
} from './timers';

const t = (key: string, options?: Record<string, unknown>) =>
  `${key.replace('duration.', '')}:${typeof options?.count === 'number' ? options.count : ''}`;

describe('working-time durations', () => {
  test('a working day is as long as the calendar day', () => {
    expect(
      workdayMinutes([
        { start: '09:00', end: '12:00' },
        { start: '13:00', end: '18:00' },
      ]),
    ).toBe(480);
    expect(workdayMinutes([{ start: '00:00', end: '24:00' }])).toBe(1440);
    expect(workdayMinutes([])).toBe(DEFAULT_WORKDAY_MINUTES);
    expect(workdayMinutes([{ start: '9am', end: '18:00' }])).toBe(DEFAULT_WORKDAY_MINUTES);
    expect(workdayMinutes(undefined)).toBe(DEFAULT_WORKDAY_MINUTES);
  });

  test('clock times', () => {
    expect(clockMinutes('09:30')).toBe(570);
    expect(clockMinutes('24:00')).toBe(1440);
    expect(clockMinutes('24:30')).toBeUndefined();
    expect(clockMinutes('9:30')).toBeUndefined();
  });

  test('the largest exact unit', () => {
    expect(bestUnit(960, 480)).toEqual({ amount: 2, unit: 'days' });
    expect(bestUnit(120, 480)).toEqual({ amount: 2, unit: 'hours' });
    expect(bestUnit(90, 480)).toEqual({ amount: 90, unit: 'minutes' });
    expect(bestUnit(540, 540)).toEqual({ amount: 1, unit: 'days' });
    expect(bestUnit(480, 540)).toEqual({ amount: 8, unit: 'hours' });
    expect(bestUnit(0, 480)).toEqual({ amount: 0, unit: 'minutes' });
  });

  test('amounts to minutes, rounded', () => {
    expect(toMinutes(1.5, 'hours', 480)).toBe(90);
    expect(toMinutes(0.5, 'days', 480)).toBe(240);
    expect(toMinutes(2, 'days', 540)).toBe(1080);
    expect(toMinutes(7, 'minutes', 480)).toBe(7);
    expect(toMinutes(null, 'hours', 480)).toBeUndefined();
    expect(toMinutes(Number.NaN, 'hours', 480)).toBeUndefined();
  });

  test('parts and words', () => {
    expect(durationParts(480 + 150, 480)).toEqual({ days: 1, hours: 2, minutes: 30 });
    expect(durationText(480 + 150, 480, t)).toBe('days:1 hours:2 minutes:30');
    expect(durationText(120, 480, t)).toBe('hours:2');
    expect(durationText(0, 480, t)).toBe('none:');
  });
});

describe('node timers', () => {
  test('switching a timer off drops it, and no timers is no key', () => {
    const one = withTimer(undefined, 'remind', { after_minutes: 60 });
    expect(one).toEqual({ remind: { after_minutes: 60 } });
    const two = withTimer(one, 'auto', { after_minutes: 600, action: 'approve' });
    expect(two).toEqual({ remind: { after_minutes: 60 }, auto: { after_minutes: 600, action: 'approve' } });
    expect(withTimer(two, 'remind', undefined)).toEqual({ auto: { after_minutes: 600, action: 'approve' } });
    expect(withTimer(one, 'remind', undefined)).toBeUndefined();
    expect(one).toEqual({ remind: { after_minutes: 60 } });
  });

  test('problems found by node index, node id or pinned node', () => {
    const problems = [
      { field: 'nodes[2].timers.remind.after_minutes', description: 'a', node_id: 'manager' },
      { field: 'nodes[2].timers.remind.after_minutes', description: 'b', node_id: 'manager' },
      { field: 'nodes[manager].timers.auto.after_minutes', description: 'c' },
      { field: 'document.nodes[2].timers.escalate.action', description: 'd' },
      { field: 'nodes[2].timers', description: 'e', node_id: 'manager' },
      { field: 'nodes[3].timers.remind.times', description: 'x', node_id: 'hr' },
      { field: 'nodes[2].approvers[0]', description: 'y', node_id: 'manager' },
    ];
    const found = timerProblems(problems, 'manager', 2);
    expect(Object.fromEntries(found)).toEqual({
      'remind.after_minutes': ['a', 'b'],
      'auto.after_minutes': ['c'],
      'escalate.action': ['d'],
      '': ['e'],
    });
  });
});
