/**
 * Build-time step (run by scripts/gen-data.ts after it has written popup-first.json):
 * renders the popup's first screen, the live App component as its first commit renders
 * it, to HTML in each UI language, into generated/popup-prerender.json. The popup build
 * writes one popup page per language and theme around it (see wxt.config.ts), so the
 * browser paints the catalog from the HTML alone, before the popup's module has loaded;
 * the module then replaces it with the live screen. Runs with the
 * test config (`vite-node -c vitest.config.ts`) for its aliases and fake browser;
 * rendering runs no effects, so nothing here touches browser.* or storage.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderToString } from 'preact-render-to-string';
import { App } from '../entrypoints/popup/App';
import { setLanguage, type Lang } from '../utils/i18n';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.resolve(root, process.env.CMED_GENERATED ?? 'generated');

const pages: Record<Lang, string> = { en: '', zh_CN: '' };
for (const lang of Object.keys(pages) as Lang[]) {
  setLanguage(lang);
  pages[lang] = renderToString(<App initialLang={lang} />);
}
const file = path.join(out, 'popup-prerender.json');
fs.writeFileSync(file, JSON.stringify(pages));
console.log(`gen: ${path.relative(root, file)} ${(fs.statSync(file).size / 1024).toFixed(1)} KB`);
