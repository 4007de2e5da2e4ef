import { useEffect } from 'react';
import { ApiProblem } from '../api/client';
import { dictionaryApi } from '../api/dictionary';
import { syncConfigApi } from '../api/sync-config';
import { DEFAULT_TABLE } from '../console/console-routes';
import { ProblemNotice } from '../console/problem-notice';
import { useApi } from '../console/use-api';
import { hrefOf } from '../route';

/**
 * The table an instance works: the first its capture definitions capture
 * that the user may read (a provider's cases, a consumer's incidents), else
 * incident. A user who may not read the configuration gets incident.
 */
async function homeTable(): Promise<string> {
  const captures = syncConfigApi.captureDefinitions.list().then(
    (page) => page.rows,
    (error: unknown) => {
      if (error instanceof ApiProblem && error.status === 403) return [];
      throw error;
    },
  );
  const [captured, tables] = await Promise.all([captures, dictionaryApi.tables()]);
  const readable = new Set(tables.filter((table) => table.access.read).map((table) => table.name));
  return captured.map((capture) => capture.source_table).find((table) => readable.has(table)) ?? DEFAULT_TABLE;
}

/** Opens the records on the table the instance works, in place of this address, so Back skips it. */
export function RecordsHome() {
  const loaded = useApi(homeTable, 'records-home');
  const table = loaded.value;
  useEffect(() => {
    if (table !== null) window.location.replace(hrefOf({ page: 'records', table, query: {} }));
  }, [table]);
  return <section className="console-page">{loaded.error === null ? <p className="muted">Loading…</p> : <ProblemNotice error={loaded.error} />}</section>;
}
