/**
 * The popup's full data — catalog and searcher — loaded after the first paint.
 * The first screen is painted from the small prebuilt ./first-screen.ts payload;
 * everything else (detail, filters, search, "show more") needs what is loaded here.
 * Dynamic imports put the catalog and the index JSON (7 + 12 MB at 10,000 entries)
 * in chunks of their own, and the searcher's code (fuse.js included, a fifth of the
 * popup's script) comes in a third, fetched alongside them: the first screen's script
 * carries only what the first screen needs. Once loaded the data stays for the page's
 * life, so a second mount (tests) is immediate.
 */
import type { Catalog, Entry } from '../../utils/catalog/types';
import type { SearchIndex, Searcher } from '../../utils/search/types';

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
  loading ??= Promise.all([import('@generated/catalog.json'), import('@generated/search-index.json'), import('../../utils/search')]).then(
    ([cat, index, { createSearcher }]) => {
      // Trusted like utils/catalog's copy: `npm run gen` validated it.
      const catalog = cat.default as Catalog;
      const byId = new Map(catalog.map((e) => [e.id, e]));
      loaded = {
        catalog,
        getEntry: (id) => byId.get(id),
        searcher: createSearcher(index.default as unknown as SearchIndex),
      };
      performance.mark('cmed:data-ready');
      prepareWhenIdle(loaded.searcher);
      return loaded;
    },
    (err: unknown) => {
      loading = undefined; // let a later call try again
      throw err;
    },
  );
  return loading;
}

/**
 * Starts the load right after the first frame: early enough that a reader rarely
 * types before it is done, late enough that parsing megabytes of JSON (10,000
 * entries) cannot hold up the first paint. main.tsx calls it before it renders,
 * in the same task.
 */
export function loadAfterFirstFrame(): void {
  const start = () =>
    void loadData().catch(() => {
      /* retried by the next caller */
    });
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(() => setTimeout(start, 0));
  else setTimeout(start, 0);
}

/** Queries run once in idle time so the first real keystroke meets compiled code (prefix, pinyin, fuzzy paths). */
const WARM_UP = ['m', 'medi', 'tnb', 'bioemdical'];

/**
 * Readies the searcher in idle time after the data has loaded. First a few throwaway
 * queries, one per idle period: until the engine has compiled the search code, the
 * first keystrokes ran it interpreted, several times slower. Then, in short slices,
 * the per-entry views and fuzzy records that queries otherwise build for the entries
 * they touch. Slices are short, so a keystroke waits little.
 */
function prepareWhenIdle(searcher: Searcher): void {
  const idle = (fn: () => void) =>
    typeof requestIdleCallback === 'function' ? requestIdleCallback(fn, { timeout: 200 }) : setTimeout(fn, 1);
  let warm = 0;
  const step = () => {
    if (warm < WARM_UP.length) searcher.search(WARM_UP[warm++]);
    else if (!searcher.prepare || searcher.prepare(4)) return;
    idle(step);
  };
  idle(step);
}
