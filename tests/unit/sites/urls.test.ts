import { describe, expect, it } from 'vitest';
import { ADAPTERS, aclAnthology, adapterFor, arxiv, github } from '../../../utils/sites';
import type { SiteAdapter } from '../../../utils/sites/types';

const tables: Array<[SiteAdapter, Array<[string, string | null]>]> = [
  [
    arxiv,
    [
      ['https://arxiv.org/abs/1909.06146', 'abs'],
      ['https://arxiv.org/abs/1909.06146v2', 'abs'],
      ['https://arxiv.org/abs/hep-th/9901001', 'abs'],
      ['https://export.arxiv.org/abs/2010.03295', null],
      ['https://www.arxiv.org/abs/2010.03295', null],
      ['https://arxiv.org/list/cs.CL/new', 'list'],
      ['https://arxiv.org/list/cs.CL/recent?skip=0&show=2000', 'list'],
      ['https://arxiv.org/list/cs.CL/2024-01', 'list'],
      ['https://arxiv.org/catchup/cs.CL/2024-06-03', 'list'],
      ['https://arxiv.org/search/?query=medical&searchtype=all', 'search'],
      ['https://arxiv.org/search/advanced', 'search'],
      ['https://arxiv.org/html/2106.08087v2', 'html-paper'],
      ['https://arxiv.org/html/2106.08087', 'html-paper'],
      ['https://arxiv.org/html/2106.08087v2/#S2', 'html-paper'],
      ['https://arxiv.org/pdf/1909.06146', null],
      ['https://arxiv.org/', null],
      ['https://arxiv.org/help/api', null],
      ['https://arxiv.org/abs/', null],
      ['https://aclanthology.org/2020.emnlp-main.253/', null],
    ],
  ],
  [
    aclAnthology,
    [
      ['https://aclanthology.org/2020.emnlp-main.253/', 'paper'],
      ['https://aclanthology.org/2020.emnlp-main.253', 'paper'],
      ['https://aclanthology.org/N04-1001/', 'paper'],
      ['https://aclanthology.org/W19-1912/', 'paper'],
      ['https://aclanthology.org/2020.acl-main.748v2/', 'paper'],
      ['https://www.aclweb.org/anthology/D19-1492/', 'paper'],
      ['https://aclweb.org/anthology/P19-2055', 'paper'],
      ['https://aclanthology.org/volumes/2020.emnlp-main/', 'volume'],
      ['https://aclanthology.org/volumes/W19-19/', 'volume'],
      ['https://aclanthology.org/volumes/D19-1/', 'volume'],
      ['https://aclanthology.org/events/emnlp-2020/', 'event'],
      ['https://aclanthology.org/events/acl-2020', 'event'],
      ['https://aclanthology.org/people/k/kevin-knight/', 'person'],
      ['https://aclanthology.org/2020.emnlp-main.253.pdf', null],
      ['https://aclanthology.org/', null],
      ['https://aclanthology.org/faq/', null],
      ['https://aclanthology.org/venues/acl/', null],
      ['https://www.aclweb.org/portal/', null],
      ['https://github.com/acl-org/acl-anthology', null],
    ],
  ],
  [
    github,
    [
      ['https://github.com/CBLUEbenchmark/CBLUE', 'repo'],
      ['https://github.com/CBLUEbenchmark/CBLUE/', 'repo'],
      ['https://github.com/dmis-lab/biobert/tree/master', 'tree'],
      ['https://github.com/dmis-lab/biobert/tree/master/docs', 'tree'],
      ['https://github.com/zhangsheng93/cMedQA2/blob/master/README.md', 'blob-markdown'],
      ['https://github.com/zhangsheng93/cMedQA2/blob/master/docs/guide.markdown', 'blob-markdown'],
      ['https://github.com/zhangsheng93/cMedQA2/blob/master/train.py', null],
      ['https://github.com/dmis-lab/biobert/blob/master/docs/usage.rst', 'blob-markdown'],
      ['https://github.com/dmis-lab/biobert/blob/master/NOTES.adoc', 'blob-markdown'],
      ['https://github.com/dmis-lab/biobert/blob/master/data.json', null],
      ['https://github.com/dmis-lab/biobert/wiki', 'wiki'],
      ['https://github.com/dmis-lab/biobert/wiki/Fine-tuning-on-PubMedQA', 'wiki'],
      ['https://github.com/dmis-lab/biobert/wiki/_history', 'wiki'],
      ['https://github.com/dmis-lab/biobert/issues/12', 'issue'],
      ['https://github.com/dmis-lab/biobert/pull/7', 'pull'],
      ['https://github.com/dmis-lab/biobert/discussions/3', 'discussion'],
      ['https://github.com/orgs/dmis-lab/discussions/5', 'discussion'],
      ['https://github.com/orgs/dmis-lab/discussions', null],
      ['https://github.com/dmis-lab/biobert/issues', null],
      ['https://github.com/dmis-lab/biobert/actions', null],
      ['https://github.com/dmis-lab', null],
      ['https://github.com/', null],
      ['https://github.com/features/copilot', null],
      ['https://github.com/orgs/dmis-lab/repositories', null],
      ['https://github.com/settings/profile', null],
      ['https://github.com/topics/nlp', null],
      ['https://github.com/search?q=bert', null],
      ['https://github.com/marketplace/actions/x', null],
      ['https://github.com/sponsors/someone', null],
      ['https://gist.github.com/someone/abc', null],
    ],
  ],
];

describe.each(tables)('$key page types', (adapter, rows) => {
  it.each(rows)('%s → %s', (url, type) => {
    expect(adapter.pageType(new URL(url))).toBe(type);
  });
});

describe('adapterFor', () => {
  it.each([
    ['https://arxiv.org/abs/1909.06146', 'arxiv'],
    ['https://aclanthology.org/2020.emnlp-main.253/', 'acl'],
    // Not pages the content scripts run on (host access is arxiv.org, aclanthology.org and github.com only).
    ['https://www.aclweb.org/anthology/D19-1492/', null],
    ['https://export.arxiv.org/abs/2010.03295', null],
    ['https://github.com/CBLUEbenchmark/CBLUE', 'github'],
    ['https://github.com/features', null],
    ['https://arxiv.org/pdf/1909.06146', null],
    ['https://example.org/abs/1909.06146', null],
  ])('%s → %s', (url, key) => {
    expect(adapterFor(new URL(url))?.key ?? null).toBe(key);
  });

  it('has one adapter per site key', () => {
    expect(ADAPTERS.map((a) => a.key)).toEqual(['arxiv', 'acl', 'github']);
  });
});
