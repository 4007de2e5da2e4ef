import { DuplicateKeyError } from '@lockstep/store';
import { generatePassword } from './passwords.js';
import { roles } from './roles.js';
import type { UserStore } from './user-store.js';

export interface FirstAdmin {
  userName: string;
  /** From the environment; when absent a password is generated and reported once. */
  password: string | undefined;
}

/**
 * On the first start of an instance (no users at all) an admin is created, so
 * there is always someone who can log in and create the others.
 * Returns the generated password, if one had to be generated.
 */
export async function ensureFirstAdmin(users: UserStore, admin: FirstAdmin): Promise<{ created: boolean; generatedPassword?: string }> {
  if ((await users.count()) > 0) return { created: false };
  const generatedPassword = admin.password === undefined ? generatePassword() : undefined;
  try {
    await users.create({
    user_name: admin.userName,
    name: 'System Administrator',
    email: '',
    roles: [roles.admin],
    sys_domain: 'global',
    password: admin.password ?? generatedPassword,
    active: true,
    });
  } catch (error) {
    // Another runtime process sharing this database created it first.
    if (error instanceof DuplicateKeyError) return { created: false };
    throw error;
  }
  return generatedPassword === undefined ? { created: true } : { created: true, generatedPassword };
}
