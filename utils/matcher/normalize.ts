/**
 * Character folding for the recognition engine.
 *
 * Everything here works on UTF-16 code units through two precomputed tables, so the
 * scanner never allocates a string per character:
 *
 * - {@link foldCode}: code unit → folded code unit. Case is folded (A→a, Ä→a, Ω→ω),
 *   full-width forms become half-width (Ａ→a, ０→0, ：→:), typographic quotes and the
 *   ideographic full stop become their ASCII forms. {@link DROP} (0) marks a code unit
 *   that is left out of the folded stream altogether: whitespace of every kind
 *   (incl. NBSP, U+2000–U+200A, U+3000, line breaks), hyphens and dashes
 *   (-, U+2010–U+2015, U+2212, U+FF0D), the underscore, the soft hyphen and the
 *   zero-width characters. Dropping them is what makes "Bio-BERT", "Bio BERT",
 *   "bio\nbert" and "BioBERT" the same folded string, and "Bio-\nmedical" equal to
 *   "Biomedical". Word boundaries are checked on the ORIGINAL text (see
 *   {@link CLASS}), so dropping separators does not let names start or end inside words.
 * - {@link CLASS}: code unit → a small bit set (word character, space, hyphen,
 *   ignorable) used for the boundary rules.
 *
 * Only scripts a catalog name can plausibly use get real case folding (Latin, Greek,
 * Cyrillic, full-width ASCII); every other code unit folds to itself, which keeps the
 * table build cheap (well under a millisecond). These tables are built where the matcher
 * is packed (background, build time, tests); the content script receives the scanner's
 * share of them in the packed matcher (see pack.ts).
 */

import { C_HYPHEN, C_IGNORABLE, C_SPACE, C_WORD, DROP } from './chars';

export { C_HYPHEN, C_IGNORABLE, C_SPACE, C_WORD, DROP, unwiden } from './chars';

/**
 * Code units whose folded value is not themselves: `FOLD_TABLE[c]` is the folded value,
 * 0 where the code unit folds to itself, {@link DROP_MARK} where it is dropped. A zero
 * default keeps the start-up cost to the few hundred code units that change.
 */
const FOLD_TABLE = new Uint16Array(0x10000);
const DROP_MARK = 0xffff;
/** Every code unit with an entry in FOLD_TABLE (so tables derived from folding need not visit all 65,536). */
const CHANGED: number[] = [];
/** Code unit → class bits ({@link C_WORD} | {@link C_SPACE} | {@link C_HYPHEN} | {@link C_IGNORABLE}); CJK via {@link isCjkCode}. */
export const CLASS: Uint8Array = new Uint8Array(0x10000);

function setFold(c: number, v: number): void {
  if (FOLD_TABLE[c] === 0) CHANGED.push(c);
  FOLD_TABLE[c] = v === DROP ? DROP_MARK : v;
}

