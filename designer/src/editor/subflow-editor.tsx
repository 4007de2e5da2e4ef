import type { SubflowEdge, SubflowGraph, SubflowNode } from '@lockstep/schema';
import { ReactFlowProvider, useReactFlow } from '@xyflow/react';
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { contextApi, type FlowContext } from '../api/contexts';
import type { Finding, LoadedSubflow } from '../api/subflows';
import { Inspector } from '../inspector/inspector';
import type { SubflowMeta } from '../inspector/subflow-settings';
import { followRun } from '../run/follow-run';
import { RunBanner } from '../run/run-banner';
import { TestRunDialog } from '../run/test-run-dialog';
import { autoLayout } from './auto-layout';
import { Canvas, type AddStep } from './canvas';
import { copySelection, pasteInto } from './clipboard';
import { ConflictBanner } from './conflict-banner';
import { DecorationsContext, groupByNode } from './decorations';
import { FindingsPanel } from './findings-panel';
import { flowEdge, freshNodeId, newStep, toFlowEdges, toFlowNodes, toSubflowParts, type StepFlowNode } from './flow-graph';
import { Palette } from './palette';
import { Toolbar } from './toolbar';
import { useCanvasState } from './use-canvas-state';
import { useDraftSaving } from './use-draft-saving';
import { useFindings } from './use-findings';
import { useShortcuts } from './use-shortcuts';

export interface SubflowEditorProps {
  loaded: LoadedSubflow;
  /** Why the graph cannot be changed here (a system template, a published version, a past run), if it cannot. */
  readOnlyReason?: string;
  /** The published version shown, which test runs then run. */
  version?: number;
  /** A run to show on the canvas, for the flow context view. */
  run?: FlowContext;
  /** More toolbar actions (copy, history). */
  actions?: ReactNode;
}

export function SubflowEditor(props: SubflowEditorProps) {
  return (
    <ReactFlowProvider>
      <EditorBody {...props} />
    </ReactFlowProvider>
  );
}

function metaOf({ name, description, kind, inputs, outputs, timeLimitMs }: SubflowGraph): SubflowMeta {
  return { name, description, kind, inputs, outputs, timeLimitMs };
}

