/** Labelled values of an occurrence as code (`[label, value]`); those without a value are left out. */
export function Facts({ facts }: { facts: readonly (readonly [string, string | undefined])[] }) {
  return (
    <dl className="detail-facts">
      {facts
        .filter((fact): fact is readonly [string, string] => Boolean(fact[1]))
        .map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>
              <code>{value}</code>
            </dd>
          </div>
        ))}
    </dl>
  );
}
