import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserSkipReason, launchChromium } from '../support/chromium.js';
import { ConsoleTab } from '../support/console-page.js';
import { startSyncPair, type SyncPair } from '../support/sync-pair.js';

/** A one-second failure window, so A's remote system goes to error a second after the first refused send (as in the outage test). */
const RETRY_SETTINGS = ['--link-failure-window-ms', '1000', '--outbound-retry-delay-ms', '100', '--outbound-retry-max-delay-ms', '400'];
/** Long enough for a change to cross both queues and for the forms' polling to show it. */
const SYNCED = 60_000;
const skipReason = browserSkipReason();

/**
 * The admin console in a real browser against the `npm start` pair: two
 * real runtime processes configured as the demo configures them. A demo
 * agent works records on both sides; an admin watches and steers A's sync.
 * The steps build on each other, as a day with an outage does.
 */
describe.skipIf(skipReason !== undefined)(`admin console on the demo pair in Chromium${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  const label = `Console ${Date.now()}`;
  let root: string;
  let pair: SyncPair;
  let browser: Browser;
  let agentA: ConsoleTab;
  let agentB: ConsoleTab;
  let adminA: ConsoleTab;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'lockstep-console-'));
    pair = await startSyncPair(root, { kind: 'embedded' }, RETRY_SETTINGS);
    browser = await launchChromium();
    [agentA, agentB, adminA] = await Promise.all([
      ConsoleTab.open(browser, pair.a.url, 'agent', pair.agentPassword),
      ConsoleTab.open(browser, pair.b.url, 'agent', pair.agentPassword),
      ConsoleTab.open(browser, pair.a.url, 'admin', pair.adminPassword),
    ]);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await pair?.close();
    if (root) await rm(root, { recursive: true, force: true });
  });

  it("lets a demo agent create an incident in A's UI, and see it become a case in B's UI", { timeout: 120_000 }, async () => {
    const { page } = agentA;
    // An agent may not configure sync: the navigation offers only the records, and the home page is the incident list.
    expect(await page.getByRole('navigation', { name: 'Sections' }).getByRole('link').allTextContents()).toEqual(['Records']);
    await page.getByRole('link', { name: 'New incident' }).click();
    await page.getByLabel('Short description', { exact: true }).fill(`${label}: printer on fire`);
    await page.getByLabel('Priority', { exact: true }).selectOption('2');
    await page.getByRole('button', { name: 'Submit' }).click();
    await page.getByRole('heading', { name: /^Incident INC\d+/ }).waitFor();
    await agentA.screenshot('01-incident-created-on-a');

    await agentB.go('#/records/case');
    const row = agentB.page.locator('tr', { hasText: `${label}: printer on fire` });
    await row.waitFor({ timeout: SYNCED });
    await agentB.screenshot('02-case-listed-on-b');
    await row.getByRole('link').click();
    await agentB.page.getByRole('heading', { name: /^Case CS\d+/ }).waitFor();
    expect(await agentB.page.getByLabel('Short description', { exact: true }).inputValue()).toBe(`${label}: printer on fire`);
    expect(await agentB.page.getByLabel('Priority', { exact: true }).inputValue()).toBe('2');
  });

  it('lets the agent comment on the case on B, and see the comment on the incident on A', { timeout: 120_000 }, async () => {
    await agentB.comment(`${label}: we are sending a technician`);
    await agentB.screenshot('03-comment-on-b');
    // A's form follows its record, so the comment appears without a reload.
    await agentA.journal().getByText(`${label}: we are sending a technician`).waitFor({ timeout: SYNCED });
    await agentA.screenshot('04-comment-arrived-on-a');
  });

  it('attaches a file on the incident form and downloads it, or says the instance has no attachment API', { timeout: 60_000 }, async () => {
    const section = agentA.page.locator('.attachments');
    const probe = await fetch(`${pair.a.url}/api/now/attachment`, { headers: { Authorization: `Basic ${Buffer.from(`agent:${pair.agentPassword}`).toString('base64')}` } });
    const routeMissing = probe.status === 404 && ((await probe.json()) as { type: string }).type.endsWith(':no-such-route');
    if (routeMissing) {
      await section.getByText('Attachments are not available on this instance').waitFor();
      await agentA.screenshot('04b-attachments-not-available');
      return;
    }
    await section.getByLabel('Attach a file').setInputFiles({ name: 'printer.txt', mimeType: 'text/plain', buffer: Buffer.from('smoke seen at 10:02') });
    const link = section.getByRole('button', { name: 'printer.txt' });
    await link.waitFor();
    const [download] = await Promise.all([agentA.page.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toBe('printer.txt');
    await agentA.screenshot('04b-attachment-added');
  });

  it("shows B's remote system in error on A's dashboard once B stops, and Validate and Activate's exact findings", { timeout: 120_000 }, async () => {
    const remote = pair.a.config.remoteSystemId;
    await adminA.go('#/dashboard');
    const outboundState = adminA.page.locator(`tr[data-remote-system="${remote}"] .badge`).first();
    await expect.poll(() => outboundState.getAttribute('data-state')).toBe('active');

    expect(await pair.b.stop('SIGTERM')).toBe(0);
    await agentA.comment(`${label}: any news?`);
    await expect.poll(() => outboundState.getAttribute('data-state'), { timeout: SYNCED }).toBe('error');
    await adminA.page.getByText('1 in error').waitFor();
    // The refused change waits in A's outbound queue, ready to go again.
    await expect.poll(async () => Number(await adminA.page.locator('[data-queue="outbound"] [data-status="ready"] strong').textContent()), { timeout: SYNCED }).toBeGreaterThan(0);
    await adminA.screenshot('05-dashboard-remote-system-in-error');

    // With B still down, Validate and Activate refuses and says why, finding by finding.
    await adminA.page.locator(`tr[data-remote-system="${remote}"]`).getByRole('link').click();
    await adminA.page.getByRole('button', { name: 'Validate and Activate' }).click();
    const problem = adminA.page.locator('.problem', { hasText: 'Validate and Activate found problems' });
    await problem.waitFor();
    expect(await problem.locator('li').first().textContent()).toMatch(/^connection /);
    expect(await problem.getAttribute('data-problem-status')).toBe('422');
    await adminA.screenshot('06-validate-and-activate-refused');
  });

  it('after B is back, activates the remote system from its page and shows the backlog drain', { timeout: 180_000 }, async () => {
    await pair.b.start();
    await adminA.page.getByRole('button', { name: 'Validate and Activate' }).click();
    await adminA.page.getByText(/^Validated and activated at/).waitFor({ timeout: 30_000 });
    await expect.poll(() => adminA.page.locator('h1 .badge').first().getAttribute('data-state')).toBe('active');
    await adminA.screenshot('07-activated');

    await adminA.page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Outbound queue' }).click();
    await adminA.page.getByLabel('Status').selectOption('ready');
    await expect.poll(() => adminA.page.getByRole('table', { name: 'Outbound queue' }).getAttribute('data-total'), { timeout: SYNCED }).toBe('0');
    await adminA.screenshot('08-outbound-backlog-drained');
    // The change made during the outage reached B's case.
    await agentB.journal().getByText(`${label}: any news?`).waitFor({ timeout: SYNCED });
    await agentB.screenshot('09-outage-comment-arrived-on-b');

    await adminA.go('#/dashboard');
    // The day's figure counts what A's queue holds as processed: at least the new incident and the comment made during the outage.
    const processedOnA = async () => Number((await pair.a.api.call('GET', '/api/lockstep/v1/sync/outbound-queue?status=processed&limit=1')).headers.get('x-total-count'));
    const shownProcessed = async () => (await adminA.page.locator('[data-queue="outbound"] [data-figure="processed"]').textContent())?.split(' / ').map(Number)[2];
    await expect.poll(async () => (await shownProcessed()) === (await processedOnA()) && (await processedOnA()) >= 2, { timeout: SYNCED }).toBe(true);
    expect(await adminA.page.getByText('None in error.').count()).toBe(1);
    expect(await adminA.page.locator('.chart svg .recharts-bar-rectangle').count()).toBeGreaterThan(0);
    await adminA.screenshot('10-dashboard-after-drain');
  });

  it("opens a processed item, reprocesses it after confirming, and shows its flow context's steps on the canvas", { timeout: 120_000 }, async () => {
    // Only a record's last change may be sent again: the runtime names it, the console's list shows it among the processed.
    const { body } = await pair.a.api.call('GET', '/api/lockstep/v1/sync/outbound-queue?status=processed&limit=1000');
    const items = body.result as { sys_id: string; correlation_key: string; sequence: number }[];
    const last = items.filter((item) => item.correlation_key === items[0]!.correlation_key).toSorted((x, y) => y.sequence - x.sequence)[0]!;
    await adminA.go('#/queues/outbound?status=processed');
    await adminA.page.getByRole('table', { name: 'Outbound queue' }).locator(`tr[data-row="${last.sys_id}"]`).getByRole('link').first().click();
    const actions = adminA.page.getByRole('button', { name: 'Reprocess' });
    await actions.waitFor();
    expect(await adminA.page.getByRole('button', { name: 'Retry' }).isDisabled()).toBe(true);
    await actions.click();
    const dialog = adminA.page.getByRole('dialog', { name: 'Reprocess this item?' });
    await dialog.getByText('under a new flow context').waitFor();
    await adminA.screenshot('11-reprocess-confirmation');
    await dialog.getByRole('button', { name: 'Reprocess' }).click();
    await adminA.page.getByText('Reprocess done: the item went to ready;', { exact: false }).waitFor();
    await expect.poll(() => adminA.page.locator('h1 .badge').getAttribute('data-state'), { timeout: SYNCED }).toBe('processed');
    await adminA.screenshot('12-reprocessed');

    await adminA.page.locator('dt', { hasText: 'Outbound subflow context' }).locator('xpath=following-sibling::dd[1]').getByRole('link').click();
    await adminA.page.locator('.badge', { hasText: 'flow context' }).waitFor();
    await expect.poll(() => adminA.page.locator('.react-flow__node[data-id="sendPayload"] .step').getAttribute('data-run-status')).toBe('done');
    await adminA.screenshot('13-flow-context-on-canvas');

    await adminA.page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Flow contexts' }).click();
    await expect.poll(() => adminA.page.getByRole('table', { name: 'Flow contexts' }).locator('tbody tr .badge[data-state="completed"]').count()).toBeGreaterThan(0);
    await adminA.screenshot('14-flow-contexts');
  });

  it("shows the integration's related lists, makes and deletes a process event in them, and refuses a capture definition whose filter names an unknown field with the runtime's findings", { timeout: 60_000 }, async () => {
    await adminA.page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Process sync definitions' }).click();
    await adminA.page.getByRole('table', { name: 'Process sync definitions' }).getByRole('link').first().click();
    for (const list of ['Capture definitions', 'Process events', 'Remote systems', 'Outbound flows', 'Inbound flows']) {
      await expect.poll(() => adminA.page.getByRole('table', { name: list }).locator('tbody tr[data-row]').count()).toBe(1);
    }
    expect(await adminA.page.getByRole('table', { name: 'Remote systems' }).locator('.badge[data-state="active"]').count()).toBe(2);
    await adminA.screenshot('15-definition-related-lists');

    // A process event made in a dialog: refused without a name, saying so in place; then made, and deleted after confirming.
    const events = adminA.page.locator('[data-related="Process events"]');
    await events.getByRole('button', { name: 'New' }).click();
    const dialog = adminA.page.getByRole('dialog', { name: 'New process event' });
    await dialog.getByRole('button', { name: 'Create' }).click();
    await dialog.locator('.problem li', { hasText: 'name' }).waitFor();
    await adminA.screenshot('15b-process-event-refused');
    await dialog.getByLabel('Name').fill('Case to incident');
    await dialog.getByRole('button', { name: 'Create' }).click();
    const made = events.locator('tr', { hasText: 'Case to incident' });
    await made.waitFor();
    await made.getByRole('button', { name: 'Delete' }).click();
    await adminA.page.getByRole('dialog', { name: 'Delete from process events?' }).getByRole('button', { name: 'Delete' }).click();
    await expect.poll(() => made.count()).toBe(0);

    await adminA.page.getByRole('table', { name: 'Capture definitions' }).getByRole('link', { name: 'incident' }).click();
    const selected = adminA.page.getByRole('list', { name: 'Selected fields' });
    await selected.getByText('Short description').waitFor();
    await adminA.page.getByRole('button', { name: 'Include Impact' }).click();
    expect(await selected.getByText('Impact').count()).toBe(1);
    await adminA.page.getByRole('button', { name: '+ Condition' }).click();
    // The demo's filter has a condition already (records with remote tasks go by them): the new one is last.
    await adminA.page.getByLabel('Field', { exact: true }).last().fill('no_such_field');
    await adminA.page.getByRole('button', { name: 'Save' }).click();
    const problem = adminA.page.locator('.problem', { hasText: 'Not saved' });
    await problem.waitFor();
    expect(await problem.locator('li').allTextContents()).toEqual([expect.stringMatching(/^body.filter .*no_such_field/)]);
    await adminA.screenshot('16-capture-definition-refused');
    // Nothing was saved: the stored definition still captures what the demo set.
    const { body } = await pair.a.api.call('GET', `/api/lockstep/v1/sync/capture-definitions?process_sync_definition=${pair.a.config.definitionId}`);
    expect(body.result[0].include_fields).not.toContain('impact');
  });
});
