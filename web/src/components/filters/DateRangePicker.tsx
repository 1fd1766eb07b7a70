import { useId } from 'react';
import { DatePicker } from 'antd';
import { DAY_FORMAT, rangeText, rangeValue } from '../../lib/dateRange';

export interface DateRangeFilterProps {
  /** The range's name ("Started between"), for the group around the two ends. */
  label: string;
  /** The accessible names of the two ends (a range picker has two inputs and one placeholder each). */
  startLabel: string;
  endLabel: string;
  /** The days as the URL keeps them: `YYYY-MM-DD`, or `''` for an open end. */
  from: string;
  to: string;
  onChange: (range: { from: string; to: string }) => void;
  className?: string;
}

/**
 * A from–to day filter. Ant Design's range picker, not `<input type="date">`: the native input shows
 * the browser's own format (mm/dd/yyyy in an English Chromium) whatever the page's language, while
 * this one follows the ConfigProvider's locale (开始日期 / 结束日期, 一月 …). Either end may stay open.
 */
export default function DateRangePicker({
  label,
  startLabel,
  endLabel,
  from,
  to,
  onChange,
  className,
}: DateRangeFilterProps) {
  const id = useId();
  const ids = { start: `${id}-from`, end: `${id}-to` };
  return (
    <span className={`pf-date-range${className ? ` ${className}` : ''}`} role="group" aria-label={label}>
      {/* One aria-label would name both inputs alike; a label per input tells them apart. */}
      <label htmlFor={ids.start} className="pf-visually-hidden">
        {startLabel}
      </label>
      <label htmlFor={ids.end} className="pf-visually-hidden">
        {endLabel}
      </label>
      <DatePicker.RangePicker
        id={ids}
        format={DAY_FORMAT}
        allowEmpty={[true, true]}
        value={rangeValue(from, to)}
        onChange={(days) => {
          onChange(rangeText(days));
        }}
      />
    </span>
  );
}
