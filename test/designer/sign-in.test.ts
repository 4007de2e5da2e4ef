import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserSkipReason, launchChromium } from '../support/chromium.js';
import { DesignerPage } from '../support/designer-page.js';
import { spawnRuntime, type RuntimeProcess } from '../support/runtime-process.js';

const PASSWORD = 'sign-in-test-password';
/** Past the designer's request timeout (15 s), on the page's fake clock. */
const PAST_THE_TIMEOUT = '00:20';
const skipReason = browserSkipReason();

/**
 * Signing in to the designer in a real browser: a refusal is said on the
 * page, never by the browser's own Basic-auth popup, and a runtime that does
 * not answer is said too, instead of "Signing in…" forever.
 */
describe.skipIf(skipReason !== undefined)(`designer sign-in in Chromium${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  let dataDir: string;
  let runtime: RuntimeProcess;
  let browser: Browser;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'lockstep-sign-in-'));
    runtime = await spawnRuntime(['--data-dir', dataDir], { LOCKSTEP_ADMIN_PASSWORD: PASSWORD });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await runtime?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('says a wrong password on the page within 2 s with no browser popup, and says when the runtime does not answer', { timeout: 60_000 }, async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    const designer = new DesignerPage(page, runtime.url);
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(`${dialog.type()}: ${dialog.message()}`);
      void dialog.dismiss();
    });
    const challenges: string[] = [];
    page.on('response', (response) => {
      if (response.status() === 401) challenges.push(response.headers()['www-authenticate'] ?? '(none)');
    });

    await page.goto(`${runtime.url}/designer/`);
    await page.getByLabel('User name').fill('admin');
    await page.getByLabel('Password').fill('not-the-password');
    const clicked = Date.now();
    await page.getByRole('button', { name: 'Sign in' }).click();
    const refusal = page.locator('form.login [role="alert"]');
    await refusal.waitFor({ timeout: 2_000 });
    expect(Date.now() - clicked).toBeLessThan(2_000);
    expect(await refusal.textContent()).toMatch(/user name and password .* not valid/);
    await designer.screenshot('sign-in-refused');
    expect(dialogs).toEqual([]);
    // The 401 came, without the challenge that makes a browser ask for credentials itself.
    expect(challenges.length).toBeGreaterThan(0);
    for (const challenge of challenges) expect(challenge).not.toMatch(/basic/i);

    // A runtime that takes the request and never answers: the designer gives up after its timeout, and says so.
    await page.clock.install();
    await page.route('**/api/**', () => undefined);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Signing in…' }).waitFor();
    await page.clock.fastForward(PAST_THE_TIMEOUT);
    await refusal.filter({ hasText: 'did not answer' }).waitFor();
    expect(await page.getByRole('button', { name: 'Sign in' }).isEnabled()).toBe(true);
    await designer.screenshot('sign-in-no-answer');
    expect(dialogs).toEqual([]);
  });
});
