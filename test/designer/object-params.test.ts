import { readFileSync } from 'node:fs';
import type { SubflowGraph } from '@lockstep/schema';
import { expect, it } from 'vitest';
import { describeInDesigner, graphText } from './designer-session.js';

const templates = ['outbound-basic', 'inbound-basic', 'error-basic'];
const templateFile = (id: string) => JSON.parse(readFileSync(new URL(`../../templates/${id}.json`, import.meta.url), 'utf8')) as SubflowGraph;

/**
 * Issue 18, item 1: object and list params are edited as nested rows, whole
 * from one data pill, or as JSON checked against the node's schema; opening
 * and applying them changes nothing, and a param that breaks its schema stops
 * Publish, saying which step and which param.
 */
describeInDesigner('object and list params', (opened) => {
  it('round-trips every template through the object editor byte for byte, and blocks Publish at an invalid param, naming it', async () => {
    const session = opened();
    const { page, designer } = session;
    for (const template of templates) {
      const copy = await session.copyOf(template, `Round trip of ${template}`);
      const before = graphText(copy);
      expect(copy.nodes).toEqual(templateFile(template).nodes);
      await session.edit(copy.id);
      await session.showWholeGraph();
      for (const node of copy.nodes) {
        await designer.selectStep(node.id);
        const fields = page.locator(`.inspector[data-inspecting="${node.id}"] .structured-field`);
        for (let index = 0; index < (await fields.count()); index += 1) {
          const field = fields.nth(index);
          // Each view in turn; JSON is typed back in as shown, so the value goes through the editor's parse.
          await field.getByRole('tab', { name: 'Fields' }).click();
          await field.getByRole('tab', { name: 'Data pill' }).click();
          await field.getByRole('tab', { name: 'JSON' }).click();
          const json = field.locator('textarea.json');
          const text = await json.inputValue();
          await json.fill(text);
          expect(await field.locator('.schema-check.ok').count(), `${template} ${node.id}: ${text}`).toBe(1);
          await field.getByRole('tab', { name: 'Fields' }).click();
        }
        if (template === 'inbound-basic' && node.id === 'createRecord') {
          // The symptom: a pill-valued object showed one row per character.
          expect(await page.locator('[data-param="values"] .whole-pill').textContent()).toContain('{{ steps.transformPayload.values }}');
          expect(await page.locator('[data-param="values"] .value-row').count()).toBe(0);
          await designer.screenshot('issue18-inspector-object-param-from-pill');
        }
      }
      await designer.save();
      expect(graphText(await session.subflow(copy.id))).toBe(before);
    }

    // The error template's notification channel, made a webhook without a valid address, field by field.
    const broken = await session.copyOf('error-basic', 'Broken channel');
    await session.edit(broken.id);
    await designer.selectStep('notify');
    const channels = page.locator('[data-param="channels"]');
    await channels.getByLabel('channels[0].type', { exact: true }).fill('webhook');
    await channels.getByRole('button', { name: 'Add a field to channels[0]' }).click();
    await channels.getByLabel('channels[0].url', { exact: true }).fill('not a web address');
    const publish = page.getByRole('button', { name: 'Publish' });
    await expect.poll(() => publish.isDisabled()).toBe(true);
    const blocker = page.locator('.publish-blocker');
    await expect.poll(() => blocker.textContent()).toContain('Send notification');
    expect(await blocker.locator('code').textContent()).toBe('channels.0.url');
    expect(await channels.locator('.field-error').textContent()).toContain('must be a web address');
    await channels.getByRole('tab', { name: 'JSON' }).click();
    expect(await channels.getByLabel('channels schema check').textContent()).toContain('channels.0.url must be a web address');
    await designer.screenshot('issue18-inspector-invalid-param');

    // The blocker is a way to the step: from elsewhere, it selects the step again.
    await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } });
    await page.locator('.inspector:not([data-inspecting])').waitFor();
    await blocker.getByRole('button').click();
    await page.locator('.inspector[data-inspecting="notify"]').waitFor();

    // Fixed in the JSON view, the param fits its schema and Publish is back.
    await channels.getByRole('tab', { name: 'JSON' }).click();
    await channels.getByLabel('channels as JSON').fill('[{ "type": "webhook", "url": "https://hooks.example.com/lockstep" }]');
    await channels.locator('.schema-check.ok').waitFor();
    await expect.poll(() => publish.isDisabled()).toBe(false);
  });
});
