/** Shared fixtures for the search tests: the real catalog and its prebuilt searcher. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCatalogFile } from '../../../utils/catalog/node';
import type { Catalog, Entry } from '../../../utils/catalog/types';
import { buildSearchIndex } from '../../../utils/search/build';
import { createSearcher } from '../../../utils/search/index';
import { openccSimplify } from '../../../utils/search/traditional';
import { normalizeQuery } from '../../../utils/search/text';
import type { SearchHit, SearchIndex, Searcher } from '../../../utils/search/types';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

let cached: { catalog: Catalog; index: SearchIndex; searcher: Searcher } | undefined;

/** The bundled catalog, indexed the way scripts/gen-data.ts does it, JSON round-tripped like the popup sees it. */
export function realCatalog(): { catalog: Catalog; index: SearchIndex; searcher: Searcher } {
  if (!cached) {
    const catalog = loadCatalogFile(path.join(root, 'data', 'catalog.json'));
    const index: SearchIndex = JSON.parse(JSON.stringify(buildSearchIndex(catalog, { simplify: openccSimplify() })));
    cached = { catalog, index, searcher: createSearcher(index) };
  }
  return cached;
}

/** Every exact key an entry answers to, folded like queries are. */
export function exactKeysOf(e: Entry): string[] {
  return [e.title, ...e.names, ...e.ids.arxiv, ...e.ids.acl, ...e.ids.doi, ...e.ids.github].map(normalizeQuery);
}

/**
 * Does `id` rank first for `query`? Two entries can legitimately share a key
 * (a paper and its dataset share an arXiv ID), so being inside the leading
 * group of exact hits that all answer to the same key also counts.
 */
export function ranksFirst(hits: SearchHit[], id: string, query: string, catalog: Catalog): boolean {
  if (hits[0]?.entryId === id) return true;
  const q = normalizeQuery(query);
  const sharing = new Set(catalog.filter((e) => exactKeysOf(e).includes(q)).map((e) => e.id));
  if (!sharing.has(id)) return false;
  for (const h of hits) {
    if (h.score !== 0 || !sharing.has(h.entryId)) return false;
    if (h.entryId === id) return true;
  }
  return false;
}
