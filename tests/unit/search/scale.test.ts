/**
 * Behaviour at 10,000 entries: the shortlist must keep results right at scale.
 * Speed is measured by the benchmarks (scripts/bench-search.ts, `npm run bench`),
 * not asserted here.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Catalog } from '../../../utils/catalog/types';
import { buildSearchIndex } from '../../../utils/search/build';
import { createSearcher } from '../../../utils/search/index';
import type { Searcher } from '../../../utils/search/types';
import { syntheticCatalog } from '../../bench/synthetic-catalog';

describe('10,000 synthetic entries', () => {
  let catalog: Catalog;
  let searcher: Searcher;
  beforeAll(() => {
    catalog = syntheticCatalog(10_000);
    searcher = createSearcher(JSON.parse(JSON.stringify(buildSearchIndex(catalog))));
  });

  it('is deterministic', () => {
    expect(syntheticCatalog(50)).toEqual(syntheticCatalog(50));
    expect(new Set(catalog.map((e) => e.id)).size).toBe(catalog.length);
  });

  it('finds entries by exact title, short name prefix, ID and Chinese name', () => {
    // Entries from the start, the middle and the end of the catalog that carry an ID, a Chinese
    // name and a short name no other entry has.
    const nameCount = new Map<string, number>();
    for (const e of catalog) nameCount.set(e.names[0], (nameCount.get(e.names[0]) ?? 0) + 1);
    const idOf = (e: Catalog[number]) => e.ids.arxiv[0] ?? e.ids.github[0] ?? e.ids.acl[0];
    const zhOf = (e: Catalog[number]) => [e.title, ...e.names].find((n) => /[\u4e00-\u9fff]/.test(n));
    const picks = [17, 4321, 9000].map((from) =>
      catalog.slice(from).find((e) => idOf(e) && zhOf(e) && nameCount.get(e.names[0]) === 1 && e.names[0].length >= 6),
    );
    expect(picks.every(Boolean)).toBe(true);
    for (const e of picks as Catalog) {
      expect(searcher.search(e.title)[0].entryId).toBe(e.id);
      expect(searcher.search(idOf(e)!).map((h) => h.entryId)).toContain(e.id);
      expect(searcher.search(zhOf(e)!).slice(0, 5).map((h) => h.entryId)).toContain(e.id);
      // The short name as it is being typed, one letter short.
      const prefix = e.names[0].slice(0, -1);
      expect(searcher.search(prefix).slice(0, 10).map((h) => h.entryId), prefix).toContain(e.id);
    }
  });

  it('answers every keystroke of typical queries with a sorted list of distinct entries, the default 50 or fewer', () => {
    const queries = ['PubMedQA', 'cometa corpus', 'medical question answering', '1909.06146', 'https://arxiv.org/abs/1909.06146', '医渡云', '电子病历 实体识别', 'tangniaobing', 'tnb'];
    for (const q of queries) {
      const pts = Array.from(q);
      for (let i = 1; i <= pts.length; i++) {
        const typed = pts.slice(0, i).join('');
        const hits = searcher.search(typed, { limit: 500 });
        expect(new Set(hits.map((h) => h.entryId)).size, typed).toBe(hits.length);
        for (let k = 1; k < hits.length; k++) expect(hits[k].score, typed).toBeGreaterThanOrEqual(hits[k - 1].score);
        // The default list is the head of the long one.
        const short = searcher.search(typed);
        expect(short.length, typed).toBe(Math.min(50, hits.length));
        expect(short.map((h) => h.entryId), typed).toEqual(hits.slice(0, 50).map((h) => h.entryId));
      }
    }
  });

  it('returns more than 50 hits when asked and more entries match', () => {
    const matching = catalog.filter((e) => [e.title, ...e.names].some((n) => n.toLowerCase().includes('medical'))).length;
    expect(matching).toBeGreaterThan(500);
    expect(searcher.search('medical')).toHaveLength(50);
    // Every match among the n-gram shortlist's 300 candidates, not the first 50.
    const hits = searcher.search('medical', { limit: 500 });
    expect(hits.length).toBeGreaterThan(250);
    expect(hits.length).toBeLessThanOrEqual(500);
    const byId = new Map(catalog.map((e) => [e.id, e]));
    for (const h of hits) {
      const e = byId.get(h.entryId)!;
      const text = [e.title, ...e.names, e.summary.en, ...e.sections.flatMap((s) => [s.en, s.sub?.en ?? ''])].join('\n').toLowerCase();
      expect(text, h.entryId).toContain('medical');
    }
  });

  it('handles a 2,000-character query: cut to its first 200 characters, every word required', () => {
    const hits = searcher.search('medical entity linking '.repeat(90));
    expect(hits.length).toBeGreaterThan(0);
    const byId = new Map(catalog.map((e) => [e.id, e]));
    for (const h of hits.slice(0, 10)) {
      const e = byId.get(h.entryId)!;
      const text = [e.title, ...e.names, e.summary.en].join('\n').toLowerCase();
      for (const w of ['medical', 'entity', 'linking']) expect(text, h.entryId).toContain(w);
    }
  });
});
