import type { PairInstance } from '../support/sync-pair.js';

/** The table each instance works: the consumer's incidents become the provider's cases and back. */
export const tableOf = (side: PairInstance): 'incident' | 'case' => (side.name === 'consumer' ? 'incident' : 'case');

/** What one record's origin holds once the workload wrote it: its label, and its comments in the order written. */
export interface WrittenRecord {
  origin: PairInstance;
  partner: PairInstance;
  label: string;
  comments: string[];
}

/** A write the instance refused for a reason of the workload's own making: trying again will not help. */
class RefusedWrite extends Error {}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A request to `side` as admin; its answer, or the network error when the process is down or died mid-request. */
async function request(side: PairInstance, admin: string, method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${side.url}${path}`, {
    method,
    headers: { authorization: admin, 'content-type': 'application/json' },
    ...(body !== undefined && { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(15_000),
  });
}

/**
 * Writes until the write is known to have happened once: a refused
 * connection is tried again; a request whose process died under it may or
 * may not have been applied, so `applied` is asked (on the restarted
 * process) before trying again, and a write is never made twice. The
 * pauses are a client's backoff while its instance is down, not waits a
 * check depends on.
 */
async function writeOnce(side: PairInstance, admin: string, method: string, path: string, body: unknown, applied: () => Promise<boolean>, deadline: number): Promise<void> {
  let uncertain = false;
  for (;;) {
    if (Date.now() > deadline) throw new Error(`${side.name}: ${method} ${path} did not go through before the workload's deadline`);
    try {
      if (uncertain && (await applied())) return;
      uncertain = false;
      const response = await request(side, admin, method, path, body);
      if (response.ok) return;
      // 503: the instance is starting or stopping; anything else is the workload's own mistake.
      if (response.status < 500) throw new RefusedWrite(`${side.name}: ${method} ${path} answered ${response.status}: ${await response.text()}`);
      uncertain = true;
    } catch (error) {
      if (error instanceof RefusedWrite) throw error;
      uncertain = true;
    }
    await pause(200);
  }
}

/** The origin's record labelled `label`, as the Table API lists it. */
export async function findLabelled(side: PairInstance, admin: string, label: string): Promise<{ sys_id: string; comments: { value: string }[] }[]> {
  const query = encodeURIComponent(`short_description=${label}`);
  const response = await request(side, admin, 'GET', `/api/now/table/${tableOf(side)}?sysparm_query=${query}&sysparm_fields=sys_id,comments`);
  if (!response.ok) throw new Error(`${side.name}: listing ${label} answered ${response.status}`);
  return ((await response.json()) as { result: { sys_id: string; comments: { value: string }[] }[] }).result;
}

/** When the writes must be done by (epoch ms), and the pause after each, which spreads them over the run. */
export interface Pacing {
  deadline: number;
  paceMs: number;
}

/** Reads with `read` until its instance answers (it may be down, or starting again). */
async function whenUp<T>(read: () => Promise<T>, deadline: number): Promise<T> {
  for (;;) {
    try {
      return await read();
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
    await pause(200);
  }
}

/**
 * One record's life at its origin: created, then commented on `count`
 * times, each comment after the last went through, as a user would.
 */
export async function writeRecord(origin: PairInstance, partner: PairInstance, admin: string, label: string, count: number, { deadline, paceMs }: Pacing): Promise<WrittenRecord> {
  const table = tableOf(origin);
  const found = async () => (await findLabelled(origin, admin, label))[0];
  await writeOnce(origin, admin, 'POST', `/api/now/table/${table}`, { short_description: label, priority: '3' }, async () => (await found()) !== undefined, deadline);
  await pause(paceMs);
  const record = await whenUp(found, deadline);
  if (!record) throw new Error(`${origin.name}: ${label} was created but is not listed`);
  const comments: string[] = [];
  for (let n = 1; n <= count; n += 1) {
    const text = `${label} comment ${n}`;
    const hasIt = async () => ((await found())?.comments ?? []).some((entry) => entry.value === text);
    await writeOnce(origin, admin, 'PATCH', `/api/now/table/${table}/${record.sys_id}`, { comments: text }, hasIt, deadline);
    comments.push(text);
    await pause(paceMs);
  }
  return { origin, partner, label, comments };
}

/** Runs `work` on each of `items`, `limit` at a time. */
export async function inPool<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next;
      next += 1;
      results[index] = await work(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
