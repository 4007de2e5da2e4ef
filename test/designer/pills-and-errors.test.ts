import { expect, it } from 'vitest';
import { describeInDesigner } from './designer-session.js';


/**
 * Issue 18, item 8: the data-pill picker offers nested fields, from the
 * outputs of earlier steps and the subflow's inputs, and finds them by search;
 * validation errors read as words, name the field, and lead to their step.
 */
describeInDesigner('data pills and findings', (opened) => {
  it('offers nested data pills with search, and words validation errors with a link to their step', async () => {
    const session = opened();
    const { page, designer } = session;
    const copy = await session.copyOf('outbound-basic', 'Pills and findings');
    await session.edit(copy.id);
    await session.showWholeGraph();

    // Get attachment metadata runs after the correlation look-up, in an outbound flow whose payload is the captured object.
    await designer.selectStep('attachmentMetadata');
    await page.getByRole('button', { name: 'Insert a data pill into sys_id' }).click();
    const picker = page.getByRole('listbox', { name: 'Data pills' });
    const offered = () => picker.getByRole('option').allTextContents();
    expect(await offered()).toEqual(expect.arrayContaining(['steps.lookupCorrelation.correlation.state', 'inputs.payload.metadata.include_attachments', 'inputs.payload.sys_id']));
    await picker.getByLabel('Find data').fill('correlation state');
    expect(await offered()).toEqual(['steps.lookupCorrelation.correlation.state']);
    await designer.screenshot('issue18-nested-pill-search');
    await picker.getByLabel('Find data').fill('metadata changed');
    await picker.getByRole('option', { name: 'inputs.payload.metadata.changed_by' }).click();
    expect(await page.getByLabel('sys_id', { exact: true }).inputValue()).toContain('{{ inputs.payload.metadata.changed_by }}');

    // A required param emptied: the finding says so in words, names the param, and selects its step.
    await page.getByLabel('table', { exact: true }).fill('');
    const finding = page.locator('.findings-panel li.error', { hasText: 'param table' });
    await finding.waitFor();
    const words = await finding.textContent();
    expect(words).toContain('"Get attachment metadata" (attachmentMetadata): param table: must not be empty');
    expect(words).not.toMatch(/Too small|expected string|Invalid input/);
    await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } });
    await page.locator('.inspector:not([data-inspecting])').waitFor();
    await finding.getByRole('button', { name: /attachmentMetadata/ }).click();
    await page.locator('.inspector[data-inspecting="attachmentMetadata"]').waitFor();
    await designer.screenshot('issue18-finding-in-words');
  });
});
