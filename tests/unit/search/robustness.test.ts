/** Bad input, highlight bounds, filters, index serialisation and the exact-hit property. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Catalog, Entry } from '../../../utils/catalog/types';
import { buildSearchIndex } from '../../../utils/search/build';
import { createSearcher } from '../../../utils/search/index';
import type { SearchHit, Searcher } from '../../../utils/search/types';
import { syntheticCatalog } from '../../bench/synthetic-catalog';
import { ranksFirst, realCatalog } from './helpers';

/** Displayed text a highlight field name refers to. */
function fieldText(e: Entry, field: string): string | undefined {
  if (field === 'title') return e.title;
  if (field === 'summary.en') return e.summary.en;
  if (field === 'summary.zh') return e.summary.zh;
  const m = /^names\.(\d+)$/.exec(field);
  return m ? e.names[Number(m[1])] : undefined;
}

function expectValidHits(hits: SearchHit[], catalog: Catalog) {
  expect(Array.isArray(hits)).toBe(true);
  const byId = new Map(catalog.map((e) => [e.id, e]));
  for (const h of hits) {
    const e = byId.get(h.entryId);
    expect(e, h.entryId).toBeDefined();
    expect(Number.isFinite(h.score)).toBe(true);
    for (const hl of h.highlights) {
      const text = fieldText(e!, hl.field);
      expect(text, `${h.entryId} ${hl.field}`).toBeDefined();
      let prev = -1;
      for (const [a, b] of hl.ranges) {
        expect(a).toBeGreaterThanOrEqual(0);
        expect(b).toBeGreaterThan(a);
        expect(b).toBeLessThanOrEqual(text!.length);
        expect(a).toBeGreaterThanOrEqual(prev); // sorted, non-overlapping
        prev = b;
      }
    }
  }
}

const BAD_INPUT = [
  '',
  ' ',
  '          ',
  '\n\n\t',
  '.*(?[',
  '\\',
  '(((((((((((',
  '[a-z]+$^|',
  '🚀',
  '🧬 PubMedQA 🚀',
  '\u0000\u0001\u0007',
  '\ud83d', // lone surrogate
  'PubMedQA\nCOMETA\r\nMedMentions',
  'a'.repeat(2000),
  '医'.repeat(2000),
  'pubmedqa '.repeat(250),
  'https://arxiv.org/abs/' + '1'.repeat(2000),
  '%00%27%22<script>alert(1)</script>',
  '　ＰｕｂＭｅｄＱＡ　',
];

describe('bad input', () => {
  const { catalog, searcher } = realCatalog();

  it.each(BAD_INPUT.map((q) => [JSON.stringify(q).slice(0, 40), q]))('%s returns valid hits', (_label, q) => {
    const hits = searcher.search(q);
    expectValidHits(hits, catalog);
  });

  it('treats empty, blank and symbol-only queries as empty', () => {
    for (const q of ['', '   ', '\n', '🚀', '.*(?[', '\u0000']) expect(searcher.search(q)).toEqual([]);
  });

  it('still finds what a pasted multi-line or emoji-decorated query names', () => {
    expect(searcher.search('🧬 PubMedQA 🚀')[0]?.entryId).toBe('pubmedqa');
    expect(searcher.search('　ＰｕｂＭｅｄＱＡ　')[0]?.entryId).toBe('pubmedqa');
  });

  it('survives arbitrary strings (fast-check)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), fc.integer({ min: 1, max: 60 }), (q, limit) => {
        const hits = searcher.search(q, { limit });
        expect(hits.length).toBeLessThanOrEqual(limit);
        expectValidHits(hits, catalog);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps highlight ranges inside their fields for realistic queries', () => {
    const words = catalog.flatMap((e) => [e.title, ...e.names]).flatMap((s) => s.split(/\s+/)).filter(Boolean);
    for (const w of words.slice(0, 400)) expectValidHits(searcher.search(w), catalog);
    for (const q of ['tangniaobing', 'tnb', 'yidu', 'ruijin', 'medical', '医学', 'bert 中文', 'pubmde']) expectValidHits(searcher.search(q), catalog);
  });
});

