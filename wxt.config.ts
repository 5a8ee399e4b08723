import { defineConfig } from 'wxt';
import preact from '@preact/preset-vite';
import fs from 'node:fs';
import path from 'node:path';
import type { Plugin } from 'vite';
import { POPUP_LANGS, POPUP_THEMES, popupPage } from './utils/popup/page';
import { htmlLang, type Lang } from './utils/ui-language';
import { privatePropsPattern } from './utils/annotator/private-props';

// Host access is limited to the three sites the annotator reads; everything else
// the extension needs ships inside it (no remote code, no network requests).
export const HOSTS = ['https://arxiv.org/*', 'https://aclanthology.org/*', 'https://github.com/*'];

// `npm run bench` builds a second copy of the extension around a synthetic 10,000-entry
// catalog: CMED_GENERATED points the generated data (catalog, search index, matcher
// table) at that copy and CMED_OUT_DIR keeps its build apart from the real one.
const generatedDir = path.resolve(process.env.CMED_GENERATED ?? 'generated');

/**
 * The build's plugins without WXT's auto-imports. `imports: false` turns off their type
 * declarations, not the unimport plugin, which still adds an import wherever it takes a
 * name for one of WXT's (wxt-dev/wxt#2206): the content-script shim's `get storage()` got
 * `wxt/utils/storage`, whose module pulled in `@wxt-dev/browser` and its top-level reads
 * of `globalThis` (22 bytes in every content script). Every import here is written out.
 */
export function withoutAutoImports(plugins: unknown[] | undefined): unknown[] {
  return (plugins ?? []).flatMap((p) => (Array.isArray(p) ? [withoutAutoImports(p)] : p && (p as Plugin).name === 'unimport' ? [] : [p]));
}

/**
 * Puts a page's stylesheets into its HTML as <style> elements. A module script does
 * not run while a stylesheet of its page is still loading, so a linked stylesheet
 * holds the popup's script (and so its first paint) until one more file has come
 * through the browser; inline, the script only waits for itself. The extension CSP
 * restricts scripts, not styles. A stylesheet a lazy chunk still refers to is left
 * linked.
 */
function inlineStylesheets(): Plugin {
  return {
    name: 'cmed:inline-stylesheets',
    enforce: 'post',
    generateBundle(_options, bundle) {
      const referenced = new Set<string>();
      for (const file of Object.values(bundle)) {
        if (file.type === 'chunk' && !file.isEntry) for (const css of file.viteMetadata?.importedCss ?? []) referenced.add(css);
      }
      for (const html of Object.values(bundle)) {
        if (html.type !== 'asset' || !html.fileName.endsWith('.html')) continue;
        html.source = String(html.source).replace(/<link rel="stylesheet"[^>]*? href="\/?([^"]+\.css)"[^>]*>/g, (tag, name: string) => {
          const css = bundle[name];
          if (!css || css.type !== 'asset' || referenced.has(name)) return tag;
          const text = String(css.source);
          if (/<\/style/i.test(text)) return tag;
          delete bundle[name];
          return `<style>${text}</style>`;
        });
      }
    },
  };
}

/**
 * The popup's pages with their first screen already in the HTML, so the browser paints
 * the catalog before the popup's module has loaded (the module then replaces it with the
 * live screen). The prerendered screens come from generated/popup-prerender.json (one per
 * UI language, see scripts/prerender-popup.tsx); a page cannot pick one without a script
 * that would hold up that first paint, so each language and theme gets its page, and the
 * background points the toolbar at the right one (utils/popup/page.ts). popup.html, the
 * manifest's, is English following the system theme. Runs after inlineStylesheets, on
 * the finished popup.html.
 */
function prerenderPopup(): Plugin {
  // Written next to popup.html once the bundle is on disk: WXT moves every HTML file of
  // the bundle to its entrypoint's place, and these belong to no entrypoint of their own.
  const pages = new Map<string, string>();
  return {
    name: 'cmed:prerender-popup',
    enforce: 'post',
    generateBundle(_options, bundle) {
      const html = Object.values(bundle).find((f) => f.type === 'asset' && f.fileName.endsWith('.html'));
      if (!html || html.type !== 'asset') return;
      const file = path.join(generatedDir, 'popup-prerender.json');
      if (!fs.existsSync(file)) throw new Error(`${file} is missing: run \`npm run gen\` first.`);
      const screens = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<Lang, string>;
      const source = String(html.source);
      const mount = '<div id="app"></div>';
      if (!source.includes(mount) || !source.includes('<html lang="en">')) throw new Error('popup.html lacks <html lang="en"> or <div id="app"></div>');
      for (const lang of POPUP_LANGS) {
        for (const theme of POPUP_THEMES) {
          const attrs = `lang="${htmlLang(lang)}"${theme === 'system' ? '' : ` data-theme="${theme}"`}`;
          const page = source
            .replace('<html lang="en">', `<html ${attrs}>`)
            .replace(mount, `<div class="cmed-prerender">${screens[lang]}</div>${mount}`);
          const fileName = popupPage(lang, theme);
          if (fileName === 'popup.html') html.source = page;
          else pages.set(fileName, page);
        }
      }
    },
    writeBundle(options) {
      for (const [fileName, page] of pages) fs.writeFileSync(path.join(options.dir!, fileName), page);
    },
  };
}

