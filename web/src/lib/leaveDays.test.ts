import { describe, expect, test } from 'vitest';
import { requestedLeaveDays } from './leaveDays';

describe('requestedLeaveDays', () => {
  test('days win; else calendar days with both ends included', () => {
    expect(requestedLeaveDays({ days: '2.5', start_date: '2026-03-02', end_date: '2026-03-09' })).toBe(2.5);
    expect(requestedLeaveDays({ start_date: '2026-02-27', end_date: '2026-03-02' })).toBe(4);
    expect(requestedLeaveDays({ start_date: '2026-03-02', end_date: '2026-03-02' })).toBe(1);
    expect(requestedLeaveDays({ start_date: '2026-03-03', end_date: '2026-03-02' })).toBeUndefined();
    expect(requestedLeaveDays({ days: '' })).toBeUndefined();
  });
});
