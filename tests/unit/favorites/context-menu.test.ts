import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import en from '../../../public/_locales/en/messages.json';
import zh from '../../../public/_locales/zh_CN/messages.json';
import { ENTRY_URL_PATTERNS, flashBadge, onSaveMenuClicked, registerSaveMenu, SAVE_LINK_MENU_ID, SAVE_PAGE_MENU_ID, type SaveMenuDeps } from '../../../utils/favorites/context-menu';
import { DEFAULT_SETTINGS, SETTINGS_KEY } from '../../../utils/favorites/types';
import { createFavoritesHandlers } from '../../../utils/favorites/writer';
import { createMatcher } from '../../../utils/matcher';
import { buildMatcherData } from '../../../utils/matcher/build';
import { catalog, getEntry } from '../../../utils/catalog';
import { flush, installFakes } from '../lookup/fake-menus';

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
    ['https://arxiv.org/abs/arXiv:1909.06146', 'pubmedqa'],
    ['https://www.aclweb.org/anthology/2020.emnlp-main.253.pdf', 'cometa-paper'],
    ['http://www.aclweb.org/anthology/papers/D/D19/D19-1259/', 'pubmedqa'],
    ['http://anthology.aclweb.org/D/D19/D19-1259.pdf', 'pubmedqa'],
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

describe('context menu: the save items', () => {
  let menus: ReturnType<typeof installFakes>['menus'];
  const deps: SaveMenuDeps = { entryForUrl: () => undefined, save: async () => ({}) as never, flash: async () => undefined };
  beforeEach(() => {
    fakeBrowser.reset();
    ({ menus } = installFakes());
  });
  const setLanguage = (language: 'auto' | 'en' | 'zh_CN') => fakeBrowser.storage.sync.set({ [SETTINGS_KEY]: { ...DEFAULT_SETTINGS, language } });

  it('in Chrome, are created on install and browser start, once each however the two events overlap', async () => {
    registerSaveMenu(deps);
    await flush();
    expect(menus.items.size).toBe(0);
    void fakeBrowser.runtime.onInstalled.trigger({ reason: 'update', temporary: false });
    void fakeBrowser.runtime.onStartup.trigger();
    await flush();
    expect(menus.errors).toEqual([]);
    expect([...menus.items.keys()]).toEqual([SAVE_LINK_MENU_ID, SAVE_PAGE_MENU_ID]);
    expect(menus.items.get(SAVE_LINK_MENU_ID)).toMatchObject({ contexts: ['link'], title: en.favorites_contextSaveLink.message });
    expect(menus.items.get(SAVE_PAGE_MENU_ID)).toMatchObject({ contexts: ['page'], title: en.favorites_contextSavePage.message });
  });

  it('in the Firefox build, are created as the background starts (re-enabling the add-on fires no install or startup event)', async () => {
    registerSaveMenu(deps, { createMenusAtStart: true });
    await flush();
    expect([...menus.items.keys()]).toEqual([SAVE_LINK_MENU_ID, SAVE_PAGE_MENU_ID]);
    expect(menus.errors).toEqual([]);
  });

  it('are titled in the language chosen in the settings and retitled when it changes', async () => {
    await setLanguage('zh_CN');
    registerSaveMenu(deps);
    await fakeBrowser.runtime.onStartup.trigger();
    await flush();
    expect(menus.items.get(SAVE_LINK_MENU_ID)?.title).toBe(zh.favorites_contextSaveLink.message);
    expect(menus.items.get(SAVE_PAGE_MENU_ID)?.title).toBe(zh.favorites_contextSavePage.message);
    await setLanguage('en');
    await flush();
    expect(menus.items.get(SAVE_LINK_MENU_ID)?.title).toBe(en.favorites_contextSaveLink.message);
    expect(menus.items.get(SAVE_PAGE_MENU_ID)?.title).toBe(en.favorites_contextSavePage.message);
    // Back to the browser's language (English here).
    await setLanguage('zh_CN');
    await setLanguage('auto');
    await flush();
    expect(menus.items.get(SAVE_PAGE_MENU_ID)?.title).toBe(en.favorites_contextSavePage.message);
    expect(menus.errors).toEqual([]);
  });
});

