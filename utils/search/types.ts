/** Contract of the popup's search (utils/search). */
import type { Kind } from '../catalog/types';

/** Prebuilt at build time (pinyin keys, n-gram postings); JSON-serialisable. */
export interface SearchIndex {
  version: 1;
  [key: string]: unknown;
}

export interface SearchOptions {
  limit?: number;
  kinds?: Kind[];
  /** Filter by a top-level section, by its Chinese heading. */
  section?: string;
}

export interface Highlight {
  /** Which field the ranges index into: 'title' | 'names.<i>' | 'summary.en' | 'summary.zh' | ... */
  field: string;
  ranges: [start: number, endExclusive: number][];
}

export interface SearchHit {
  entryId: string;
  /** Lower is better (0 = exact). */
  score: number;
  highlights: Highlight[];
}

export interface Searcher {
  search(query: string, opts?: SearchOptions): SearchHit[];
  /**
   * Does the per-entry preparation a query would otherwise do on first touch, for
   * up to `budgetMs`, so idle time before the first keystroke is not wasted. Returns
   * true once every entry is prepared. Optional to call; results never depend on it.
   */
  prepare?(budgetMs: number): boolean;
}
