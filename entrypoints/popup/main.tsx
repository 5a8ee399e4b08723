import { render } from 'preact';
import { resolveLanguage, setLanguage, t } from '../../utils/i18n';
import { App } from './App';
import { initialQuery } from './model';
import { applyTheme, loadUiPrefs } from './prefs';
import './style.css';

const prefs = loadUiPrefs();
const lang = resolveLanguage(prefs.language);
setLanguage(lang);
applyTheme(prefs.theme);
document.title = t('extName');
// Opened in a tab (context menu, omnibox) the page is far wider than the toolbar popup's 400px.
if (window.innerWidth > 600) document.documentElement.classList.add('as-tab');

render(<App initialQuery={initialQuery(location.search)} initialLang={lang} />, document.getElementById('app')!);
