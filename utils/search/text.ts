/**
 * Text folding, tokenising and n-gram generation shared by the build step
 * (utils/search/build.ts) and the popup's searcher (utils/search/index.ts).
 * Both sides MUST fold and gram text identically, so this module is the only
 * place those rules live. Runtime-safe: no pinyin-pro, no DOM, no browser.*.
 */

/** Longest query we look at; longer pastes are cut rather than rejected. */
export const MAX_QUERY_LENGTH = 200;

/** Marks "this gram starts a word", so 1–2 letter prefixes have postings of their own. */
export const WORD_START = '\u0001';

const isHighSurrogate = (c: number) => c >= 0xd800 && c <= 0xdbff;

/** CJK ideographs in the BMP (unified, extension A, compatibility). */
export function isHanCode(c: number): boolean {
  return (c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf) || (c >= 0xf900 && c <= 0xfaff);
}

const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

/** Is this UTF-16 unit (already folded) part of a word? Surrogates count, so astral letters are not split. */
export function isWordCode(c: number): boolean {
  if (c < 0x80) return (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39);
  if (isHanCode(c)) return true;
  if (c >= 0xd800 && c <= 0xdfff) return false;
  return LETTER_OR_DIGIT.test(String.fromCharCode(c));
}

const foldCache = new Map<number, string>();

/**
 * Folds one UTF-16 unit to exactly one unit. Keeping the length unchanged is
 * the point: offsets found in folded text are offsets in the displayed text,
 * so highlights need no mapping table.
 */
function foldUnit(c: number): string {
  if (c < 0x80) {
    if (c >= 0x41 && c <= 0x5a) return String.fromCharCode(c + 32);
    if (c < 0x20 || c === 0x7f) return ' ';
    return String.fromCharCode(c);
  }
  const cached = foldCache.get(c);
  if (cached !== undefined) return cached;
  let out: string;
  if (c >= 0xff01 && c <= 0xff5e) {
    // Full-width ASCII (Chinese IME punctuation and letters) → half-width, then lower-case.
    out = foldUnit(c - 0xfee0);
  } else if (c === 0x3000 || (c >= 0x80 && c <= 0xa0) || (c >= 0x2000 && c <= 0x200b) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0xfeff) {
    out = ' ';
  } else if ((c >= 0x2010 && c <= 0x2015) || c === 0x2212) {
    out = '-';
  } else if (c === 0x3002) {
    out = '.';
  } else if (c === 0x3001) {
    out = ',';
  } else if (isHanCode(c) || (c >= 0xd800 && c <= 0xdfff)) {
    out = String.fromCharCode(c);
  } else {
    const ch = String.fromCharCode(c);
    const lower = ch.toLowerCase();
    const one = lower.length === 1 ? lower : ch;
    // Strip diacritics only when the base letter is ASCII ("é" → "e"), which keeps one unit per unit.
    const base = one.normalize('NFD').charCodeAt(0);
    out = base < 0x80 && base !== one.charCodeAt(0) ? String.fromCharCode(base) : one;
  }
  if (foldCache.size < 4096) foldCache.set(c, out);
  return out;
}

/** Units foldUnit changes beyond plain lower-casing (controls, odd spaces and dashes, full-width forms). */
// eslint-disable-next-line no-control-regex -- control characters are exactly what this class must catch
const SPECIAL = /[\u0000-\u001f\u007f-\u00a0\u2000-\u200b\u2010-\u2015\u2028\u2029\u202f\u205f\u2212\u3000-\u3002\ufeff\uff01-\uff5e]/g;
/** Letters whose lower case may change length or that carry diacritics: these take the per-unit path. */
const SLOW = /[\u00c0-\u024f\u0130\u1e00-\u1eff\ufb00-\ufb4f]/;
const foldSpecial = (ch: string) => foldUnit(ch.charCodeAt(0));

/** Case-folds, half-widths and blanks control characters, keeping one output unit per input unit. */
export function fold(s: string): string {
  if (!SLOW.test(s)) {
    // Native lower-casing plus one regex pass: most text (English, Chinese) is folded without a per-unit loop.
    const lower = s.toLowerCase();
    if (lower.length === s.length) return lower.replace(SPECIAL, foldSpecial);
  }
  let out = '';
  for (let i = 0; i < s.length; i++) out += foldUnit(s.charCodeAt(i));
  return out;
}

/**
 * Turns whatever was typed or pasted into the canonical query: capped in length,
 * folded, whitespace collapsed and trimmed. Characters are never interpreted
 * (no regex is built from the query), so metacharacters are plain text.
 */
