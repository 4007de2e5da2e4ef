import type { StepRecord } from '@lockstep/flow';
import { cappedJson } from './step-value-cap.js';

/*
 * How a flow context keeps one step. Most of a context is its steps, and
 * most of a step was field names and values every step shares: so what a
 * step has as almost every step has it is left out, and put back on
 * reading. Inputs and outputs are JSON text (see context-store.ts).
 */

/** A step's fields as nearly every step has them: a first execution and attempt that finished without error, a retry or a port. */
const USUAL = { status: 'done', execution: 1, attempt: 1, error: null, error_code: null, port: null, next_attempt: null } as const satisfies Partial<StepRecord>;

type Usual = keyof typeof USUAL;

/**
 * A step as stored: without its node id (its key in `steps`), its fields
 * that hold their USUAL value, its duration (its two times give it), and
 * its output when that is its input again (an End or Set variables node).
 * Contexts stored before are whole, and read the same way.
 */
export type StoredStep = Omit<StepRecord, 'node_id' | 'input' | 'output' | 'duration_ms' | Usual> &
  Partial<Pick<StepRecord, 'node_id' | 'duration_ms' | Usual>> & { input_json: string; output_json?: string };

const encode = (value: unknown): string => JSON.stringify(value ?? null);
const decode = (text: string): unknown => JSON.parse(text);

/** `ended`: the run completed or failed, so no step will read this step's output again, and it is capped as the input always is. */
export function encodeStep(step: StepRecord, ended: boolean): StoredStep {
  const { node_id: _key, input, output, duration_ms: _derived, ...rest } = step;
  const stored: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(rest)) {
    if (!(field in USUAL) || USUAL[field as Usual] !== value) stored[field] = value;
  }
  const inputJson = cappedJson(encode(input));
  const outputJson = ended ? cappedJson(encode(output)) : encode(output);
  stored.input_json = inputJson;
  if (outputJson !== inputJson) stored.output_json = outputJson;
  return stored as StoredStep;
}

export function decodeStep(nodeId: string, { input_json, output_json, ...stored }: StoredStep): StepRecord {
  const finished = stored.finished_at;
  return {
    node_id: nodeId,
    ...USUAL,
    duration_ms: finished === null ? null : finished - stored.started_at,
    ...stored,
    input: decode(input_json),
    output: decode(output_json ?? input_json),
  };
}
