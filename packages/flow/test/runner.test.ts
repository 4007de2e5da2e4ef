import { beforeEach, describe, expect, it } from 'vitest';
import { MemoryContextStore, type FlowContextDocument } from '../src/runner/flow-context.js';
import { InvalidInputsError } from '../src/runner/runner.js';
import { graph, node, published, RecordedEffects, tester, testRunner } from './support/graphs.js';

const create = (id: string, values: Record<string, unknown> = { short_description: 'x' }, extra = {}) =>
  node(id, 'record.create', { table: 'incident', values }, extra);

describe('a run', () => {
  it('goes from start to end, resolving data pills and setting the outputs', async () => {
    const { runner } = testRunner();
    const flow = graph(
      [
        node('start', 'flow.start'),
        node('vars', 'flow.setVariables', { variables: { greeting: 'Hello {{ inputs.name }}', doubled: '{{ inputs.count * 2 }}' } }),
        node('end', 'flow.end', { outputs: { message: '{{ vars.greeting }}', doubled: '{{ vars.doubled }}' } }),
      ],
      ['start>vars', 'vars>end'],
      { inputs: [{ name: 'name', label: '', type: 'string', required: true, description: '' }, { name: 'count', label: '', type: 'number', required: false, description: '' }] },
    );
    const context = await runner.start(published(flow), { name: 'Ada', count: 21 }, { runAs: tester });
    expect(context).toMatchObject({ status: 'completed', outputs: { message: 'Hello Ada', doubled: 42 }, step_count: 3, error: null, position: null, vars: { greeting: 'Hello Ada', doubled: 42 } });
    expect(context.steps.vars).toMatchObject({ status: 'done', input: { variables: { greeting: 'Hello Ada', doubled: 42 } }, port: null, execution: 1 });
    expect(context.steps.end?.duration_ms).toBeGreaterThanOrEqual(0);
  });

  it('refuses missing or mistyped inputs before running anything', async () => {
    const { runner, store } = testRunner();
    const flow = graph([node('start', 'flow.start')], [], { inputs: [{ name: 'payload', label: '', type: 'object', required: true, description: '' }, { name: 'n', label: '', type: 'number', required: false, description: '' }] });
    const error = await runner.start(published(flow), { n: 'three' }, { runAs: tester }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InvalidInputsError);
    expect((error as InvalidInputsError).findings).toEqual([
      { input: 'payload', message: 'is required' },
      { input: 'n', message: 'must be a number' },
    ]);
    expect(store.contexts.size).toBe(0);
  });

  it('ends when a port has no edge', async () => {
    const { runner } = testRunner();
    const context = await runner.start(published(graph([node('start', 'flow.start'), node('log', 'flow.log', { message: 'only this' })], ['start>log'])), {}, { runAs: tester });
    expect(context.status).toBe('completed');
    expect(Object.keys(context.steps)).toEqual(['start', 'log']);
  });
});

describe('branching and loops', () => {
  const branching = graph(
    [
      node('start', 'flow.start'),
      node('check', 'flow.if', { condition: { match: 'all', conditions: [{ field: 'inputs.priority', operator: 'less_or_equal', value: 2 }] } }),
      node('urgent', 'flow.end', { outputs: { route: 'urgent' } }),
      node('normal', 'flow.end', { outputs: { route: 'normal' } }),
    ],
    ['start>check', 'check:true>urgent', 'check:false>normal'],
    { outputs: [{ name: 'route', label: '', type: 'string', required: true, description: '' }] },
  );

  it.each([
    [1, 'urgent'],
    [4, 'normal'],
  ])('takes the branch the condition picks (priority %i → %s)', async (priority, route) => {
    const { runner } = testRunner();
    const context = await runner.start(published(branching), { priority }, { runAs: tester });
    expect(context.outputs).toEqual({ route });
    expect(context.steps.check?.port).toBe(priority <= 2 ? 'true' : 'false');
  });

  it('runs the each branch per item, then the done branch', async () => {
    const { runner, effects } = testRunner();
    const flow = graph(
      [
        node('start', 'flow.start'),
        node('init', 'flow.setVariables', { variables: { total: 0 } }),
        node('loop', 'flow.forEach', { items: '{{ inputs.amounts }}' }),
        node('add', 'flow.setVariables', { variables: { total: '{{ vars.total + steps.loop.item }}' } }),
        create('save', { short_description: 'item {{ steps.loop.index }}' }),
        node('end', 'flow.end', { outputs: { total: '{{ vars.total }}' } }),
      ],
      ['start>init', 'init>loop', 'loop:each>add', 'add>save', 'save>loop', 'loop:done>end'],
    );
    const context = await runner.start(published(flow), { amounts: [5, 10, 20] }, { runAs: tester });
    expect(context.outputs).toEqual({ total: 35 });
    expect(context.steps.save?.execution).toBe(3);
    expect([...effects.created.values()].map((record) => record.short_description)).toEqual(['item 0', 'item 1', 'item 2']);
    // Each execution of a node has its own idempotency key.
    expect(new Set(effects.created.keys()).size).toBe(3);
  });
});

