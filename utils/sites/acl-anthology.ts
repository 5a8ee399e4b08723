/**
 * ACL Anthology (aclanthology.org): paper pages, volume pages, event pages and author pages.
 * Legacy www.aclweb.org/anthology/ URLs, which redirect there, still name a paper in a
 * canonical or PDF link.
 */
import type { SiteAdapter } from './types';
import { normalizeAcl, normalizeDoi } from '../matcher/ids';
import { canonical, firstOf, idList, meta, regionsBySelectors, toUrl } from './dom';

const PAPER_ID = String.raw`(?:[A-Za-z]\d{2}-\d{4}|\d{4}\.[a-z][a-z0-9-]*\.\d+)`;
const VOLUME_ID = String.raw`(?:[A-Za-z]\d{2}-\d{1,2}|\d{4}\.[a-z][a-z0-9-]*)`;

/** Path without the legacy "/anthology" prefix of aclweb.org. */
const anthologyPath = (url: URL): string | null => {
  if (url.hostname === 'aclanthology.org') return url.pathname;
  if (url.hostname === 'www.aclweb.org' || url.hostname === 'aclweb.org') {
    const m = /^\/anthology(\/.*)$/.exec(url.pathname);
    return m ? m[1] : null;
  }
  return null;
};

const PAPER = new RegExp(`^/(${PAPER_ID})(?:v\\d+)?/?$`);
const VOLUME = new RegExp(`^/volumes/(${VOLUME_ID})/?$`);

/** Titles on listing pages: each paper is `<strong><a class="align-middle" href="/ID/">`. */
const LIST_TITLES = ['section#main strong > a.align-middle'];

const REGIONS: Record<string, string[]> = {
  paper: ['section#main h2#title', 'section#main .acl-abstract'],
  volume: ['section#main h2#title', ...LIST_TITLES],
  event: LIST_TITLES,
  person: LIST_TITLES,
};

/** The page type of a URL (see {@link SiteAdapter.pageType}). */
const pageType = (url: URL): string | null => {
  const p = anthologyPath(url);
  if (p === null) return null;
  if (PAPER.test(p)) return 'paper';
  if (VOLUME.test(p)) return 'volume';
  if (/^\/events\/[\w-]+\/?$/.test(p)) return 'event';
  if (/^\/people\/[^/]+(?:\/[^/]+)?\/?$/.test(p)) return 'person';
  return null;
};

export const aclAnthology: SiteAdapter = {
  key: 'acl',
  // The pages read are aclanthology.org's (aclweb.org redirects there); legacy URLs still give IDs.
  hosts: ['aclanthology.org'],

  pageType,

  regions(doc, url) {
    const type = pageType(url);
    return type ? regionsBySelectors(doc, REGIONS[type] ?? []) : [];
  },

  bannerAnchor(doc, url) {
    return pageType(url) === 'paper' ? firstOf(doc, ['section#main h2#title', 'section#main']) : null;
  },

  idKey: (kind, id) => (kind === 'acl' ? normalizeAcl(id) : kind === 'doi' ? normalizeDoi(id) : undefined)?.toLowerCase(),

  pageIds(doc, url) {
    const ids = idList();
    // A paper's ID from its URL, canonical link or PDF link (aclanthology.org or legacy aclweb.org).
    const fromUrl = (u: URL | undefined) => {
      const p = u && anthologyPath(u)?.replace(/\.pdf$/i, '');
      const m = p ? PAPER.exec(p) : null;
      if (m) ids.add(`acl:${normalizeAcl(m[1]) ?? m[1]}`);
    };
    fromUrl(url);
    if (pageType(url) !== 'paper') return ids.list;
    // The details table: <dt>Anthology ID:</dt><dd>2021.naacl-main.208</dd>.
    for (const dt of doc.querySelectorAll('.acl-paper-details dt')) {
      if (/Anthology ID/i.test(dt.textContent ?? '')) {
        const id = normalizeAcl(dt.nextElementSibling?.textContent?.trim() ?? '');
        if (id) ids.add(`acl:${id}`);
      }
    }
    const doi = meta(doc, 'citation_doi');
    if (doi && normalizeDoi(doi)) ids.add(`doi:${normalizeDoi(doi)}`);
    fromUrl(canonical(doc, url));
    const pdf = meta(doc, 'citation_pdf_url');
    if (pdf) fromUrl(toUrl(pdf, url));
    const title = meta(doc, 'citation_title');
    if (title) ids.add(`title:${title}`);
    return ids.list;
  },
};
