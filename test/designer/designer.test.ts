import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserSkipReason, launchChromium } from '../support/chromium.js';
import { DesignerPage } from '../support/designer-page.js';
import { spawnRuntime, type RuntimeProcess } from '../support/runtime-process.js';

const PASSWORD = 'designer-test-password';

/**
 * Selects an edge by clicking a point of its path that no step covers: edges
 * run from a step's right side and may pass behind other steps, so the middle
 * of their box is not always theirs.
 */
async function selectEdge(page: Page, id: string): Promise<void> {
  const point = await page.locator(`.react-flow__edge[data-id="${id}"] path.react-flow__edge-path`).evaluate((path: SVGPathElement) => {
    const toScreen = path.getScreenCTM()!;
    for (let share = 0.5; share > 0; share -= 0.05) {
      for (const at of [share, 1 - share]) {
        const local = path.getPointAtLength(path.getTotalLength() * at);
        const screen = { x: local.x * toScreen.a + local.y * toScreen.c + toScreen.e, y: local.x * toScreen.b + local.y * toScreen.d + toScreen.f };
        if (document.elementFromPoint(screen.x, screen.y)?.closest('.react-flow__edge') === path.closest('.react-flow__edge')) return screen;
      }
    }
    throw new Error('no point of the edge is uncovered');
  });
  await page.mouse.click(point.x, point.y);
}

/** The subflow the editor shows, from its #/subflows/<id> address. */
const currentSubflowId = (page: Page) => decodeURIComponent(new URL(page.url()).hash.split('/')[2]!);
const skipReason = browserSkipReason();

/**
 * The designer in a real browser against a real runtime process: the built
 * app served at /designer, signed in as the first admin. The steps build on
 * each other, as a designer's session does.
 */
