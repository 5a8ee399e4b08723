import { describe, expect, it } from 'vitest';
import { validateCatalog } from '../../../utils/catalog/schema';
import type { Entry } from '../../../utils/catalog/types';
import { readCatalogJson } from './helpers';

function entry(over: Partial<Entry> & Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'sample-dataset',
    kind: 'dataset',
    title: 'Sample Dataset',
    names: ['SampleDS'],
    sections: [{ zh: '英文数据集', en: 'English datasets' }],
    summary: { zh: '用于测试的示例条目。', en: 'An entry used by the tests.' },
    links: [{ url: 'https://example.org/sample', type: 'homepage' }],
    ids: { arxiv: [], acl: [], doi: [], github: [] },
    related: [],
    ...over,
  };
}

function errorsOf(json: unknown): string[] {
  const r = validateCatalog(json);
  if (r.ok) throw new Error('expected the catalog to be rejected');
  return r.errors;
}

describe('the real catalog', () => {
  it('validates', () => {
    const r = validateCatalog(readCatalogJson());
    expect(r.ok ? [] : r.errors).toEqual([]);
  });

  it('carries the IDs the annotator is expected to find', () => {
    const r = validateCatalog(readCatalogJson());
    if (!r.ok) throw new Error(r.errors.join('\n'));
    const byId = new Map(r.catalog.map((e) => [e.id, e]));
    expect(byId.get('pubmedqa')?.ids.arxiv).toContain('1909.06146');
    expect(byId.get('pubmedqa')?.ids.acl).toContain('D19-1259');
    expect(byId.get('cometa-paper')?.ids.acl).toContain('2020.emnlp-main.253');
    expect(byId.get('cblue')?.ids.github).toContain('CBLUEbenchmark/CBLUE');
  });

  it('gives no entry a bare generic word as a name', () => {
    const r = validateCatalog(readCatalogJson());
    if (!r.ok) throw new Error(r.errors.join('\n'));
    const generic = new Set(['bert', 'dataset', 'corpus', 'paper', 'model', '数据集', '论文']);
    const offenders = r.catalog.flatMap((e) => e.names.filter((n) => generic.has(n.toLowerCase())).map((n) => `${e.id}: ${n}`));
    expect(offenders).toEqual([]);
  });
});

