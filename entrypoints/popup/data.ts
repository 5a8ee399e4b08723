/**
 * The popup's full data — catalog and searcher — loaded after the first paint.
 * The first screen is painted from the small prebuilt ./first-screen.ts payload;
 * everything else (detail, filters, search, "show more") needs what is loaded here.
 * Dynamic imports put the catalog and the index in chunks of their own; once
 * loaded they stay for the page's life, so a second mount (tests) is immediate.
 */
import type { Catalog, Entry } from '../../utils/catalog/types';
import type { Searcher } from '../../utils/search/types';

export interface FullData {
  catalog: Catalog;
  getEntry(id: string): Entry | undefined;
  searcher: Searcher;
}

let loaded: FullData | undefined;
let loading: Promise<FullData> | undefined;

/** The full data if it has loaded, without starting a load. */
export function loadedData(): FullData | undefined {
  return loaded;
}

/** Starts the load once; every caller gets the same promise. */
export function loadData(): Promise<FullData> {
  loading ??= Promise.all([import('../../utils/catalog'), import('./search-data')]).then(([cat, search]) => {
    loaded = { catalog: cat.catalog, getEntry: cat.getEntry, searcher: search.searcher };
    return loaded;
  });
  return loading;
}
