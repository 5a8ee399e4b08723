/**
 * Background side of the annotator: hands the content script its compiled matcher and card
 * strings, answers hover-card requests, and keeps the per-tab "entries on this page"
 * state behind the toolbar badge. Settings and favorites are read through the shared
 * handler map (their owners register 'settings:get' / 'favorites:get'), so this module
 * does not know how either is stored.
 */
import { browser } from 'wxt/browser';
import { toolbarAction } from '../toolbar';
import matcherJson from '@generated/matcher.json';
import en from '../../public/_locales/en/messages.json';
import zh from '../../public/_locales/zh_CN/messages.json';
import { catalog, getEntry } from '../catalog';
import type { Kind } from '../catalog/types';
import { DEFAULT_SETTINGS, SETTINGS_KEY, type Settings } from '../favorites/types';
import { resolveLanguage } from '../i18n';
import type { MatcherData } from '../matcher/types';
import { packMatcher } from '../matcher/pack';
import type { Handlers } from '../messages';
import type { AnnotatorInit, CardData } from './types';
import { UI_CSS } from './styles';
import { kindKey, str } from './ui';
import { BENCH_MATCHER_KEY } from './bench-key';
import { revealMark, type RevealResult } from './reveal';
import { MAX_MENTIONS } from './annotator';
import { checkEntryId } from '../favorites/validate';
import { TAB_STATE_PREFIX, isTabFound, type TabFound } from './tab-state';

export type { TabFound };

type Table = Record<string, { message: string }>;
export type Lang = 'en' | 'zh_CN';

/** How long a report for a page the tab does not show yet waits for the tab to get there. */
const ASIDE_MS = 5000;
const BADGE_COLOR = '#0b6e66';

export interface AnnotatorDeps {
  settings(): Promise<Settings>;
  favoriteIds(): Promise<Set<string>>;
  /** Sets the toolbar badge text of one tab. */
  setBadge(tabId: number, text: string): Promise<void>;
  /** Matcher data override (benchmark), if any; the same object while the override is unchanged (packing is cached per object). */
  matcherOverride(): Promise<MatcherData | undefined>;
  uiLanguage(pref: Settings['language']): Lang;
  /** Runs the card module (entrypoints/annotator-ui.ts) in one frame of a tab. */
  injectUi(tabId: number, frameId: number): Promise<void>;
  /** Runs {@link revealMark} for one entry in a tab's top frame and gives its result. */
  reveal(tabId: number, entryId: string): Promise<RevealResult>;
  /** Where the per-tab state outlives the MV3 service worker (storage.session), if anywhere. */
  tabStore?: TabStore;
  /**
   * The URL a tab shows now: undefined when it shows a page we have no access to, null when
   * there is no such tab (closed). Without it, every report is taken as the tab's current page.
   */
  tabUrl?(tabId: number): Promise<string | undefined | null>;
  /**
   * Whether the tab's top frame shows a document of our sites (a script can run there): false
   * for the browser's own error page, which a reload that fails leaves under the same URL.
   */
  showsDocument?(tabId: number): Promise<boolean>;
}

/** A copy of the per-tab state that survives the background being stopped and started again. */
export interface TabStore {
  /** Every tab's state as kept. */
  load(): Promise<Map<number, TabFound>>;
  save(tabId: number, found: TabFound): Promise<void>;
  remove(tabId: number): Promise<void>;
}

