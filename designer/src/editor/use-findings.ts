import type { SubflowGraph } from '@lockstep/schema';
import { useEffect, useRef, useState } from 'react';
import { findingSchema, type Finding } from '../api/subflows';
import { z } from 'zod';
import type { ValidationRequest } from './validation.worker';
import { nextSequence, validationWorker } from './validation-worker';

const answerSchema = z.object({ sequence: z.number(), findings: z.array(findingSchema) });
/** Quiet time after an edit before validating again, so typing and dragging do not queue up work. */
const SETTLE_MS = 120;

/**
 * The engine's findings for the graph being drawn, from a worker. Null until
 * the first answer. Selecting or moving steps changes nothing the engine
 * checks, so only a graph changed in other ways is sent.
 */
export function useFindings(graph: SubflowGraph): Finding[] | null {
  const [findings, setFindings] = useState<Finding[] | null>(null);
  const sent = useRef({ sequence: 0, text: '' });

  useEffect(() => {
    const listen = (event: MessageEvent<unknown>) => {
      const answer = answerSchema.safeParse(event.data);
      // An answer to an older graph, or to another editor, is dropped.
      if (answer.success && answer.data.sequence === sent.current.sequence) setFindings(answer.data.findings);
    };
    validationWorker().addEventListener('message', listen);
    return () => validationWorker().removeEventListener('message', listen);
  }, []);

  useEffect(() => {
    const text = checkedText(graph);
    if (text === sent.current.text) return;
    const send = () => {
      sent.current = { sequence: nextSequence(), text };
      const request: ValidationRequest = { sequence: sent.current.sequence, graph };
      validationWorker().postMessage(request);
    };
    // The first graph goes at once, so opening a subflow shows its findings without waiting.
    if (sent.current.text === '') return send();
    const timer = setTimeout(send, SETTLE_MS);
    return () => clearTimeout(timer);
  }, [graph]);

  return findings;
}

/** The graph as the engine reads it: without positions, so dragging a step does not validate a large graph again on every pause. */
const checkedText = (graph: SubflowGraph): string => JSON.stringify({ ...graph, nodes: graph.nodes.map(({ position: _position, ...node }) => node) });
