import type { SubflowSummary } from '../api/subflows';

/**
 * A subflow as lists and pickers name it: copies often share a name, so its
 * version and domain go with it, never its id.
 */
export function subflowLabel(subflow: Pick<SubflowSummary, 'name' | 'system' | 'latestVersion' | 'sys_domain'>): string {
  const version = subflow.system ? 'template' : subflow.latestVersion ? `v${subflow.latestVersion}` : 'never published';
  return `${subflow.name} · ${version} · ${subflow.sys_domain}`;
}
