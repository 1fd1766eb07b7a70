import dayjs from 'dayjs';
import type { SummaryLine } from '@contract';
import { localized } from './language';

/** Dates and numbers the way the shown language writes them (dayjs carries the locale). */
export function formatDateTime(iso: string | undefined, language: string): string {
  if (!iso) return '';
  const value = dayjs(iso);
  if (!value.isValid()) return iso;
  return language.startsWith('zh') ? value.format('YYYY年M月D日 HH:mm') : value.format('MMM D, YYYY HH:mm');
}

export function formatDate(iso: string | undefined, language: string): string {
  if (!iso) return '';
  const value = dayjs(iso);
  if (!value.isValid()) return iso;
  return language.startsWith('zh') ? value.format('YYYY年M月D日') : value.format('MMM D, YYYY');
}

/** A summary line's value as the reader writes it: a date or a date-time in their language and time zone. */
export function summaryValue(line: SummaryLine, language: string): string {
  const text = localized(line.value, language);
  if (line.format === 'date') return formatDate(text, language);
  if (line.format === 'date_time') return formatDateTime(text, language);
  return text;
}

export function formatNumber(value: number, language: string): string {
  return new Intl.NumberFormat(language).format(value);
}

/** "3 h", "2 d" — how long something has waited, in whole units, for a list column. */
export function waitedFor(
  sinceIso: string,
  nowMs: number,
): { unit: 'minutes' | 'hours' | 'days'; count: number } {
  const ms = Math.max(0, nowMs - Date.parse(sinceIso));
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 60) return { unit: 'minutes', count: minutes };
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return { unit: 'hours', count: hours };
  return { unit: 'days', count: Math.floor(hours / 24) };
}
