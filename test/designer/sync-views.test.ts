import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserSkipReason, launchChromium } from '../support/chromium.js';
import { ConsoleTab } from '../support/console-page.js';
import { startSyncPair, until, type SyncPair } from '../support/sync-pair.js';

/** A one-second failure window, so A's remote system goes to error a second after the first refused send. */
const RETRY_SETTINGS = ['--link-failure-window-ms', '1000', '--outbound-retry-delay-ms', '100', '--outbound-retry-max-delay-ms', '400'];
/** Long enough for a change to cross both queues. */
const SYNCED = 60_000;
const skipReason = browserSkipReason();

interface QueueItem {
  sys_id: string;
  sequence: number;
  correlation_key: string;
  status: string;
}

/**
 * What the console shows of sync on the demo pair, in a real browser: a
 * case with its incident on the other side, and a queue item that is stuck
 * because the other side is down. The records come first; the outage ends
 * the suite.
 */
describe.skipIf(skipReason !== undefined)(`sync in the console on the demo pair in Chromium${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  const label = `Sync views ${Date.now()}`;
  let root: string;
  let pair: SyncPair;
  let browser: Browser;
  let adminA: ConsoleTab;
  let adminB: ConsoleTab;
  let incident: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'lockstep-sync-views-'));
    pair = await startSyncPair(root, { kind: 'embedded' }, RETRY_SETTINGS);
    browser = await launchChromium();
    [adminA, adminB] = await Promise.all([ConsoleTab.open(browser, pair.a.url, 'admin', pair.adminPassword), ConsoleTab.open(browser, pair.b.url, 'admin', pair.adminPassword)]);
    incident = (await pair.a.api.call('POST', '/api/now/table/incident', { short_description: `${label}: printer on fire`, priority: '2' })).body.result.sys_id;
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await pair?.close();
    if (root) await rm(root, { recursive: true, force: true });
  });

  it("opens the provider's records on case, and shows a case's references, its incident on the other side, remote tasks and where each journal entry came from, with work notes kept home", { timeout: 180_000 }, async () => {
    const { a, b } = pair;
    const kase = await until(async () => {
      const { body } = await b.api.call('GET', `/api/now/table/case?sysparm_query=${encodeURIComponent(`short_description=${label}: printer on fire`)}`);
      return body.result[0] as { sys_id: string; number: string } | undefined;
    }, 'the provider has the case', SYNCED);
    await b.api.call('POST', '/api/now/table/remote_task', { short_description: 'Replace the fuser', parent: kase.sys_id, remote_number: 'RTASK-77', remote_instance: 'vendor' });

    // The provider works cases: its records open there.
    const { page } = adminB;
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Records' }).click();
    await expect.poll(() => page.getByLabel('Table').inputValue()).toBe('case');
    await page.getByRole('table', { name: 'Case records' }).locator('tr', { hasText: label }).getByRole('link').click();
    await page.getByRole('heading', { name: `Case ${kase.number}` }).waitFor();

    // A reference shows whom it names, not a sys_id.
    const openedBy = page.locator('[data-reference="opened_by"]');
    await expect.poll(() => openedBy.locator('.reference-display').textContent()).toBe('sync.run_as');

    // The case's incident on the consumer, through its correlation, linked on the consumer's designer.
    const sync = page.getByRole('region', { name: 'Synced with' });
    const correlation = sync.locator('tr', { hasText: 'consumer instance' });
    await correlation.waitFor();
    expect(await correlation.locator('.badge').first().getAttribute('data-state')).toBe('active');
    const otherSide = correlation.getByRole('link', { name: /on consumer instance/ });
    expect(await otherSide.getAttribute('href')).toMatch(new RegExp(`^${a.url}/designer/#/correlated/[0-9a-f]{32}$`));

    // Its remote tasks, each linked.
    const tasks = page.getByRole('region', { name: 'Remote tasks' });
    await tasks.getByText('RTASK-77').waitFor();
    expect(await tasks.getByRole('link').first().getAttribute('href')).toMatch(/^#\/records\/remote_task\/[0-9a-f]{32}$/);

    // A comment made on the incident arrives marked with where it came from.
    await a.api.call('PATCH', `/api/now/table/incident/${incident}`, { comments: `${label}: is anyone on it?` });
    const arrived = adminB.journal().locator('li', { hasText: `${label}: is anyone on it?` });
    await arrived.waitFor({ timeout: SYNCED });
    expect(await arrived.getAttribute('data-origin')).toBe('consumer instance');
    expect(await arrived.textContent()).toContain('from consumer instance');
    await adminB.screenshot('case-with-correlation-and-origins');

    // The provider's work notes stay with the provider; its comments cross.
    await adminB.page.getByLabel('Work notes').fill(`${label}: the vendor owes us one`);
    await adminB.page.getByRole('button', { name: 'Post work notes' }).click();
    await adminB.journal().getByText(`${label}: the vendor owes us one`).waitFor();
    await adminB.comment(`${label}: a technician is on the way`);
    const incidentNow = await until(async () => {
      const { body } = await a.api.call('GET', `/api/now/table/incident/${incident}`);
      const record = body.result as { comments: { value: string }[]; work_notes: { value: string }[] };
      return record.comments.some((entry) => entry.value.startsWith(`${label}: a technician is on the way`)) ? record : undefined;
    }, "the case's comment reached the incident", SYNCED);
    expect(incidentNow.work_notes.filter((entry) => entry.value.includes('the vendor owes us one'))).toEqual([]);

    // The link to the other side opens the incident there, once signed in.
    const consumerTab = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    await consumerTab.goto((await otherSide.getAttribute('href'))!);
    await consumerTab.getByLabel('User name').fill('admin');
    await consumerTab.getByLabel('Password').fill(pair.adminPassword);
    await consumerTab.getByRole('button', { name: 'Sign in' }).click();
    await consumerTab.getByRole('heading', { name: /^Incident INC\d+$/ }).waitFor();
    expect(await consumerTab.locator('[data-sys-id]').getAttribute('data-sys-id')).toBe(incident);
    await consumerTab.close();
  });

  it('shows a stuck outbound item as an error, with its attempts, next retry, last error and flow context, and the item behind it says which one it waits for', { timeout: 180_000 }, async () => {
    const { a, b } = pair;
    const items = async () => (await a.api.call('GET', '/api/lockstep/v1/sync/outbound-queue?limit=1000')).body.result as QueueItem[];
    const key = (await items()).find((item) => item.correlation_key.includes(incident))!.correlation_key;
    await until(async () => ((await items()).every((item) => item.status === 'processed') ? true : undefined), "A's outbound queue is drained", SYNCED);

    expect(await b.stop('SIGTERM')).toBe(0);
    await a.api.call('PATCH', `/api/now/table/incident/${incident}`, { comments: `${label}: hello?` });
    await until(async () => ((await a.api.call('GET', `/api/lockstep/v1/sync/remote-systems/${a.config.remoteSystemId}`)).body.result.outbound_state === 'error' ? true : undefined), "A's remote system is in error", SYNCED);
    await a.api.call('PATCH', `/api/now/table/incident/${incident}`, { comments: `${label}: anyone?` });
    const [stuck, behind] = await until(async () => {
      const waiting = (await items()).filter((item) => item.correlation_key === key && item.status === 'ready').toSorted((x, y) => x.sequence - y.sequence);
      return waiting.length === 2 ? waiting : undefined;
    }, 'two items wait for the provider', SYNCED);

    const { page } = adminA;
    await adminA.go(`#/queues/outbound/${stuck!.sys_id}`);
    await page.getByRole('heading', { name: new RegExp(`#${stuck!.sequence}`) }).waitFor();
    await adminA.screenshot('queue-item-in-error');
    const alert = page.locator('.problem[role="alert"]', { hasText: 'Stuck' });
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/provider instance.*(refused|reach|connect)/is);
    const fact = (name: string) => page.locator('dt', { hasText: new RegExp(`^${name}$`) }).locator('xpath=following-sibling::dd[1]');
    expect(await fact('Attempts').textContent()).toMatch(/^0\b.*reset when the link went to error/);
    expect(await fact('Next retry').textContent()).toMatch(/when the link to .* is back/);
    expect(await fact('Last error').textContent()).not.toMatch(/^(—|None)/);
    expect(await fact('Outbound subflow context').getByRole('link').getAttribute('href')).toMatch(/^#\/contexts\/[0-9a-f]{32}$/);
    expect(await page.getByText('Error info').count()).toBe(0);

    await adminA.go(`#/queues/outbound/${behind!.sys_id}`);
    const waitsFor = fact('Waits for');
    await waitsFor.getByRole('link').waitFor();
    expect(await waitsFor.getByRole('link').getAttribute('href')).toBe(`#/queues/outbound/${encodeURIComponent(stuck!.sys_id)}`);
    expect(await waitsFor.textContent()).toMatch(new RegExp(`#${stuck!.sequence}.*stuck`));
    expect(await page.locator('.problem[role="alert"]').textContent()).toMatch(/Waiting behind/);
    await adminA.screenshot('queue-item-waiting-behind');
  });
});
