import { z } from 'zod';
import { roleName } from './roles.js';

/** API bodies for managing users and their API tokens. */

export const userName = z
  .string()
  .min(1)
  .max(80)
  .regex(/^[A-Za-z0-9._@-]+$/, 'a user name is letters, digits and . _ @ -');

export const password = z.string().min(8, 'a password has at least 8 characters').max(256);

export const domainName = z
  .string()
  .min(1)
  .max(80)
  .regex(/^[a-z0-9_]+(\/[a-z0-9_]+)*$/, 'a domain is a path of lower-case names, e.g. global or global/acme');

export const userCreateSchema = z.strictObject({
  user_name: userName,
  name: z.string().max(120).default(''),
  email: z.string().email().or(z.literal('')).default(''),
  roles: z.array(roleName).default([]),
  /** @default the caller's domain */
  sys_domain: domainName.optional(),
  /** Omit for a user that authenticates by API token only. */
  password: password.optional(),
  active: z.boolean().default(true),
});

export const userUpdateSchema = z
  .strictObject({
    name: z.string().max(120),
    email: z.string().email().or(z.literal('')),
    roles: z.array(roleName),
    sys_domain: domainName,
    password: password.nullable(),
    active: z.boolean(),
  })
  .partial();

/** A new token's body; every token expires, after at most the instance's `maxDays` (`--token-max-days`). */
export function tokenCreateSchema(maxDays: number) {
  return z.strictObject({
    name: z.string().min(1).max(80),
    /** Days until the token stops working. @default maxDays */
    expires_in_days: z.number().int().min(1).max(maxDays, `a token lives at most ${maxDays} days on this instance (--token-max-days)`).default(maxDays),
  });
}

export type UserCreate = z.infer<typeof userCreateSchema>;
export type UserUpdate = z.infer<typeof userUpdateSchema>;
export type TokenCreate = z.infer<ReturnType<typeof tokenCreateSchema>>;
