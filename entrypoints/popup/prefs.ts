/**
 * The popup paints before the background answers 'settings:get', so the last known
 * language and theme are mirrored in the page's localStorage (synchronous, local to
 * the extension origin) to avoid a flash of the wrong language or theme on open.
 * Settings in storage stay the source of truth; this is only a cache.
 */
import { DEFAULT_SETTINGS, type SiteKey, type Theme, type UiLanguage } from '../../utils/favorites/types';
import { htmlLang, type Lang } from '../../utils/ui-language';

const KEY = 'cmed:popup-ui';

export interface UiPrefs {
  language: UiLanguage;
  theme: Theme;
  /** The per-site switches as last read, shown by "On this page" until the settings arrive. */
  sites?: Partial<Record<SiteKey, boolean>>;
}

export function loadUiPrefs(): UiPrefs {
  try {
    const raw = JSON.parse(localStorage.getItem(KEY) ?? 'null') as Partial<UiPrefs> | null;
    const sites: Partial<Record<SiteKey, boolean>> = {};
    for (const k of Object.keys(DEFAULT_SETTINGS.sites) as SiteKey[]) if (typeof raw?.sites?.[k] === 'boolean') sites[k] = raw.sites[k];
    return {
      language: raw?.language === 'en' || raw?.language === 'zh_CN' ? raw.language : 'auto',
      theme: raw?.theme === 'light' || raw?.theme === 'dark' ? raw.theme : 'system',
      sites,
    };
  } catch {
    return { language: 'auto', theme: 'system', sites: {} };
  }
}

export function saveUiPrefs(prefs: UiPrefs): void {
  try {
    localStorage.setItem(KEY, JSON.stringify(prefs));
  } catch {
    /* storage disabled: the next open just repaints once */
  }
}

/** 'system' leaves the attribute off so prefers-color-scheme decides (and follows the OS live). */
export function applyTheme(theme: Theme, root: HTMLElement = document.documentElement): void {
  if (theme === 'light' || theme === 'dark') root.dataset.theme = theme;
  else delete root.dataset.theme;
}

/**
 * The language and theme a prerendered popup page other than popup.html was built for
 * (from its <html> attributes, see wxt.config.ts), or null for popup.html and pages
 * without a prerendered screen.
 */
export function prerenderedPrefs(pathname: string, root: HTMLElement): { lang: Lang; theme: Theme } | null {
  if (!/^\/?popup-[^/]+\.html$/.test(pathname) || !root.querySelector('.cmed-prerender')) return null;
  const t = root.dataset.theme;
  return { lang: root.lang === htmlLang('zh_CN') ? 'zh_CN' : 'en', theme: t === 'light' || t === 'dark' ? t : 'system' };
}