describe('validateCatalog rejects malformed catalogs with a pointed message', () => {
  it('accepts the sample entry itself', () => {
    expect(validateCatalog([entry()])).toMatchObject({ ok: true });
  });

  it('rejects a non-array', () => {
    expect(errorsOf({ entries: [] })).toEqual([expect.stringMatching(/^catalog: /)]);
  });

  it('missing id', () => {
    const { id: _id, ...rest } = entry();
    expect(errorsOf([entry({ id: 'first' }), rest])).toEqual(['entry #1 (no id): id: is missing']);
  });

  it('id that is not kebab-case', () => {
    expect(errorsOf([entry({ id: 'Sample_Dataset' })])).toEqual([expect.stringMatching(/^entry #0 \(Sample_Dataset\): id: must be a kebab-case slug/)]);
  });

  it('duplicate id', () => {
    expect(errorsOf([entry(), entry({ title: 'Another' })])).toEqual([
      'entry #1 (sample-dataset): id: duplicate id "sample-dataset" (first used by entry #0)',
    ]);
  });

  it('an identifier claimed by a second entry', () => {
    // The annotator maps an arXiv, Anthology, DOI or GitHub identifier to one entry; a second
    // claim would be silently dropped, so the page's own entry would depend on catalog order.
    const ids = { arxiv: ['2010.03295'], acl: [], doi: [], github: ['Owner/Repo'] };
    expect(errorsOf([entry({ ids }), entry({ id: 'b', ids: { ...ids, github: ['owner/repo'] } })])).toEqual([
      'entry #1 (b): ids.arxiv[0]: "2010.03295" already names entry #0 (sample-dataset); an identifier names one entry',
      'entry #1 (b): ids.github[0]: "owner/repo" already names entry #0 (sample-dataset); an identifier names one entry',
    ]);
  });

  it('unknown kind', () => {
    expect(errorsOf([entry({ kind: 'benchmark' as Entry['kind'] })])).toEqual([
      expect.stringMatching(/^entry #0 \(sample-dataset\): kind: must be one of: dataset, evaluation, paper/),
    ]);
  });

  it('no section', () => {
    expect(errorsOf([entry({ sections: [] })])).toEqual(['entry #0 (sample-dataset): sections: needs at least one section']);
  });

  it('section heading the list does not have, or a second English label for one it has', () => {
    const errors = errorsOf([
      entry({ sections: [{ zh: '其他', en: 'Other' }] }),
      entry({ id: 'b', sections: [{ zh: '英文数据集', en: 'Datasets in English' }] }),
    ]);
    expect(errors).toEqual([
      expect.stringMatching(/^entry #0 \(sample-dataset\): sections\[0\]\.zh: "其他" is not a top-level heading/),
      'entry #1 (b): sections[0].en: label for "英文数据集" must be "English datasets"',
    ]);
  });

  it('non-http links', () => {
    const errors = errorsOf([
      entry({
        links: [
          { url: 'ftp://example.org/file.zip', type: 'download' },
          { url: 'javascript:alert(1)', type: 'homepage' },
          { url: 'example.org/no-scheme', type: 'homepage' },
        ],
      }),
    ]);
    expect(errors).toEqual([
      'entry #0 (sample-dataset): links[0].url: must be an absolute http(s) URL',
      'entry #0 (sample-dataset): links[1].url: must be an absolute http(s) URL',
      'entry #0 (sample-dataset): links[2].url: must be an absolute http(s) URL',
    ]);
  });

  it('a title or link a favorite could not carry (markup, control characters, lengths)', () => {
    const errors = errorsOf([
      entry({
        title: 'Sample <b>Dataset</b>',
        links: [
          { url: 'https://example.org/a', type: 'download', extractionCode: 'x'.repeat(40) },
          { url: 'https://example.org/b', type: 'homepage', label: 'Home\u0007page' },
        ],
      }),
    ]);
    expect(errors).toEqual([
      "entry #0 (sample-dataset): title: breaks the favorites' rules: title contains HTML markup, which is not allowed",
      "entry #0 (sample-dataset): links[0]: breaks the favorites' rules: link extractionCode must be a string of at most 32 characters",
      "entry #0 (sample-dataset): links[1]: breaks the favorites' rules: link label contains markup or control characters",
    ]);
  });

  it('unknown link type and a stray extraction code', () => {
    const errors = errorsOf([
      entry({
        links: [
          { url: 'https://example.org/a', type: 'video' as 'paper' },
          { url: 'https://example.org/b', type: 'code', extractionCode: 'ab12' },
        ],
      }),
    ]);
    expect(errors).toEqual([
      expect.stringMatching(/^entry #0 \(sample-dataset\): links\[0\]\.type: must be one of: paper, code/),
      'entry #0 (sample-dataset): links[1].extractionCode: only download links carry an extraction code',
    ]);
  });

  it('bad arXiv, ACL, DOI and GitHub IDs', () => {
    const errors = errorsOf([
      entry({ ids: { arxiv: ['arXiv:1909.06146', '1909.06146v2'], acl: ['D19-259'], doi: ['doi:10.1/x'], github: ['https://github.com/a/b'] } }),
    ]);
    expect(errors).toEqual([
      expect.stringMatching(/^entry #0 \(sample-dataset\): ids\.arxiv\[0\]: must look like 1909\.06146/),
      expect.stringMatching(/^entry #0 \(sample-dataset\): ids\.arxiv\[1\]: must look like 1909\.06146/),
      expect.stringMatching(/^entry #0 \(sample-dataset\): ids\.acl\[0\]: must look like D19-1259/),
      expect.stringMatching(/^entry #0 \(sample-dataset\): ids\.doi\[0\]: must look like 10\./),
      'entry #0 (sample-dataset): ids.github[0]: must look like owner/repo',
    ]);
  });

  it('accepts both ACL ID styles', () => {
    expect(validateCatalog([entry({ ids: { arxiv: [], acl: ['W19-1909', '2020.emnlp-main.253', '2021.bionlp-1.8'], doi: [], github: [] } })])).toMatchObject({
      ok: true,
    });
  });

  it('dangling, self and one-way related ids', () => {
    const errors = errorsOf([
      entry({ related: ['nowhere', 'sample-dataset', 'other'] }),
      entry({ id: 'other', title: 'Other' }),
    ]);
    expect(errors).toEqual([
      'entry #0 (sample-dataset): related[0]: "nowhere" is not the id of any entry',
      'entry #0 (sample-dataset): related[1]: an entry cannot be related to itself',
      'entry #0 (sample-dataset): related[2]: "other" does not list "sample-dataset" back; related must be symmetric',
    ]);
  });

  it('empty summaries', () => {
    expect(errorsOf([entry({ summary: { zh: ' ', en: '' } })])).toEqual([
      'entry #0 (sample-dataset): summary.zh: Chinese summary must not be empty',
      'entry #0 (sample-dataset): summary.en: English summary must not be empty',
    ]);
  });

  it('repeated names, case-insensitively, including the title', () => {
    expect(errorsOf([entry({ names: ['SampleDS', 'sampleds', 'SAMPLE DATASET'] })])).toEqual([
      'entry #0 (sample-dataset): names[1]: "sampleds" repeats names[0]',
      'entry #0 (sample-dataset): names[2]: "SAMPLE DATASET" repeats the title',
    ]);
  });

  it('aliases: text, not repeating a name or each other', () => {
    expect(validateCatalog([entry({ names: ['SampleDS'], aliases: ['COVID-19'] })])).toMatchObject({ ok: true });
    expect(errorsOf([entry({ names: ['SampleDS'], aliases: ['sampleds', ' x', 'COVID-19', 'covid-19'] })])).toEqual([
      'entry #0 (sample-dataset): aliases[1]: alias must not start or end with whitespace',
      'entry #0 (sample-dataset): aliases[0]: "sampleds" repeats names[0]',
      'entry #0 (sample-dataset): aliases[3]: "covid-19" repeats aliases[2]',
    ]);
  });

  it('unknown fields (usually typos)', () => {
    expect(errorsOf([entry({ venu: 'ACL 2020' })])).toEqual([expect.stringMatching(/^entry #0 \(sample-dataset\): .*"venu"/)]);
  });
});
