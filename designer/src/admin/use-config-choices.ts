import { subflowApi, type SubflowSummary } from '../api/subflows';
import { userApi } from '../api/users';
import { subflowLabel } from '../console/subflow-label';
import { useApi } from '../console/use-api';
import { covers } from '../domains/domain-path';
import type { Choices } from './remote-system-fields';

/** A subflow a flow record may run: a published one (or a system template, which is published as it ships). */
const published = (subflow: SubflowSummary) => subflow.system || (subflow.latestVersion ?? 0) > 0;

export interface ConfigChoices extends Choices {
  publishedOf: (kind: SubflowSummary['kind']) => { value: string; label: string }[];
  /** A subflow's name, version and domain (subflowLabel). */
  subflowName: (id: string) => string;
}

/**
 * What the definition's dialogs pick from: users (when the caller may list
 * them) and subflows, those the runtime accepts for a record in `domain` once
 * it is known: users of that domain or below it, subflows of it or above it.
 */
export function useConfigChoices(domain: string | undefined): ConfigChoices {
  const { value } = useApi(async () => {
    const [subflows, users] = await Promise.all([subflowApi.list(), userApi.list().catch(() => null)]);
    return { subflows, users };
  }, 'choices');
  const subflows = value?.subflows ?? [];
  const usable = (subflow: SubflowSummary) => domain === undefined || covers(subflow.sys_domain, domain);
  const inDomain = (user: { sys_domain: string }) => domain === undefined || covers(domain, user.sys_domain);
  const publishedOf = (kind: SubflowSummary['kind']) =>
    subflows.filter((subflow) => subflow.kind === kind && published(subflow) && usable(subflow)).map((subflow) => ({ value: subflow.id, label: subflowLabel(subflow) }));
  return {
    users: value?.users?.filter(inDomain).map((user) => ({ value: user.sys_id, label: `${user.user_name} (${user.roles.join(', ') || 'no roles'})` })) ?? null,
    errorSubflows: publishedOf('error'),
    publishedOf,
    subflowName: (id) => {
      const subflow = subflows.find((candidate) => candidate.id === id);
      if (subflow) return subflowLabel(subflow);
      // While the list loads, or one the caller cannot see: the id is all there is.
      return value === null ? 'Loading…' : `subflow ${id}`;
    },
  };
}
