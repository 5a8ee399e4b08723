/**
 * Build-time data step: derives the popup's search index and the annotator's
 * compiled name table from data/catalog.json into generated/ (git-ignored).
 * `npm run gen` runs it before typecheck, tests and builds.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCatalogFile } from '../utils/catalog/node';
import { buildSearchIndex } from '../utils/search/build';
import { buildMatcherData } from '../utils/matcher/build';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'generated');
fs.mkdirSync(out, { recursive: true });

const catalog = loadCatalogFile(path.join(root, 'data', 'catalog.json'));
const write = (name: string, value: unknown) => {
  const file = path.join(out, name);
  fs.writeFileSync(file, JSON.stringify(value));
  console.log(`gen: ${path.relative(root, file)} ${(fs.statSync(file).size / 1024).toFixed(1)} KB`);
};
write('search-index.json', buildSearchIndex(catalog));
write('matcher.json', buildMatcherData(catalog));
