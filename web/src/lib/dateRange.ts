import dayjs, { type Dayjs } from 'dayjs';

/** The day format the filters keep in the URL and send to the API. */
export const DAY_FORMAT = 'YYYY-MM-DD';

/** A day as a date picker holds it; anything that is not a real `YYYY-MM-DD` day is no day. */
export function dayValue(text: string): Dayjs | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return null;
  const day = dayjs(text, DAY_FORMAT);
  // dayjs rolls 2026-02-30 over to March: only a day that formats back to itself is real.
  return day.isValid() && day.format(DAY_FORMAT) === text ? day : null;
}

/** The range picker's value for `from`–`to` (either end may be open); null when both are. */
export function rangeValue(from: string, to: string): [Dayjs | null, Dayjs | null] | null {
  const start = dayValue(from);
  const end = dayValue(to);
  return start || end ? [start, end] : null;
}

/** What the range picker chose, back as the URL's `from`/`to` (`''` for an open end). */
export function rangeText(range: readonly (Dayjs | null | undefined)[] | null | undefined): {
  from: string;
  to: string;
} {
  const text = (day: Dayjs | null | undefined) => (day?.isValid() ? day.format(DAY_FORMAT) : '');
  return { from: text(range?.[0]), to: text(range?.[1]) };
}

/**
 * A date picker's `onKeyDown` inside a form: Enter takes the date typed (the picker's own meaning) and
 * nothing more. The browser would also submit the form, as from a text field — sending a request with
 * every field filled, or, with some still empty, flagging them all and moving the focus off the date.
 */
export function keepEnterInPicker(event: { key: string; preventDefault(): void }): void {
  if (event.key === 'Enter') event.preventDefault();
}
