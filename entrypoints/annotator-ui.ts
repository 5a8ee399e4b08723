import { defineUnlistedScript } from 'wxt/utils/define-unlisted-script';
import { createUi, type CreateUi } from '../utils/annotator/card';
import { browser, sendMessage } from '../utils/annotator/runtime';
import { touchesFavorites } from '../utils/favorites/keys';
import { UI_GLOBAL } from '../utils/annotator/ui';

/**
 * The hover card and page banner, kept out of the content script that loads on every page
 * of the three sites. The background injects this file into a page's isolated world the
 * first time the annotator needs it (utils/annotator/content.ts `loadUi`); it only hands
 * over the factory, with what it asks of the background itself (card data, saving, which entries
 * are saved, to mark the badges of saved entries) and when favorites change (storage). The
 * content script carries none of that code.
 */
export default defineUnlistedScript(() => {
  const create: CreateUi = (h) =>
    createUi({
      ...h,
      // Card data in the language of the strings the page was given, even after the language
      // setting changed: one card never mixes two.
      loadCard: (id) => sendMessage('catalog:card', { id, lang: h.strings.card_lang }),
      save: (id) => sendMessage('favorites:save', { entryId: id }),
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
