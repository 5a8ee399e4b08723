/**
 * Build-time data step: validates data/catalog.json and derives from it, into
 * generated/ (git-ignored), what the extension ships: the catalog as pages read it,
 * the popup's prebuilt search index (pinyin keys and the traditional-character table are
 * computed here, so the popup never ships pinyin-pro or opencc-js), the popup's first
 * screen (the rows it paints before the catalog and the index have loaded) and the
 * annotator's compiled name table.
 * `npm run gen` runs it before typecheck, tests and builds.
 *
 * With CMED_SYNTHETIC=<n> and CMED_GENERATED=<dir> it writes the same files for
 * the real catalog padded with synthetic entries up to n, for the benchmark build.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCatalogFile } from '../utils/catalog/node';
import { buildSearchIndex } from '../utils/search/build';
import { openccSimplify } from '../utils/search/traditional';
import { buildMatcherData } from '../utils/matcher/build';
import { buildFirstScreen } from '../entrypoints/popup/first-screen';
import type { Catalog } from '../utils/catalog/types';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.resolve(root, process.env.CMED_GENERATED ?? 'generated');
fs.mkdirSync(out, { recursive: true });

let catalog: Catalog = loadCatalogFile(path.join(root, 'data', 'catalog.json'));
const synthetic = Number(process.env.CMED_SYNTHETIC ?? 0);
if (synthetic > catalog.length) {
  const { syntheticCatalog } = await import('../tests/bench/synthetic-catalog');
  catalog = [...catalog, ...syntheticCatalog(synthetic - catalog.length)];
}

const write = (name: string, value: unknown) => {
  const file = path.join(out, name);
  fs.writeFileSync(file, JSON.stringify(value));
  console.log(`gen: ${path.relative(root, file)} ${(fs.statSync(file).size / 1024).toFixed(1)} KB`);
};
write('catalog.json', catalog);
// OpenCC runs here only: the index carries the small traditional → simplified table the popup folds queries with.
write('search-index.json', buildSearchIndex(catalog, { simplify: openccSimplify() }));
write('matcher.json', buildMatcherData(catalog));
write('popup-first.json', buildFirstScreen(catalog));

// The popup's prerendered first screen renders the App component, which needs the
// test config's aliases (@generated, the fake browser): a step of its own.
execFileSync('npx', ['vite-node', '-c', 'vitest.config.ts', 'scripts/prerender-popup.tsx'], { cwd: root, stdio: 'inherit', env: process.env });
