import { linkTransitionSchema } from '@lockstep/schema';
import { fetchPage } from './paged';

export type { LinkTransition } from '@lockstep/schema';

/** The latest transitions of a remote system's inbound and outbound states, newest first. */
export async function linkHistory(remoteSystemId: string, limit = 20) {
  return (await fetchPage(linkTransitionSchema, `/lockstep/v1/sync/remote-systems/${encodeURIComponent(remoteSystemId)}/link-history?sysparm_limit=${limit}`)).rows;
}
