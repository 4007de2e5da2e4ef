import { Background, Controls, MiniMap, ReactFlow, addEdge, useReactFlow, type Connection, type Edge, type FinalConnectionState, type IsValidConnection } from '@xyflow/react';
import { useCallback, useRef, useState, type DragEvent } from 'react';
import { categoryStyle } from './category-style';
import { connectionProblem } from './connection-rules';
import { flowEdge, type StepFlowNode } from './flow-graph';
import { nodeDefinition } from '@lockstep/flow/catalog';
import { STEP_DRAG_TYPE } from './palette';
import { QuickAdd, type QuickAddSpot } from './quick-add';
import { openingView } from './opening-view';
import { StepNode } from './step-node';
import { STEP_WIDTH } from './step-size';
import type { useCanvasState } from './use-canvas-state';

const nodeTypes = { step: StepNode };

const minimapColor = (node: StepFlowNode) => categoryStyle(nodeDefinition(node.data.step.type)?.category).color;

type CanvasState = ReturnType<typeof useCanvasState>;

/** Adds a step of a type at a flow position, connected from a step's port when given. */
export type AddStep = (type: string, position: { x: number; y: number }, from?: { source: string; port: string }) => void;

/** Half a step's width: a dropped step is centred on the pointer. */
const HALF_STEP = STEP_WIDTH / 2;

/** The React Flow canvas: drop from the palette, connect by the rules, and commit history when a gesture ends. */
export function Canvas({ canvas, readOnly, onAddStep }: { canvas: CanvasState; readOnly: boolean; onAddStep: AddStep }) {
  // Read through the instance, so these callbacks stay the same while the graph changes and React Flow need not redraw for them.
  const { screenToFlowPosition, getNodes, getEdges, setViewport } = useReactFlow<StepFlowNode, Edge>();
  const { nodes, edges, onNodesChange, onEdgesChange, setEdges, requestCommit } = canvas;
  const [refusal, setRefusal] = useState<string | null>(null);
  const [quickAdd, setQuickAdd] = useState<QuickAddSpot | null>(null);
  const element = useRef<HTMLDivElement>(null);

  const isValidConnection: IsValidConnection = useCallback((connection) => connectionProblem(connection, getNodes(), getEdges()) === null, [getNodes, getEdges]);

  const onConnect = useCallback(
    (connection: Connection) => {
      const port = (connection.sourceHandle ?? 'next') as Parameters<typeof flowEdge>[1];
      setEdges((current) => addEdge(flowEdge(connection.source, port, connection.target), current));
      requestCommit();
    },
    [setEdges, requestCommit],
  );

  // An edge dropped on a step that refuses it says why; dropped on empty canvas, it offers to add a step there.
  const onConnectEnd = useCallback(
    (event: MouseEvent | TouchEvent, state: FinalConnectionState) => {
      setRefusal(null);
      if (!state.fromNode || state.isValid === true) return;
      const source = state.fromNode.id;
      const port = state.fromHandle?.id ?? 'next';
      if (state.toNode) {
        setRefusal(connectionProblem({ source, target: state.toNode.id, sourceHandle: port, targetHandle: null }, getNodes(), getEdges()));
        return;
      }
      if (readOnly || state.fromHandle?.type !== 'source') return;
      if (getEdges().some((edge) => edge.source === source && (edge.sourceHandle ?? 'next') === port)) {
        setRefusal(`the ${port} port already leads somewhere; delete that edge first`);
        return;
      }
      const point = 'changedTouches' in event ? event.changedTouches[0]! : event;
      const box = element.current?.getBoundingClientRect();
      const at = screenToFlowPosition({ x: point.clientX, y: point.clientY });
      setQuickAdd({ source, port, menu: { x: point.clientX - (box?.left ?? 0), y: point.clientY - (box?.top ?? 0) }, flow: { x: at.x - HALF_STEP, y: at.y } });
    },
    [getNodes, getEdges, readOnly, screenToFlowPosition],
  );

  const onDrop = useCallback(
    (event: DragEvent) => {
      const type = event.dataTransfer.getData(STEP_DRAG_TYPE);
      if (type === '' || readOnly) return;
      event.preventDefault();
      const position = screenToFlowPosition({ x: event.clientX, y: event.clientY });
      onAddStep(type, { x: position.x - HALF_STEP, y: position.y - 30 });
    },
    [screenToFlowPosition, onAddStep, readOnly],
  );

  const onInit = useCallback(() => {
    const box = element.current?.getBoundingClientRect();
    if (box) void setViewport(openingView(getNodes(), box));
  }, [getNodes, setViewport]);

  return (
    <div className="canvas" ref={element} onDragOver={(event) => event.preventDefault()} onDrop={onDrop}>
      <ReactFlow<StepFlowNode, Edge>
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={onConnect}
        onConnectEnd={onConnectEnd}
        isValidConnection={isValidConnection}
        onNodeDragStop={() => requestCommit()}
        onDelete={() => requestCommit()}
        nodesDraggable={!readOnly}
        nodesConnectable={!readOnly}
        deleteKeyCode={readOnly ? null : ['Backspace', 'Delete']}
        multiSelectionKeyCode={['Shift', 'Meta', 'Control']}
        selectionKeyCode="Shift"
        defaultEdgeOptions={{ type: 'smoothstep' }}
        onlyRenderVisibleElements
        onInit={onInit}
        minZoom={0.1}
        proOptions={{ hideAttribution: true }}
      >
        <Background gap={20} />
        <MiniMap pannable zoomable nodeColor={minimapColor} />
        <Controls />
      </ReactFlow>
      {quickAdd !== null && (
        <QuickAdd
          spot={quickAdd}
          onClose={() => setQuickAdd(null)}
          onPick={(type) => {
            setQuickAdd(null);
            onAddStep(type, quickAdd.flow, { source: quickAdd.source, port: quickAdd.port });
          }}
        />
      )}
      {refusal !== null && (
        <div className="canvas-refusal" role="status" onClick={() => setRefusal(null)}>
          {refusal}
        </div>
      )}
    </div>
  );
}