export function normalizeQuery(raw: string): string {
  if (typeof raw !== 'string') return '';
  // Cut early so a megabyte paste costs nothing; folding is per unit, so cutting first is safe.
  let s = raw.length > MAX_QUERY_LENGTH * 4 ? raw.slice(0, MAX_QUERY_LENGTH * 4) : raw;
  s = fold(s).replace(/ +/g, ' ').trim();
  if (s.length > MAX_QUERY_LENGTH) {
    s = s.slice(0, MAX_QUERY_LENGTH);
    if (isHighSurrogate(s.charCodeAt(s.length - 1))) s = s.slice(0, -1);
    s = s.trimEnd();
  }
  return s;
}

/** A maximal run of word characters of one script class, with its offset in the folded text. */
export interface Run {
  text: string;
  start: number;
  han: boolean;
}

/** Splits folded text into runs of Han characters and runs of other letters/digits; everything else separates. */
export function runs(folded: string): Run[] {
  const out: Run[] = [];
  let start = -1;
  let han = false;
  for (let i = 0; i <= folded.length; i++) {
    const c = i < folded.length ? folded.charCodeAt(i) : 0x20;
    const word = isWordCode(c);
    const h = word && isHanCode(c);
    if (start >= 0 && (!word || h !== han)) {
      out.push({ text: folded.slice(start, i), start, han });
      start = -1;
    }
    if (word && start < 0) {
      start = i;
      han = h;
    }
  }
  return out;
}

/**
 * Grams a run contributes to the inverted index. Latin-like runs give every
 * trigram plus 1- and 2-letter word-start grams (so "p", "pu" shortlist);
 * Han runs give bigrams, and unigrams when `unigrams` is set (name fields only,
 * since a unigram of common characters like 医 would list every summary).
 */
export function indexGrams(run: Run, unigrams: boolean, emit: (gram: string, atStart: boolean) => void): void {
  const t = run.text;
  if (run.han) {
    if (unigrams) for (let i = 0; i < t.length; i++) emit(t[i], i === 0);
    for (let i = 0; i + 1 < t.length; i++) emit(t.slice(i, i + 2), i === 0);
    return;
  }
  emit(WORD_START + t[0], true);
  if (t.length >= 2) emit(WORD_START + t.slice(0, 2), true);
  for (let i = 0; i + 2 < t.length; i++) emit(t.slice(i, i + 3), i === 0);
}

/** Grams to look up for one query run: the most specific grams the index can answer. */
export function queryGrams(run: Run): string[] {
  const t = run.text;
  if (run.han) {
    if (t.length === 1) return [t];
    const out: string[] = [];
    for (let i = 0; i + 1 < t.length; i++) out.push(t.slice(i, i + 2));
    return out;
  }
  if (t.length <= 2) return [WORD_START + t];
  const out = [WORD_START + t.slice(0, 2)];
  for (let i = 0; i + 2 < t.length; i++) out.push(t.slice(i, i + 3));
  return out;
}

/** Strips everything but letters/digits/Han, so "Bio-bert" and "biobert" meet in the exact table. */
export function compact(folded: string): string {
  let out = '';
  for (let i = 0; i < folded.length; i++) if (isWordCode(folded.charCodeAt(i))) out += folded[i];
  return out;
}

