import type { Finding } from '../api/subflows';

/** Every finding about the graph (null while the first check runs); choosing one selects the step it is about. */
export function FindingsPanel({ findings, onShow }: { findings: readonly Finding[] | null; onShow: (nodeId: string) => void }) {
  if (findings === null) {
    return (
      <section className="findings-panel checking" aria-label="Findings">
        <h3>Checking…</h3>
      </section>
    );
  }
  const errors = findings.filter((finding) => finding.severity === 'error').length;
  return (
    <section className={`findings-panel ${findings.length === 0 ? 'clean' : ''}`} aria-label="Findings">
      <h3>
        {findings.length === 0 ? 'No findings: ready to publish' : `${errors} error${errors === 1 ? '' : 's'}, ${findings.length - errors} warning${findings.length - errors === 1 ? '' : 's'}`}
      </h3>
      <ul>
        {findings.map((finding, index) => (
          <li key={index} className={finding.severity} data-finding={finding.code}>
            <button type="button" className="link" disabled={finding.nodeId === undefined} onClick={() => finding.nodeId !== undefined && onShow(finding.nodeId)}>
              <span className="severity">{finding.severity === 'error' ? '●' : '▲'}</span> {finding.message}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
