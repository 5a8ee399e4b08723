/**
 * arXiv (arxiv.org): abstract pages, listings, search results and HTML (LaTeXML) papers.
 * PDFs are not HTML and are not handled.
 */
import type { SiteAdapter } from './types';
import { normalizeArxiv, normalizeDoi } from '../matcher/ids';
import { canonical, firstOf, idList, meta, regionsBySelectors } from './dom';

const ID = String.raw`(?:\d{4}\.\d{4,5}|[a-z][a-z-]*(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?`;
const ABS = new RegExp(`^/abs/(${ID})/?$`, 'i');
const HTML = new RegExp(`^/html/(${ID})(?:/.*)?$`, 'i');

const REGIONS: Record<string, string[]> = {
  abs: ['#abs h1.title', '#abs blockquote.abstract', '#abs .metatable td.comments'],
  // Title, comments and abstract (on /new) of each entry carry `mathjax`; authors, journal
  // ref and subjects do not. One selector whose last part is a class is a fast query for
  // Blink; the list of three it replaces took 1.6 times as long on a 1,000-entry listing.
  list: ['#dlpage dl dd .mathjax'],
  // Parts of every result, interleaved in the page: one query with the list (see regionsBySelectors).
  // The abstract is there twice: the short one shown (cut around the search's hits), and the
  // full one behind "More", hidden until then. Both are read, so what is shown is marked.
  search: ['.arxiv-result p.title, .arxiv-result .list-title, .arxiv-result p.abstract, .arxiv-result p.comments'],
  // Every part of every section, one level down: headings, paragraphs, tables, figures with
  // their captions, a subsection (its parts read inside it) and the bibliography's list (its
  // items read a few at a time), and the paragraphs and figures before the first section (or
  // of a paper without sections: a teaser figure under the abstract). The table of contents is
  // not inside a section.
  'html-paper': [
    'article.ltx_document h1.ltx_title_document',
    'article.ltx_document .ltx_abstract',
    'article.ltx_document > .ltx_para, article.ltx_document > figure',
    'article.ltx_document section > *',
  ],
};

const HOSTS = ['arxiv.org'];

/** The page type of a URL (see {@link SiteAdapter.pageType}). */
const pageType = (url: URL): string | null => {
  if (!HOSTS.includes(url.hostname)) return null;
  const p = url.pathname;
  if (ABS.test(p)) return 'abs';
  if (HTML.test(p)) return 'html-paper';
  if (/^\/(?:list|catchup)\/[^/]/.test(p)) return 'list';
  if (/^\/search(?:\/|$)/.test(p)) return 'search';
  return null;
};

export const arxiv: SiteAdapter = {
  key: 'arxiv',
  // The content script runs on arxiv.org only (least privilege): no mirrors, no export.arxiv.org.
  hosts: HOSTS,

  pageType,

  regions(doc, url) {
    const type = pageType(url);
    return type ? regionsBySelectors(doc, REGIONS[type] ?? []) : [];
  },

  bannerAnchor(doc, url) {
    const type = pageType(url);
    if (type === 'abs') return firstOf(doc, ['#abs h1.title', '#abs']);
    if (type === 'html-paper') return firstOf(doc, ['article.ltx_document h1.ltx_title_document', 'article.ltx_document']);
    return null;
  },

  idKey: (kind, id) => (kind === 'arxiv' ? normalizeArxiv(id) : kind === 'doi' ? normalizeDoi(id) : undefined)?.toLowerCase(),

  pageIds(doc, url) {
    const ids = idList();
    const type = pageType(url);
    // The page's own ID: from its URL, its meta tag, its canonical link (an HTML paper's is the abstract).
    const fromUrl = (u: URL | undefined) => {
      const m = u && (ABS.exec(u.pathname) ?? HTML.exec(u.pathname));
      if (m) ids.add(`arxiv:${normalizeArxiv(m[1]) ?? m[1]}`);
    };
    fromUrl(url);
    if (type === 'abs' || type === 'html-paper') {
      const metaId = meta(doc, 'citation_arxiv_id');
      if (metaId && normalizeArxiv(metaId)) ids.add(`arxiv:${normalizeArxiv(metaId)}`);
      const doi = meta(doc, 'citation_doi');
      if (doi && normalizeDoi(doi)) ids.add(`doi:${normalizeDoi(doi)}`);
      fromUrl(canonical(doc, url));
      const title = meta(doc, 'citation_title');
      if (title) ids.add(`title:${title}`);
    }
    return ids.list;
  },
};
