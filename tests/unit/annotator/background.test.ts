/**
 * Background side of the annotator as plain handlers: init (per-site switch, data only when
 * asked), card data in both languages, and the per-tab found state behind the toolbar badge.
 */
import { describe, expect, it, vi } from 'vitest';
import zhMessages from '../../../public/_locales/zh_CN/messages.json';
import { cardStrings, createAnnotatorBackground, type AnnotatorDeps } from '../../../utils/annotator/background';
import { DEFAULT_SETTINGS, type Settings } from '../../../utils/favorites/types';

type TabUrls = Map<number, string | undefined> | AnnotatorDeps['tabUrl'];
function setup(over: Partial<Settings> = {}, favorites: string[] = [], tabUrls?: TabUrls, override?: string[]) {
  const settings: Settings = { ...DEFAULT_SETTINGS, sites: { ...DEFAULT_SETTINGS.sites }, ...over };
  const badges: [number, string][] = [];
  const injected: [number, number][] = [];
  const revealed: [number, string][] = [];
  const deps: AnnotatorDeps = {
    settings: async () => settings,
    favoriteIds: async () => new Set(favorites),
    setBadge: async (tabId, text) => void badges.push([tabId, text]),
    matcherOverride: async () => (override ? { version: 1, entries: override } : undefined),
    uiLanguage: (pref) => (pref === 'zh_CN' ? 'zh_CN' : 'en'),
    injectUi: async (tabId, frameId) => void injected.push([tabId, frameId]),
    reveal: async (tabId, entryId) => {
      revealed.push([tabId, entryId]);
      return entryId === 'cmekg' ? 'hidden' : 'shown';
    },
    // Tabs missing from the map are closed.
    ...(tabUrls && { tabUrl: typeof tabUrls === 'function' ? tabUrls : async (tabId: number) => (tabUrls.has(tabId) ? tabUrls.get(tabId) : null) }),
  };
  return { bg: createAnnotatorBackground(deps), deps, settings, badges, injected, revealed };
}

