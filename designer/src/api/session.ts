import { z } from 'zod';

/**
 * The signed-in user: a bearer token the runtime issued for this browser tab.
 * It lives in sessionStorage, so closing the tab signs out and the password
 * itself is never kept.
 */
/**
 * `tokenId` is the token's sys_id, so signing out can revoke it; `roles` decide which pages the console offers;
 * `domain` is the user's own, and `pickedDomain` one below it the tab narrowed to with the domain picker.
 */
const sessionSchema = z.object({
  token: z.string().min(1),
  tokenId: z.string().min(1),
  userName: z.string().min(1),
  roles: z.array(z.string()).default([]),
  domain: z.string().min(1),
  pickedDomain: z.string().min(1).optional(),
});
export type Session = z.infer<typeof sessionSchema>;

const KEY = 'lockstep.session';

export function currentSession(): Session | null {
  const stored = sessionStorage.getItem(KEY);
  if (stored === null) return null;
  const parsed = sessionSchema.safeParse(JSON.parse(stored));
  return parsed.success ? parsed.data : null;
}

export function keepSession(session: Session): void {
  sessionStorage.setItem(KEY, JSON.stringify(session));
}

export function endSession(): void {
  sessionStorage.removeItem(KEY);
}

/** The domain the tab works in: the one picked, else the user's own. */
export function workingDomain(session: Session): string {
  return session.pickedDomain ?? session.domain;
}

/** Narrows the tab to `domain`; picking the user's own domain ends the narrowing, so no domain header is sent. */
export function pickDomain(session: Session, domain: string): Session {
  const { pickedDomain: _dropped, ...rest } = session;
  const picked = domain === session.domain ? rest : { ...rest, pickedDomain: domain };
  keepSession(picked);
  return picked;
}
