import { describe, expect, it } from 'vitest';
import { idsFromText, idsFromUrl, normalizeAcl, normalizeArxiv, normalizeDoi, normalizeGithub, parseRawId } from '../../../utils/matcher/ids';

describe('identifier normalisation', () => {
  it('arXiv: new and old style, version dropped', () => {
    expect(normalizeArxiv('1909.06146')).toBe('1909.06146');
    expect(normalizeArxiv('1909.06146v3')).toBe('1909.06146');
    expect(normalizeArxiv('arXiv:2010.03295')).toBe('2010.03295');
    expect(normalizeArxiv('0704.0001')).toBe('0704.0001');
    expect(normalizeArxiv('hep-th/9901001v2')).toBe('hep-th/9901001');
    expect(normalizeArxiv('math.GT/0309136')).toBe('math.GT/0309136');
    expect(normalizeArxiv('1909.061')).toBeUndefined();
  });

  it('ACL: old style upper-cased, new style lower-cased', () => {
    expect(normalizeAcl('D19-1492')).toBe('D19-1492');
    expect(normalizeAcl('d19-1492')).toBe('D19-1492');
    expect(normalizeAcl('2020.EMNLP-main.253')).toBe('2020.emnlp-main.253');
    expect(normalizeAcl('2020.acl-main.576')).toBe('2020.acl-main.576');
    expect(normalizeAcl('D19-149')).toBeUndefined();
  });

  it('DOI and GitHub', () => {
    expect(normalizeDoi('doi:10.1093/bioinformatics/btz682')).toBe('10.1093/bioinformatics/btz682');
    expect(normalizeDoi('https://doi.org/10.18653/v1/2020.emnlp-main.253.')).toBe('10.18653/v1/2020.emnlp-main.253');
    expect(normalizeGithub('CBLUEbenchmark/CBLUE.git')).toBe('CBLUEbenchmark/CBLUE');
    expect(normalizeGithub('orgs/foo')).toBeUndefined();
  });
});

