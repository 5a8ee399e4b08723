/**
 * Lookup from anywhere: the `cmed` omnibox keyword and the "Look up “…”" context
 * menu on selected text. (The toolbar shortcut is the manifest's _execute_action (MV3) or
 * _execute_browser_action (Firefox's MV2) command and needs no code.) Called once from the background's main(); every
 * listener is added synchronously so the MV3 service worker is woken for them.
 */
import { browser } from 'wxt/browser';
import { catalog, getEntry } from '../catalog';
import { createSearcher } from '../search';
import type { Searcher } from '../search/types';
import type { SearchIndex } from '../search/types';
import searchIndex from '@generated/search-index.json';
import { t } from '../i18n';
import { followSettingsLanguage, type BackgroundLanguage } from './language';
import { readSettings } from '../favorites/settings';
import { popupPageFor } from '../popup/page';
import { registerMenuItems, type MenuItem } from './menus';
import {
  CONTEXT_MENU_ID,
  contextMenuTarget,
  dispositionAction,
  omniboxDefault,
  omniboxSuggestions,
  omniboxTarget,
  type LookupDeps,
} from './handlers';

export * from './handlers';
export { primaryLink } from './links';
export { normalizeQuery, MAX_QUERY_LENGTH } from './query';

let searcher: Searcher | undefined;
let knownUrls: Set<string> | undefined;

/** Built on first use: a service worker that only relays messages never pays for it. */
function deps(): LookupDeps {
  searcher ??= createSearcher(searchIndex as unknown as SearchIndex);
  const s = searcher;
  return {
    search: (q, limit) => s.search(q, { limit }),
    getEntry,
    popupUrl: browser.runtime.getURL('/popup.html'),
    t,
  };
}

function isKnownUrl(url: string): boolean {
  knownUrls ??= new Set(catalog.flatMap((e) => e.links.map((l) => l.url)));
  return knownUrls.has(url);
}

// Firefox renders omnibox descriptions as plain text; Chrome parses them as XML.
const MARKUP = !import.meta.env.FIREFOX;

/**
 * A lookup opens the popup's page as a tab: the prerendered page of the user's language and
 * theme (as the toolbar's, utils/popup/page.ts), so its first paint is already theirs rather
 * than English in the system's theme until the script switches it.
 */
async function inChosenPage(url: string): Promise<string> {
  const base = browser.runtime.getURL('/popup.html');
  if (url !== base && !url.startsWith(`${base}?`)) return url;
  let page = 'popup.html';
  try {
    page = popupPageFor(await readSettings(), browser.i18n.getUILanguage());
  } catch {
    /* settings unreadable: the manifest's page, which switches language and theme itself */
  }
  return browser.runtime.getURL(`/${page}` as '/popup.html') + url.slice(base.length);
}

export async function openFromOmnibox(text: string, disposition: string | undefined): Promise<void> {
  const url = await inChosenPage(omniboxTarget(text, deps(), isKnownUrl));
  const action = dispositionAction(disposition);
  if (action.kind === 'update') await browser.tabs.update({ url });
  else await browser.tabs.create({ url, active: action.active });
}

export function suggestFor(text: string): { default: string; suggestions: { content: string; description: string }[] } {
  const d = deps();
  return { default: omniboxDefault(text, d, MARKUP), suggestions: omniboxSuggestions(text, d, { markup: MARKUP }) };
}

export async function openFromContextMenu(
  info: { menuItemId: string | number; selectionText?: string },
  tab?: { id?: number; index?: number },
): Promise<string | null> {
  if (info.menuItemId !== CONTEXT_MENU_ID) return null;
  const target = contextMenuTarget(info.selectionText, browser.runtime.getURL('/popup.html'));
  if (!target) return null;
  const url = await inChosenPage(target);
  // Next to the page the text came from, so closing the lookup tab returns the reader there.
  await browser.tabs.create({ url, ...(tab?.index !== undefined ? { index: tab.index + 1 } : {}) });
  return url;
}

/** The selection item: "Look up “%s” in MedNLP Lens". */
export const LOOKUP_MENU_ITEMS: readonly MenuItem[] = [{ id: CONTEXT_MENU_ID, titleKey: 'lookup_contextMenu', props: { contexts: ['selection'] } }];

/** The listeners registerLookup() adds, as registered (the end-to-end tests call them; see below). */
export interface LookupListeners {
  onInputChanged(text: string, suggest: (s: { content: string; description: string }[]) => void): void;
  onInputEntered(text: string, disposition?: string): Promise<void>;
  onContextMenuClicked(info: { menuItemId: string | number; selectionText?: string }, tab?: { id?: number; index?: number }): Promise<string | null>;
}

export interface LookupOptions {
  /** The background's UI language (one shared by every feature); by default this registration follows the setting itself. */
  language?: BackgroundLanguage;
  /** Create the menu item as the background starts (see ./menus); default: in the Firefox build. */
  createMenusAtStart?: boolean;
}

export function registerLookup(options: LookupOptions = {}): LookupListeners {
  const language = options.language ?? followSettingsLanguage();
  // Omnibox text in the user's language: a worker woken by typing waits for the setting once.
  const inLanguage = (fn: () => void) => (language.settled ? fn() : void language.ready.then(fn));
  const listeners: LookupListeners = {
    onInputChanged(text, suggest) {
      inLanguage(() => {
        const r = suggestFor(text);
        browser.omnibox.setDefaultSuggestion({ description: r.default });
        suggest(r.suggestions);
      });
    },
    onInputEntered: (text, disposition) => openFromOmnibox(text, disposition),
    onContextMenuClicked: (info, tab) => openFromContextMenu(info, tab),
  };
  browser.omnibox.onInputStarted.addListener(() => {
    inLanguage(() => browser.omnibox.setDefaultSuggestion({ description: suggestFor('').default }));
  });
  browser.omnibox.onInputChanged.addListener(listeners.onInputChanged);
  // A tab closed or a window gone before the lookup's tab opens: nothing left to open it in.
  browser.omnibox.onInputEntered.addListener((text, disposition) => void listeners.onInputEntered(text, disposition).catch(() => undefined));
  browser.contextMenus.onClicked.addListener((info, tab) => void listeners.onContextMenuClicked(info, tab).catch(() => undefined));
  registerMenuItems(LOOKUP_MENU_ITEMS, { language, createAtStart: options.createMenusAtStart });
  // No browser lets a script type into the address bar or click a context menu, so the
  // end-to-end tests reach these same listeners through the worker's global. Only
  // extension code (the service worker itself, or a debugger) can see this global.
  (globalThis as { cmedLookup?: LookupListeners }).cmedLookup = listeners;
  return listeners;
}
