/**
 * Saving from everywhere, end to end in real Chromium: a hover card's star on a fixture
 * page shows in an already-open popup at once, and the context-menu items save the entry
 * a page or link points at (called through the worker, since no script can click a
 * browser context menu).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchExtension, siteUrl, type ExtensionSession } from './harness';

type Snap = { favorites: { entryId: string }[] };

async function favorites(s: ExtensionSession): Promise<string[]> {
  const page = await s.context.newPage();
  await page.goto(s.extensionUrl('popup.html'));
  const snap = (await page.evaluate(async () => {
    const reply = await (globalThis as unknown as { chrome: { runtime: { sendMessage(m: unknown): Promise<{ value: unknown }> } } }).chrome.runtime.sendMessage({
      __cmed: 1,
      type: 'favorites:get',
      data: undefined,
    });
    return reply.value;
  })) as Snap;
  await page.close();
  return snap.favorites.map((f) => f.entryId).sort();
}

describe('save from everywhere', () => {
  let s: ExtensionSession;
  beforeAll(async () => {
    s = await launchExtension();
  });
  afterAll(async () => {
    await s?.close();
  });

  it('a star in a hover card shows in the open popup at once', async () => {
    const popup = await s.openPopup();
    await popup.locator('#cmed-search').fill('BioBERT');
    const option = popup.locator('[role="option"]').filter({ hasText: 'BioBERT' }).first();
    await option.waitFor();
    expect(await option.locator('.saved-mark').count()).toBe(0);

    const page = await s.context.newPage();
    await page.goto(siteUrl('aclanthology.org', '/2020.emnlp-main.253/'));
    const badge = page.locator('cmed-badge[data-catalog-entry="biobert"]');
    await badge.waitFor({ state: 'attached', timeout: 20_000 });
    // Wait for the annotator's pass to settle, then open the card from the keyboard.
    await page.waitForFunction(() => document.documentElement.getAttribute('data-cmed-annotator') === 'idle', null, { timeout: 20_000 });
    await badge.focus();
    const card = page.locator('cmed-card');
    await expect.poll(() => card.locator('h2').textContent(), { timeout: 5_000 }).toContain('BioBERT');
    await expect.poll(() => card.isVisible()).toBe(true);
    const star = card.locator('button.star');
    await star.click();
    await expect.poll(() => star.getAttribute('aria-pressed')).toBe('true');

    // The popup was open all along; it must not need a reload to show the new favorite.
    await expect.poll(() => option.locator('.saved-mark').count(), { timeout: 5_000 }).toBe(1);
    await page.close();
    await popup.close();
  });

  it('the context menu saves the entry a page or a link points at, idempotently', async () => {
    const page = await s.context.newPage();
    await page.goto(siteUrl('arxiv.org', '/abs/1909.06146'));
    const tabId = await s.worker.evaluate(async () => {
      const c = (globalThis as unknown as { chrome: { tabs: { query(q: object): Promise<{ id: number; url: string }[]> } } }).chrome;
      const tabs = await c.tabs.query({});
      return tabs.find((t) => t.url?.includes('1909.06146'))?.id;
    });
    const click = (info: object) =>
      s.worker.evaluate(
        ([info, tabId]) =>
          (globalThis as unknown as { cmedSaveMenu(i: object, t?: number): Promise<string | null> }).cmedSaveMenu(info as object, tabId as number),
        [info, tabId] as const,
      );
    expect(await click({ menuItemId: 'cmed-save-page', pageUrl: 'https://arxiv.org/abs/1909.06146' })).toBe('pubmedqa');
    expect(await click({ menuItemId: 'cmed-save-page', pageUrl: 'https://arxiv.org/abs/1909.06146' })).toBe('pubmedqa');
    expect(await click({ menuItemId: 'cmed-save-link', linkUrl: 'https://github.com/CBLUEbenchmark/CBLUE' })).toBe('cblue');
    const ids = await favorites(s);
    expect(ids.filter((id) => id === 'pubmedqa')).toHaveLength(1);
    expect(ids).toContain('cblue');
    // A link to no catalog entry saves nothing.
    expect(await click({ menuItemId: 'cmed-save-link', linkUrl: 'https://github.com/torvalds/linux' })).toBeNull();
    expect(await favorites(s)).toEqual(ids);
    await page.close();
  });

  it('raised no errors in extension pages or the worker', () => {
    expect(s.errors).toEqual([]);
  });
});
