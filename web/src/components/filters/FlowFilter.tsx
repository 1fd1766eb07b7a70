import { useTranslation } from 'react-i18next';
import type { I18n } from '@contract';
import { localized } from '../../lib/language';
import { NativeSelect } from '../NativeSelect';

interface Props {
  /** The flows to offer, named in the shown language. */
  flows: readonly { flow_id: string; name: I18n }[];
  /** The chosen flow id, `''` for every flow. */
  value: string;
  onChange: (flowId: string) => void;
  /** The select's accessible name ("Flow") and its first choice ("All flows"). */
  label: string;
  allLabel: string;
  className?: string;
}

/** "Which flow": every flow, or one of those offered. */
export function FlowFilter({ flows, value, onChange, label, allLabel, className }: Props) {
  const { i18n } = useTranslation();
  const options = flows.map((flow) => ({ value: flow.flow_id, label: localized(flow.name, i18n.language) }));
  // A flow named in the URL but not offered (not startable by this person, or not loaded yet) still shows as chosen.
  if (value && !options.some((option) => option.value === value)) options.push({ value, label: value });
  return (
    <NativeSelect
      className={className}
      aria-label={label}
      value={value}
      onValueChange={onChange}
      options={[{ value: '', label: allLabel }, ...options]}
    />
  );
}
