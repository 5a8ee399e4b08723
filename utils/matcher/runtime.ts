/**
 * The recognition engine's runtime, the part the content script bundles: {@link loadMatcher}
 * turns a {@link PackedMatcher} (an Aho–Corasick automaton over folded character codes,
 * compiled in the background by pack.ts) into a {@link Matcher}; {@link Matcher.scan} then
 * reads the text once, left to right, without allocating per character.
 *
 * ## What counts as a match
 *
 * Text and names are compared after folding (see normalize.ts): case, full/half width,
 * and separators (spaces, line breaks, hyphens, soft hyphens) do not matter, so
 * "Bio-BERT", "bio\nbert" and "BioBERT" are one name and "Bio-\nmedical" reads "Biomedical".
 * On top of that, every candidate must pass boundary rules checked on the ORIGINAL text:
 *
 * 1. **Word boundaries (Latin).** A name whose first character is a Latin letter or digit must
 *    not start inside a word: the character before it is not a letter/digit, and not a hyphen
 *    glued to a preceding word ("non-MIE" does not contain "MIE"). A name whose last character
 *    is a Latin letter or digit must not end inside a word ("MIE" is not in "MIEDO", "LATTE" not in
 *    "LATTES"); a hyphen after it is fine ("BioBERT-base") unless it is a line-end hyphenation.
 *    Chinese (CJK) characters count as boundaries, so "使用MIE模型" is fine.
 * 2. **CJK names** match anywhere: the side of a name that is a CJK character has no boundary rule.
 * 3. **Whole titles** (names of ≥ 3 words, flag F_WHOLE): match only whole, i.e. no word may stand
 *    before or after them with only spaces in between (a line break counts as a space: in a block of rendered
 *    text it is where the page's source wrapped a line). Punctuation, quotes, brackets, the start or
 *    end of the text, or CJK characters may. So "Medical Entity Linking using Triplet Network" fires in
 *    "2019. Medical Entity Linking using Triplet Network. In Proc…" but not in
 *    "Improving Medical Entity Linking using Triplet Network Ensembles".
 * 4. **Guarded names** (short ≤ 5 letters/digits, or common words; flag F_GUARD) fire only if
 *    a. `ctx.supportedIds` contains their entry (the page evidences it by ID or title), or
 *    b. (not for names made only of everyday words, flag F_PROSE: "Medical-Dialogue-System",
 *       "中文医学知识图谱" — these need (a)) the text has the name's exact published case AND one of: the published spelling has
 *       distinctive case ("FedED", "CMeKG": flag F_CASE), or a colon follows ("MIE: A Medical …",
 *       title style), or a citation follows ("LATTE (Zhu et al., 2020)", "LATTE [12]").
 *    So "mie", "Mie", "latte", "LATTE" in prose, "fed ed" stay quiet.
 * 5. **Tight names** (flag F_TIGHT, "ClinicalBERT"): no space inside the hit ("Clinical BERT" is
 *    a kind of model), though hyphens and line-end hyphenation are fine.
 * 6. **Identifiers** of catalog entries (arXiv, ACL, DOI, GitHub owner/repo) are patterns too
 *    (`via: 'id'`); they must not be glued to a longer identifier ("dmis-lab/biobert-pretrained"
 *    is not "dmis-lab/biobert"; "1909.06146v2" is "1909.06146"), and must be spelled with their own
 *    separators, in any case ("D191259" and "dmis_lab/bio_bert" are no IDs).
 *
 * ## Overlaps
 *
 * All accepted candidates are collected, then overlapping ones are resolved greedily:
 * longer span first; equal lengths → earlier start; then lower pattern number (IDs first,
 * then names in catalog order). Results are non-overlapping and ordered by start. Same input → same output.
 */
import type { EntryIds } from '../catalog/types';
import type { Matcher, PackedMatcher, ScanContext, TextMatch } from './types';
import { C_HYPHEN, C_IGNORABLE, C_SPACE, C_WORD, unwiden } from './chars';
import { F_CASE, F_GUARD, F_PROSE, F_TIGHT, F_WHOLE } from './flags';
import type { IdKind } from './ids';