/** A WebExtension match pattern (scheme://host/path with `*`), as the browser reads targetUrlPatterns. */
function matchesPattern(pattern: string, url: string): boolean {
  const m = /^(\*|https?):\/\/(\*|(?:\*\.)?[^/*]+)(\/.*)$/.exec(pattern);
  if (!m) throw new Error(`not a match pattern: ${pattern}`);
  const u = new URL(url);
  if (m[1] === '*' ? !['http:', 'https:'].includes(u.protocol) : u.protocol !== `${m[1]}:`) return false;
  const host = m[2];
  if (host !== '*' && !(host.startsWith('*.') ? u.hostname === host.slice(2) || u.hostname.endsWith(host.slice(1)) : u.hostname === host)) return false;
  const path = new RegExp(`^${m[3].split('*').map((x) => x.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return path.test(u.pathname + u.search);
}

describe('context menu: which links offer "Save to favorites"', () => {
  const matcher = createMatcher(buildMatcherData(catalog));
  // Every link form the matcher resolves to an entry: the catalog's own links, and the same
  // written as older READMEs and reference lists write them (http, www, mirrors, resolvers).
  const forms = catalog.flatMap((e) =>
    e.links.flatMap((l) => {
      const u = new URL(l.url);
      const variants = [l.url, l.url.replace(/^https:/, 'http:')];
      if (u.hostname === 'arxiv.org') variants.push(l.url.replace('//arxiv.org', '//export.arxiv.org'), l.url.replace('//arxiv.org', '//www.arxiv.org'));
      if (u.hostname === 'github.com') variants.push(l.url.replace('//github.com', '//www.github.com'));
      if (u.hostname === 'doi.org') variants.push(l.url.replace('//doi.org', '//dx.doi.org'));
      return variants.map((url) => [url, e.id] as const);
    }),
  );
  const resolved = forms.filter(([url]) => matcher.byUrl(url) !== undefined);

  it('covers every link the matcher resolves', () => {
    expect(resolved.length).toBeGreaterThan(100);
    expect(resolved.filter(([url]) => !ENTRY_URL_PATTERNS.some((p) => matchesPattern(p, url))).map(([url]) => url)).toEqual([]);
  });

  it('is offered on DOI links the matcher reads anywhere in a path, and on www.doi.org', () => {
    for (const url of [
      'https://academic.oup.com/bioinformatics/article-lookup/doi/10.1093/bioinformatics/btz682',
      'https://www.doi.org/10.1093/bioinformatics/btz682',
      'http://www.doi.org/10.1093/bioinformatics/btz682',
    ]) {
      expect([url, matcher.byUrl(url)]).toEqual([url, 'biobert']);
      expect([url, ENTRY_URL_PATTERNS.some((p) => matchesPattern(p, url))]).toEqual([url, true]);
    }
  });

  it('is not offered on links to anything else', () => {
    for (const url of ['https://example.org/paper.pdf', 'https://scholar.google.com/scholar?q=PubMedQA', 'https://huggingface.co/datasets/pubmed_qa']) {
      expect([url, ENTRY_URL_PATTERNS.some((p) => matchesPattern(p, url))]).toEqual([url, false]);
    }
  });
});

describe('the outcome shown on the toolbar icon', () => {
  const text = (tabId: number) => fakeBrowser.action.getBadgeText({ tabId });
  beforeEach(() => {
    fakeBrowser.reset();
    vi.useFakeTimers({ toFake: ['setTimeout'] });
    return () => vi.useRealTimers();
  });

  it('shows a glyph for a moment, then the count it covered', async () => {
    await fakeBrowser.action.setBadgeText({ tabId: 4, text: '2' });
    await flashBadge(4, '★');
    expect(await text(4)).toBe('★');
    await vi.advanceTimersByTimeAsync(1_000);
    expect(await text(4)).toBe('★');
    await vi.advanceTimersByTimeAsync(600);
    expect(await text(4)).toBe('2');
  });

  it('brings back the count after two flashes in a row, whichever their glyphs', async () => {
    for (const [first, second] of [['★', '?'], ['?', '★'], ['★', '★']]) {
      await fakeBrowser.action.setBadgeText({ tabId: 4, text: '2' });
      await flashBadge(4, first);
      await vi.advanceTimersByTimeAsync(500);
      await flashBadge(4, second);
      expect(await text(4)).toBe(second);
      // The first flash's time is up: the second is still showing.
      await vi.advanceTimersByTimeAsync(1_100);
      expect(await text(4), `${first} then ${second}`).toBe(second);
      await vi.advanceTimersByTimeAsync(500);
      expect(await text(4), `${first} then ${second}`).toBe('2');
    }
  });

  it('leaves a count set meanwhile (a new page) in place', async () => {
    await fakeBrowser.action.setBadgeText({ tabId: 4, text: '2' });
    await flashBadge(4, '★');
    await fakeBrowser.action.setBadgeText({ tabId: 4, text: '5' });
    await vi.advanceTimersByTimeAsync(1_600);
    expect(await text(4)).toBe('5');
  });
});

describe('a save whose tab is gone before its outcome shows', () => {
  it('leaves no unhandled rejection, from the menu or the flash', async () => {
    fakeBrowser.reset();
    const { menus } = installFakes();
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown) => void unhandled.push(e);
    process.on('unhandledRejection', onUnhandled);
    try {
      // The tab closed while the save was written: the browser refuses badge calls for it.
      vi.spyOn(fakeBrowser.action, 'setBadgeText').mockRejectedValue(new Error('No tab with id: 5.'));
      const language = { ready: Promise.resolve(), settled: true, onChange: () => () => {} };
      registerSaveMenu({ entryForUrl: () => 'pubmedqa', save: async () => ({}) as never, flash: flashBadge }, { language, createMenusAtStart: false });
      menus.onClicked.fire({ menuItemId: SAVE_PAGE_MENU_ID, pageUrl: 'https://arxiv.org/abs/1909.06146' }, { id: 5, index: 0 });
      await flush(10);
      await expect(flashBadge(5, '★')).resolves.toBeUndefined();
    } finally {
      process.off('unhandledRejection', onUnhandled);
      vi.restoreAllMocks();
    }
    expect(unhandled.map(String)).toEqual([]);
  });
});
