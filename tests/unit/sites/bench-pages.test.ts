/**
 * The annotator benchmark's floor and its mark.js run read the regions its pages list
 * (scripts/bench-pages.ts), written out there so the page-side code needs no bundle. They
 * must be the regions the site adapters read on those pages, or the side-by-side ratios
 * would compare different work: checked here on the benchmark's own generated pages.
 */
import { describe, expect, it } from 'vitest';
import { parseHTML } from 'linkedom';
import { benchPages, loadCorpus } from '../../../scripts/bench-pages';
import { adapterFor } from '../../../utils/sites';

describe("the benchmark pages' regions", () => {
  const pages = benchPages(loadCorpus());

  it.each(pages.map((p) => [p.name, p] as const))('%s: the floor reads what the adapter reads', (_name, p) => {
    const url = new URL(`https://${p.host}${p.path}`);
    const adapter = adapterFor(url);
    expect(adapter, url.href).not.toBeNull();
    const doc = parseHTML(p.html).document as unknown as Document;
    const ours = adapter!.regions(doc, url);
    const floors = Array.from(doc.querySelectorAll(p.regions.join(', ')));
    // Hundreds to thousands of regions on every page, so an empty match on both sides fails.
    expect(ours.length).toBeGreaterThan(0);
    expect(floors.length).toBe(ours.length);
    expect(floors.every((el, i) => el === ours[i])).toBe(true);
    // No region inside another: the floor would read that text twice.
    expect(floors.some((el) => floors.some((o) => o !== el && o.contains(el)))).toBe(false);
  });
});
