import type { FormValues } from '@contract';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const dayNumber = (text: string): number | undefined => {
  const match = DATE.exec(text);
  return match
    ? Math.round(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) / 86_400_000)
    : undefined;
};

/**
 * The days a leave request asks for, as the server reads them (docs/leave.md "Reading a request"):
 * `days` when filled in, else the calendar days from `start_date` to `end_date`, both included.
 */
export function requestedLeaveDays(values: FormValues): number | undefined {
  const days = values.days;
  if (typeof days === 'string' && days.trim() !== '') {
    const n = Number(days);
    return Number.isFinite(n) ? n : undefined;
  }
  const start = typeof values.start_date === 'string' ? dayNumber(values.start_date) : undefined;
  const end = typeof values.end_date === 'string' ? dayNumber(values.end_date) : undefined;
  return start !== undefined && end !== undefined && end >= start ? end - start + 1 : undefined;
}
