/**
 * The popup's search engine. Loads the prebuilt {@link SearchIndex} and answers
 * each keystroke in a few milliseconds even for 10,000 entries:
 *
 * 1. exact table: a query equal to a name, title or ID (or an arXiv / ACL /
 *    GitHub / DOI URL naming one) ranks first, score 0;
 * 2. n-gram shortlist: IDF-weighted gram hits pick at most a few hundred
 *    candidates, so nothing below scans the whole catalog;
 * 3. direct matching on the shortlist: prefix / substring / all-words on names
 *    (also with spaces and punctuation ignored: "chip2019" is "CHIP 2019 …"),
 *    pinyin (full and initials) on Chinese names, substring on summaries;
 * 3a. acronyms: a few letters that spell the initials of words in a name
 *    ("mrc": Machine Reading Comprehension), from a table built with the index;
 * 4. typos: names within one edit of a 4–8 character query (a swap of two
 *    adjacent letters counts as one), from length buckets built with the index,
 *    and fuse.js over the best-shortlisted candidates only.
 *
 * Queries are read as people type and select them: punctuation around them is
 * dropped ("PubMedQA,", “问答”), and traditional characters fold to simplified
 * through the index's table (醫渡雲 → 医渡云).
 *
 * Must not import pinyin-pro (build-time only) or call browser.*.
 */
import Fuse, { type FuseResult, type IFuseOptions } from 'fuse.js';
import type { Highlight, SearchHit, SearchIndex, SearchOptions, Searcher } from './types';
import {
  D_ALIASES,
  D_IDS,
  D_KIND,
  D_NAMES,
  D_PINYIN,
  D_SECTIONS,
  D_SUM_EN,
  D_SUM_ZH,
  D_TITLE,
  D_VENUE,
  D_YEAR,
  EXACT_PINYIN,
  NEAR_MAX_QUERY,
  NEAR_MIN_QUERY,
  type DocTuple,
  type IndexData,
} from './format';
import {
  ACRONYM_MAX,
  ACRONYM_MIN,
  acronymRuns,
  compact,
  compactOffset,
  countEncoded,
  decodeAscending,
  fold,
  isHanCode,
  isJoinerCode,
  isWordCode,
  joinWords,
  joinedOffsets,
  normalizeQuery,
  pinyinKeys,
  queryGrams,
  runs,
  splitLettersDigits,
  trimNonWord,
  type PinyinKeys,
} from './text';

export { normalizeQuery } from './text';

/**
 * Default number of hits. Callers that list every match (the popup) pass a higher
 * limit, or Infinity: in a catalog of up to SMALL_CATALOG entries that is every
 * match; in a larger one, every match among the shortlisted candidates.
 */
export const DEFAULT_LIMIT = 50;
/** Most candidates the shortlist hands to direct matching. */
const SHORTLIST = 300;
/** Most candidates fuse.js sees per query; its cost grows linearly with them. */
const FUSE_CANDIDATES = 100;
/** At or below this many entries, fuse runs over the whole catalog: cheap, and it forgives any typo. */
const SMALL_CATALOG = 200;
/** Shortest query fuse.js is asked about. */
const FUSE_MIN_QUERY = 4;
/** fuse.js cannot use more than 32 pattern characters per bitap pass; longer typos are not worth chunking. */
const FUSE_MAX_PATTERN = 32;
/**
 * How far behind the best hit a fuse.js look-alike may score and still be listed.
 * Beyond it are letters scattered over a long title ("xinguan" in "… an … Lingual
 * … in …") behind a clean hit, not what the reader half remembered.
 */
const FUSE_SPREAD = 0.25;
/** Longest run of Chinese characters that is pieced together from an entry's names (see hanCover). */
const COVER_MAX = 20;

/**
 * Score bands (lower is better). Exact key hits are 0; direct name matches stay
 * below NAMES_END so a clean prefix or pinyin hit is never outranked by a fuzzy
 * one, and fuse.js's look-alikes start at FUSE_BASE, below every entry where each
 * word of the query was found as typed (in a name, a summary, a venue…):
 * "naacl 2021" is MEDIQA 2021, held at NAACL 2021, before a title with "ACL 2021".
 */
const S = {
  exactPinyin: 0.002,
  prefix: 0.01,
  idPrefix: 0.015,
  pinyinStart: 0.02,
  initialsStart: 0.025,
  substrWord: 0.03,
  pinyinMid: 0.035,
  initialsMid: 0.04,
  substr: 0.045,
  idSubstr: 0.05,
  /**
   * The initials of words in a name ("ehr": Electronic Health Records), to 0.057: below the letters
   * found as typed in a name, above every word found only in a summary.
   */
  acronym: 0.055,
  /** Every word in the names, to 0.079: shorter names, whole words, fewer pieces first (see `direct`). */
  allWordsInNames: 0.06,
  /** A name within one edit (typo band, above fuse.js: a swap is one slip, not two). */
  near: 0.08,
  NAMES_END: 0.1,
  summary: 0.15,
  /** 1–3 characters inside a word of a name ("ner" in "Generation"): below the same letters as a word in a summary. */
  shortMidWord: 0.152,
  /** Every word somewhere, to 0.18: whole words and words in names first. */
  allWordsAnywhere: 0.165,
  otherText: 0.2,
  FUSE_BASE: 0.25,
} as const;

/**
 * Numbered pinyin: syllables each followed by a tone digit, then perhaps one typed without.
 * A syllable is an initial and a final, or a final that stands alone ("e4", "er2", "ai4"); the
 * pattern is looser than the syllable table but has a vowel in every syllable and no lone "i",
 * "u" or "v", so names such as "T5", "n2c2", "i2b2" or "S4K" do not read as pinyin.
 */
const SYLLABLE = '(?:(?:[zcs]h|[bpmfdtnlgkhjqxrzcsyw])(?:i(?:a(?:o|ng?)?|ong|ng?|e|u)?|u(?:a(?:i|ng?)?|[oine])?|v(?:e|an?|n)?|a(?:[io]|ng?)?|o(?:u|ng)?|e(?:i|ng?|r)?)|a(?:[io]|ng?)?|ou?|e(?:i|ng?|r)?)';
const TONE_NUMBERED = new RegExp(`^(?:${SYLLABLE}[1-5])+[a-z]*$`);

/** Gram weights by where the gram occurred (index = place code in format.ts). */
const PLACE_WEIGHT = [0, 1, 3, 5];

/**
 * fuse.js sees only names: bitap over every summary cost ~100 µs per entry per
 * keystroke, and typo tolerance matters for names people half remember, not for
 * prose (summaries still match exactly, see `direct`). IDs are matched exactly and
 * by prefix; their look-alikes ("xinguan" in "kexinhuang12345", "bert" in
 * "chanzuckerberg") were hits with nothing in the row to show why.
 */
const FUSE_OPTIONS: IFuseOptions<FuseDoc> = {
  keys: [
    { name: 't', weight: 3 },
    { name: 'n', weight: 2.5 },
  ],
  includeScore: true,
  includeMatches: true,
  ignoreLocation: true,
  // Accepts "pubmedq", "medmention", "cometa corpus"; rejects unrelated words sharing a few letters.
  threshold: 0.34,
  minMatchCharLength: 2,
  shouldSort: false,
};

/** What fuse.js sees of an entry: folded strings, so its match indices are display offsets. */
interface FuseDoc {
  doc: number;
  t: string;
  n: string[];
}

/** Shared by the many entries without aliases. */
const NO_ALIASES: string[] = [];

/**
 * Folded, matchable view of one entry, made the first time a query touches it.
 * Names and IDs are folded at once (every query reads them); summaries, pinyin
 * keys and the venue/kind/year/section text only when a query gets that far,
 * which most never do: a one-letter prefix is answered from names alone.
 */