describe('idsFromUrl', () => {
  const table: Array<[string, string[]]> = [
    ['https://arxiv.org/abs/1909.06146', ['arxiv:1909.06146']],
    ['https://arxiv.org/abs/1909.06146v2', ['arxiv:1909.06146']],
    ['https://arxiv.org/pdf/2010.03295.pdf', ['arxiv:2010.03295']],
    ['https://arxiv.org/pdf/2010.03295v1', ['arxiv:2010.03295']],
    ['https://arxiv.org/html/2106.08087v2', ['arxiv:2106.08087']],
    ['https://arxiv.org/html/2106.08087v2/#S3', ['arxiv:2106.08087']],
    ['https://export.arxiv.org/abs/hep-th/9901001', ['arxiv:hep-th/9901001']],
    ['https://www.arxiv.org/abs/1706.03762', ['arxiv:1706.03762']],
    ['https://arxiv.org/abs/arXiv:1909.06146v1', ['arxiv:1909.06146']],
    ['https://arxiv.org/pdf/arxiv:hep-th/9901001', ['arxiv:hep-th/9901001']],
    ['https://arxiv.org/list/cs.CL/recent', []],
    ['https://aclanthology.org/2020.emnlp-main.253/', ['acl:2020.emnlp-main.253']],
    ['https://aclanthology.org/2020.emnlp-main.253.pdf', ['acl:2020.emnlp-main.253']],
    ['https://aclanthology.org/2020.acl-main.748v2.pdf', ['acl:2020.acl-main.748']],
    ['https://aclanthology.org/W19-1912', ['acl:W19-1912']],
    ['https://aclanthology.org/N04-1001.bib', ['acl:N04-1001']],
    ['https://www.aclweb.org/anthology/D19-1492/', ['acl:D19-1492']],
    ['https://www.aclweb.org/anthology/2020.acl-main.748.pdf', ['acl:2020.acl-main.748']],
    ['https://aclweb.org/anthology/P19-2055.pdf', ['acl:P19-2055']],
    // The Anthology's older layouts, cited by READMEs and BibTeX of the 2010s.
    ['https://www.aclweb.org/anthology/papers/D/D19/D19-1259/', ['acl:D19-1259']],
    ['https://www.aclweb.org/anthology/D/D19/D19-1259.pdf', ['acl:D19-1259']],
    ['http://anthology.aclweb.org/P/P16/P16-1001.pdf', ['acl:P16-1001']],
    ['http://aclweb.org/anthology/W/W17/W17-2309.bib', ['acl:W17-2309']],
    ['https://aclanthology.org/volumes/2020.emnlp-main/', []],
    ['https://aclanthology.org/events/emnlp-2020/', []],
    ['https://github.com/CBLUEbenchmark/CBLUE', ['github:CBLUEbenchmark/CBLUE']],
    ['https://github.com/dmis-lab/biobert/tree/master/docs', ['github:dmis-lab/biobert']],
    ['https://github.com/zhangsheng93/cMedQA2/blob/master/README.md', ['github:zhangsheng93/cMedQA2']],
    ['https://github.com/allenai/scibert.git', ['github:allenai/scibert']],
    ['https://github.com/features/copilot', []],
    ['https://github.com/orgs/acl-org/repositories', []],
    ['https://github.com/settings/profile', []],
    ['https://github.com/topics/nlp', []],
    ['https://github.com/search?q=bert', []],
    ['https://github.com/marketplace/actions/foo', []],
    ['https://github.com/sponsors/someone', []],
    ['https://github.com/advisories/GHSA-xxxx-yyyy-zzzz', []],
    ['https://github.com/enterprises/acme', []],
    ['https://github.com/user-attachments/assets/0b6a3f1e-7f4e-4d55-9d1a-1c1f2b3c4d5e', []],
    ['https://github.com/dmis-lab', []],
    ['https://doi.org/10.1093/bioinformatics/btz682', ['doi:10.1093/bioinformatics/btz682']],
    ['https://doi.org/10.1093/bioinformatics/btz682/', ['doi:10.1093/bioinformatics/btz682']],
    ['https://dx.doi.org/10.1038/s41591-018-0316-z', ['doi:10.1038/s41591-018-0316-z']],
    ['https://doi.org/10.18653/v1/2020.emnlp-main.253', ['doi:10.18653/v1/2020.emnlp-main.253', 'acl:2020.emnlp-main.253']],
    ['https://academic.oup.com/bioinformatics/advance-article/doi/10.1093/bioinformatics/btz682/5566506', ['doi:10.1093/bioinformatics/btz682/5566506']],
    ['https://www.nature.com/articles/s41591-018-0316-z', ['doi:10.1038/s41591-018-0316-z']],
    ['not a url', []],
  ];
  it.each(table)('%s', (url, expected) => {
    expect(idsFromUrl(url).map((f) => `${f.kind}:${f.id}`)).toEqual(expected);
  });
});

describe('idsFromText', () => {
  it('finds arXiv:, doi:, bare DOIs and URLs in running text', () => {
    const text =
      'See arXiv:1909.06146v2, doi:10.1093/bioinformatics/btz682 and https://github.com/CBLUEbenchmark/CBLUE. ' +
      'Also aclanthology.org/2020.emnlp-main.253.pdf (10.18653/v1/2020.emnlp-main.253), www.aclweb.org/anthology/W19-1909/ ' +
      'and arxiv.org/abs/2010.03295.';
    expect(idsFromText(text).map((f) => `${f.kind}:${f.id}`)).toEqual([
      'arxiv:1909.06146',
      'doi:10.1093/bioinformatics/btz682',
      'github:CBLUEbenchmark/CBLUE',
      'acl:2020.emnlp-main.253',
      'doi:10.18653/v1/2020.emnlp-main.253',
      'acl:W19-1909',
      'arxiv:2010.03295',
    ]);
  });

  it('parses raw page IDs', () => {
    expect(parseRawId('arxiv:1909.06146v1')).toEqual({ kind: 'arxiv', id: '1909.06146' });
    expect(parseRawId('acl:d19-1492')).toEqual({ kind: 'acl', id: 'D19-1492' });
    expect(parseRawId('github:owner/repo')).toEqual({ kind: 'github', id: 'owner/repo' });
    expect(parseRawId('title:Attention Is All You Need')).toBeUndefined();
    expect(parseRawId('nonsense')).toBeUndefined();
  });
});
