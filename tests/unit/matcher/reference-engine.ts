/**
 * The engine as it was before it was split into pack.ts and runtime.ts (one-task compile
 * with the dense table built directly), kept as the reference the packed matcher is
 * checked against (pack.test.ts). Not used by the extension.
 *
 * The recognition engine: {@link createMatcher} compiles {@link MatcherData} once into an
 * Aho–Corasick automaton over folded character codes; {@link Matcher.scan} then reads
 * the text once, left to right, without allocating per character.
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
 *    is not "dmis-lab/biobert"; "1909.06146v2" is "1909.06146").
 *
 * ## Overlaps
 *
 * All accepted candidates are collected, then overlapping ones are resolved greedily:
 * longer span first; equal lengths → earlier start; then lower pattern number (IDs first,
 * then names in catalog order). Results are non-overlapping and ordered by start. Same input → same output.
 */
import type { EntryIds } from '../../../utils/catalog/types';
import type { Matcher, MatcherData, ScanContext, TextMatch } from '../../../utils/matcher/types';
import { CLASS, C_HYPHEN, C_IGNORABLE, C_SPACE, C_WORD, DROP, fold, foldCode, forEachFolded, unwiden } from '../../../utils/matcher/normalize';
import { F_CASE, F_GUARD, F_PROSE, F_TIGHT, F_WHOLE, decodeName } from '../../../utils/matcher/flags';
import type { MatcherTables } from '../../../utils/matcher/build';
import { idKey, idsFromUrl, type IdKind } from '../../../utils/matcher/ids';

export type { Matcher, MatcherData, ScanContext, TextMatch } from '../../../utils/matcher/types';

/** Internal flag of identifier patterns. */
const F_ID = 32;

const ID_KINDS: IdKind[] = ['arxiv', 'acl', 'doi', 'github'];
const CODE_COLON = 0x3a;
const CODE_FW_COLON = 0xff1a;

interface Pattern {
  entry: number;
  flags: number;
  /** Length in folded code units. */
  len: number;
  /** First / last folded character is a Latin word character (boundary rules apply on that side). */
  wordStart: boolean;
  wordEnd: boolean;
  /** Published spelling, width-folded, separators removed (exact-case rule). */
  exact: string;
  /** An identifier pattern's ID as the catalog's table writes it (spelling rule). */
  id?: string;
  idKind?: IdKind;
  /** Other entries that list this name, none as its title (MatcherTables `shared`). */
  alt?: number[];
}

/** The entry a hit on `p` names: an entry that also lists its name wins when the page supports it and not the owner. */
function entryFor(p: Pattern, entries: string[], ctx?: ScanContext): string {
  const own = entries[p.entry];
  if (!ctx?.supportedIds || ctx.supportedIds.has(own)) return own;
  const other = (p.alt ?? []).find((e) => ctx.supportedIds!.has(entries[e]));
  return other === undefined ? own : entries[other];
}

/**
 * Compiles matcher data into a {@link Matcher}. Cost is linear in the total length of
 * names; call it once per content-script run and reuse the matcher.
 */
export type ReferenceMatcher = Omit<Matcher, 'feed' | 'hitEnd'> & { mayMatch(text: string): boolean; byUrl(url: string): string | undefined };

