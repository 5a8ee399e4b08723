/**
 * Query hygiene shared by the popup, the omnibox and the context menu. Input
 * comes from typing, pasting and page selections, so it can be huge, multi-line
 * or blank; the searcher should only ever see one bounded line of text.
 */

/** Longer queries do not rank better, and fuzzy matching cost grows with pattern length. */
export const MAX_QUERY_LENGTH = 128;

/** Drops control characters, collapses whitespace (incl. pasted newlines and tabs), trims, and caps the length without splitting a surrogate pair. */
export function normalizeQuery(raw: string | null | undefined): string {
  if (!raw) return '';
  // Control characters (a pasted NUL, a terminal's escape) and the word joiner mean nothing
  // in a query: dropped, so a query of nothing else is no query.
  // eslint-disable-next-line no-control-regex
  const flat = raw.replace(/[\u0000-\u0008\u000e-\u001f\u007f-\u009f\u2060]+/g, '').replace(/[\s\u200b\u2028\u2029]+/g, ' ').trim();
  if (flat.length <= MAX_QUERY_LENGTH) return flat;
  // Array.from splits by code point, so an emoji at the cut is kept whole or dropped whole.
  return Array.from(flat).slice(0, MAX_QUERY_LENGTH).join('').trim();
}
