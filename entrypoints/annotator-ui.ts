import { defineUnlistedScript } from 'wxt/utils/define-unlisted-script';
import { createUi, type CreateUi } from '../utils/annotator/card';
import { browser, sendMessage } from '../utils/annotator/runtime';
import { touchesFavorites } from '../utils/favorites/keys';
import { UI_GLOBAL } from '../utils/annotator/ui';

/**
 * The hover card and page banner, kept out of the content script that loads on every page
 * of the three sites. The background injects this file into a page's isolated world the
 * first time the annotator needs it (utils/annotator/content.ts `loadUi`); it only hands
 * over the factory, with what it needs of its own to mark the badges of saved entries: which entries
 * are saved (asked of the background) and when favorites change (storage).
 */
export default defineUnlistedScript(() => {
  const create: CreateUi = (h) =>
    createUi({
      ...h,
      savedIds: () => sendMessage('annotator:saved', undefined),
      watchSaved(fn) {
        const listener = (changes: Record<string, unknown>, area: string) => {
          if (touchesFavorites(changes, area)) fn();
        };
        browser.storage.onChanged.addListener(listener);
        return () => browser.storage.onChanged.removeListener(listener);
      },
    });
  (globalThis as unknown as Record<string, unknown>)[UI_GLOBAL] = create;
});
