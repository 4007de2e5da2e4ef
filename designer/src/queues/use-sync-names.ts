import { syncConfigApi } from '../api/sync-config';
import { useApi } from '../console/use-api';

export interface SyncNames {
  processEvents: { value: string; label: string }[];
  remoteSystems: { value: string; label: string }[];
  /** A sys_id's name, or the sys_id when this caller cannot see the record. */
  nameOf: (sysId: string) => string;
}

/** The process events and remote systems by name, for the queues' filters and columns. */
export function useSyncNames(): SyncNames {
  const { value } = useApi(async () => {
    const [events, systems] = await Promise.all([syncConfigApi.processEvents.list(), syncConfigApi.remoteSystems.list()]);
    return { events: events.rows, systems: systems.rows };
  }, 'names');
  const processEvents = (value?.events ?? []).map((event) => ({ value: event.sys_id, label: event.name }));
  const remoteSystems = (value?.systems ?? []).map((system) => ({ value: system.sys_id, label: system.name }));
  const names = new Map([...processEvents, ...remoteSystems].map((option) => [option.value, option.label]));
  return { processEvents, remoteSystems, nameOf: (sysId) => names.get(sysId) ?? sysId };
}
