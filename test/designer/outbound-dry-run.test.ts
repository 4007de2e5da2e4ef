import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DemoApi } from '../../runtime/src/demo/api.js';
import { browserSkipReason, launchChromium } from '../support/chromium.js';
import { DesignerPage } from '../support/designer-page.js';
import { spawnRuntime, type RuntimeProcess } from '../support/runtime-process.js';

const PASSWORD = 'dry-run-test-password';
const SYNC = '/api/lockstep/v1/sync';
/** The peer's record for this instance: a dry run puts it in the envelope, and nothing goes there. */
const PEER_RECORD = 'f'.repeat(32);
const skipReason = browserSkipReason();

/**
 * A test run of an outbound subflow in the designer: by default a dry run,
 * in which Send records the envelope it would send (and the designer shows
 * it) instead of failing for want of a queue item.
 */
describe.skipIf(skipReason !== undefined)(`outbound dry run in Chromium${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  let dataDir: string;
  let runtime: RuntimeProcess;
  let browser: Browser;
  let subflowId: string;
  let inputs: Record<string, unknown>;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'lockstep-dry-run-'));
    runtime = await spawnRuntime(['--data-dir', dataDir], { LOCKSTEP_ADMIN_PASSWORD: PASSWORD });
    const admin = new DemoApi('runtime', runtime.url, 'admin', PASSWORD);
    const apiUser = await admin.create('/api/lockstep/v1/users', { user_name: 'sync.api', password: PASSWORD, roles: ['ih_process_sync_api'] });
    const runAs = await admin.create('/api/lockstep/v1/users', { user_name: 'sync.run_as', roles: ['ih_process_sync_run_as', 'itil'] });
    const definition = await admin.create(`${SYNC}/definitions`, { name: 'Incidents with the provider' });
    const event = await admin.create(`${SYNC}/process-events`, { name: 'Incident to case', process_sync_definition: definition });
    const remoteSystem = await admin.create(`${SYNC}/remote-systems`, {
      process_sync_definition: definition,
      name: 'provider instance',
      external_id: PEER_RECORD,
      // Nothing listens there: a real send would fail, a dry run does not try.
      connection: { base_url: 'http://127.0.0.1:9', user_name: 'sync.api', password: PASSWORD, signing_secrets: ['s'.repeat(32)] },
      inbound_api_user: apiUser,
      run_as_user: runAs,
    });
    const capture = await admin.create(`${SYNC}/capture-definitions`, { process_sync_definition: definition, process_event: event, source_table: 'incident', include_fields: ['short_description'] });
    const incident = await admin.create('/api/now/table/incident', { short_description: 'Printer on fire' });
    subflowId = await admin.create('/api/lockstep/v1/subflows/outbound-basic/copy', { name: 'Outbound to the provider' });
    inputs = {
      remoteSystem,
      payload: {
        table: 'incident',
        sys_id: incident,
        operation: 'insert',
        fields: { short_description: 'Printer on fire' },
        changed: ['short_description'],
        journal: {},
        attachments: [],
        metadata: { changed_by: 'admin', changed_on: '2026-05-01 10:00:00', domain: 'global', capture_definition: capture, mod_count: 1 },
      },
    };
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await runtime?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('test-runs an outbound subflow as a dry run by default and shows the envelope Send would have sent', { timeout: 60_000 }, async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.setDefaultTimeout(15_000);
    const designer = new DesignerPage(page, runtime.url);
    await designer.signIn('admin', PASSWORD);
    await page.goto(`${runtime.url}/designer/#/subflows/${subflowId}`);
    await designer.step('sendPayload').waitFor();

    await page.getByRole('button', { name: 'Test run' }).click();
    const dialog = page.getByRole('dialog', { name: 'Test run' });
    const dryRun = dialog.getByLabel(/^Dry run/);
    expect(await dryRun.isChecked()).toBe(true);
    await dialog.getByLabel('Sample inputs').fill(JSON.stringify(inputs, null, 2));
    await dialog.getByRole('button', { name: 'Run' }).click();

    const banner = page.locator('.banner.run');
    await expect.poll(() => banner.getAttribute('data-run-status')).toBe('completed');
    const envelope = banner.getByLabel('Envelope Send would have sent');
    await envelope.waitFor();
    const shown = JSON.parse((await envelope.textContent()) ?? '{}');
    expect(shown).toMatchObject({
      process_event: 'Incident to case',
      operation: 'insert',
      source: { remote_system: inputs.remoteSystem, target_remote_system: PEER_RECORD },
      payload: { sys_id: (inputs.payload as { sys_id: string }).sys_id, fields: { short_description: 'Printer on fire' } },
    });
    expect(await banner.textContent()).toContain('Dry run');
    await designer.screenshot('outbound-dry-run');
  });
});
