import { useEffect } from 'react';
import { correlationApi } from '../api/correlations';
import { ProblemNotice } from '../console/problem-notice';
import { useApi } from '../console/use-api';
import { hrefOf } from '../route';

/**
 * Where the other side's link to a record lands: it knows the record only by
 * this instance's correlation id, which names the record here. It opens that
 * record in place of this address.
 */
export function CorrelatedRecord({ correlationId }: { correlationId: string }) {
  // Wrapped, so that "none found" is told apart from "not loaded yet".
  const loaded = useApi(async () => ({ found: await correlationApi.byLocalId(correlationId) }), correlationId);
  const found = loaded.value?.found ?? null;
  useEffect(() => {
    if (found) window.location.replace(hrefOf({ page: 'record', table: found.local_table, sysId: found.local_record }));
  }, [found]);
  return (
    <section className="console-page">
      <ProblemNotice error={loaded.error} context="The correlated record could not be looked up" />
      {loaded.value === null && loaded.error === null && <p className="muted">Opening the correlated record…</p>}
      {loaded.value !== null && found === null && <p className="error">No record here has the correlation id {correlationId}: the other side names a record this instance no longer has.</p>}
    </section>
  );
}
