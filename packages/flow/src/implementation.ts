import type { PortName } from '@lockstep/schema';
import type { z } from 'zod';
import type { NodeType } from './catalog.js';
import type { StepErrorCode } from './failure-codes.js';
import type { SyncRun } from './sync-run.js';
import type { NodeDefinition } from './node-definition.js';

/** What expressions and implementations can read of a run. */
export interface FlowData {
  /** The subflow's inputs. */
  inputs: Record<string, unknown>;
  /** Each executed node's latest output, by node id. */
  steps: Record<string, unknown>;
  /** Flow variables, set by Set variables nodes. */
  vars: Record<string, unknown>;
}

export interface StepLog {
  (level: 'debug' | 'info' | 'warn' | 'error', message: string, details?: Record<string, unknown>): void;
}

/** The user a run acts as: record writes are made, checked and stamped as this user. */
export interface RunAs {
  userId: string;
  userName: string;
  roles: string[];
  domain: string;
}

export interface StepContext {
  contextId: string;
  runAs: RunAs;
  /**
   * The remote system whose change this run applies (an inbound flow), or
   * null. Records the run writes are not captured back to that system, which
   * is what keeps a change from echoing between instances.
   */
  origin: string | null;
  /** What the sync queue or a dry run gave the run; null for any other run. */
  sync: SyncRun | null;
  nodeId: string;
  /** 1 for the first attempt, counting retries. */
  attempt: number;
  /**
   * Unique per run, node, execution of that node (a loop runs it many times)
   * and attempt. A side effect is keyed on it, so resuming a run whose process
   * died mid-step does not apply the effect twice.
   */
  idempotencyKey: string;
  /** True when this attempt was already in flight when the run stopped: its effect may be there already. */
  resumed: boolean;
  data: FlowData;
  /** What this node kept from its previous execution in this run (a loop's position, a wait's deadline). */
  memory: unknown;
  /** Aborted when the attempt's time is up. */
  signal: AbortSignal;
  /** The run's clock (epoch ms): the runner's, which a test may set. A step's deadlines are read on it, not on Date. */
  now: () => number;
  log: StepLog;
}

/** How a step ended. */
export type StepOutcome<O = unknown> =
  | {
      kind: 'done';
      output: O;
      /** The port to leave by; defaults to the node's first port. */
      port?: PortName;
      /** Flow variables to set. */
      variables?: Record<string, unknown>;
      /** Kept for this node's next execution in the run; null forgets. */
      memory?: unknown;
    }
  | {
      /** Stop here and run this node again later: at `until`, or when something wakes the run (null). */
      kind: 'suspend';
      until: string | null;
      reason: string;
      memory?: unknown;
    };

export interface NodeImplementation<P extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType, T extends string = string> {
  definition: NodeDefinition<P, O, T>;
  run(params: z.output<P>, context: StepContext): Promise<StepOutcome<z.output<O>>>;
}

/** Binds behaviour to a node type; params arrive resolved and validated against the definition. */
export function implement<P extends z.ZodType, O extends z.ZodType, T extends string>(
  definition: NodeDefinition<P, O, T>,
  run: (params: z.output<P>, context: StepContext) => Promise<StepOutcome<z.output<O>>>,
): NodeImplementation<P, O, T> {
  return { definition, run };
}

/**
 * One implementation for each catalog node, under its type. Built as an
 * object of this type, a registry that lacks a catalog node does not
 * compile, and neither does one that binds a node under another's type.
 */
export type NodeRegistry = { readonly [T in NodeType]: NodeImplementation<z.ZodType, z.ZodType, T> };

/** Implementations keyed by their node types, which the key types keep. */
type ByType<I extends NodeImplementation> = { [K in I as K['definition']['type']]: K };

/** Keys implementations by their node types, to be spread into a NodeRegistry. */
export function byType<const I extends readonly NodeImplementation[]>(...implementations: I): ByType<I[number]> {
  return Object.fromEntries(implementations.map((implementation) => [implementation.definition.type, implementation])) as ByType<I[number]>;
}

/**
 * A failure a node reports on purpose, with a message meant for the designer
 * and a code the run's error keeps, so whoever started the run can tell kinds
 * of failure apart (a peer that is down from data it refused).
 */
export class StepError extends Error {
  override readonly name = 'StepError';
  constructor(
    message: string,
    /** @default 'step' */
    readonly code: StepErrorCode = 'step',
  ) {
    super(message);
  }
}
