import { describe, expect, test } from 'vitest';
import { localized, pickLanguage } from './language';
import { parseLiveMessage, reconnectDelayMs } from './live';
import { safeReturnTo, signInPath } from './returnTo';
import { summaryValue, waitedFor } from './format';

describe('language', () => {
  test("the person's setting wins, else the first browser language we have", () => {
    expect(pickLanguage('en', ['zh-CN'])).toBe('en');
    expect(pickLanguage(null, ['zh-TW', 'en'])).toBe('zh-CN');
    expect(pickLanguage(null, ['fr', 'en-GB'])).toBe('en');
    expect(pickLanguage(undefined, ['fr'])).toBe('en');
    expect(pickLanguage(null, [])).toBe('en');
  });

  test('texts fall back to the other language when empty', () => {
    expect(localized({ zh_cn: '请假', en_us: 'Leave' }, 'zh-CN')).toBe('请假');
    expect(localized({ zh_cn: '请假', en_us: 'Leave' }, 'en')).toBe('Leave');
    expect(localized({ zh_cn: '请假', en_us: '' }, 'en')).toBe('请假');
    expect(localized(undefined, 'en')).toBe('');
  });

  test("a summary line's date and date-time read in the language, other values as they are", () => {
    const label = { zh_cn: '开始日期', en_us: 'Start date' };
    const date = { label, value: { zh_cn: '2026-03-02', en_us: '2026-03-02' }, format: 'date' as const };
    expect(summaryValue(date, 'en')).toBe('Mar 2, 2026');
    expect(summaryValue(date, 'zh-CN')).toBe('2026年3月2日');
    const at = new Date(2026, 2, 2, 9, 30).toISOString();
    const dateTime = { label, value: { zh_cn: at, en_us: at }, format: 'date_time' as const };
    expect(summaryValue(dateTime, 'en')).toBe('Mar 2, 2026 09:30');
    expect(summaryValue(dateTime, 'zh-CN')).toBe('2026年3月2日 09:30');
    expect(summaryValue({ label, value: { zh_cn: '年假', en_us: 'Annual' } }, 'en')).toBe('Annual');
    expect(summaryValue({ label, value: { zh_cn: '2026-03-02', en_us: '2026-03-02' } }, 'en')).toBe(
      '2026-03-02',
    );
  });
});

describe('return_to', () => {
  test('only paths on this site, never back to sign-in', () => {
    expect(safeReturnTo('/approval-center/done?sort=oldest', '/x')).toBe('/approval-center/done?sort=oldest');
    expect(safeReturnTo('//evil.example/x', '/x')).toBe('/x');
    expect(safeReturnTo('https://evil.example/', '/x')).toBe('/x');
    expect(safeReturnTo('/\\evil.example', '/x')).toBe('/x');
    expect(safeReturnTo('/sign-in?return_to=/a', '/x')).toBe('/x');
    expect(safeReturnTo('/t/acme/sign-in', '/x')).toBe('/x');
    expect(safeReturnTo('/t/acme/profile', '/x')).toBe('/t/acme/profile');
    expect(safeReturnTo(null, '/x')).toBe('/x');
  });
  test('the sign-in path keeps the tenant prefix and the wanted page', () => {
    expect(signInPath('/t/acme', '/profile?a=1')).toBe('/t/acme/sign-in?return_to=%2Fprofile%3Fa%3D1');
  });
});

describe('live messages', () => {
  test("the contract's shape and the plan's shape are both understood", () => {
    expect(parseLiveMessage('{"process_ids":["p1","p2"],"inbox":false}')).toEqual({
      processIds: ['p1', 'p2'],
      inbox: true,
    });
    expect(parseLiveMessage('{"process_ids":[],"inbox":true}')).toEqual({ processIds: [], inbox: true });
    expect(parseLiveMessage('{"process_id":"p9","kinds":["task"]}')).toEqual({
      processIds: ['p9'],
      inbox: true,
    });
  });
  test('garbage is ignored', () => {
    expect(parseLiveMessage('not json')).toBeNull();
    expect(parseLiveMessage('42')).toBeNull();
    expect(parseLiveMessage('{"process_ids":[1,"p"]}')).toEqual({ processIds: ['p'], inbox: true });
  });
  test('reconnect delays grow to 30 s', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 50].map(reconnectDelayMs)).toEqual([
      1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000,
    ]);
  });
});

describe('waitedFor', () => {
  const now = Date.parse('2026-12-03T12:00:00Z');
  test('minutes, then hours up to two days, then days', () => {
    expect(waitedFor('2026-12-03T11:59:30Z', now)).toEqual({ unit: 'minutes', count: 0 });
    expect(waitedFor('2026-12-03T11:15:00Z', now)).toEqual({ unit: 'minutes', count: 45 });
    expect(waitedFor('2026-12-03T09:00:00Z', now)).toEqual({ unit: 'hours', count: 3 });
    expect(waitedFor('2026-12-01T13:00:00Z', now)).toEqual({ unit: 'hours', count: 47 });
    expect(waitedFor('2026-11-28T12:00:00Z', now)).toEqual({ unit: 'days', count: 5 });
    expect(waitedFor('2026-12-04T12:00:00Z', now)).toEqual({ unit: 'minutes', count: 0 });
  });
});