describe('failures', () => {
  it('take the error branch when there is one, with the error readable by later nodes', async () => {
    const effects = new RecordedEffects();
    effects.failuresLeft = 1;
    const { runner } = testRunner({ effects });
    const flow = graph(
      [node('start', 'flow.start'), create('make'), node('report', 'flow.end', { outputs: { problem: '{{ steps.make.error.message }}' } })],
      ['start>make', 'make:error>report'],
    );
    const context = await runner.start(published(flow), {}, { runAs: tester });
    expect(context.status).toBe('completed');
    expect(context.outputs).toEqual({ problem: 'the table is locked' });
    expect(context.steps.make).toMatchObject({ status: 'failed', error: 'the table is locked', port: 'error' });
  });

  it('set the run to error, naming the node, when there is no error branch', async () => {
    const { runner } = testRunner();
    const flow = graph([node('start', 'flow.start'), node('stop', 'flow.raiseError', { message: 'no {{ inputs.what }}' })], ['start>stop']);
    const context = await runner.start(published(flow), { what: 'caller' }, { runAs: tester });
    expect(context).toMatchObject({ status: 'error', error: { message: 'no caller', node_id: 'stop', code: 'step' } });
  });

  it('report a data pill that fails to evaluate', async () => {
    const { runner } = testRunner();
    const flow = graph([node('start', 'flow.start'), node('log', 'flow.log', { message: '{{ $notAFunction(1) }}' })], ['start>log']);
    const context = await runner.start(published(flow), {}, { runAs: tester });
    expect(context.status).toBe('error');
    expect(context.error?.code).toBe('expression');
    expect(context.error?.message).toContain('message');
  });

  it('report a data pill that hits an expression limit as such', async () => {
    const { runner } = testRunner();
    const flow = graph([node('start', 'flow.start'), node('log', 'flow.log', { message: '{{ $pad("x", 100000000) }}' })], ['start>log']);
    const context = await runner.start(published(flow), {}, { runAs: tester });
    expect(context.error).toMatchObject({ code: 'expression_limit', node_id: 'log' });
    expect(context.error?.message).toMatch(/^in message, .+ pads to 100000000 characters, more than the 1000000 bytes an expression may return/);
  });

  it('report params that are invalid once resolved', async () => {
    const { runner } = testRunner();
    const flow = graph([node('start', 'flow.start'), node('pause', 'flow.wait', { seconds: '{{ "soon" }}' })], ['start>pause']);
    const context = await runner.start(published(flow), {}, { runAs: tester });
    expect(context.error).toMatchObject({ code: 'invalid_params', node_id: 'pause' });
    expect(context.error?.message).toContain('seconds');
  });

  it('fail a node that has no implementation in this runtime', async () => {
    const { runner } = testRunner();
    const flow = graph([node('start', 'flow.start'), node('send', 'sync.sendPayload', { payload: {} })], ['start>send']);
    const context = await runner.start(published(flow), {}, { runAs: tester });
    expect(context.error).toMatchObject({ code: 'not_implemented', message: 'node type sync.sendPayload has no implementation in this runtime' });
  });

  it('time out a step that takes longer than its node timeout', async () => {
    const effects = new RecordedEffects();
    effects.delayMs = 500;
    const { runner } = testRunner({ effects });
    const flow = graph([node('start', 'flow.start'), create('slow', undefined, { timeoutMs: 20 })], ['start>slow']);
    const context = await runner.start(published(flow), {}, { runAs: tester });
    expect(context.error).toMatchObject({ code: 'timeout', node_id: 'slow' });
  });

  it("stop a run at the subflow's time limit, even with an error branch", async () => {
    const effects = new RecordedEffects();
    effects.delayMs = 500;
    const { runner } = testRunner({ effects });
    const flow = graph([node('start', 'flow.start'), create('slow'), node('handled', 'flow.end')], ['start>slow', 'slow:error>handled'], { timeLimitMs: 100 });
    const context = await runner.start(published(flow), {}, { runAs: tester });
    expect(context.error).toMatchObject({ code: 'time_limit', node_id: 'slow' });
  });
});

