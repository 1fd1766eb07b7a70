import type { CalendarJson } from './calendar.service.js';
import type { EntryInput, LeaveTypeInput } from './leave.service.js';
import { t } from './flow-builders.js';

/**
 * The demo tenant's leave types, allowances and working calendar (seeded by demo.service.ts), so
 * that a newcomer finds balances on the leave form, a debit on the approver's "On approval" card and
 * holidays in the console.
 */

/** An allowance written when the demo creates its type; `user_ids` absent: every demo person. */
export type DemoAllowance = Omit<EntryInput, 'leave_type' | 'user_ids' | 'request_key'> & {
  request_key: string;
  user_ids?: string[];
};

/**
 * Types for the demo Leave flow's `leave_type` options (demo-flows.ts). Both warn rather than refuse
 * over the balance: the test suites start many demo leave requests of Zhang San, and a warned
 * request still starts (its timeline says it is over). `personal` (事假, unpaid) is left untracked:
 * it is neither checked nor debited.
 */
export const DEMO_LEAVE_TYPES: { type: LeaveTypeInput; allowances: DemoAllowance[] }[] = [
  {
    type: { key: 'annual', name: t('年假', 'Annual'), over_balance: 'warn' },
    allowances: [
      {
        kind: 'grant',
        amount: 10,
        reason: '年度额度 / Yearly allowance',
        request_key: 'demo-annual-grant',
      },
      {
        kind: 'adjustment',
        amount: 5,
        reason: '上年结转 / Carried over from last year',
        request_key: 'demo-annual-carry-over',
        user_ids: ['employee'],
      },
    ],
  },
  {
    type: { key: 'sick', name: t('病假', 'Sick'), over_balance: 'warn' },
    allowances: [
      { kind: 'grant', amount: 5, reason: '带薪病假 / Paid sick days', request_key: 'demo-sick-grant' },
    ],
  },
];

/**
 * Monday to Friday in Beijing with a lunch hour (the built-in default's hours: 480 working minutes a
 * day), and the public holidays of 2026 with their make-up working days (调休), and New Year's Day 2027.
 */
export const DEMO_CALENDAR: CalendarJson = {
  time_zone: 'Asia/Shanghai',
  work_days: [1, 2, 3, 4, 5],
  hours: [
    { start: '09:00', end: '12:00' },
    { start: '13:00', end: '18:00' },
  ],
  holidays: [
    { start: '2026-01-01', end: '2026-01-03', name: '元旦 New Year' },
    { start: '2026-02-15', end: '2026-02-23', name: '春节 Spring Festival' },
    { start: '2026-04-04', end: '2026-04-06', name: '清明节 Qingming' },
    { start: '2026-05-01', end: '2026-05-05', name: '劳动节 Labour Day' },
    { start: '2026-06-19', end: '2026-06-21', name: '端午节 Dragon Boat Festival' },
    { start: '2026-09-25', end: '2026-09-27', name: '中秋节 Mid-Autumn Festival' },
    { start: '2026-10-01', end: '2026-10-07', name: '国庆节 National Day' },
    { start: '2027-01-01', end: '2027-01-01', name: '元旦 New Year' },
  ],
  extra_workdays: ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'],
};
