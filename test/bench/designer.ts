import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SubflowGraph, SubflowNode } from '@lockstep/schema';
import type { Page } from 'playwright-core';
import { launchChromium } from '../support/chromium.js';
import { DesignerPage } from '../support/designer-page.js';
import { spawnRuntime } from '../support/runtime-process.js';
import { median } from './stats.js';

/**
 * Designer responsiveness: a 300-node subflow opened in headless Chromium
 * from a cold page load (the built app from the runtime, the draft from its
 * API, layout, validation), then a step selected until the inspector shows it.
 */
const NODES = 300;
const COLUMNS = 15;
const PASSWORD = 'designer-bench-password';
const RUNS = 5;

function benchGraph(): SubflowGraph {
  const middle = NODES - 2;
  const steps: SubflowNode[] = Array.from({ length: middle }, (_unused, index) => {
    const id = `step_${index + 1}`;
    const position = { x: (index % COLUMNS) * 260, y: Math.floor(index / COLUMNS + 1) * 120 };
    return index % 2 === 0
      ? { id, type: 'flow.log', label: `Log ${index + 1}`, position, params: { level: 'info', message: `step {{ inputs.number }} of ${index}` } }
      : { id, type: 'flow.setVariables', label: `Set ${index + 1}`, position, params: { variables: { [`v${index}`]: '{{ inputs.number }}' } } };
  });
  const nodes: SubflowNode[] = [
    { id: 'start', type: 'flow.start', label: 'Start', position: { x: 0, y: 0 }, params: {} },
    ...steps,
    { id: 'end', type: 'flow.end', label: 'End', position: { x: 0, y: (middle / COLUMNS + 2) * 120 }, params: { outputs: {} } },
  ];
  const edges = nodes.slice(1).map((node, index) => ({ id: `e${index}`, source: nodes[index]!.id, sourceHandle: 'next' as const, target: node.id }));
  return { name: 'designer bench', description: '', kind: 'custom', inputs: [{ name: 'number', label: '', type: 'string', required: false, description: '' }], outputs: [], timeLimitMs: 30_000, nodes, edges };
}

/**
 * Milliseconds from the mouse press on a step to the inspector showing it,
 * timed in the page so the test driver's own latency does not count.
 */
async function pressToInspector(page: Page, stepId: string): Promise<number> {
  // Sent as source text: the bench runs through tsx, whose helpers do not exist in the page.
  await page.evaluate(`(() => {
    delete window.pressedAt;
    window.addEventListener('pointerdown', () => { window.pressedAt = performance.now(); }, { capture: true, once: true });
  })()`);
  return page.evaluate(`new Promise((resolve) => {
    const shown = () => window.pressedAt !== undefined && document.querySelector('.inspector[data-inspecting="${stepId}"]');
    const poll = () => (shown() ? resolve(performance.now() - window.pressedAt) : requestAnimationFrame(poll));
    poll();
  })`);
}

export async function designerBench(print: (line: string) => void): Promise<void> {
  print(`designer: a ${NODES}-node subflow in headless Chromium, cold page load until every step is drawn, then a click until the inspector shows the step; median of ${RUNS}`);
  const dataDir = await mkdtemp(join(tmpdir(), 'lockstep-designer-bench-'));
  const runtime = await spawnRuntime(['--data-dir', dataDir], { LOCKSTEP_ADMIN_PASSWORD: PASSWORD });
  const browser = await launchChromium();
  try {
    const response = await fetch(`${runtime.url}/api/lockstep/v1/subflows`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Basic ${Buffer.from(`admin:${PASSWORD}`).toString('base64')}` },
      body: JSON.stringify(benchGraph()),
    });
    if (response.status !== 201) throw new Error(`creating the bench subflow answered ${response.status}: ${await response.text()}`);
    const { result } = (await response.json()) as { result: { id: string } };

    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const designer = new DesignerPage(page, runtime.url);
    await designer.signIn('admin', PASSWORD);
    const draws: number[] = [];
    const opens: number[] = [];
    const responds: number[] = [];
    for (let run = 0; run <= RUNS; run += 1) {
      // From a blank page, so each open loads the app afresh rather than changing the hash.
      await page.goto('about:blank');
      const started = performance.now();
      await page.goto(`${runtime.url}/designer/#/subflows/${result.id}`);
      await page.locator('.react-flow__node').nth(NODES - 1).waitFor();
      const drawn = performance.now();
      await page.locator('.findings-panel:not(.checking)').waitFor();
      const opened = performance.now();
      const target = `step_${(run * 37) % (NODES - 2) + 1}`;
      const responded = pressToInspector(page, target);
      await designer.step(target).click();
      const respondMs = await responded;
      // The first run warms the browser's caches and is not counted.
      if (run === 0) continue;
      draws.push(drawn - started);
      opens.push(opened - started);
      responds.push(respondMs);
    }
    const open = median(opens);
    const respond = median(responds);
    print(`  every step drawn:                        ${Math.round(median(draws))} ms (cold page load, fetch, layout)`);
    print(`  findings shown (open):                   ${Math.round(open)} ms (the engine's validation, in a worker)`);
    print(`  respond (press on a step → inspector):   ${Math.round(respond)} ms`);
    print(`  open + respond:                          ${Math.round(open + respond)} ms (goal < 1500 ms)`);
  } finally {
    await browser.close();
    await runtime.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}
