import { z } from 'zod';

/**
 * The roles Lockstep knows, with the meanings the original product gives
 * them. One list for the API's validation and the runtime's checks, so a
 * role cannot be granted that no check ever asks for.
 */
export const roles = {
  /** Everything. */
  admin: 'admin',
  /** Works task records (incidents, cases, requests) through the Table API. */
  itil: 'itil',
  /** Creates, updates and deletes process sync definitions and their related records. */
  processSync: 'ih_process_sync',
  /** May call the Remote Process Sync APIs only. */
  processSyncApi: 'ih_process_sync_api',
  /** Runs inbound and outbound flows; also needs the roles of the tables those flows write. */
  processSyncRunAs: 'ih_process_sync_run_as',
} as const;

export type RoleName = (typeof roles)[keyof typeof roles];

const roleNames = Object.values(roles) as [RoleName, ...RoleName[]];

export const roleName = z.enum(roleNames, { error: `a role is one of ${roleNames.join(', ')}` });
