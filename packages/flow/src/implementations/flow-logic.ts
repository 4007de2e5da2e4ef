import { evaluateCondition } from '../conditions/evaluate.js';
import { implement, StepError } from '../implementation.js';
import { end, forEach, ifCondition, log, raiseError, setVariables, start, wait } from '../nodes/flow-logic.js';

/*
 * The flow logic nodes need nothing outside the run, so they are implemented
 * here, next to the engine; the runtime adds records, sync and notify.
 */

export const startImplementation = implement(start, async () => ({ kind: 'done', output: {} }));

export const endImplementation = implement(end, async (params) => ({ kind: 'done', output: { outputs: params.outputs } }));

export const ifImplementation = implement(ifCondition, async (params, context) => {
  const result = evaluateCondition(params.condition, context.data);
  return { kind: 'done', output: { result }, port: result ? 'true' : 'false' };
});

interface LoopPosition {
  index: number;
  items: unknown[];
}

/**
 * The list is taken once, when the loop starts, and kept in the node's memory:
 * the each branch may change what the items expression would give.
 */
export const forEachImplementation = implement(forEach, async (params, context) => {
  const position = context.memory as LoopPosition | undefined;
  const items = position?.items ?? params.items;
  const index = position === undefined ? 0 : position.index + 1;
  if (index >= items.length) return { kind: 'done', output: { item: null, index, count: items.length }, port: 'done', memory: null };
  return { kind: 'done', output: { item: items[index], index, count: items.length }, port: 'each', memory: { index, items } satisfies LoopPosition };
});

export const setVariablesImplementation = implement(setVariables, async (params) => ({
  kind: 'done',
  output: { variables: params.variables },
  variables: params.variables,
}));

/** ISO 8601, or the stored `YYYY-MM-DD HH:mm:ss` form, which is UTC. */
function parseInstant(text: string): number {
  return Date.parse(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(text) ? `${text.replace(' ', 'T')}Z` : text);
}

/** The deadline is fixed the first time the node runs and kept, so a resumed wait does not start over. */
export const waitImplementation = implement(wait, async (params, context) => {
  const kept = context.memory as { until: number } | undefined;
  const now = context.now();
  const until = kept?.until ?? (params.seconds !== undefined ? now + params.seconds * 1000 : parseInstant(params.until ?? ''));
  if (Number.isNaN(until)) throw new StepError(`"${params.until}" is not a date-time; use ISO 8601, e.g. 2026-01-31T12:00:00Z`);
  if (now < until) return { kind: 'suspend', until: new Date(until).toISOString(), reason: 'waiting', memory: { until } };
  return { kind: 'done', output: { resumedAt: new Date(now).toISOString() }, memory: null };
});

export const logImplementation = implement(log, async (params, context) => {
  context.log(params.level, params.message);
  return { kind: 'done', output: { message: params.message } };
});

export const raiseErrorImplementation = implement(raiseError, async (params) => {
  throw new StepError(params.message);
});

export const flowLogicImplementations = [
  startImplementation,
  endImplementation,
  ifImplementation,
  forEachImplementation,
  setVariablesImplementation,
  waitImplementation,
  logImplementation,
  raiseErrorImplementation,
];
