import type { InputHTMLAttributes, Ref } from 'react';
import { Icon } from '../components/Icon';

/** What a search box passes on to its input, besides its id and label. */
export type SearchInputProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'type' | 'className'> & {
  ref?: Ref<HTMLInputElement>;
};

/** A search input with its magnifier and a label only screen readers see. */
export function SearchBox({
  id,
  label,
  className,
  ...input
}: { id: string; label: string; className?: string } & SearchInputProps) {
  return (
    <div className={className ? `search ${className}` : 'search'}>
      <Icon name="search" size={15} />
      <label htmlFor={id} className="visually-hidden">
        {label}
      </label>
      <input id={id} type="search" className="input search__input" {...input} />
    </div>
  );
}
