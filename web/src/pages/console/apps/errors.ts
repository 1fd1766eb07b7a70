import { isApiError, type ApiError } from '../../../api/client';
import { describeError as describeAny, violationsByField } from '../../../lib/errors';

export { violationsByField };

type Translate = (key: string, options?: Record<string, unknown>) => string;

/** As the app-wide describeError, plus `in_use`: here, a delivery that moved on meanwhile. */
export function describeError(t: Translate, error: unknown): string {
  if (isApiError(error, 'in_use')) return t('consoleApps:deliveryMovedOn');
  return describeAny(t, error);
}

export const isApiErrorCode = (error: unknown, code: string): error is ApiError => isApiError(error, code);
