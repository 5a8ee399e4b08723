/**
 * Section counts as a pure function of a catalog, so build scripts (scripts/gen-data.ts,
 * which cannot import the bundled catalog) and pages compute them the same way.
 */
import { TOP_SECTIONS, type Catalog } from './types';

export interface SectionCount {
  zh: string;
  en: string;
  /** Entries filed under this heading; an entry listed twice under it counts once. */
  count: number;
}

/** The list's top-level sections in list order, with how many entries each holds. */
export function countTopSections(entries: Catalog): SectionCount[] {
  return TOP_SECTIONS.map(({ zh, en }) => ({
    zh,
    en,
    count: entries.filter((e) => e.sections.some((s) => s.zh === zh)).length,
  }));
}
