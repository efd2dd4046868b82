import type { ReactNode } from 'react';
import { SearchBox, type SearchInputProps } from './SearchBox';
import { useDebouncedField } from './useDebouncedField';

/** The row of filters above a list: a search form that never submits (the filters live in the URL). */
export function FilterBar({ label, children }: { label: string; children: ReactNode }) {
  return (
    <form role="search" aria-label={label} className="filters" onSubmit={(event) => { event.preventDefault(); }}>
      {children}
    </form>
  );
}

/** A URL text filter: what is typed is committed once the user pauses (see useDebouncedField). */
interface Debounced {
  value: string | undefined;
  onCommit: (value: string | undefined) => void;
  delayMs?: number;
}

/** A search box bound to a URL search parameter. */
export function DebouncedSearch({
  value,
  onCommit,
  delayMs,
  ...box
}: Debounced & { id: string; label: string; className?: string } & Omit<SearchInputProps, 'value' | 'onChange'>) {
  const [text, setText] = useDebouncedField(value, onCommit, delayMs);
  return <SearchBox {...box} value={text} onChange={(event) => { setText(event.currentTarget.value); }} />;
}

/** A labelled text box in a filter bar, bound to a URL search parameter. */
export function TextFilter({
  label,
  value,
  onCommit,
  placeholder,
  maxLength,
}: Debounced & { label: string; placeholder: string; maxLength: number }) {
  const [text, setText] = useDebouncedField(value, onCommit);
  return (
    <label className="filters__field">
      <span className="filters__label">{label}</span>
      <input
        className="input"
        placeholder={placeholder}
        maxLength={maxLength}
        value={text}
        onChange={(event) => { setText(event.currentTarget.value); }}
      />
    </label>
  );
}

/**
 * A labelled choice in a filter bar. `value` is the option shown; with `anyLabel`, a first option
 * (value "") stands for no filter. `onChange` gets the chosen option's value, undefined for "any".
 */
export function SelectFilter<T extends string>({
  label,
  value,
  options,
  anyLabel,
  onChange,
}: {
  label: string;
  value: T | '';
  options: readonly { value: T; label: string }[];
  anyLabel?: string;
  onChange: (value: T | undefined) => void;
}) {
  return (
    <label className="filters__field">
      <span className="filters__label">{label}</span>
      <select
        className="input select"
        value={value}
        onChange={(event) => {
          const chosen = event.currentTarget.value;
          onChange(options.find((option) => option.value === chosen)?.value);
        }}
      >
        {anyLabel !== undefined && <option value="">{anyLabel}</option>}
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </label>
  );
}
