/**
 * Ranking against the real catalog: what a reader types, and the entry that
 * must come first. `alsoTop` lists entries that must follow closely, for
 * queries where several answers are right (医渡云 names a company and two datasets).
 */
import { describe, expect, it } from 'vitest';
import { realCatalog } from './helpers';

interface Row {
  query: string;
  first: string;
  alsoTop?: string[];
  why: string;
}

const ROWS: Row[] = [
  // Names, exact and partial, English
  { query: 'PubMedQA', first: 'pubmedqa', why: 'exact short name' },
  { query: 'pubmedq', first: 'pubmedqa', why: 'prefix while typing' },
  { query: 'pubmde', first: 'pubmedqa', why: 'typo, fuse.js' },
  { query: 'bio', first: 'biobert', alsoTop: ['biomegatron'], why: 'a name that is its title’s short name ranks as the title, before a longer title ("Biomedical Event …")' },
  { query: 'pub', first: 'pubmedqa', why: 'the short name PubMedQA before the longer title "Publicly Available …"' },
  { query: 'PubMed QA', first: 'pubmedqa', why: 'spacing differs from the name' },
  { query: ' PubMedQA\n', first: 'pubmedqa', why: 'pasted with whitespace' },
  { query: 'cometa corpus', first: 'cometa', alsoTop: ['cometa-paper'], why: 'alias "COMETA corpus"' },
  { query: 'cometa', first: 'cometa', alsoTop: ['cometa-paper'], why: 'title beats the paper’s short name' },
  { query: 'COMETA: A Corpus for Medical Entity Linking in the Social Media', first: 'cometa-paper', why: 'full paper title' },
  { query: 'medmention', first: 'medmentions', why: 'prefix' },
  { query: 'medmentoins', first: 'medmentions', why: 'transposition typo' },
  { query: 'Bio-bert', first: 'biobert', why: 'alias with hyphen' },
  { query: 'biobert', first: 'biobert', why: 'folded alias' },
  { query: 'sci bert', first: 'scibert', why: 'compact key' },
  { query: 'BEHRT', first: 'behrt', why: 'short name' },
  { query: 'pkuseg', first: 'pkuseg', why: 'tool name' },
  { query: 'MedDialog', first: 'meddialog', alsoTop: ['meddialog-paper'], why: 'dataset title, then the paper' },
  { query: 'mc-bert', first: 'mc-bert', why: 'hyphenated name' },
  { query: 'ChineseBLUE', first: 'chineseblue', why: 'CamelCase name' },
  { query: 'cMedQA2', first: 'cmedqa2', why: 'mixed case name' },
  { query: 'cmedqa', first: 'cmedqa2', why: 'prefix without version' },
  { query: 'CHIP 2020', first: 'chip-2020', why: 'name with year' },
  { query: 'ccl 2021', first: 'ccl-2021-imcs', why: 'words of a mixed name' },
  { query: 'awesome', first: 'awesome-chinese-medical-nlp', why: 'first word of a repo-style name' },
  { query: 'knowledge graph', first: 'cmekg', alsoTop: ['health-knowledge-graph'], why: 'English alias' },
  { query: 'Ｃｍｅｋｇ', first: 'cmekg', why: 'full-width letters' },
  // IDs and URLs
  { query: '1909.06146', first: 'pubmedqa', why: 'arXiv ID' },
  { query: '1909.06146v2', first: 'pubmedqa', why: 'versioned arXiv ID' },
  { query: 'arXiv:1909.06146', first: 'pubmedqa', why: 'prefixed arXiv ID' },
  { query: 'https://arxiv.org/abs/1909.06146', first: 'pubmedqa', why: 'abstract URL' },
  { query: 'https://arxiv.org/pdf/1909.06146v1.pdf', first: 'pubmedqa', why: 'PDF URL' },
  { query: '2020.emnlp-main.253', first: 'cometa-paper', why: 'ACL Anthology ID' },
  { query: 'https://aclanthology.org/2020.emnlp-main.253.pdf', first: 'cometa-paper', why: 'Anthology PDF URL' },
  { query: 'https://aclanthology.org/D19-1492v2.pdf', first: 'ehr-section-prediction', why: 'Anthology PDF URL of a later version' },
  { query: 'https://doi.org/10.18653/v1/2020.emnlp-main.253', first: 'cometa-paper', why: 'Anthology DOI link' },
  { query: '10.18653/v1/D19-1492', first: 'ehr-section-prediction', why: 'Anthology DOI, as a BibTeX entry gives it' },
  { query: 'doi:10.18653/v1/D19-1492', first: 'ehr-section-prediction', why: 'Anthology DOI, prefixed' },
  { query: 'D19-1492', first: 'ehr-section-prediction', why: 'old-style Anthology ID' },
  { query: 'https://www.aclweb.org/anthology/papers/D/D19/D19-1492/', first: 'ehr-section-prediction', why: 'aclweb.org URL, 2019 layout' },
  { query: 'http://anthology.aclweb.org/D/D19/D19-1492.pdf', first: 'ehr-section-prediction', why: 'aclweb.org URL, older layout' },
  { query: 'CBLUEbenchmark/CBLUE', first: 'cblue', why: 'GitHub owner/repo' },
  { query: 'https://github.com/CBLUEbenchmark/CBLUE', first: 'cblue', why: 'GitHub URL' },
  { query: '10.1093/bioinformatics/btz682', first: 'biobert', why: 'DOI' },
  // Chinese
  { query: '医渡云', first: 'yidu-research-medical-nlp', alsoTop: ['yidu-s4k', 'yidu-n7k'], why: 'shortest name starting with it first' },
  { query: '医渡云结构化', first: 'yidu-s4k', why: 'Chinese name prefix' },
  { query: 'Yidu-S4K：医渡云结构化4K数据集', first: 'yidu-s4k', why: 'list heading with full-width colon' },
  { query: '糖尿病', first: 'ruijin-diabetes', why: 'Chinese substring' },
  { query: '问答', first: 'chinese-medical-dialogue-data', alsoTop: ['cmedqa2'], why: 'shortest names containing 问答 first' },
  { query: '知识图谱', first: 'cmekg', why: 'Chinese alias substring' },
  { query: '中文医学知识图谱', first: 'cmekg', why: 'exact Chinese alias' },
  { query: '大词林', first: 'hit-dacilin', why: 'Chinese alias' },
  { query: '天池', first: 'tianchi-datasets', why: 'Chinese title prefix' },
  { query: '新冠', first: 'tianchi-covid-question-matching', why: 'Chinese substring' },
  { query: '分词', first: 'pkuseg', why: 'only in a section heading / summary' },
  // Mixed
  { query: 'CMeKG 知识图谱', first: 'cmekg', why: 'Latin and Chinese words' },
  { query: '医渡云 7k', first: 'yidu-n7k', why: 'Chinese plus a Latin fragment' },
  { query: 'yidu s4k', first: 'yidu-s4k', why: 'alias "Yidu S4K"' },
  { query: 'yidu-n7k', first: 'yidu-n7k', why: 'slug-like name' },
  // Pinyin
  { query: 'yidu', first: 'yidu-s4k', alsoTop: ['yidu-n7k', 'yidu-research-medical-nlp'], why: 'Latin name and pinyin of 医渡' },
  { query: 'ruijin', first: 'ruijin-diabetes', why: 'pinyin of 瑞金' },
  { query: 'tangniaobing', first: 'ruijin-diabetes', why: 'pinyin of a word inside the name' },
  { query: 'tnb', first: 'ruijin-diabetes', why: 'initials of 糖尿病' },
  { query: 'ydyjgh4ksjj', first: 'yidu-s4k', why: 'initials of the whole name' },
  { query: 'yiduyunjiegouhua4kshujuji', first: 'yidu-s4k', why: 'full pinyin of the whole name' },
  { query: 'ruijinyiyuantangniaobingshujuji', first: 'ruijin-diabetes', why: 'full pinyin of the title' },
  { query: 'rjyytnbsjj', first: 'ruijin-diabetes', why: 'initials of the title' },
  { query: 'dacilin', first: 'hit-dacilin', why: 'pinyin of 大词林' },
  { query: 'lingyi', first: 'baidu-lingyi-zhihui', why: 'pinyin of 灵医' },
  { query: 'zuoshou', first: 'zuoshou-yisheng', why: 'pinyin of 左手' },
  { query: 'xinguan', first: 'tianchi-covid-question-matching', why: 'pinyin of 新冠' },
  { query: 'pingan', first: 'chip-2019-disease-qa-transfer', why: 'pinyin of 平安' },
  // A word in one summary beats a look-alike that a title, an alias and an ID share.
  { query: 'SNOMED', first: 'cometa', why: 'the only summary naming SNOMED CT, above names like "medical"' },
  { query: 'cosine', first: 'triplet-network-entity-linking', why: 'a word of its summary, above "chinese" in names' },
];

