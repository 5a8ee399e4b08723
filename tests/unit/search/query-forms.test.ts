/**
 * Queries as people actually type or select them: wrapped in punctuation, with
 * letters and digits run together, with two letters swapped, in traditional
 * characters, or as a short acronym. Each must find what the plain form finds.
 */
import { describe, expect, it } from 'vitest';
import type { Catalog, Entry } from '../../../utils/catalog/types';
import { buildSearchIndex } from '../../../utils/search/build';
import { createSearcher } from '../../../utils/search/index';
import type { SearchHit } from '../../../utils/search/types';
import { syntheticCatalog } from '../../bench/synthetic-catalog';
import { realCatalog } from './helpers';

const ids = (hits: SearchHit[]) => hits.map((h) => h.entryId);
/** Fuzzy (fuse.js) hits score from here on; direct matches on names stay below it. */
const FUZZY_FROM = 0.1;

describe('punctuation around a query', () => {
  const { searcher } = realCatalog();
  const ALL = { limit: Infinity };

  it.each([
    ['医学，', '医学'],
    ['“问答”', '问答'],
    ['(医学)', '医学'],
    ['医学:', '医学'],
    ['问答?', '问答'],
    ['知识图谱。', '知识图谱'],
    ['「医渡云」', '医渡云'],
    ['《糖尿病》', '糖尿病'],
    // One Han character is a word: its punctuation goes ("C++" keeps its own; see below).
    ['医，', '医'],
    ['“医”', '医'],
    ['《肺》', '肺'],
    ['"cometa"', 'cometa'],
    ['PubMedQA,', 'PubMedQA'],
    ['(BioBERT).', 'BioBERT'],
    ['medical…', 'medical'],
    // A joiner typed after a word that no name goes on with.
    ['天池-', '天池'],
    ['医学-', '医学'],
    ['ccks-', 'ccks'],
    ['ccl_', 'ccl'],
    ['问答/', '问答'],
    // Pinyin with tone numbers.
    ['tang2niao4bing4', 'tangniaobing'],
    ['tang2 niao4 bing4', 'tangniaobing'],
    ['yi1du4yun2', 'yiduyun'],
  ])('%s finds what %s finds', (wrapped, plain) => {
    const expected = ids(searcher.search(plain, ALL));
    expect(expected.length).toBeGreaterThan(0);
    expect(ids(searcher.search(wrapped, ALL))).toEqual(expected);
  });

  it('highlights the words, not the punctuation', () => {
    const hit = searcher.search('知识图谱。')[0];
    expect(hit.entryId).toBe('cmekg');
    const alias = hit.highlights.find((h) => h.field === 'names.0');
    expect(alias?.ranges).toEqual([[4, 8]]);
  });

  it('keeps exact hits on keys that end in punctuation', () => {
    expect(searcher.search('medical-data(海量医疗相关数据)')[0]).toMatchObject({ entryId: 'medical-data', score: 0 });
  });

  it('reads letters and a year as a name, not as tone numbers', () => {
    expect(ids(searcher.search('ccks2019').slice(0, 1))).toEqual(['yidu-s4k']);
  });

  it('reads tone digits only after pinyin syllables', () => {
    // "T5", "n2c2" and "i2b2" are names of models and corpora, not pinyin: dropping their
    // digits searched for "t", "nc" and "ib", which begin words all over the catalog.
    for (const q of ['T5', 'n2c2', 'i2b2']) expect(searcher.search(q, ALL), q).toEqual([]);
    // "Yidu-S4K" mistyped ends in letters after a digit 4: a typo, which finds it.
    for (const q of ['Ydiu-S4K', 'Yiud-S4K', 'ydius4k']) expect(ids(searcher.search(q)).slice(0, 1), q).toEqual(['yidu-s4k']);
    // Pinyin whose syllables are a lone vowel, or several in one run, still reads as such.
    expect(ids(searcher.search('e4xing4', ALL))).toEqual(ids(searcher.search('exing', ALL)));
  });

  it('keeps a trailing joiner that names go on with', () => {
    // "bio-" is on its way to a hyphenated name: its hits are the names that go on with it.
    const hits = searcher.search('bio-', ALL);
    expect(hits.length).toBeGreaterThan(0);
    expect(ids(hits)).not.toEqual(ids(searcher.search('bio', ALL)));
  });

  it('still treats punctuation-only queries as empty', () => {
    for (const q of ['，', '“”', '()', '。。。', '?!']) expect(searcher.search(q)).toEqual([]);
  });
});

