import { subflowApi, type SubflowSummary } from '../api/subflows';
import { userApi } from '../api/users';
import { useApi } from '../console/use-api';
import type { Choices } from './remote-system-fields';

/** A subflow a flow record may run: a published one (or a system template, which is published as it ships). */
const published = (subflow: SubflowSummary) => subflow.system || (subflow.latestVersion ?? 0) > 0;

export interface ConfigChoices extends Choices {
  publishedOf: (kind: SubflowSummary['kind']) => { value: string; label: string }[];
  subflowName: (id: string) => string;
}

/** What the definition's dialogs pick from: users (when the caller may list them) and subflows. */
export function useConfigChoices(): ConfigChoices {
  const { value } = useApi(async () => {
    const [subflows, users] = await Promise.all([subflowApi.list(), userApi.list().catch(() => null)]);
    return { subflows, users };
  }, 'choices');
  const subflows = value?.subflows ?? [];
  const publishedOf = (kind: SubflowSummary['kind']) => subflows.filter((subflow) => subflow.kind === kind && published(subflow)).map((subflow) => ({ value: subflow.id, label: `${subflow.name} (${subflow.id})` }));
  return {
    users: value?.users?.map((user) => ({ value: user.sys_id, label: `${user.user_name} (${user.roles.join(', ') || 'no roles'})` })) ?? null,
    errorSubflows: publishedOf('error'),
    publishedOf,
    subflowName: (id) => subflows.find((subflow) => subflow.id === id)?.name ?? id,
  };
}
