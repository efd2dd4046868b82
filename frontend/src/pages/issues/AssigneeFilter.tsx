import { useId } from 'react';
import type { components } from '../../api/schema.gen';
import { assigneeOf, withAssignee } from './query';

type ProjectMember = components['schemas']['ProjectMember'];

const KINDS: readonly { value: string; label: string }[] = [
  { value: '', label: 'Anyone' },
  { value: 'me', label: 'Me' },
  { value: 'none', label: 'Unassigned' },
  { value: 'any', label: 'Assigned' },
];

/**
 * The assignee filter: a select that reads and rewrites the `assigned:` term of the inbox query
 * (`assigned:me`, `assigned:none`, `assigned:any`, `assigned:<e-mail>`). A member named in the query
 * by e-mail address or user id shows as that member; anyone else the query names keeps an option of
 * their own, so the select always shows what the query says.
 */
export function AssigneeFilter({
  query,
  members,
  onChange,
}: {
  query: string;
  members: readonly ProjectMember[];
  onChange: (query: string) => void;
}) {
  const id = useId();
  const current = assigneeOf(query);
  const member = members.find((m) => m.user.email.toLowerCase() === current || m.user.id === current);
  const value = member ? member.user.email.toLowerCase() : current;
  const known = KINDS.some((k) => k.value === value) || member !== undefined;

  return (
    <div className="inbox-filter">
      <label htmlFor={id} className="inbox-filter__label">
        Assignee
      </label>
      <select
        id={id}
        className="input select inbox-filter__select"
        value={value}
        onChange={(event) => {
          onChange(withAssignee(query, event.currentTarget.value));
        }}
      >
        {KINDS.map((kind) => (
          <option key={kind.value} value={kind.value}>
            {kind.label}
          </option>
        ))}
        {(members.length > 0 || !known) && (
          <optgroup label="Members">
            {members.map((m) => (
              <option key={m.user.id} value={m.user.email.toLowerCase()}>
                {m.user.name} ({m.user.email})
              </option>
            ))}
            {!known && <option value={value}>{value}</option>}
          </optgroup>
        )}
      </select>
    </div>
  );
}
