import { describe, expect, it } from 'vitest';
import { catalog, entriesById, getEntry, topSections, TOP_SECTIONS } from '../../../utils/catalog';

describe('runtime catalog access', () => {
  it('indexes every entry by id', () => {
    expect(entriesById.size).toBe(catalog.length);
    expect(getEntry('cblue')?.ids.github).toEqual(['CBLUEbenchmark/CBLUE']);
    expect(getEntry('no-such-entry')).toBeUndefined();
  });

  it('lists the top-level sections in list order with entry counts', () => {
    const sections = topSections();
    expect(sections.map((s) => s.zh)).toEqual(TOP_SECTIONS.map((s) => s.zh));
    expect(sections[0]).toEqual({ zh: '评测及比赛更新', en: 'Evaluations and competitions', count: 5 });
    expect(sections.every((s) => s.count > 0)).toBe(true);
    // One paper sits in two sub-sections of 相关论文 and must be counted once.
    const papers = sections.find((s) => s.zh === '相关论文');
    expect(papers?.count).toBe(catalog.filter((e) => e.sections.some((s) => s.zh === '相关论文')).length);
  });

  it('counts a caller-supplied subset', () => {
    const only = topSections(catalog.filter((e) => e.kind === 'product'));
    expect(only.filter((s) => s.count > 0)).toEqual([{ zh: '工业级产品解决方案', en: 'Industry products and solutions', count: 5 }]);
  });
});
