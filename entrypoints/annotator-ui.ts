import { defineUnlistedScript } from 'wxt/utils/define-unlisted-script';
import { createUi, type CreateUi } from '../utils/annotator/card';
import { sendMessage } from '../utils/annotator/runtime';
import { UI_GLOBAL } from '../utils/annotator/ui';

/**
 * The hover card and page banner, kept out of the content script that loads on every page
 * of the three sites. The background injects this file into a page's isolated world the
 * first time the annotator needs it (utils/annotator/content.ts `loadUi`); it only hands
 * over the factory, with the one background call of its own (which entries are saved, to mark their badges).
 */
export default defineUnlistedScript(() => {
  const create: CreateUi = (h) => createUi({ ...h, savedIds: () => sendMessage('annotator:saved', undefined) });
  (globalThis as unknown as Record<string, unknown>)[UI_GLOBAL] = create;
});