describe('letters and digits run together', () => {
  const { searcher } = realCatalog();

  it.each([
    ['CHIP2019', 'chip-2019-disease-qa-transfer'],
    ['chip2019', 'chip-2019-disease-qa-transfer'],
    ['ccks2019', 'yidu-s4k'],
    ['CCKS2019', 'yidu-s4k'],
    ['iclr2021', 'iclr-2021-medical-dialogue-challenge'],
    ['ccl2021', 'ccl-2021-imcs'],
    ['chip 2020', 'chip-2020'],
  ])('%s → %s first', (query, first) => {
    expect(ids(searcher.search(query).slice(0, 3))[0]).toBe(first);
  });

  it('matches a name with a space between letters and year directly, not as a typo', () => {
    for (const [q, id] of [
      ['CHIP2019', 'chip-2019-disease-qa-transfer'],
      ['iclr2021', 'iclr-2021-medical-dialogue-challenge'],
      ['ccl2021', 'ccl-2021-imcs'],
    ]) {
      const hit = searcher.search(q).find((h) => h.entryId === id);
      expect(hit?.score, q).toBeLessThan(FUZZY_FROM);
    }
  });

  it('does not list the other year of the same event', () => {
    expect(ids(searcher.search('CHIP2019'))).not.toContain('chip-2020');
  });

  it('highlights the name across the space', () => {
    const hit = searcher.search('chip2019')[0];
    const name = hit.highlights.find((h) => h.field === 'names.0');
    expect(name?.ranges[0]).toEqual([0, 9]);
  });
});

describe('two adjacent letters swapped', () => {
  const { searcher } = realCatalog();

  it.each([
    ['CBULE', 'cblue'],
    ['CLBUE', 'cblue'],
    ['CMKeG', 'cmekg'],
    ['CeMKG', 'cmekg'],
    ['BeSeL', 'beesl'],
    ['FeEdD', 'feded'],
    ['BHERT', 'behrt'],
    ['BERHT', 'behrt'],
    ['MUFSAA', 'mufasa'],
    ['pkusge', 'pkuseg'],
  ])('%s → %s first', (query, first) => {
    expect(searcher.search(query)[0]?.entryId).toBe(first);
  });

  it('ranks such a near name below clean name matches', () => {
    const base = syntheticCatalog(4);
    const entry = (i: number, title: string): Entry => ({
      ...base[i],
      title,
      names: [],
      summary: { en: 'A resource.', zh: '资源。' },
      ids: { arxiv: [], acl: [], doi: [], github: [] },
    });
    const catalog: Catalog = [entry(0, 'Lmuen'), entry(1, 'Clinical Lumens'), entry(2, 'Lumen'), entry(3, 'Other')];
    const s = createSearcher(JSON.parse(JSON.stringify(buildSearchIndex(catalog))));
    // A clean prefix: no typo matches at all.
    expect(ids(s.search('lumen'))).toEqual([base[2].id, base[1].id]);
    // A word inside a name ranks above a name one letter off.
    const lumens = s.search('lumens');
    expect(ids(lumens)).toEqual([base[1].id, base[2].id]);
    expect(lumens[1].score).toBeGreaterThan(lumens[0].score);
    // The near name ranks above fuse.js's look-alikes.
    expect(s.search('lumne')[0]?.entryId).toBe(base[2].id);
    const mid = s.search('lmune');
    expect(ids(mid)).toEqual([base[0].id]);
    expect(mid[0].score).toBeGreaterThan(0.06);
    expect(mid[0].score).toBeLessThan(0.15);
    // Highlighted like any name hit.
    expect(mid[0].highlights.find((h) => h.field === 'title')?.ranges).toEqual([[0, 5]]);
  });

  it('finds swapped short names among 10,000 entries', () => {
    const catalog = syntheticCatalog(10_000);
    const s = createSearcher(JSON.parse(JSON.stringify(buildSearchIndex(catalog))));
    const count = new Map<string, number>();
    for (const e of catalog) for (const n of e.names) count.set(n.toLowerCase(), (count.get(n.toLowerCase()) ?? 0) + 1);
    const picks = catalog.filter((e) => /^[A-Za-z]{5,7}$/.test(e.names[0] ?? '') && count.get(e.names[0].toLowerCase()) === 1).slice(0, 40);
    expect(picks.length).toBe(40);
    let found = 0;
    for (const e of picks) {
      const n = e.names[0].toLowerCase();
      const i = [1, 2, 3].find((k) => n[k] !== n[k + 1])!;
      const swapped = n.slice(0, i) + n[i + 1] + n[i] + n.slice(i + 2);
      if (ids(s.search(swapped).slice(0, 5)).includes(e.id)) found++;
    }
    expect(found).toBe(picks.length);
  });
});

