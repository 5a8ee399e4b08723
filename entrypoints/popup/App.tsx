import { entryAliases, tagQuery } from '../../components/options/logic';
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import type { Entry, Kind } from '../../utils/catalog/types';
import type { Favorite, FavoritesSnapshot, Settings, SiteKey } from '../../utils/favorites/types';
import { watchFavorites } from '../../utils/favorites/watch';
import { watchTabFound } from '../../utils/annotator/tab-state';
import { resolveLanguage, setLanguage, t, type Lang } from '../../utils/i18n';
import { kindKey } from '../../utils/lookup/handlers';
import { primaryLink } from '../../utils/lookup/links';
import { normalizeQuery } from '../../utils/lookup/query';
import { sendMessage } from '../../utils/messages';
import type { SearchHit } from '../../utils/search/types';
import firstScreenJson from '@generated/popup-first.json';
import { EntryDetail, sectionLabel } from '../../components/EntryDetail';
import { Highlight } from '../../components/Highlight';
import { Icon } from '../../components/Icon';
import { KindBadge } from '../../components/KindBadge';
import {
  BROWSE_MORE,
  NO_FILTERS,
  SITE_LABELS,
  browseCap,
  browseGroups,
  matchesFilters,
  moveActive,
  rangesFor,
  readableRanges,
  secondaryLine,
  siteKeyFor,
  type BrowseGroup,
  type EntryRow,
  type Filters,
} from './model';
import { loadData, loadedData, type FullData } from './data';
import type { FirstScreen } from './first-screen';
import { applyTheme, loadUiPrefs, saveUiPrefs } from './prefs';
import { applyPopupPage } from '../../utils/popup/page';
import { FAV_LIST_ID, FavoritesView, rowFocusTarget, visibleFavorites } from './FavoritesView';

const LISTBOX_ID = 'cmed-results';
const PANEL_ID = 'cmed-panel';
type View = 'catalog' | 'favorites';
const VIEWS: View[] = ['catalog', 'favorites'];
const tabId = (v: View) => `cmed-tab-${v}`;
const optionId = (i: number) => `cmed-opt-${i}`;
// The first screen comes prebuilt (a few KB even at 10,000 entries); the catalog and
// the search index arrive after the first paint through ./data.ts.
const FIRST = firstScreenJson as FirstScreen;
const SECTIONS = FIRST.sections;
const KIND_OPTIONS = FIRST.kinds;

/** A browse group as the list renders it: the rows shown so far, out of `count` after filters. */
interface ViewGroup {
  zh: string;
  en: string;
  total: number;
  count: number;
  entries: EntryRow[];
}

const FIRST_GROUPS: ViewGroup[] = FIRST.groups.map((g) => ({
  zh: g.zh,
  en: g.en,
  total: g.total,
  count: g.total,
  entries: g.rows.map((i) => FIRST.rows[i]),
}));

/**
 * Rows a list commits first: a screenful and a half (the popup shows eight). The rest follows
 * right after that frame, so neither the first paint, nor a keystroke's results (up to
 * 50), nor clearing a query (at 10,000 entries the browse view holds 150 rows) waits on
 * styling and laying out rows nobody can see yet.
 */
const FIRST_COMMIT_ROWS = 12;

/** The groups with their rows cut to `budget` in list order; later groups keep their headings. */
function firstCommit(groups: ViewGroup[], budget: number): ViewGroup[] {
  let left = budget;
  return groups.map((g) => {
    const entries = g.entries.slice(0, left);
    left -= entries.length;
    // `count` stays, but no "show more" is offered for rows that are merely not rendered yet.
    return { ...g, entries, count: Math.min(g.count, entries.length) };
  });
}

/** Browse groups per catalog and filter setting: clearing the query must not walk 10,000 entries again. */
const groupCache = new WeakMap<FullData, Map<string, BrowseGroup[]>>();
function groupsFor(data: FullData, f: Filters): BrowseGroup[] {
  let byFilter = groupCache.get(data);
  if (!byFilter) groupCache.set(data, (byFilter = new Map()));
  const key = `${f.kind}\u0000${f.section}`;
  let groups = byFilter.get(key);
  if (!groups) byFilter.set(key, (groups = browseGroups(data.catalog, SECTIONS, f)));
  return groups;
}

interface EntryItem {
  entry: EntryRow;
  hit?: SearchHit;
}
/** The "show more" option at the end of a cut-off browse group. */
interface MoreItem {
  /** The group's Chinese heading. */
  more: string;
  /** Rows it adds. */
  count: number;
}
type Row = EntryItem | MoreItem;
const isMore = (row: Row | undefined): row is MoreItem => !!row && 'more' in row;

interface ToastState {
  id: number;
  text: string;
  /** A raw reason (often the browser's words, in English) shown apart from the sentence. */
  detail?: string;
}

/**
 * The Undo of removals, kept apart from messages: a later message (a saved note, an error)
 * does not take it away, and a removal made while it shows joins it, so one Undo brings back
 * every favorite removed since (each with the note and tags the store answered with).
 */
interface UndoState {
  id: number;
  removed: Favorite[];
}

/** Where a detail was opened from, to give focus back there when it closes. */
interface Opener {
  list: 'favorites' | 'page';
  entryId: string;
}
const openerButton = (o: Opener) =>
  document.querySelector<HTMLElement>(
    o.list === 'favorites' ? `#${FAV_LIST_ID} [data-entry-id="${CSS.escape(o.entryId)}"] .fav-open` : `.on-page .chip[data-entry-id="${CSS.escape(o.entryId)}"]`,
  );

interface PageInfo {
  tabId?: number;
  url?: string;
  entryIds: string[];
  /** Kept from before the site was switched off: listed, but not marked until the page reports again. */
  kept?: boolean;
}

export interface AppProps {
  initialQuery?: string;
  initialLang: Lang;
}

/**
 * Results listed for one query at most: every match in the bundled catalog (70 entries), and a
 * list that stays quick to draw at every keystroke in a catalog of thousands.
 */
export const MAX_RESULTS = 100;
/** The loosest catalog score (0 exact) at which a name hit also finds a favorite: "pubmeqa" 0.08 does, "later" for LATTE 0.41 does not. */
const FAV_NAME_SCORE = 0.1;

const loadFavorites = () => sendMessage('favorites:get', undefined);
/** Ctrl/⌘+S, which would otherwise save the popup page as a file. */
const isSaveKey = (e: KeyboardEvent) => (e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === 's';
const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));

