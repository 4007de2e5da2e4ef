import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium, which CI installs with apt; Playwright's own browser downloads are never used. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const chromiumMissing = !existsSync(CHROMIUM);

/**
 * Why browser tests cannot run here, or undefined when they can. On CI a
 * missing Chromium is a failure, not a skip.
 */
export function browserSkipReason(): string | undefined {
  if (!chromiumMissing) return undefined;
  if (process.env.CI === 'true') throw new Error(`Chromium is not at ${CHROMIUM}; .ci/run installs it with apt-get install -y chromium`);
  return `Chromium is not installed at ${CHROMIUM} (apt-get install chromium)`;
}

/** Headless Chromium with a fresh profile (Playwright makes a temporary one per launch) and no background traffic. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}