describe('traditional characters', () => {
  const { searcher } = realCatalog();

  it.each([
    ['醫渡雲', '医渡云'],
    ['知識圖譜', '知识图谱'],
    ['中文醫學知識圖譜', '中文医学知识图谱'],
    ['問答', '问答'],
    ['數據集', '数据集'],
    ['醫學 問答', '医学 问答'],
  ])('%s finds what %s finds', (traditional, simplified) => {
    const expected = searcher.search(simplified);
    expect(expected.length).toBeGreaterThan(0);
    const got = searcher.search(traditional);
    expect(ids(got)).toEqual(ids(expected));
    expect(got.map((h) => h.score)).toEqual(expected.map((h) => h.score));
  });

  it('highlights the simplified characters the query names', () => {
    const { catalog } = realCatalog();
    const hit = searcher.search('醫渡雲')[0];
    const entry = catalog.find((e) => e.id === hit.entryId)!;
    const title = hit.highlights.find((h) => h.field === 'title')!;
    expect(entry.title.slice(title.ranges[0][0], title.ranges[0][1])).toBe('医渡云');
  });

  it('ships a table only for characters the catalog uses', () => {
    const { catalog, index } = realCatalog();
    const [from, to] = (index as { traditional?: [string, string] }).traditional ?? ['', ''];
    expect(from.length).toBe(to.length);
    expect(from).toContain('醫');
    expect(from.length).toBeLessThan(2000);
    const text = JSON.stringify(catalog);
    for (const ch of to) expect(text).toContain(ch);
    for (const ch of from) expect(text).not.toContain(ch);
  });
});

describe('one character with punctuation', () => {
  const { catalog, searcher } = realCatalog();

  it('is not trimmed to the character alone, which every entry would match', () => {
    for (const q of ['C++', 'c#', 'a.']) expect([q, searcher.search(q, { limit: Infinity }).length < catalog.length / 2]).toEqual([q, true]);
  });
});

describe('short acronyms', () => {
  const { catalog, searcher } = realCatalog();

  it('ranks NER as a word above "ner" inside longer words', () => {
    const hits = searcher.search('NER');
    const asWord = (id: string) => {
      const e = catalog.find((x) => x.id === id)!;
      return /\bner\b/i.test([e.title, ...e.names, e.summary.en, e.summary.zh].join('\n'));
    };
    const words = hits.filter((h) => asWord(h.entryId)).map((h) => h.entryId);
    expect(words).toEqual(expect.arrayContaining(['yidu-s4k', 'chip-2020', 'biobert']));
    expect(ids(hits.slice(0, words.length)).sort()).toEqual([...words].sort());
  });

  it('keeps two-letter queries on the names that hold them (QA is in cMedQA2, PubMedQA, MEDIQA)', () => {
    const top = ids(searcher.search('QA').slice(0, 3)).sort();
    expect(top).toEqual(['cmedqa2', 'mediqa-2021', 'pubmedqa']);
  });

  it('still ranks a short name prefix first', () => {
    expect(searcher.search('beh')[0]?.entryId).toBe('behrt');
    expect(searcher.search('cbl')[0]?.entryId).toBe('cblue');
  });
});

describe('result limit', () => {
  const { catalog, searcher } = realCatalog();

  it('returns every match when asked for more than the default', () => {
    const contains = (q: string) =>
      catalog.filter((e) =>
        [e.title, ...e.names, e.summary.en, e.summary.zh, e.venue ?? '', ...e.sections.flatMap((s) => [s.zh, s.en, s.sub?.zh ?? '', s.sub?.en ?? ''])]
          .join('\n')
          .toLowerCase()
          .includes(q),
      ).length;
    for (const q of ['medical', '医']) {
      expect(contains(q)).toBeGreaterThan(50);
      expect(searcher.search(q)).toHaveLength(50);
      expect(searcher.search(q, { limit: 500 }).length).toBeGreaterThanOrEqual(contains(q));
      expect(searcher.search(q, { limit: Infinity })).toEqual(searcher.search(q, { limit: 500 }));
    }
  });
});

