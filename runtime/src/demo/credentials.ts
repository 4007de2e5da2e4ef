import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { customerLogins } from './customers.js';

/** The file as saved; what is missing is generated, so an older file gains the customers' passwords. */
const savedSchema = z.object({
  admin_password: z.string().min(1).optional(),
  agent_password: z.string().min(1).optional(),
  /** By user name: the provider's customer admins and agents. */
  customer_passwords: z.record(z.string(), z.string().min(1)).optional(),
});
type Saved = z.infer<typeof savedSchema>;

export interface DemoCredentials {
  admin_password: string;
  agent_password: string;
  customer_passwords: Record<string, string>;
}

const secret = () => randomBytes(18).toString('base64url');

/**
 * The demo's passwords: kept in `<dataDir>/demo-credentials.json` (mode 0600)
 * and reused on later runs. LOCKSTEP_ADMIN_PASSWORD, when set, is the admin's
 * and is not written down.
 */
export async function demoCredentials(dataDir: string, adminFromEnv: string | undefined): Promise<DemoCredentials> {
  const file = join(dataDir, 'demo-credentials.json');
  let saved: Saved = {};
  try {
    saved = savedSchema.parse(JSON.parse(await readFile(file, 'utf8')));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`cannot read ${file}: ${(error as Error).message}`, { cause: error });
  }
  const customer_passwords = Object.fromEntries(customerLogins.map(({ userName }) => [userName, saved.customer_passwords?.[userName] ?? secret()]));
  const credentials = { admin_password: saved.admin_password ?? secret(), agent_password: saved.agent_password ?? secret(), customer_passwords };
  // In the schema's order, as a saved file parses, so an unchanged file is not written again.
  const toSave: Saved = { ...(adminFromEnv ? {} : { admin_password: credentials.admin_password }), agent_password: credentials.agent_password, customer_passwords };
  if (JSON.stringify(toSave) !== JSON.stringify(saved)) {
    await mkdir(dataDir, { recursive: true });
    await writeFile(file, `${JSON.stringify(toSave, null, 2)}\n`, { mode: 0o600 });
    await chmod(file, 0o600);
  }
  return adminFromEnv ? { ...credentials, admin_password: adminFromEnv } : credentials;
}
