/**
 * Who may ask the background what. The background (entrypoints/background.ts, run here
 * against the fake browser) serves our own pages everything; a content script, which runs
 * in a web page that may be compromised, only what the content script and its card module
 * send.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import background from '../../../entrypoints/background';
import type { Favorite } from '../../../utils/favorites/types';
import type { MessageType, ReplyEnvelope } from '../../../utils/messages';
import { installFakes } from '../lookup/fake-menus';
import matcherJson from '@generated/matcher.json';
import { packMatcher } from '../../../utils/matcher/pack';
import type { MatcherData } from '../../../utils/matcher/types';

const PAGE_URL = 'https://github.com/CBLUEbenchmark/CBLUE';
/** A content script in a GitHub tab (its sender is the page it runs in). */
const contentScript = { id: 'test-extension-id', tab: { id: 7, index: 0, url: PAGE_URL }, frameId: 0, url: PAGE_URL };
/** The popup. */
const popup = { id: 'test-extension-id', url: 'chrome-extension://test-extension-id/popup.html' };
/** The options page, opened in a tab of its own. */
const options = { id: 'test-extension-id', tab: { id: 9, index: 1, url: 'chrome-extension://test-extension-id/options.html' }, url: 'chrome-extension://test-extension-id/options.html' };

async function send(sender: object, type: MessageType, data?: unknown): Promise<ReplyEnvelope<unknown>> {
  const replies = await fakeBrowser.runtime.onMessage.trigger({ __cmed: 1, type, data }, sender as never);
  return (await replies.find((r) => r !== undefined)) as ReplyEnvelope<unknown>;
}
async function value<T>(sender: object, type: MessageType, data?: unknown): Promise<T> {
  const reply = await send(sender, type, data);
  if (!reply.ok) throw new Error(`${type}: ${reply.error}`);
  return reply.value as T;
}
const favoriteIds = async () => (await value<{ favorites: Favorite[] }>(popup, 'favorites:get')).favorites.map((f) => f.entryId);

