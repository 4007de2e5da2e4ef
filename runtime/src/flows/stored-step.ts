import type { StepRecord } from '@lockstep/flow';
import { cappedJson } from './step-value-cap.js';

/*
 * How a flow context keeps one step. Most of a context is its steps, and
 * most of a step was field names and values every step shares: so what a
 * step has as almost every step has it is left out, and put back on
 * reading. A step is kept as one JSON text: FerretDB v1 stores beside each
 * document the type of every field at every depth, and a step's fields as
 * fields made that schema as large as the steps themselves (a sync run's
 * context was 9 to 13 KB, 4.7 KB of it schema), which PostgreSQL wrote and
 * FerretDB encoded again for every run. Its input and output are JSON
 * inside that text (their keys may contain `.` or start with `$`, which the
 * stores refuse as field names; see context-store.ts).
 */

/** A step's fields as nearly every step has them: a first execution and attempt that finished without error, a retry or a port. */
const USUAL = { status: 'done', execution: 1, attempt: 1, error: null, error_code: null, port: null, next_attempt: null } as const satisfies Partial<StepRecord>;

type Usual = keyof typeof USUAL;

/** A step's fields that are not as usual, without its node id (its key in `steps`) and its duration (its two times give it). */
type LeanStep = Omit<StepRecord, 'node_id' | 'input' | 'output' | 'duration_ms' | Usual> & Partial<Pick<StepRecord, 'node_id' | 'duration_ms' | Usual>>;

/**
 * A step as contexts stored it before it was one text: its lean fields, and
 * its input and output as JSON text (no output_json when it is its input
 * again, as of an End or Set variables node). Still read the same way, as
 * are those stored whole before that.
 */
export type StoredStepFields = LeanStep & { input_json: string; output_json?: string };

/** A step as stored: the JSON text of its lean fields, its `input`, and its `output` unless that is its input again. */
export type StoredStep = string | StoredStepFields;

const encode = (value: unknown): string => JSON.stringify(value ?? null);

/** `ended`: the run completed or failed, so no step will read this step's output again, and it is capped as the input always is. */
export function encodeStep(step: StepRecord, ended: boolean): string {
  const { node_id: _key, input, output, duration_ms: _derived, ...rest } = step;
  const lean: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(rest)) {
    if (!(field in USUAL) || USUAL[field as Usual] !== value) lean[field] = value;
  }
  const inputJson = cappedJson(encode(input));
  const outputJson = ended ? cappedJson(encode(output)) : encode(output);
  // The input and output are JSON already: set into the text as they are, not quoted as strings again.
  const values = [`"input":${inputJson}`, ...(outputJson === inputJson ? [] : [`"output":${outputJson}`])];
  const fields = JSON.stringify(lean).slice(1, -1);
  return `{${[...(fields === '' ? [] : [fields]), ...values].join(',')}}`;
}

export function decodeStep(nodeId: string, stored: StoredStep): StepRecord {
  const { input, output, ...lean } = typeof stored === 'string' ? (JSON.parse(stored) as LeanStep & { input: unknown; output?: unknown }) : fromFields(stored);
  const finished = lean.finished_at;
  return {
    node_id: nodeId,
    ...USUAL,
    duration_ms: finished === null ? null : finished - lean.started_at,
    ...lean,
    input,
    output: output === undefined ? input : output,
  };
}

function fromFields({ input_json, output_json, ...lean }: StoredStepFields): LeanStep & { input: unknown; output: unknown } {
  return { ...lean, input: JSON.parse(input_json), output: JSON.parse(output_json ?? input_json) };
}
