/**
 * Which of the popup's prerendered pages the toolbar button opens. The popup's HTML
 * carries its first screen already rendered (scripts/prerender-popup.tsx), so the
 * browser paints the catalog before any script has run; language and theme are baked
 * into each page, one page per combination (built by wxt.config.ts), since a page
 * cannot choose between them without a script that would hold up that first paint.
 * The background keeps the toolbar pointed at the page that matches the settings.
 */
import { browser } from 'wxt/browser';
import type { Settings, Theme } from '../favorites/types';
import { readSettings, watchSettings } from '../favorites/settings';
import { languageFor, type Lang } from '../ui-language';

export const POPUP_LANGS: readonly Lang[] = ['en', 'zh_CN'];
export const POPUP_THEMES: readonly Theme[] = ['system', 'light', 'dark'];

/** The page for a language and theme: popup.html (the manifest's) for English following the system theme. */
export function popupPage(lang: Lang, theme: Theme): string {
  return lang === 'en' && theme === 'system' ? 'popup.html' : `popup-${lang}-${theme}.html`;
}

/** The page that matches `settings` in a browser whose UI speaks `uiLanguage`. */
export function popupPageFor(settings: Pick<Settings, 'language' | 'theme'>, uiLanguage: string): string {
  return popupPage(languageFor(settings.language, uiLanguage), settings.theme);
}

type ActionApi = { setPopup(details: { popup: string }): Promise<void> | void };

/** Points the toolbar button at the page for `settings` (MV3 `action`, MV2 `browserAction`). */
export async function applyPopupPage(settings: Pick<Settings, 'language' | 'theme'>): Promise<string> {
  const popup = popupPageFor(settings, browser.i18n.getUILanguage());
  const b = browser as unknown as { action?: ActionApi; browserAction?: ActionApi };
  await (b.action ?? b.browserAction)?.setPopup({ popup });
  return popup;
}

/**
 * Background: sets the page now (the setting is not kept across browser restarts, and
 * the worker may have been started by anything) and again whenever the settings change,
 * here or from another device.
 */
export function registerPopupPage(): () => void {
  const apply = (s: Settings) =>
    applyPopupPage(s).catch(() => {
      /* the manifest's page stays; the popup switches language and theme itself once open */
    });
  void readSettings().then(apply, () => undefined);
  return watchSettings((s) => void apply(s));
}
