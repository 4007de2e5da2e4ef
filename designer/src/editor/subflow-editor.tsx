import type { SubflowEdge, SubflowGraph, SubflowNode } from '@lockstep/schema';
import { nodeDefinition } from '@lockstep/flow/catalog';
import { ReactFlowProvider, useReactFlow, useStoreApi } from '@xyflow/react';
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { contextApi, type FlowContext, type TestRunOptions } from '../api/contexts';
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
import { readLocalDraft } from './local-draft';
import { openingView } from './opening-view';
import { Palette } from './palette';
import { PublishBlocker } from './publish-blocker';
import { Toolbar } from './toolbar';
import { useCanvasState } from './use-canvas-state';
import { useDraftSaving } from './use-draft-saving';
import { RestoredDraftBanner } from './restored-draft-banner';
import { useFindings } from './use-findings';
import { useKeptDraft } from './use-kept-draft';
import { useLeaveGuard } from './use-leave-guard';
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
  // Discarding edits kept from an earlier visit opens the editor afresh, on the draft as loaded.
  const [opening, setOpening] = useState(0);
  return (
    <ReactFlowProvider key={opening}>
      <EditorBody {...props} onReopen={() => setOpening((count) => count + 1)} />
    </ReactFlowProvider>
  );
}

function metaOf({ name, description, kind, inputs, outputs, timeLimitMs }: SubflowGraph): SubflowMeta {
  return { name, description, kind, inputs, outputs, timeLimitMs };
}

function EditorBody({ loaded, readOnlyReason, version, run: shownRun, actions, onReopen }: SubflowEditorProps & { onReopen: () => void }) {
  const readOnly = readOnlyReason !== undefined;
  const flow = useReactFlow();
  const store = useStoreApi();
  // Edits this browser kept from an earlier visit, not saved yet, open in place of the saved draft.
  const [restored] = useState(() => (readOnly ? null : readLocalDraft(loaded.subflow.id)));
  const [opened] = useState(() => restored?.graph ?? loaded.subflow);
  const canvas = useCanvasState(useMemo(() => ({ nodes: toFlowNodes(opened.nodes), edges: toFlowEdges(opened.edges) }), [opened]));
  const { nodes, edges, setNodes, setEdges, replace, requestCommit } = canvas;
  const saving = useDraftSaving(restored === null ? loaded : { subflow: loaded.subflow, etag: restored.etag });
  const [meta, setMeta] = useState(() => metaOf(opened));
  /** The change count and meta at the last save, and whether restored edits are still unsaved, to tell whether there is unsaved work. */
  const [saved, setSaved] = useState({ changes: 0, meta, restoredUnsaved: restored !== null });
  const markSaved = () => setSaved({ changes: canvas.changes, meta, restoredUnsaved: false });
  const [run, setRun] = useState<FlowContext | null>(shownRun ?? null);
  const [askingInputs, setAskingInputs] = useState(false);
  const following = useRef<AbortController | null>(null);

  const graph: SubflowGraph = useMemo(() => ({ ...meta, ...toSubflowParts({ nodes, edges }) }), [meta, nodes, edges]);
  const dirty = !readOnly && (saved.restoredUnsaved || canvas.changes !== saved.changes || meta !== saved.meta);
  const kept = useKeptDraft({ subflowId: loaded.subflow.id, graph, dirty, baseEtag: saving.baseEtag, enabled: !readOnly });
  const guard = useLeaveGuard(dirty, `Leave "${meta.name}" with unsaved changes? They stay in this browser until you come back to save or discard them.`);

  // The engine's own validation, run in a worker as the designer draws.
  const checked = useFindings(graph);
  const findings: Finding[] = useMemo(() => checked ?? [], [checked]);
  const errorFindings = useMemo(() => findings.filter((finding) => finding.severity === 'error'), [findings]);
  const errors = errorFindings.length;
  const decorations = useMemo(() => ({ findingsByNode: groupByNode(findings), steps: run?.steps ?? null }), [findings, run]);

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
    if (ok) markSaved();
    return ok;
  };

  const publish = async () => {
    if (dirty && !(await save())) return;
    await saving.publish();
  };

  const startRun = async (inputs: Record<string, unknown>, options: TestRunOptions) => {
    setAskingInputs(false);
    if (dirty && !(await save())) return;
    following.current?.abort();
    following.current = new AbortController();
    try {
      await followRun(await contextApi.testRun(loaded.subflow.id, inputs, version, options), setRun, following.current.signal);
    } catch (failure) {
      saving.setNotice({ tone: 'error', text: `The test run did not start: ${(failure as Error).message}` });
    }
  };

  /** Tidy up: ELK lays the graph out, as one undoable change, and the view moves to where the laid-out flow starts. */
  const tidy = async () => {
    if (readOnly) return;
    const laidOut = await autoLayout({ nodes, edges });
    replace(laidOut);
    const { width, height } = store.getState();
    void flow.setViewport(openingView(laidOut.nodes, { width, height }));
  };

  const stepName = (nodeId: string) => {
    const step = nodes.find((node) => node.id === nodeId)?.data.step;
    return step?.label || nodeDefinition(step?.type ?? '')?.label || nodeId;
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
    layout: () => void tidy(),
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
          onLayout={() => void tidy()}
          onSave={() => void save()}
          onPublish={() => void publish()}
          onTestRun={shownRun ? undefined : () => setAskingInputs(true)}
          publishBlocker={<PublishBlocker errors={errorFindings} stepName={stepName} onShow={showNode} />}
        >
          {actions}
        </Toolbar>
        {readOnlyReason !== undefined && <div className="banner info">{readOnlyReason}</div>}
        {restored !== null && saved.restoredUnsaved && (
          <RestoredDraftBanner
            keptAt={restored.keptAt}
            onDiscard={() => {
              kept.discard();
              onReopen();
            }}
          />
        )}
        {saving.conflict && (
          <ConflictBanner
            onReload={() => {
              kept.discard();
              guard.release();
              window.location.reload();
            }}
            onOverwrite={() => void saving.overwrite(graph).then((ok) => ok && markSaved())}
          />
        )}
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
        {askingInputs && <TestRunDialog kind={meta.kind} inputs={meta.inputs} onRun={(inputs, options) => void startRun(inputs, options)} onCancel={() => setAskingInputs(false)} />}
      </div>
    </DecorationsContext.Provider>
  );
}