/** Pattern bits beside the name flags: an identifier pattern, and the sides that are Latin word characters. */
export const F_ID = 32;
export const B_WORD_START = 64;
export const B_WORD_END = 128;
/** The ID kind's index in {@link ID_KINDS}, shifted by this. */
export const KIND_SHIFT = 8;
export const ID_KINDS: IdKind[] = ['arxiv', 'acl', 'doi', 'github'];

const CODE_COLON = 0x3a;
const CODE_FW_COLON = 0xff1a;

/**
 * Code unit → class bits (C_WORD | C_SPACE | C_HYPHEN | C_IGNORABLE), as normalize.ts
 * defines them; set from the packed matcher (the table is the same for every matcher:
 * it depends on the code only).
 */
let CLASS: Uint8Array;

/** Class bits of `text`'s code unit at `i` (undefined past either end, which any `&` reads as 0). One short name for the boundary rules' every read. */
const classAt = (text: string, i: number): number => CLASS[text.charCodeAt(i)];

/**
 * The loaded automaton: flat typed arrays, state 0 is the root, states numbered breadth
 * first (see {@link PackedMatcher}).
 *
 * Every state keeps its children in a sorted edge list, with failure links: the textbook
 * Aho–Corasick step. On top of that, shallow states (the first `rows` states, where a
 * scan spends nearly all its time) get a complete, failure-resolved row over the folded
 * ASCII symbols, so ordinary Latin text costs one table lookup per character whatever
 * the catalog size. Deep states, reached only while a text really spells the beginning
 * of a name, take the edge-list path. Rows are built when a scan first reaches their state.
 */
export interface Automaton {
  /**
   * Text code unit → symbol: 0 in no pattern, 1 … `denseMax` (dense) the folded ASCII characters,
   * `dense + 1` a separator (skipped: the state stays), above that the other characters.
   */
  symOf: Uint16Array;
  denseMax: number;
  /** States 0 … rowCount - 1 may have a row in `deltaRows`, placed once {@link row} built it (in the order rows are built). */
  rowCount: number;
  /**
   * Dense rows of {@link rowWidth}(dense) cells. Cell y ≤ dense + 1 holds the transition on
   * symbol y (cell 0 leads to the root, cell dense + 1 back to the row itself), packed as
   * `target row offset | hasOutput` (row form: offsets are even, so a step without output
   * takes the cell as the next offset as it is), or as `~(target << 1 | hasOutput)`
   * (edge-list form: a target without a row, or one whose row this cell has not been
   * pointed at yet); cell dense + 2 holds ~state (0 in a row not built yet). So ordinary
   * text, separators and characters in no name included, costs one lookup and no branch
   * on the symbol's kind.
   */
  deltaRows: Int32Array;
  /**
   * The row offset of state s < rows, building the row first if no scan has needed it yet
   * (its failure state's row copied, then its own children's cells set, in edge-list form).
   */
  row: (s: number) => number;
  /** Edges of state s: firstEdge[s] .. firstEdge[s+1], sorted by symbol; edge e leads to state e + 1. */
  firstEdge: Int32Array;
  edgeSym: Int32Array;
  failLink: Int32Array;
  /** Pattern ending exactly at state s, or -1. */
  term: Int32Array;
  /** Nearest state on s's failure chain (s included) that ends a pattern, or -1. */
  out: Int32Array;
  /** Length of each pattern in folded code units. */
  patLens: Int32Array;
  /**
   * The root's transitions for every symbol (0: stay at the root). The root has a child
   * for nearly every character a name starts with — hundreds, most of them CJK — so a
   * Chinese character would otherwise cost a long edge-list search.
   */
  rootTo: Int32Array;
  /** Where the last {@link run} stopped: the character at which a pattern ends, or the end of its text. */
  stopAt: number;
}

/**
 * Cells in a dense row: a cell per folded ASCII symbol, the root's, the separator's and the
 * state's own, rounded up to even so that every row offset is even and leaves its lowest bit
 * to the output flag.
 */
export const rowWidth = (dense: number): number => (dense + 4) & -2;

/** Raw automaton parts, as pack.ts builds them. */
export interface AutomatonParts {
  dense: number;
  rows: number;
  /** Code unit → symbol. */
  sym: Uint16Array;
  /** Edges of state s: first[s] .. first[s+1]; edge e has symbol edge[e] and leads to state e + 1. */
  first: Int32Array;
  edge: Int32Array;
  fail: Int32Array;
  /** End state and folded length of each pattern. */
  end: Int32Array;
  lens: Int32Array;
}