/** Hyphens and apostrophes, straight or curly: inside a word they are spelled both ways ("pre-trained", "O’Reilly"). */
const INNER_JOIN = /[-'\u2019]/;

/** Offsets in `folded` of the units joinWords keeps. */
export function joinedOffsets(folded: string): number[] {
  const keep: number[] = [];
  for (let i = 0; i < folded.length; i++) {
    const inner =
      INNER_JOIN.test(folded[i]) && i > 0 && i + 1 < folded.length && isWordCode(folded.charCodeAt(i - 1)) && isWordCode(folded.charCodeAt(i + 1));
    if (!inner) keep.push(i);
  }
  return keep;
}

/**
 * Folded text without the hyphens and apostrophes inside words, so "pretrained"
 * meets "pre-trained" and "oreilly" meets "O'Reilly", as compact() makes names
 * meet. Spaces stay: words are still words. Text without them is returned as is.
 */
export function joinWords(folded: string): string {
  if (!INNER_JOIN.test(folded)) return folded;
  let out = '';
  for (const i of joinedOffsets(folded)) out += folded[i];
  return out;
}

/** Offset in `folded` of the unit at offset `k` of compact(folded), or -1 past its end. */
export function compactOffset(folded: string, k: number): number {
  for (let i = 0; i < folded.length; i++) if (isWordCode(folded.charCodeAt(i)) && k-- === 0) return i;
  return -1;
}

/** Letters and digits of a code point (astral ones included), as opposed to punctuation, symbols and emoji. */
const WORD_POINT = /^[\p{L}\p{N}]$/u;

function isWordPoint(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  if (c < 0xd800 || c > 0xdfff) return isWordCode(c);
  const cp = s.codePointAt(i)!;
  return cp > 0xffff && WORD_POINT.test(String.fromCodePoint(cp));
}

/** Joiners inside names ("mc-bert", "Bio_ClinicalBERT", "owner/repo"): kept at the end, where they are being typed. */
export const isJoinerCode = (c: number) => c === 0x2d || c === 0x5f || c === 0x2f;

/**
 * Drops punctuation, quotes, brackets, symbols and spaces from both ends of
 * folded text: a selection like "PubMedQA," or a query typed as “问答” or
 * 知识图谱。 means the words inside. Inner punctuation ("mc-bert", "1909.06146")
 * stays, and so does one hyphen, underscore or slash right after the last word
 * ("bio-", "mc-", "百度-" are names being typed).
 */
export function trimNonWord(folded: string): string {
  let a = 0;
  let b = folded.length;
  while (a < b && !isWordPoint(folded, a)) a++;
  while (b > a) {
    // A low surrogate is tested as the pair it closes.
    const last = folded.charCodeAt(b - 1);
    const at = last >= 0xdc00 && last <= 0xdfff && b - 2 >= a && isHighSurrogate(folded.charCodeAt(b - 2)) ? b - 2 : b - 1;
    if (isWordPoint(folded, at)) break;
    b = at;
  }
  if (b > a && b < folded.length && isJoinerCode(folded.charCodeAt(b))) b++;
  return a === 0 && b === folded.length ? folded : folded.slice(a, b);
}

const isDigitCode = (c: number) => c >= 0x30 && c <= 0x39;

/**
 * Splits a Latin run at its letter/digit boundaries when every piece is at
 * least two characters ("ccks2019" → "ccks", "2019"), as names often write
 * them apart ("CCKS 2019"). Runs with a one-character piece ("s4k", "cmedqa2",
 * "bert4keras") are version or model names and stay whole.
 */
export function splitLettersDigits(run: string): string[] {
  const pieces: string[] = [];
  let start = 0;
  for (let i = 1; i <= run.length; i++) {
    if (i < run.length && isDigitCode(run.charCodeAt(i)) === isDigitCode(run.charCodeAt(i - 1))) continue;
    if (i - start < 2) return [run];
    pieces.push(run.slice(start, i));
    start = i;
  }
  return pieces;
}

// ---- Posting lists as strings --------------------------------------------
// Postings are ascending integers, stored as deltas in a base-32 varint whose
// last digit comes from a second alphabet. A JSON string parses as one token,
// so loading 10,000 entries' postings costs a string allocation, not millions
// of numbers; each list is decoded only when a query touches its gram.

const MID = '0123456789abcdefghijklmnopqrstuv';
const END = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ!#$%&(';
const DIGIT = new Int8Array(128).fill(-1);
const IS_END = new Uint8Array(128);
for (let i = 0; i < 32; i++) {
  DIGIT[MID.charCodeAt(i)] = i;
  DIGIT[END.charCodeAt(i)] = i;
  IS_END[END.charCodeAt(i)] = 1;
}

/** Encodes an ascending list of non-negative integers. */
export function encodeAscending(values: readonly number[]): string {
  let out = '';
  let prev = 0;
  for (const v of values) {
    let d = v - prev;
    prev = v;
    const digits: string[] = [END[d & 31]];
    d = Math.floor(d / 32);
    while (d > 0) {
      digits.push(MID[d & 31]);
      d = Math.floor(d / 32);
    }
    for (let i = digits.length - 1; i >= 0; i--) out += digits[i];
  }
  return out;
}

/** Calls `visit` with each integer of an encoded list, in order. */
export function decodeAscending(s: string, visit: (value: number) => void): void {
  let prev = 0;
  let acc = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    acc = acc * 32 + DIGIT[c];
    if (IS_END[c]) {
      prev += acc;
      acc = 0;
      visit(prev);
    }
  }
}

