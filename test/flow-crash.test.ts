import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../runtime/test/support/until.js';
import { spawnRuntime, type RuntimeProcess } from './support/runtime-process.js';
import { edge, node } from './support/subflow-parts.js';

const auth = `Basic ${Buffer.from('admin:crash-test-password').toString('base64')}`;
/**
 * Enough steps that each kill lands while the run is busy, most likely inside a step, even where a resumed run
 * goes faster than the looks at its records (at 60 items, a quiet machine's run once finished between a restart
 * and the next look); few enough for three restarts in 30 s on a busy machine.
 */
const ITEMS = 200;
/** Records the run makes between two kills: the second waits for the resumed run to have gone this far again. */
const BETWEEN_KILLS = 20;


/** Per item: create an incident, then add a work note to it: two side effects per item, hundreds of steps. */
const multiStepFlow = {
  name: 'Crash test',
  kind: 'custom',
  inputs: [{ name: 'items', type: 'array', required: true }],
  nodes: [
    node('start', 'flow.start'),
    node('loop', 'flow.forEach', { items: '{{ inputs.items }}' }),
    node('create', 'record.create', { table: 'incident', values: { short_description: 'crash-{{ steps.loop.item }}' } }),
    node('note', 'record.update', { table: 'incident', sys_id: '{{ steps.create.sys_id }}', values: { work_notes: 'note for {{ steps.loop.item }}' } }),
    node('end', 'flow.end'),
  ],
  edges: [edge('start', 'loop'), edge('loop', 'create', 'each'), edge('create', 'note'), edge('note', 'loop'), edge('loop', 'end', 'done')],
};

let dataDir: string;
let runtime: RuntimeProcess | undefined;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'lockstep-crash-'));
});
afterAll(async () => {
  await runtime?.stop('SIGKILL');
  await rm(dataDir, { recursive: true, force: true });
});

async function call(method: string, path: string, body?: unknown) {
  const response = await fetch(`${runtime?.url}${path}`, {
    method,
    headers: { authorization: auth, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return response.json();
}

async function crashIncidents(): Promise<{ short_description: string; work_notes: { value: string }[] }[]> {
  return (await call('GET', `/api/now/table/incident?sysparm_fields=short_description,work_notes&sysparm_query=${encodeURIComponent('short_descriptionSTARTSWITHcrash-')}`)).result;
}

describe('a runtime killed in the middle of a flow, again and again', () => {
  it('finishes the run after a restart, with every record created and noted exactly once', async () => {
    runtime = await spawnRuntime(['--data-dir', dataDir], { LOCKSTEP_ADMIN_PASSWORD: 'crash-test-password' });
    const draft = await call('POST', '/api/lockstep/v1/subflows', multiStepFlow);
    const items = Array.from({ length: ITEMS }, (_, index) => String(index));
    // The test run answers only when the run ends, which it will not in this process.
    const answered = call('POST', `/api/lockstep/v1/subflows/${draft.result.id}/test-run`, { inputs: { items } }).catch((error: unknown) => error);

    // Killed twice, at different points of the run: each kill lands inside a step or between two.
    let made = 0;
    for (let kill = 0; kill < 2; kill++) {
      const progress = made + BETWEEN_KILLS;
      const before = await eventually(crashIncidents, (records) => records.length >= progress, `${progress} records exist`);
      expect(before.length).toBeLessThan(ITEMS);
      made = before.length;
      await runtime.stop('SIGKILL');
      runtime = await spawnRuntime(['--data-dir', dataDir]);
    }
    expect(await answered).toBeInstanceOf(Error);
    const [started] = (await call('GET', `/api/lockstep/v1/contexts?subflow=${draft.result.id}`)).result;
    const finished = await eventually(
      async () => (await call('GET', `/api/lockstep/v1/contexts/${started.sys_id}`)).result,
      (context) => context.status === 'completed' || context.status === 'error',
      'the run finished',
    );
    expect(finished.error).toBeNull();
    expect(finished.status).toBe('completed');
    expect(finished.steps.create.execution).toBe(ITEMS);

    const records = await crashIncidents();
    expect(records.map((record) => record.short_description).sort()).toEqual(items.map((item) => `crash-${item}`).sort());
    for (const record of records) {
      expect(record.work_notes.map((entry) => entry.value)).toEqual([`note for ${record.short_description.slice('crash-'.length)}`]);
    }
    const contexts = await call('GET', `/api/lockstep/v1/contexts?subflow=${draft.result.id}`);
    expect(contexts.result).toHaveLength(1);
  });
});
