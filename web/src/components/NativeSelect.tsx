import type { SelectHTMLAttributes } from 'react';

/**
 * The platform's own select, dressed like Ant Design's inputs: fully keyboard- and screen-reader
 * friendly, the phone's own picker, and no JavaScript to load for the approval center's filters.
 */
export function NativeSelect<T extends string>({
  options,
  value,
  onValueChange,
  className,
  ...rest
}: Omit<SelectHTMLAttributes<HTMLSelectElement>, 'value' | 'onChange'> & {
  options: { value: T; label: string }[];
  value: T;
  onValueChange: (value: T) => void;
}) {
  return (
    <select
      {...rest}
      className={`pf-select${className ? ` ${className}` : ''}`}
      value={value}
      onChange={(event) => {
        onValueChange(event.target.value as T);
      }}
    >
      {options.map((option) => (
        <option key={option.value} value={option.value}>
          {option.label}
        </option>
      ))}
    </select>
  );
}
