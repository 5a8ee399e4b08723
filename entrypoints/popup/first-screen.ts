/**
 * The popup's first screen, prebuilt by scripts/gen-data.ts into
 * generated/popup-first.json: section counts, kinds, and just the rows the browse
 * view shows before "show more". The popup bundles only this; the full catalog and
 * the search index load after the first paint (./data.ts), so opening the popup
 * does not parse megabytes of JSON at 10,000 entries.
 */
import type { Catalog, Kind } from '../../utils/catalog/types';
import { countTopSections, type SectionCount } from '../../utils/catalog/sections';
import { NO_FILTERS, browseCap, browseGroups, kindsInCatalog, type EntryRow } from './model';

export interface FirstGroup {
  zh: string;
  en: string;
  /** Entries in the section (no filters apply on the first screen). */
  total: number;
  /** Indexes into {@link FirstScreen.rows} of the group's first rows, in list order. */
  rows: number[];
}

export interface FirstScreen {
  /** Entries in the catalog. */
  count: number;
  sections: SectionCount[];
  kinds: Kind[];
  groups: FirstGroup[];
  /** Each entry shown on the first screen once, however many groups hold it. */
  rows: EntryRow[];
}

/** Deterministic for a given catalog; mirrors what the popup computes from the full catalog. */
export function buildFirstScreen(catalog: Catalog): FirstScreen {
  const sections = countTopSections(catalog);
  const groups = browseGroups(catalog, sections, NO_FILTERS);
  const cap = browseCap(groups.map((g) => g.entries.length));
  const rows: EntryRow[] = [];
  const rowOf = new Map<string, number>();
  const first = groups.map((g) => ({
    zh: g.zh,
    en: g.en,
    total: g.total,
    rows: g.entries.slice(0, cap).map((e) => {
      let i = rowOf.get(e.id);
      if (i === undefined) {
        i = rows.length;
        rowOf.set(e.id, i);
        // Only what a browse row shows; the detail view waits for the full entry.
        rows.push({ id: e.id, title: e.title, kind: e.kind, ...(e.year ? { year: e.year } : {}), summary: e.summary });
      }
      return i;
    }),
  }));
  return { count: catalog.length, sections, kinds: kindsInCatalog(catalog), groups: first, rows };
}
