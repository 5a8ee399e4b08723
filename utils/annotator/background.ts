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
import { DEFAULT_SETTINGS, type Settings } from '../favorites/types';
import { resolveLanguage } from '../i18n';
import type { MatcherData } from '../matcher/types';
import { packMatcher } from '../matcher/pack';
import type { Handlers } from '../messages';
import type { AnnotatorInit, CardData } from './types';
import { UI_CSS } from './styles';
import { kindKey, str } from './ui';
import { BENCH_MATCHER_KEY } from './bench-key';
import { revealMark, type RevealResult } from './reveal';

type Table = Record<string, { message: string }>;
export type Lang = 'en' | 'zh_CN';

const SESSION_PREFIX = 'annotator:tab:';
const BADGE_COLOR = '#0b6e66';

export interface TabFound {
  entryIds: string[];
  url: string;
}

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

export function cardData(id: string, lang: Lang, favorite: boolean): CardData | null {
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
      return { url: l.url, label: l.extractionCode ? `${label} (${str(strings, 'card_extraction_code', l.extractionCode)})` : label };
    }),
    favorite,
  };
}

export type AnnotatorHandlers = Pick<Handlers, 'annotator:init' | 'annotator:ui' | 'annotator:saved' | 'catalog:card' | 'page:found' | 'page:get' | 'page:reveal'>;

/** Plain handlers plus the tab bookkeeping, testable without a browser. */
export function createAnnotatorBackground(deps: AnnotatorDeps) {
  const tabs = new Map<number, TabFound>();

  const badgeText = (found: TabFound | undefined) => (found && found.entryIds.length ? String(found.entryIds.length) : '');

  async function refreshBadge(tabId: number): Promise<void> {
    const s = await deps.settings();
    await deps.setBadge(tabId, s.badge ? badgeText(tabs.get(tabId)) : '');
  }

  const handlers: AnnotatorHandlers = {
    async 'annotator:init'({ site, wantData }) {
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
    async 'annotator:saved'() {
      return [...(await deps.favoriteIds().catch(() => new Set<string>()))];
    },
    async 'catalog:card'({ id }) {
      const s = await deps.settings();
      const favs = await deps.favoriteIds().catch(() => new Set<string>());
      return cardData(id, deps.uiLanguage(s.language), favs.has(id));
    },
    async 'page:found'({ entryIds, url }, sender) {
      if (sender.tabId === undefined) return;
      tabs.set(sender.tabId, { entryIds: [...new Set(entryIds)], url });
      await refreshBadge(sender.tabId);
    },
    'page:get'({ tabId }) {
      return tabs.get(tabId) ?? null;
    },
    async 'page:reveal'({ tabId, entryId }, sender) {
      // The popup asks, for an entry that tab reported: a content script, or an entry the
      // page never showed, gets nothing run in any tab.
      if (!sender.ours) throw new Error('Only the popup shows an entry on a page');
      if (!tabs.get(tabId)?.entryIds.includes(entryId)) return 'none';
      return deps.reveal(tabId, entryId);
    },
  };

  return {
    handlers,
    tabs,
    /**
     * A tab navigated: what was found belongs to the old page (unless the new page already
     * reported). A move to an anchor of the same page (a table of contents, a citation link)
     * changes only the fragment and keeps the page, its marks and its count.
     */
    async onNavigated(tabId: number, url: string | undefined): Promise<void> {
      const cur = tabs.get(tabId);
      if (!cur || (url !== undefined && withoutFragment(cur.url) === withoutFragment(url))) return;
      tabs.delete(tabId);
      await refreshBadge(tabId);
    },
    onRemoved(tabId: number): void {
      tabs.delete(tabId);
    },
    /** Settings changed (the badge switch): redraw every badge we set. */
    async onSettingsChanged(): Promise<void> {
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
  const bg = createAnnotatorBackground({
    async settings() {
      const get = handlers['settings:get'];
      if (!get) return DEFAULT_SETTINGS;
      try {
        return await get(undefined, {});
      } catch {
        return DEFAULT_SETTINGS;
      }
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
  });
  Object.assign(handlers, bg.handlers);

  // The service worker may be restarted between a page's report and the popup's question.
  const session = (browser.storage as unknown as { session?: typeof browser.storage.local }).session;
  const foundHandler = bg.handlers['page:found'];
  handlers['page:found'] = async (data, sender) => {
    await foundHandler(data, sender);
    if (session && sender.tabId !== undefined) {
      await session.set({ [SESSION_PREFIX + sender.tabId]: bg.tabs.get(sender.tabId) }).catch(() => undefined);
    }
  };
  const getHandler = (handlers['page:get'] = async ({ tabId }) => {
    const live = bg.tabs.get(tabId);
    if (live || !session) return live ?? null;
    const key = SESSION_PREFIX + tabId;
    const got = await session.get(key).catch(() => ({}) as Record<string, unknown>);
    return (got[key] as TabFound | undefined) ?? null;
  });
  const revealHandler = bg.handlers['page:reveal'];
  handlers['page:reveal'] = async (data, sender) => {
    // What the tab reported, back from the session store if the worker restarted since.
    if (!bg.tabs.has(data.tabId)) {
      const found = await getHandler({ tabId: data.tabId });
      if (found) bg.tabs.set(data.tabId, found);
    }
    return revealHandler(data, sender);
  };
  const forget = (tabId: number) => {
    if (session) void session.remove(SESSION_PREFIX + tabId).catch(() => undefined);
  };

  browser.tabs.onUpdated.addListener((tabId, info) => {
    if (info.url === undefined && info.status !== 'loading') return;
    const had = bg.tabs.has(tabId);
    void bg.onNavigated(tabId, info.url).then(() => {
      if (had && !bg.tabs.has(tabId)) forget(tabId);
    });
  });
  browser.tabs.onRemoved.addListener((tabId) => {
    bg.onRemoved(tabId);
    forget(tabId);
  });
  browser.storage.onChanged.addListener((_changes, area) => {
    if (area === 'sync' || area === 'local') void bg.onSettingsChanged();
  });
}