/** Counts the integers in an encoded list without decoding them (document frequency for IDF). */
export function countEncoded(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) n += IS_END[s.charCodeAt(i)];
  return n;
}

/** Pinyin keys of one field, with maps back to the field's UTF-16 units. */
export interface PinyinKeys {
  /** Syllables run together: "ruijinyiyuan…". */
  full: string;
  /** Offset in `full` where each syllable starts. */
  starts: number[];
  /** Per syllable: [first unit, end unit) it covers in the field. */
  spans: [number, number][];
  /** First letter of each Chinese syllable, whole Latin words: "rjyy…", "ydyjgh4ksjj". */
  initials: string;
  /** Per character of `initials`, the syllable it came from. */
  initialOf: number[];
}

/**
 * Expands the per-unit syllable string stored in the index (see DocTuple.pinyin)
 * into matchable keys. Runs in the popup, so the pinyin is data, not pinyin-pro.
 */
export function pinyinKeys(field: string, py: string): PinyinKeys {
  const syl = py.split(' ');
  const keys: PinyinKeys = { full: '', starts: [], spans: [], initials: '', initialOf: [] };
  for (let u = 0; u < syl.length && u < field.length; u++) {
    const s = syl[u];
    if (!s) continue;
    const han = isHanCode(field.charCodeAt(u));
    const k = keys.starts.length;
    keys.starts.push(keys.full.length);
    keys.spans.push([u, han ? u + 1 : Math.min(field.length, u + s.length)]);
    keys.full += s;
    const ini = han ? s[0] : s;
    keys.initials += ini;
    for (let i = 0; i < ini.length; i++) keys.initialOf.push(k);
  }
  return keys;
}

/**
 * Words that do not count in an acronym and end a run of words that do: "Electronic
 * Health Records" is EHR; "for" and "A" do not stand in one ("Transformer for Electronic…").
 */
const ACRONYM_SKIP = new Set(
  'a an the of for in on with and or to from via by at as into towards toward using vs versus without across over under its their is are can have new'.split(' '),
);
/** Fewest words, and most letters, of an acronym read off a name. */
export const ACRONYM_MIN = 2;
export const ACRONYM_MAX = 6;

/** A run of capitalised words in a name, as an acronym would spell it. */
export interface AcronymRun {
  /** Their first letters, folded: "ehr". */
  initials: string;
  /** Per word, its [start, end) in the field. */
  words: [number, number][];
}

/**
 * Runs of two or more capitalised Latin words in a field, joined only by a
 * space or a hyphen: the phrases people shorten to their initials ("Machine
 * Reading Comprehension" → MRC, "Cross-Lingual Information Retrieval" → CLIR).
 * A function word ("for", "A"), a word written in lower case, a word with digits,
 * other punctuation or a Chinese character ends a run. Build-time keys and the
 * popup's highlights both come from here.
 */
export function acronymRuns(field: string): AcronymRun[] {
  const out: AcronymRun[] = [];
  let cur: AcronymRun | undefined;
  let lastEnd = -1;
  const close = () => {
    if (cur && cur.words.length >= ACRONYM_MIN) out.push(cur);
    cur = undefined;
  };
  const token = /[\p{L}\p{N}]+/gu;
  for (let m = token.exec(field); m; m = token.exec(field)) {
    const word = m[0];
    const start = m.index;
    const gap = lastEnd >= 0 ? field.slice(lastEnd, start) : '';
    lastEnd = start + word.length;
    if (gap !== ' ' && gap !== '-') close();
    const capital = /^[A-Z][A-Za-z]*$/.test(word) && !ACRONYM_SKIP.has(word.toLowerCase());
    if (!capital) {
      close();
      continue;
    }
    cur ??= { initials: '', words: [] };
    cur.initials += word[0].toLowerCase();
    cur.words.push([start, lastEnd]);
  }
  close();
  return out;
}

/**
 * The acronyms a field answers to: the initials of each run's last two to
 * ACRONYM_MAX words. A phrase ends in the word it is about, so an acronym does
 * too ("Medical Machine Reading Comprehension" is MRC and MMRC, not MMR).
 */
export function acronymsOf(field: string): { key: string; whole: boolean }[] {
  const out: { key: string; whole: boolean }[] = [];
  for (const run of acronymRuns(field)) {
    const n = run.initials.length;
    for (let k = ACRONYM_MIN; k <= Math.min(n, ACRONYM_MAX); k++) out.push({ key: run.initials.slice(n - k), whole: k === n });
  }
  return out;
}