export function createMatcher(data: MatcherData): ReferenceMatcher {
  const tables = data as MatcherTables;
  const entries = tables.entries;
  const patterns: Pattern[] = [];
  const foldedPatterns: string[] = [];
  const seen = new Set<string>();

  const addPattern = (text: string, entry: number, flags: number, idKind?: IdKind) => {
    const f = fold(text);
    if (f.length === 0 || seen.has(f)) return;
    seen.add(f);
    let exact = '';
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (foldCode(c) !== DROP) exact += String.fromCharCode(unwiden(c));
    }
    patterns.push({
      entry,
      flags,
      len: f.length,
      wordStart: (CLASS[f.charCodeAt(0)] & C_WORD) !== 0,
      wordEnd: (CLASS[f.charCodeAt(f.length - 1)] & C_WORD) !== 0,
      exact,
      idKind,
      id: flags & F_ID ? text : undefined,
    });
    foldedPatterns.push(f);
  };
  // Identifiers first: a name spelled like an ID ("beamandrew/medical-data") then reports via 'id'.
  for (const kind of ID_KINDS) {
    const table = tables.ids?.[kind] ?? {};
    for (const key of Object.keys(table)) addPattern(key, table[key], F_ID, kind);
  }

  (tables.names ?? []).forEach((list, entry) => {
    for (const s of list) {
      const { flags, name } = decodeName(s);
      addPattern(name, entry, flags & (F_WHOLE | F_GUARD | F_CASE | F_TIGHT | F_PROSE));
    }
  });
  for (const [owner, name, others] of tables.shared ?? []) {
    const k = foldedPatterns.findIndex((f, i) => f === fold(name) && patterns[i].entry === owner);
    if (k >= 0) patterns[k].alt = others;
  }
  const auto = compile(foldedPatterns);
  const lens = Int32Array.from(patterns, (p) => p.len);
  const idTables = tables.ids ?? { arxiv: {}, acl: {}, doi: {}, github: {} };

  const matcher: ReferenceMatcher = {
    scan: (text, ctx) => scan(auto, lens, patterns, entries, text, ctx),
    mayMatch(text) {
      let any = false;
      run(auto, lens, text, () => (any = true));
      return any;
    },
    byId(kind: keyof EntryIds, id: string) {
      const k = idKey(kind, id);
      const i = k === undefined ? undefined : idTables[kind]?.[k];
      return i === undefined ? undefined : entries[i];
    },
    byUrl(url: string) {
      for (const f of idsFromUrl(url)) {
        const hit = matcher.byId(f.kind, f.id);
        if (hit) return hit;
      }
      return undefined;
    },
  };
  return matcher;
}

/**
 * The compiled automaton: flat typed arrays, state 0 is the root.
 *
 * Every state keeps its children in a sorted edge list, with failure links: the textbook
 * Aho–Corasick step. On top of that, shallow states (depth ≤ {@link DENSE_DEPTH}, where a
 * scan spends nearly all its time) get a complete, failure-resolved row over the folded
 * ASCII symbols, so ordinary Latin text costs one table lookup per character whatever
 * the catalog size. Deep states, reached only while a text really spells the beginning
 * of a name, take the edge-list path.
 */
interface Automaton {
  /**
   * Text code unit → symbol: 0 in no pattern, 1 … `dense` the folded ASCII characters,
   * `dense + 1` a separator (skipped: the state stays), above that the other characters.
   */
  sym: Uint16Array;
  dense: number;
  /** Offset of state s's row in `delta`, or -1. */
  row: Int32Array;
  /**
   * Dense rows of `dense + 3` cells. Cell y ≤ dense + 1 holds the transition on symbol y
   * (cell 0 leads to the root, cell dense + 1 back to the row itself), packed as
   * `(target row offset << 1) | hasOutput` when the target has a row, else as
   * `-((target << 1 | hasOutput) + 1)`; the last cell holds the row's state. So ordinary
   * text, separators and characters in no name included, costs one lookup and no branch
   * on the symbol's kind.
   */
  delta: Int32Array;
  /** Edges of state s: edgeSym/edgeTo[first[s] .. first[s+1]), sorted by symbol. */
  first: Int32Array;
  edgeSym: Uint16Array;
  edgeTo: Int32Array;
  fail: Int32Array;
  /** Pattern ending exactly at state s, or -1. */
  term: Int32Array;
  /** Nearest state on s's failure chain (s included) that ends a pattern, or -1. */
  out: Int32Array;
}

/**
 * States up to this depth get a dense transition row: text spends nearly all its time
 * within a few characters of the root, and a row costs (ASCII alphabet + 1) × 4 bytes
 * (≈ 270 KB for the bundled catalog's ≈ 1,400 such states).
 */