/**
 * Builds the runtime automaton: derives term and out, and the root's row. The other dense
 * rows are built on first use ({@link Automaton.row}): a page's text reaches a few hundred
 * of them (counted over the whole text of the benchmark pages and the real saved pages:
 * 107–557 of the catalog's 1,362 rows, 119–601 of 13,229 with 10× names), so a page neither
 * fills nor touches the memory of the rest.
 */
export const loadAutomaton = (p: AutomatonParts): Automaton => automaton(p.dense, p.rows, p.sym, p.first, p.edge, p.fail, p.end, p.lens);

/** {@link loadAutomaton} from the parts one by one (the content script's loader passes no parts object: its keys would ship). */
const automaton = (dense: number, rows: number, sym: Uint16Array, first: Int32Array, edgeSym: Int32Array, fail: Int32Array, end: Int32Array, lens: Int32Array): Automaton => {
  const states = first.length - 1;
  const term = new Int32Array(states).fill(-1);
  for (let pi = 0; pi < end.length; pi++) term[end[pi]] = pi;
  // Breadth first, a state's failure target comes before it: its output is final.
  const out = new Int32Array(states);
  out[0] = -1;
  for (let s = 1; s < states; s++) out[s] = term[s] >= 0 ? s : out[fail[s]];

  const W = rowWidth(dense);
  const delta = new Int32Array(rows * W);
  // Rows are laid out in the order scans first need them, not by state number: the few
  // hundred rows a page reaches lie together, however many names the catalog holds.
  const at = new Int32Array(rows).fill(-1);
  let top = 0;
  const row = (s: number): number => {
    let r = at[s];
    if (r < 0) {
      // Complete row: the failure state's row (shallower, built first), overwritten by own children.
      const f = s ? row(fail[s]) : -1;
      r = at[s] = top;
      top += W;
      if (f >= 0) delta.copyWithin(r, f, f + W);
      delta[r + dense + 1] = r;
      delta[r + dense + 2] = ~s;
      for (let e = first[s]; e < first[s + 1]; e++) {
        const y = edgeSym[e];
        if (y > dense) break; // sorted: the rest are non-ASCII symbols
        // Target in its edge-list form; a scan that takes the cell rewrites it in row form.
        delta[r + y] = ~((e + 1) << 1 | (out[e + 1] >= 0 ? 1 : 0));
      }
    }
    return r;
  };
  row(0);
  // Sized by the root's own largest symbol (its edges are sorted): any larger one stays at the root.
  const root = new Int32Array(first[1] > first[0] ? edgeSym[first[1] - 1] + 1 : 1);
  for (let e = first[0]; e < first[1]; e++) root[edgeSym[e]] = e + 1;
  return { symOf: sym, denseMax: dense, rowCount: rows, deltaRows: delta, row, firstEdge: first, edgeSym, failLink: fail, term, out, patLens: lens, rootTo: root, stopAt: 0 };
};

/**
 * Turns a packed matcher (see pack.ts) into a {@link Matcher}: decoding plus the root's
 * row, no trie building, sorting or folding. `key` gives an ID's table key for
 * {@link Matcher.byId}: ids.ts `idKey`, or in a content script its site's part of it (the
 * kinds its adapter's page IDs have: SiteAdapter.idKey), so that the script bundles only
 * those kinds' normalisers.
 */
