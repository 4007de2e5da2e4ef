import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { subflowGraphSchema, type SubflowGraph } from '@lockstep/schema';
import type { Logger } from 'pino';
import type { SubflowStore } from './subflow-store.js';

/** The repository's templates/ folder, from src/flows and from dist/flows alike. */
export const templatesDirectory = fileURLToPath(new URL('../../../templates/', import.meta.url));

/** A template's file name is its subflow id, which flows and copies refer to, so it must stay a plain slug. */
const templateId = /^[a-z][a-z0-9-]{0,63}$/;

async function readTemplate(file: string): Promise<SubflowGraph> {
  const parsed = subflowGraphSchema.safeParse(JSON.parse(await readFile(file, 'utf8')));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
    throw new Error(`template ${file} is not a subflow graph: ${problems}`);
  }
  return parsed.data;
}

/**
 * Publishes each `<id>.json` in the directory as the read-only system subflow
 * `<id>`: version 1 on the first start, a new version when the file changed.
 * A template that does not parse stops the start, as any shipped file would.
 */
export async function loadTemplates(subflows: SubflowStore, directory: string, logger: Logger): Promise<void> {
  const files = (await readdir(directory)).filter((name) => name.endsWith('.json')).sort();
  for (const name of files) {
    const id = basename(name, '.json');
    if (!templateId.test(id)) throw new Error(`template ${name}: its name must be lower-case letters, digits and -, as it becomes the subflow id`);
    const { version, published } = await subflows.publishSystem(id, await readTemplate(join(directory, name)));
    if (published) logger.info({ subflow: id, version }, 'published system subflow from its template');
  }
}
