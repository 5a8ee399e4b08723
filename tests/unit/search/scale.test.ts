/**
 * Behaviour at 10,000 entries: the shortlist must keep results right and
 * keystrokes cheap. Bounds here are loose (CI machines vary); the real
 * figures come from scripts/bench-search.ts.
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
    for (const e of [catalog[17], catalog[4321], catalog[9999]]) {
      expect(searcher.search(e.title)[0].entryId).toBe(e.id);
      const id = e.ids.arxiv[0] ?? e.ids.github[0] ?? e.ids.acl[0];
      if (id) expect(searcher.search(id).map((h) => h.entryId)).toContain(e.id);
      const zh = [e.title, ...e.names].find((n) => /[\u4e00-\u9fff]/.test(n));
      if (zh) expect(searcher.search(zh).slice(0, 5).map((h) => h.entryId)).toContain(e.id);
    }
  });

  it('answers every keystroke of typical queries fast', () => {
    const queries = ['PubMedQA', 'cometa corpus', 'medical question answering', '1909.06146', 'https://arxiv.org/abs/1909.06146', '医渡云', '电子病历 实体识别', 'tangniaobing', 'tnb'];
    const times: number[] = [];
    for (let pass = 0; pass < 2; pass++)
      for (const q of queries) {
        const pts = Array.from(q);
        for (let i = 1; i <= pts.length; i++) {
          const t = performance.now();
          const hits = searcher.search(pts.slice(0, i).join(''));
          times.push(performance.now() - t);
          expect(hits.length).toBeLessThanOrEqual(50);
        }
      }
    times.sort((a, b) => a - b);
    expect(times[Math.floor(times.length * 0.95)]).toBeLessThan(60);
  });

  it('handles a 2,000-character query quickly', () => {
    const t = performance.now();
    searcher.search('medical entity linking '.repeat(90));
    expect(performance.now() - t).toBeLessThan(250);
  });
});