describe('durable waits and retries', () => {
  // The runners run on a clock of their own, which the wait node reads too (its step context's): moved on, not slept through.
  let clock = 0;
  beforeEach(() => {
    clock = Date.UTC(2026, 11, 3, 9);
  });
  const now = () => clock;
  const advance = (ms: number) => {
    clock += ms;
  };

  it('a wait suspends the run in the database and resumes when due', async () => {
    const flow = graph([node('start', 'flow.start'), node('pause', 'flow.wait', { seconds: 0.15 }), node('end', 'flow.end', { outputs: { done: true } })], ['start>pause', 'pause>end']);
    const { runner, store } = testRunner({ versions: [published(flow)], now });
    const toldWaiting: (number | null)[] = [];
    runner.onWaiting((context) => toldWaiting.push(context.resume_at));
    const waiting = await runner.start(published(flow), {}, { runAs: tester });
    expect(waiting.status).toBe('waiting');
    expect(waiting.resume_at).toBe(now() + 150);
    // The waker hears when it comes due, once it is stored.
    expect(toldWaiting).toEqual([waiting.resume_at]);
    expect(waiting).toMatchObject({ position: 'pause', memory: { pause: { until: waiting.resume_at } } });
    expect(waiting.steps.pause?.status).toBe('waiting');

    // Woken early, it goes back to waiting for the same deadline.
    const early = await runner.resume(waiting._id);
    expect(early).toMatchObject({ status: 'waiting', resume_at: waiting.resume_at });

    advance(200);
    const done = await testRunner({ store, versions: [published(flow)], now }).runner.resume(waiting._id);
    expect(done).toMatchObject({ status: 'completed', outputs: { done: true } });
  });

  it('a failed attempt with retries left waits, doubling the delay, then succeeds', async () => {
    const effects = new RecordedEffects();
    effects.failuresLeft = 2;
    const flow = graph([node('start', 'flow.start'), create('make', undefined, { retry: { attempts: 3, delayMs: 40 } })], ['start>make']);
    const { runner } = testRunner({ effects, versions: [published(flow)], now });
    const first = await runner.start(published(flow), {}, { runAs: tester });
    expect(first).toMatchObject({ status: 'waiting', steps: { make: { status: 'waiting', attempt: 1 } } });
    const firstDelay = (first.resume_at ?? 0) - (first.steps.make?.finished_at ?? 0);
    expect(firstDelay).toBe(40);

    advance(50);
    const second = await runner.resume(first._id);
    expect(second).toMatchObject({ status: 'waiting', steps: { make: { attempt: 2 } } });
    expect((second.resume_at ?? 0) - (second.steps.make?.finished_at ?? 0)).toBe(80);

    advance(90);
    const third = await runner.resume(first._id);
    expect(third).toMatchObject({ status: 'completed', steps: { make: { status: 'done', attempt: 3 } } });
    expect(effects.calls).toBe(3);
  });

  it('a run out of retries fails with the last error', async () => {
    const effects = new RecordedEffects();
    effects.failuresLeft = 5;
    const flow = graph([node('start', 'flow.start'), create('make', undefined, { retry: { attempts: 2, delayMs: 1 } })], ['start>make']);
    const { runner } = testRunner({ effects, versions: [published(flow)], now });
    const first = await runner.start(published(flow), {}, { runAs: tester });
    advance(5);
    expect(await runner.resume(first._id)).toMatchObject({ status: 'error', error: { message: 'the table is locked' } });
  });
});

/** A store that stops answering after a number of writes, as a process that dies would. */
class DyingStore extends MemoryContextStore {
  constructor(private writesLeft: number) {
    super();
  }

  override async update(id: string, set: Record<string, unknown>): Promise<void> {
    if (this.writesLeft <= 0) throw new Error('process died');
    this.writesLeft -= 1;
    return super.update(id, set);
  }
}

