import { render } from 'preact';
import { browser } from 'wxt/browser';
import { resolveLanguage, setLanguage, t } from '../../utils/i18n';
import { App } from './App';
import { loadAfterFirstFrame } from './data';
import { initialQuery } from './model';
import { applyTheme, loadUiPrefs, prerenderedPrefs } from './prefs';
import './style.css';

/** Whether this page is the toolbar button's popup (not a tab). */
function inToolbarPanel(): boolean {
  try {
    return browser.extension.getViews({ type: 'popup' }).includes(window);
  } catch {
    return false;
  }
}

loadAfterFirstFrame();

// Language and theme: a page prerendered for a language and theme other than popup.html's
// was picked from the settings (utils/popup/page.ts) and already shows them; otherwise the
// last settings this page saw (a cache, for popup.html and for the browser's own language).
const cached = loadUiPrefs();
const page = prerenderedPrefs(location.pathname, document.documentElement);
const lang = page?.lang ?? resolveLanguage(cached.language);
setLanguage(lang);
applyTheme(page?.theme ?? cached.theme);
document.title = t('extName');
// Opened in a tab (context menu, omnibox) the page is far wider than the toolbar popup's 400px.
// Never in the toolbar's own panel, whose width some browsers settle only after this runs.
if (window.innerWidth > 600 && !inToolbarPanel()) document.documentElement.classList.add('as-tab');

// popup.html carries the first screen prerendered (see wxt.config.ts): the browser can
// paint the catalog while this module is still loading. The live screen replaces it here,
// in one task, so no frame shows both; whatever the reader typed into it carries over.
const prerendered = document.querySelectorAll<HTMLElement>('.cmed-prerender');
const typed = document.querySelector<HTMLInputElement>('.cmed-prerender input#cmed-search')?.value ?? '';
render(<App initialQuery={initialQuery(location.search) || typed} initialLang={lang} />, document.getElementById('app')!);
for (const el of prerendered) el.remove();
