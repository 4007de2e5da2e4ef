import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Locator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DemoApi } from '../../runtime/src/demo/api.js';
import { browserSkipReason, launchChromium } from '../support/chromium.js';
import { ConsoleTab } from '../support/console-page.js';
import { spawnRuntime, type RuntimeProcess } from '../support/runtime-process.js';

const PASSWORD = 'domain-picker-password';
const skipReason = browserSkipReason();

/** The picker in the top navigation. */
const pickerOf = (tab: ConsoleTab): Locator => tab.page.locator('header.topbar').getByLabel('Domain');
/** The names in the console's list of process sync definitions. */
const definitionNames = (tab: ConsoleTab) => tab.page.getByRole('table', { name: 'Process sync definitions' }).locator('tbody tr[data-row] a').allTextContents();
/** The short descriptions in the case list. */
const caseNames = (tab: ConsoleTab) => tab.page.getByRole('table', { name: 'Case records' }).locator('tbody tr[data-row] td:nth-child(2)').allTextContents();

/**
 * The admin console's domain picker in a real browser, against one runtime
 * with two customer domains: a global admin narrows every list to one
 * customer and back, the choice outlives a reload, and a customer's admin,
 * who sees one domain only, gets no picker and sees the provider's shared
 * subflows read-only.
 */
describe.skipIf(skipReason !== undefined)(`domain picker in Chromium${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  let dataDir: string;
  let runtime: RuntimeProcess;
  let browser: Browser;
  let sharedSubflow: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'lockstep-domains-'));
    runtime = await spawnRuntime(['--data-dir', dataDir], { LOCKSTEP_ADMIN_PASSWORD: PASSWORD });
    const admin = new DemoApi('runtime', runtime.url, 'admin', PASSWORD);
    for (const customer of ['acme', 'globex']) {
      const domain = `global/${customer}`;
      await admin.create('/api/lockstep/v1/users', { user_name: `${customer}.admin`, password: PASSWORD, roles: ['admin'], sys_domain: domain });
      await admin.create('/api/lockstep/v1/users', { user_name: `${customer}.agent`, password: PASSWORD, roles: ['itil'], sys_domain: domain });
      await admin.create('/api/lockstep/v1/sync/definitions', { name: `${customer} incidents`, sys_domain: domain });
      await new DemoApi('runtime', runtime.url, `${customer}.agent`, PASSWORD).create('/api/now/table/case', { short_description: `${customer}: printer jams` });
    }
    // A subflow of the provider's own, in global: every customer's flows may run it, none may change it.
    sharedSubflow = await admin.create('/api/lockstep/v1/subflows/outbound-basic/copy', { name: 'Provider outbound' });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await runtime?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('lets a global admin narrow the definitions and the cases to one customer, keeps the choice across a reload, creates there, and widens back', { timeout: 60_000 }, async () => {
    const tab = await ConsoleTab.open(browser, runtime.url, 'admin', PASSWORD);
    const picker = pickerOf(tab);
    await expect.poll(() => picker.locator('option').allTextContents()).toEqual(['global', '\u00a0\u00a0global/acme', '\u00a0\u00a0global/globex']);
    expect(await picker.inputValue()).toBe('global');

    await tab.go('#/definitions');
    await expect.poll(() => definitionNames(tab)).toEqual(expect.arrayContaining(['acme incidents', 'globex incidents']));
    await picker.selectOption('global/globex');
    await expect.poll(() => definitionNames(tab)).toEqual(['globex incidents']);
    await tab.screenshot('domains-01-definitions-narrowed-to-globex');

    await tab.go('#/records/case');
    await expect.poll(() => caseNames(tab)).toEqual(['globex: printer jams']);
    // The choice lives with the tab's session: a reload keeps it.
    await tab.page.reload();
    await expect.poll(() => caseNames(tab)).toEqual(['globex: printer jams']);
    expect(await picker.inputValue()).toBe('global/globex');

    // A create lands in the picked domain.
    await tab.go('#/definitions');
    await tab.page.getByRole('button', { name: 'New process sync definition' }).click();
    const dialog = tab.page.getByRole('dialog', { name: 'New process sync definition' });
    await dialog.getByText('Domain global/globex.').waitFor();
    await dialog.getByLabel('Name').fill('globex returns');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await tab.page.locator('.card strong[data-domain="global/globex"]').waitFor();

    await picker.selectOption('global');
    await tab.go('#/records/case');
    await expect.poll(async () => (await caseNames(tab)).sort()).toEqual(['acme: printer jams', 'globex: printer jams']);
    await tab.page.close();
  });

  it("shows a customer's admin its domain without a picker, its own records only, and the provider's subflow read-only with a note to copy it", { timeout: 60_000 }, async () => {
    const tab = await ConsoleTab.open(browser, runtime.url, 'globex.admin', PASSWORD);
    await tab.page.locator('header.topbar .domain-name', { hasText: 'global/globex' }).waitFor();
    expect(await pickerOf(tab).count()).toBe(0);

    await tab.go('#/definitions');
    await expect.poll(async () => (await definitionNames(tab)).sort()).toEqual(['globex incidents', 'globex returns']);
    await tab.go('#/records/case');
    await expect.poll(() => caseNames(tab)).toEqual(['globex: printer jams']);

    await tab.go('#/');
    const row = tab.page.locator(`tr[data-subflow="${sharedSubflow}"]`);
    await row.getByText('read-only, from global').waitFor();
    expect(await row.getByRole('button', { name: 'Rename' }).count()).toBe(0);
    await row.getByRole('link', { name: 'Provider outbound' }).click();
    await tab.page.getByText('Copy it to make your own in global/globex.', { exact: false }).waitFor();
    expect(await tab.page.getByRole('button', { name: 'Copy to edit' }).count()).toBe(1);
    expect(await tab.page.getByRole('button', { name: 'Save', exact: true }).count()).toBe(0);
    await tab.screenshot('domains-02-parent-subflow-read-only');
    await tab.page.close();
  });
});