export function App({ initialQuery = '', initialLang }: AppProps) {
  const [lang, setLang] = useState<Lang>(initialLang);
  const [query, setQuery] = useState(initialQuery);
  /** Catalog first, always: the first paint is the catalog's, the favorites view renders only when asked for. */
  const [view, setView] = useState<View>('catalog');
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [active, setActive] = useState(initialQuery ? 0 : -1);
  const [detailId, setDetailId] = useState<string | null>(null);
  const [favorites, setFavorites] = useState<Map<string, Favorite> | null>(null);
  const [favError, setFavError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [toast, setToast] = useState<ToastState | null>(null);
  const [undo, setUndo] = useState<UndoState | null>(null);
  const [settings, setSettings] = useState<Settings | null>(null);
  const [page, setPage] = useState<PageInfo | null>(null);
  const [data, setData] = useState<FullData | undefined>(loadedData);
  /** The site switches as the last popup saw them: shown until this one's settings arrive. */
  const cachedSites = useMemo(() => loadUiPrefs().sites ?? {}, []);
  /** The Favorites tab finds a favorite by its entry's names and identifiers too, as the catalog does. */
  const favAliases = useMemo(() => (data ? (id: string) => entryAliases(data.getEntry(id)) : undefined), [data]);
  /** Rows "show more" added, per browse group. */
  const [more, setMore] = useState<Record<string, number>>({});
  /** False for the first commit only (see FIRST_COMMIT_ROWS). */
  const [settled, setSettled] = useState(false);

  const inputRef = useRef<HTMLInputElement>(null);
  /** Whether the page's site is switched on, for the watcher of the page's reports (which outlives renders). */
  const siteOnRef = useRef(true);
  const titleRef = useRef<HTMLHeadingElement>(null);
  const pendingMeasure = useRef(false);
  /** Enter (or Shift+Enter) pressed on a query before the catalog had loaded: acted on once it has. */
  const pendingEnter = useRef<'open' | 'detail' | null>(null);
  const firstPainted = useRef(false);
  const toastSeq = useRef(0);
  const toastRef = useRef<HTMLDivElement>(null);
  const undoRef = useRef<HTMLDivElement>(null);
  const undoIds = useMemo(() => (undo ? new Set(undo.removed.map((f) => f.entryId)) : undefined), [undo]);
  const toastsRef = useRef<HTMLDivElement>(null);
  /** The Undo whose restore is running: a second press waits for it. */
  const undoing = useRef<number | null>(null);

  const q = normalizeQuery(query);
  const searching = q.length > 0;
  const favView = view === 'favorites';
  /**
   * The entries the catalog search finds for the query by an identifier (a pasted link or ID: an
   * exact hit) or closely by a name (pinyin, traditional characters, a small typo), for the
   * Favorites tab (see visibleFavorites). Not those it finds only in a summary, a kind, a year, a
   * venue or a section, nor loose typo matches: the tab searches titles, notes and tags, and
   * "2019" or "later" typed to find a note would otherwise list whatever the catalog relates to them.
   */
  const favCatalogHits = useMemo(() => {
    if (!favView || !data || !q) return undefined;
    const close = data.searcher
      .search(q, { limit: MAX_RESULTS })
      .filter((h) => h.score === 0 || (h.score <= FAV_NAME_SCORE && h.highlights.some((x) => x.field === 'title' || x.field.startsWith('names'))));
    return new Set(close.map((h) => h.entryId));
  }, [favView, data, q]);

  const filtered = !!(filters.kind || filters.section);
  /** Browse groups; null while a filtered view waits for the catalog. */
  const groups: ViewGroup[] | null = useMemo(() => {
    if (searching) return [];
    if (!data) return filtered ? null : settled ? FIRST_GROUPS : firstCommit(FIRST_GROUPS, FIRST_COMMIT_ROWS);
    const full = groupsFor(data, filters);
    const cap = browseCap(full.map((g) => g.entries.length));
    const shown = full.map((g) => ({
      zh: g.zh,
      en: g.en,
      total: g.total,
      count: g.entries.length,
      entries: cap >= g.entries.length ? g.entries : g.entries.slice(0, cap + (more[g.zh] ?? 0)),
    }));
    return settled ? shown : firstCommit(shown, FIRST_COMMIT_ROWS);
  }, [searching, filters, filtered, data, more, settled]);
  /** The rows listed; `capped` when a query matched more than MAX_RESULTS. */
  const { rows, capped } = useMemo((): { rows: Row[]; capped: boolean } => {
    // The favorites view has no options; searching the catalog for it would be wasted work per keystroke.
    if (favView) return { rows: [], capped: false };
    if (!searching) {
      const out: Row[] = [];
      for (const g of groups ?? []) {
        for (const entry of g.entries) out.push({ entry });
        // Without the catalog there is nothing more to show yet; the option appears once it has loaded.
        if (data && g.count > g.entries.length) out.push({ more: g.zh, count: Math.min(BROWSE_MORE, g.count - g.entries.length) });
      }
      return { rows: out, capped: false };
    }
    if (!data) return { rows: [], capped: false };
    // One more than is listed, to know whether there were more.
    const hits = data.searcher.search(q, {
      kinds: filters.kind ? [filters.kind] : undefined,
      section: filters.section || undefined,
      limit: MAX_RESULTS + 1,
    });
    const out: Row[] = [];
    for (const hit of hits.slice(0, MAX_RESULTS)) {
      const entry = data.getEntry(hit.entryId);
      // Filters are applied again here so the view stays right even if the searcher ignores them.
      if (entry && matchesFilters(entry, filters)) out.push({ entry, hit });
    }
    return { rows: out, capped: hits.length > MAX_RESULTS };
  }, [q, searching, filters, groups, data, favView]);
  /** Searching or filtering before the catalog and index have loaded: neither results nor "nothing found" yet. */
  const waiting = !data && (searching || groups === null);
  /** Catalog entries the filters leave, for the status line of the browse view. */
  const filteredCount = useMemo(() => (data && filtered ? data.catalog.filter((e) => matchesFilters(e, filters)).length : 0), [data, filtered, filters]);

  const detail = detailId && data ? data.getEntry(detailId) : undefined;
  const detailHit = detail ? rows.find((r): r is EntryItem => !isMore(r) && r.entry.id === detail.id)?.hit : undefined;

  // ---- performance marks read by the benchmark ----
  useLayoutEffect(() => {
    if (!firstPainted.current && rows.length) {
      firstPainted.current = true;
      performance.mark('cmed:first-results');
    }
    // A keystroke typed before the index loaded is measured when its results are in, not before.
    if (pendingMeasure.current && !waiting) {
      pendingMeasure.current = false;
      try {
        performance.measure('cmed:search', 'cmed:input');
      } catch {
        /* the start mark was cleared by someone else's performance.clearMarks() */
      }
    }
    // Keyed on the raw query too: a keystroke that leaves the results as they were (a
    // trailing space) is still a keystroke whose latency counts.
  }, [rows, query, waiting]);

  // Effects run after the paint: now the rest of the browse view (see FIRST_COMMIT_ROWS).
  useEffect(() => {
    if (!settled) setSettled(true);
  }, [settled]);

  const showFavorites = useCallback((snap: FavoritesSnapshot) => {
    setFavorites(new Map(snap.favorites.map((f) => [f.entryId, f])));
    setFavError(null);
  }, []);
  /** Reads favorites and shows them, or why they could not be read (at open, and on Try again). */
  const readFavorites = useCallback(
    () => loadFavorites().then(showFavorites, (err: unknown) => setFavError(errorText(err))),
    [showFavorites],
  );

  // ---- late data: none of it blocks the first paint ----
  useEffect(() => {
    let alive = true;
    // Usually already under way (loadAfterFirstFrame); this picks up the result.
    if (!data)
      loadData()
        .then((d) => alive && setData(d))
        .catch(() => {
          /* the extension's own chunks failed to load: the first screen stays, search waits */
        });
    sendMessage('settings:get', undefined)
      .then((s) => {
        if (!alive) return;
        setSettings(s);
        const next = resolveLanguage(s.language);
        applyTheme(s.theme);
        saveUiPrefs({ language: s.language, theme: s.theme, sites: s.sites });
        // The next open should paint the right prerendered page; the background sets it too,
        // but this page knows the browser language as pages see it.
        applyPopupPage(s).catch(() => {
          /* the toolbar keeps its page; this one switched itself */
        });
        if (next !== lang) {
          setLanguage(next);
          setLang(next);
        }
      })
      .catch(() => {
        /* keep the defaults the page opened with */
      });
    void readFavorites();
    // A save from a hover card, the options page or another device shows here at once.
    const unwatch = watchFavorites((snap) => alive && showFavorites(snap), loadFavorites);
    let unwatchPage = () => {};
    (async () => {
      const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
      const tabId = tab?.id;
      if (tabId === undefined || !alive) return;
      // tab.url is readable without the "tabs" permission exactly on the sites we have host access to.
      setPage({ tabId, url: tab.url, entryIds: [] });
      // Asked again whenever the background keeps a new report for the tab (its first pass
      // ending while the popup is open, the site switched on here): the latest answer shows.
      let asked = 0;
      const ask = async () => {
        const n = ++asked;
        const found = await sendMessage('page:get', { tabId }).catch(() => undefined);
        if (!alive || n !== asked || found === undefined) return;
        setPage((prev) => {
          const entryIds = found?.entryIds ?? [];
          // Switched off here, the page takes its marks off and reports none: its entries stay
          // listed, without their "show" buttons, so the switch does not jump under the pointer.
          if (!entryIds.length && found && prev?.entryIds.length && !siteOnRef.current) return { ...prev, kept: true };
          return { tabId, url: found?.url || tab.url, entryIds };
        });
      };
      unwatchPage = watchTabFound(tabId, () => void ask());
      await ask();
    })().catch(() => {
      /* no tab info (e.g. opened outside a browser window): no "On this page" */
    });
    return () => {
      alive = false;
      unwatch();
      unwatchPage();
    };
  }, []);

  // ---- focus management ----
  // In the task that puts the live screen in place of the prerendered one (main.tsx), not a
  // frame later: keys typed from then on reach the search box.
  useLayoutEffect(() => {
    inputRef.current?.focus();
  }, []);
  // The detail takes focus to its title; closing it gives focus back to the Favorites row or
  // "On this page" chip it was opened from, or else to the search box, in the same task as
  // the list returns (a focus a frame later raced a quick next key).
  const refocusInput = useRef(false);
  const opener = useRef<Opener | null>(null);
  // A detail asked for from the first screen before the catalog has loaded shows, and takes
  // focus, once it has.
  const detailShown = !!detail;
  useLayoutEffect(() => {
    if (detailId) titleRef.current?.focus();
    else {
      if (refocusInput.current) ((opener.current && openerButton(opener.current)) || inputRef.current)?.focus();
      opener.current = null;
    }
    refocusInput.current = false;
  }, [detailId, detailShown]);
  // A new result list starts with its first row active: back to the top, and only when the
  // list was scrolled, since scrollIntoView here would force a layout on every keystroke.
  const bodyRef = useRef<HTMLElement>(null);
  const bodyScrolled = useRef(false);
  const shownRows = useRef(rows);
  useLayoutEffect(() => {
    const newList = shownRows.current !== rows;
    shownRows.current = rows;
    if (active < 0 || detailId) return;
    if (newList && active === 0 && searching) {
      if (bodyScrolled.current && bodyRef.current) bodyRef.current.scrollTop = 0;
      return;
    }
    document.getElementById(optionId(active))?.scrollIntoView({ block: 'nearest' });
  }, [active, detailId, rows, searching]);
  /**
   * Where the list was scrolled when a detail was opened from it, restored when the detail is closed
   * (Back, Esc) to go back to that list: not when typing, a key or a tab change closes it for another.
   */
  const listScroll = useRef<number | null>(null);
  const restoreScroll = useRef(false);
  useLayoutEffect(() => {
    if (detailId) return;
    if (restoreScroll.current && listScroll.current !== null && bodyRef.current) bodyRef.current.scrollTop = listScroll.current;
    restoreScroll.current = false;
    listScroll.current = null;
  }, [detailId]);

  // ---- actions ----
  const openLink = useCallback((row: EntryRow) => {
    const open = (d: FullData) => {
      const entry = d.getEntry(row.id);
      if (!entry) return;
      const link = primaryLink(entry);
      if (!link) {
        setDetailId(entry.id);
        return;
      }
      void browser.tabs.create({ url: link.url });
    };
    // A first-screen row knows no links; Enter before the catalog has loaded waits for it.
    const d = loadedData();
    if (d) open(d);
    else void loadData().then(open);
  }, []);

  const showMore = useCallback((zh: string) => setMore((m) => ({ ...m, [zh]: (m[zh] ?? 0) + BROWSE_MORE })), []);

  /** Opens a detail from within a detail (a related entry): focus returns where the first one was opened from. */
  const openDetail = useCallback((id: string) => setDetailId(id), []);
  /** Opens a detail from a list; `from` is the row to return focus to, null for the search box. */
  const openFrom = useCallback((id: string, from: Opener | null) => {
    opener.current = from;
    // The detail takes the list's place in the scrolling body: its scroll comes back with the list.
    listScroll.current = bodyRef.current?.scrollTop ?? 0;
    setDetailId(id);
  }, []);
  const openFromList = useCallback((id: string) => openFrom(id, null), [openFrom]);
  const openFromFavorites = useCallback((id: string) => openFrom(id, { list: 'favorites', entryId: id }), [openFrom]);

  useEffect(() => {
    const intent = pendingEnter.current;
    if (!intent || waiting) return;
    pendingEnter.current = null;
    const row = rows[0];
    if (!row || isMore(row)) return;
    if (intent === 'detail') openFromList(row.entry.id);
    else openLink(row.entry);
  }, [rows, waiting, openFromList, openLink]);

  const closeDetail = useCallback(() => {
    refocusInput.current = true;
    restoreScroll.current = true;
    setDetailId(null);
  }, []);

  const showToast = useCallback((text: string, detail?: string) => {
    setToast({ id: ++toastSeq.current, text, detail });
  }, []);
  /** Takes the toast away (`id`: only if it is still that one); focus inside it goes to the search box, not the page's body. */
  const dropToast = useCallback((id?: number) => {
    if (toastRef.current?.contains(document.activeElement)) inputRef.current?.focus();
    setToast((cur) => (id === undefined || cur?.id === id ? null : cur));
  }, []);

  /** "Show on page": the tab scrolls to the entry's mark and opens its card, and the popup gets out of the way. */
  const revealOnPage = useCallback(
    async (e: Entry) => {
      const tabId = page?.tabId;
      if (tabId === undefined) return;
      const res = await sendMessage('page:reveal', { tabId, entryId: e.id }).catch(() => null);
      if (res === 'shown') window.close();
      else showToast(t(res === 'hidden' ? 'popup_revealHidden' : res === 'none' ? 'popup_revealGone' : 'popup_revealFailed', e.title));
    },
    [page, showToast],
  );

  /** Saves from the result list: idempotent, never a toggle (removal stays explicit, in the detail or Favorites). */
  const saveFromList = useCallback(
    async (entry: Pick<Entry, 'id' | 'title'>) => {
      if (!favorites || favorites.has(entry.id)) return;
      try {
        const fav = await sendMessage('favorites:save', { entryId: entry.id });
        setFavorites((m) => new Map(m ?? []).set(fav.entryId, fav));
        showToast(t('popup_savedToast', entry.title));
      } catch (err) {
        showToast(t('popup_favoritesError'), errorText(err));
      }
    },
    [favorites, showToast],
  );

  /** Saves or removes, as the entry's star does; resolves to whether the entry was removed. */
  const toggleSave = useCallback(
    async (entry: Pick<Entry, 'id' | 'title'>): Promise<boolean> => {
      if (!favorites || busy) return false;
      setBusy(entry.id);
      try {
        if (favorites.has(entry.id)) {
          const { removed } = await sendMessage('favorites:remove', { entryIds: [entry.id] });
          setFavorites((m) => {
            const next = new Map(m ?? []);
            next.delete(entry.id);
            return next;
          });
          if (removed.length) {
            setUndo((cur) => {
              const ids = new Set(removed.map((f) => f.entryId));
              return { id: ++toastSeq.current, removed: [...(cur?.removed.filter((f) => !ids.has(f.entryId)) ?? []), ...removed] };
            });
          }
          return true;
        }
        const fav = await sendMessage('favorites:save', { entryId: entry.id });
        setFavorites((m) => new Map(m ?? []).set(fav.entryId, fav));
      } catch (err) {
        showToast(t('popup_favoritesError'), errorText(err));
      } finally {
        setBusy(null);
      }
      return false;
    },
    [favorites, busy, showToast],
  );

  /** Before the Undo goes: focus on it moves to the search box, not the page's body. */
  const focusOffUndo = useCallback(() => {
    if (undoRef.current?.contains(document.activeElement)) inputRef.current?.focus();
  }, []);

  /** Brings back every favorite the Undo holds; a failure says why and keeps the Undo, to try again. */
  const runUndo = useCallback(
    async (u: UndoState) => {
      if (undoing.current === u.id) return;
      undoing.current = u.id;
      try {
        // What the store kept, not what was removed: an entry may have been saved again meanwhile.
        const back = await sendMessage('favorites:restore', { favorites: u.removed });
        setFavorites((m) => {
          const next = new Map(m ?? []);
          for (const f of back.favorites) next.set(f.entryId, f);
          return next;
        });
        // The Undo goes: focus on it goes on from the search box, not the page's body.
        focusOffUndo();
        setUndo((cur) => (cur?.id === u.id ? null : cur));
      } catch (err) {
        showToast(t('popup_favoritesError'), errorText(err));
      } finally {
        if (undoing.current === u.id) undoing.current = null;
      }
    },
    [showToast, focusOffUndo],
  );
  // A favorite saved again (its star, another device) is no longer the Undo's to bring back: its
  // old note would be written over whatever it has now. The Undo keeps the rest, or goes.
  useEffect(() => {
    if (!undo || !favorites || !undo.removed.some((f) => favorites.has(f.entryId))) return;
    const rest = undo.removed.filter((f) => !favorites.has(f.entryId));
    if (!rest.length) focusOffUndo();
    setUndo(rest.length ? { ...undo, removed: rest } : null);
  }, [favorites, undo, focusOffUndo]);
  const dropUndo = useCallback(() => {
    focusOffUndo();
    setUndo(null);
  }, [focusOffUndo]);

  /** Where each tab's list was scrolled when the other tab was chosen: the two share the scrolling body. */
  const viewScroll = useRef<Record<View, number>>({ catalog: 0, favorites: 0 });
  const switchView = useCallback(
    (next: View, focusTab = false) => {
      // A detail open over the list holds its own scroll; the list's is the one kept for it.
      viewScroll.current[view] = listScroll.current ?? bodyRef.current?.scrollTop ?? 0;
      setView(next);
      setDetailId(null);
      // The query carries over (it filters whichever view is shown). Back in the catalog a search's
      // first result is active again, as after typing, so Enter and Ctrl+S act on the same row.
      setActive(next === 'catalog' && searching ? 0 : -1);
      if (focusTab) requestAnimationFrame(() => document.getElementById(tabId(next))?.focus());
    },
    [view, searching],
  );
  // A search's results come back at the top, their first row active; the browse list and the
  // favorites where they were left.
  const searchingRef = useRef(searching);
  searchingRef.current = searching;
  useLayoutEffect(() => {
    if (bodyRef.current) bodyRef.current.scrollTop = view === 'catalog' && searchingRef.current ? 0 : viewScroll.current[view];
  }, [view]);

  const saveNote = useCallback(
    async (entryId: string, patch: { note?: string; tags?: string[] }) => {
      const updated = await sendMessage('favorites:update', { entryId, ...patch });
      if (!updated) throw new Error(t('popup_noteGone'));
      setFavorites((m) => new Map(m ?? []).set(updated.entryId, updated));
      showToast(t('popup_noteSaved', updated.title));
    },
    [showToast],
  );

  const filterByTag = useCallback((tag: string) => {
    setQuery(tagQuery(tag));
    inputRef.current?.focus();
  }, []);

  /** Clear filters: its button goes away with the filters, so focus goes to the search box. */
  const clearFilters = useCallback(() => {
    setFilters(NO_FILTERS);
    inputRef.current?.focus();
  }, []);

  // The toasts float over the list's end: the list gets room below its last row to scroll it
  // clear of them (an Undo stays until used), and a row reached with Tab is scrolled above them.
  useLayoutEffect(() => {
    const body = bodyRef.current;
    if (!body) return;
    const room = toastsRef.current && (toast || undo) ? `${toastsRef.current.offsetHeight + 8}px` : '';
    body.style.paddingBottom = room;
    body.style.scrollPaddingBottom = room;
  }, [toast, undo, lang]);

  // Messages fade; an Undo stays until used or dismissed, since a timed-out Undo is lost to slower readers.
  // Not while the reader is on the message: focus in it (its Dismiss reached with Tab) or the pointer
  // over it holds it, and its few seconds start again when both have left.
  const toastHold = useRef({ focus: false, pointer: false });
  const [toastHeld, setToastHeld] = useState(false);
  const holdToast = useCallback((by: 'focus' | 'pointer', on: boolean) => {
    toastHold.current[by] = on;
    setToastHeld(toastHold.current.focus || toastHold.current.pointer);
  }, []);
  useEffect(() => {
    if (toast) return;
    // Gone from under the pointer or with its focus: no leave event comes to let go.
    toastHold.current = { focus: false, pointer: false };
    setToastHeld(false);
  }, [toast]);
  useEffect(() => {
    if (!toast || toastHeld) return;
    const timer = setTimeout(() => dropToast(toast.id), 5000);
    return () => clearTimeout(timer);
  }, [toast, toastHeld, dropToast]);

  const setSite = useCallback(
    async (key: SiteKey, on: boolean) => {
      if (!settings) return;
      setSettings({ ...settings, sites: { ...settings.sites, [key]: on } });
      try {
        // Only this site's switch: the others may have changed elsewhere since the popup read them.
        const next = await sendMessage('settings:set', { sites: { [key]: on } });
        setSettings(next);
        saveUiPrefs({ language: next.language, theme: next.theme, sites: next.sites });
      } catch {
        setSettings(settings);
      }
    },
    [settings],
  );

  /** Every typed query change goes through here: its results (or the browse view) render a screenful first. */
  const changeQuery = (value: string) => {
    if (normalizeQuery(value) !== q) setSettled(false);
    pendingEnter.current = null;
    setQuery(value);
  };

  const onInput = (e: Event) => {
    performance.mark('cmed:input');
    pendingMeasure.current = true;
    const value = (e.currentTarget as HTMLInputElement).value;
    changeQuery(value);
    setActive(normalizeQuery(value) ? 0 : -1);
    if (detailId) setDetailId(null);
  };

  const onKeyDown = (e: KeyboardEvent) => {
    // An IME is composing Chinese: its keys are not ours (229: the key an IME takes, as some report it).
    if (e.isComposing || e.keyCode === 229) return;
    const input = e.currentTarget as HTMLInputElement;
    if (favView) {
      // Rows here hold buttons and a form, so they are not listbox options: ↓ moves focus into
      // the list, Enter opens the first match, and Tab walks the rest.
      if (e.key === 'ArrowDown') {
        // The first row's title; for a favorite that left the catalog (no title button) its
        // note editor, never its star, where Enter or Space would remove it.
        const first = rowFocusTarget(document.querySelector(`#${FAV_LIST_ID} .fav-row`));
        if (first) {
          e.preventDefault();
          first.focus();
        }
      } else if (e.key === 'Enter') {
        const hit = visibleFavorites(favorites, query, favAliases, favCatalogHits).find((f) => !data || data.getEntry(f.entryId));
        if (hit) {
          e.preventDefault();
          openFromList(hit.entryId);
        }
      }
      return;
    }
    if (isSaveKey(e)) {
      // With a detail open, the page's listener saves the entry shown (see below).
      if (detail) return;
      // Ctrl/⌘+S saves the active result instead of saving the popup page as a file.
      e.preventDefault();
      const row = rows[active];
      if (row && !isMore(row)) void saveFromList(row.entry);
      return;
    }
    switch (e.key) {
      case 'ArrowDown':
      case 'ArrowUp':
        e.preventDefault();
        if (detailId) setDetailId(null);
        setActive((a) => moveActive(a, e.key === 'ArrowDown' ? 1 : -1, rows.length));
        break;
      case 'Enter': {
        const row = rows[active] ?? (searching ? rows[0] : undefined);
        if (!row) {
          // Typed faster than the catalog loaded: the first result is opened when it is there.
          if (waiting && searching) {
            e.preventDefault();
            pendingEnter.current = e.shiftKey ? 'detail' : 'open';
          }
          return;
        }
        e.preventDefault();
        if (isMore(row)) showMore(row.more);
        else if (e.shiftKey) openFromList(row.entry.id);
        else openLink(row.entry);
        break;
      }
      case 'ArrowRight': {
        // Only at the end of the text, so the caret still moves inside the query.
        const row = rows[active];
        if (row && !isMore(row) && input.selectionStart === input.value.length && input.selectionEnd === input.value.length) {
          e.preventDefault();
          openFromList(row.entry.id);
        }
        break;
      }
    }
  };

  // Esc anywhere: close the detail, then clear the query, then the filters, then close the popup.
  // Ctrl/⌘+S anywhere while a detail is open: save or remove the entry shown, as its star does;
  // elsewhere (the Favorites tab, a button) nothing, rather than saving the popup page as a file.
  // A layout effect, so the listener sees the state of the last render as soon as it commits: a
  // passive effect waits for a frame, and a second Esc pressed before it would act on stale state.
  useLayoutEffect(() => {
    const onDocKey = (e: KeyboardEvent) => {
      if (e.isComposing || e.defaultPrevented) return;
      if (isSaveKey(e)) {
        // Never the browser's "save page as" dialog for the popup itself, wherever focus is.
        e.preventDefault();
        // A held key repeats; one press is one toggle.
        if (detail && !e.repeat) void toggleSave(detail);
        return;
      }
      if (e.key !== 'Escape') return;
      e.preventDefault();
      if (document.activeElement?.closest('.toast')) {
        if (undoRef.current?.contains(document.activeElement)) setUndo(null);
        else setToast(null);
        inputRef.current?.focus();
      } else if (detailId) closeDetail();
      else if (query) {
        changeQuery('');
        setActive(-1);
        inputRef.current?.focus();
      } else if (!favView && (filters.kind || filters.section)) {
        setFilters(NO_FILTERS);
        inputRef.current?.focus();
      } else window.close();
    };
    document.addEventListener('keydown', onDocKey);
    return () => document.removeEventListener('keydown', onDocKey);
  }, [detailId, detail, query, filters, closeDetail, favView, toggleSave]);

  const siteKey = siteKeyFor(page?.url);
  // With the site switched off the page has no marks: its entries are still listed, but there is nothing to show on it.
  const siteOn = !siteKey || !settings || settings.sites[siteKey] !== false;
  siteOnRef.current = siteOn;
  // Switched back on, a kept list is offered to show on the page once the page has marked it again.
  const marksShown = siteOn && !page?.kept;
  const pageEntries = data ? (page?.entryIds ?? []).map(data.getEntry).filter((e): e is Entry => !!e) : [];
  const expanded = !favView && !detail && rows.length > 0;
  const activeId = expanded && active >= 0 && active < rows.length ? optionId(active) : undefined;

  return (
    <div class="app">
      <h1 class="cmed-visually-hidden">{t('extName')}</h1>
      <header class="top">
        <div class="search">
          <Icon name="search" size={18} />
          <input
            ref={inputRef}
            id="cmed-search"
            type="text"
            // In the favorites view the box is a plain filter over a list of rows with buttons
            // (which listbox options may not contain), so it stops claiming to be a combobox there.
            role={favView ? undefined : 'combobox'}
            aria-label={favView ? t('popup_favSearchLabel') : t('popup_searchLabel')}
            aria-expanded={favView ? undefined : expanded ? 'true' : 'false'}
            // Only a list that is rendered: none behind a detail, nor while favorites load or failed to.
            aria-controls={detail ? undefined : favView ? (favorites ? FAV_LIST_ID : undefined) : LISTBOX_ID}
            aria-autocomplete={favView ? undefined : 'list'}
            aria-activedescendant={favView ? undefined : activeId}
            aria-describedby="cmed-keyhints"
            placeholder={favView ? t('popup_favSearchPlaceholder') : t('popup_searchPlaceholder')}
            value={query}
            onInput={onInput}
            onKeyDown={onKeyDown}
            autocomplete="off"
            spellcheck={false}
            maxLength={2000}
          />
          {query ? (
            <button
              type="button"
              class="icon-btn"
              aria-label={t('popup_clear')}
              title={t('popup_clear')}
              onClick={() => {
                changeQuery('');
                setActive(-1);
                inputRef.current?.focus();
              }}
            >
              <Icon name="close" size={16} />
            </button>
          ) : null}
        </div>
        <button
          type="button"
          class="icon-btn"
          aria-label={t('popup_settings')}
          title={t('popup_settings')}
          onClick={() => void browser.runtime.openOptionsPage()}
        >
          <Icon name="gear" size={18} />
        </button>
      </header>

      <div
        class="tabs"
        role="tablist"
        aria-label={t('popup_viewsLabel')}
        onKeyDown={(e) => {
          // Arrow keys move between the tabs and select as they go (two tabs, nothing to load).
          const i = VIEWS.indexOf(view);
          const next =
            e.key === 'ArrowRight' ? VIEWS[(i + 1) % VIEWS.length]
            : e.key === 'ArrowLeft' ? VIEWS[(i + VIEWS.length - 1) % VIEWS.length]
            : e.key === 'Home' ? VIEWS[0]
            : e.key === 'End' ? VIEWS[VIEWS.length - 1]
            : null;
          if (!next) return;
          e.preventDefault();
          switchView(next, true);
        }}
      >
        {VIEWS.map((v) => (
          <button
            key={v}
            type="button"
            role="tab"
            id={tabId(v)}
            class="tab"
            aria-selected={view === v ? 'true' : 'false'}
            aria-controls={PANEL_ID}
            tabIndex={view === v ? 0 : -1}
            onClick={() => view !== v && switchView(v)}
          >
            {v === 'catalog'
              ? t('popup_tabCatalog')
              : favorites
                ? t('popup_tabFavoritesCount', favorites.size)
                : t('popup_tabFavorites')}
          </button>
        ))}
      </div>

      {(pageEntries.length > 0 || siteKey) && !searching && !detail && !favView ? (
        <section class="on-page" aria-labelledby="cmed-on-page-h">
          {pageEntries.length > 0 ? (
            <>
              <h2 id="cmed-on-page-h" class="on-page-h">
                {t('popup_onThisPage')} <span class="count">{pageEntries.length}</span>
              </h2>
              <ul class="on-page-list">
                {pageEntries.map((e) => (
                  <li key={e.id} class="on-page-item">
                    <button type="button" class="chip" onClick={() => openFrom(e.id, { list: 'page', entryId: e.id })} data-entry-id={e.id}>
                      <KindBadge kind={e.kind} compact />
                      <span class="chip-title" title={e.title}>
                        {e.title}
                      </span>
                      {favorites?.has(e.id) ? (
                        <span class="saved-mark" title={t('popup_savedMark')}>
                          <Icon name="star" size={12} />
                          <span class="cmed-visually-hidden">{t('popup_savedMark')}</span>
                        </span>
                      ) : null}
                    </button>
                    {marksShown ? (
                      <button
                        type="button"
                        class="chip-reveal"
                        onClick={() => void revealOnPage(e)}
                        aria-label={t('popup_showOnPage', e.title)}
                        title={t('popup_showOnPageShort')}
                        data-entry-id={e.id}
                      >
                        <Icon name="locate" size={14} />
                      </button>
                    ) : null}
                  </li>
                ))}
              </ul>
            </>
          ) : (
            <h2 id="cmed-on-page-h" class="cmed-visually-hidden">
              {t('popup_onThisPage')}
            </h2>
          )}
          {siteKey ? (
            <label class="switch">
              <input
                type="checkbox"
                role="switch"
                checked={settings ? settings.sites[siteKey] : (cachedSites[siteKey] ?? true)}
                disabled={!settings}
                onChange={(e) => void setSite(siteKey, (e.currentTarget as HTMLInputElement).checked)}
              />
              <span class="switch-track" aria-hidden="true" />
              <span>{t('popup_annotateSite', SITE_LABELS[siteKey])}</span>
            </label>
          ) : null}
        </section>
      ) : null}

      {!detail && !favView ? (
        <div class="filters">
          <label class="select">
            <span class="cmed-visually-hidden">{t('popup_kindFilter')}</span>
            <select
              value={filters.kind}
              onChange={(e) => {
                setFilters({ ...filters, kind: (e.currentTarget as HTMLSelectElement).value as Kind | '' });
                setActive(searching ? 0 : -1);
              }}
            >
              <option value="">{t('popup_allKinds')}</option>
              {KIND_OPTIONS.map((k) => (
                <option key={k} value={k}>
                  {t(kindKey(k))}
                </option>
              ))}
            </select>
          </label>
          <label class="select">
            <span class="cmed-visually-hidden">{t('popup_sectionFilter')}</span>
            <select
              value={filters.section}
              onChange={(e) => {
                setFilters({ ...filters, section: (e.currentTarget as HTMLSelectElement).value });
                setActive(searching ? 0 : -1);
              }}
            >
              <option value="">{t('popup_allSections')}</option>
              {SECTIONS.map((s) => (
                <option key={s.zh} value={s.zh}>
                  {sectionLabel(s, lang)} ({s.count})
                </option>
              ))}
            </select>
          </label>
          {filtered ? (
            <button type="button" class="cmed-btn cmed-btn--ghost" onClick={clearFilters}>
              {t('popup_clearFilters')}
            </button>
          ) : null}
        </div>
      ) : null}

      {/* The list's options are not tab stops (the combobox owns them), so the scrolling
          region itself takes focus for keyboard scrolling, as axe's scrollable-region rule asks. */}
      <main
        class="body"
        ref={bodyRef}
        onScroll={(e) => {
          bodyScrolled.current = e.currentTarget.scrollTop > 0;
        }}
        tabIndex={detail ? undefined : 0}
        aria-label={detail ? undefined : favView ? t('popup_favListLabel') : searching ? t('popup_resultsLabel') : t('popup_browseLabel')}
      >
        {/* The panel sits inside <main> so the page keeps its main landmark. */}
        <div id={PANEL_ID} role="tabpanel" aria-labelledby={tabId(view)}>
          {detail ? (
            <div class="detail-wrap">
              <button type="button" class="cmed-btn cmed-btn--ghost back" onClick={closeDetail}>
                <Icon name="back" size={16} />
                {t('popup_back')}
              </button>
              <EntryDetail
                entry={detail}
                lang={lang}
                getEntry={data!.getEntry}
                onOpenEntry={openDetail}
                titleRef={titleRef}
                titleRanges={readableRanges(detail.title, rangesFor(detailHit, 'title'), q.length)}
                onShowOnPage={marksShown && page?.entryIds.includes(detail.id) ? () => void revealOnPage(detail) : undefined}
                favorite={{
                  // Unknown until favorites are read: the star stays disabled rather than guess.
                  saved: favorites ? favorites.has(detail.id) : undefined,
                  busy: busy === detail.id,
                  onToggle: () => void toggleSave(detail),
                }}
              />
            </div>
          ) : favView ? (
            <FavoritesView
              favorites={favorites}
              loadError={favError}
              onRetry={() => void readFavorites()}
              query={query}
              aliases={favAliases}
              catalogHits={favCatalogHits}
              keepDrafts={undoIds}
              inCatalog={(id) => (data ? !!data.getEntry(id) : undefined)}
              busyId={busy}
              onOpen={openFromFavorites}
              onRemove={(f) => toggleSave({ id: f.entryId, title: f.title })}
              onSave={saveNote}
              onTag={filterByTag}
            />
          ) : (
            <>
              <p class="status" role="status" aria-live="polite">
                {waiting
                  ? t('popup_loading')
                  : searching
                    ? rows.length === 1
                      ? t('popup_resultsOne')
                      : capped
                      ? t('popup_resultsCapped', MAX_RESULTS)
                      : t('popup_resultsCount', rows.length)
                    : filtered
                      ? rows.length === 0
                        ? t('popup_emptyFilter')
                        : t('popup_filteredCount', filteredCount, FIRST.count)
                      : t('popup_catalogCount', FIRST.count, SECTIONS.filter((s) => s.count > 0).length)}
              </p>
              <div
                role="listbox"
                id={LISTBOX_ID}
                class={`list${searching ? ' list--search' : ''}`}
                aria-label={searching ? t('popup_resultsLabel') : t('popup_browseLabel')}
              >
                {searching
                  ? (settled ? rows : rows.slice(0, FIRST_COMMIT_ROWS)).map((row, i) =>
                      isMore(row) ? null : (
                        <ResultOption
                          key={`${row.entry.id}`}
                          row={row}
                          index={i}
                          active={i === active}
                          lang={lang}
                          saved={favorites?.has(row.entry.id)}
                          onPick={openFromList}
                          onSave={saveFromList}
                          queryLength={q.length}
                        />
                      ),
                    )
                  : (() => {
                      // Option indexes run through the groups in order, "show more" options included.
                      let index = 0;
                      return (groups ?? []).map((g) => {
                        const label = lang === 'zh_CN' ? g.zh : g.en;
                        const hidden = g.count - g.entries.length;
                        return (
                          <div role="group" key={g.zh} aria-label={`${label} (${g.total})`} class="group">
                            <div class="group-head" aria-hidden="true">
                              <span class="group-name">{label}</span>
                              <span class="count">{g.total}</span>
                            </div>
                            {g.entries.map((entry) => {
                              const i = index++;
                              return (
                                <ResultOption
                                  key={`${g.zh}-${entry.id}`}
                                  row={{ entry }}
                                  index={i}
                                  active={i === active}
                                  lang={lang}
                                  saved={favorites?.has(entry.id)}
                                  onPick={openFromList}
                                  onSave={saveFromList}
                                />
                              );
                            })}
                            {data && hidden > 0
                              ? (() => {
                                  const i = index++;
                                  return (
                                    <MoreOption
                                      index={i}
                                      active={i === active}
                                      count={Math.min(BROWSE_MORE, hidden)}
                                      hidden={hidden}
                                      onPick={() => showMore(g.zh)}
                                    />
                                  );
                                })()
                              : null}
                          </div>
                        );
                      });
                    })()}
              </div>
              {rows.length === 0 && !waiting ? (
                <div class="empty">
                  {/* Browsing, the status line above says the filters leave nothing. */}
                  {searching ? (
                    <>
                      <p class="empty-title">{t('popup_noResults', q.length > 40 ? `${Array.from(q).slice(0, 40).join('')}…` : q)}</p>
                      <p>{filtered ? t('popup_noResultsFiltered') : t('popup_noResultsHint')}</p>
                    </>
                  ) : null}
                  {filtered ? (
                    <button type="button" class="cmed-btn" onClick={clearFilters}>
                      {t('popup_clearFilters')}
                    </button>
                  ) : null}
                </div>
              ) : null}
            </>
          )}
        </div>
      </main>

      <footer class="foot">
        <span id="cmed-keyhints">{detail ? t('popup_detailKeyHints') : favView ? t('popup_favKeyHints') : t('popup_keyHints')}</span>
      </footer>

      {/* The live region is always there, empty until a toast: screen readers miss a region that
          appears together with its text. Not atomic: a message joining an Undo is read alone. */}
      <div class="toasts" ref={toastsRef} role="status" aria-live="polite" aria-atomic="false">
        {toast ? (
          <div
            class="toast"
            ref={toastRef}
            onFocusIn={() => holdToast('focus', true)}
            onFocusOut={(e) => holdToast('focus', e.currentTarget.contains(e.relatedTarget as Node | null))}
            onMouseEnter={() => holdToast('pointer', true)}
            onMouseLeave={() => holdToast('pointer', false)}
          >
            <span class="toast-text">
              {toast.text}
              {toast.detail ? <span class="toast-detail">{t('popup_errorDetail', toast.detail)}</span> : null}
            </span>
            <button type="button" class="icon-btn" aria-label={t('popup_dismiss')} onClick={() => dropToast()}>
              <Icon name="close" size={14} />
            </button>
          </div>
        ) : null}
        {undo ? (
          <div class="toast toast--undo" ref={undoRef}>
            <span class="toast-text">
              {undo.removed.length === 1 ? t('popup_removed', undo.removed[0].title) : t('popup_removedMany', undo.removed.length)}
            </span>
            <button type="button" class="cmed-btn toast-undo" onClick={() => void runUndo(undo)}>
              {t('popup_undo')}
            </button>
            <button type="button" class="icon-btn" aria-label={t('popup_dismiss')} onClick={dropUndo}>
              <Icon name="close" size={14} />
            </button>
          </div>
        ) : null}
      </div>
    </div>
  );
}

function ResultOption({
  row,
  index,
  active,
  lang,
  saved,
  onPick,
  onSave,
  queryLength = 0,
}: {
  queryLength?: number;
  row: EntryItem;
  index: number;
  active: boolean;
  lang: Lang;
  saved: boolean | undefined;
  onPick: (id: string) => void;
  onSave: (entry: Pick<Entry, 'id' | 'title'>) => void;
}) {
  const { entry, hit } = row;
  const second = secondaryLine(entry, hit, lang);
  const id = optionId(index);
  return (
    <div
      role="option"
      id={id}
      // Named by its first line (kind, title, year) and described by the second: a name holding the
      // whole summary is read out in full at every ↑/↓. aria-hidden keeps the second line out of the
      // name, which is still read from the option's content; aria-describedby reads hidden text too.
      aria-describedby={second ? `${id}-desc` : undefined}
      aria-selected={active ? 'true' : 'false'}
      class={`option${active ? ' option--active' : ''}`}
      data-entry-id={entry.id}
      // mousedown would move focus out of the combobox before the click lands
      onMouseDown={(e) => e.preventDefault()}
      onClick={() => onPick(entry.id)}
    >
      <div class="option-main">
        <KindBadge kind={entry.kind} compact />
        {/* Element Timing reports when the first row's title is painted (read by the benchmark). */}
        <span class="option-title" title={entry.title} {...(index === 0 ? { elementtiming: 'cmed-first-row' } : {})}>
          <Highlight text={entry.title} ranges={readableRanges(entry.title, rangesFor(hit, 'title'), queryLength)} />
        </span>
        {saved ? (
          <span class="saved-mark" title={t('popup_savedMark')}>
            <Icon name="star" size={12} />
            <span class="cmed-visually-hidden">{t('popup_savedMark')}</span>
          </span>
        ) : saved === false ? (
          // A pointer shortcut inside the option (options may not contain buttons); keyboard
          // users have Ctrl/⌘+S on the active option, announced in the key hints.
          <span
            class="row-save"
            title={t('popup_saveRow')}
            aria-hidden="true"
            data-save-entry={entry.id}
            onClick={(e) => {
              e.stopPropagation();
              onSave(entry);
            }}
          >
            <Icon name="star" size={12} />
          </span>
        ) : null}
        {entry.year ? <span class="option-year">{entry.year}</span> : null}
      </div>
      {second ? (
        <div class={`option-sub option-sub--${second.kind}`} id={`${id}-desc`} aria-hidden="true">
          <Highlight text={second.text} ranges={readableRanges(second.text, second.ranges, queryLength)} />
        </div>
      ) : null}
    </div>
  );
}

/** "Show N more": an option like the rows around it, so the arrow keys and Enter reach it. */
function MoreOption({ index, active, count, hidden, onPick }: { index: number; active: boolean; count: number; hidden: number; onPick: () => void }) {
  return (
    <div
      role="option"
      id={optionId(index)}
      aria-selected={active ? 'true' : 'false'}
      class={`option option--more${active ? ' option--active' : ''}`}
      onMouseDown={(e) => e.preventDefault()}
      onClick={onPick}
    >
      <span class="option-more">{t('popup_showMore', count, hidden)}</span>
    </div>
  );
}
