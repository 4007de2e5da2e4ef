import type { SubflowEdge, SubflowGraph, SubflowNode } from '@lockstep/schema';
import { expect, it } from 'vitest';
import { describeInDesigner, type ServedSubflow } from './designer-session.js';

const STEPS = 120;
const LONG_LABEL = 'Tell the on-call engineer that the partner instance has stopped answering';

/** Start, 120 Logs and End in one chain, drawn the old way: each step below the one before. */
function longChain(): SubflowGraph {
  const ids = ['start', ...Array.from({ length: STEPS }, (_unused, index) => `log_${index + 1}`), 'end'];
  const nodes: SubflowNode[] = ids.map((id, index) => ({
    id,
    type: id === 'start' ? 'flow.start' : id === 'end' ? 'flow.end' : 'flow.log',
    label: id === 'log_1' ? LONG_LABEL : id,
    position: { x: 0, y: index * 120 },
    params: id.startsWith('log') ? { message: `step ${id}` } : {},
  }));
  const edges: SubflowEdge[] = ids.slice(1).map((target, index) => ({ id: `${ids[index]}-${target}`, source: ids[index]!, sourceHandle: 'next', target }));
  return { name: 'A long chain', description: '', kind: 'custom', inputs: [], outputs: [], timeLimitMs: 30_000, nodes, edges };
}

/**
 * Issue 18, item 9: step text readable at 100%, labels wrapped rather than
 * cut, a large graph opening at its start at a readable zoom with a minimap,
 * and Tidy laying it out left to right with ELK.
 */
describeInDesigner('readable graphs', (opened) => {
  it('opens a large graph at its start, readable, with wrapped labels and a minimap, and tidies it left to right', async () => {
    const session = opened();
    const { page, designer } = session;
    const created = await session.api<ServedSubflow>('POST', '/subflows', longChain());
    await session.edit(created.id);
    await designer.screenshot('issue18-large-graph-opened');

    const zoom = await page.locator('.react-flow__viewport').evaluate((viewport) => new DOMMatrixReadOnly(getComputedStyle(viewport).transform).a);
    expect(zoom).toBeGreaterThanOrEqual(0.75);
    const canvas = (await page.locator('.react-flow').boundingBox())!;
    const start = (await designer.step('start').boundingBox())!;
    expect(start.x).toBeGreaterThanOrEqual(canvas.x);
    expect(start.y).toBeGreaterThanOrEqual(canvas.y);
    expect(start.x + start.width).toBeLessThanOrEqual(canvas.x + canvas.width);
    expect(start.y + start.height).toBeLessThanOrEqual(canvas.y + canvas.height);
    expect(await page.locator('.react-flow__minimap').count()).toBe(1);

    // The long label wraps onto more lines and shows whole; step text is at least 14 px on screen.
    const label = await designer
      .step('log_1')
      .locator('.step-label')
      .evaluate((element) => ({ text: element.textContent, cut: element.scrollWidth > element.clientWidth, lines: element.clientHeight / parseFloat(getComputedStyle(element).lineHeight), size: parseFloat(getComputedStyle(element).fontSize) }));
    expect(label.text).toBe(LONG_LABEL);
    expect(label.cut).toBe(false);
    expect(label.lines).toBeGreaterThan(1.5);
    expect(label.size * zoom).toBeGreaterThanOrEqual(14);

    // Tidy (Shift+L): ELK's layered layout, in one row from left to right, Start first.
    await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('Shift+L');
    const rightOfStart = async () => {
      const [first, second] = [(await designer.step('start').boundingBox())!, (await designer.step('log_1').boundingBox())!];
      return second.x > first.x + first.width && Math.abs(second.y - first.y) < first.height;
    };
    await expect.poll(rightOfStart).toBe(true);
    await designer.save();
    const positions = new Map((await session.subflow(created.id)).nodes.map((node) => [node.id, node.position]));
    for (const edge of created.edges) expect(positions.get(edge.target)!.x, edge.id).toBeGreaterThan(positions.get(edge.source)!.x);
    expect(new Set([...positions.values()].map((position) => position.y)).size).toBeLessThanOrEqual(2);
    await designer.screenshot('issue18-large-graph-tidied');
  });
});
