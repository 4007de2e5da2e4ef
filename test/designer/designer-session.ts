import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SubflowGraph } from '@lockstep/schema';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe } from 'vitest';
import { browserSkipReason, launchChromium } from '../support/chromium.js';
import { DesignerPage } from '../support/designer-page.js';
import { spawnRuntime, type RuntimeProcess } from '../support/runtime-process.js';

const PASSWORD = 'designer-session-password';

/** A subflow as the API serves it: the graph, and what the runtime keeps beside it. */
export type ServedSubflow = SubflowGraph & { id: string };

/** The graph's own fields, in the order the API serves them, as text: what "byte for byte" compares. */
export function graphText(subflow: ServedSubflow): string {
  const { name, description, kind, inputs, outputs, nodes, edges, timeLimitMs } = subflow;
  return JSON.stringify({ name, description, kind, inputs, outputs, nodes, edges, timeLimitMs });
}

/** What a dialog the page raised said, once it has been answered. */
export interface DialogSeen {
  type: string;
  message: string;
}

/**
 * A runtime process of its own, and Chromium signed in to its designer as
 * the first admin at 1440 × 900, with the admin's API at hand to set up what
 * a test needs.
 */
export class DesignerSession {
  private constructor(
    readonly runtime: RuntimeProcess,
    readonly browser: Browser,
    readonly page: Page,
    readonly designer: DesignerPage,
    private readonly dataDir: string,
  ) {}

  static async open(): Promise<DesignerSession> {
    const dataDir = await mkdtemp(join(tmpdir(), 'lockstep-designer-'));
    const runtime = await spawnRuntime(['--data-dir', dataDir], { LOCKSTEP_ADMIN_PASSWORD: PASSWORD });
    const browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.setDefaultTimeout(10_000);
    const session = new DesignerSession(runtime, browser, page, new DesignerPage(page, runtime.url), dataDir);
    await session.designer.signIn('admin', PASSWORD);
    return session;
  }

  async close(): Promise<void> {
    await this.browser.close();
    await this.runtime.stop();
    await rm(this.dataDir, { recursive: true, force: true });
  }

  async api<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.runtime.url}/api/lockstep/v1${path}`, {
      method,
      headers: { Authorization: `Basic ${Buffer.from(`admin:${PASSWORD}`).toString('base64')}`, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return ((await response.json()) as { result: T }).result;
  }

  subflow(id: string): Promise<ServedSubflow> {
    return this.api<ServedSubflow>('GET', `/subflows/${id}`);
  }

  /** A draft copy of a system template, as a designer makes one to change it. */
  copyOf(template: string, name: string): Promise<ServedSubflow> {
    return this.api<ServedSubflow>('POST', `/subflows/${template}/copy`, { name });
  }

  /** Opens a draft in the editor and waits for its Start step. */
  async edit(subflowId: string): Promise<void> {
    await this.page.goto(`${this.runtime.url}/designer/#/subflows/${subflowId}`);
    await this.designer.step('start').waitFor();
  }

  /** Fits the whole graph in view (React Flow's own control), so every step can be clicked. */
  async showWholeGraph(): Promise<void> {
    await this.page.locator('.react-flow__controls-fitview').click();
  }

  /** Answers the next dialog the page raises, and tells what it said. */
  answerNextDialog(accept: boolean): Promise<DialogSeen> {
    return new Promise((resolve) => {
      this.page.once('dialog', (dialog) => {
        const seen = { type: dialog.type(), message: dialog.message() };
        void (accept ? dialog.accept() : dialog.dismiss()).then(() => resolve(seen));
      });
    });
  }
}

/** A describe block with a designer session of its own, opened before its tests and closed after; skipped where Chromium is missing. */
export function describeInDesigner(title: string, tests: (session: () => DesignerSession) => void): void {
  const skipReason = browserSkipReason();
  describe.skipIf(skipReason !== undefined)(`${title} in Chromium${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
    let session: DesignerSession | undefined;
    beforeAll(async () => {
      session = await DesignerSession.open();
    });
    afterAll(async () => {
      await session?.close();
    });
    tests(() => session!);
  });
}
