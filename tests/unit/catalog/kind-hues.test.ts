import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { KIND_HUES, venueYear } from '../../../utils/catalog/kind-hues';
import { KINDS } from '../../../utils/catalog/types';
import { UI_CSS } from '../../../utils/annotator/styles';

describe('kind hues', () => {
  it('gives the popup, the options page, the card and the banner the same hue for each kind', () => {
    const css = fs.readFileSync(path.join(__dirname, '../../../components/ui.css'), 'utf8');
    const popup = Object.fromEntries([...css.matchAll(/\.cmed-kind--([a-z-]+)\s*\{\s*--h:\s*(\d+);/g)].map((m) => [m[1], Number(m[2])]));
    expect(Object.keys(KIND_HUES).sort()).toEqual([...KINDS].sort());
    expect(popup).toEqual(KIND_HUES);
    for (const [kind, hue] of Object.entries(KIND_HUES)) {
      expect(UI_CSS.card).toContain(`.kd[data-kind=${kind}]{--h:${hue}}`);
      expect(UI_CSS.banner).toContain(`.kd[data-kind=${kind}]{--h:${hue}}`);
    }
  });
});

describe('venueYear', () => {
  it('puts the year after the venue unless the venue names it', () => {
    expect(venueYear('EMNLP 2019', 2019)).toBe('EMNLP 2019');
    expect(venueYear('Bioinformatics', 2020)).toBe('Bioinformatics · 2020');
    expect(venueYear('CCL-2021', 2021)).toBe('CCL-2021');
    expect(venueYear('NAACL 2021', 2022)).toBe('NAACL 2021 · 2022');
    expect(venueYear(undefined, 2021)).toBe('2021');
    expect(venueYear('arXiv', undefined)).toBe('arXiv');
    expect(venueYear(undefined, undefined)).toBe('');
  });
});
