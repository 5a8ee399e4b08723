/**
 * Query hygiene shared by the popup, the omnibox and the context menu. Input
 * comes from typing, pasting and page selections, so it can be huge, multi-line
 * or blank; the searcher should only ever see one bounded line of text.
 */

/** Longer queries do not rank better, and fuzzy matching cost grows with pattern length. */
export const MAX_QUERY_LENGTH = 128;

/** Drops control and format characters, collapses whitespace (incl. pasted newlines and tabs), trims, and caps the length without splitting a surrogate pair. */
export function normalizeQuery(raw: string | null | undefined): string {
  if (!raw) return '';
  // Line breaks and spaces of every kind (the zero-width space included) separate words.
  // Other control and format characters (a pasted NUL, a terminal's escape, a soft hyphen,
  // a byte-order mark, joiners other than the one inside emoji sequences) mean nothing in a
  // query and are dropped, as is half of a surrogate pair (a page's script can make one; it
  // would not survive a URL). A query of nothing else is no query.
  const flat = raw
    .replace(/[\p{Cc}\p{Cf}\p{Cs}\s\u2028\u2029]/gu, (c) => (c === '\u200d' ? c : c === '\u200b' || (c !== '\ufeff' && /[\s\u0085]/.test(c)) ? ' ' : ''))
    .replace(/ +/g, ' ')
    .trim();
  if (!flat.replace(/[\u200d ]/g, '')) return '';
  if (flat.length <= MAX_QUERY_LENGTH) return flat;
  // Array.from splits by code point, so an emoji at the cut is kept whole or dropped whole.
  return Array.from(flat).slice(0, MAX_QUERY_LENGTH).join('').trim();
}
