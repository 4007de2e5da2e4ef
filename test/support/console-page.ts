import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, Locator, Page } from 'playwright-core';

/** Screenshots the console tests keep as artifacts (gitignored). */
export const consoleScreenshotDir = fileURLToPath(new URL('../../test-artifacts/console/', import.meta.url));

/** One signed-in tab of the admin console on one instance, driven by its labels and visible controls. */
export class ConsoleTab {
  private constructor(
    readonly page: Page,
    readonly baseUrl: string,
    private readonly who: string,
  ) {}

  /** A fresh tab (its own session storage, so its own sign-in) signed in as `userName` on the instance at `baseUrl`. */
  static async open(browser: Browser, baseUrl: string, userName: string, password: string): Promise<ConsoleTab> {
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    page.setDefaultTimeout(15_000);
    await page.goto(`${baseUrl}/designer/`);
    await page.getByLabel('User name').fill(userName);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('navigation', { name: 'Sections' }).waitFor();
    return new ConsoleTab(page, baseUrl, userName);
  }

  /** Opens a console address, e.g. `#/dashboard`. */
  async go(hash: string): Promise<void> {
    await this.page.goto(`${this.baseUrl}/designer/${hash}`);
  }

  async screenshot(name: string): Promise<void> {
    mkdirSync(consoleScreenshotDir, { recursive: true });
    await this.page.screenshot({ path: `${consoleScreenshotDir}${name}.png`, fullPage: true });
  }

  /** The record form's journal history. */
  journal(): Locator {
    return this.page.getByLabel('Journal history');
  }

  /** Adds a comment on the open record form and waits until its history shows it. */
  async comment(text: string): Promise<void> {
    await this.page.getByLabel('Additional comments').fill(text);
    await this.page.getByRole('button', { name: 'Post additional comments' }).click();
    await this.journal().getByText(text).first().waitFor();
  }

  toString(): string {
    return `${this.who} at ${this.baseUrl}`;
  }
}
