/**
 * Validates data/catalog.json against utils/catalog/schema.ts.
 * Run: npx vite-node scripts/check-catalog.ts [path]. Exits 1 when the catalog is invalid.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { validateCatalog } from '../utils/catalog/schema';
import { KINDS } from '../utils/catalog/types';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const file = path.resolve(process.argv[2] ?? path.join(root, 'data', 'catalog.json'));
const shown = path.relative(process.cwd(), file) || file;

let json: unknown;
try {
  json = JSON.parse(fs.readFileSync(file, 'utf8'));
} catch (err) {
  console.error(`${shown}: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}

const result = validateCatalog(json);
if (!result.ok) {
  console.error(`${shown}: ${result.errors.length} problem(s)`);
  for (const e of result.errors) console.error(`  ${e}`);
  process.exit(1);
}

const byKind = KINDS.map((k) => [k, result.catalog.filter((e) => e.kind === k).length] as const)
  .filter(([, n]) => n > 0)
  .map(([k, n]) => `${k} ${n}`);
console.log(`${shown}: ${result.catalog.length} entries OK (${byKind.join(', ')})`);
