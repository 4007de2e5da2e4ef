import { nodeCatalog, validateSubflow } from '@lockstep/flow/catalog';
import type { SubflowGraph } from '@lockstep/schema';
import { z } from 'zod';
import { wordedIssue } from '../inspector/worded-issue';

/**
 * The engine's validation, off the main thread: on a few hundred steps it
 * takes long enough to stall a drag or a click if run between frames.
 */
export interface ValidationRequest {
  sequence: number;
  graph: SubflowGraph;
}

/** Validates one step of every type once, so each params schema is compiled before the first real graph arrives. */
function warmUp(): void {
  const nodes = nodeCatalog.map((definition, index) => ({ id: `n${index}`, type: definition.type, label: '', position: { x: 0, y: 0 }, params: { text: '{{ inputs.x }}' } }));
  validateSubflow({ name: 'warm-up', description: '', kind: 'custom', inputs: [], outputs: [], timeLimitMs: 30_000, nodes, edges: [] });
}

// The engine words a param that breaks its schema with zod's message; the designer's words replace zod's own here, in this worker alone.
z.config({ customError: wordedIssue });

// A dedicated worker's global scope posts like a Worker does; the DOM typings this project builds with call it a Window.
const scope = self as unknown as Worker;

scope.addEventListener('message', (event: MessageEvent<ValidationRequest>) => {
  const { sequence, graph } = event.data;
  scope.postMessage({ sequence, findings: validateSubflow(graph) });
});

warmUp();