const withoutFragment = (url: string) => url.replace(/#.*$/s, '');

/** The built card module (an unlisted script: in the package, in no manifest list). */
export const UI_SCRIPT = '/annotator-ui.js';

/** The `card_*` messages of one language, English filling any gap. */
export function cardStrings(lang: Lang): Record<string, string> {
  const out: Record<string, string> = {};
  for (const table of [en as Table, ...(lang === 'zh_CN' ? [zh as Table] : [])]) {
    for (const [k, v] of Object.entries(table)) if (k.startsWith('card_')) out[k] = v.message;
  }
  return out;
}

let metaCache: Record<string, [string, Kind]> | null = null;
function entryMeta(): Record<string, [string, Kind]> {
  metaCache ??= Object.fromEntries(catalog.map((e) => [e.id, [e.title, e.kind] as [string, Kind]]));
  return metaCache;
}

export function cardData(id: string, lang: Lang, favorite: boolean | null): CardData | null {
  const e = getEntry(id);
  if (!e) return null;
  const strings = cardStrings(lang);
  const pick = (v: { zh: string; en: string }) => (lang === 'zh_CN' ? v.zh : v.en);
  return {
    id: e.id,
    title: e.title,
    kind: e.kind,
    kindLabel: str(strings, kindKey(e.kind)),
    sections: e.sections.map((s) => (s.sub ? `${pick(s)} › ${pick(s.sub)}` : pick(s))),
    summary: pick(e.summary),
    year: e.year,
    venue: e.venue,
    links: e.links.map((l) => {
      const label = l.label ?? str(strings, `card_link_${l.type}`);
      return { url: l.url, label: l.extractionCode ? str(strings, 'card_link_with_code', label, str(strings, 'card_extraction_code', l.extractionCode)) : label };
    }),
    favorite,
  };
}

export type AnnotatorHandlers = Pick<Handlers, 'annotator:init' | 'annotator:ui' | 'annotator:saved' | 'catalog:card' | 'page:found' | 'page:get' | 'page:reveal'>;

/** Plain handlers plus the tab bookkeeping, testable without a browser. */
export function createAnnotatorBackground(deps: AnnotatorDeps) {
  const tabs = new Map<number, TabFound>();
  const store = deps.tabStore;

  // A restarted service worker starts with an empty map: every handler and listener first
  // waits for it to be filled again from the kept copy (read once, by whichever comes first).
  // Once filled, the map holds every tab the copy holds, so a tab not in it has nothing kept.
  let restored: Promise<void> | undefined;
  let mirrored = false;
  const ready = () =>
    (restored ??= (async () => {
      if (!store) return;
      try {
        for (const [id, found] of await store.load()) if (!tabs.has(id)) tabs.set(id, found);
        mirrored = true;
      } catch {
        // Unreadable: the pages report again as they change, copies are removed blindly, and
        // the next question reads again.
        restored = undefined;
      }
    })());
  const keep = (tabId: number, found: TabFound) => store?.save(tabId, found).catch(() => undefined);
  /** Forgets a tab here and in the kept copy (which may hold it even if this worker never heard of it). */
  const forget = async (tabId: number) => {
    const had = tabs.delete(tabId);
    if (store && (had || !mirrored)) await store.remove(tabId).catch(() => undefined);
  };

  /** Tabs closed in this worker's life: a report still on its way from one is not kept. */
  const closed = new Set<number>();
  /**
   * Per tab, a report for another page of our sites than the one the tab shows: one sent just
   * before the tab moved on, or one that overtook the tab's own change of URL (a page that
   * moves with history.pushState reports for its new URL). Taken up only if the tab goes to
   * that page within {@link ASIDE_MS}: a page loaded afresh later reports for itself.
   */
  const aside = new Map<number, { found: TabFound; at: number }>();
  /** Per tab, the number of the latest report: an older one still checking is not kept over it. */
  const reports = new Map<number, number>();
  const samePage = (a: string, b: string | undefined) => b !== undefined && withoutFragment(a) === withoutFragment(b);
  // The benchmark's entries as a set, per override object (the same object while unchanged).
  const overrideIds = new WeakMap<MatcherData, Set<string>>();
  /** The entries a report names that exist (the catalog's, or the benchmark's names while they are loaded). */
  const known = async (ids: string[]) => {
    let other: Set<string> | undefined;
    if (!ids.every((id) => getEntry(id))) {
      const data = await deps.matcherOverride();
      if (data && !(other = overrideIds.get(data))) overrideIds.set(data, (other = new Set(data.entries)));
    }
    return ids.filter((id) => getEntry(id) || other?.has(id));
  };
  const take = async (tabId: number, found: TabFound) => {
    tabs.set(tabId, found);
    await Promise.all([refreshBadge(tabId), keep(tabId, found)]);
  };

  /** Forgets a tab's page, and takes its count off the toolbar if it had one. */
  const drop = async (tabId: number) => {
    await ready();
    const had = tabs.has(tabId);
    await forget(tabId);
    if (had) await refreshBadge(tabId);
  };

  const badgeText = (found: TabFound | undefined) => (found && found.entryIds.length ? String(found.entryIds.length) : '');

  async function refreshBadge(tabId: number): Promise<void> {
    const s = await deps.settings();
    await deps.setBadge(tabId, s.badge ? badgeText(tabs.get(tabId)) : '');
  }

  const handlers: AnnotatorHandlers = {
    async 'annotator:init'({ site, wantData }, sender) {
      // A copy of the content script starting on a tab's page (wantData): what the tab
      // reported before was found by the page it replaced (a reload) or left. Only the top
      // frame's: a page Chrome prerenders in the tab runs its scripts in a frame of its own.
      if (wantData && sender.tabId !== undefined && !sender.frameId) await drop(sender.tabId);
      const s = await deps.settings();
      const enabled = s.sites[site] !== false;
      const res: AnnotatorInit = { enabled };
      if (enabled && wantData) {
        const lang = deps.uiLanguage(s.language);
        res.data = {
          // Compiled here, once per data object (packMatcher caches), not on the page.
          matcher: packMatcher((await deps.matcherOverride()) ?? (matcherJson as MatcherData)),
          meta: entryMeta(),
          strings: cardStrings(lang),
          css: UI_CSS,
          lang,
        };
      }
      return res;
    },
    async 'annotator:ui'(_data, sender) {
      if (sender.tabId === undefined) throw new Error('The card module goes into a tab; this message came from elsewhere');
      await deps.injectUi(sender.tabId, sender.frameId ?? 0);
      return true as const;
    },
    // Favorites that cannot be read (storage refusing a write the read makes, or failing) are not
    // "none saved": the saved list fails, and the card's data says it does not know, so the
    // page's stars stay as they were instead of all going out.
    async 'annotator:saved'() {
      return [...(await deps.favoriteIds())];
    },
    async 'catalog:card'({ id, lang }) {
      const favs = await deps.favoriteIds().catch(() => null);
      const as: Lang = lang === 'zh-CN' ? 'zh_CN' : lang === 'en' ? 'en' : deps.uiLanguage((await deps.settings()).language);
      return cardData(id, as, favs ? favs.has(id) : null);
    },
    async 'page:found'({ entryIds, url }, sender) {
      if (sender.tabId === undefined) return;
      if (!Array.isArray(entryIds) || entryIds.some((id) => !checkEntryId(id).ok) || typeof url !== 'string') {
        throw new Error('page:found takes a list of entry IDs and the page URL');
      }
      // What a page says it found is kept for the popup: never more than a page can mark.
      if (entryIds.length > MAX_MENTIONS) throw new Error(`page:found takes at most ${MAX_MENTIONS} entry IDs`);
      const tabId = sender.tabId;
      const seq = (reports.get(tabId) ?? 0) + 1;
      reports.set(tabId, seq);
      await ready();
      const found = { entryIds: [...new Set(await known(entryIds))], url };
      const shown = deps.tabUrl ? await deps.tabUrl(tabId) : url;
      // Closed, or a later report came meanwhile (it says what the page has now).
      if (shown === null || closed.has(tabId) || reports.get(tabId) !== seq) return;
      if (samePage(url, shown)) await take(tabId, found);
      // A tab on a page we cannot read (no host access, so no URL) shows no page of ours: the
      // report is from the page it left.
      else if (shown !== undefined) aside.set(tabId, { found, at: Date.now() });
    },
    async 'page:get'({ tabId }) {
      await ready();
      return tabs.get(tabId) ?? null;
    },
    async 'page:reveal'({ tabId, entryId }, sender) {
      // The popup asks, for an entry that tab reported: a content script, or an entry the
      // page never showed, gets nothing run in any tab.
      if (!sender.ours) throw new Error('Only the popup shows an entry on a page');
      await ready();
      if (!tabs.get(tabId)?.entryIds.includes(entryId)) return 'none';
      return deps.reveal(tabId, entryId);
    },
  };

  return {
    handlers,
    tabs,
    /** Resolves once the per-tab state kept from before a restart is back in {@link tabs}. */
    ready,
    /**
     * A tab navigated: what was found belongs to the old page (unless the new page already
     * reported). A move to an anchor of the same page (a table of contents, a citation link)
     * changes only the fragment and keeps the page, its marks and its count.
     */
    async onNavigated(tabId: number, url: string | undefined): Promise<void> {
      await ready();
      const cur = tabs.get(tabId);
      if (url === undefined && cur && deps.tabUrl) {
        // The browser names no URL for a page we have no access to, but none either for a
        // commit that keeps the URL: the same anchor clicked again, a replaceState, a reload.
        // Where the tab still shows the page, it is kept; a reload's new copy of the content
        // script forgets it when it starts ('annotator:init').
        const shown = await deps.tabUrl(tabId);
        if (samePage(cur.url, shown ?? undefined)) return;
      }
      // A report set aside for the page the tab now shows is that page's; any other one set
      // aside is for a page the tab left.
      const early = url === undefined ? undefined : aside.get(tabId);
      if (url !== undefined) aside.delete(tabId);
      if (cur && samePage(cur.url, url)) return;
      await forget(tabId);
      if (early && samePage(early.found.url, url) && Date.now() - early.at < ASIDE_MS) await take(tabId, early.found);
      else if (cur) await refreshBadge(tabId);
    },
    /**
     * The tab finished loading. A reload that failed left the browser's error page under the
     * same URL: no content script runs there to forget the old page's
     * list (onNavigated kept it for the same URL), so it is forgotten here.
     */
    async onLoaded(tabId: number): Promise<void> {
      await ready();
      const cur = tabs.get(tabId);
      if (!cur || !deps.showsDocument || (await deps.showsDocument(tabId))) return;
      // Not if a report for a page after it came in meanwhile.
      if (tabs.get(tabId) !== cur) return;
      await forget(tabId);
      await refreshBadge(tabId);
    },
    async onRemoved(tabId: number): Promise<void> {
      closed.add(tabId);
      aside.delete(tabId);
      reports.delete(tabId);
      await ready();
      await forget(tabId);
    },
    /** Settings changed (the badge switch): redraw every badge we set, in this worker or before a restart. */
    async onSettingsChanged(): Promise<void> {
      await ready();
      for (const id of tabs.keys()) await refreshBadge(id);
    },
  };
}

/**
 * Registers the annotator's handlers and listeners. Called once, synchronously, from
 * the background's main function; settings and favorites are read through `handlers`
 * at call time, whichever module registers them.
 */
export function registerAnnotator(handlers: Partial<Handlers>): void {
  // The benchmark's override as last read (storage gives a new object on every read).
  let override: { json: string; data: MatcherData } | undefined;
  // Whether this is an unpacked install, where the benchmark's override is read (asked once).
  let developer: Promise<boolean> | undefined;
  // The settings as last read: a failed read must not switch back on a site the user switched off.
  let lastSettings: Settings | undefined;
  // The service worker may be stopped and started again between a page's report and the
  // popup's question, or the next navigation: the per-tab state is kept in storage.session too.
  const session = (browser.storage as unknown as { session?: typeof browser.storage.local }).session;
  const bg = createAnnotatorBackground({
    async settings() {
      const get = handlers['settings:get'];
      try {
        if (get) return (lastSettings = await get(undefined, {}));
      } catch {
        // Unreadable for now: keep what was read before.
      }
      return lastSettings ?? DEFAULT_SETTINGS;
    },
    async favoriteIds() {
      const get = handlers['favorites:get'];
      if (!get) return new Set();
      const snap = await get(undefined, {});
      return new Set(snap.favorites.map((f) => f.entryId));
    },
    async setBadge(tabId, text) {
      try {
        await toolbarAction().setBadgeBackgroundColor({ tabId, color: BADGE_COLOR });
        await toolbarAction().setBadgeText({ tabId, text });
      } catch {
        // The tab is gone.
      }
    },
    async matcherOverride() {
      try {
        // Only in an unpacked install (the benchmark's, a developer's): a content script can write
        // storage.local, and in an install from a store that key would change every page's names.
        developer ??= browser.management?.getSelf().then((self) => self.installType === 'development', () => false) ?? Promise.resolve(false);
        if (!(await developer)) return undefined;
        const got = await browser.storage.local.get(BENCH_MATCHER_KEY);
        const v = got[BENCH_MATCHER_KEY] as MatcherData | undefined;
        if (!v || v.version !== 1 || !Array.isArray(v.entries)) return undefined;
        // The same object for the same data, so its packed form is reused.
        const json = JSON.stringify(v);
        if (override?.json !== json) override = { json, data: v };
        return override.data;
      } catch {
        return undefined;
      }
    },
    uiLanguage: (pref) => resolveLanguage(pref),
    async injectUi(tabId, frameId) {
      // Host access to the three sites is all either call needs (plus `scripting` in MV3).
      if (browser.scripting) await browser.scripting.executeScript({ target: { tabId, frameIds: [frameId] }, files: [UI_SCRIPT] });
      else await browser.tabs.executeScript(tabId, { file: UI_SCRIPT, frameId });
    },
    async reveal(tabId, entryId) {
      let result: unknown;
      if (browser.scripting) {
        const [done] = await browser.scripting.executeScript({ target: { tabId }, func: revealMark, args: [entryId] });
        result = done?.result;
      } else {
        // Firefox's MV2 build: the same function, as source text with its argument.
        [result] = (await browser.tabs.executeScript(tabId, { code: `(${revealMark.toString()})(${JSON.stringify(entryId)})` })) ?? [];
      }
      return result === 'shown' || result === 'hidden' ? result : 'none';
    },
    async tabUrl(tabId) {
      try {
        // The URL shows only for a page on our hosts (the extension asks no `tabs` permission).
        return (await browser.tabs.get(tabId)).url;
      } catch {
        return null;
      }
    },
    async showsDocument(tabId) {
      try {
        if (browser.scripting) await browser.scripting.executeScript({ target: { tabId }, func: () => 0 });
        else await browser.tabs.executeScript(tabId, { code: '0' });
        return true;
      } catch {
        // An error page, a page of a host we have no access to, or no tab.
        return false;
      }
    },
    tabStore: session && {
      async load() {
        const all = (await session.get(null)) as Record<string, unknown>;
        const out = new Map<number, TabFound>();
        for (const [key, v] of Object.entries(all)) {
          const tabId = key.startsWith(TAB_STATE_PREFIX) ? Number(key.slice(TAB_STATE_PREFIX.length)) : NaN;
          if (Number.isInteger(tabId) && isTabFound(v)) out.set(tabId, v);
        }
        return out;
      },
      save: (tabId, found) => session.set({ [TAB_STATE_PREFIX + tabId]: found }),
      remove: (tabId) => session.remove(TAB_STATE_PREFIX + tabId),
    },
  });
  Object.assign(handlers, bg.handlers);

  browser.tabs.onUpdated.addListener((tabId, info) => {
    if (info.url !== undefined || info.status === 'loading') void bg.onNavigated(tabId, info.url);
    // Also when the same event names the URL (Firefox may send both at once).
    if (info.status === 'complete') void bg.onLoaded(tabId);
  });
  browser.tabs.onRemoved.addListener((tabId) => void bg.onRemoved(tabId));
  // Only the settings decide a badge's text: a favorite saved from the context menu writes
  // storage too, and redrawing then would wipe the star it shows on the icon.
  browser.storage.onChanged.addListener((changes) => {
    if (SETTINGS_KEY in changes) void bg.onSettingsChanged();
  });
}
