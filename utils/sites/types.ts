/**
 * A site adapter: declarative description of one site the annotator reads.
 * Adding a fourth site is one new file implementing this.
 */
import type { SiteKey } from '../favorites/types';
import type { IdKind } from '../matcher/ids';

export interface SiteAdapter {
  key: SiteKey;
  /** Hostnames this adapter handles. */
  hosts: string[];
  /** The page type for a URL ('abs', 'list', 'search', 'html-paper', 'paper', 'volume', 'event', 'repo', ...) or null if not handled. */
  pageType(url: URL): string | null;
  /** Elements of `doc` whose text the annotator scans: connected, in document order, none inside another (regionsBySelectors does all three). */
  regions(doc: Document, url: URL): Element[];
  /** Where the "this page is a catalog entry" banner goes (top of the content). */
  bannerAnchor(doc: Document, url: URL): Element | null;
  /**
   * Identifiers the page itself carries: URL, meta tags, canonical link. Raw strings
   * `kind:value`, kinds as in `EntryIds` ("arxiv:1909.06146", "acl:2020.emnlp-main.253",
   * "doi:10.18653/v1/…", "github:owner/repo"), values normalised as utils/matcher/ids.ts does
   * (`parseRawId` reads them back), plus "title:<the page's citation title>" where the page
   * has one (a title, to be looked up by name, not an ID). No duplicates; most specific first.
   */
  pageIds(doc: Document, url: URL): string[];
  /**
   * The ID table key (utils/matcher/ids.ts `idKey`) of a page ID of a kind `pageIds` gives;
   * undefined for other kinds, which it never gives. The content script's matcher looks page
   * IDs up with it, so that the script bundles only its own site's normalisers.
   */
  idKey(kind: IdKind, id: string): string | undefined;
}

/** Never scanned, on any site. Our own UI is `[data-cmed-ui]`. */
export const SKIP_SELECTOR =
  'input, textarea, select, [contenteditable]:not([contenteditable="false"]), code, pre, script, style, noscript, svg, math, template, iframe, [data-cmed-ui], .ltx_listing, .ltx_verbatim, .blob-code';