const DENSE_DEPTH = 12;
/** …unless that would exceed this many rows; then the depth limit shrinks (huge catalogs). */
const DENSE_MAX_ROWS = 16384;

function compile(folded: string[]): Automaton {
  // Alphabet: ASCII folded codes first, then the rest, each numbered from 1 in first-seen order.
  const symOf = new Uint16Array(0x10000);
  const codes: number[] = [];
  let dense = 0;
  for (const p of folded) {
    for (let i = 0; i < p.length; i++) {
      const c = p.charCodeAt(i);
      if (c < 0x80 && symOf[c] === 0) {
        symOf[c] = ++dense;
        codes.push(c);
      }
    }
  }
  // dense + 1 is the separator; the non-ASCII symbols follow it.
  let alpha = dense + 1;
  for (const p of folded) {
    for (let i = 0; i < p.length; i++) {
      const c = p.charCodeAt(i);
      if (symOf[c] === 0) {
        symOf[c] = ++alpha;
        codes.push(c);
      }
    }
  }
  // Code unit → symbol: identity-folding code units map through symOf directly, the few
  // hundred others (upper case, full width, separators) through their folded value.
  const sym = new Uint16Array(0x10000);
  for (const c of codes) if (foldCode(c) === c) sym[c] = symOf[c];
  forEachFolded((c, f) => {
    sym[c] = f === DROP ? dense + 1 : symOf[f];
  });

  // Trie. Edges as (state, symbol, child) triples; children are numbered in creation order.
  const edges: number[] = [];
  const index = new Map<number, number>(); // state * 65536 + symbol → child
  const termList: number[] = [-1];
  const depth: number[] = [0];
  folded.forEach((p, pi) => {
    let s = 0;
    for (let i = 0; i < p.length; i++) {
      const y = symOf[p.charCodeAt(i)];
      const key = s * 65536 + y;
      let t = index.get(key);
      if (t === undefined) {
        t = termList.length;
        termList.push(-1);
        depth.push(depth[s] + 1);
        index.set(key, t);
        edges.push(s, y, t);
      }
      s = t;
    }
    termList[s] = pi;
  });
  const states = termList.length;
  const term = Int32Array.from(termList);

  // Edge lists sorted by (state, symbol): counting sort on the state, then sort each small list.
  const ne = edges.length / 3;
  const first = new Int32Array(states + 1);
  for (let k = 0; k < ne; k++) first[edges[k * 3] + 1]++;
  for (let s = 0; s < states; s++) first[s + 1] += first[s];
  const fill = first.slice(0, states);
  const edgeSym = new Uint16Array(ne);
  const edgeTo = new Int32Array(ne);
  for (let k = 0; k < ne; k++) {
    const at = fill[edges[k * 3]]++;
    edgeSym[at] = edges[k * 3 + 1];
    edgeTo[at] = edges[k * 3 + 2];
  }
  for (let s = 0; s < states; s++) {
    // Insertion sort: lists are short (long ones only near the root).
    for (let e = first[s] + 1; e < first[s + 1]; e++) {
      const y = edgeSym[e];
      const t = edgeTo[e];
      let f = e - 1;
      for (; f >= first[s] && edgeSym[f] > y; f--) {
        edgeSym[f + 1] = edgeSym[f];
        edgeTo[f + 1] = edgeTo[f];
      }
      edgeSym[f + 1] = y;
      edgeTo[f + 1] = t;
    }
  }

  const W = dense + 3;
  const ID = dense + 2;
  const atDepth = new Int32Array(DENSE_DEPTH + 1);
  for (let s = 0; s < states; s++) if (depth[s] <= DENSE_DEPTH) atDepth[depth[s]]++;
  let maxDepth = 0;
  for (let d = 0, total = 0; d <= DENSE_DEPTH && (total += atDepth[d]) <= DENSE_MAX_ROWS; d++) maxDepth = d;
  const row = new Int32Array(states).fill(-1);
  let rows = 0;
  for (let s = 0; s < states; s++) if (depth[s] <= maxDepth) row[s] = rows++ * W;
  const delta = new Int32Array(rows * W);
  // The state cell is filled from the start: `step` decodes transitions into rows whose
  // state the breadth-first pass below has not reached yet.
  for (let s = 0; s < states; s++) if (row[s] >= 0) delta[row[s] + ID] = s;
  const fail = new Int32Array(states);
  const out = new Int32Array(states).fill(-1);

  // Packed cell for a transition to t (see Automaton.delta); out[t] must be final.
  const pack = (t: number) => {
    const bit = out[t] >= 0 ? 1 : 0;
    return row[t] >= 0 ? (row[t] << 1) | bit : -(((t << 1) | bit) + 1);
  };
  const step = (s: number, y: number): number => {
    for (;;) {
      if (y <= dense && row[s] >= 0) {
        const v = delta[row[s] + y];
        return v >= 0 ? delta[(v >> 1) + ID] : (-v - 1) >> 1;
      }
      for (let e = first[s]; e < first[s + 1]; e++) if (edgeSym[e] === y) return edgeTo[e];
      if (s === 0) return 0;
      s = fail[s];
    }
  };

  // Breadth first: a state's failure target is shallower, so its row, links and output are
  // final when the state itself is processed; a child's failure link and output are set
  // while its parent is processed, before the parent's row cell for it is packed.
  const queue = new Int32Array(states);
  let head = 0;
  let tail = 1; // queue[0] = root; the root row's zero cells already mean "stay at the root"
  while (head < tail) {
    const s = queue[head++];
    const r = row[s];
    if (r >= 0) {
      // Complete row: the failure state's transitions, overwritten below by own children.
      if (s !== 0) delta.set(delta.subarray(row[fail[s]], row[fail[s]] + W), r);
      // The copy brought the failure state's own separator cell and number.
      delta[r + dense + 1] = r << 1;
      delta[r + ID] = s;
    }
    for (let e = first[s]; e < first[s + 1]; e++) {
      const t = edgeTo[e];
      fail[t] = s === 0 ? 0 : step(fail[s], edgeSym[e]);
      out[t] = term[t] >= 0 ? t : out[fail[t]];
      if (r >= 0 && edgeSym[e] <= dense) delta[r + edgeSym[e]] = pack(t);
      queue[tail++] = t;
    }
  }
  return { sym, dense, row, delta, first, edgeSym, edgeTo, fail, term, out };
}