describe('filters and options', () => {
  const { catalog, searcher } = realCatalog();

  it('filters by kind', () => {
    const hits = searcher.search('bert', { kinds: ['model'] });
    expect(hits.length).toBeGreaterThan(0);
    const kinds = new Map(catalog.map((e) => [e.id, e.kind]));
    for (const h of hits) expect(kinds.get(h.entryId)).toBe('model');
    expect(searcher.search('PubMedQA', { kinds: ['paper'] }).map((h) => h.entryId)).not.toContain('pubmedqa');
  });

  it('filters by top-level section', () => {
    const section = '中文数据集';
    const hits = searcher.search('数据', { section });
    expect(hits.length).toBeGreaterThan(0);
    const inSection = new Set(catalog.filter((e) => e.sections.some((s) => s.zh === section)).map((e) => e.id));
    for (const h of hits) expect(inSection.has(h.entryId)).toBe(true);
    expect(searcher.search('PubMedQA', { section })).toEqual([]);
    expect(searcher.search('PubMedQA', { section: 'no such section' })).toEqual([]);
  });

  it('combines kind and section filters, and honours limit', () => {
    const hits = searcher.search('医', { kinds: ['dataset'], section: '中文数据集', limit: 3 });
    // The list's Chinese datasets: more than three of them have 医 in a name.
    expect(hits).toHaveLength(3);
    expect(searcher.search('医', { kinds: ['dataset'], section: '中文数据集' }).length).toBeGreaterThan(3);
    const byId = new Map(catalog.map((e) => [e.id, e]));
    for (const h of hits) {
      expect(byId.get(h.entryId)!.kind).toBe('dataset');
      expect(byId.get(h.entryId)!.sections.some((s) => s.zh === '中文数据集')).toBe(true);
    }
  });

  it('returns hits sorted by score', () => {
    const hits = searcher.search('medical');
    expect(hits.length).toBeGreaterThan(5);
    for (let i = 1; i < hits.length; i++) expect(hits[i].score).toBeGreaterThanOrEqual(hits[i - 1].score);
  });
});

describe('index serialisation', () => {
  const { catalog } = realCatalog();

  it('is JSON round-trippable and deterministic', () => {
    const index = buildSearchIndex(catalog);
    const json = JSON.stringify(index);
    expect(JSON.parse(json)).toEqual(index);
    expect(JSON.stringify(buildSearchIndex(catalog))).toBe(json);
    const a = createSearcher(index).search('tangniaobing');
    const b = createSearcher(JSON.parse(json)).search('tangniaobing');
    expect(b).toEqual(a);
  });

  it('rejects an index of another version', () => {
    expect(() => createSearcher({ version: 2 } as never)).toThrow(/version/);
  });

  it('handles an empty catalog', () => {
    const s = createSearcher(JSON.parse(JSON.stringify(buildSearchIndex([]))));
    expect(s.search('anything')).toEqual([]);
  });
});

/** Title and every ID of an entry must find it first. */
function exactProperty(catalog: Catalog, searcher: Searcher, numRuns: number) {
  fc.assert(
    fc.property(fc.constantFrom(...catalog), fc.nat(), (entry, pick) => {
      const ids = [...entry.ids.arxiv, ...entry.ids.acl, ...entry.ids.doi, ...entry.ids.github];
      const queries = [entry.title, ...(ids.length ? [ids[pick % ids.length]] : [])];
      for (const q of queries) {
        const hits = searcher.search(q);
        expect(ranksFirst(hits, entry.id, q, catalog), `${q} → ${entry.id}; got ${hits.slice(0, 3).map((h) => h.entryId)}`).toBe(true);
      }
    }),
    { numRuns },
  );
}

describe('exact title or ID ranks its entry first (fast-check)', () => {
  it('on the bundled catalog, every entry', () => {
    const { catalog, searcher } = realCatalog();
    exactProperty(catalog, searcher, catalog.length * 4);
    for (const e of catalog) for (const id of [...e.ids.arxiv, ...e.ids.acl, ...e.ids.doi, ...e.ids.github]) expect(ranksFirst(searcher.search(id), e.id, id, catalog)).toBe(true);
  });

  it('on a 3,000-entry synthetic catalog, where the n-gram shortlist is used', () => {
    const catalog = syntheticCatalog(3000, 7);
    const searcher = createSearcher(JSON.parse(JSON.stringify(buildSearchIndex(catalog))));
    exactProperty(catalog, searcher, 200);
  });
});
