/** Catalog loading for build scripts and tests (Node only: reads the file system). */
import fs from 'node:fs';
import { validateCatalog } from './schema';
import type { Catalog } from './types';

/** Reads and validates a catalog file; throws one error that lists every problem found. */
export function loadCatalogFile(path: string): Catalog {
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(`cannot read catalog ${path}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const result = validateCatalog(json);
  if (!result.ok) {
    const n = result.errors.length;
    throw new Error(`invalid catalog ${path} (${n} problem${n === 1 ? '' : 's'}):\n  ${result.errors.join('\n  ')}`);
  }
  return result.catalog;
}
