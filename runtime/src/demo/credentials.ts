import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface DemoCredentials {
  admin_password: string;
  agent_password: string;
}

const secret = () => randomBytes(18).toString('base64url');

/**
 * The demo's passwords: kept in `<dataDir>/demo-credentials.json` (mode 0600)
 * and reused on later runs. LOCKSTEP_ADMIN_PASSWORD, when set, is the admin's
 * and is not written down.
 */
export async function demoCredentials(dataDir: string, adminFromEnv: string | undefined): Promise<DemoCredentials> {
  const file = join(dataDir, 'demo-credentials.json');
  let saved: Partial<DemoCredentials> = {};
  try {
    saved = JSON.parse(await readFile(file, 'utf8')) as Partial<DemoCredentials>;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`cannot read ${file}: ${(error as Error).message}`, { cause: error });
  }
  const credentials = { admin_password: saved.admin_password ?? secret(), agent_password: saved.agent_password ?? secret() };
  const toSave: Partial<DemoCredentials> = { agent_password: credentials.agent_password, ...(adminFromEnv ? {} : { admin_password: credentials.admin_password }) };
  if (JSON.stringify(toSave) !== JSON.stringify(saved)) {
    await mkdir(dataDir, { recursive: true });
    await writeFile(file, `${JSON.stringify(toSave, null, 2)}\n`, { mode: 0o600 });
    await chmod(file, 0o600);
  }
  return adminFromEnv ? { ...credentials, admin_password: adminFromEnv } : credentials;
}
