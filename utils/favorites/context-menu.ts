/**
 * "Save to MedNLP Lens favorites" in the context menu: on a link that points at a
 * catalog entry (an arXiv, Anthology, GitHub or DOI URL the catalog knows) and on the
 * page of a catalog entry itself. The save goes through the same single-writer handler
 * as every other save, so it is idempotent like them. The outcome is shown on the
 * toolbar icon for a moment (★ saved, ? not a catalog entry), then the icon's previous
 * text comes back.
 */
import { browser } from 'wxt/browser';
import { toolbarAction } from '../toolbar';
import type { Handlers } from '../messages';
import { followSettingsLanguage, type BackgroundLanguage } from '../lookup/language';
import { registerMenuItems, type MenuItem } from '../lookup/menus';

export const SAVE_LINK_MENU_ID = 'cmed-save-link';
export const SAVE_PAGE_MENU_ID = 'cmed-save-page';

/**
 * URL patterns of links that can name a catalog entry: every form the matcher reads an ID
 * from (http too, as older READMEs write them; mirrors, www. and resolver hosts; publisher
 * pages with a DOI in the path).
 */
export const ENTRY_URL_PATTERNS = [
  '*://arxiv.org/*',
  '*://www.arxiv.org/*',
  '*://export.arxiv.org/*',
  '*://aclanthology.org/*',
  '*://www.aclanthology.org/*',
  '*://www.aclweb.org/anthology*',
  '*://aclweb.org/anthology*',
  '*://anthology.aclweb.org/*',
  '*://github.com/*',
  '*://www.github.com/*',
  '*://doi.org/*',
  '*://dx.doi.org/*',
  '*://www.doi.org/*',
  '*://www.nature.com/articles/*',
  '*://nature.com/articles/*',
  '*://*/doi/*',
  '*://*/*/doi/*',
];
const PAGE_PATTERNS = ['https://arxiv.org/*', 'https://aclanthology.org/*', 'https://github.com/*'];

export interface SaveMenuDeps {
  /** The catalog entry a URL points at (the matcher's byUrl). */
  entryForUrl(url: string): string | undefined;
  save: Handlers['favorites:save'];
  /** Shows a short outcome on the toolbar icon of a tab. */
  flash(tabId: number | undefined, text: string): Promise<void>;
}

export interface SaveMenuClick {
  menuItemId: string | number;
  linkUrl?: string;
  pageUrl?: string;
}

/** What a click on one of our save items does; returns the saved entry id, or null. */
export async function onSaveMenuClicked(info: SaveMenuClick, tabId: number | undefined, deps: SaveMenuDeps): Promise<string | null> {
  const url =
    info.menuItemId === SAVE_LINK_MENU_ID ? info.linkUrl : info.menuItemId === SAVE_PAGE_MENU_ID ? info.pageUrl : undefined;
  if (info.menuItemId !== SAVE_LINK_MENU_ID && info.menuItemId !== SAVE_PAGE_MENU_ID) return null;
  const entryId = url ? deps.entryForUrl(url) : undefined;
  if (!entryId) {
    await deps.flash(tabId, '?');
    return null;
  }
  await deps.save({ entryId }, { tabId });
  await deps.flash(tabId, '★');
  return entryId;
}

/** The two save items: on links to catalog entries, and on the pages of the three sites. */
export const SAVE_MENU_ITEMS: readonly MenuItem[] = [
  {
    id: SAVE_LINK_MENU_ID,
    titleKey: 'favorites_contextSaveLink',
    props: { contexts: ['link'], targetUrlPatterns: ENTRY_URL_PATTERNS },
  },
  {
    id: SAVE_PAGE_MENU_ID,
    titleKey: 'favorites_contextSavePage',
    props: { contexts: ['page'], documentUrlPatterns: PAGE_PATTERNS },
  },
];

/**
 * The flash showing on each tab and what it covers: read once, by the first of flashes in
 * a row, so that a second one does not take the first's glyph for the count.
 */
const flashing = new Map<number, { under: Promise<string> }>();

/** Briefly shows `text` on the tab's toolbar icon, then puts back what was there. */
export async function flashBadge(tabId: number | undefined, text: string): Promise<void> {
  if (tabId === undefined) return;
  const under = flashing.get(tabId)?.under ?? toolbarAction().getBadgeText({ tabId }).catch(() => '');
  const mine = { under };
  flashing.set(tabId, mine);
  try {
    await toolbarAction().setBadgeText({ tabId, text });
  } catch {
    // The tab is gone (closed while the save was written): nothing to show, nothing to put back.
    if (flashing.get(tabId) === mine) flashing.delete(tabId);
    return;
  }
  setTimeout(() => {
    // A later flash puts the count back when its own time is up.
    if (flashing.get(tabId) !== mine) return;
    flashing.delete(tabId);
    Promise.all([toolbarAction().getBadgeText({ tabId }), under]).then(([now, before]) => {
      // Leave it alone if the annotator has set a fresh count meanwhile.
      if (now === text) return toolbarAction().setBadgeText({ tabId, text: before });
    }).catch(() => undefined);
  }, 1500);
}

export interface SaveMenuOptions {
  /** The background's UI language (one shared by every feature); by default this registration follows the setting itself. */
  language?: BackgroundLanguage;
  /** Create the items as the background starts (see utils/lookup/menus.ts); default: in the Firefox build. */
  createMenusAtStart?: boolean;
}

/** Registers the save items; listeners are added synchronously (MV3 service worker). */
export function registerSaveMenu(deps: SaveMenuDeps, options: SaveMenuOptions = {}): void {
  browser.contextMenus.onClicked.addListener((info, tab) => {
    void onSaveMenuClicked(info, tab?.id, deps).catch(() => deps.flash(tab?.id, '!'));
  });
  registerMenuItems(SAVE_MENU_ITEMS, { language: options.language ?? followSettingsLanguage(), createAtStart: options.createMenusAtStart });
  (globalThis as { cmedSaveMenu?: (info: SaveMenuClick, tabId?: number) => Promise<string | null> }).cmedSaveMenu = (info, tabId) =>
    onSaveMenuClicked(info, tabId, deps);
}
