/**
 * Contract of the recognition engine (utils/matcher). Pure TypeScript: text in,
 * typed matches with offsets out; it never sees the DOM.
 */
import type { EntryIds } from '../catalog/types';

/** Compact, JSON-serialisable form of the catalog's names and IDs, built once (at build time). */
export interface MatcherData {
  version: 1;
  /** Entry ids, indexed by the numbers used below. */
  entries: string[];
  /** Whatever the engine needs (names, flags, ID tables); opaque to callers. */
  [key: string]: unknown;
}

export interface TextMatch {
  /** UTF-16 offsets into the scanned string, end exclusive. */
  start: number;
  end: number;
  entryId: string;
  /** 'name' for a title/alias hit, 'id' for an identifier (arXiv, ACL, DOI, GitHub). */
  via: 'name' | 'id';
}

/** What the page itself says about which entries it is about (IDs in URL, meta tags, links). */
export interface ScanContext {
  /** Entries already evidenced on the page (by ID or a distinctive name): short names of these may fire. */
  supportedIds?: ReadonlySet<string>;
  /**
   * Called with the entry of a guarded name that was found but refused only for want of
   * support: the text would give a mention if the page supported that entry.
   */
  missed?: (entryId: string) => void;
}

export interface Matcher {
  /** All non-overlapping mentions in `text`, longest match wins, ordered by start. */
  scan(text: string, ctx?: ScanContext): TextMatch[];
  /**
   * Streams text through the automaton without the boundary and guard rules: reads
   * `text[from, to)` from `state` (0 to begin) and returns the state to go on from with the
   * text that follows. It stops at the first place where a name or identifier ends in any
   * form: {@link hitEnd} then tells where. Text that streams through to `to` without a
   * candidate holds no mention in any part of it.
   */
  feed(text: string, from: number, to: number, state: number): number;
  /** After {@link feed}: where its candidate ends (exclusive offset in its text, at most `to`), or `to + 1` when it found none. */
  hitEnd: number;
  /** Entry for an identifier, if the catalog has one (none for a kind other than an ID kind's). */
  byId(kind: keyof EntryIds, id: string): string | undefined;
}

/**
 * The compiled matcher in transferable form: what the background sends the content
 * script (packMatcher in pack.ts builds it, loadMatcher in runtime.ts turns it into a
 * {@link Matcher}). Plain JSON: strings, numbers and arrays of small non-negative
 * integers (JSON.parse and the typed-array constructor read those natively: no decoding
 * loop runs in the page).
 *
 * The automaton's states are numbered breadth first, children in symbol order, so the
 * children of a state are consecutive and edge e (in state, symbol order) leads to state
 * e + 1; the states with a dense row are the first `rows` ones.
 */
export interface PackedMatcher {
  version: 1;
  /** Entry ids, indexed by the pattern table's entry numbers. */
  entries: string[];
  /** Number of folded ASCII symbols (1 … dense); dense + 1 is the separator symbol. */
  dense: number;
  /** The first `rows` states get a complete transition row. */
  rows: number;
  /** Code unit → symbol, for the non-zero ones: (code gap, symbol) pairs in code order. */
  sym: number[];
  /** Code unit → character class bits, as (run length, class) pairs. */
  cls: number[];
  /** Edges of state s: first[s] … first[s + 1] (one more entry than states). */
  first: number[];
  /** Symbol of each edge. */
  edge: number[];
  /** Failure link of each state. */
  fail: number[];
  /** Per pattern: the state that ends it, its folded length, its entry number and its bits (flags, word sides, ID kind). */
  end: number[];
  lens: number[];
  entry: number[];
  bits: number[];
  /** Published spellings (exact-case rule) of guarded patterns, in pattern order, '\n'-separated; `exactAt` says whose. */
  exact: string;
  exactAt: number[];
  /** Per ID kind: "\nkey entry" lines (key as ids.ts `idKey` gives it), for byId. */
  ids: Record<keyof EntryIds, string>;
  /** (pattern, entry) pairs: another entry that lists the pattern's name, as MatcherTables `shared` says. */
  alt?: number[];
}