describe('messages from content scripts', () => {
  let injected: unknown[];
  beforeEach(async () => {
    fakeBrowser.reset();
    installFakes();
    // The browser's tabs 1 to 7: the content script's tab 7 shows its page.
    for (let i = 1; i <= 7; i++) await fakeBrowser.tabs.create({ url: PAGE_URL });
    injected = [];
    vi.spyOn(fakeBrowser.scripting, 'executeScript').mockImplementation(async (injection) => {
      injected.push(injection);
      return [];
    });
    background.main!();
    await value(popup, 'favorites:save', { entryId: 'pubmedqa', note: 'private note', tags: ['mine'] });
  });
  afterEach(() => vi.restoreAllMocks());

  it('are refused everything but what the content script sends', async () => {
    const [saved] = (await value<{ favorites: Favorite[] }>(popup, 'favorites:get')).favorites;
    const refused: [MessageType, unknown][] = [
      ['favorites:get', undefined],
      ['favorites:remove', { entryIds: ['pubmedqa'] }],
      ['favorites:import', { favorites: [{ ...saved, entryId: 'cmekg', title: 'Click here', links: [{ url: 'https://evil.example/', type: 'homepage' }] }] }],
      ['favorites:restore', { favorites: [{ ...saved, entryId: 'cmekg' }] }],
      ['favorites:update', { entryId: 'pubmedqa', note: 'overwritten' }],
      ['favorites:dismissNotice', {}],
      ['settings:get', undefined],
      ['settings:set', { sites: { github: false } }],
      ['page:get', { tabId: 7 }],
      ['page:reveal', { tabId: 7, entryId: 'pubmedqa' }],
      // The star saves an entry as it is: a page cannot write the user's note or tags.
      ['favorites:save', { entryId: 'pubmedqa', note: 'overwritten', tags: [] }],
      ['favorites:save', { entryId: 'cmekg', tags: ['spam'] }],
    ];
    for (const [type, data] of refused) {
      const reply = await send(contentScript, type, data);
      expect(reply, type).toEqual({ ok: false, error: expect.stringMatching(/extension's own pages|entry ID only/) });
    }
    // Nothing changed.
    expect(await value(popup, 'favorites:get')).toMatchObject({ favorites: [{ entryId: 'pubmedqa', note: 'private note', tags: ['mine'] }] });
    expect(await value(popup, 'settings:get')).toMatchObject({ sites: { github: true } });
  });

  it('are answered for every message the content script and its card module send', async () => {
    const init = await value<{ enabled: boolean; data?: { lang: string } }>(contentScript, 'annotator:init', { site: 'github', url: PAGE_URL, wantData: true });
    expect(init.enabled).toBe(true);
    expect(init.data?.lang).toBe('en');
    expect(await value(contentScript, 'page:found', { entryIds: ['cblue', 'pubmedqa'], url: PAGE_URL })).toBeUndefined();
    expect(await value(contentScript, 'catalog:card', { id: 'pubmedqa' })).toMatchObject({ id: 'pubmedqa', favorite: true });
    expect(await value(contentScript, 'annotator:ui')).toBe(true);
    expect(injected).toEqual([{ target: { tabId: 7, frameIds: [0] }, files: ['/annotator-ui.js'] }]);
    expect(await value(contentScript, 'favorites:save', { entryId: 'cblue' })).toMatchObject({ entryId: 'cblue' });
    expect((await value<string[]>(contentScript, 'annotator:saved')).sort()).toEqual(['cblue', 'pubmedqa']);
    // Saving a saved entry from a page keeps its note and tags, and does not hand them to the page.
    const again = await value<Partial<Favorite>>(contentScript, 'favorites:save', { entryId: 'pubmedqa' });
    expect(again).toMatchObject({ entryId: 'pubmedqa' });
    expect(again).not.toHaveProperty('note');
    expect(again).not.toHaveProperty('tags');
    expect(JSON.stringify(again)).not.toContain('private note');
    expect(await value(popup, 'favorites:get')).toMatchObject({ favorites: expect.arrayContaining([expect.objectContaining({ entryId: 'pubmedqa', note: 'private note' })]) });
    expect(await value(popup, 'page:get', { tabId: 7 })).toEqual({ entryIds: ['cblue', 'pubmedqa'], url: PAGE_URL });
  });

  it('leave our own pages, in a popup or a tab, served in full', async () => {
    for (const page of [popup, options]) {
      expect(await value(page, 'settings:set', { sites: { github: false } })).toMatchObject({ sites: { github: false } });
      expect(await value(page, 'settings:set', { sites: { github: true } })).toMatchObject({ sites: { github: true } });
      const { removed } = await value<{ removed: Favorite[] }>(page, 'favorites:remove', { entryIds: ['pubmedqa'] });
      expect(await favoriteIds()).toEqual([]);
      expect(await value(page, 'favorites:import', { favorites: removed })).toMatchObject({ added: 1 });
      expect(await favoriteIds()).toEqual(['pubmedqa']);
      expect(await value(page, 'favorites:get')).toMatchObject({ favorites: [{ entryId: 'pubmedqa', note: 'private note' }] });
    }
  });

  it('cannot pass for an extension page by a URL that only looks like one', async () => {
    const lookalike = { ...contentScript, url: 'https://github.com/chrome-extension://test-extension-id/popup.html' };
    expect(await send(lookalike, 'favorites:get')).toMatchObject({ ok: false });
    // Nor can another extension's page.
    expect(await send({ id: 'someone-else', url: 'chrome-extension://someone-else/page.html' }, 'favorites:get')).toMatchObject({ ok: false });
  });
});

describe("the benchmark's matcher override in storage.local", () => {
  const catalogMatcher = () => packMatcher(matcherJson as MatcherData);
  const init = async () => value<{ data: { matcher: unknown } }>(contentScript, 'annotator:init', { site: 'github', url: PAGE_URL, wantData: true });
  beforeEach(async () => {
    fakeBrowser.reset();
    installFakes();
    for (let i = 1; i <= 7; i++) await fakeBrowser.tabs.create({ url: PAGE_URL });
    // What any content script can write itself: a matcher with no names, and one made-up entry.
    await fakeBrowser.storage.local.set({ 'bench:matcherData': { version: 1, entries: [] } });
  });
  afterEach(() => {
    delete (fakeBrowser as unknown as { management?: unknown }).management;
    vi.restoreAllMocks();
  });

  it("is ignored in an install from a store: every page gets the catalog's names", async () => {
    (fakeBrowser as unknown as { management: unknown }).management = { getSelf: async () => ({ installType: 'normal' }) };
    background.main!();
    expect((await init()).data.matcher).toEqual(catalogMatcher());
  });

  it('is read in an unpacked install (the benchmark loads the build so)', async () => {
    (fakeBrowser as unknown as { management: unknown }).management = { getSelf: async () => ({ installType: 'development' }) };
    background.main!();
    expect((await init()).data.matcher).toEqual(packMatcher({ version: 1, entries: [] } as unknown as MatcherData));
  });
});

describe('a browser without the address bar keyword or context menus (Firefox for Android)', () => {
  it('still answers the content scripts and our pages', async () => {
    fakeBrowser.reset();
    installFakes();
    for (let i = 1; i <= 7; i++) await fakeBrowser.tabs.create({ url: PAGE_URL });
    const fake = fakeBrowser as unknown as Record<string, unknown>;
    const kept = { omnibox: fake.omnibox, contextMenus: fake.contextMenus };
    delete fake.omnibox;
    delete fake.contextMenus;
    try {
      background.main!();
      expect(await value(contentScript, 'annotator:init', { site: 'github', url: PAGE_URL })).toMatchObject({ enabled: true });
      expect(await favoriteIds()).toEqual([]);
    } finally {
      Object.assign(fake, kept);
    }
  });
});
