import type { Viewport } from '@xyflow/react';
import type { StepFlowNode } from './flow-graph';
import { STEP_HEIGHT, STEP_WIDTH } from './step-size';

/** Below this zoom a step's text is too small to read at a glance. */
export const READABLE_ZOOM = 0.75;
/** Room kept between the graph and the canvas's edges, in screen pixels. */
const MARGIN = 40;

/**
 * Where the canvas looks when a subflow opens: the whole graph when it fits
 * at a readable zoom (never enlarged past 100%), else the start of the flow at
 * 100%, at the side the graph grows away from (left for a flow that runs
 * rightwards, top for one drawn downwards), the rest left to the minimap.
 */
export function openingView(nodes: readonly StepFlowNode[], canvas: { width: number; height: number }): Viewport {
  if (nodes.length === 0) return { x: MARGIN, y: MARGIN, zoom: 1 };
  const left = Math.min(...nodes.map((node) => node.position.x));
  const top = Math.min(...nodes.map((node) => node.position.y));
  const right = Math.max(...nodes.map((node) => node.position.x + (node.measured?.width ?? STEP_WIDTH)));
  const bottom = Math.max(...nodes.map((node) => node.position.y + (node.measured?.height ?? STEP_HEIGHT)));
  const fitting = Math.min(1, (canvas.width - 2 * MARGIN) / (right - left), (canvas.height - 2 * MARGIN) / (bottom - top));
  if (fitting >= READABLE_ZOOM) {
    return { zoom: fitting, x: (canvas.width - (right - left) * fitting) / 2 - left * fitting, y: (canvas.height - (bottom - top) * fitting) / 2 - top * fitting };
  }
  const start = (nodes.find((node) => node.data.step.type === 'flow.start') ?? nodes[0]!).position;
  if (right - start.x >= bottom - start.y) return { zoom: 1, x: MARGIN - start.x, y: canvas.height / 2 - start.y - STEP_HEIGHT / 2 };
  return { zoom: 1, x: canvas.width / 2 - start.x - STEP_WIDTH / 2, y: MARGIN - start.y };
}
