import { SelectFilter } from '../../lists/filters';
import { PERIODS, type Period } from './search';

/** The period filter of a telemetry feed: 24h, the default, stays out of the URL. */
export function PeriodFilter({ value, onChange }: { value: Period | undefined; onChange: (value: Period | undefined) => void }) {
  return (
    <SelectFilter
      label="Period"
      value={value ?? '24h'}
      options={PERIODS}
      onChange={(period) => { onChange(period === '24h' ? undefined : period); }}
    />
  );
}
