import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { validateSubflow } from '@lockstep/flow';
import { subflowGraphSchema } from '@lockstep/schema';
import { describe, expect, it } from 'vitest';
import { templatesDirectory } from '../../src/flows/templates.js';

const files = (await readdir(templatesDirectory)).filter((name) => name.endsWith('.json')).sort();

describe('the shipped templates', () => {
  it('are the outbound, inbound and error basics, and the remote task flows', () => {
    expect(files).toEqual(['error-basic.json', 'inbound-basic.json', 'outbound-basic.json', 'remote-task-inbound.json', 'remote-task-outbound.json']);
  });

  it.each(files)('%s is a subflow graph that validates without errors', async (name) => {
    const graph = subflowGraphSchema.parse(JSON.parse(await readFile(join(templatesDirectory, name), 'utf8')));
    expect(validateSubflow(graph).filter((finding) => finding.severity === 'error')).toEqual([]);
    expect(graph.kind).toBe(name.replace('-basic.json', '').replace('remote-task-', '').replace('.json', ''));
  });
});