describe('Chinese names with characters skipped', () => {
  const { catalog, searcher } = realCatalog();
  const HAN_RUN = /\p{Script=Han}{7,}/u;

  it('finds a name from its first two and three later characters', () => {
    // What a reader recalls of a long name: its start and a later word, the characters between skipped.
    const misses: string[] = [];
    let tried = 0;
    for (const e of catalog)
      for (const name of [e.title, ...e.names]) {
        const run = HAN_RUN.exec(name)?.[0];
        if (!run) continue;
        for (const k of [3, 4]) {
          const q = run.slice(0, 2) + run.slice(k, k + 3);
          tried++;
          if (!ids(searcher.search(q, { limit: Infinity }).slice(0, 3)).includes(e.id)) misses.push(`${q} → ${e.id}`);
        }
      }
    expect(tried).toBeGreaterThan(40);
    expect(misses).toEqual([]);
  });

  it.each([
    ['瑞金糖尿病', '瑞金医院糖尿病数据集'],
    ['中文预训练', 'MC-BERT中文医疗预训练模型'],
    ['讯飞实体识别', '科大讯飞-医疗实体及关系识别挑战赛'],
    ['词林实体', '哈工大《大词林》开放75万核心实体词及相关概念、关系列表'],
  ])('%s ranks the entry named %s first, above typo matches', (q, name) => {
    const hits = searcher.search(q);
    const entry = catalog.find((e) => e.id === hits[0]?.entryId);
    expect([entry?.title, ...(entry?.names ?? [])]).toContain(name);
    expect(hits[0].score).toBeLessThan(FUZZY_FROM);
  });

  it('ranks the one entry holding every piece first (医疗对话竞赛: 医疗对话 and 竞赛)', () => {
    const both = catalog.filter((e) => [e.title, ...e.names].some((n) => n.includes('医疗对话')) && [e.title, ...e.names].some((n) => n.includes('竞赛')));
    expect(both.length).toBe(1);
    expect(searcher.search('医疗对话竞赛')[0]?.entryId).toBe(both[0].id);
  });

  it('ranks names holding the characters together above names holding them in pieces', () => {
    for (const q of ['医疗对话', '知识图谱', '问答数据']) {
      const hits = searcher.search(q, { limit: Infinity });
      const together = hits.map((h) => {
        const e = catalog.find((x) => x.id === h.entryId)!;
        return [e.title, ...e.names].some((n) => n.includes(q));
      });
      expect(together.indexOf(false) < 0 || together.lastIndexOf(true) < together.indexOf(false), q).toBe(true);
    }
  });

  it('highlights each piece in the name', () => {
    const hit = searcher.search('瑞金糖尿病')[0];
    const entry = catalog.find((e) => e.id === hit.entryId)!;
    const title = hit.highlights.find((h) => h.field === 'title')!;
    expect(title.ranges.map(([a, b]) => entry.title.slice(a, b))).toEqual(['瑞金', '糖尿病']);
  });
});

describe('every word found as typed', () => {
  const { catalog, searcher } = realCatalog();
  /** Everything of an entry a word can be found in as typed, lower-cased. */
  const textOf = (e: Entry) =>
    [e.title, ...e.names, ...Object.values(e.ids ?? {}).flat(), e.summary.en, e.summary.zh, e.venue ?? '', e.kind, String(e.year ?? ''), ...e.sections.flatMap((s) => [s.zh, s.en, s.sub?.zh ?? '', s.sub?.en ?? ''])]
      .join('\n')
      .toLowerCase();

  it.each(['naacl 2021', 'chinese medical qa', 'medical qa', 'bert embeddings', 'entity linking reddit'])(
    '%s: entries holding every word rank above look-alikes',
    (q) => {
      const words = q.split(' ');
      const all = searcher.search(q, { limit: Infinity }).map((h) => {
        const text = textOf(catalog.find((e) => e.id === h.entryId)!);
        return words.every((w) => text.includes(w));
      });
      expect(all.some(Boolean)).toBe(true);
      // Once an entry lacks a word, no entry with every word may follow.
      expect(all.slice(all.indexOf(false) < 0 ? all.length : all.indexOf(false)).some(Boolean)).toBe(false);
    },
  );

  it('lists the dataset named Chinese medical QA (cMedQA2, 中文医学问答数据集) among the first three', () => {
    expect(ids(searcher.search('chinese medical qa').slice(0, 3))).toContain('cmedqa2');
  });

  it('ranks a word matched whole above the same letters inside a longer word', () => {
    const base = syntheticCatalog(6);
    const entry = (i: number, title: string, en = 'A resource.'): Entry => ({
      ...base[i],
      title,
      names: [],
      summary: { en, zh: '资源。' },
      ids: { arxiv: [], acl: [], doi: [], github: [] },
    });
    // The inside-word entry of each pair comes first in the catalog, so catalog order cannot decide.
    const catalog: Catalog = [
      entry(0, 'Clinical General Corpus'),
      entry(1, 'Clinical NER Corpus'),
      entry(2, 'MEDIQA Tasks'),
      entry(3, 'cMedQA Tasks'),
      entry(4, 'Wuxi Corpus', 'Clinical notes, generated.'),
      entry(5, 'Wuyi Corpus', 'Clinical notes for NER.'),
    ];
    const s = createSearcher(JSON.parse(JSON.stringify(buildSearchIndex(catalog))));
    const order = (q: string) => ids(s.search(q, { limit: Infinity }));
    const before = (q: string, a: number, b: number) => {
      const o = order(q);
      expect(o, q).toContain(base[a].id);
      expect(o.indexOf(base[a].id), q).toBeLessThan(o.indexOf(base[b].id));
    };
    before('clinical ner', 1, 0);
    before('med qa', 3, 2);
    before('clinical ner', 5, 4);
  });
});