/** True if the character at `j` continues a Latin word (ignorable characters skipped backwards). */
function joinedLeft(text: string, start: number): boolean {
  let j = start - 1;
  while (j >= 0 && CLASS[text.charCodeAt(j)] & C_IGNORABLE) j--;
  if (j < 0) return false;
  const c = CLASS[text.charCodeAt(j)];
  if (c & C_WORD) return true;
  if (c & C_HYPHEN) {
    // "non-MIE": a hyphen glued to a word on its left joins the two.
    while (j >= 0 && CLASS[text.charCodeAt(j)] & (C_HYPHEN | C_IGNORABLE)) j--;
    return j >= 0 && (CLASS[text.charCodeAt(j)] & C_WORD) !== 0;
  }
  if (c & C_SPACE) {
    // Line-end hyphenation: "…Bio-\nmedical" — the part after the break is not a word start.
    let sawBreak = false;
    while (j >= 0 && CLASS[text.charCodeAt(j)] & C_SPACE) {
      const k = text.charCodeAt(j);
      if (isBreak(k)) sawBreak = true;
      j--;
    }
    if (!sawBreak || j < 1 || !(CLASS[text.charCodeAt(j)] & C_HYPHEN)) return false;
    return (CLASS[text.charCodeAt(j - 1)] & C_WORD) !== 0;
  }
  return false;
}

