/**
 * What a leave request asks for, read from its form values (docs/leave.md "Reading a request"), and
 * the ledger's day arithmetic. Amounts are kept in hundredths of a day ("centidays") so that sums are
 * exact integers: 0.5 day is 50.
 */

export const LEAVE_BIZ_TYPE = 'leave_application';

/** The form fields a leave request is read from. */
export const LEAVE_FIELDS = {
  type: 'leave_type',
  days: 'days',
  start: 'start_date',
  end: 'end_date',
} as const;

/** The largest amount one entry or one request may carry, in days: keeps sums far from overflow. */
export const MAX_ENTRY_DAYS = 10_000;
export const CENTIDAYS_PER_DAY = 100;

const DAYS_TEXT = /^(-?)(\d{1,9})(?:\.(\d+))?$/;

/** `"2.5"` → 250; undefined when it is not a decimal with at most two places (trailing zeros aside). */
export function centidaysOfText(text: string): number | undefined {
  const match = DAYS_TEXT.exec(text.trim());
  if (!match) return undefined;
  const fraction = (match[3] ?? '').replace(/0+$/, '');
  if (fraction.length > 2) return undefined;
  const value = Number(match[2]) * CENTIDAYS_PER_DAY + Number(fraction.padEnd(2, '0'));
  return match[1] === '-' ? -value : value;
}

/** A JSON number of days → centidays; undefined with more than two decimal places, or too large to be exact. */
export function centidaysOfNumber(days: number): number | undefined {
  if (!Number.isFinite(days)) return undefined;
  const scaled = days * CENTIDAYS_PER_DAY;
  const rounded = Math.round(scaled);
  return Number.isSafeInteger(rounded) && Math.abs(scaled - rounded) < 1e-6 ? rounded : undefined;
}

/** 250 → `"2.5"`, -50 → `"-0.5"`: how balances are shown in RecordChanges and messages. */
export function daysText(centidays: number): string {
  const sign = centidays < 0 ? '-' : '';
  const abs = Math.abs(centidays);
  const whole = Math.floor(abs / CENTIDAYS_PER_DAY);
  const fraction = String(abs % CENTIDAYS_PER_DAY)
    .padStart(2, '0')
    .replace(/0+$/, '');
  return `${sign}${whole}${fraction ? `.${fraction}` : ''}`;
}

/** 250 → 2.5: the number the APIs answer with. */
export const daysNumber = (centidays: number) => centidays / CENTIDAYS_PER_DAY;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
function dayNumber(text: string): number | undefined {
  const match = DATE.exec(text);
  if (!match) return undefined;
  const ms = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  return Number.isNaN(ms) ? undefined : Math.round(ms / 86_400_000);
}

export type LeaveRequestReading =
  /** The form does not choose a leave type: not a ledger matter. */
  | { kind: 'no_type' }
  | { kind: 'request'; typeKey: string; centidays: number; daysField: string }
  /** The type is chosen but the days cannot be told; `field` is the form field to fix. */
  | { kind: 'problem'; typeKey: string; field: string; description: string };

/**
 * Reads a request's leave type and days. `days` (a number field) wins; without it the days are the
 * calendar days from `start_date` to `end_date`, both included (a one-day leave has the same start and
 * end). Working days, half days from dates and holidays are not counted: a form that needs them has a
 * `days` field the person fills in (or a calculated one).
 */
export function readLeaveRequest(values: Record<string, unknown>): LeaveRequestReading {
  const typeKey = values[LEAVE_FIELDS.type];
  if (typeof typeKey !== 'string' || typeKey === '') return { kind: 'no_type' };
  const days = values[LEAVE_FIELDS.days];
  if (typeof days === 'string' && days !== '') {
    const centidays = centidaysOfText(days);
    if (centidays === undefined)
      return {
        kind: 'problem',
        typeKey,
        field: LEAVE_FIELDS.days,
        description: 'at most two decimal places',
      };
    return checkedAmount(typeKey, centidays, LEAVE_FIELDS.days);
  }
  const start = values[LEAVE_FIELDS.start];
  const end = values[LEAVE_FIELDS.end];
  if (typeof start === 'string' && typeof end === 'string') {
    const from = dayNumber(start);
    const to = dayNumber(end);
    if (from === undefined)
      return { kind: 'problem', typeKey, field: LEAVE_FIELDS.start, description: 'not a date (YYYY-MM-DD)' };
    if (to === undefined)
      return { kind: 'problem', typeKey, field: LEAVE_FIELDS.end, description: 'not a date (YYYY-MM-DD)' };
    if (to < from)
      return { kind: 'problem', typeKey, field: LEAVE_FIELDS.end, description: 'is before start_date' };
    return checkedAmount(typeKey, (to - from + 1) * CENTIDAYS_PER_DAY, LEAVE_FIELDS.end);
  }
  return {
    kind: 'problem',
    typeKey,
    field: LEAVE_FIELDS.days,
    description: 'a leave request needs days, or start_date and end_date',
  };
}

function checkedAmount(typeKey: string, centidays: number, field: string): LeaveRequestReading {
  if (centidays <= 0) return { kind: 'problem', typeKey, field, description: 'must be more than 0 days' };
  if (centidays > MAX_ENTRY_DAYS * CENTIDAYS_PER_DAY)
    return { kind: 'problem', typeKey, field, description: `must be at most ${MAX_ENTRY_DAYS} days` };
  return { kind: 'request', typeKey, centidays, daysField: field };
}
