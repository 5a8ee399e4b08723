/**
 * The annotator's background as registered against the (fake) browser: the per-tab state
 * across a restart of the MV3 service worker, and the settings it goes by when they cannot
 * be read.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { registerAnnotator } from '../../../utils/annotator/background';
import { flashBadge } from '../../../utils/favorites/context-menu';
import { getEntry } from '../../../utils/catalog';
import { DEFAULT_SETTINGS, type Settings } from '../../../utils/favorites/types';
import { createFavoritesService, type FavoritesService } from '../../../utils/favorites/writer';
import type { Handlers } from '../../../utils/messages';

const flush = async (times = 10) => {
  for (let i = 0; i < times; i++) await new Promise((r) => setTimeout(r, 0));
};
const badge = (tabId: number) => fakeBrowser.action.getBadgeText({ tabId });
const PAGE = { entryIds: ['pubmedqa', 'cmekg'], url: 'https://github.com/a/b' };

/**
 * One run of the service worker: the annotator and the settings/favorites owner, registered
 * the way entrypoints/background.ts does. Everything lives in the worker's memory and listeners.
 */
function startWorker() {
  const handlers: Partial<Handlers> = {};
  registerAnnotator(handlers);
  const favorites: FavoritesService = createFavoritesService({ getEntry });
  Object.assign(handlers, favorites.handlers);
  return { handlers: handlers as Handlers, favorites };
}

/**
 * The browser stops the idle worker: its memory and listeners go; storage (session too)
 * and the toolbar badges stay.
 */
function stopWorker(w: ReturnType<typeof startWorker>) {
  w.favorites.dispose();
  fakeBrowser.tabs.onUpdated.removeAllListeners();
  fakeBrowser.tabs.onRemoved.removeAllListeners();
  fakeBrowser.storage.onChanged.removeAllListeners();
  for (const area of ['local', 'sync', 'session'] as const) fakeBrowser.storage[area].onChanged.removeAllListeners();
}

/** The fake browser's tabs 1 to 8, each showing the page that reports PAGE. */
async function openTabs() {
  for (let i = 1; i <= 8; i++) await fakeBrowser.tabs.create({ url: PAGE.url });
}
const navigate = (tabId: number, url: string) => fakeBrowser.tabs.update(tabId, { url });
/** Closes one tab: the browser no longer knows it (as a real one answers) and says so to listeners. */
async function closeTab(tabId: number) {
  const get = fakeBrowser.tabs.get.bind(fakeBrowser.tabs);
  vi.spyOn(fakeBrowser.tabs, 'get').mockImplementation((id) => (id === tabId ? Promise.reject(new Error(`No tab with id: ${id}.`)) : get(id)));
  await fakeBrowser.tabs.onRemoved.trigger(tabId, { windowId: 0, isWindowClosing: false });
}