class DocView {
  /** Folded [title, ...names]. */
  readonly names: string[];
  readonly ids: string[];
  fuse?: FuseDoc;
  private sumEnF?: string;
  private sumZhF?: string;
  private venueF?: string;
  private pyKeys?: (PinyinKeys | null)[];
  private namesC?: string[];
  private namesJ?: string[];
  private sumEnJ?: string;
  private sumZhJ?: string;
  private aliasesF?: string[];
  private aliasesC?: string[];

  constructor(
    private readonly d: DocTuple,
    private readonly shared: SharedText,
  ) {
    this.names = [d[D_TITLE], ...d[D_NAMES]].map(fold);
    this.ids = d[D_IDS].map(fold);
  }

  /** The displayed [title, ...names], unit for unit with `names`. */
  get shownNames(): string[] {
    return [this.d[D_TITLE], ...this.d[D_NAMES]];
  }

  get shownSumEn(): string {
    return this.d[D_SUM_EN];
  }

  get shownSumZh(): string {
    return this.d[D_SUM_ZH];
  }

  /** Folded search-only aliases (Entry.aliases); most entries have none. */
  get aliases(): string[] {
    return (this.aliasesF ??= this.d[D_ALIASES]?.map(fold) ?? NO_ALIASES);
  }

  /** `aliases` without spaces and punctuation. */
  get compactAliases(): string[] {
    return (this.aliasesC ??= this.aliases === NO_ALIASES ? NO_ALIASES : this.aliases.map(compact));
  }

  /** `names` without hyphens and apostrophes inside words (see joinWords). */
  get joinedNames(): string[] {
    return (this.namesJ ??= this.names.map(joinWords));
  }

  get joinedSumEn(): string {
    return (this.sumEnJ ??= joinWords(this.sumEn));
  }

  get joinedSumZh(): string {
    return (this.sumZhJ ??= joinWords(this.sumZh));
  }

  /** `names` without spaces and punctuation (compactOffset maps back). */
  get compactNames(): string[] {
    return (this.namesC ??= this.names.map(compact));
  }

  get sumEn(): string {
    return (this.sumEnF ??= fold(this.d[D_SUM_EN]));
  }

  get sumZh(): string {
    return (this.sumZhF ??= fold(this.d[D_SUM_ZH]));
  }

  /** Pinyin keys aligned with `names`; null where the field has no Chinese. */
  get py(): (PinyinKeys | null)[] {
    const d = this.d;
    return (this.pyKeys ??= [d[D_TITLE], ...d[D_NAMES]].map((f, j) => (d[D_PINYIN][j] ? pinyinKeys(f, d[D_PINYIN][j]) : null)));
  }

  /** Whether `q` occurs in the venue, kind, year or one of the section headings (each on its own). */
  otherIncludes(q: string): boolean {
    const d = this.d;
    if ((this.venueF ??= fold(d[D_VENUE])).includes(q)) return true;
    if (this.shared.kind(d[D_KIND]).includes(q)) return true;
    if (d[D_YEAR] && String(d[D_YEAR]).includes(q)) return true;
    for (const i of d[D_SECTIONS]) if (this.shared.section(i).some((t) => t.includes(q))) return true;
    return false;
  }
}

/** Folded kind names and section headings, shared by every entry that has them. */
class SharedText {
  private readonly kinds: string[] = [];
  private readonly sections: string[][] = [];

  constructor(private readonly data: IndexData) {}

  kind(i: number): string {
    return (this.kinds[i] ??= fold(this.data.kinds[i] ?? ''));
  }

  section(i: number): string[] {
    return (this.sections[i] ??= (this.data.sections[i] ?? []).filter(Boolean).map(fold));
  }
}

interface Scored {
  doc: number;
  score: number;
  /** Tie-break inside a score: exact key type, else 9. */
  tie: number;
  fuse?: FuseResult<FuseDoc>;
  /** The compact name key a one-edit match found, for highlighting. */
  near?: string;
  /** The best direct match ran words of a name together (see joinsWords): not "typed so far". */
  joined?: boolean;
  /** The query spells the initials of words in a name (see acronymRuns), highlighted as those words. */
  acronym?: boolean;
  /** Found as full pinyin with one slip (see pinyinNear). */
  pinyinNear?: boolean;
  /** Found as two syllables, an initial and a whole one mixed ("xguan": 新冠; see pinyinMatch). */
  pinyinShort?: boolean;
}

/** Parsed query: the whole folded string, its word runs, and any IDs a pasted URL names. */
interface Query {
  /** The folded query without punctuation at either end (and reduced to its ID part if it is a URL). */
  q: string;
  /** compact(q): what names with spaces or punctuation removed are compared with. */
  qc: string;
  /** Words of q; Latin ones also split between letters and digits ("ccks2019" → "ccks", "2019"). */
  parts: string[];
  /** compact(q) when it could be pinyin: ASCII letters/digits with at least one letter. */
  pinyin: string;
  /** `pinyin` with ü spelled "v" after n and l, as the index spells it (see withV), or ''. */
  pinyinV: string;
  /** joinWords(q): q without hyphens and apostrophes inside words. */
  qj: string;
  /** Whether q is a run of Chinese characters that names may hold in pieces (see coverable). */
  cover: boolean;
  exactKeys: string[];
}