function EditorBody({ loaded, readOnlyReason, version, run: shownRun, actions }: SubflowEditorProps) {
  const readOnly = readOnlyReason !== undefined;
  const flow = useReactFlow();
  const canvas = useCanvasState(useMemo(() => ({ nodes: toFlowNodes(loaded.subflow.nodes), edges: toFlowEdges(loaded.subflow.edges) }), [loaded]));
  const { nodes, edges, setNodes, setEdges, replace, requestCommit } = canvas;
  const saving = useDraftSaving(loaded);
  const [meta, setMeta] = useState(() => metaOf(loaded.subflow));
  /** The change count and meta at the last save, to tell whether there is unsaved work. */
  const [saved, setSaved] = useState({ changes: 0, meta });
  const [run, setRun] = useState<FlowContext | null>(shownRun ?? null);
  const [askingInputs, setAskingInputs] = useState(false);
  const following = useRef<AbortController | null>(null);

  const graph: SubflowGraph = useMemo(() => ({ ...meta, ...toSubflowParts({ nodes, edges }) }), [meta, nodes, edges]);
  const dirty = !readOnly && (canvas.changes !== saved.changes || meta !== saved.meta);

  // The engine's own validation, run in a worker as the designer draws.
  const checked = useFindings(graph);
  const findings: Finding[] = useMemo(() => checked ?? [], [checked]);
  const errors = findings.filter((finding) => finding.severity === 'error').length;
  const decorations = useMemo(() => ({ findingsByNode: groupByNode(findings), steps: run?.steps ?? null }), [findings, run]);

  useEffect(() => {
    if (!dirty) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);
  useEffect(() => () => following.current?.abort(), []);

  const addStep: AddStep = useCallback(
    (type, position, from) => {
      const id = freshNodeId(type, new Set(nodes.map((node) => node.id)));
      const added: StepFlowNode = { ...toFlowNodes([newStep(type, id, position)])[0]!, selected: true };
      setNodes((current) => [...current.map((node) => ({ ...node, selected: false })), added]);
      if (from) setEdges((current) => [...current, flowEdge(from.source, from.port as SubflowEdge['sourceHandle'], id)]);
      requestCommit();
    },
    [nodes, setNodes, setEdges, requestCommit],
  );

  /** A double-clicked palette item lands in the middle of the canvas. */
  const addStepInView = (type: string) => addStep(type, flow.screenToFlowPosition({ x: window.innerWidth / 2, y: window.innerHeight / 2 }));

  const changeStep = useCallback(
    (id: string, change: Partial<SubflowNode>, mergeKey: string) => {
      setNodes((current) => current.map((node) => (node.id === id ? { ...node, data: { step: { ...node.data.step, ...change } } } : node)));
      requestCommit(mergeKey);
    },
    [setNodes, requestCommit],
  );

  const save = async () => {
    if (readOnly) return false;
    const ok = await saving.save(graph);
    if (ok) setSaved({ changes: canvas.changes, meta });
    return ok;
  };

  const publish = async () => {
    if (dirty && !(await save())) return;
    await saving.publish();
  };

  const startRun = async (inputs: Record<string, unknown>) => {
    setAskingInputs(false);
    if (dirty && !(await save())) return;
    following.current?.abort();
    following.current = new AbortController();
    try {
      await followRun(await contextApi.testRun(loaded.subflow.id, inputs, version), setRun, following.current.signal);
    } catch (failure) {
      saving.setNotice({ tone: 'error', text: `The test run did not start: ${(failure as Error).message}` });
    }
  };

  const showNode = (nodeId: string) => {
    setNodes((current) => current.map((node) => ({ ...node, selected: node.id === nodeId })));
    void flow.fitView({ nodes: [{ id: nodeId }], duration: 300, maxZoom: 1.2 });
  };

  useShortcuts({
    undo: readOnly ? () => undefined : canvas.undo,
    redo: readOnly ? () => undefined : canvas.redo,
    copy: () => copySelection({ nodes, edges }),
    paste: () => {
      const pasted = readOnly ? null : pasteInto({ nodes, edges });
      if (pasted) replace(pasted);
    },
    save: () => void save(),
    selectAll: () => setNodes((current) => current.map((node) => ({ ...node, selected: true }))),
    layout: () => !readOnly && replace(autoLayout({ nodes, edges })),
  });

  const selectedNodes = nodes.filter((node) => node.selected);
  const stateBadge = version !== undefined ? <span className="badge published">version {version}, read-only</span> : loaded.subflow.system ? <span className="badge readonly">read-only template</span> : <span className="badge draft">draft of v{saving.subflow.version}</span>;

  return (
    <DecorationsContext.Provider value={decorations}>
      <div className="editor">
        <Toolbar
          title={meta.name}
          state={
            <>
              {shownRun ? <span className="badge">flow context</span> : stateBadge}
              <span className="badge domain" title="The subflow's domain">
                {loaded.subflow.sys_domain}
              </span>
            </>
          }
          readOnly={readOnly}
          dirty={dirty}
          busy={saving.busy}
          errors={checked === null ? 1 : errors}
          canUndo={canvas.canUndo}
          canRedo={canvas.canRedo}
          onUndo={canvas.undo}
          onRedo={canvas.redo}
          onLayout={() => replace(autoLayout({ nodes, edges }))}
          onSave={() => void save()}
          onPublish={() => void publish()}
          onTestRun={shownRun ? undefined : () => setAskingInputs(true)}
        >
          {actions}
        </Toolbar>
        {readOnlyReason !== undefined && <div className="banner info">{readOnlyReason}</div>}
        {saving.conflict && <ConflictBanner onReload={() => window.location.reload()} onOverwrite={() => void saving.overwrite(graph).then((ok) => ok && setSaved({ changes: canvas.changes, meta }))} />}
        {saving.notice !== null && (
          <div className={`banner ${saving.notice.tone}`} role={saving.notice.tone === 'error' ? 'alert' : 'status'}>
            {saving.notice.text}
            {saving.notice.details && (
              <ul>
                {saving.notice.details.map((detail) => (
                  <li key={detail}>{detail}</li>
                ))}
              </ul>
            )}
          </div>
        )}
        {run !== null && <RunBanner run={run} onClose={shownRun ? undefined : () => setRun(null)} />}
        <div className="editor-main">
          {!readOnly && <Palette onAdd={addStepInView} />}
          <div className="editor-center">
            <Canvas canvas={canvas} readOnly={readOnly} onAddStep={addStep} />
            <FindingsPanel findings={checked} onShow={showNode} />
          </div>
          <Inspector
            selected={selectedNodes.length === 1 ? selectedNodes[0]!.data.step : undefined}
            nodes={graph.nodes}
            edges={graph.edges}
            meta={meta}
            findings={findings}
            steps={run?.steps ?? null}
            readOnly={readOnly}
            onStepChange={changeStep}
            onMetaChange={setMeta}
          />
        </div>
        {askingInputs && <TestRunDialog inputs={meta.inputs} onRun={(inputs) => void startRun(inputs)} onCancel={() => setAskingInputs(false)} />}
      </div>
    </DecorationsContext.Provider>
  );
}
