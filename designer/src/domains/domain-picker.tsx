import { useWorkingDomain } from './working-domain';

/** Indents a domain by its depth in the tree, as the runtime lists them. */
const indent = (depth: number) => '\u00a0\u00a0'.repeat(depth);

/**
 * The domain the tab works in, in the top navigation: a picker for a user
 * who sees more than one domain, plain text for everyone else. Picking
 * narrows every list, the dashboard and each create to that domain.
 */
export function DomainPicker({ onPick }: { onPick: (domain: string) => void }) {
  const { name, own, choices } = useWorkingDomain();
  if (choices === null || choices.length < 2) {
    return (
      <span className="domain-name" title="The domain you work in">
        {name}
      </span>
    );
  }
  return (
    <label className="domain-picker" data-narrowed={name !== own}>
      Domain
      <select value={name} onChange={(event) => onPick(event.target.value)}>
        {choices.map((domain) => (
          <option key={domain.name} value={domain.name}>
            {indent(domain.depth)}
            {domain.name}
          </option>
        ))}
      </select>
    </label>
  );
}
