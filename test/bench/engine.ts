import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { flowLogicImplementations, FlowRunner, type FlowContextDocument, type FlowContextStore, type RunnableSubflow } from '@lockstep/flow';
import type { SubflowGraph } from '@lockstep/schema';
import { StoredFlowContexts } from '../../runtime/src/flows/context-store.js';
import { openStore } from '@lockstep/store';

/**
 * Engine throughput: one run of a loop whose body sets a variable from a data
 * pill and branches on a condition, so each item costs three steps of the kind
 * real subflows are made of.
 */
const ITEMS = 5_000;
const STEPS_PER_ITEM = 3;
/** start, init, the loop once more to leave by done, and end, around the items' steps. */
const STEPS = 4 + ITEMS * STEPS_PER_ITEM;

const node = (id: string, type: string, params: Record<string, unknown> = {}) => ({ id, type, label: id, position: { x: 0, y: 0 }, params });
const edge = (source: string, target: string, sourceHandle: 'next' | 'each' | 'done' | 'true' | 'false' = 'next') => ({ id: `${source}-${sourceHandle}`, source, sourceHandle, target });

const graph: SubflowGraph = {
  name: 'engine bench',
  description: '',
  kind: 'custom',
  inputs: [{ name: 'count', label: '', type: 'number', required: true, description: '' }],
  outputs: [],
  timeLimitMs: 3_600_000,
  nodes: [
    node('start', 'flow.start'),
    node('init', 'flow.setVariables', { variables: { total: 0 } }),
    node('loop', 'flow.forEach', { items: '{{ [1..inputs.count] }}' }),
    node('add', 'flow.setVariables', { variables: { total: '{{ vars.total + steps.loop.item }}' } }),
    node('even', 'flow.if', { condition: { match: 'all', conditions: [{ field: 'vars.total', operator: 'greater_than', value: 0 }] } }),
    node('end', 'flow.end', { outputs: {} }),
  ],
  edges: [edge('start', 'init'), edge('init', 'loop'), edge('loop', 'add', 'each'), edge('add', 'even'), edge('even', 'loop', 'true'), edge('even', 'loop', 'false'), edge('loop', 'end', 'done')],
};
const subflow: RunnableSubflow = { id: 'bench', version: 1, graph };

/** Keeps contexts as plain objects, with no copying: the engine's own cost, without any store. */
export class NoStore implements FlowContextStore {
  private readonly contexts = new Map<string, FlowContextDocument>();
  async insert(context: FlowContextDocument) {
    this.contexts.set(context._id, context);
  }
  async update(id: string, set: Record<string, unknown>) {
    Object.assign(this.contexts.get(id) as object, set);
  }
  async get(id: string) {
    return this.contexts.get(id) ?? null;
  }
}

const runAs = { userId: 'bench', userName: 'bench', roles: ['admin'], domain: 'global' };

/** Seconds for one bench run, checking it ran every step. */
async function timedRun(runner: FlowRunner): Promise<number> {
  const started = process.hrtime.bigint();
  const context = await runner.start(subflow, { count: ITEMS }, { runAs });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (context.status !== 'completed') throw new Error(`the bench run ended ${context.status}: ${context.error?.message}`);
  if (context.step_count !== STEPS) throw new Error(`expected ${STEPS} recorded steps, got ${context.step_count}`);
  return seconds;
}

/** The median of five runs, after one unmeasured run that lets the JIT compile the hot paths. */
export async function stepsPerSecond(store: FlowContextStore): Promise<{ steps: number; seconds: number }> {
  const runner = new FlowRunner({
    implementations: flowLogicImplementations,
    store,
    loadVersion: async () => subflow,
    newId: () => randomUUID().replaceAll('-', ''),
  });
  await timedRun(runner);
  const times: number[] = [];
  for (let run = 0; run < 5; run += 1) times.push(await timedRun(runner));
  times.sort((a, b) => a - b);
  return { steps: STEPS, seconds: times[2] as number };
}

export async function engineBench(print: (line: string) => void): Promise<void> {
  print(`engine: runs of ${ITEMS} loop items × ${STEPS_PER_ITEM} steps (data pills, conditions, XState transitions); median of 5 after a warm-up run`);
  const excluded = await stepsPerSecond(new NoStore());
  print(`  store I/O excluded:            ${Math.round(excluded.steps / excluded.seconds).toLocaleString('en')} steps/s (${excluded.steps} steps in ${excluded.seconds.toFixed(2)} s; goal ≥ 20,000)`);

  const dataDir = await mkdtemp(join(tmpdir(), 'lockstep-bench-'));
  try {
    const targets: [string, { dataDir: string; mongodbUri?: string; databaseName?: string }][] = [['embedded store', { dataDir }]];
    if (process.env.MONGODB_URI) targets.push(['mongodb store', { dataDir, mongodbUri: process.env.MONGODB_URI, databaseName: `lockstep_bench_${Date.now()}` }]);
    for (const [name, options] of targets) {
      const store = await openStore(options);
      try {
        const contexts = new StoredFlowContexts(store);
        await contexts.prepare();
        const included = await stepsPerSecond(contexts);
        print(`  store I/O included (${name}):`.padEnd(32) + ` ${Math.round(included.steps / included.seconds).toLocaleString('en')} steps/s (${included.steps} steps in ${included.seconds.toFixed(2)} s; one write per step)`);
      } finally {
        await store.close();
      }
    }
    if (!process.env.MONGODB_URI) print('  (set MONGODB_URI to measure the mongodb store too)');
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}