describe('annotator background across a restart of the service worker', () => {
  let worker: ReturnType<typeof startWorker>;
  beforeEach(async () => {
    fakeBrowser.reset();
    await openTabs();
    worker = startWorker();
    await worker.handlers['page:found'](PAGE, { tabId: 7, url: PAGE.url });
    expect(await badge(7)).toBe('2');
    stopWorker(worker);
    worker = startWorker();
  });
  afterEach(() => {
    stopWorker(worker);
    vi.restoreAllMocks();
  });

  it('takes the toolbar count off open tabs when the count is switched off, and back on', async () => {
    await worker.handlers['settings:set']({ badge: false }, { ours: true });
    await flush();
    expect(await badge(7)).toBe('');
    await worker.handlers['settings:set']({ badge: true }, { ours: true });
    await flush();
    expect(await badge(7)).toBe('2');
  });

  it('leaves the toolbar icon alone when a favorite is saved (the context menu shows its star there)', async () => {
    await flashBadge(7, '★');
    await worker.handlers['favorites:save']({ entryId: 'pubmedqa' }, {});
    await flush();
    expect(await badge(7)).toBe('★');
  });

  it('forgets the old page when the tab goes to another site', async () => {
    // A move within the page keeps it.
    await navigate(7, 'https://github.com/a/b#readme');
    await flush();
    expect(await worker.handlers['page:get']({ tabId: 7 }, { ours: true })).toEqual(PAGE);
    expect(await badge(7)).toBe('2');

    await navigate(7, 'https://example.com/');
    await flush();
    expect(await worker.handlers['page:get']({ tabId: 7 }, { ours: true })).toBeNull();
    expect(await badge(7)).toBe('');
    // Nor does the next restart bring it back.
    stopWorker(worker);
    worker = startWorker();
    expect(await worker.handlers['page:get']({ tabId: 7 }, { ours: true })).toBeNull();
  });

  it('keeps the page through an update that names no URL while the tab still shows it (after a restart too)', async () => {
    const tab = await fakeBrowser.tabs.get(7);
    await fakeBrowser.tabs.onUpdated.trigger(7, { status: 'loading' }, tab);
    await flush();
    expect(await worker.handlers['page:get']({ tabId: 7 }, { ours: true })).toEqual(PAGE);
    expect(await badge(7)).toBe('2');
    // A reload: the page's new content script starts and asks for its data.
    await worker.handlers['annotator:init']({ site: 'github', url: PAGE.url, wantData: true }, { tabId: 7, url: PAGE.url });
    expect(await worker.handlers['page:get']({ tabId: 7 }, { ours: true })).toBeNull();
    expect(await badge(7)).toBe('');
  });

  it('forgets the page when the tab finishes loading where no script can run (a failed reload), with or without a URL in the event', async () => {
    const tab = await fakeBrowser.tabs.get(7);
    const run = vi.spyOn(fakeBrowser.scripting, 'executeScript').mockResolvedValue([]);
    await fakeBrowser.tabs.onUpdated.trigger(7, { status: 'complete' }, tab);
    await flush();
    expect(run).toHaveBeenCalledTimes(1);
    expect(await worker.handlers['page:get']({ tabId: 7 }, { ours: true })).toEqual(PAGE);
    // The error page: Chrome refuses to run a script there. Firefox may name the URL in the same event.
    run.mockRejectedValue(new Error('Frame with ID 0 is showing error page'));
    await fakeBrowser.tabs.onUpdated.trigger(7, { status: 'complete', url: PAGE.url }, tab);
    await flush();
    expect(await worker.handlers['page:get']({ tabId: 7 }, { ours: true })).toBeNull();
    expect(await badge(7)).toBe('');
  });

  it('forgets the old page even when what was kept could not be read back', async () => {
    vi.spyOn(fakeBrowser.storage.session, 'get').mockRejectedValue(new Error('storage.session is unavailable'));
    await navigate(7, 'https://example.com/');
    await flush();
    vi.restoreAllMocks();
    stopWorker(worker);
    worker = startWorker();
    expect(await worker.handlers['page:get']({ tabId: 7 }, { ours: true })).toBeNull();
  });

  it('reads the kept state again after a read that failed once', async () => {
    vi.spyOn(fakeBrowser.storage.session, 'get').mockRejectedValueOnce(new Error('storage.session is busy'));
    expect(await worker.handlers['page:get']({ tabId: 7 }, { ours: true })).toBeNull();
    expect(await worker.handlers['page:get']({ tabId: 7 }, { ours: true })).toEqual(PAGE);
  });

  it('takes from a page only entry IDs, and no more of them than a page can mark', async () => {
    const report = (entryIds: unknown[]) => worker.handlers['page:found']({ entryIds: entryIds as string[], url: PAGE.url }, { tabId: 8, url: PAGE.url });
    await expect(report(['pubmedqa', '<img src=x>'])).rejects.toThrow(/entry ID/);
    await expect(report(Array.from({ length: 1001 }, (_, i) => `entry-${i}`))).rejects.toThrow(/at most 1000/);
    expect(await badge(8)).toBe('');
    await report(['pubmedqa']);
    expect(await badge(8)).toBe('1');
  });

  it('still answers the popup with what the page reported, and forgets a closed tab', async () => {
    expect(await worker.handlers['page:get']({ tabId: 7 }, { ours: true })).toEqual(PAGE);
    await closeTab(7);
    await flush();
    stopWorker(worker);
    worker = startWorker();
    expect(await worker.handlers['page:get']({ tabId: 7 }, { ours: true })).toBeNull();
  });

  it('keeps nothing from a report that arrives after its tab moved on or closed', async () => {
    await navigate(7, 'https://github.com/c/d');
    await flush();
    await worker.handlers['page:found'](PAGE, { tabId: 7, url: PAGE.url });
    expect(await badge(7)).toBe('');
    expect(await worker.handlers['page:get']({ tabId: 7 }, { ours: true })).toBeNull();
    // The tab the report came from is gone, in this worker's life or before it.
    await closeTab(8);
    await flush();
    await worker.handlers['page:found'](PAGE, { tabId: 8, url: PAGE.url });
    await worker.handlers['page:found'](PAGE, { tabId: 99, url: PAGE.url });
    expect(Object.keys(await fakeBrowser.storage.session.get(null))).toEqual([]);
    // The new page's own report counts.
    await worker.handlers['page:found']({ entryIds: ['cblue'], url: 'https://github.com/c/d' }, { tabId: 7, url: 'https://github.com/c/d' });
    expect(await badge(7)).toBe('1');
  });
});

describe('annotator background when the settings cannot be read', () => {
  beforeEach(async () => {
    fakeBrowser.reset();
    await openTabs();
  });

  function withSettings() {
    let current: Settings | Error = { ...DEFAULT_SETTINGS, sites: { ...DEFAULT_SETTINGS.sites, github: false } };
    const handlers: Partial<Handlers> = {
      'settings:get': vi.fn(async () => {
        if (current instanceof Error) throw current;
        return current;
      }),
      'favorites:get': async () => ({ favorites: [], area: 'sync' as const, notices: [] }),
    };
    registerAnnotator(handlers);
    return { handlers: handlers as Handlers, set: (s: Settings | Error) => (current = s) };
  }
  const init = (h: Handlers) => h['annotator:init']({ site: 'github', url: 'https://github.com/a/b', wantData: false }, { tabId: 7 });

  it('keeps a site switched off when a later read fails', async () => {
    const { handlers, set } = withSettings();
    expect(await init(handlers)).toEqual({ enabled: false });
    set(new Error('storage.sync is unavailable'));
    expect(await init(handlers)).toEqual({ enabled: false });
  });

  it('goes by the settings read last, and by the defaults only when none was ever read', async () => {
    const { handlers, set } = withSettings();
    set(new Error('storage.sync is unavailable'));
    expect(await init(handlers)).toEqual({ enabled: true });
    set({ ...DEFAULT_SETTINGS, sites: { ...DEFAULT_SETTINGS.sites, github: false }, badge: false });
    expect(await init(handlers)).toEqual({ enabled: false });
    set(new Error('storage.sync is unavailable'));
    // The badge switch, too, stays as last read.
    await handlers['page:found'](PAGE, { tabId: 7, url: PAGE.url });
    expect(await badge(7)).toBe('');
    expect(await init(handlers)).toEqual({ enabled: false });
  });
});