/** True if the text after `end` continues the Latin word the match ends in. */
function joinedRight(text: string, end: number): boolean {
  const n = text.length;
  let j = end;
  while (j < n && CLASS[text.charCodeAt(j)] & C_IGNORABLE) j++;
  if (j >= n) return false;
  const c = CLASS[text.charCodeAt(j)];
  if (c & C_WORD) return true;
  if (c & C_HYPHEN) {
    // "BioBERT-base" is BioBERT; "PubMed-\nQA" (hyphenated at a line end) is one word.
    while (j < n && CLASS[text.charCodeAt(j)] & (C_HYPHEN | C_IGNORABLE)) j++;
    let sawBreak = false;
    while (j < n && CLASS[text.charCodeAt(j)] & C_SPACE) {
      const k = text.charCodeAt(j);
      if (isBreak(k)) sawBreak = true;
      j++;
    }
    return sawBreak && j < n && (CLASS[text.charCodeAt(j)] & C_WORD) !== 0;
  }
  return false;
}

/**
 * Whole-title rule: a word before the match with only spaces (or nothing) in between.
 * A line break is a space here: inside a block of rendered text it is where the page's source
 * wrapped a line ("Improving Medical Entity Linking\nusing …"), and list items, table cells and
 * `<br>` end a block, so a break never parts one list item's title from the next.
 */
function wordBefore(text: string, start: number): boolean {
  let j = start - 1;
  while (j >= 0 && CLASS[text.charCodeAt(j)] & (C_SPACE | C_IGNORABLE)) j--;
  if (j < 0) return false;
  if (CLASS[text.charCodeAt(j)] & C_WORD) return true;
  return joinedLeft(text, start);
}

function wordAfter(text: string, end: number): boolean {
  const n = text.length;
  let j = end;
  while (j < n && CLASS[text.charCodeAt(j)] & (C_SPACE | C_IGNORABLE)) j++;
  if (j >= n) return false;
  if (CLASS[text.charCodeAt(j)] & C_WORD) return true;
  if (CLASS[text.charCodeAt(j)] & C_HYPHEN && j === end) {
    while (j < n && CLASS[text.charCodeAt(j)] & C_HYPHEN) j++;
    return j < n && (CLASS[text.charCodeAt(j)] & C_WORD) !== 0;
  }
  return false;
}

function isBreak(c: number): boolean {
  return c === 0x0a || c === 0x0d || c === 0x2028 || c === 0x2029;
}

/** Identifier rule: not glued to a longer identifier on either side. */
function idBoundaryOk(text: string, start: number, end: number, kind: IdKind | undefined): boolean {
  if (start > 0) {
    const p = text.charCodeAt(start - 1);
    if (CLASS[p] & (C_WORD | C_HYPHEN) || p === 0x2e) return false;
  }
  const n = text.length;
  if (end >= n) return true;
  const c = text.charCodeAt(end);
  const next = end + 1 < n ? text.charCodeAt(end + 1) : 0;
  if (CLASS[c] & C_WORD) {
    // Versions of arXiv and Anthology IDs: 1909.06146v2, 2020.acl-main.748v2.
    return (kind === 'arxiv' || kind === 'acl') && (c === 0x76 || c === 0x56) && next >= 0x30 && next <= 0x39;
  }
  if (CLASS[c] & C_HYPHEN) return !(CLASS[next] & C_WORD);
  if (c === 0x2e) {
    if (next >= 0x30 && next <= 0x39) return false;
    if (kind === 'github' && CLASS[next] & C_WORD) {
      // "owner/repo.git" is the repo; "owner/repo.js" is another repository.
      return text.slice(end + 1, end + 4).toLowerCase() === 'git' && !(CLASS[text.charCodeAt(end + 4)] & C_WORD);
    }
  }
  return true;
}

/**
 * Identifier spelling rule: the hit, without invisible characters, width-folded and in lower case,
 * with each hyphen or dash (not an underscore) written "-" and spaces beside a slash taken out, is the ID.
 */
