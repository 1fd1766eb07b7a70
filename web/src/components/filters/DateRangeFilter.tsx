import { lazy, Suspense } from 'react';
import type { DateRangeFilterProps } from './DateRangePicker';
import './filters.css';

export type { DateRangeFilterProps };

// The picker's code (antd's pickers, calendar panels) loads after the page shows: it would take the
// approval center's first load over its budget (BENCHMARKS.md, g).
const DateRangePicker = lazy(() => import('./DateRangePicker'));

/** The from–to day filter of the approval center, process monitoring and the delivery log. */
export function DateRangeFilter(props: DateRangeFilterProps) {
  return (
    <Suspense
      fallback={
        <span
          className={`pf-date-range-loading${props.className ? ` ${props.className}` : ''}`}
          aria-hidden
        />
      }
    >
      <DateRangePicker {...props} />
    </Suspense>
  );
}
