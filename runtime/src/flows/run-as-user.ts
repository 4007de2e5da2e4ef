import type { RunAs } from '@lockstep/flow';
import { runAsOf } from '../auth/principal.js';
import { principalOfUser, type UserStore } from '../auth/user-store.js';
import { scopeOf } from '../domains/domain-scope.js';

/** Who a run acts as, or why no run may: a sentence naming the user, the domain and what to change. */
export type RunAsUser = { ok: true; runAs: RunAs } | { ok: false; reason: string };

export interface RunAsRequest {
  userId: string;
  /** Where the run works: the user must see it, since every step acts as the user there. @default the user's own domain */
  domain?: string;
  /** What names the user, as a message says it: `remote system "provider" (…)`. */
  namedBy: string;
  /** Where another user is chosen: the API address of what names it. */
  changeAt: string;
}

/**
 * The user a flow runs as, with that user's own roles, in `domain`. A user
 * that is gone, inactive, or outside `domain` runs nothing: a flow never acts
 * as anyone the Table API would refuse, nor as a stand-in with more rights.
 */
export async function runAsUser(users: UserStore, { userId, domain, namedBy, changeAt }: RunAsRequest): Promise<RunAsUser> {
  const user = await users.byId(userId);
  const instead = `choose an active user${domain === undefined ? '' : ` of domain ${domain} or above it`}, with the roles its flows need, as its run_as_user (PATCH ${changeAt})`;
  if (!user) return { ok: false, reason: `${namedBy} runs its flows as user ${userId}, which does not exist; ${instead}` };
  const who = `${namedBy} runs its flows as ${user.user_name} (${user._id})`;
  if (!user.active) return { ok: false, reason: `${who}, which is inactive; activate it (PATCH /api/lockstep/v1/users/${user._id}) or ${instead}` };
  const principal = principalOfUser(user);
  if (domain === undefined) return { ok: true, runAs: runAsOf(principal) };
  if (!scopeOf(principal).sees(domain)) {
    return { ok: false, reason: `${who}, whose domain ${user.sys_domain} does not include ${domain}, where this run works; ${instead}` };
  }
  return { ok: true, runAs: { ...runAsOf(principal), domain } };
}