export const loadMatcher = (p: PackedMatcher, key: (kind: IdKind, id: string) => string | undefined): Matcher => {
  // JSON arrays of small integers: the engine's own array copy, no per-value decoding in script.
  const I = (a: number[]) => new Int32Array(a);
  const sym = new Uint16Array(0x10000);
  const pairs = p.sym;
  for (let k = 0, c = -1; k < pairs.length; k += 2) sym[(c += pairs[k])] = pairs[k + 1];
  const runs = p.cls;
  const cls = new Uint8Array(0x10000);
  for (let k = 0, c = 0; k < runs.length; k += 2) cls.fill(runs[k + 1], c, (c += runs[k]));
  CLASS = cls;
  const a = automaton(p.dense, p.rows, sym, I(p.first), I(p.edge), I(p.fail), I(p.end), I(p.lens));
  const bits = I(p.bits);
  const entryOf = I(p.entry);
  /** Per pattern, other entries that list its name (see MatcherTables `shared`). */
  const alt = new Map<number, number[]>();
  for (let k = 0, pairs = p.alt ?? []; k < pairs.length; k += 2) alt.set(pairs[k], [...(alt.get(pairs[k]) ?? []), pairs[k + 1]]);
  const exact: string[] = [];
  const exactList = p.exact.split('\n');
  p.exactAt.forEach((pi, k) => (exact[pi] = exactList[k]));
  // Only what scans need stays reachable, not the packed arrays: `p` is not captured below.
  const { entries, ids } = p;
  const SEP = p.dense + 1;

  /** The entry a pattern names: of two entries listing the same name, the one the page supports. */
  const entryFor = (pi: number, ctx?: ScanContext): string => {
    const own = entries[entryOf[pi]];
    const supported = ctx?.supportedIds;
    if (supported && !supported.has(own)) for (const e of alt.get(pi) ?? []) if (supported.has(entries[e])) return entries[e];
    return own;
  };

  const accept = (text: string, start: number, end: number, pi: number, ctx?: ScanContext): boolean => {
    const b = bits[pi];
    if (b & F_ID) return idBoundaryOk(text, start, end, ID_KINDS[b >> KIND_SHIFT]) && spellsId(text, start, end, exact[pi]);
    if (b & B_WORD_START && joinedLeft(text, start)) return false;
    if (b & B_WORD_END && joinedRight(text, end)) return false;
    if (b & F_WHOLE && ((b & B_WORD_START && wordBefore(text, start)) || (b & B_WORD_END && wordAfter(text, end)))) return false;
    if (b & F_TIGHT && hasInnerSpace(text, start, end)) return false;
    if (b & F_GUARD) {
      const id = entryFor(pi, ctx);
      if (ctx?.supportedIds?.has(id)) return true;
      const ok = !(b & F_PROSE) && exactCase(text, start, end, exact[pi], sym, SEP) && ((b & F_CASE) !== 0 || colonFollows(text, end) || citationFollows(text, end));
      if (!ok) ctx?.missed?.(id);
      return ok;
    }
    return true;
  };

  const matcher: Matcher = {
    scan(text, ctx) {
      // Candidates as flat triples (start, end, pattern); allocated only when something is found.
      let cand: number[] | null = null;
      each(a, text, (start, end, pi) => {
        if (accept(text, start, end, pi, ctx)) (cand ??= []).push(start, end, pi);
      });
      return cand === null ? [] : resolve(cand, bits, (pi) => entryFor(pi, ctx));
    },
    hitEnd: 0,
    feed(text, from, to, state) {
      state = run(a, text, from, to, state);
      matcher.hitEnd = a.stopAt + 1;
      return state;
    },
    byId(kind: keyof EntryIds, id: string) {
      const k = key(kind, id);
      const table = ids[kind];
      const at = k === undefined || !table ? -1 : table.indexOf(`\n${k} `);
      return at < 0 ? undefined : entries[parseInt(table.slice(at + k!.length + 2), 10)];
    },
  };
  return matcher;
};

/** True if the character at `j` continues a Latin word (ignorable characters skipped backwards). */
const joinedLeft = (text: string, start: number): boolean => {
  let j = start - 1;
  while (j >= 0 && classAt(text, j) & C_IGNORABLE) j--;
  if (j < 0) return false;
  const c = classAt(text, j);
  if (c & C_WORD) return true;
  if (c & C_HYPHEN) {
    // "non-MIE": a hyphen glued to a word on its left joins the two.
    while (j >= 0 && classAt(text, j) & (C_HYPHEN | C_IGNORABLE)) j--;
    return j >= 0 && (classAt(text, j) & C_WORD) !== 0;
  }
  if (c & C_SPACE) {
    // Line-end hyphenation: "…Bio-\nmedical" — the part after the break is not a word start.
    let sawBreak = false;
    while (j >= 0 && classAt(text, j) & C_SPACE) {
      const k = text.charCodeAt(j);
      if (isBreak(k)) sawBreak = true;
      j--;
    }
    if (!sawBreak || j < 1 || !(classAt(text, j) & C_HYPHEN)) return false;
    return (classAt(text, j - 1) & C_WORD) !== 0;
  }
  return false;
};