describe('annotator background', () => {
  it('answers init with the switch, and data only when asked and enabled', async () => {
    const { bg, settings } = setup();
    const on = await bg.handlers['annotator:init']({ site: 'arxiv', url: 'https://arxiv.org/abs/1', wantData: true }, {});
    expect(on.enabled).toBe(true);
    expect(on.data?.matcher.version).toBe(1);
    expect(on.data?.meta.pubmedqa?.[1]).toBe('dataset');
    expect(on.data?.strings.card_save).toBe('Save to favorites');
    expect((await bg.handlers['annotator:init']({ site: 'arxiv', url: 'x', wantData: false }, {})).data).toBeUndefined();
    settings.sites.arxiv = false;
    expect(await bg.handlers['annotator:init']({ site: 'arxiv', url: 'x', wantData: true }, {})).toEqual({ enabled: false });
  });

  it('injects the card module into the asking tab and frame, and refuses a sender without a tab', async () => {
    const { bg, injected } = setup();
    expect(await bg.handlers['annotator:ui'](undefined, { tabId: 7, frameId: 3 })).toBe(true);
    expect(await bg.handlers['annotator:ui'](undefined, { tabId: 9 })).toBe(true);
    expect(injected).toEqual([
      [7, 3],
      [9, 0],
    ]);
    await expect(bg.handlers['annotator:ui'](undefined, {})).rejects.toThrow(/tab/);
    expect(injected).toHaveLength(2);
  });

  it('gives card data in the UI language with the favorite state', async () => {
    const { bg } = setup({ language: 'zh_CN' }, ['cmekg']);
    const card = await bg.handlers['catalog:card']({ id: 'cmekg' }, {});
    expect(card).toMatchObject({ id: 'cmekg', kind: 'knowledge-graph', kindLabel: '知识图谱', favorite: true });
    expect(await bg.handlers['catalog:card']({ id: 'no-such-entry' }, {})).toBeNull();
  });

  it('says it cannot tell, rather than "nothing saved", when favorites cannot be read', async () => {
    const { deps } = setup({}, ['cmekg']);
    const failing = createAnnotatorBackground({ ...deps, favoriteIds: async () => Promise.reject(new Error('storage refused the write')) });
    await expect(failing.handlers['annotator:saved'](undefined, { tabId: 7 })).rejects.toThrow(/storage/);
    expect(await failing.handlers['catalog:card']({ id: 'cmekg' }, {})).toMatchObject({ id: 'cmekg', favorite: null });
  });

  it("gives card data in the language the page's strings are in when asked, whatever the setting says now", async () => {
    const { bg } = setup({ language: 'en' });
    expect(await bg.handlers['catalog:card']({ id: 'cmekg', lang: 'zh-CN' }, {})).toMatchObject({ kindLabel: '知识图谱' });
    const { bg: zhBg } = setup({ language: 'zh_CN' });
    expect(await zhBg.handlers['catalog:card']({ id: 'cmekg', lang: 'en' }, {})).toMatchObject({ kindLabel: 'Knowledge graph' });
    // Without a language, or with one it does not know, the setting's.
    expect(await zhBg.handlers['catalog:card']({ id: 'cmekg' }, {})).toMatchObject({ kindLabel: '知识图谱' });
    expect(await zhBg.handlers['catalog:card']({ id: 'cmekg', lang: 'fr' }, {})).toMatchObject({ kindLabel: '知识图谱' });
    // The strings a page is given name their language.
    expect(cardStrings('zh_CN').card_lang).toBe('zh-CN');
    expect(cardStrings('en').card_lang).toBe('en');
  });

  it("labels a download link with its extraction code in the language's own brackets", async () => {
    const { bg } = setup({ language: 'en' });
    const en = await bg.handlers['catalog:card']({ id: 'ruijin-diabetes' }, {});
    const zhCard = await bg.handlers['catalog:card']({ id: 'ruijin-diabetes', lang: 'zh-CN' }, {});
    expect(en?.links.find((l) => l.label.includes('0c54'))?.label).toBe('Baidu Pan (extraction code 0c54)');
    expect(zhCard?.links.find((l) => l.label.includes('0c54'))?.label).toBe('Baidu Pan（提取码 0c54）');
  });

  it('tells the card module which entries are saved, by ID only', async () => {
    expect(await setup({}, ['cmekg', 'pubmedqa']).bg.handlers['annotator:saved'](undefined, { tabId: 7 })).toEqual(['cmekg', 'pubmedqa']);
    expect(await setup().bg.handlers['annotator:saved'](undefined, { tabId: 7 })).toEqual([]);
  });

  it('keeps what each tab found, sets the toolbar badge, and clears it on navigation', async () => {
    const { bg, badges, settings } = setup();
    await bg.handlers['page:found']({ entryIds: ['cmekg', 'pubmedqa', 'cmekg'], url: 'https://arxiv.org/abs/1' }, { tabId: 7 });
    expect(badges.at(-1)).toEqual([7, '2']);
    expect(await bg.handlers['page:get']({ tabId: 7 }, {})).toEqual({ entryIds: ['cmekg', 'pubmedqa'], url: 'https://arxiv.org/abs/1' });
    // The same URL reported again (the new page already reported) is kept; another URL clears.
    await bg.onNavigated(7, 'https://arxiv.org/abs/1');
    expect(bg.tabs.has(7)).toBe(true);
    // A move to an anchor of the same page, and back: the same page, still counted.
    await bg.onNavigated(7, 'https://arxiv.org/abs/1#S2');
    await bg.onNavigated(7, 'https://arxiv.org/abs/1');
    expect(bg.tabs.has(7)).toBe(true);
    expect(badges.at(-1)).toEqual([7, '2']);
    await bg.onNavigated(7, 'https://arxiv.org/abs/2#S2');
    expect(bg.tabs.has(7)).toBe(false);
    await bg.handlers['page:found']({ entryIds: ['cmekg', 'pubmedqa'], url: 'https://arxiv.org/abs/1' }, { tabId: 7 });
    await bg.onNavigated(7, 'https://arxiv.org/abs/2');
    expect(badges.at(-1)).toEqual([7, '']);
    expect(await bg.handlers['page:get']({ tabId: 7 }, {})).toBeNull();
    // The badge switch off: counts are hidden.
    await bg.handlers['page:found']({ entryIds: ['cmekg'], url: 'https://github.com/a/b' }, { tabId: 8 });
    expect(badges.at(-1)).toEqual([8, '1']);
    settings.badge = false;
    await bg.onSettingsChanged();
    expect(badges.at(-1)).toEqual([8, '']);
  });

  it('keeps a page whose commit names no URL while the tab still shows it, and forgets it when a new copy of the script starts there', async () => {
    const urls = new Map<number, string | undefined>([[7, 'https://arxiv.org/html/1#bib.bib3']]);
    const { bg, badges } = setup({}, [], urls);
    await bg.handlers['page:found']({ entryIds: ['cmekg', 'pubmedqa'], url: 'https://arxiv.org/html/1' }, { tabId: 7 });
    expect(badges.at(-1)).toEqual([7, '2']);
    // The same citation link clicked again (or a replaceState): "loading", no URL, same page.
    await bg.onNavigated(7, undefined);
    expect(await bg.handlers['page:get']({ tabId: 7 }, {})).toEqual({ entryIds: ['cmekg', 'pubmedqa'], url: 'https://arxiv.org/html/1' });
    expect(badges.at(-1)).toEqual([7, '2']);
    // A reload: the new copy of the content script asks for its data; the old page's list goes.
    await bg.handlers['annotator:init']({ site: 'arxiv', url: 'https://arxiv.org/html/1', wantData: true }, { tabId: 7 });
    expect(await bg.handlers['page:get']({ tabId: 7 }, {})).toBeNull();
    expect(badges.at(-1)).toEqual([7, '']);
    // A page Chrome prerenders in the tab starts its script in a frame of its own: the page shown keeps its list.
    await bg.handlers['page:found']({ entryIds: ['pubmedqa'], url: 'https://arxiv.org/html/1' }, { tabId: 7 });
    await bg.handlers['annotator:init']({ site: 'github', url: 'https://github.com/a/b', wantData: true }, { tabId: 7, frameId: 4 });
    expect((await bg.handlers['page:get']({ tabId: 7 }, {}))?.entryIds).toEqual(['pubmedqa']);
    // A script already running asks again (the switch, a soft navigation): nothing is forgotten.
    await bg.handlers['page:found']({ entryIds: ['cmekg'], url: 'https://arxiv.org/html/1' }, { tabId: 7 });
    await bg.handlers['annotator:init']({ site: 'arxiv', url: 'https://arxiv.org/html/1', wantData: false }, { tabId: 7 });
    expect((await bg.handlers['page:get']({ tabId: 7 }, {}))?.entryIds).toEqual(['cmekg']);
    // The tab went to a site we have no access to: no URL in the event, none from the tab.
    urls.set(7, undefined);
    await bg.onNavigated(7, undefined);
    expect(await bg.handlers['page:get']({ tabId: 7 }, {})).toBeNull();
    expect(badges.at(-1)).toEqual([7, '']);
    // Or to another page of ours, whose URL the event did not carry.
    urls.set(7, 'https://arxiv.org/html/1');
    await bg.handlers['page:found']({ entryIds: ['cmekg'], url: 'https://arxiv.org/html/1' }, { tabId: 7 });
    urls.set(7, 'https://arxiv.org/html/2');
    await bg.onNavigated(7, undefined);
    expect(await bg.handlers['page:get']({ tabId: 7 }, {})).toBeNull();
  });

  it('forgets the page when a reload ends on the browser\'s error page under the same URL, and only then', async () => {
    const urls = new Map<number, string | undefined>([[7, 'https://arxiv.org/abs/1']]);
    const { bg, badges, deps } = setup({}, [], urls);
    let shows = true;
    const checked: number[] = [];
    deps.showsDocument = async (tabId) => (checked.push(tabId), shows);
    await bg.handlers['page:found']({ entryIds: ['cmekg', 'pubmedqa'], url: 'https://arxiv.org/abs/1' }, { tabId: 7 });
    // A page that loaded as usual: it stays.
    await bg.onLoaded(7);
    expect((await bg.handlers['page:get']({ tabId: 7 }, {}))?.entryIds).toEqual(['cmekg', 'pubmedqa']);
    expect(badges.at(-1)).toEqual([7, '2']);
    // A tab we keep nothing for is not looked at.
    await bg.onLoaded(9);
    expect(checked).toEqual([7]);
    // A reload while offline: "loading" with no URL (kept, the tab still names the page), then
    // the error page finishes loading and no script of ours can run in it.
    await bg.onNavigated(7, undefined);
    expect(badges.at(-1)).toEqual([7, '2']);
    shows = false;
    await bg.onLoaded(7);
    expect(await bg.handlers['page:get']({ tabId: 7 }, {})).toBeNull();
    expect(badges.at(-1)).toEqual([7, '']);
    // A report that comes in while the tab is being looked at is kept.
    await bg.handlers['page:found']({ entryIds: ['cmekg'], url: 'https://arxiv.org/abs/1' }, { tabId: 7 });
    deps.showsDocument = async () => {
      await bg.handlers['page:found']({ entryIds: ['pubmedqa'], url: 'https://arxiv.org/abs/1' }, { tabId: 7 });
      return false;
    };
    await bg.onLoaded(7);
    expect((await bg.handlers['page:get']({ tabId: 7 }, {}))?.entryIds).toEqual(['pubmedqa']);
  });

  it("counts only the catalog's entries (and the benchmark's while its names are loaded)", async () => {
    const { bg, badges } = setup();
    await bg.handlers['page:found']({ entryIds: ['cmekg', 'no-such-entry', 'pubmedqa'], url: 'https://arxiv.org/abs/1' }, { tabId: 7 });
    expect(badges.at(-1)).toEqual([7, '2']);
    expect((await bg.handlers['page:get']({ tabId: 7 }, {}))?.entryIds).toEqual(['cmekg', 'pubmedqa']);
    const bench = setup({}, [], undefined, ['bench-entry-1']).bg;
    await bench.handlers['page:found']({ entryIds: ['cmekg', 'bench-entry-1', 'no-such-entry'], url: 'https://arxiv.org/abs/1' }, { tabId: 7 });
    expect((await bench.handlers['page:get']({ tabId: 7 }, {}))?.entryIds).toEqual(['cmekg', 'bench-entry-1']);
  });

  it('keeps no report from a page the tab has left or a tab that closed, and takes up one for the page the tab goes to', async () => {
    const urls = new Map<number, string | undefined>([
      [7, 'https://arxiv.org/abs/2'],
      [8, 'https://arxiv.org/abs/1#S2'],
    ]);
    const { bg, badges } = setup({}, [], urls);
    // Tab 7 already shows another page: the old page's late report sets no count.
    await bg.handlers['page:found']({ entryIds: ['cmekg'], url: 'https://arxiv.org/abs/1' }, { tabId: 7 });
    expect(await bg.handlers['page:get']({ tabId: 7 }, {})).toBeNull();
    expect(badges).toEqual([]);
    // Nor is it taken up when the tab moves on again, to a third page, or to one we cannot read.
    await bg.onNavigated(7, 'https://arxiv.org/abs/3');
    urls.set(7, 'https://arxiv.org/abs/1');
    await bg.onNavigated(7, 'https://arxiv.org/abs/1');
    expect(await bg.handlers['page:get']({ tabId: 7 }, {})).toBeNull();
    // A tab on a page we cannot read (no URL): the report is from the page it left, even when
    // the tab loads that page again.
    urls.set(7, undefined);
    await bg.handlers['page:found']({ entryIds: ['cmekg'], url: 'https://arxiv.org/abs/1' }, { tabId: 7 });
    await bg.onNavigated(7, undefined);
    await bg.onNavigated(7, 'https://arxiv.org/abs/1');
    expect(await bg.handlers['page:get']({ tabId: 7 }, {})).toBeNull();
    // A report that overtook the tab's change of URL (a page moving with pushState) counts once
    // the tab gets there.
    urls.set(7, 'https://github.com/x/y');
    await bg.handlers['page:found']({ entryIds: ['pubmedqa', 'cmekg'], url: 'https://arxiv.org/abs/4' }, { tabId: 7 });
    expect(badges).toEqual([]);
    await bg.onNavigated(7, 'https://arxiv.org/abs/4');
    expect(await bg.handlers['page:get']({ tabId: 7 }, {})).toEqual({ entryIds: ['pubmedqa', 'cmekg'], url: 'https://arxiv.org/abs/4' });
    expect(badges.at(-1)).toEqual([7, '2']);
    // The page the tab shows, at an anchor of it: counted.
    await bg.handlers['page:found']({ entryIds: ['pubmedqa'], url: 'https://arxiv.org/abs/1' }, { tabId: 8 });
    expect(badges.at(-1)).toEqual([8, '1']);
    // A closed tab: its report is dropped, whether the browser still knew the tab or not.
    urls.delete(8);
    await bg.onRemoved(8);
    await bg.handlers['page:found']({ entryIds: ['pubmedqa'], url: 'https://arxiv.org/abs/1' }, { tabId: 8 });
    urls.set(8, 'https://arxiv.org/abs/1');
    await bg.handlers['page:found']({ entryIds: ['pubmedqa'], url: 'https://arxiv.org/abs/1' }, { tabId: 8 });
    urls.delete(9);
    await bg.handlers['page:found']({ entryIds: ['pubmedqa'], url: 'https://arxiv.org/abs/1' }, { tabId: 9 });
    expect(await bg.handlers['page:get']({ tabId: 8 }, {})).toBeNull();
    expect(await bg.handlers['page:get']({ tabId: 9 }, {})).toBeNull();
    expect(badges.filter(([id]) => id === 9)).toEqual([]);
  });

  it('takes up a report set aside only for a few seconds, and keeps the latest of reports that cross', async () => {
    const urls = new Map<number, string | undefined>([[7, 'https://github.com/x/y']]);
    const { bg, badges } = setup({}, [], urls);
    let t = 1_000_000;
    const clock = vi.spyOn(Date, 'now').mockImplementation(() => t);
    try {
      await bg.handlers['page:found']({ entryIds: ['cmekg'], url: 'https://github.com/x/z' }, { tabId: 7 });
      t += 6000;
      await bg.onNavigated(7, 'https://github.com/x/z');
      expect(await bg.handlers['page:get']({ tabId: 7 }, {})).toBeNull();
      expect(badges).toEqual([]);
    } finally {
      clock.mockRestore();
    }
    // Two reports of one page: the first still waits for the tab's URL when the second is done.
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let asked = 0;
    const { bg: bg2, badges: badges2 } = setup({}, [], async () => {
      if (++asked === 1) await held;
      return 'https://github.com/x/y';
    });
    const first = bg2.handlers['page:found']({ entryIds: ['cmekg', 'cblue'], url: 'https://github.com/x/y' }, { tabId: 7 });
    await bg2.handlers['page:found']({ entryIds: ['cblue'], url: 'https://github.com/x/y' }, { tabId: 7 });
    release();
    await first;
    expect((await bg2.handlers['page:get']({ tabId: 7 }, {}))?.entryIds).toEqual(['cblue']);
    expect(badges2).toEqual([[7, '1']]);
  });

  it('shows on the page only what that tab reported, and only when the popup asks', async () => {
    const { bg, revealed } = setup();
    await bg.handlers['page:found']({ entryIds: ['pubmedqa', 'cmekg'], url: 'https://arxiv.org/abs/1' }, { tabId: 7 });
    const popup = { ours: true };
    expect(await bg.handlers['page:reveal']({ tabId: 7, entryId: 'pubmedqa' }, popup)).toBe('shown');
    // The popup opened in a tab of its own is still ours.
    expect(await bg.handlers['page:reveal']({ tabId: 7, entryId: 'cmekg' }, { ...popup, tabId: 9 })).toBe('hidden');
    // Not reported by that tab, or a tab that reported nothing: nothing runs anywhere.
    expect(await bg.handlers['page:reveal']({ tabId: 7, entryId: 'yidu-s4k' }, popup)).toBe('none');
    expect(await bg.handlers['page:reveal']({ tabId: 8, entryId: 'pubmedqa' }, popup)).toBe('none');
    // A content script cannot make the background run code in a tab.
    await expect(bg.handlers['page:reveal']({ tabId: 7, entryId: 'pubmedqa' }, { tabId: 7, url: 'https://arxiv.org/abs/1' })).rejects.toThrow(/popup/);
    expect(revealed).toEqual([
      [7, 'pubmedqa'],
      [7, 'cmekg'],
    ]);
    // After a navigation the old page's entries are gone.
    await bg.onNavigated(7, 'https://arxiv.org/abs/2');
    expect(await bg.handlers['page:reveal']({ tabId: 7, entryId: 'pubmedqa' }, popup)).toBe('none');
    expect(revealed).toHaveLength(2);
  });

  it('has every card string in both languages, each language from its own table', () => {
    const en = cardStrings('en');
    const zh = cardStrings('zh_CN');
    const keys = Object.keys(en);
    expect(keys.length).toBeGreaterThan(20);
    for (const k of keys) expect(k).toMatch(/^card_[A-Za-z0-9_]+$/);
    // The Chinese table itself holds every card string (English fills gaps only at run time),
    // translated: only the brand reads the same.
    const zhTable = zhMessages as Record<string, { message: string }>;
    expect(keys.filter((k) => !(k in zhTable))).toEqual([]);
    expect(keys.filter((k) => zh[k] === en[k])).toEqual(['card_brand']);
    expect(zh.card_badge_label_saved).toContain('已收藏');
  });
});
