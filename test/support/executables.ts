import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import path from 'node:path';

export async function isExecutable(file: string): Promise<boolean> {
  try {
    await access(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The directories of PATH, in order. */
export function pathDirectories(): string[] {
  return (process.env.PATH ?? '').split(path.delimiter).filter(Boolean);
}