function spellsId(hit: string, id: string): boolean {
  let s = '';
  for (const ch of hit) {
    const c = unwiden(ch.charCodeAt(0));
    const cls = CLASS[c];
    if (cls & C_IGNORABLE) continue;
    s += cls & C_SPACE ? ' ' : cls & C_HYPHEN && c !== 0x5f ? '-' : String.fromCharCode(c >= 0x41 && c <= 0x5a ? c + 32 : c);
  }
  return s.replace(/ *\/ */g, '/') === id;
}

/** Exact-case rule: the text's non-separator characters equal the published spelling. */
function exactCase(text: string, start: number, end: number, exact: string): boolean {
  let k = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (foldCode(c) === DROP) continue;
    if (unwiden(c) !== exact.charCodeAt(k++)) return false;
  }
  return k === exact.length;
}

/**
 * A space inside the hit that is not a line-end hyphenation ("Clinical BERT" and "Clinical- BERT"
 * yes, "Clinical-\nBERT" no): a run of spaces is one only right after a hyphen and with a line break in it.
 */
function hasInnerSpace(text: string, start: number, end: number): boolean {
  const space = (i: number) => (CLASS[text.charCodeAt(i)] & C_SPACE) !== 0;
  for (let i = start; i < end; i++) {
    if (!space(i)) continue;
    let a = i;
    while (a > start && space(a - 1)) a--;
    let b = i;
    while (b < end && space(b)) b++;
    const hyphenBefore = a > start && (CLASS[text.charCodeAt(a - 1)] & C_HYPHEN) !== 0;
    const lineBreak = [...text.slice(a, b)].some((ch) => isBreak(ch.charCodeAt(0)));
    if (!hyphenBefore || !lineBreak) return true;
  }
  return false;
}

function colonFollows(text: string, end: number): boolean {
  let j = end;
  while (j < text.length && j - end < 4 && CLASS[text.charCodeAt(j)] & C_SPACE) j++;
  const c = text.charCodeAt(j);
  return c === CODE_COLON || c === CODE_FW_COLON;
}

/** "(Zhu et al., 2020)", "(2020)", "[12]", "[3, 7]" right after the name, in half- or full-width brackets and digits ("［12］", "［3，7］", "［１～３］"). */
function citationFollows(text: string, end: number): boolean {
  let j = end;
  while (j < text.length && j - end < 3 && CLASS[text.charCodeAt(j)] & C_SPACE) j++;
  const open = text[j];
  if (open === '(' || open === '（') {
    const close = text.slice(j + 1, j + 80).search(/[)）]/);
    if (close < 0) return false;
    return /et al\.?|\b(?:19|20)\d\d\b/.test(text.slice(j + 1, j + 1 + close));
  }
  if (open === '[' || open === '［') return /^[[［]\s*[\d０-９]+(?:\s*[,，、–～〜-]\s*[\d０-９]+)*\s*[\]］]/.test(text.slice(j, j + 40));
  return false;
}

function accept(text: string, start: number, end: number, p: Pattern, entries: string[], ctx?: ScanContext): boolean {
  if (p.flags & F_ID) return idBoundaryOk(text, start, end, p.idKind) && spellsId(text.slice(start, end), p.id!);
  if (p.wordStart && joinedLeft(text, start)) return false;
  if (p.wordEnd && joinedRight(text, end)) return false;
  if (p.flags & F_WHOLE && ((p.wordStart && wordBefore(text, start)) || (p.wordEnd && wordAfter(text, end)))) return false;
  if (p.flags & F_TIGHT && hasInnerSpace(text, start, end)) return false;
  if (p.flags & F_GUARD) {
    const id = entryFor(p, entries, ctx);
    if (ctx?.supportedIds?.has(id)) return true;
    const ok = !(p.flags & F_PROSE) && exactCase(text, start, end, p.exact) && ((p.flags & F_CASE) !== 0 || colonFollows(text, end) || citationFollows(text, end));
    if (!ok) ctx?.missed?.(id);
    return ok;
  }
  return true;
}