export default defineConfig({
  outDir: process.env.CMED_OUT_DIR ?? '.output',
  // The Firefox sources zip is what reviewers rebuild from: generated data and test
  // output are rebuilt or irrelevant, so they stay out of it.
  zip: { excludeSources: ['generated/**', 'tests/e2e/out/**', 'tests/bench/out/**', '.output/**'] },
  alias: {
    '@generated': generatedDir,
  },
  modules: ['@wxt-dev/webextension-polyfill'],
  hooks: {
    // The popup is built on its own rather than with the options page: sharing a build
    // splits their common code (Preact, i18n, components) into a shared chunk and a
    // shared stylesheet, and each file popup.html loads is another trip through the
    // browser before the first paint. Alone, the popup is one script and one stylesheet,
    // which is then inlined (see inlineStylesheets); the catalog, the index and the
    // searcher load after the first frame. The options page, left alone too, is also
    // one script and one stylesheet; the two pages no longer share files.
    'entrypoints:grouped'(_wxt, groups) {
      for (const group of groups) {
        if (!Array.isArray(group) || group.length < 2) continue;
        const i = group.findIndex((e) => e.type === 'popup');
        if (i < 0) continue;
        const [popup] = group.splice(i, 1);
        groups.push([popup]);
        return;
      }
    },
    // The polyfill module aliases `wxt/browser` for every entrypoint; content scripts, which
    // load on every page of the three sites, take a tiny shim instead (see utils/annotator/runtime.ts),
    // and a small context in place of WXT's (see utils/annotator/context.ts).
    'vite:build:extendConfig'(entrypoints, config) {
      config.plugins = withoutAutoImports(config.plugins) as typeof config.plugins;
      if (entrypoints.length === 1 && entrypoints[0].type === 'popup') {
        config.plugins = [...(config.plugins ?? []), inlineStylesheets(), prerenderPopup()];
        return;
      }
      if (!entrypoints.every((e) => e.type === 'content-script')) return;
      const shims = [
        { find: /^wxt\/browser$/, replacement: path.resolve('utils/annotator/runtime.ts') },
        { find: /^wxt\/utils\/content-script-context$/, replacement: path.resolve('utils/annotator/context.ts') },
      ];
      const alias = config.resolve?.alias;
      const list = Array.isArray(alias) ? alias : Object.entries(alias ?? {}).map(([find, replacement]) => ({ find, replacement: String(replacement) }));
      // First match wins: ahead of the polyfill's alias.
      config.resolve = { ...config.resolve, alias: [...shims, ...list] };
      // The scripts that load on every page of the three sites get terser's three-pass
      // compression, a few percent smaller than the default minifier's output, with the
      // function expressions terser makes when it inlines written as arrows (it leaves any
      // that use `this` or `arguments`; none of ours is called with `new`): 138 bytes; and
      // with property reads taken as free of side effects (pure_getters: none of ours reads
      // a property for its effect, such as forcing layout), which lets terser drop or
      // reorder unused reads: 74 more. Members of the scripts' own objects get one-letter
      // names (utils/annotator/private-props.ts lists them; nothing that crosses a script's
      // edge is among them): about 560 more. Their short names may be ones the platform also
      // uses (`builtins`): terser otherwise keeps every name of its DOM list out of the pool,
      // 16 single letters among them, and the names past the rest got two letters. Only the
      // listed names are renamed (none is a platform name: tests/unit/build/private-props.test.ts),
      // and never to a name the scripts' code uses for anything else.
      // CMED_PROFILE=1 keeps them readable for scripts/profile-annotator.ts (function names in the profile).
      config.build = process.env.CMED_PROFILE
        ? { ...config.build, minify: false }
        : { ...config.build, minify: 'terser', terserOptions: { ecma: 2020, compress: { passes: 3, unsafe_arrows: true, pure_getters: true }, format: { comments: false }, mangle: { properties: { regex: privatePropsPattern(), builtins: true } } } };
    },
  },
  imports: false,
  vite: () => ({
    plugins: [preact()],
    build: { target: 'es2022' },
  }),
  manifest: ({ browser, manifestVersion }) => ({
    name: '__MSG_extName__',
    description: '__MSG_extDescription__',
    default_locale: 'en',
    // `scripting` (MV3) injects the hover card's module into a page of the three sites on
    // first need, so the content script that runs on every page stays small; Firefox's MV2
    // build does the same with tabs.executeScript and its host access.
    permissions: ['storage', 'contextMenus', ...(manifestVersion === 3 ? ['scripting'] : [])],
    host_permissions: HOSTS,
    omnibox: { keyword: 'cmed' },
    // The shortcut that opens the toolbar popup: `_execute_action` in MV3; Firefox's MV2 build
    // needs `_execute_browser_action` (there, `_execute_action` is a plain command that opens nothing).
    commands: {
      [manifestVersion === 3 ? '_execute_action' : '_execute_browser_action']: {
        suggested_key: { default: 'Alt+Shift+M' },
        description: '__MSG_commandOpenPopup__',
      },
    },
    action: { default_title: '__MSG_extName__' },
    ...(browser === 'firefox'
      ? {
          browser_specific_settings: {
            gecko: {
              id: 'cmed-nlp-lens@example.org',
              strict_min_version: '142.0',
              data_collection_permissions: { required: ['none'] },
            },
          },
        }
      : {}),
  }),
});
