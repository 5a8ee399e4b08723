import { describe, expect, it } from 'vitest';
import { catalog, getEntry, topSections } from '../../../utils/catalog';
import { browseGroups, initialQuery, readableRanges, kindsInCatalog, moveActive, secondaryLine, siteKeyFor } from '../../../entrypoints/popup/model';
import { distinctNames, sectionLabel } from '../../../components/EntryDetail';
import { shortUrl } from '../../../components/LinkList';

describe('browseGroups', () => {
  const sections = topSections();
  it('follows the list: every top section in order, with its total', () => {
    const groups = browseGroups(catalog, sections, { kind: '', section: '' });
    expect(groups.map((g) => g.zh)).toEqual(sections.filter((s) => s.count > 0).map((s) => s.zh));
    for (const g of groups) expect(g.total).toBe(sections.find((s) => s.zh === g.zh)!.count);
    // Every entry is reachable from the browse view.
    expect(new Set(groups.flatMap((g) => g.entries.map((e) => e.id))).size).toBe(catalog.length);
  });
  it('applies kind and section filters but keeps the section totals', () => {
    const groups = browseGroups(catalog, sections, { kind: 'dataset', section: '中文数据集' });
    expect(groups).toHaveLength(1);
    expect(groups[0].entries.every((e) => e.kind === 'dataset')).toBe(true);
    expect(groups[0].total).toBe(sections.find((s) => s.zh === '中文数据集')!.count);
    expect(browseGroups(catalog, sections, { kind: 'tool', section: '英文数据集' })).toEqual([]);
  });
  it('lists only kinds the catalog has', () => {
    const kinds = kindsInCatalog(catalog);
    expect(kinds.length).toBeGreaterThan(3);
    for (const k of kinds) expect(catalog.some((e) => e.kind === k)).toBe(true);
  });
});

describe('moveActive', () => {
  it('wraps around and starts from nothing', () => {
    expect(moveActive(-1, 1, 5)).toBe(0);
    expect(moveActive(-1, -1, 5)).toBe(4);
    expect(moveActive(4, 1, 5)).toBe(0);
    expect(moveActive(0, -1, 5)).toBe(4);
    expect(moveActive(2, 1, 0)).toBe(-1);
    expect(moveActive(9, 1, 3)).toBe(0);
  });
});

describe('siteKeyFor', () => {
  it('recognises the annotated sites and nothing else', () => {
    expect(siteKeyFor('https://arxiv.org/abs/1909.06146')).toBe('arxiv');
    expect(siteKeyFor('https://export.arxiv.org/list/cs.CL/new')).toBe('arxiv');
    expect(siteKeyFor('https://aclanthology.org/2020.emnlp-main.253/')).toBe('acl');
    expect(siteKeyFor('https://www.aclweb.org/anthology/D19-1492')).toBe('acl');
    expect(siteKeyFor('https://github.com/CBLUEbenchmark/CBLUE')).toBe('github');
    expect(siteKeyFor('https://gist.github.com/x')).toBeNull();
    expect(siteKeyFor('https://notarxiv.org/')).toBeNull();
    expect(siteKeyFor('chrome-extension://abc/popup.html')).toBeNull();
    expect(siteKeyFor(undefined)).toBeNull();
    expect(siteKeyFor('not a url')).toBeNull();
  });
});

describe('secondaryLine', () => {
  const yidu = getEntry('yidu-s4k')!;
  it('shows the matched alias when the title itself did not match', () => {
    const i = yidu.names.findIndex((n) => n.includes('医渡云'));
    expect(i).toBeGreaterThanOrEqual(0);
    const line = secondaryLine(yidu, { entryId: yidu.id, score: 1, highlights: [{ field: `names.${i}`, ranges: [[0, 3]] }] }, 'en');
    expect(line).toMatchObject({ kind: 'name', text: yidu.names[i] });
  });
  it('otherwise shows the summary in the UI language', () => {
    expect(secondaryLine(yidu, undefined, 'en')).toMatchObject({ kind: 'summary', text: yidu.summary.en });
    expect(secondaryLine(yidu, undefined, 'zh_CN')).toMatchObject({ kind: 'summary', text: yidu.summary.zh });
  });
});

describe('readableRanges', () => {
  it('drops scattered Latin fragments but keeps whole words and every Chinese character', () => {
    const title = 'BEHRT: Transformer';
    expect(readableRanges(title, [[0, 1], [2, 5], [7, 9]], 4)).toEqual([[2, 5]]);
    expect(readableRanges('瑞金医院糖尿病数据集', [[4, 5], [5, 7]], 12)).toEqual([[4, 5], [5, 7]]);
    expect(readableRanges('QA', [[0, 1]], 1)).toEqual([[0, 1]]);
    expect(readableRanges('x', undefined, 3)).toBeUndefined();
  });
});

describe('small helpers', () => {
  it('reads ?q= safely', () => {
    expect(initialQuery('?q=%E7%B3%96%E5%B0%BF%E7%97%85')).toBe('糖尿病');
    expect(initialQuery('')).toBe('');
    expect(typeof initialQuery('?q=%E0%A4%A')).toBe('string');
  });
  it('shows distinct other names only', () => {
    expect(distinctNames('Yidu-N7K', ['Yidu N7K', 'Yidu-N7K：医渡云标准化7K数据集', '医渡云标准化7K数据集', 'yidu-n7k'])).toEqual(['医渡云标准化7K数据集']);
  });
  it('labels sections and URLs compactly', () => {
    expect(sectionLabel({ zh: '相关论文', en: 'Related papers', sub: { zh: '综述类文章', en: 'Surveys' } }, 'en')).toBe('Related papers › Surveys');
    expect(sectionLabel({ zh: '相关论文', en: 'Related papers' }, 'zh_CN')).toBe('相关论文');
    expect(shortUrl('https://www.github.com/a/b/')).toBe('github.com/a/b');
    expect(shortUrl('nonsense')).toBe('nonsense');
  });
});

describe('browseCap', () => {
  it('shows a catalog that fits whole and cuts big groups evenly to the budget', async () => {
    const { browseCap } = await import('../../../entrypoints/popup/model');
    expect(browseCap([33, 11, 5], 150)).toBe(Infinity);
    const sizes = [900, 900, 20, 3000];
    const cap = browseCap(sizes, 150);
    const total = (c: number) => sizes.reduce((n, s) => n + Math.min(s, c), 0);
    expect(total(cap)).toBeLessThanOrEqual(150);
    expect(total(cap + 1)).toBeGreaterThan(150);
    expect(browseCap([500, 500], 1)).toBe(1);
  });
});
