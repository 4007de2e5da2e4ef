import { z } from 'zod';

/**
 * The signed-in user: a bearer token the runtime issued for this browser tab.
 * It lives in sessionStorage, so closing the tab signs out and the password
 * itself is never kept.
 */
/** `tokenId` is the token's sys_id, so signing out can revoke it; `roles` decide which pages the console offers. */
const sessionSchema = z.object({ token: z.string().min(1), tokenId: z.string().min(1), userName: z.string().min(1), roles: z.array(z.string()).default([]) });
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