/**
 * The automaton run: calls `hit(start, end, pattern)` for every occurrence of every
 * pattern in the folded text (offsets in the original, end exclusive), in order of end.
 */
function run(a: Automaton, lens: Int32Array, text: string, hit: (start: number, end: number, pattern: number) => unknown): void {
  const { sym, dense, row, delta, first, edgeSym, edgeTo, fail, term, out } = a;
  const SEP = dense + 1;
  const ID = dense + 2;
  const n = text.length;
  // Current state: its row offset `r` when it has a row (then `s` is stale), else r = -1 and `s`.
  let r = 0;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const y = sym[text.charCodeAt(i)];
    if (y <= SEP && r >= 0) {
      // Hot path: one lookup (ASCII, separators, characters in no name).
      const v = delta[r + y];
      if (v >= 0) {
        r = v >> 1;
        if ((v & 1) === 0) continue;
        s = delta[r + ID];
      } else {
        const w = -v - 1;
        r = -1;
        s = w >> 1;
        if ((w & 1) === 0) continue;
      }
    } else {
      // A deep state without a row, or a non-ASCII character.
      if (y === SEP) continue;
      if (y === 0) {
        r = 0;
        continue;
      }
      if (r >= 0) s = delta[r + ID];
      // Edge list, then failure links until a match or a state with a complete row.
      for (;;) {
        let t = -1;
        const last = first[s + 1];
        for (let e = first[s]; e < last; e++) {
          if (edgeSym[e] === y) {
            t = edgeTo[e];
            break;
          }
        }
        if (t >= 0) {
          s = t;
          break;
        }
        if (s === 0) break;
        s = fail[s];
        if (y <= dense && row[s] >= 0) {
          const v = delta[row[s] + y];
          s = v >= 0 ? delta[(v >> 1) + ID] : (-v - 1) >> 1;
          break;
        }
      }
      r = row[s];
      if (out[s] < 0) continue;
    }
    for (let o = out[s]; o >= 0; o = out[fail[o]]) {
      // Walk back over the pattern's folded length to find where it starts in the original.
      let j = i;
      for (let left = lens[term[o]] - 1; left > 0; ) {
        j--;
        if (sym[text.charCodeAt(j)] !== SEP) left--;
      }
      // A true result stops the run (a yes/no question has its answer).
      if (hit(j, i + 1, term[o]) === true) return;
    }
  }
}

function scan(a: Automaton, lens: Int32Array, patterns: Pattern[], entries: string[], text: string, ctx?: ScanContext): TextMatch[] {
  // Candidates as flat triples (start, end, pattern); allocated only when something is found.
  let cand: number[] | null = null;
  run(a, lens, text, (start, end, pi) => {
    if (accept(text, start, end, patterns[pi], entries, ctx)) (cand ??= []).push(start, end, pi);
  });
  return cand === null ? [] : resolve(cand, patterns, entries, ctx);
}

/**
 * Test hook: compiles bare folded patterns and returns the raw automaton hits
 * `[start, end, pattern]` for a text, before any boundary or guard rule. Tests compare it
 * with a brute-force search.
 */
export function rawAutomaton(folded: string[]): (text: string) => Array<[number, number, number]> {
  const a = compile(folded);
  const lens = Int32Array.from(folded, (f) => f.length);
  return (text) => {
    const hits: Array<[number, number, number]> = [];
    run(a, lens, text, (start, end, pi) => {
      hits.push([start, end, pi]);
    });
    return hits;
  };
}

/** Non-overlapping subset: longest first, then earliest start, then lowest pattern number. */
function resolve(cand: number[], patterns: Pattern[], entries: string[], ctx?: ScanContext): TextMatch[] {
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
    const p = patterns[cand[k * 3 + 2]];
    return {
      start: cand[k * 3],
      end: cand[k * 3 + 1],
      entryId: entryFor(p, entries, ctx),
      via: p.flags & F_ID ? 'id' : 'name',
    };
  });
}