describe('resuming after the process died', () => {
  it('redoes the step that was in flight with the same idempotency key, so its effect is applied once', async () => {
    const flow = graph(
      [node('start', 'flow.start'), create('first', { n: 1 }), create('second', { n: 2 }), node('end', 'flow.end', { outputs: { second: '{{ steps.second.sys_id }}' } })],
      ['start>first', 'first>second', 'second>end'],
    );
    // Writes: first's progress stores the run (start has no side effects, so nothing is written before it),
    // second's progress updates it, and the next update, the run's end (end has none either), fails:
    // after second's effect happened but before its result was recorded.
    const dying = new DyingStore(1);
    const effects = new RecordedEffects();
    const crashed = await testRunner({ store: dying, effects }).runner.start(published(flow), {}, { runAs: tester }).catch((error: unknown) => error);
    expect((crashed as Error).message).toContain('process died');
    const [stored] = dying.contexts.values() as Iterable<FlowContextDocument>;
    expect(stored?.status).toBe('running');
    expect(stored?.steps.second?.status).toBe('running');
    expect(effects.created.size).toBe(2);

    const store = new MemoryContextStore();
    await store.insert(stored as FlowContextDocument);
    const resumed = await testRunner({ store, effects, versions: [published(flow)] }).runner.resume(stored?._id ?? '');
    expect(resumed.status).toBe('completed');
    expect(effects.created.size).toBe(2);
    expect(effects.resumedKeys).toEqual([`${stored?._id}/second/1/1`]);
    expect(resumed.outputs.second).toBe([...effects.created.values()][1]?.sys_id);
  });
});

/** Counts the writes a run makes, in the order made. */
class CountingStore extends MemoryContextStore {
  readonly writes: string[] = [];

  override async insert(context: FlowContextDocument): Promise<void> {
    this.writes.push(`insert at ${context.position}`);
    return super.insert(context);
  }

  override async update(id: string, set: Record<string, unknown>): Promise<void> {
    this.writes.push(`update ${typeof set.position === 'string' ? `at ${set.position}` : `to ${String(set.status)}`}`);
    return super.update(id, set);
  }
}

describe('writing a run down', () => {
  it('writes ahead of each step with side effects only, and keeps the records of the steps between', async () => {
    const store = new CountingStore();
    const flow = graph(
      [
        node('start', 'flow.start'),
        node('vars', 'flow.setVariables', { variables: { n: 1 } }),
        create('first'),
        node('check', 'flow.if', { condition: { match: 'all', conditions: [{ field: 'vars.n', operator: 'is', value: 1 }] } }),
        create('second'),
        node('end', 'flow.end'),
      ],
      ['start>vars', 'vars>first', 'first>check', 'check:true>second', 'second>end'],
    );
    const context = await testRunner({ store }).runner.start(published(flow), {}, { runAs: tester });
    expect(store.writes).toEqual(['insert at first', 'update at second', 'update to completed']);
    expect(context).toMatchObject({ status: 'completed', step_count: 6 });
    const [stored] = store.contexts.values();
    expect(Object.keys(stored?.steps ?? {}).sort()).toEqual(['check', 'end', 'first', 'second', 'start', 'vars']);
    expect(stored).toMatchObject({ status: 'completed', step_count: 6, vars: { n: 1 } });
    // What the run resolves with is what was stored.
    expect(context).toEqual(stored);
  });

  it('stores a run without side effects once, when it ends', async () => {
    const store = new CountingStore();
    await testRunner({ store }).runner.start(published(graph([node('start', 'flow.start'), node('end', 'flow.end')], ['start>end'])), {}, { runAs: tester });
    expect(store.writes).toEqual(['insert at null']);
    expect([...store.contexts.values()][0]?.status).toBe('completed');
  });
});

describe('a restartable run', () => {
  const flow = graph(
    [node('start', 'flow.start'), create('first', { n: 1 }), create('second', { n: 2 }), node('end', 'flow.end')],
    ['start>first', 'first>second', 'second>end'],
  );
  const contextId = 'c'.repeat(32);

  it('is stored once, when it settles, with every step recorded', async () => {
    const store = new CountingStore();
    const context = await testRunner({ store }).runner.start(published(flow), {}, { runAs: tester, contextId, restartable: true });
    expect(store.writes).toEqual(['insert at null']);
    expect(context.status).toBe('completed');
    expect(Object.keys(store.contexts.get(contextId)?.steps ?? {}).sort()).toEqual(['end', 'first', 'second', 'start']);
  });

  it('leaves nothing stored when its process dies, and started again under its id, applies each effect once', async () => {
    class DeadOnArrival extends MemoryContextStore {
      override async insert(): Promise<void> {
        throw new Error('process died');
      }
    }
    const dead = new DeadOnArrival();
    const effects = new RecordedEffects();
    const crashed = await testRunner({ store: dead, effects }).runner.start(published(flow), {}, { runAs: tester, contextId, restartable: true }).catch((error: unknown) => error);
    expect((crashed as Error).message).toContain('process died');
    expect(dead.contexts.size).toBe(0);
    expect(effects.created.size).toBe(2);

    // Its caller (a queue item's next claim) starts it over: the same keys find the records made the first time.
    const again = await testRunner({ effects }).runner.start(published(flow), {}, { runAs: tester, contextId, restartable: true });
    expect(again.status).toBe('completed');
    expect(effects.created.size).toBe(2);
    expect([...effects.created.keys()]).toEqual([`${contextId}/first/1/1`, `${contextId}/second/1/1`]);
  });
});

