import { randomBytes } from 'node:crypto';
import { chmod, link, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const SECRET_KEY_FILE = 'secret.key';

/** The file as written: the key in base64 and a newline, which an admin can copy into LOCKSTEP_SECRET_KEY. */
async function readKeyFile(file: string): Promise<Buffer> {
  // A key file copied in with a looser mode (from a backup, say) is narrowed to its owner.
  await chmod(file, 0o600);
  const text = (await readFile(file, 'utf8')).trim();
  const key = Buffer.from(text, 'base64');
  if (!/^[A-Za-z0-9+/]{43}=$/.test(text) || key.length !== 32) {
    throw new Error(`${file} does not hold a 32-byte key in base64; restore it from a backup, since the stored secrets open only with the key that sealed them`);
  }
  return key;
}

/**
 * Written whole under a name of its own, then linked into place, which
 * fails when a key is there already: of two processes starting on one
 * directory, one makes the key and the other reads it, never half of it.
 */
async function makeKeyFile(file: string): Promise<void> {
  const draft = `${file}.${randomBytes(8).toString('hex')}`;
  await writeFile(draft, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  try {
    await link(draft, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    await rm(draft, { force: true });
  }
}

/**
 * The key that seals the secrets this instance keeps at rest: the setting
 * (LOCKSTEP_SECRET_KEY) when given, else `<data dir>/secret.key`, made on
 * the first start, readable by the runtime's user alone. It lives there on
 * MongoDB too, apart from the database it protects; every process on one
 * database needs the same key.
 */
export async function loadSecretKey(setting: string | undefined, dataDir: string): Promise<Buffer> {
  if (setting !== undefined) return Buffer.from(setting, 'base64');
  const file = join(dataDir, SECRET_KEY_FILE);
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  try {
    return await readKeyFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await makeKeyFile(file);
  return readKeyFile(file);
}