/** True if the text after `end` continues the Latin word the match ends in. */
const joinedRight = (text: string, end: number): boolean => {
  const n = text.length;
  let j = end;
  while (j < n && classAt(text, j) & C_IGNORABLE) j++;
  if (j >= n) return false;
  const c = classAt(text, j);
  if (c & C_WORD) return true;
  if (c & C_HYPHEN) {
    // "BioBERT-base" is BioBERT; "PubMed-\nQA" (hyphenated at a line end) is one word.
    while (j < n && classAt(text, j) & (C_HYPHEN | C_IGNORABLE)) j++;
    let sawBreak = false;
    while (j < n && classAt(text, j) & C_SPACE) {
      const k = text.charCodeAt(j);
      if (isBreak(k)) sawBreak = true;
      j++;
    }
    return sawBreak && j < n && (classAt(text, j) & C_WORD) !== 0;
  }
  return false;
};

/**
 * Whole-title rule: a word before the match with only spaces (or nothing) in between.
 * A line break is a space here: inside a block of rendered text it is where the page's source
 * wrapped a line ("Improving Medical Entity Linking\nusing …"), and list items, table cells and
 * `<br>` end a block, so a break never parts one list item's title from the next.
 */
const wordBefore = (text: string, start: number): boolean => {
  let j = start - 1;
  while (j >= 0 && classAt(text, j) & (C_SPACE | C_IGNORABLE)) j--;
  if (j < 0) return false;
  if (classAt(text, j) & C_WORD) return true;
  return joinedLeft(text, start);
};

const wordAfter = (text: string, end: number): boolean => {
  const n = text.length;
  let j = end;
  while (j < n && classAt(text, j) & (C_SPACE | C_IGNORABLE)) j++;
  if (j >= n) return false;
  if (classAt(text, j) & C_WORD) return true;
  if (classAt(text, j) & C_HYPHEN && j === end) {
    while (j < n && classAt(text, j) & C_HYPHEN) j++;
    return j < n && (classAt(text, j) & C_WORD) !== 0;
  }
  return false;
};

const isBreak = (c: number): boolean => {
  return c === 0x0a || c === 0x0d || c === 0x2028 || c === 0x2029;
};

/** Identifier rule: not glued to a longer identifier on either side. */
const idBoundaryOk = (text: string, start: number, end: number, kind: IdKind | undefined): boolean => {
  if (start > 0) {
    const p = text.charCodeAt(start - 1);
    if (CLASS[p] & (C_WORD | C_HYPHEN) || p === 0x2e) return false;
  }
  const n = text.length;
  if (end >= n) return true;
  const c = text.charCodeAt(end);
  const next = end + 1 < n ? text.charCodeAt(end + 1) : 0;
  if (CLASS[c] & C_WORD) {
    // Versions: 1909.06146v2, 2020.acl-main.748v2 (the only ID kinds starting with "a").
    return kind?.[0] === 'a' && (c === 0x76 || c === 0x56) && next >= 0x30 && next <= 0x39;
  }
  if (CLASS[c] & C_HYPHEN) return !(CLASS[next] & C_WORD);
  if (c === 0x2e) {
    if (next >= 0x30 && next <= 0x39) return false;
    if (kind === 'github' && CLASS[next] & C_WORD) {
      // "owner/repo.git" is the repo; "owner/repo.js" is another repository.
      return text.slice(end + 1, end + 4).toLowerCase() === 'git' && !(classAt(text, end + 4) & C_WORD);
    }
  }
  return true;
};

/**
 * Identifier spelling rule: the text spells the identifier `id` (lower case) in any case and width,
 * with any hyphen or dash where it has a hyphen, spaces only beside a slash ("dmis-lab / biobert") and
 * invisible characters anywhere. No separator may be dropped or added: "D191259", "D19 1259" and
 * "dmis_lab/bio_bert" are not D19-1259 and dmis-lab/biobert.
 */
const spellsId = (text: string, start: number, end: number, id: string): boolean => {
  let k = 0;
  for (let i = start; i < end; i++) {
    const c = unwiden(text.charCodeAt(i));
    const e = id.charCodeAt(k);
    const cls = CLASS[c];
    if (e === 0x2d ? c !== 0x5f && cls & C_HYPHEN : (c > 64 && c < 91 ? c + 32 : c) === e) k++;
    else if (!(cls & C_IGNORABLE || (cls & C_SPACE && (e === 0x2f || id.charCodeAt(k - 1) === 0x2f)))) return false;
  }
  return k === id.length;
};

