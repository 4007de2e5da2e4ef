import { z } from 'zod';

/** Users, their tokens and the caller, as the API shows them: never a password hash or a token's hash. */

export const userViewSchema = z.object({
  sys_id: z.string(),
  user_name: z.string(),
  name: z.string(),
  email: z.string(),
  roles: z.array(z.string()),
  sys_domain: z.string(),
  active: z.boolean(),
  sys_created_on: z.string(),
  sys_updated_on: z.string(),
  /** False for a user that authenticates by API token only. */
  has_password: z.boolean(),
});
export type UserView = z.infer<typeof userViewSchema>;

export const tokenViewSchema = z.object({
  sys_id: z.string(),
  user_id: z.string(),
  name: z.string(),
  /** The first characters, so a user can tell their tokens apart. */
  prefix: z.string(),
  sys_created_on: z.string(),
  /** The earlier of its own expiry and its creation plus the instance's maximum lifetime. */
  expires_on: z.string(),
});
export type TokenView = z.infer<typeof tokenViewSchema>;

/** A token just issued: the only time its secret is shown. */
export const issuedTokenSchema = tokenViewSchema.extend({ token: z.string() });

/** `GET /me`: who the request runs as, and in which domain. */
export const meSchema = z.object({
  sysId: z.string(),
  userName: z.string(),
  roles: z.array(z.string()),
  /** The domain this request works in: the user's own, or one below it that X-Lockstep-Domain narrowed to. */
  domain: z.string(),
  /** The user's own domain, the widest it may ever work in. */
  home_domain: z.string(),
});
export type Me = z.infer<typeof meSchema>;

/** One domain of `GET /domains`, in tree order; `depth` counts from the caller's home domain, which is 0. */
export const domainEntrySchema = z.object({
  name: z.string().min(1),
  parent: z.string().nullable(),
  label: z.string(),
  depth: z.number().int().min(0),
});
export type DomainEntry = z.infer<typeof domainEntrySchema>;
