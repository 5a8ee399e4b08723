/**
 * Character constants shared by the folding tables (normalize.ts, background and build
 * time) and the scanner (runtime.ts, content script), which receives the tables
 * themselves from the background and so never bundles their construction.
 */

/** Folded value meaning "not part of the folded stream" (separator or ignorable). */
export const DROP = 0;

/** A letter or digit of a script that writes words with spaces (Latin, Greek, Cyrillic, full-width ASCII). */
export const C_WORD = 1;
/** Whitespace of any kind, incl. line breaks, NBSP and the ideographic space. */
export const C_SPACE = 2;
/** Hyphens, dashes, underscore. */
export const C_HYPHEN = 4;
/** Invisible characters that never separate words (soft hyphen, zero-width joiners, BOM). */
export const C_IGNORABLE = 8;

/**
 * Width folding without case folding, used to compare a hit with a name's published
 * spelling ("exact case" rule): full-width ASCII becomes ASCII, everything else is kept.
 */
export const unwiden = (c: number): number => {
  return c >= 0xff01 && c <= 0xff5e ? c - 0xfee0 : c;
};
