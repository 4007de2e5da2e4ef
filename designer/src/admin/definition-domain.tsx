/** A related record's domain, shown and never chosen: the runtime puts every record under a definition in the definition's domain. */
export function DefinitionDomain({ domain }: { domain: string }) {
  return (
    <p className="domain-note" data-domain={domain}>
      Domain <strong>{domain}</strong>, the process sync definition&apos;s.
    </p>
  );
}
