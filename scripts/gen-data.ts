/**
 * Build-time data step: derives the search index and the annotator's compiled
 * name table from data/catalog.json into generated/ (git-ignored).
 * Runs before typecheck, tests and builds (`npm run gen`).
 */
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname ?? '.', '..');
const out = path.join(root, 'generated');
fs.mkdirSync(out, { recursive: true });