/**
 * Exact-case rule: the text's non-separator characters equal the published spelling.
 * Separators are the code units whose symbol is `sep` (exactly those folding to DROP).
 */
const exactCase = (text: string, start: number, end: number, exact: string, sym: Uint16Array, sep: number): boolean => {
  let k = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (sym[c] === sep) continue;
    if (unwiden(c) !== exact.charCodeAt(k++)) return false;
  }
  return k === exact.length;
};

/**
 * A space inside the hit that is not a line-end hyphenation ("Clinical BERT" and "Clinical- BERT"
 * yes, "Clinical-\nBERT" no): each run of spaces is looked at once, so a long run costs its length.
 */
const hasInnerSpace = (text: string, start: number, end: number): boolean => {
  for (let i = start; i < end; i++) {
    if (!(classAt(text, i) & C_SPACE)) continue;
    const hyphenBefore = i > start && (classAt(text, i - 1) & C_HYPHEN) !== 0;
    let sawBreak = false;
    for (; i < end && classAt(text, i) & C_SPACE; i++) if (isBreak(text.charCodeAt(i))) sawBreak = true;
    if (!hyphenBefore || !sawBreak) return true;
  }
  return false;
};

const colonFollows = (text: string, end: number): boolean => {
  let j = end;
  while (j < text.length && j - end < 4 && classAt(text, j) & C_SPACE) j++;
  const c = text.charCodeAt(j);
  return c === CODE_COLON || c === CODE_FW_COLON;
};

/** "(Zhu et al., 2020)", "(2020)", "[12]", "[3, 7]" right after the name, in half- or full-width brackets and digits ("［12］", "［3，7］", "［１～３］"). */
const citationFollows = (text: string, end: number): boolean => {
  let j = end;
  while (j < text.length && j - end < 3 && classAt(text, j) & C_SPACE) j++;
  const open = text[j];
  if (open === '(' || open === '（') {
    const close = text.slice(j + 1, j + 80).search(/[)）]/);
    if (close < 0) return false;
    return /et al\.?|\b(?:19|20)\d\d\b/.test(text.slice(j + 1, j + 1 + close));
  }
  if (open === '[' || open === '［') return /^[[［]\s*[\d０-９]+(?:\s*[,，、–～〜-]\s*[\d０-９]+)*\s*[\]］]/.test(text.slice(j, j + 40));
  return false;
};

/**
 * Calls `hit(start, end, pattern)` for every occurrence of every pattern in the folded text
 * (offsets in the original, end exclusive), in order of end.
 */
export const each = (a: Automaton, text: string, hit: (start: number, end: number, pattern: number) => void): void => {
  const SEP = a.denseMax + 1;
  for (let state = 0, end = 0; (state = run(a, text, end, text.length, state)), (end = a.stopAt + 1) <= text.length; ) {
    // The state the run stopped in (a row's last cell holds ~state), then its failure chain's outputs.
    for (let o = a.out[state < 0 ? ~state : ~a.deltaRows[state + SEP + 1]]; o >= 0; o = a.out[a.failLink[o]]) {
      // Walk back over the pattern's folded length to find where it starts in the original.
      let j = end - 1;
      for (let left = a.patLens[a.term[o]] - 1; left > 0; ) if (a.symOf[text.charCodeAt(--j)] !== SEP) left--;
      hit(j, end, a.term[o]);
    }
  }
};

/**
 * The automaton run over `text[from, to)` from `state` (0 to begin): stops at the first
 * character at which a pattern ends, or at `to`, sets `a.stopAt` to that index and returns the
 * state to go on from. It calls nothing and walks no outputs, so the gate's stream and the
 * block scans ({@link each}) run the very same code with the same kinds of arguments, and
 * every exit takes the same operations: V8 optimises this loop from what the first pass
 * did, and drops the optimised code at the first operation that pass never ran (with a
 * callback, default parameters and a state encoded only on some exits, each load's first
 * block scans threw away the code optimised during the gate).
 */
