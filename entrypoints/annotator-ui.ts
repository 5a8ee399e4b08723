import { defineUnlistedScript } from 'wxt/utils/define-unlisted-script';
import { createUi } from '../utils/annotator/card';
import { UI_GLOBAL } from '../utils/annotator/ui';

/**
 * The hover card and page banner, kept out of the content script that loads on every page
 * of the three sites. The background injects this file into a page's isolated world the
 * first time the annotator needs it (utils/annotator/content.ts `loadUi`); it only hands
 * over the factory.
 */
export default defineUnlistedScript(() => {
  (globalThis as unknown as Record<string, unknown>)[UI_GLOBAL] = createUi;
});
