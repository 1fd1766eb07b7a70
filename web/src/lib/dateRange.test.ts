import dayjs from 'dayjs';
import { describe, expect, it } from 'vitest';
import { dayValue, keepEnterInPicker, rangeText, rangeValue } from './dateRange';

describe('date range filters', () => {
  it('reads a URL day as that calendar day', () => {
    expect(dayValue('2026-03-09')?.format('YYYY-MM-DD')).toBe('2026-03-09');
    expect(dayValue('2026-03-09')?.date()).toBe(9);
  });

  it('reads no day from malformed or impossible text', () => {
    for (const text of ['', '2026-3-9', '09/03/2026', '2026-02-30', '2026-13-01', 'tomorrow'])
      expect(dayValue(text), text).toBeNull();
  });

  it('gives the picker an open end where the URL has none, and nothing when both are open', () => {
    expect(rangeValue('', '')).toBeNull();
    expect(rangeValue('2026-01-05', '')?.map((d) => d?.format('YYYY-MM-DD') ?? null)).toEqual([
      '2026-01-05',
      null,
    ]);
    expect(rangeValue('', '2026-01-31')?.map((d) => d?.format('YYYY-MM-DD') ?? null)).toEqual([
      null,
      '2026-01-31',
    ]);
  });

  it('writes the chosen days back as YYYY-MM-DD, an open or cleared end as empty', () => {
    expect(rangeText([dayjs('2026-01-05'), dayjs('2026-01-31')])).toEqual({
      from: '2026-01-05',
      to: '2026-01-31',
    });
    expect(rangeText([null, dayjs('2026-01-31')])).toEqual({ from: '', to: '2026-01-31' });
    expect(rangeText(null)).toEqual({ from: '', to: '' });
  });

  it('round-trips a deep link unchanged', () => {
    const value = rangeValue('2025-12-30', '2026-01-02');
    expect(rangeText(value)).toEqual({ from: '2025-12-30', to: '2026-01-02' });
  });
});

describe('keepEnterInPicker', () => {
  it('keeps Enter from submitting the form, and lets every other key through', () => {
    const press = (key: string) => {
      let prevented = false;
      keepEnterInPicker({ key, preventDefault: () => (prevented = true) });
      return prevented;
    };
    expect(press('Enter')).toBe(true);
    expect(press('Tab')).toBe(false);
    expect(press('ArrowDown')).toBe(false);
    expect(press('Escape')).toBe(false);
  });
});