export const run = (a: Automaton, text: string, from: number, to: number, state: number): number => {
  const { symOf: sym, denseMax: dense, rowCount: rows, deltaRows: delta, row, firstEdge: first, edgeSym, failLink: fail, out, rootTo: root } = a;
  const SEP = dense + 1;
  const ID = dense + 2;
  const n = to;
  // Current state: its row offset `r` when it has a row (then `s` is stale), else r = -1 and `s`.
  // Passed in and out as one number: r when r ≥ 0, else ~s. Both ~ run on every call, whatever
  // the state (see above).
  let r = state >= 0 ? state : -1;
  let s = ~state;
  let i = from;
  for (; i < n; i++) {
    if (r >= 0) {
      // Ordinary text: a state with a row, a symbol with a cell, a target with a row and no
      // output. This loop holds no call and no inner loop, so the compiler keeps the
      // arrays' bounds and data pointers out of it; anything else leaves it and is taken
      // by the general step below, from the same character.
      for (; i < n; i++) {
        const y = sym[text.charCodeAt(i)];
        if (y > SEP) break;
        const v = delta[r + y];
        // Negative (target without a row) or odd (output).
        if (v & -0x7fffffff) break;
        r = v;
      }
      if (i === n) break;
    }
    const y = sym[text.charCodeAt(i)];
    if (y <= SEP && r >= 0) {
      // Hot path: one lookup (ASCII, separators, characters in no name).
      const v = delta[r + y];
      if (v >= 0) {
        r = v & -2;
        if (r === v) continue;
      } else {
        const w = ~v;
        s = w >> 1;
        // A target whose row this cell did not point at yet: from now on it does. (The
        // cell's index is taken before `r` changes.)
        if (s < rows) delta[r + y] = (r = row(s)) | (w & 1);
        else r = -1;
        if ((w & 1) === 0) continue;
      }
    } else {
      // A deep state without a row, or a non-ASCII character.
      if (y === SEP) continue;
      if (y === 0) {
        r = 0;
        continue;
      }
      if (r >= 0) s = ~delta[r + ID];
      // Edge list, then failure links until a match, a state with a complete row or the root.
      for (;;) {
        if (s === 0) {
          s = y < root.length ? root[y] : 0;
          break;
        }
        let t = -1;
        const last = first[s + 1];
        for (let e = first[s]; e < last; e++) {
          if (edgeSym[e] === y) {
            t = e + 1;
            break;
          }
        }
        if (t >= 0) {
          s = t;
          break;
        }
        s = fail[s];
        if (y <= dense && s < rows) {
          const v = delta[row(s) + y];
          s = v >= 0 ? ~delta[(v & -2) + ID] : ~v >> 1;
          break;
        }
      }
      r = s < rows ? row(s) : -1;
      if (out[s] < 0) continue;
    }
    break;
  }
  a.stopAt = i;
  s = ~s;
  return r < 0 ? s : r;
};

/** Non-overlapping subset: longest first, then earliest start, then lowest pattern number. */
const resolve = (cand: number[], bits: Int32Array, entryFor: (pi: number) => string): TextMatch[] => {
  const count = cand.length / 3;
  const order: number[] = [];
  for (let k = 0; k < count; k++) order.push(k);
  order.sort((x, y) => {
    const lx = cand[x * 3 + 1] - cand[x * 3];
    const ly = cand[y * 3 + 1] - cand[y * 3];
    return ly - lx || cand[x * 3] - cand[y * 3] || cand[x * 3 + 2] - cand[y * 3 + 2];
  });
  // Chosen spans kept sorted by start; overlap test by binary search.
  const starts: number[] = [];
  const ends: number[] = [];
  const picks: number[] = [];
  for (const k of order) {
    const st = cand[k * 3];
    const en = cand[k * 3 + 1];
    let lo = 0;
    let hi = starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (starts[mid] < st) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0 && ends[lo - 1] > st) continue;
    if (lo < starts.length && starts[lo] < en) continue;
    starts.splice(lo, 0, st);
    ends.splice(lo, 0, en);
    picks.splice(lo, 0, k);
  }
  return picks.map((k) => {
    const pi = cand[k * 3 + 2];
    return {
      start: cand[k * 3],
      end: cand[k * 3 + 1],
      entryId: entryFor(pi),
      via: bits[pi] & F_ID ? 'id' : 'name',
    };
  });
};

