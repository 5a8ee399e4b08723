import { defineConfig } from 'wxt';
import preact from '@preact/preset-vite';
import path from 'node:path';

// Host access is limited to the three sites the annotator reads; everything else
// the extension needs ships inside it (no remote code, no network requests).
export const HOSTS = ['https://arxiv.org/*', 'https://aclanthology.org/*', 'https://github.com/*'];

// `npm run bench` builds a second copy of the extension around a synthetic 10,000-entry
// catalog: CMED_GENERATED points the generated data (catalog, search index, matcher
// table) at that copy and CMED_OUT_DIR keeps its build apart from the real one.
const generatedDir = path.resolve(process.env.CMED_GENERATED ?? 'generated');

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
    // The polyfill module aliases `wxt/browser` for every entrypoint; content scripts, which
    // load on every page of the three sites, take a tiny shim instead (see utils/annotator/runtime.ts),
    // and a small context in place of WXT's (see utils/annotator/context.ts).
    'vite:build:extendConfig'(entrypoints, config) {
      if (!entrypoints.every((e) => e.type === 'content-script')) return;
      const shims = [
        { find: /^wxt\/browser$/, replacement: path.resolve('utils/annotator/runtime.ts') },
        { find: /^wxt\/utils\/content-script-context$/, replacement: path.resolve('utils/annotator/context.ts') },
      ];
      const alias = config.resolve?.alias;
      const list = Array.isArray(alias) ? alias : Object.entries(alias ?? {}).map(([find, replacement]) => ({ find, replacement: String(replacement) }));
      // First match wins: ahead of the polyfill's alias.
      config.resolve = { ...config.resolve, alias: [...shims, ...list] };
      // The scripts that load on every page of the three sites get terser's two-pass
      // compression, a few percent smaller than the default minifier's output.
      config.build = { ...config.build, minify: 'terser', terserOptions: { ecma: 2020, compress: { passes: 2 }, format: { comments: false } } };
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
    commands: {
      _execute_action: {
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
