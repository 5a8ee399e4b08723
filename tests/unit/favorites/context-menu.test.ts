import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { onSaveMenuClicked, SAVE_LINK_MENU_ID, SAVE_PAGE_MENU_ID, type SaveMenuDeps } from '../../../utils/favorites/context-menu';
import { createFavoritesHandlers } from '../../../utils/favorites/writer';
import { createMatcher } from '../../../utils/matcher';
import { buildMatcherData } from '../../../utils/matcher/build';
import { catalog, getEntry } from '../../../utils/catalog';

describe('context menu: save the entry a link or page points at', () => {
  let deps: SaveMenuDeps;
  let handlers: ReturnType<typeof createFavoritesHandlers>;
  const flashes: string[] = [];
  beforeEach(() => {
    fakeBrowser.reset();
    flashes.length = 0;
    handlers = createFavoritesHandlers({ getEntry });
    const matcher = createMatcher(buildMatcherData(catalog));
    deps = {
      entryForUrl: (url) => matcher.byUrl(url),
      save: (d, s) => handlers['favorites:save'](d, s),
      flash: vi.fn(async (_tab, text: string) => void flashes.push(text)),
    };
  });

  it.each([
    ['https://arxiv.org/abs/1909.06146v2', 'pubmedqa'],
    ['https://arxiv.org/pdf/1909.06146', 'pubmedqa'],
    ['https://www.aclweb.org/anthology/2020.emnlp-main.253.pdf', 'cometa-paper'],
    ['https://aclanthology.org/2020.emnlp-main.253/', 'cometa-paper'],
    ['https://github.com/CBLUEbenchmark/CBLUE', 'cblue'],
    ['https://github.com/cbluebenchmark/cblue/tree/main/baselines', 'cblue'],
  ])('a link to %s saves %s', async (linkUrl, id) => {
    expect(await onSaveMenuClicked({ menuItemId: SAVE_LINK_MENU_ID, linkUrl }, 3, deps)).toBe(id);
    const { favorites } = await handlers['favorites:get'](undefined, {});
    expect(favorites.map((f) => f.entryId)).toEqual([id]);
    expect(flashes).toEqual(['★']);
  });

  it('saves the page it was opened on, and saving twice keeps one favorite with its note', async () => {
    await handlers['favorites:save']({ entryId: 'pubmedqa', note: 'read first' }, {});
    await onSaveMenuClicked({ menuItemId: SAVE_PAGE_MENU_ID, pageUrl: 'https://arxiv.org/abs/1909.06146' }, 1, deps);
    await onSaveMenuClicked({ menuItemId: SAVE_PAGE_MENU_ID, pageUrl: 'https://arxiv.org/abs/1909.06146' }, 1, deps);
    const { favorites } = await handlers['favorites:get'](undefined, {});
    expect(favorites.map((f) => [f.entryId, f.note])).toEqual([['pubmedqa', 'read first']]);
  });

  it('a link to something outside the catalog saves nothing and says so', async () => {
    expect(await onSaveMenuClicked({ menuItemId: SAVE_LINK_MENU_ID, linkUrl: 'https://github.com/torvalds/linux' }, 1, deps)).toBeNull();
    expect((await handlers['favorites:get'](undefined, {})).favorites).toEqual([]);
    expect(flashes).toEqual(['?']);
  });

  it('ignores other menu items', async () => {
    expect(await onSaveMenuClicked({ menuItemId: 'cmed-lookup', linkUrl: 'https://arxiv.org/abs/1909.06146' }, 1, deps)).toBeNull();
    expect(flashes).toEqual([]);
  });
});