const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function binarySearch(sorted: readonly string[], key: string): number {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const c = byCodeUnit(sorted[mid], key);
    if (c === 0) return mid;
    if (c < 0) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/**
 * Exact-table keys a query may stand for. People paste URLs and prefixed IDs
 * ("arXiv:1909.06146v2", "https://aclanthology.org/2020.emnlp-main.253.pdf",
 * "github.com/CBLUEbenchmark/CBLUE/tree/main"), so those are reduced to the bare ID.
 */
function exactKeysOf(q: string): string[] {
  const keys = [q];
  const c = compact(q);
  if (c && c !== q) keys.push(c);
  const add = (k: string | undefined) => {
    if (k && !keys.includes(k)) keys.push(k);
  };
  // Each pattern is anchored and linear; the query is at most 200 characters.
  const arxiv = /(?:arxiv\.org\/(?:abs|pdf|html)\/|arxiv[: ]\s?)([a-z-]*\/?\d{4}\.\d{4,5}|[a-z-]+\/\d{7})(?:v\d+)?/.exec(q);
  if (arxiv) add(arxiv[1]);
  const bareArxiv = /^(\d{4}\.\d{4,5})v\d+$/.exec(q);
  if (bareArxiv) add(bareArxiv[1]);
  // aclweb.org's older layouts add the volume's letter and year: /anthology/papers/D/D19/D19-1259/.
  const acl = /(?:aclanthology\.org|aclweb\.org\/anthology|anthology\.aclweb\.org)\/(?:papers\/)?(?:[a-z]\/[a-z]\d{2}\/)?([a-z0-9][\w.-]*?)(?:v\d+)?(?:\.pdf|\.bib)?\/?(?:[?#]|$)/.exec(q);
  if (acl) add(acl[1]);
  // The DOI every Anthology paper since 2016 carries ends in its Anthology ID.
  const aclDoi = /(?:^|doi\.org\/|doi:\s?)10\.18653\/v1\/([a-z0-9][\w.-]*?)\/?$/.exec(q);
  if (aclDoi) add(aclDoi[1]);
  const gh = /github\.com\/([\w.-]+\/[\w.-]+?)(?:\.git)?(?:[/?#]|$)/.exec(q);
  if (gh) add(gh[1]);
  const doi = /(?:doi\.org\/|^doi:\s?)(10\.\d{4,9}\/\S+)/.exec(q);
  if (doi) add(doi[1]);
  return keys;
}

const SCHEME = /^(?:https?:\/\/)?(?:www\.)?/;
const KNOWN_HOST = /^(?:(arxiv)\.org(?:\/(?:abs|pdf|html))?|aclanthology\.org|(?:anthology\.)?aclweb\.org(?:\/anthology)?|github\.com|(?:dx\.)?doi\.org)(?:\/|$)/;

/**
 * The part of a query worth matching as text. A URL being typed or pasted
 * ("https://arxiv.org/abs/1909.06") is reduced to its ID part, otherwise
 * "https", "arxiv" and "org" would shortlist half the catalog.
 */
function textOf(q: string): string {
  let s = q.replace(/^(?:arxiv|doi):\s*/, '');
  const scheme = SCHEME.exec(s)![0];
  const host = KNOWN_HOST.exec(s.slice(scheme.length));
  if (!host) return s;
  s = s.slice(scheme.length + host[0].length);
  if (host[1]) s = s.replace(/(?:v\d*)?(?:\.pdf)?$/, '');
  return s.replace(/\/+$/, '');
}

/**
 * The text without punctuation at either end, unless that leaves a single Latin letter or
 * digit ("C++" is not the query "c"); a single Han character is a word ("《肺》", "医，").
 */
function trimKeeping(text: string): string {
  const cut = trimNonWord(text);
  return [...cut].length < 2 && cut !== text && !/^\p{Script=Han}$/u.test(cut) ? text : cut;
}

/**
 * Reads a normalized query. Exact keys come from the query as given (a key may
 * end in a bracket) and from it without punctuation at either end; everything
 * else matches the trimmed text.
 */
function parseQuery(normalized: string): Query {
  // Punctuation around a word is dropped ("问答，", "PubMedQA,"), but not down to one character:
  // "C++" or "c#" is not the query "c", which every entry matches.
  const trimmed = trimKeeping(normalized);
  const q = trimKeeping(textOf(trimmed));
  const parts = runs(q).flatMap((r) => (r.han ? [r.text] : splitLettersDigits(r.text)));
  const qc = compact(q);
  const pinyin = /^[a-z0-9]+$/.test(qc) && /[a-z]/.test(qc) && qc.length >= 2 ? qc : '';
  const exactKeys = exactKeysOf(normalized);
  if (trimmed && trimmed !== normalized) for (const k of exactKeysOf(trimmed)) if (!exactKeys.includes(k)) exactKeys.push(k);
  // Whole-name pinyin keys spell ü "v": "lüse" and "luse" look up "lvse" too.
  const pinyinV = pinyin && withV(pinyin);
  if (pinyinV && !exactKeys.includes(pinyinV)) exactKeys.push(pinyinV);
  return { q, qc, parts, pinyin, pinyinV, exactKeys, qj: joinWords(q), cover: coverable(q) };
}

/** Both strings equal from `i` and `j` on. */
function sameFrom(a: string, i: number, b: string, j: number): boolean {
  if (a.length - i !== b.length - j) return false;
  for (; i < a.length; i++, j++) if (a.charCodeAt(i) !== b.charCodeAt(j)) return false;
  return true;
}

/**
 * Optimal string alignment distance of exactly 1: one substitution, insertion,
 * deletion, or swap of two adjacent characters. Linear, without allocation.
 */
export function oneEditApart(a: string, b: string): boolean {
  const d = a.length - b.length;
  if (d > 1 || d < -1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  if (d === 1) return sameFrom(a, i + 1, b, i);
  if (d === -1) return sameFrom(a, i, b, i + 1);
  if (i === a.length) return false;
  if (sameFrom(a, i + 1, b, i + 1)) return true;
  return i + 1 < a.length && a[i] === b[i + 1] && a[i + 1] === b[i] && sameFrom(a, i + 2, b, i + 2);
}

/**
 * What of a fuse.js look-alike to highlight, from its runs of matched letters (inclusive pairs):
 * fuse.js reports every run of letters the pattern met, so "pubmde" in "PubMedQA: A Dataset for
 * Biomedical …" lights "PubMed", then "Bio" and "es" further on, letters that happen to agree. A
 * run that holds the query but for its slips is the match, alone; otherwise runs of three or
 * more letters from a word's start ("chinese medcal dialoge": the words typed right).
 */
export function lookAlikeRanges(text: string, indices: readonly (readonly [number, number])[], queryLength: number): [number, number][] {
  const runs = indices.map(([a, b]): [number, number] => [a, b + 1]);
  let best: [number, number] | undefined;
  for (const r of runs) if (!best || r[1] - r[0] > best[1] - best[0]) best = r;
  if (best && best[1] - best[0] >= queryLength - slipsFor(queryLength)) return [best];
  return runs.filter(([a, b]) => b - a >= 3 && !isWordCode(text.charCodeAt(a - 1)));
}

/** Whether `name` is the short name before the subtitle of `title` (both folded): "biobert" of "biobert: a pre-trained …". */
const shortOf = (title: string, name: string) => title.startsWith(name) && /^\s*[:：]/.test(title.slice(name.length));

/** Slips forgiven in a look-alike of `len` characters: one up to 7, two up to 11, then one per four. */
const slipsFor = (len: number) => (len < 8 ? 1 : len < 12 ? 2 : len >> 2);

let rowA = new Int32Array(0);
let rowB = new Int32Array(0);
let rowC = new Int32Array(0);

/**
 * Whether `p` occurs somewhere in `text` with at most `k` slips (a letter added, left out,
 * changed, or two adjacent ones swapped). fuse.js counts a swap as two and allows a third
 * of the pattern: "harbin" in "margin…" (two changed letters of six) is no slip of the hand.
 */
export function occursWithin(p: string, text: string, k: number): boolean {
  const n = text.length;
  if (rowA.length < n + 1) {
    rowA = new Int32Array(n + 1);
    rowB = new Int32Array(n + 1);
    rowC = new Int32Array(n + 1);
  }
  // Rows are pattern positions, columns text positions; a match may start anywhere (row 0 is all 0).
  let prev2 = rowA;
  let prev = rowB;
  let cur = rowC;
  prev.fill(0, 0, n + 1);
  for (let i = 1; i <= p.length; i++) {
    cur[0] = i;
    let best = i;
    const pc = p.charCodeAt(i - 1);
    for (let j = 1; j <= n; j++) {
      const tc = text.charCodeAt(j - 1);
      let d = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (pc === tc ? 0 : 1));
      if (i > 1 && j > 1 && pc === text.charCodeAt(j - 2) && p.charCodeAt(i - 2) === tc) d = Math.min(d, prev2[j - 2] + 1);
      cur[j] = d;
      if (d < best) best = d;
    }
    if (best > k) return false;
    const t = prev2;
    prev2 = prev;
    prev = cur;
    cur = t;
  }
  for (let j = 0; j <= n; j++) if (prev[j] <= k) return true;
  return false;
}

const HAN_UNIT = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/g;

/** Folds traditional characters of a query to simplified ones, one unit for one, through the index's table. */
function simplifier(table: IndexData['traditional']): (s: string) => string {
  if (!table || !table[0]) return (s) => s;
  const [from, to] = table;
  const map = new Map<string, string>();
  for (let i = 0; i < from.length && i < to.length; i++) map.set(from[i], to[i]);
  const one = (ch: string) => map.get(ch) ?? ch;
  return (s) => s.replace(HAN_UNIT, one);
}

/**
 * Whether `t` is in the pinyin key `key` at `at`. The key spells ü as "v" (nv, lv,
 * nve, lve), as people type it; a query may spell it "u": ü loses its dots when
 * queries are folded (lǜsè → luse), and many type it so in the first place (nuxing).
 */
function pinyinAt(key: string, t: string, at: number): boolean {
  if (at + t.length > key.length) return false;
  for (let i = 0; i < t.length; i++) {
    const k = key.charCodeAt(at + i);
    const c = t.charCodeAt(i);
    if (k === c) continue;
    if (k !== 0x76 || c !== 0x75 || at + i === 0) return false;
    const before = key.charCodeAt(at + i - 1);
    if (before !== 0x6e && before !== 0x6c) return false;
  }
  return true;
}

/** Pinyin spelled with "v" for ü where a query spelled it "u" after n or l ("luse" → "lvse"), or '' if that changes nothing. */
function withV(pinyin: string): string {
  const v = pinyin.replace(/([nl])u/g, '$1v');
  return v === pinyin ? '' : v;
}

/**
 * Where `t` matches a field's pinyin starting at a syllable: full pinyin first
 * ("tangniaobing", partial last syllable allowed), then initials ("tnb").
 * Returns the field range of the Chinese characters matched, or null. A match
 * must cover at least one Chinese character, so plain Latin text is left to
 * ordinary substring matching.
 */
function pinyinMatch(
  field: string,
  keys: PinyinKeys,
  t: string,
  mixedMin = 3,
): { range: [number, number]; first: boolean; initials: boolean } | null {
  const covers = (k: number, m: number) => {
    for (let x = k; x <= m; x++) if (isHanCode(field.charCodeAt(keys.spans[x][0]))) return true;
    return false;
  };
  for (let k = 0; k < keys.starts.length; k++) {
    if (!pinyinAt(keys.full, t, keys.starts[k])) continue;
    const end = keys.starts[k] + t.length - 1;
    let m = k;
    while (m + 1 < keys.starts.length && keys.starts[m + 1] <= end) m++;
    if (covers(k, m)) return { range: [keys.spans[k][0], keys.spans[m][1]], first: k === 0, initials: false };
  }
  if (t.length >= 2) {
    for (let i = 0; i + t.length <= keys.initials.length; i++) {
      if (i > 0 && keys.initialOf[i] === keys.initialOf[i - 1]) continue;
      if (!keys.initials.startsWith(t, i)) continue;
      const k = keys.initialOf[i];
      const m = keys.initialOf[i + t.length - 1];
      if (covers(k, m)) return { range: [keys.spans[k][0], keys.spans[m][1]], first: k === 0, initials: true };
    }
  }
  if (t.length >= MIXED_MIN) {
    for (let k = 0; k < keys.starts.length; k++) {
      if (keys.full.charCodeAt(keys.starts[k]) !== t.charCodeAt(0)) continue;
      const m = mixedEnd(field, keys, t, k);
      // Over `mixedMin` syllables or more. Over two, an English word's start reads so by chance ("clin"
      // is c(i)·lin of 大词林): such a reading ("xguan", "rjin") is tried only where nothing holds the
      // query as typed (see pinyinShort).
      if (m - k + 1 >= mixedMin && covers(k, m)) return { range: [keys.spans[k][0], keys.spans[m][1]], first: k === 0, initials: true };
    }
  }
  return null;
}

/** A pinyin reading's score: its kind and where it starts, then the more of the name it covers the better. */
const pinyinScore = (m: { range: [number, number]; first: boolean; initials: boolean }, nameLength: number) =>
  (m.initials ? (m.first ? S.initialsStart : S.initialsMid) : m.first ? S.pinyinStart : S.pinyinMid) + 0.004 * (1 - (m.range[1] - m.range[0]) / nameLength);

/** Shortest query read as whole syllables and initials mixed (see mixedEnd). */
const MIXED_MIN = 4;

/**
 * Where `t` ends, as syllable index, when read from syllable `k` on as whole syllables and
 * initials of Chinese ones mixed, the last perhaps cut short: "tangnb" is tang·n(iao)·b(ing)
 * of 糖尿病, "zhongyyx" zhong·y(i)·y(ao)·x(ue). -1 if it cannot be read so. Tried after the
 * whole-pinyin and initials readings fail, so whatever it finds mixes the two.
 */
function mixedEnd(field: string, keys: PinyinKeys, t: string, k: number): number {
  const n = keys.starts.length;
  /** (syllable, query offset) pairs already known to lead nowhere. */
  let dead: Set<number> | undefined;
  const go = (s: number, i: number): number => {
    if (i === t.length) return s - 1;
    if (s >= n || dead?.has(s * 256 + i)) return -1;
    const at = keys.starts[s];
    const len = (s + 1 < n ? keys.starts[s + 1] : keys.full.length) - at;
    const rest = t.length - i;
    // The last syllable typed so far.
    if (rest <= len && pinyinAt(keys.full, t.slice(i), at)) return s;
    if (rest > len && pinyinAt(keys.full, t.slice(i, i + len), at)) {
      const r = go(s + 1, i + len);
      if (r >= 0) return r;
    }
    if (len > 1 && isHanCode(field.charCodeAt(keys.spans[s][0])) && t.charCodeAt(i) === keys.full.charCodeAt(at)) {
      const r = go(s + 1, i + 1);
      if (r >= 0) return r;
    }
    if (i < 256) (dead ??= new Set()).add(s * 256 + i);
    return -1;
  };
  return go(k, 0);
}

/** Shortest pinyin query one slip is forgiven in (see pinyinNear). */
const PINYIN_NEAR_MIN = 5;

/**
 * Full pinyin with one slip (a letter added, left out, changed, or two swapped: "tangniaobign",
 * "ruijni"), over whole syllables of Chinese characters from a syllable start. The first letter
 * must be right, or swapped with the second. Returns the field range matched, or null.
 */
function pinyinNear(field: string, keys: PinyinKeys, t: string): [number, number] | null {
  const n = keys.starts.length;
  const c0 = t.charCodeAt(0);
  const c1 = t.charCodeAt(1);
  for (let k = 0; k < n; k++) {
    const at = keys.starts[k];
    const f0 = keys.full.charCodeAt(at);
    if (f0 !== c0 && !(f0 === c1 && keys.full.charCodeAt(at + 1) === c0)) continue;
    for (let m = k + 1; m < n; m++) {
      const end = m + 1 < n ? keys.starts[m + 1] : keys.full.length;
      const len = end - at;
      if (len > t.length + 1) break;
      if (len < t.length - 1) continue;
      let han = true;
      for (let x = k; x <= m && han; x++) han = isHanCode(field.charCodeAt(keys.spans[x][0]));
      if (han && oneEditApart(t, keys.full.slice(at, end))) return [keys.spans[k][0], keys.spans[m][1]];
    }
  }
  return null;
}

const isDigit = (c: number) => c >= 0x30 && c <= 0x39;

/**
 * A hit inside a folded field counts as a word match when it does not start
 * mid-word. Letters and digits meet at a word start ("2019" in "chip2019").
 */
function atWordStart(field: string, pos: number, q: string): boolean {
  if (pos === 0) return true;
  const before = field.charCodeAt(pos - 1);
  const first = q.charCodeAt(0);
  return !isWordCode(before) || isHanCode(before) || isHanCode(first) || (isDigit(before) !== isDigit(first) && before < 0x80 && first < 0x80);
}

/** An upper-case letter right after a lower-case one in the displayed text: "QA" in "cMedQA2", "Med" in "PubMed". */
function camelStart(shown: string, pos: number): boolean {
  if (pos === 0 || pos >= shown.length) return false;
  const c = shown.charCodeAt(pos);
  const b = shown.charCodeAt(pos - 1);
  return c >= 0x41 && c <= 0x5a && b >= 0x61 && b <= 0x7a;
}

const isLatinLetter = (c: number) => c >= 0x61 && c <= 0x7a;

/**
 * Whether folded[start..end] runs over a space or punctuation with letters on
 * both sides, or digits on both: "cometaa" read in "COMETA: A", as opposed to
 * "chip2019" in "CHIP 2019", where letters meet digits as typed.
 */
function joinsWords(folded: string, start: number, end: number): boolean {
  let last = folded.charCodeAt(start);
  for (let i = start + 1; i <= end; i++) {
    const c = folded.charCodeAt(i);
    if (!isWordCode(c)) continue;
    if (!isWordCode(folded.charCodeAt(i - 1)) && ((isLatinLetter(last) && isLatinLetter(c)) || (isDigit(last) && isDigit(c)))) return true;
    last = c;
  }
  return false;
}

/** How `p` occurs in a folded field: 2 as a word (or from a capital inside a CamelCase name), 1 only inside words, 0 not at all. */
function occursAs(field: string, shown: string, p: string): 0 | 1 | 2 {
  let pos = field.indexOf(p);
  if (pos < 0) return 0;
  for (let n = 0; pos >= 0 && n < 16; pos = field.indexOf(p, pos + 1), n++)
    if (atWordStart(field, pos, p) || camelStart(shown, pos)) return 2;
  return 1;
}

/**
 * Where `q` occurs in `field`: the first occurrence at a word start if there
 * is one among the first few, else the first occurrence; -1 if none. "ner" in
 * "general-domain BERT on biomedical NER" is the word, not the letters in "general".
 */
function findWord(field: string, q: string): { pos: number; word: boolean } {
  const first = field.indexOf(q);
  if (first < 0) return { pos: -1, word: false };
  for (let pos = first, n = 0; pos >= 0 && n < 16; pos = field.indexOf(q, pos + 1), n++)
    if (atWordStart(field, pos, q)) return { pos, word: true };
  return { pos: first, word: false };
}

/**
 * The fewest pieces a run of Chinese characters splits into, in order, each of
 * at least two characters and each occurring in one of `names`; null if there
 * is no such split. People shorten a name by skipping characters: 瑞金糖尿病 is
 * 瑞金 + 糖尿病 of 瑞金医院糖尿病数据集, 医疗对话竞赛 is 医疗对话 + 竞赛.
 * Whatever occurs, so does each part of it, so from each start the pieces that
 * occur are those up to one longest end; one pass from the right then finds the
 * fewest pieces. Only runs of 4 to COVER_MAX characters are split.
 */
export function hanCover(run: string, names: readonly string[]): string[] | null {
  const n = run.length;
  if (n < 4 || n > COVER_MAX) return null;
  const occurs = (a: number, b: number) => {
    const piece = run.slice(a, b);
    return names.some((f) => f.includes(piece));
  };
  // The first and the last two characters are in some piece: a cheap test that fails for most entries.
  if (!occurs(0, 2) || !occurs(n - 2, n)) return null;
  /** fewest[i]: pieces covering run.slice(i); next[i]: where the first of them ends. */
  const fewest = new Array<number>(n + 1).fill(Infinity);
  const next = new Array<number>(n + 1).fill(n);
  fewest[n] = 0;
  for (let i = n - 2; i >= 0; i--) {
    for (let j = i + 2; j <= n && occurs(i, j); j++) {
      if (fewest[j] + 1 < fewest[i] || (fewest[j] + 1 === fewest[i] && j > next[i])) {
        fewest[i] = fewest[j] + 1;
        next[i] = j;
      }
    }
  }
  if (fewest[0] === Infinity) return null;
  const pieces: string[] = [];
  for (let i = 0; i < n; i = next[i]) pieces.push(run.slice(i, next[i]));
  return pieces;
}

/** Is `p` a run of Chinese characters, and no more, that an entry's names may hold in pieces (see hanCover)? */
function coverable(p: string): boolean {
  if (p.length < 4 || p.length > COVER_MAX) return false;
  for (let i = 0; i < p.length; i++) if (!isHanCode(p.charCodeAt(i))) return false;
  return true;
}

function validate(index: SearchIndex): IndexData {
  const d = index as unknown as IndexData;
  if (
    !d ||
    d.version !== 1 ||
    !Array.isArray(d.docs) ||
    !Array.isArray(d.grams) ||
    !Array.isArray(d.postings) ||
    !Array.isArray(d.exactKeys) ||
    !Array.isArray(d.exactPostings)
  ) {
    throw new Error('search index: unsupported or corrupt index (expected version 1)');
  }
  return d;
}

/**
 * Creates the popup's searcher over a prebuilt index. Creation does no per-entry
 * work (views, pinyin keys and fuse records are made lazily for the entries
 * queries touch), so opening the popup costs nothing beyond parsing the JSON.
 */
export function createSearcher(index: SearchIndex): Searcher {
  const data = validate(index);
  const N = data.docs.length;
  const views: (DocView | undefined)[] = new Array(N);
  const gramScore = new Float64Array(N);
  let allFuse: Fuse<FuseDoc> | undefined;

  const shared = new SharedText(data);
  const simplify = simplifier(data.traditional);
  const near = data.near ?? {};
  const view = (doc: number): DocView => (views[doc] ??= new DocView(data.docs[doc], shared));

  const fuseDoc = (doc: number): FuseDoc => {
    const v = view(doc);
    if (!v.fuse) {
      const [t, ...n] = v.names;
      v.fuse = { doc, t, n: n.filter(Boolean) };
    }
    return v.fuse;
  };

  const makeFilter = (opts: SearchOptions): ((doc: number) => boolean) => {
    const kinds = opts.kinds?.length ? new Set(opts.kinds.map((k) => data.kinds.indexOf(k))) : undefined;
    const secs = opts.section
      ? new Set(data.sections.flatMap((s, i) => (s[0] === opts.section ? [i] : [])))
      : undefined;
    if (!kinds && !secs) return () => true;
    return (doc) => {
      const d = data.docs[doc];
      if (kinds && !kinds.has(d[D_KIND])) return false;
      if (secs && !d[D_SECTIONS].some((i) => secs.has(i))) return false;
      return true;
    };
  };

  /** Whether the last `direct` score came from a name whose words the query ran together (see joinsWords). */
  let lastJoined = false;

  /** Best direct (non-fuzzy) score of an entry for a query, or Infinity; sets lastJoined. */
  const direct = (doc: number, query: Query): number => {
    const v = view(doc);
    const { q, qc } = query;
    // Three letters inside a longer word are as likely chance as meant ("ner" in "Generation"). One or
    // two letters are a prefix or an acronym being typed, found mostly inside names ("QA" in "cMedQA2").
    const midWord = q.length === 3 ? S.shortMidWord : S.substr;
    let best = Infinity;
    lastJoined = false;
    const consider = (s: number, joined = false) => {
      if (s < best) {
        best = s;
        lastJoined = joined;
      } else if (s === best && !joined) lastJoined = false;
    };
    v.names.forEach((f, j) => {
      if (!f) return;
      const { pos, word } = findWord(f, q);
      if (pos < 0) return;
      const shortness = 0.009 * (1 - q.length / f.length);
      const nameNotTitle = j > 0 ? 0.0005 : 0;
      // A title the query begins ranks before another entry's name it begins (阿里云 is the title
      // 阿里云-医学自然语言处理 and an alias of 天池数据集, 阿里云天池数据集); shorter first within each.
      // A name that is its title's short name ("BioBERT" of "BioBERT: a pre-trained …") is the title's.
      if (pos === 0) consider(f.length === q.length ? 0 : S.prefix + shortness / 2 + (j > 0 && !shortOf(v.names[0], f) ? 0.0045 : 0));
      else consider((word ? S.substrWord : midWord) + shortness + nameNotTitle);
    });
    // The same with spaces and punctuation ignored on both sides: "chip2019" is "CHIP 2019 疾病…",
    // "pubmed qa" is "PubMedQA". Only from a word start, so words run together do not match by chance,
    // and not while a joiner is being typed at the end ("bio-" is on its way to "Bio-bert", not "BioSyn").
    if (qc.length >= 2 && best > S.prefix && isWordCode(q.charCodeAt(q.length - 1))) {
      v.compactNames.forEach((c, j) => {
        const f = v.names[j];
        if (!c || (qc === q && c.length === f.length)) return;
        const pos = c.indexOf(qc);
        if (pos < 0) return;
        const start = compactOffset(f, pos);
        if (pos > 0 && !atWordStart(f, start, qc)) return;
        const shortness = 0.009 * (1 - qc.length / c.length);
        const nameNotTitle = j > 0 ? 0.0005 : 0;
        // Typed without a space where the name has one between two words: as likely a typo ("cometaa").
        const joined = qc === q && joinsWords(f, start, compactOffset(f, pos + qc.length - 1));
        // Such a reading ranks just behind the names one edit away: "cometaa" is COMETA with a letter
        // typed twice before it is "COMETA: A …" run together.
        consider(joined ? S.near + 0.001 + shortness / 9 : (pos === 0 ? S.prefix : S.substrWord) + 0.001 + shortness + nameNotTitle, joined);
      });
    }
    // Search-only aliases ("covid" for 新冠): found from a word start, as typed or with spaces and
    // punctuation ignored ("covid19"), a step behind the same match in a name.
    v.aliases.forEach((a, i) => {
      const { pos, word } = findWord(a, q);
      const c = v.compactAliases[i];
      const shortness = 0.009 * (1 - q.length / a.length);
      if (pos === 0) consider(S.prefix + shortness / 2 + 0.0045 + 0.001);
      else if (word) consider(S.substrWord + shortness + 0.0005 + 0.001);
      else if (qc.length >= 2 && c.startsWith(qc)) consider(S.prefix + 0.001 + 0.009 * (1 - qc.length / c.length) + 0.001);
    });
    for (const id of v.ids) {
      const { pos, word } = findWord(id, q);
      if (pos === 0) consider(id.length === q.length ? 0 : S.idPrefix + 0.009 * (1 - q.length / id.length));
      else if (pos > 0 && q.length >= 3) consider(word || q.length > 3 ? S.idSubstr : S.shortMidWord);
    }
    if (query.pinyin && best > S.pinyinStart) {
      v.py.forEach((keys, j) => {
        if (!keys) return;
        const m = pinyinMatch(v.names[j], keys, query.pinyin);
        if (!m) return;
        consider(pinyinScore(m, v.names[j].length));
      });
    }
    if (best < S.allWordsInNames) return best;

    // Several words or scripts ("cometa corpus", "医渡云 4k"): every part must be found. Chinese
    // characters not found together in a name may be found there in pieces: 瑞金糖尿病 is 瑞金 and
    // 糖尿病 of 瑞金医院糖尿病数据集, as "cometa corpus" is two words of "COMETA corpus".
    if (query.parts.length > 1 || query.cover) {
      /** Pieces beyond one per part that the Chinese parts were found in. */
      let extraPieces = 0;
      /** How a part is in the names or IDs: 2 as a word, 1 inside a word, 0 not. */
      const inNames = (p: string): number => {
        let how = 0;
        const shown = v.shownNames;
        const latin = p.length >= 2 && /^[a-z0-9]+$/.test(p);
        for (let j = 0; j < v.names.length && how < 2; j++) {
          const f = v.names[j];
          how = Math.max(how, occursAs(f, shown[j], p));
          if (how < 2 && latin && v.py[j] !== null && pinyinMatch(f, v.py[j]!, p) !== null) how = 2;
        }
        for (let i = 0; i < v.ids.length && how < 2; i++) how = Math.max(how, occursAs(v.ids[i], v.ids[i], p));
        for (let i = 0; i < v.aliases.length && how < 2; i++) how = Math.max(how, occursAs(v.aliases[i], v.aliases[i], p));
        // Spelled with a hyphen or apostrophe in a name: "pretrained" in "a pre-trained biomedical …".
        if (!how) {
          const joined = v.joinedNames;
          for (let j = 0; j < joined.length; j++)
            if (joined[j] !== v.names[j] && joined[j].includes(p)) how = Math.max(how, occursAs(joined[j], joined[j], p));
        }
        if (how) return how;
        const pieces = coverable(p) ? hanCover(p, v.names) : null;
        if (!pieces) return 0;
        extraPieces += pieces.length - 1;
        return 2;
      };
      const { parts } = query;
      // A word matched whole counts for more than the same letters inside a longer word: "qa" is
      // a word of cMedQA2 (c·Med·QA) but only letters of MEDIQA.
      const hows: number[] = [];
      let inside = 0;
      while (hows.length < parts.length) {
        const how = inNames(parts[hows.length]);
        hows.push(how);
        if (!how) break;
        if (how === 1) inside++;
      }
      if (hows[hows.length - 1] > 0) {
        // Each further piece is a further guess at what was skipped: a small step down, within the band.
        const shortness = 0.006 * (1 - Math.min(1, q.length / Math.max(1, v.names[0].length)));
        consider(S.allWordsInNames + shortness + (0.005 * inside) / parts.length + Math.min(0.008, 0.002 * extraPieces));
        return best;
      }
      if (parts.length > 1) {
        let inNamesCount = hows.length - 1;
        let found = true;
        for (let i = hows.length - 1; i < parts.length && found; i++) {
          const p = parts[i];
          let how = i < hows.length ? 0 : inNames(p);
          if (how) inNamesCount++;
          else {
            how = Math.max(occursAs(v.sumEn, v.shownSumEn, p), occursAs(v.sumZh, v.shownSumZh, p));
            if (!how && v.joinedSumEn !== v.sumEn) how = occursAs(v.joinedSumEn, v.joinedSumEn, p);
            if (!how && v.joinedSumZh !== v.sumZh) how = occursAs(v.joinedSumZh, v.joinedSumZh, p);
            if (!how && v.otherIncludes(p)) how = 2;
          }
          if (how === 1) inside++;
          found = how > 0;
        }
        if (found) consider(S.allWordsAnywhere + (0.01 * inside) / parts.length + 0.005 * (1 - inNamesCount / parts.length));
      }
    }
    for (const t of [v.sumEn, v.sumZh]) {
      const { pos, word } = findWord(t, q);
      if (pos >= 0) consider(S.summary + (word ? 0 : 0.01));
    }
    if (best > S.summary) {
      // Hyphens and apostrophes inside words compared away, as in names: "oreilly" is "O'Reilly's",
      // "pre-trained" is "pretrained".
      const { qj } = query;
      for (let k = 0; k < 2; k++) {
        const joined = k ? v.joinedSumZh : v.joinedSumEn;
        // Text and query both without such marks were compared above.
        if (qj === q && joined === (k ? v.sumZh : v.sumEn)) continue;
        const { pos, word } = findWord(joined, qj);
        if (pos >= 0) consider(S.summary + 0.001 + (word ? 0 : 0.01));
      }
    }
    if (v.otherIncludes(q)) consider(S.otherText);
    return best;
  };

  /** Top `k` docs by accumulated gram score; ties go to catalog order. */
  const topByGramScore = (touched: number[], k: number): number[] => {
    const desc = (a: number, b: number) => gramScore[b] - gramScore[a] || a - b;
    if (touched.length <= k) return touched.sort(desc);
    // Find the cut with a native typed-array sort, then one linear pass in catalog order:
    // cheaper than sorting up to N doc numbers with a comparator.
    const values = new Float64Array(touched.length);
    for (let i = 0; i < touched.length; i++) values[i] = gramScore[touched[i]];
    values.sort();
    const cut = values[values.length - k];
    let above = 0;
    for (let i = values.length - k; i < values.length; i++) if (values[i] > cut) above++;
    let ties = k - above;
    const top: number[] = [];
    for (let doc = 0; doc < N && top.length < k; doc++) {
      const s = gramScore[doc];
      if (s > cut) top.push(doc);
      else if (s === cut && ties > 0) {
        top.push(doc);
        ties--;
      }
    }
    return top.sort(desc);
  };

  /** The n-gram shortlist: docs sharing the query's grams, weighted by rarity and where they occur. */
  const shortlist = (query: Query, pass: (doc: number) => boolean): number[] => {
    const grams = new Set<string>();
    for (const run of runs(query.q)) for (const g of queryGrams(run)) grams.add(g);
    if (query.pinyinV) for (const run of runs(query.pinyinV)) for (const g of queryGrams(run)) grams.add(g);
    const touched: number[] = [];
    for (const g of grams) {
      const gi = binarySearch(data.grams, g);
      if (gi < 0) continue;
      const list = data.postings[gi];
      const idf = Math.log(1 + N / countEncoded(list));
      decodeAscending(list, (value) => {
        const doc = value >> 2;
        if (!pass(doc)) return;
        if (gramScore[doc] === 0) touched.push(doc);
        gramScore[doc] += PLACE_WEIGHT[value & 3] * idf;
      });
    }
    const top = topByGramScore(touched, SHORTLIST);
    for (const doc of touched) gramScore[doc] = 0;
    return top;
  };

  const runFuse = (docs: number[] | 'all', pattern: string): FuseResult<FuseDoc>[] => {
    if (docs === 'all') {
      allFuse ??= new Fuse(
        Array.from({ length: N }, (_, i) => fuseDoc(i)),
        FUSE_OPTIONS,
      );
      return allFuse.search(pattern);
    }
    return new Fuse(docs.map(fuseDoc), FUSE_OPTIONS).search(pattern);
  };

  const highlights = (hit: Scored, query: Query): Highlight[] => {
    const d = data.docs[hit.doc];
    const v = view(hit.doc);
    const out: Highlight[] = [];
    const fields: [string, string, number][] = [
      ['title', v.names[0], 0],
      ...d[D_NAMES].map((_, i): [string, string, number] => [`names.${i}`, v.names[i + 1], i + 1]),
      ['summary.en', v.sumEn, -1],
      ['summary.zh', v.sumZh, -1],
    ];
    const needles = [query.q, ...query.parts.filter((p) => p !== query.q && (p.length >= 2 || isHanCode(p.charCodeAt(0))))];
    // Chinese parts found in the names only in pieces are marked piece by piece.
    for (const p of query.parts)
      if (coverable(p) && !v.names.some((f) => f.includes(p))) for (const piece of hanCover(p, v.names) ?? []) needles.push(piece);
    for (const [field, text, nameIdx] of fields) {
      if (!text) continue;
      const ranges: [number, number][] = [];
      const findAll = (needle: string) => {
        let from = 0;
        let found = 0;
        while (found < 8) {
          const pos = text.indexOf(needle, from);
          if (pos < 0) break;
          // One-letter needles only mark word starts; elsewhere they would speckle the text.
          if (needle.length > 1 || atWordStart(text, pos, needle)) {
            ranges.push([pos, pos + needle.length]);
            found++;
          }
          from = pos + needle.length;
        }
        return found > 0;
      };
      /** The query with spaces and punctuation ignored, in a name ("chip2019" in "CHIP 2019 …"). */
      const findCompact = () => {
        const { qc } = query;
        if (nameIdx < 0 || qc.length < 2) return false;
        const pos = v.compactNames[nameIdx].indexOf(qc);
        if (pos < 0) return false;
        const start = compactOffset(text, pos);
        if (pos > 0 && !atWordStart(text, start, qc)) return false;
        ranges.push([start, compactOffset(text, pos + qc.length - 1) + 1]);
        return true;
      };
      /** A needle in the text with hyphens and apostrophes inside words compared away (see joinWords). */
      const findJoined = (needle: string) => {
        const keep = joinedOffsets(text);
        if (keep.length === text.length) return false;
        let joined = '';
        for (const i of keep) joined += text[i];
        const pos = joined.indexOf(needle);
        if (pos < 0) return false;
        ranges.push([keep[pos], keep[pos + needle.length - 1] + 1]);
        return true;
      };
      if (!findAll(query.q) && !findCompact() && !findJoined(joinWords(query.q)))
        for (const p of needles.slice(1)) if (!findAll(p) && p.length >= 2) findJoined(p);
      if (nameIdx >= 0 && v.py[nameIdx]) {
        const keys = v.py[nameIdx]!;
        const tryPinyin = (t: string) => {
          const m = pinyinMatch(text, keys, t, hit.pinyinShort ? 2 : 3);
          if (m) ranges.push(m.range);
        };
        if (query.pinyin) tryPinyin(query.pinyin);
        if (query.parts.length > 1)
          for (const p of query.parts) if (p.length >= 2 && /^[a-z0-9]+$/.test(p)) tryPinyin(p);
      }
      if (hit.acronym && nameIdx >= 0) {
        // The words whose initials the query spells: "Electronic Health Records" for "ehr".
        const { q } = query;
        for (const run of acronymRuns(v.shownNames[nameIdx]))
          if (run.initials.endsWith(q)) for (const w of run.words.slice(run.words.length - q.length)) ranges.push([w[0], w[1]]);
      }
      if (!ranges.length && hit.pinyinNear && nameIdx >= 0 && v.py[nameIdx] && query.pinyin) {
        const r = pinyinNear(text, v.py[nameIdx]!, query.pinyin);
        if (r) ranges.push(r);
      }
      if (!ranges.length && hit.near && nameIdx >= 0) {
        // A one-edit match: the name (or the title's short name) it was found as.
        if (v.compactNames[nameIdx].startsWith(hit.near)) {
          const end = compactOffset(text, hit.near.length - 1) + 1;
          if (!isWordCode(text.charCodeAt(end))) ranges.push([compactOffset(text, 0), end]);
        }
      }
      if (!ranges.length && hit.fuse?.matches) {
        const key = field === 'title' ? 't' : field.startsWith('names.') ? 'n' : '';
        for (const m of hit.fuse.matches) {
          if (m.key !== key || m.value !== text) continue;
          ranges.push(...lookAlikeRanges(text, m.indices, query.q.length));
        }
      }
      if (!ranges.length) continue;
      ranges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
      const merged: [number, number][] = [];
      for (const [a, b] of ranges) {
        const s = Math.max(0, a);
        const e = Math.min(text.length, b);
        if (e <= s) continue;
        const last = merged[merged.length - 1];
        if (last && s <= last[1]) last[1] = Math.max(last[1], e);
        else merged.push([s, e]);
      }
      if (merged.length) out.push({ field, ranges: merged });
    }
    return out;
  };

  const search = (raw: string, opts: SearchOptions = {}): SearchHit[] => {
    const normalized = simplify(normalizeQuery(raw));
    return normalized ? searchNormalized(normalized, opts) : [];
  };

  const searchNormalized = (normalized: string, opts: SearchOptions): SearchHit[] => {
    const query = parseQuery(normalized);
    const { q, qc } = query;
    // Infinity (or any number above the matches) returns every match.
    const limit = Math.max(1, Math.floor(opts.limit ?? DEFAULT_LIMIT) || DEFAULT_LIMIT);
    const pass = makeFilter(opts);
    const scored = new Map<number, Scored>();
    /** Whether the query is an entry's name or ID, or begins one, that the filters hide. */
    let hiddenTyped = false;
    const offer = (doc: number, score: number, tie: number, fuse?: FuseResult<FuseDoc>, nearKey?: string, joined = false) => {
      const prev = scored.get(doc);
      if (!prev) scored.set(doc, { doc, score, tie, fuse, near: nearKey, joined });
      else {
        if (score < prev.score || (score === prev.score && tie < prev.tie)) {
          prev.score = score;
          prev.tie = tie;
          prev.joined = joined;
        } else if (score === prev.score && !joined) prev.joined = false;
        if (fuse) prev.fuse = fuse;
        if (nearKey) prev.near ??= nearKey;
      }
    };

    for (const key of query.exactKeys) {
      const ki = binarySearch(data.exactKeys, key);
      if (ki < 0) continue;
      decodeAscending(data.exactPostings[ki], (value) => {
        const doc = value >> 2;
        const type = value & 3;
        if (pass(doc)) offer(doc, type === EXACT_PINYIN ? S.exactPinyin : 0, type);
        else hiddenTyped = true;
      });
    }

    // A query of a few letters may be the initials of words in a name: "mrc" is Machine Reading
    // Comprehension, "ehr" Electronic Health Records.
    if (data.acronyms && q.length >= ACRONYM_MIN && q.length <= ACRONYM_MAX && /^[a-z]+$/.test(q)) {
      const [keys, postings] = data.acronyms;
      const ki = binarySearch(keys, q);
      if (ki >= 0)
        decodeAscending(postings[ki], (value) => {
          const doc = value >> 1;
          if (!pass(doc)) return;
          offer(doc, S.acronym + 0.002 * (value & 1), 9);
          scored.get(doc)!.acronym = true;
        });
    }

    if (query.parts.length) {
      const small = N <= SMALL_CATALOG;
      const candidates = small ? Array.from({ length: N }, (_, i) => i).filter(pass) : shortlist(query, pass);
      let strong = 0;
      for (const doc of candidates) {
        const s = direct(doc, query);
        if (s < Infinity) offer(doc, s, 9, undefined, undefined, lastJoined);
        if (s < S.NAMES_END) strong++;
      }
      // A joiner typed after a word ("天池-", "ccks-") is kept for names that go on with it
      // ("bio-" → "Bio-bert"); where no name, ID or summary does, the word alone is what is meant,
      // rather than typo matches or nothing.
      if (!scored.size && q.length > 1 && isJoinerCode(q.charCodeAt(q.length - 1))) return searchNormalized(q.slice(0, -1), opts);
      // Pinyin typed with tone numbers ("tang2niao4bing4", "zhong1 yi1"): the syllables without
      // them, when those find something; otherwise the query goes on to the typo matches below.
      if (!scored.size && TONE_NUMBERED.test(qc)) {
        const toneless = searchNormalized(qc.replace(/[1-5]/g, ''), opts);
        if (toneless.length) return toneless;
      }
      // Fuzzy matching only earns its cost when clean matches do not already fill the list.
      // Below four characters fuzzy hits are mostly noise ("tnb" is one edit from many words);
      // after an exact name or ID hit the reader has found what they typed, and when the
      // query begins a name or ID ("PubM", "medmentio", "1909.06") it is being typed, not
      // mistyped: typo matches there are words that merely look alike.
      // The entry being typed may be one the filters hide ("medd" with only models listed): the
      // listed entries that look like it are noise all the same.
      if (!hiddenTyped && (opts.kinds?.length || opts.section)) {
        for (const doc of small ? Array.from({ length: N }, (_, i) => i) : shortlist(query, () => true)) {
          if (!pass(doc) && direct(doc, query) < S.pinyinStart && !lastJoined) {
            hiddenTyped = true;
            break;
          }
        }
      }
      // A name whose words the query runs together ("cometaa" in "COMETA: A …") may be a typo all the same.
      const typedSoFar = hiddenTyped || [...scored.values()].some((h) => h.score < S.pinyinStart && !h.joined);
      // Names one edit away: a swap of two adjacent letters is one slip here, where fuse.js counts
      // two and rejects it for a 5-letter name. Only buckets of the query's length ± 1 are read.
      // (query.pinyin is qc exactly when qc is Latin letters and digits, like the bucketed names.)
      if (!typedSoFar && qc.length >= NEAR_MIN_QUERY && qc.length <= NEAR_MAX_QUERY && query.pinyin === qc) {
        for (let len = qc.length - 1; len <= qc.length + 1; len++) {
          const bucket = near[len];
          if (!bucket) continue;
          const [keys, postings] = bucket;
          for (let i = 0; i < keys.length; i++) {
            if (!oneEditApart(qc, keys[i])) continue;
            decodeAscending(postings[i], (doc) => {
              // A whole name one edit away before a paper's short name ("cometaa": COMETA, then "COMETA: A …").
              if (pass(doc)) offer(doc, S.near + (view(doc).compactNames.includes(keys[i]) ? 0 : 0.0005), 9, undefined, keys[i]);
            });
          }
        }
      }
      // An initial and a whole syllable mixed over two syllables ("xguan" 新冠, "rjin" 瑞金, "zshou" 左手),
      // when nothing holds the query as typed: "clin" is the start of Clinical before c(i)·lin of 大词林.
      if (!scored.size && qc.length >= MIXED_MIN && query.pinyin === qc && /^[a-z]+$/.test(qc)) {
        for (const doc of candidates) {
          const v = view(doc);
          let found = Infinity;
          v.py.forEach((keys, j) => {
            const m = keys && pinyinMatch(v.names[j], keys, qc, 2);
            if (m) found = Math.min(found, pinyinScore(m, v.names[j].length));
          });
          if (found === Infinity) continue;
          offer(doc, found, 9);
          scored.get(doc)!.pinyinShort = true;
        }
      }
      // Full pinyin with one slip ("tangniaobign", "ruijni"), when nothing holds the query as typed
      // ("during" is a word of summaries, not 百度灵医's duling): the shortlist found the entry by the
      // syllables typed right.
      if (!scored.size && qc.length >= PINYIN_NEAR_MIN && query.pinyin === qc && /^[a-z]+$/.test(qc)) {
        for (const doc of candidates) {
          const v = view(doc);
          if (!v.py.some((keys, j) => keys !== null && pinyinNear(v.names[j], keys, qc) !== null)) continue;
          offer(doc, S.near + 0.002, 9);
          scored.get(doc)!.pinyinNear = true;
        }
      }
      // A caller listing every match (a high limit) gets typo matches on the same terms as the
      // default list: once clean matches fill a default list, fuzzy ones would only be noise below them.
      if (q.length >= FUSE_MIN_QUERY && strong < Math.min(limit, DEFAULT_LIMIT) && !typedSoFar) {
        const pattern = q.slice(0, FUSE_MAX_PATTERN);
        const results = small ? runFuse('all', pattern) : runFuse(candidates.slice(0, FUSE_CANDIDATES), pattern);
        const slips = slipsFor(pattern.length);
        for (const r of results) {
          const doc = r.item.doc;
          // Only a look-alike within a few slips of a name: fuse.js also takes letters two changes off.
          if (!r.matches?.some((m) => m.value !== undefined && occursWithin(pattern, m.value, slips))) continue;
          // fuse.js multiplies the scores of every field that matches, so one look-alike shared by a
          // title, an alias and an ID scored as a near-exact match. Per field matched, instead.
          if (!small || pass(doc)) offer(doc, S.FUSE_BASE + 0.9 * (r.score ?? 1) ** (1 / Math.max(1, r.matches?.length ?? 1)), 9, r);
        }
      }
    }

    let hits = [...scored.values()].sort((a, b) => a.score - b.score || a.tie - b.tie || a.doc - b.doc);
    // Only fuse.js scores reach FUSE_BASE: its hits far behind the best one are dropped.
    const cut = hits.length ? hits[0].score + FUSE_SPREAD : 0;
    if (hits.length && hits[hits.length - 1].score > cut) hits = hits.filter((h) => h.score < S.FUSE_BASE || h.score <= cut);
    // Highlights are worked out when first read: a long list is painted a screenful at a
    // time, and rows never shown (the query changed first) never pay for theirs.
    return hits.slice(0, limit).map((hit): SearchHit => {
      let marks: Highlight[] | undefined;
      return {
        entryId: data.docs[hit.doc][0],
        score: hit.score,
        get highlights() {
          return (marks ??= highlights(hit, query));
        },
      };
    });
  };

  let prepared = 0;
  const prepare = (budgetMs: number): boolean => {
    const until = performance.now() + budgetMs;
    // Checking the clock every 64 entries keeps its cost out of the loop.
    while (prepared < N) {
      fuseDoc(prepared++);
      if ((prepared & 63) === 0 && performance.now() >= until) break;
    }
    return prepared >= N;
  };

  return { search, prepare };
}
