import { expect, it } from 'vitest';
import { describeInDesigner } from './designer-session.js';


/**
 * Issue 18, item 3: leaving a draft with unsaved edits asks first (the menu,
 * another page, closing the tab), and the edits survive a reload in local
 * storage until they are saved or discarded.
 */
describeInDesigner('unsaved changes', (opened) => {
  it('asks before leaving unsaved edits, keeps them across a reload until discarded or saved', async () => {
    const session = opened();
    const { page, designer } = session;
    const copy = await session.copyOf('outbound-basic', 'Unsaved work');
    await session.edit(copy.id);
    const editorUrl = page.url();
    const label = page.getByLabel('Step label');
    await designer.selectStep('lookupCorrelation');
    await label.fill('Find the link');
    await page.getByText('unsaved changes').waitFor();

    // The menu: a confirm, and staying keeps the editor and the edit.
    let asked = session.answerNextDialog(false);
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Flow contexts' }).click();
    expect(await asked).toEqual({ type: 'confirm', message: expect.stringContaining('Leave "Unsaved work" with unsaved changes?') });
    expect(page.url()).toBe(editorUrl);
    expect(await label.inputValue()).toBe('Find the link');

    // Back to the list, the editor's own way out: asked too.
    asked = session.answerNextDialog(false);
    await page.getByRole('link', { name: 'Back to subflows' }).click();
    expect((await asked).type).toBe('confirm');
    expect(page.url()).toBe(editorUrl);

    // A reload asks through the browser, and the edit is back afterwards, said to be unsaved.
    asked = session.answerNextDialog(true);
    await page.reload();
    expect((await asked).type).toBe('beforeunload');
    await page.locator('.banner.restored-draft').waitFor();
    expect(await designer.step('lookupCorrelation').locator('.step-label').textContent()).toBe('Find the link');
    await designer.screenshot('issue18-unsaved-restored');

    // Discarded, the saved draft is back and leaving asks nothing.
    await page.getByRole('button', { name: 'Discard them' }).click();
    await expect.poll(() => designer.step('lookupCorrelation').locator('.step-label').textContent()).toBe('Look up correlation');
    expect(await page.locator('.banner.restored-draft').count()).toBe(0);
    await page.reload();
    await designer.step('start').waitFor();
    expect(await page.locator('.banner.restored-draft').count()).toBe(0);

    // Saved, nothing is kept and nothing asks.
    await designer.selectStep('lookupCorrelation');
    await label.fill('Find the correlation');
    await designer.save();
    await page.getByRole('link', { name: 'Back to subflows' }).click();
    await page.getByRole('heading', { name: 'Subflows' }).waitFor();
    expect((await session.subflow(copy.id)).nodes.find((node) => node.id === 'lookupCorrelation')?.label).toBe('Find the correlation');

    // Closing the tab is the same beforeunload the reload met: this Chromium's page.close skips the prompt, so the event is sent as the browser sends it.
    await session.edit(copy.id);
    const closingAsks = () => page.evaluate(() => !window.dispatchEvent(new Event('beforeunload', { cancelable: true })));
    expect(await closingAsks()).toBe(false);
    await designer.selectStep('lookupCorrelation');
    await label.fill('One more change');
    await expect.poll(closingAsks).toBe(true);
  });
});