function buildTables(): void {
  setFold(0, DROP);
  const word = (c: number) => {
    CLASS[c] |= C_WORD;
  };
  // ASCII letters and digits.
  for (let c = 0x30; c <= 0x39; c++) word(c);
  for (let c = 0x41; c <= 0x5a; c++) {
    setFold(c, c + 32);
    word(c);
  }
  for (let c = 0x61; c <= 0x7a; c++) word(c);

  // Latin-1 Supplement to Latin Extended-B, Greek, Cyrillic: lower-case, then strip
  // diacritics (é→e) where the decomposition starts with a single base letter.
  const foldLetter = (c: number) => {
    const ch = String.fromCharCode(c);
    const lower = ch.toLowerCase();
    if (lower === ch.toUpperCase() && lower === ch) return; // not a cased letter
    word(c);
    if (lower.length !== 1) return;
    const b = lower.normalize('NFD').charCodeAt(0);
    const v = b < 0x250 || (b >= 0x370 && b < 0x530) ? b : lower.charCodeAt(0);
    if (v !== c) setFold(c, v);
  };
  for (let c = 0xc0; c < 0x250; c++) if (c !== 0xd7 && c !== 0xf7) foldLetter(c);
  for (let c = 0x370; c < 0x530; c++) foldLetter(c);
  // Letters that do not change case but are still word characters.
  for (const c of [0xaa, 0xb5, 0xba, 0xdf]) word(c);

  // Full-width ASCII (U+FF01–U+FF5E) → ASCII, then the ASCII rules above.
  for (let c = 0xff01; c <= 0xff5e; c++) {
    const a = c - 0xfee0;
    setFold(c, foldCode(a));
    CLASS[c] = CLASS[a];
  }

  const drop = (c: number, cls: number) => {
    setFold(c, DROP);
    CLASS[c] = cls;
  };
  // Whitespace and line breaks.
  for (const c of [0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20, 0x85, 0xa0, 0x1680, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000]) {
    drop(c, C_SPACE);
  }
  for (let c = 0x2000; c <= 0x200a; c++) drop(c, C_SPACE);
  // Hyphens, which join words (the ASCII hyphen-minus, U+2010 hyphen, U+2011 non-breaking hyphen,
  // minus sign, full-width hyphen, underscore).
  for (const c of [0x2d, 0x5f, 0x2010, 0x2011, 0x2212, 0x2043, 0xfe63, 0xff0d, 0xff3f, 0x058a, 0x1806]) drop(c, C_HYPHEN);
  // Dashes (figure, en, em, horizontal bar, two- and three-em) are punctuation between words, set
  // without spaces in English ("datasets—PubMedQA") and in Chinese ("——"): separators that do
  // not join the words on either side, so a name right after one starts a word.
  for (const c of [0x2012, 0x2013, 0x2014, 0x2015, 0x2e3a, 0x2e3b]) drop(c, 0);
  // Invisible: soft hyphen, zero-width space/non-joiner/joiner, word joiner, BOM, variation selectors.
  for (const c of [0xad, 0x200b, 0x200c, 0x200d, 0x2060, 0xfeff]) drop(c, C_IGNORABLE);
  for (let c = 0xfe00; c <= 0xfe0f; c++) drop(c, C_IGNORABLE);

  // Typographic quotes and CJK punctuation that have an ASCII counterpart.
  for (const c of [0x2018, 0x2019, 0x201a, 0x201b, 0x2032]) setFold(c, 0x27);
  for (const c of [0x201c, 0x201d, 0x201e, 0x201f, 0x2033]) setFold(c, 0x22);
  setFold(0x3002, 0x2e); // 。
  setFold(0x3001, 0x2c); // 、
  setFold(0xff61, 0x2e); // half-width ideographic full stop
}

/** Folded code unit of one UTF-16 code unit ({@link DROP} if it is a separator). */
export function foldCode(c: number): number {
  const v = FOLD_TABLE[c];
  return v === 0 ? c : v === DROP_MARK ? DROP : v;
}

buildTables();

/**
 * Calls `fn(code, folded)` for every code unit that does not fold to itself: with the
 * identity for all others, this describes the whole folding (used to derive the scanner's
 * symbol table without visiting all 65,536 code units).
 */
export function forEachFolded(fn: (code: number, folded: number) => void): void {
  for (const c of CHANGED) fn(c, foldCode(c));
}

/** CJK ideographs, kana, hangul: names in these scripts match without word boundaries. */
export function isCjkCode(c: number): boolean {
  return (
    (c >= 0x4e00 && c <= 0x9fff) ||
    (c >= 0x3040 && c <= 0x30ff) ||
    (c >= 0x3400 && c <= 0x4dbf) ||
    (c >= 0xac00 && c <= 0xd7af) ||
    (c >= 0xf900 && c <= 0xfaff)
  );
}

/** True for letters and digits of space-separated scripts (the ones word boundaries apply to). */
export function isWordCode(c: number): boolean {
  return (CLASS[c] & C_WORD) !== 0;
}

/** A folded string with, for each folded code unit, its index in the original string. */
export interface FoldedText {
  folded: string;
  /** `map[i]` = offset in the original of `folded[i]`; `map[folded.length]` = original length. */
  map: Int32Array;
}

/**
 * Folds a whole string (for names at compile time, tests and debugging; the scanner
 * folds through its own symbol table derived from {@link forEachFolded}). Offsets in the result map back to `text`.
 */
export function foldString(text: string): FoldedText {
  const map = new Int32Array(text.length + 1);
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const f = foldCode(text.charCodeAt(i));
    if (f === DROP) continue;
    map[out.length] = i;
    out.push(f);
  }
  map[out.length] = text.length;
  let folded = '';
  for (let i = 0; i < out.length; i += 4096) folded += String.fromCharCode(...out.slice(i, i + 4096));
  return { folded, map: map.slice(0, out.length + 1) };
}

/** Shorthand: the folded string only. */
export function fold(text: string): string {
  return foldString(text).folded;
}
