/**
 * Runtime access to the bundled catalog for extension pages and content scripts.
 * The data is trusted here because `npm run gen` / `catalog:check` validate it at build
 * time; that keeps zod out of the browser bundle. It is read from the generated copy
 * (`npm run gen`), which is data/catalog.json itself except in the benchmark's
 * synthetic 10,000-entry build.
 */
import data from '@generated/catalog.json';
import { countTopSections, type SectionCount } from './sections';
import type { Catalog, Entry } from './types';

export * from './types';

export const catalog: Catalog = data as Catalog;

export const entriesById: ReadonlyMap<string, Entry> = new Map(catalog.map((e) => [e.id, e]));

export function getEntry(id: string): Entry | undefined {
  return entriesById.get(id);
}

export type { SectionCount } from './sections';

/** The list's top-level sections in list order, with how many entries each holds. */
export function topSections(entries: Catalog = catalog): SectionCount[] {
  return countTopSections(entries);
}
