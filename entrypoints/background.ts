import { defineBackground } from 'wxt/utils/define-background';
import { browser } from 'wxt/browser';
import { dispatch, type Handlers } from '../utils/messages';
import { registerAnnotator } from '../utils/annotator/background';
import { registerReinjection } from '../utils/annotator/reinject';
import { registerLookup } from '../utils/lookup';
import { followSettingsLanguage } from '../utils/lookup/language';
import { registerPopupPage } from '../utils/popup/page';
import { createFavoritesHandlers } from '../utils/favorites/writer';
import { getEntry } from '../utils/catalog';
import { flashBadge, registerSaveMenu } from '../utils/favorites/context-menu';
import { createMatcher, type UrlMatcher } from '../utils/matcher';
import type { MatcherData } from '../utils/matcher/types';
import matcherData from '@generated/matcher.json';

/**
 * The background is the message hub and the only writer of favorites and settings.
 * Each feature area contributes plain handler functions (unit-tested on their own);
 * listeners are registered synchronously so the MV3 service worker wakes for them.
 */
export default defineBackground(() => {
  const handlers: Partial<Handlers> = {};
  // First, so the pages and content scripts are answered whatever a later registration meets.
  browser.runtime.onMessage.addListener((msg: unknown, sender) => {
    // Our pages have extension URLs; a content script's sender is the web page it runs in
    // (dispatch serves those only what the content script needs).
    const ours = sender.id === browser.runtime.id && sender.url?.startsWith(browser.runtime.getURL('/')) === true;
    return dispatch(handlers, msg, { tabId: sender.tab?.id, frameId: sender.frameId, url: sender.tab?.url ?? sender.url, ours });
  });
  // A browser without the address bar keyword or context menus (Firefox for Android) skips those
  // features rather than stopping the background's start at them.
  const optional = (register: () => void) => {
    try {
      register();
    } catch {
      /* this browser lacks the API */
    }
  };
  // Feature areas register their handlers and listeners below, one line each.
  registerAnnotator(handlers);
  // Pages open when the extension is installed or updated get the new content scripts (Chrome).
  registerReinjection();
  // Menu titles and omnibox text in the UI language the user chose (settings.language).
  const language = followSettingsLanguage();
  optional(() => registerLookup({ language }));
  registerPopupPage();
  Object.assign(handlers, createFavoritesHandlers({ getEntry }));
  let matcher: UrlMatcher | undefined;
  optional(() =>
    registerSaveMenu({
      entryForUrl: (url) => (matcher ??= createMatcher(matcherData as MatcherData)).byUrl(url),
      save: (data, sender) => handlers['favorites:save']!(data, sender),
      flash: flashBadge,
    }, { language }),
  );
});
