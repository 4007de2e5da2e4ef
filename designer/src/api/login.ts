import { issuedTokenSchema, meSchema, resultOf } from '@lockstep/schema';
import { z } from 'zod';
import { request } from './client';
import { currentSession, endSession, keepSession, type Session } from './session';

const issuedToken = resultOf(issuedTokenSchema);
/** `home_domain` is the user's own domain, the widest the tab may work in. */
const principal = resultOf(meSchema);

/**
 * Signs in with a user name and password: the runtime's own token endpoint
 * issues this tab a day-long bearer token, so the password is sent once and
 * never stored. Signing out revokes it.
 */
export async function signIn(userName: string, password: string): Promise<Session> {
  const basic = `Basic ${btoa(`${userName}:${password}`)}`;
  const { body } = await request(issuedToken, '/lockstep/v1/users/me/tokens', {
    method: 'POST',
    body: { name: `designer ${new Date().toISOString().slice(0, 16)}`, expires_in_days: 1 },
    authorization: basic,
  });
  const me = await request(principal, '/lockstep/v1/me', { authorization: `Bearer ${body.result.token}` });
  const { userName: name, roles, home_domain: domain } = me.body.result;
  const session = { token: body.result.token, tokenId: body.result.sys_id, userName: name, roles, domain };
  keepSession(session);
  return session;
}

/** Revokes the tab's token, then forgets it; the session ends even when the runtime cannot be reached. */
export async function signOut(): Promise<void> {
  const session = currentSession();
  try {
    if (session) await request(z.undefined(), `/lockstep/v1/users/me/tokens/${encodeURIComponent(session.tokenId)}`, { method: 'DELETE' });
  } finally {
    endSession();
  }
}
