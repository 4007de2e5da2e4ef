import { ApiProblem } from '../api/client';
import { correlationApi, type Correlation } from '../api/correlations';
import { syncConfigApi, type RemoteSystemView } from '../api/sync-config';

/** One remote system a record syncs with: the correlation, and the remote system when the caller may read it. */
export interface RecordLink {
  correlation: Correlation;
  remote: RemoteSystemView | null;
}

const refused = (error: unknown, ...statuses: number[]) => error instanceof ApiProblem && statuses.includes(error.status);

/** A record's links to other instances; null for a user who may not read sync configuration (correlations need ih_process_sync). */
export async function recordLinks(table: string, sysId: string): Promise<RecordLink[] | null> {
  let correlations: Correlation[];
  try {
    correlations = await correlationApi.ofRecord(table, sysId);
  } catch (error) {
    if (refused(error, 403)) return null;
    throw error;
  }
  return Promise.all(
    correlations.map(async (correlation) => {
      try {
        return { correlation, remote: await syncConfigApi.remoteSystems.get(correlation.remote_system) };
      } catch (error) {
        // Deleted since, or another domain's: the link is still shown, by its id.
        if (refused(error, 403, 404)) return { correlation, remote: null };
        throw error;
      }
    }),
  );
}

/**
 * Where the record is on the other side: that instance's designer, at the
 * address that opens a record by the correlation id it knows it by (this
 * side's remote correlation id). Unknown until the other side has answered.
 */
export function otherSideHref({ correlation, remote }: RecordLink): string | null {
  if (remote === null || correlation.remote_correlation_id === null) return null;
  return `${remote.connection.base_url.replace(/\/+$/, '')}/designer/#/correlated/${encodeURIComponent(correlation.remote_correlation_id)}`;
}

/** Whom the record's journal entries from the other side came from: the one remote system it syncs with, when there is one. */
export function originOf(links: readonly RecordLink[] | null): string {
  const names = [...new Set((links ?? []).map((link) => link.remote?.name).filter((name) => name !== undefined))];
  return names.length === 1 ? names[0]! : 'the other side';
}
