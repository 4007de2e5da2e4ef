import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Locator, Page } from 'playwright-core';

/** Screenshots the designer tests keep as artifacts (gitignored). */
export const screenshotDir = fileURLToPath(new URL('../../test-artifacts/designer/', import.meta.url));

/** Drives the designer the way a person does: by its labels and visible controls. */
export class DesignerPage {
  constructor(
    readonly page: Page,
    readonly baseUrl: string,
  ) {}

  async screenshot(name: string): Promise<void> {
    mkdirSync(screenshotDir, { recursive: true });
    await this.page.screenshot({ path: `${screenshotDir}${name}.png`, fullPage: true });
  }

  async signIn(userName: string, password: string): Promise<void> {
    await this.page.goto(`${this.baseUrl}/designer/`);
    await this.page.getByLabel('User name').fill(userName);
    await this.page.getByLabel('Password').fill(password);
    await this.page.getByRole('button', { name: 'Sign in' }).click();
    await this.page.getByRole('heading', { name: 'Subflows' }).waitFor();
  }

  step(id: string): Locator {
    return this.page.locator(`.react-flow__node[data-id="${id}"]`);
  }

  /** Drags an edge from a step's port to another step's input. */
  async connect(source: string, port: string, target: string): Promise<void> {
    const from = await this.page.locator(`.react-flow__handle.source[data-nodeid="${source}"][data-handleid="${port}"]`).boundingBox();
    const to = await this.page.locator(`.react-flow__handle.target[data-nodeid="${target}"]`).boundingBox();
    if (!from || !to) throw new Error(`cannot see the ports to connect ${source}.${port} to ${target}`);
    await this.page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
    await this.page.mouse.down();
    await this.page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 12 });
    await this.page.mouse.up();
  }

  async dragFromPalette(type: string, at: { x: number; y: number }): Promise<void> {
    await this.page.locator(`.palette-item[data-node-type="${type}"]`).dragTo(this.page.locator('.react-flow__pane'), { targetPosition: at });
  }

  async selectStep(id: string): Promise<void> {
    await this.step(id).click();
    await this.page.locator(`.inspector[data-inspecting="${id}"]`).waitFor();
  }

  async save(): Promise<void> {
    await this.page.getByRole('button', { name: 'Save', exact: true }).click();
    await this.page.getByText(/^Saved at/).waitFor();
  }
}