describe('a letter typed twice', () => {
  const { catalog, searcher } = realCatalog();

  it('finds every short Latin name with its last letter doubled', () => {
    // "cometaa" runs "COMETA: A Corpus …" together, which is no sign the typing is right so far:
    // the one-typo pass still runs and finds COMETA itself.
    const misses: string[] = [];
    let tried = 0;
    for (const e of catalog)
      for (const name of [e.title.split(/\s*[:：]/)[0], ...e.names]) {
        if (!/^[A-Za-z]{4,7}$/.test(name)) continue;
        const q = (name + name.slice(-1)).toLowerCase();
        tried++;
        if (!ids(searcher.search(q).slice(0, 3)).includes(e.id)) misses.push(`${q} → ${e.id}`);
      }
    expect(tried).toBeGreaterThan(10);
    expect(misses).toEqual([]);
  });

  it('ranks the entry named so first, then the paper whose title begins "COMETA: A" (cometaa)', () => {
    const named = catalog.filter((e) => [e.title, ...e.names].some((n) => n.toLowerCase() === 'cometa')).map((e) => e.id);
    const paper = catalog.filter((e) => !named.includes(e.id) && e.title.toLowerCase().startsWith('cometa: a')).map((e) => e.id);
    expect(named.length && paper.length).toBeGreaterThan(0);
    expect(ids(searcher.search('cometaa').slice(0, named.length + paper.length))).toEqual([...named, ...paper]);
  });

  it('still counts a name typed with its spaces left out as typed, where letters meet digits', () => {
    // "chip2019" is "CHIP 2019 …" as typed: no look-alike of another year is added.
    expect(ids(searcher.search('chip2019'))).not.toContain('chip-2020');
  });
});

describe('ü in pinyin', () => {
  // The bundled catalog has no name with ü in its pinyin: these entries are made up for the test.
  const U_NAMES = { lvse: '绿色医院数据集', falv: '医疗法律问答', nvxing: '女性健康语料', lvyou: '旅游医疗' } as const;
  const withU = (n: number) => {
    const base = syntheticCatalog(n);
    Object.values(U_NAMES).forEach((title, i) => {
      base[i] = { ...base[i], title, names: [], summary: { en: 'A resource.', zh: '资源。' }, ids: { arxiv: [], acl: [], doi: [], github: [] } };
    });
    return { base, s: createSearcher(JSON.parse(JSON.stringify(buildSearchIndex(base)))) };
  };
  const idOf = (base: Catalog, key: keyof typeof U_NAMES) => base.find((e) => e.title === U_NAMES[key])!.id;

  // 8 entries: the whole catalog is searched; 400: the n-gram shortlist picks the candidates.
  it.each([8, 400])('finds names typed with ü, ǖ…ǜ or u where the index spells v (%i entries)', (n) => {
    const { base, s } = withU(n);
    for (const [q, key] of [
      ['lvse', 'lvse'],
      ['lüse', 'lvse'],
      ['lǜsè', 'lvse'],
      ['nüxing', 'nvxing'],
      ['nǚxìng', 'nvxing'],
      ['nuxing', 'nvxing'],
      ['falü', 'falv'],
      ['lǚyóu', 'lvyou'],
    ] as const)
      expect(s.search(q)[0]?.entryId, q).toBe(idOf(base, key));
  });

  it('highlights the characters matched', () => {
    const { base, s } = withU(8);
    const hit = s.search('nǚxìng')[0];
    const title = hit.highlights.find((h) => h.field === 'title')!;
    expect(base.find((e) => e.id === hit.entryId)!.title.slice(...title.ranges[0])).toBe('女性');
  });
});

describe('look-alike matches', () => {
  const { catalog, searcher } = realCatalog();
  const entryOf = (id: string) => catalog.find((e) => e.id === id)!;

  it.each(['bert', 'xinguan', 'lingyi', 'clinical', 'medical'])('%s: every hit shows what matched in its row', (q) => {
    // A hit through a GitHub ID's look-alike ("bert" in "chanzuckerberg") had nothing to highlight.
    const hits = searcher.search(q, { limit: Infinity });
    expect(hits.length).toBeGreaterThan(0);
    for (const h of hits) {
      const e = entryOf(h.entryId);
      // A venue, kind or section heading is the one place a match is not highlighted.
      const elsewhere = [e.venue ?? '', e.kind, ...e.sections.flatMap((s) => [s.zh, s.en, s.sub?.zh ?? '', s.sub?.en ?? ''])].join('\n').toLowerCase().includes(q);
      expect(h.highlights.length > 0 || elsewhere, `${q} → ${h.entryId}`).toBe(true);
    }
  });

  it.each(['harbin', 'beijing', 'oxford'])('%s: lists no entry whose names share no four letters of it in a row', (q) => {
    const runs = Array.from({ length: q.length - 3 }, (_, i) => q.slice(i, i + 4));
    for (const h of searcher.search(q, { limit: Infinity })) {
      const e = entryOf(h.entryId);
      const text = [e.title, ...e.names, e.summary.en].join('\n').toLowerCase();
      expect(runs.some((r) => text.includes(r)), `${q} → ${h.entryId}`).toBe(true);
    }
  });

  it('lists for pinyin only the entries whose names read so (xinguan: 新冠)', () => {
    const hits = searcher.search('xinguan', { limit: Infinity });
    expect(hits.length).toBeGreaterThan(0);
    for (const h of hits) expect([entryOf(h.entryId).title, ...entryOf(h.entryId).names].join('\n'), h.entryId).toContain('新冠');
  });

  it.each(['summarization', 'relation extraction', 'federated learning', 'embedding', 'radiology'])(
    '%s: with entries holding a word of the query, lists no entry holding none of them',
    (q) => {
      const words = q.split(' ');
      const text = (id: string) => {
        const e = entryOf(id);
        return [e.title, ...e.names, e.summary.en, e.summary.zh, e.venue ?? '', ...e.sections.flatMap((s) => [s.en, s.sub?.en ?? ''])].join('\n').toLowerCase();
      };
      const hits = searcher.search(q, { limit: Infinity }).map((h) => h.entryId);
      const holds = (id: string) => words.some((w) => text(id).includes(w));
      expect(hits.some(holds)).toBe(true);
      expect(hits.filter((id) => !holds(id))).toEqual([]);
    },
  );
});