describe.skipIf(skipReason !== undefined)(`designer in Chromium${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  let dataDir: string;
  let runtime: RuntimeProcess;
  let browser: Browser;
  let page: Page;
  let designer: DesignerPage;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'lockstep-designer-'));
    runtime = await spawnRuntime(['--data-dir', dataDir], { LOCKSTEP_ADMIN_PASSWORD: PASSWORD });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.setDefaultTimeout(10_000);
    designer = new DesignerPage(page, runtime.url);
  });

  afterAll(async () => {
    await browser?.close();
    await runtime?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('signs in and lists the system templates as read-only', async () => {
    await designer.signIn('admin', PASSWORD);
    const template = page.locator('tr[data-subflow="outbound-basic"]');
    await expect.poll(() => template.getByText('read-only template').count()).toBe(1);
    await designer.screenshot('01-subflow-list');
  });

  it('copies the outbound template, adds a node from the palette, connects it, edits its params, saves, and still sees it after a reload', async () => {
    await page.locator('tr[data-subflow="outbound-basic"]').getByRole('button', { name: 'Copy' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Outbound under test');
    await page.getByRole('button', { name: 'Copy', exact: true }).last().click();
    await designer.step('start').waitFor();
    expect(await page.locator('.badge.draft').count()).toBe(1);

    // Make room: the new Log goes between Start and the correlation lookup.
    await selectEdge(page, 'start-lookupCorrelation');
    await page.keyboard.press('Delete');
    await expect.poll(() => page.locator('.react-flow__edge[data-id="start-lookupCorrelation"]').count()).toBe(0);

    const pane = await page.locator('.react-flow__pane').boundingBox();
    const start = await designer.step('start').boundingBox();
    await designer.dragFromPalette('flow.log', { x: start!.x - pane!.x + 420, y: start!.y - pane!.y + 150 });
    await designer.step('log_1').waitFor();
    await designer.connect('start', 'next', 'log_1');
    await designer.connect('log_1', 'next', 'lookupCorrelation');
    await expect.poll(() => page.locator('.react-flow__edge[data-id="start-next-log_1"]').count()).toBe(1);
    await expect.poll(() => page.locator('.react-flow__edge[data-id="log_1-next-lookupCorrelation"]').count()).toBe(1);

    await designer.selectStep('log_1');
    await page.getByLabel('message', { exact: true }).fill('Sending ');
    await page.getByRole('button', { name: 'Insert a data pill into message' }).click();
    await page.getByRole('option', { name: 'inputs.payload', exact: true }).click();
    await page.getByLabel('level').selectOption('warn');
    expect(await page.getByLabel('message', { exact: true }).inputValue()).toBe('Sending {{ inputs.payload }}');
    await expect.poll(() => page.locator('.findings-panel h3').textContent()).toContain('No findings');
    await designer.screenshot('02-node-added-and-connected');
    await designer.save();

    await page.reload();
    await designer.step('log_1').waitFor();
    await designer.selectStep('log_1');
    expect(await page.getByLabel('message', { exact: true }).inputValue()).toBe('Sending {{ inputs.payload }}');
    expect(await page.getByLabel('level').inputValue()).toBe('warn');
    expect(await page.locator('.react-flow__edge[data-id="log_1-next-lookupCorrelation"]').count()).toBe(1);
    await designer.screenshot('03-after-reload');
  });

  it('shows a stale save as a conflict, and saves over it only when asked', async () => {
    // Another designer saves the same draft meanwhile.
    const subflowId = currentSubflowId(page);
    const auth = { Authorization: `Basic ${Buffer.from(`admin:${PASSWORD}`).toString('base64')}` };
    const current = await fetch(`${runtime.url}/api/lockstep/v1/subflows/${subflowId}`, { headers: auth });
    const { result } = (await current.json()) as { result: Record<string, unknown> };
    const { name, kind, inputs, outputs, nodes, edges, timeLimitMs } = result;
    const theirs = await fetch(`${runtime.url}/api/lockstep/v1/subflows/${subflowId}`, {
      method: 'PUT',
      headers: { ...auth, 'Content-Type': 'application/json', 'If-Match': current.headers.get('etag')! },
      body: JSON.stringify({ name, description: 'changed elsewhere', kind, inputs, outputs, nodes, edges, timeLimitMs }),
    });
    expect(theirs.status).toBe(200);

    await designer.selectStep('log_1');
    await page.getByLabel('Step label').fill('Announce');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    const conflict = page.locator('.banner.conflict');
    await conflict.waitFor();
    expect(await conflict.textContent()).toContain('Someone else saved this draft');
    await designer.screenshot('03b-stale-save-conflict');
    await conflict.getByRole('button', { name: 'Save mine over theirs' }).click();
    await page.getByText('Saved over the other change').waitFor();
    expect(await conflict.count()).toBe(0);
  });

  it("offers the instance's own tables and remote systems where a param names one", async () => {
    const admin = async (method: string, path: string, body?: unknown) => {
      const response = await fetch(`${runtime.url}/api/lockstep/v1${path}`, {
        method,
        headers: { Authorization: `Basic ${Buffer.from(`admin:${PASSWORD}`).toString('base64')}`, 'Content-Type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      expect(response.ok, `${method} ${path}: ${response.status}`).toBe(true);
      return ((await response.json()) as { result: unknown }).result;
    };
    const definition = (await admin('POST', '/sync/definitions', { name: 'Lookups' })) as { sys_id: string };
    const user = async (user_name: string, roles: string[]) => ((await admin('POST', '/users', { user_name, password: `${user_name}-password`, roles })) as { sys_id: string }).sys_id;
    const partner = (await admin('POST', '/sync/remote-systems', {
      process_sync_definition: definition.sys_id,
      name: 'Partner instance',
      connection: { base_url: 'http://127.0.0.1:9', user_name: 'partner.api', password: 'partner-password', signing_secrets: ['s'.repeat(32)] },
      inbound_api_user: await user('lookup.api', ['ih_process_sync_api']),
      run_as_user: await user('lookup.run_as', ['ih_process_sync_run_as', 'itil']),
    })) as { sys_id: string };
    const offered = async (label: string) => {
      const list = await page.getByLabel(label, { exact: true }).getAttribute('list');
      return page.locator(`datalist#${list} option`).evaluateAll((options) => options.map((option) => ({ value: (option as HTMLOptionElement).value, label: option.textContent })));
    };

    await designer.selectStep('lookupCorrelation');
    // Read from the runtime as it is now, not from a list the designer carries.
    const tables = ((await admin('GET', '/dictionary/tables')) as { name: string }[]).map((table) => table.name);
    expect((await offered('table')).map((option) => option.value).toSorted()).toEqual(tables.toSorted());
    expect(await offered('remoteSystem')).toEqual([{ value: partner.sys_id, label: 'Partner instance' }]);
    const remoteSystem = page.getByLabel('remoteSystem', { exact: true });
    const before = await remoteSystem.inputValue();
    await remoteSystem.fill(partner.sys_id);
    await page.locator('.lookup-picked', { hasText: 'Partner instance' }).waitFor();
    await designer.screenshot('03c-remote-system-lookup');
    await remoteSystem.fill(before);
    expect(await page.locator('.lookup-picked').count()).toBe(0);
  });

  it('shows the findings of a broken graph on its nodes and refuses to publish it', async () => {
    // The template is too tall to open whole at a readable zoom; fitted, every step is drawn.
    await page.locator('.react-flow__controls-fitview').click();
    await designer.selectStep('sendPayload');
    await page.keyboard.press('Delete');
    await expect.poll(() => designer.step('correlationFound').locator('.step-findings.error').count()).toBe(1);
    const publish = page.getByRole('button', { name: 'Publish' });
    expect(await publish.isDisabled()).toBe(true);
    expect(await publish.getAttribute('title')).toMatch(/^Fix the \d+ errors? first$/);
    expect(await page.locator('.findings-panel li.error').count()).toBeGreaterThan(0);
    await designer.screenshot('04-broken-graph-findings');

    // The runtime is the authority: a saved broken draft is refused there too.
    await designer.save();
    const subflowId = currentSubflowId(page);
    const refusal = await page.evaluate(async (id) => {
      const { token } = JSON.parse(sessionStorage.getItem('lockstep.session')!) as { token: string };
      const response = await fetch(`/api/lockstep/v1/subflows/${id}/publish`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'If-Match': '*' } });
      return { status: response.status, type: ((await response.json()) as { type: string }).type };
    }, subflowId);
    expect(refusal.status).toBe(422);

    // Undo brings the step and its edges back, and the draft publishes.
    await page.locator('.react-flow__pane').click({ position: { x: 10, y: 10 } });
    await page.keyboard.press('Control+z');
    await designer.step('sendPayload').waitFor();
    await expect.poll(() => publish.isDisabled()).toBe(false);
    await publish.click();
    await page.getByText('Published version 1').waitFor();
    await designer.screenshot('05-published');
  });

  it('makes a test run and shows each node’s status on the canvas and its input and output in the inspector', async () => {
    await page.goto(`${runtime.url}/designer/#/`);
    await page.getByRole('button', { name: 'New subflow' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Greeting');
    await page.getByLabel('Kind').selectOption('custom');
    await page.getByRole('button', { name: 'Create' }).click();
    await designer.step('start').waitFor();

    await selectEdge(page, 'start-next');
    await page.keyboard.press('Delete');
    await designer.dragFromPalette('flow.log', { x: 600, y: 200 });
    await designer.step('log_1').waitFor();
    await designer.connect('start', 'next', 'log_1');
    await designer.connect('log_1', 'next', 'end');
    await page.locator('.react-flow__pane').click({ position: { x: 10, y: 10 } });
    await page.getByRole('button', { name: '+ Add input' }).click();
    await page.getByLabel('input 1 name').fill('who');
    await designer.selectStep('log_1');
    await page.getByLabel('message', { exact: true }).fill('Hello {{ inputs.who }}');

    await page.getByRole('button', { name: 'Test run' }).click();
    await page.getByLabel('Sample inputs').fill('{ "who": "Ada" }');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await page.locator('.banner.run[data-run-status="completed"]').waitFor();
    for (const id of ['start', 'log_1', 'end']) {
      await expect.poll(() => designer.step(id).locator('.step').getAttribute('data-run-status')).toBe('done');
    }
    await designer.selectStep('log_1');
    expect(await page.getByLabel('Step input').textContent()).toContain('Hello Ada');
    expect(await page.getByLabel('Step output').textContent()).toContain('Hello Ada');
    await designer.screenshot('06-test-run');

    // The same view opens the run later, as a flow context.
    await page.locator('.banner.run a').click();
    await page.locator('.badge', { hasText: 'flow context' }).waitFor();
    await expect.poll(() => designer.step('log_1').locator('.step').getAttribute('data-run-status')).toBe('done');
    await designer.screenshot('07-flow-context');
  });

  it('adds a step already connected when an edge is dropped on empty canvas', async () => {
    await page.goBack();
    await designer.step('log_1').waitFor();
    await selectEdge(page, 'log_1-next-end');
    await page.keyboard.press('Delete');
    const from = (await page.locator('.react-flow__handle.source[data-nodeid="log_1"][data-handleid="next"]').boundingBox())!;
    await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
    await page.mouse.down();
    // Outputs leave from a step's right side; below and left of it is empty canvas.
    await page.mouse.move(from.x - 100, from.y + 150, { steps: 12 });
    await page.mouse.up();
    await page.getByRole('dialog', { name: 'Add a connected node' }).getByRole('searchbox').fill('raise');
    await page.keyboard.press('Enter');
    await designer.step('raiseError_1').waitFor();
    expect(await page.locator('.react-flow__edge[data-id="log_1-next-raiseError_1"]').count()).toBe(1);
    await designer.screenshot('08-quick-add');
  });

  it('signs out, revoking the tab’s token', async () => {
    const token = await page.evaluate(() => (JSON.parse(sessionStorage.getItem('lockstep.session')!) as { token: string }).token);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    const me = await fetch(`${runtime.url}/api/lockstep/v1/me`, { headers: { Authorization: `Bearer ${token}` } });
    expect(me.status).toBe(401);
  });
});