describe('ranking on the bundled catalog', () => {
  const { catalog, searcher } = realCatalog();
  const ids = new Set(catalog.map((e) => e.id));

  it('has a row for every query the brief names and ids that exist', () => {
    expect(ROWS.length).toBeGreaterThanOrEqual(30);
    for (const r of ROWS) for (const id of [r.first, ...(r.alsoTop ?? [])]) expect(ids.has(id), `${id} in catalog`).toBe(true);
  });

  it.each(ROWS)('$query → $first ($why)', ({ query, first, alsoTop }) => {
    const hits = searcher.search(query);
    expect(hits[0]?.entryId, JSON.stringify(hits.slice(0, 5).map((h) => [h.entryId, h.score]))).toBe(first);
    if (alsoTop) {
      const top = hits.slice(0, 1 + alsoTop.length + 1).map((h) => h.entryId);
      for (const id of alsoTop) expect(top).toContain(id);
    }
  });

  it('ranks exact name and ID hits at score 0', () => {
    for (const q of ['PubMedQA', '1909.06146', '2020.emnlp-main.253', 'CBLUEbenchmark/CBLUE', 'https://arxiv.org/abs/1909.06146'])
      expect(searcher.search(q)[0].score).toBe(0);
  });

  it('highlights the Chinese characters a pinyin query matched', () => {
    const hit = searcher.search('tangniaobing')[0];
    const entry = catalog.find((e) => e.id === hit.entryId)!;
    const title = hit.highlights.find((h) => h.field === 'title');
    expect(title).toBeDefined();
    const [a, b] = title!.ranges[0];
    expect(entry.title.slice(a, b)).toBe('糖尿病');
    const ini = searcher.search('rjyy')[0].highlights.find((h) => h.field === 'title')!;
    expect(entry.title.slice(ini.ranges[0][0], ini.ranges[0][1])).toBe('瑞金医院');
  });

  it('adds no look-alike typo matches while the query begins a name or ID, and does once it no longer does', () => {
    // Every hit must contain the typed text somewhere (name, ID, summary, venue or section),
    // i.e. none came from fuse.js alone.
    const contains = (q: string) =>
      searcher.search(q).every((h) => {
        const e = catalog.find((x) => x.id === h.entryId)!;
        const ids = Object.values(e.ids ?? {}).flat();
        const text = [e.title, ...e.names, ...ids, e.summary.en, e.summary.zh, e.venue ?? '', ...e.sections.flatMap((s) => [s.zh, s.en, s.sub?.zh ?? '', s.sub?.en ?? ''])]
          .join('\n')
          .toLowerCase();
        return text.includes(q);
      });
    for (const q of ['medd', 'meddia', 'biob', 'clinicalber', '1909.06', 'come']) {
      expect(searcher.search(q).length, q).toBeGreaterThan(0);
      expect(contains(q), q).toBe(true);
    }
    // One letter further the query begins nothing: typo tolerance is back.
    expect(searcher.search('meddialgo')[0]?.entryId).toBe('meddialog');
    expect(searcher.search('biobret')[0]?.entryId).toBe('biobert');
  });

  it('adds no look-alike typo matches when the name being typed is one a filter hides', () => {
    // With only models listed, "medd" is still MedDialog (a dataset) being typed: the models that
    // merely look like it are noise, and the empty list says the filter hides what was meant.
    for (const [q, opts] of [
      ['medd', { kinds: ['model'] }],
      ['1909.06146', { kinds: ['model'] }],
      ['chip', { kinds: ['paper'] }],
      ['cmedqa', { kinds: ['evaluation'] }],
    ] as const) {
      expect(searcher.search(q).length, q).toBeGreaterThan(0);
      expect(searcher.search(q, { ...opts, kinds: [...opts.kinds] }).map((h) => h.entryId), q).toEqual([]);
    }
    // The filter's own entries that contain the text are still found.
    expect(searcher.search('bert', { kinds: ['model'] }).length).toBeGreaterThan(3);
  });

  it('highlights what a typo stands for, not the letters of a look-alike that happen to agree further on', () => {
    const title = (q: string, id: string) => searcher.search(q).find((h) => h.entryId === id)!.highlights.find((h) => h.field === 'title')!.ranges;
    // fuse.js also met "Bio" of Biomedical and "es" of Research here, and eight runs of the COMETA paper's title.
    expect(title('pubmde', 'pubmedqa')).toEqual([[0, 6]]);
    expect(title('meddialgo', 'meddialog-paper')).toEqual([[0, 9]]);
  });

  it('highlights the matched text of a plain query', () => {
    const hit = searcher.search('pubmedq')[0];
    const title = hit.highlights.find((h) => h.field === 'title')!;
    expect(title.ranges[0]).toEqual([0, 7]);
  });
});
