import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DemoApi } from '../../runtime/src/demo/api.js';
import { browserSkipReason, launchChromium } from '../support/chromium.js';
import { ConsoleTab } from '../support/console-page.js';
import { spawnRuntime, type RuntimeProcess } from '../support/runtime-process.js';

const PASSWORD = 'config-forms-password';
const SYNC = '/api/lockstep/v1/sync';
/** A sys_id or subflow id shown where a name belongs. */
const HEX_ID = /[0-9a-f]{16,}/;
const skipReason = browserSkipReason();

/** A copy of a template, named `name`, published `versions` times. */
async function publishedCopy(admin: DemoApi, template: string, name: string, versions = 1): Promise<string> {
  const id = await admin.create(`/api/lockstep/v1/subflows/${template}/copy`, { name });
  for (let version = 0; version < versions; version++) {
    const { etag } = await admin.call('GET', `/api/lockstep/v1/subflows/${id}`);
    await admin.call('POST', `/api/lockstep/v1/subflows/${id}/publish`, undefined, { etag });
  }
  return id;
}

/**
 * The process sync definition's forms in a real browser at a laptop's
 * 1280 × 720: dialogs keep their actions in view, the flow lists refuse a
 * second flow for one event and remote system and let a row be edited, and
 * subflows are named, never shown by id.
 */
describe.skipIf(skipReason !== undefined)(`configuration forms in Chromium${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  let dataDir: string;
  let runtime: RuntimeProcess;
  let browser: Browser;
  let admin: ConsoleTab;
  let definition: string;
  let remoteSystem: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'lockstep-config-forms-'));
    runtime = await spawnRuntime(['--data-dir', dataDir], { LOCKSTEP_ADMIN_PASSWORD: PASSWORD });
    const api = new DemoApi('runtime', runtime.url, 'admin', PASSWORD);
    const apiUser = await api.create('/api/lockstep/v1/users', { user_name: 'sync.api', password: PASSWORD, roles: ['ih_process_sync_api'] });
    const runAs = await api.create('/api/lockstep/v1/users', { user_name: 'sync.run_as', roles: ['ih_process_sync_run_as', 'itil'] });
    definition = await api.create(`${SYNC}/definitions`, { name: 'Incidents with the provider' });
    const event = await api.create(`${SYNC}/process-events`, { name: 'Incident to case', process_sync_definition: definition });
    remoteSystem = await api.create(`${SYNC}/remote-systems`, {
      process_sync_definition: definition,
      name: 'provider instance',
      connection: { base_url: 'http://127.0.0.1:9', user_name: 'sync.api', password: PASSWORD, signing_secrets: ['s'.repeat(32)] },
      inbound_api_user: apiUser,
      run_as_user: runAs,
      error_subflow: await publishedCopy(api, 'error-basic', 'Tell the team'),
    });
    // Two subflows of one name, as copies often are: their versions tell them apart.
    const first = await publishedCopy(api, 'outbound-basic', 'Send to the provider');
    await publishedCopy(api, 'outbound-basic', 'Send to the provider', 2);
    await api.create(`${SYNC}/outbound-flows`, { process_sync_definition: definition, process_event: event, remote_system: remoteSystem, subflow: first });
    browser = await launchChromium();
    admin = await ConsoleTab.open(browser, runtime.url, 'admin', PASSWORD);
    await admin.page.setViewportSize({ width: 1280, height: 720 });
  });

  afterAll(async () => {
    await browser?.close();
    await runtime?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("keeps the Edit remote system dialog's actions in the 1280 × 720 viewport, scrolling its fields, and saves", { timeout: 60_000 }, async () => {
    const { page } = admin;
    await admin.go(`#/remote-systems/${remoteSystem}`);
    await page.getByRole('button', { name: 'Edit' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit provider instance' });
    await dialog.getByLabel('Description').fill('Their ITSM, reached over the VPN');
    const save = dialog.getByRole('button', { name: 'Save' });
    const box = await save.boundingBox();
    expect(box).not.toBeNull();
    expect(box!.y).toBeGreaterThanOrEqual(0);
    expect(box!.y + box!.height).toBeLessThanOrEqual(720);
    await admin.screenshot('edit-remote-system-1280x720');
    await save.click({ timeout: 5_000 });
    await expect.poll(() => dialog.count()).toBe(0);
    await page.getByText('Their ITSM, reached over the VPN').waitFor();
  });

  it('refuses a second outbound flow for one event and remote system, edits a flow row, and names subflows with version and domain', { timeout: 60_000 }, async () => {
    const { page } = admin;
    await admin.go(`#/definitions/${definition}`);
    const flows = page.locator('[data-related="Outbound flows"]');
    const row = flows.locator('tbody tr[data-row]');
    await expect.poll(() => row.count()).toBe(1);
    // The row comes before its subflow's name, which shows "Loading…" until it is read.
    await expect.poll(() => row.locator('td').nth(2).textContent()).toBe('Send to the provider · v1 · global ↗');
    expect(await row.textContent()).not.toMatch(HEX_ID);

    await flows.getByRole('button', { name: 'New' }).click();
    const dialog = page.getByRole('dialog', { name: 'New outbound flow' });
    const options = dialog.getByLabel('Outbound subflow').locator('option');
    await expect.poll(async () => (await options.allTextContents()).filter((label) => label.startsWith('Send to the provider'))).toHaveLength(2);
    const subflowOptions = await options.allTextContents();
    for (const label of subflowOptions) expect(label).not.toMatch(HEX_ID);
    await dialog.getByLabel('Process event').selectOption({ label: 'Incident to case' });
    await dialog.getByLabel('Remote system').selectOption({ label: 'provider instance' });
    await dialog.getByLabel('Outbound subflow').selectOption({ index: 2 });
    await dialog.getByRole('button', { name: 'Create' }).click();
    const refused = dialog.locator('.problem[data-problem-status="409"]');
    await refused.waitFor();
    expect(await refused.textContent()).toMatch(/already has an outbound flow for process event "Incident to case"/);
    await admin.screenshot('duplicate-outbound-flow-refused');
    await dialog.getByRole('button', { name: 'Cancel' }).click();

    // The row is edited in place: its subflow changes to the other of the same name.
    await row.getByRole('button', { name: 'Edit' }).click();
    const editing = page.getByRole('dialog', { name: 'Edit outbound flow' });
    const picker = editing.getByLabel('Outbound subflow');
    const current = await picker.inputValue();
    const namesakes = await picker.locator('option', { hasText: 'Send to the provider' }).evaluateAll((options) => options.map((option) => (option as HTMLOptionElement).value));
    await picker.selectOption(namesakes.find((value) => value !== current)!);
    await editing.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => editing.count()).toBe(0);
    await expect.poll(() => row.locator('td').nth(2).textContent()).toBe('Send to the provider · v2 · global ↗');
    expect(await row.textContent()).not.toMatch(HEX_ID);

    // The remote system's error subflow is named too.
    await admin.go(`#/remote-systems/${remoteSystem}`);
    const errorSubflow = page.locator('dt', { hasText: 'Error subflow' }).locator('xpath=following-sibling::dd[1]');
    await expect.poll(() => errorSubflow.textContent()).toBe('Tell the team · v1 · global ↗');
    await admin.screenshot('flow-row-edited');
  });
});
