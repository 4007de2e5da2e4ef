import { until } from '../../runtime/test/support/until.js';
import type { Instance } from './instances.js';

/** A record as the Table API lists it; journals are lists of entries. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- records are read by shape, as the Table API gives them
export type Row = Record<string, any>;

export async function rows(instance: Instance, table: string, query: string, fields = ''): Promise<Row[]> {
  const params = new URLSearchParams({ sysparm_query: query, sysparm_limit: '10000', ...(fields ? { sysparm_fields: fields } : {}) });
  return (await instance.api.call('GET', `/api/now/table/${table}?${params}`)).body.result as Row[];
}

export async function row(instance: Instance, table: string, sysId: string): Promise<Row> {
  return (await instance.api.call('GET', `/api/now/table/${table}/${sysId}`)).body.result as Row;
}

export async function create(instance: Instance, table: string, values: Row): Promise<Row> {
  return (await instance.api.call('POST', `/api/now/table/${table}`, values)).body.result as Row;
}

export async function update(instance: Instance, table: string, sysId: string, values: Row): Promise<Row> {
  return (await instance.api.call('PATCH', `/api/now/table/${table}/${sysId}`, values)).body.result as Row;
}

/** The texts of a journal field, oldest first; an entry from the other side carries its author and time after its text. */
export const texts = (entries: { value: string }[] | undefined) => (entries ?? []).map((entry) => entry.value.split('\n(')[0]!).reverse();

/** The remote tasks of a record on this instance. */
export const remoteTasksOf = (instance: Instance, parent: string) => rows(instance, 'remote_task', `parent=${parent}`);

/**
 * Waits until a record's remote task is linked both ways: the other side has
 * answered with its remote task's number. Returns both remote tasks and the
 * other side's record.
 */
export async function linkedBothWays(consumer: Instance, provider: Instance, incident: string, definition: string) {
  const mine = await until(async () => {
    const [task] = (await remoteTasksOf(consumer, incident)).filter((one) => one.remote_task_definition === definition);
    return task?.remote_number ? task : undefined;
  }, `the remote task of incident ${incident} on ${consumer.name} knows its number on ${provider.name}`);
  const [theirs] = await rows(provider, 'remote_task', `number=${mine.remote_number}`);
  const kase = await row(provider, String(theirs!.parent_table), String(theirs!.parent));
  return { mine, theirs: theirs!, kase };
}

/** Every item of an instance's outbound queue whose captured record is `sysId`. */
export async function outboundItemsOf(instance: Instance, sysId: string): Promise<Row[]> {
  const { body } = await instance.api.call('GET', '/api/lockstep/v1/sync/outbound-queue?limit=1000');
  return (body.result as Row[]).filter((item) => String(item.payload_json).includes(sysId));
}
