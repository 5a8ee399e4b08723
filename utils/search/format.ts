/**
 * The concrete layout behind the opaque {@link SearchIndex} of ./types.ts.
 * Tuples and parallel arrays rather than objects: the index for 10,000 entries
 * must parse and load in a few milliseconds, and keys repeated per entry would
 * dominate its size.
 */

/** Key types in the exact table, in the order exact hits rank. */
export const EXACT_TITLE = 0;
export const EXACT_NAME = 1;
export const EXACT_ID = 2;
export const EXACT_PINYIN = 3;

/** Where a gram occurred in an entry; the best place wins. */
export const AT_NAME_START = 3;
export const IN_NAME = 2;
export const IN_TEXT = 1;

export type DocTuple = [
  id: string,
  /** Index into {@link IndexData.kinds}. */
  kind: number,
  /** Indexes into {@link IndexData.sections}. */
  sections: number[],
  title: string,
  names: string[],
  summaryEn: string,
  summaryZh: string,
  venue: string,
  /** 0 when unknown. */
  year: number,
  /** Display forms of every ID: arXiv, ACL, DOI, GitHub owner/repo. */
  ids: string[],
  /**
   * Pinyin of [title, ...names], one space-separated syllable per UTF-16 unit of
   * the field (empty for punctuation; the ASCII letter itself for Latin), or ''
   * for fields without Chinese characters. Per-unit alignment is what lets a
   * pinyin hit highlight the very characters it matched.
   */
  pinyin: string[],
  /** The entry's search-only aliases (Entry.aliases), present only when it has some. */
  aliases?: string[],
];

export type IndexData = {
  version: 1;
  kinds: string[];
  /** [zh, en, subZh, subEn], '' for a missing sub-heading. */
  sections: [string, string, string, string][];
  docs: DocTuple[];
  /** Sorted (UTF-16 code unit order) n-grams of folded text and pinyin keys. */
  grams: string[];
  /** Per gram, encoded ascending `doc * 4 + place` (see AT_NAME_START…). */
  postings: string[];
  /** Sorted folded names, IDs and pinyin keys. */
  exactKeys: string[];
  /** Per key, encoded ascending `doc * 4 + keyType` (see EXACT_TITLE…). */
  exactPostings: string[];
  /**
   * Names for one-typo matching, bucketed by length: near[length] = [keys, postings].
   * Keys are folded, compact Latin names (title, names, the title's short name) of
   * NEAR_MIN_KEY…NEAR_MAX_KEY characters, sorted; postings encode ascending doc numbers.
   * A query compares itself only with the buckets of its own length ± 1.
   */
  near?: Record<string, [keys: string[], postings: string[]]>;
  /**
   * Traditional characters and their simplified forms, position by position
   * (one unit each), for the characters whose simplified form the catalog uses.
   * Queries are folded through it, so 醫渡雲 searches as 医渡云.
   */
  traditional?: [from: string, to: string];
  /**
   * Acronyms read off names (see acronymsOf in ./text.ts): sorted keys ("ehr", "mrc")
   * and per key, encoded ascending `doc * 2 + partial`, partial being 1 when the
   * acronym spells only the last words of a run ("mrc" in "Medical Machine Reading
   * Comprehension"), 0 when it spells all of them.
   */
  acronyms?: [keys: string[], postings: string[]];
};

/** Shortest and longest compact query the one-typo name match runs for. */
export const NEAR_MIN_QUERY = 4;
export const NEAR_MAX_QUERY = 8;
/** Key lengths kept in {@link IndexData.near}: the query lengths ± 1. */
export const NEAR_MIN_KEY = NEAR_MIN_QUERY - 1;
export const NEAR_MAX_KEY = NEAR_MAX_QUERY + 1;

export const D_ID = 0;
export const D_KIND = 1;
export const D_SECTIONS = 2;
export const D_TITLE = 3;
export const D_NAMES = 4;
export const D_SUM_EN = 5;
export const D_SUM_ZH = 6;
export const D_VENUE = 7;
export const D_YEAR = 8;
export const D_IDS = 9;
export const D_PINYIN = 10;
export const D_ALIASES = 11;