describe('hyphens and apostrophes inside words', () => {
  const { catalog, searcher } = realCatalog();
  const textOf = (e: Entry) => [e.title, ...e.names, e.summary.en, e.summary.zh].join('\n').toLowerCase();

  it('finds every entry spelling a word with a hyphen or apostrophe when it is typed without', () => {
    // "pre-trained", "large-scale", "O'Reilly", "O’Reilly" … as they occur in the catalog.
    const words = new Set(catalog.flatMap((e) => textOf(e).match(/[a-z]+(?:[-'’][a-z]+)+/g) ?? []));
    expect(words.size).toBeGreaterThan(10);
    const misses: string[] = [];
    for (const w of words) {
      const typed = w.replace(/[-'’]/g, '');
      const found = new Set(ids(searcher.search(typed, { limit: Infinity })));
      for (const e of catalog) if (textOf(e).includes(w) && !found.has(e.id)) misses.push(`${typed} → ${e.id}`);
    }
    expect(misses).toEqual([]);
  });

  it.each([
    ['chinese pretrained', 'chinese pre-trained'],
    ['oreilly', "o'reilly"],
  ])('%s finds what %s finds', (plain, spelled) => {
    const expected = ids(searcher.search(spelled, { limit: Infinity })).sort();
    expect(expected.length).toBeGreaterThan(0);
    expect(ids(searcher.search(plain, { limit: Infinity })).sort()).toEqual(expected);
  });

  it('highlights the word as the summary spells it', () => {
    const hit = searcher.search('oreilly')[0];
    const e = catalog.find((x) => x.id === hit.entryId)!;
    const en = hit.highlights.find((h) => h.field === 'summary.en')!;
    expect(e.summary.en.slice(...en.ranges[0])).toBe("O'Reilly");
  });
});

describe('acronyms of words in names', () => {
  const { catalog, searcher } = realCatalog();
  const entryOf = (id: string) => catalog.find((e) => e.id === id)!;
  /** Entries with a name holding the phrase (case as written), as a reader would look them up. */
  const withPhrase = (phrase: string) => catalog.filter((e) => [e.title, ...e.names].some((n) => n.includes(phrase))).map((e) => e.id);
  /** Capitalised words, one after another, whose initials spell `q` (written independently of the index). */
  const spells = (id: string, q: string) => {
    const re = new RegExp(`(?:^|[ -])${[...q].map((c) => `${c.toUpperCase()}[A-Za-z]*`).join('[ -]')}(?![A-Za-z0-9])`);
    const e = entryOf(id);
    return [e.title, ...e.names].some((n) => re.test(n));
  };

  it.each([
    ['mrc', 'Machine Reading Comprehension'],
    ['ehr', 'Electronic Health Records'],
    ['emr', 'Electronic Medical Records'],
    ['clir', 'Cross-Lingual Information Retrieval'],
    ['cws', 'Chinese Word Segmentation'],
  ])('%s finds the entries named with "%s" first', (q, phrase) => {
    const expected = withPhrase(phrase);
    expect(expected.length).toBeGreaterThan(0);
    const hits = searcher.search(q);
    expect(ids(hits.slice(0, expected.length)).sort()).toEqual([...expected].sort());
  });

  it('highlights the words the acronym stands for', () => {
    const hit = searcher.search('mrc')[0];
    const e = entryOf(hit.entryId);
    const title = hit.highlights.find((h) => h.field === 'title')!;
    expect(title.ranges.map(([a, b]) => e.title.slice(a, b))).toEqual(['Machine', 'Reading', 'Comprehension']);
  });

  it.each(['kg', 'el', 'qa', 'lm', 'hr', 'md', 'mc'])('%s (two letters) adds only entries whose words spell it, below the names holding the letters', (q) => {
    const hits = searcher.search(q, { limit: Infinity });
    const inText = (id: string) => {
      const e = entryOf(id);
      const text = [e.title, ...e.names, ...Object.values(e.ids).flat(), e.summary.en, e.summary.zh, e.venue ?? '', e.kind, String(e.year ?? ''), ...e.sections.flatMap((s) => [s.zh, s.en, s.sub?.zh ?? '', s.sub?.en ?? ''])];
      // Hyphens and apostrophes inside words are compared away ("pre-trained" is "pretrained").
      const all = text.join('\n').toLowerCase();
      return all.includes(q) || all.replace(/(?<=\w)['’-](?=\w)/g, '').includes(q);
    };
    // Pinyin initials are another reading of letters ("lm" in 训练模型): only entries without Chinese names are judged.
    const latin = (id: string) => ![entryOf(id).title, ...entryOf(id).names].some((n) => /\p{Script=Han}/u.test(n));
    const byAcronym = hits.filter((h) => !inText(h.entryId) && latin(h.entryId));
    for (const h of byAcronym) expect(spells(h.entryId, q), `${q} → ${h.entryId}`).toBe(true);
    // A name holding the letters as typed still ranks above every acronym-only hit.
    const inNames = hits.filter((h) => [entryOf(h.entryId).title, ...entryOf(h.entryId).names].join('\n').toLowerCase().includes(q));
    if (inNames.length && byAcronym.length) expect(Math.min(...byAcronym.map((h) => h.score))).toBeGreaterThan(inNames[0].score);
  });

  it('ranks an entry named by the acronym above the entries whose words spell it', () => {
    const { catalog: real } = realCatalog();
    const base = real.find((e) => e.id === 'medical-mrc-knowledge')!;
    const named: Entry = { ...base, id: 'mrc-named', title: 'MRC', names: [], ids: { arxiv: [], acl: [], doi: [], github: [] }, summary: { en: 'A name.', zh: '名字。' } };
    const small: Catalog = [base, named];
    const s = createSearcher(JSON.parse(JSON.stringify(buildSearchIndex(small))));
    expect(ids(s.search('mrc'))).toEqual(['mrc-named', 'medical-mrc-knowledge']);
  });

  it('finds acronyms among 1,000 entries, where the n-gram shortlist is used', () => {
    const big = syntheticCatalog(1_000);
    const s = createSearcher(JSON.parse(JSON.stringify(buildSearchIndex(big))));
    const named = big.filter((e) => [e.title, ...e.names].some((n) => n.includes('Online Health Communities')));
    expect(named.length).toBeGreaterThan(20);
    const hits = s.search('ohc', { limit: 20 });
    expect(hits.length).toBe(20);
    for (const h of hits) expect(named.map((e) => e.id)).toContain(h.entryId);
  });
});

describe('search-only aliases', () => {
  const { catalog, searcher } = realCatalog();
  /** The entries about COVID-19, by the Chinese name the list gives them. */
  const covid = catalog.filter((e) => [e.title, ...e.names].some((n) => n.includes('新冠'))).map((e) => e.id);

  it.each(['covid', 'COVID-19', 'covid19', '新冠', 'xinguan', '新型冠状病毒'])('%s finds the entries about COVID-19 first', (q) => {
    expect(covid.length).toBeGreaterThan(0);
    const hits = searcher.search(q);
    expect(ids(hits.slice(0, covid.length)).sort()).toEqual([...covid].sort());
  });

  it('rank a step behind the same match in a name', () => {
    const base = syntheticCatalog(3);
    const entry = (i: number, title: string, names: string[], aliases?: string[]): Entry => ({
      ...base[i],
      title,
      names,
      ...(aliases ? { aliases } : {}),
      summary: { en: 'A resource.', zh: '资源。' },
      ids: { arxiv: [], acl: [], doi: [], github: [] },
    });
    const small: Catalog = [entry(0, '新冠问句匹配', [], ['Covidqa']), entry(1, '另一个数据集', ['Covidqa']), entry(2, 'Other', [])];
    const s = createSearcher(JSON.parse(JSON.stringify(buildSearchIndex(small))));
    for (const q of ['covid', 'covi', 'cov']) expect(ids(s.search(q)).slice(0, 2), q).toEqual([base[1].id, base[0].id]);
  });

  it('are not names: pages are not annotated by them', async () => {
    const { buildMatcherData } = await import('../../../utils/matcher/build');
    const table = JSON.stringify(buildMatcherData(catalog)).toLowerCase();
    for (const e of catalog) for (const a of e.aliases ?? []) expect(table, a).not.toContain(a.toLowerCase());
    expect(catalog.some((e) => e.aliases?.length)).toBe(true);
  });
});

describe('pinyin with a slip, and whole syllables mixed with initials', () => {
  const { catalog, searcher } = realCatalog();
  const holding = (zh: string) => catalog.filter((e) => [e.title, ...e.names].some((n) => n.includes(zh))).map((e) => e.id);

  it.each([
    ['tangniaobign', '糖尿病'],
    ['tangniaboing', '糖尿病'],
    ['ruijni', '瑞金'],
    ['xinguna', '新冠'],
    ['zuoshuo', '左手'],
    ['tangnb', '糖尿病'],
    ['tnbing', '糖尿病'],
    ['ruijinyytnb', '瑞金医院糖尿病'],
  ])('%s finds the names holding %s, and only those', (q, zh) => {
    const expected = holding(zh);
    expect(expected.length).toBeGreaterThan(0);
    expect(ids(searcher.search(q, { limit: Infinity })).sort()).toEqual([...expected].sort());
  });

  it('highlights the characters read', () => {
    for (const q of ['tangniaobign', 'tangnb']) {
      const hit = searcher.search(q)[0];
      const e = catalog.find((x) => x.id === hit.entryId)!;
      const title = hit.highlights.find((h) => h.field === 'title')!;
      expect(title.ranges.map(([a, b]) => e.title.slice(a, b)), q).toEqual(['糖尿病']);
    }
  });

  it('reads an initial and a whole syllable over two syllables only where nothing holds the query as typed: "clin" is not 大词林 (c·lin)', () => {
    expect(ids(searcher.search('clin', { limit: Infinity }))).not.toContain('hit-dacilin');
    expect(catalog.some((e) => e.id === 'hit-dacilin')).toBe(true);
  });

  it.each([
    ['xguan', '新冠'],
    ['zshou', '左手'],
    ['rjin', '瑞金'],
    ['tchi', '天池'],
    ['tnia', '糖尿'],
  ])('%s, an initial and a whole syllable, finds a name holding %s first, and highlights it', (q, zh) => {
    const hit = searcher.search(q)[0];
    const e = catalog.find((x) => x.id === hit.entryId)!;
    const title = hit.highlights.find((h) => h.field === 'title')!;
    expect(title.ranges.map(([a, b]) => e.title.slice(a, b)), q).toEqual([zh]);
  });

  it('forgives no slip when the query is found as typed ("during" is not 百度灵医, duling)', () => {
    expect(ids(searcher.search('during', { limit: Infinity }))).not.toContain('baidu-lingyi-zhihui');
  });

  it('finds them among 1,000 entries, where the n-gram shortlist is used', () => {
    const big = syntheticCatalog(1_000);
    const s = createSearcher(JSON.parse(JSON.stringify(buildSearchIndex(big))));
    const named = new Set(big.filter((e) => [e.title, ...e.names].some((n) => n.includes('糖尿病'))).map((e) => e.id));
    expect(named.size).toBeGreaterThan(5);
    for (const q of ['tangniaobign', 'tangnb']) {
      const hits = s.search(q, { limit: 10 });
      expect(hits.length, q).toBe(10);
      for (const h of hits) expect(named.has(h.entryId), `${q} → ${h.entryId}`).toBe(true);
    }
  });
});

describe('a title and another name begun alike', () => {
  const { catalog, searcher } = realCatalog();
  const fold = (s: string) => s.toLowerCase();

  it('ranks the entry whose title the query begins first (阿里云: 阿里云-医学自然语言处理, then the alias 阿里云天池数据集)', () => {
    const hits = ids(searcher.search('阿里云'));
    const byTitle = catalog.filter((e) => e.title.startsWith('阿里云')).map((e) => e.id);
    const byAlias = catalog.filter((e) => !e.title.startsWith('阿里云') && e.names.some((n) => n.startsWith('阿里云'))).map((e) => e.id);
    expect(byTitle.length && byAlias.length).toBeGreaterThan(0);
    expect(hits.slice(0, byTitle.length + byAlias.length)).toEqual([...byTitle, ...byAlias]);
  });

  it('does so for the first characters of every title', () => {
    const wrong: string[] = [];
    for (const e of catalog)
      for (const len of [2, 3, 4]) {
        const q = fold(e.title).slice(0, len);
        if (q.length < len || !/^[\p{L}\p{N}]+$/u.test(q)) continue;
        if (catalog.some((x) => [x.title, ...x.names].some((n) => fold(n) === q))) continue;
        const titled = new Set(catalog.filter((x) => fold(x.title).startsWith(q)).map((x) => x.id));
        const named = new Set(catalog.filter((x) => !titled.has(x.id) && x.names.some((n) => fold(n).startsWith(q))).map((x) => x.id));
        const order = ids(searcher.search(q, { limit: Infinity }));
        const lastTitled = Math.max(...[...titled].map((id) => order.indexOf(id)));
        for (const id of named) if (order.indexOf(id) < lastTitled) wrong.push(`${q}: ${id} before a title`);
      }
    expect(wrong).toEqual([]);
  });
});