describe('calling a subflow', () => {
  const child = published(
    graph(
      [node('start', 'flow.start'), node('end', 'flow.end', { outputs: { shout: '{{ $uppercase(inputs.word) }}' } })],
      ['start>end'],
      { inputs: [{ name: 'word', label: '', type: 'string', required: true, description: '' }], outputs: [{ name: 'shout', label: '', type: 'string', required: true, description: '' }] },
    ),
    'child',
  );

  it("runs the child's latest version as its own context, as the parent's user in the parent's domain, and returns its outputs", async () => {
    const { runner, store } = testRunner({ versions: [child] });
    const { callSubflowImplementation } = await import('../src/implementations/call-subflow.js');
    const lookedUpAs: unknown[] = [];
    const latest = async (id: string, runAs: unknown) => {
      lookedUpAs.push(runAs);
      return id === 'child' ? child : null;
    };
    const withCall = testRunner({ store, versions: [child], extra: [callSubflowImplementation((...args) => runner.start(...args), latest)] });
    const parent = graph(
      [node('start', 'flow.start'), node('call', 'flow.callSubflow', { subflow: 'child', inputs: { word: 'hi' } }), node('end', 'flow.end', { outputs: { got: '{{ steps.call.outputs.shout }}' } })],
      ['start>call', 'call>end'],
    );
    const acmeTester = { ...tester, domain: 'global/acme' };
    const context = await withCall.runner.start(published(parent, 'parent'), {}, { runAs: acmeTester });
    expect(context.outputs).toEqual({ got: 'HI' });
    const childContext = await store.get(context.steps.call?.output ? (context.steps.call.output as { contextId: string }).contextId : '');
    expect(childContext).toMatchObject({ subflow_id: 'child', status: 'completed', parent: { context_id: context._id, node_id: 'call' }, run_as: acmeTester, sys_domain: 'global/acme' });
    expect(context.sys_domain).toBe('global/acme');
    // Which subflows a run may call depends on whom it runs as, so the look-up is told.
    expect(lookedUpAs).toEqual([acmeTester]);
  });

  it('fails the call when the subflow is not published', async () => {
    const { runner } = testRunner();
    const { callSubflowImplementation } = await import('../src/implementations/call-subflow.js');
    const withCall = testRunner({ extra: [callSubflowImplementation((...args) => runner.start(...args), async () => null)] });
    const parent = graph([node('start', 'flow.start'), node('call', 'flow.callSubflow', { subflow: 'nope' })], ['start>call']);
    const context = await withCall.runner.start(published(parent, 'parent'), {}, { runAs: tester });
    expect(context.error?.message).toBe('there is no published subflow nope; publish it before calling it');
  });

  it('starting twice with the same context id runs once', async () => {
    const { runner, store } = testRunner();
    const first = await runner.start(child, { word: 'a' }, { contextId: 'fixed-id', runAs: tester });
    const second = await runner.start(child, { word: 'b' }, { contextId: 'fixed-id', runAs: tester });
    expect(second.outputs).toEqual(first.outputs);
    expect(store.contexts.size).toBe(1);
  });
});

describe('a failure with a code', () => {
  it('keeps the code on the run, so its starter can tell kinds of failure apart', async () => {
    const { implement, StepError } = await import('../src/implementation.js');
    const { sendCapturedPayload } = await import('../src/nodes/sync.js');
    const unreachable = implement(sendCapturedPayload, async () => {
      throw new StepError('the peer is down', 'peer_unavailable');
    });
    const { runner } = testRunner({ extra: [unreachable] });
    const flow = graph([node('start', 'flow.start'), node('send', 'sync.sendPayload', { payload: {} })], ['start>send']);
    const context = await runner.start(published(flow), {}, { runAs: tester });
    expect(context.error).toMatchObject({ code: 'peer_unavailable', message: 'the peer is down', node_id: 'send' });
  });
});
