/** Folding, query normalisation, posting codec and pinyin alignment. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pinyinSyllables } from '../../../utils/search/build';
import { MAX_QUERY_LENGTH, compact, decodeAscending, encodeAscending, fold, normalizeQuery, pinyinKeys } from '../../../utils/search/text';

describe('fold', () => {
  it('keeps one unit per unit, so offsets in folded text are display offsets', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (s) => {
        expect(fold(s).length).toBe(s.length);
      }),
    );
  });
  it('lower-cases, half-widths and blanks controls', () => {
    expect(fold('PubMedQA')).toBe('pubmedqa');
    expect(fold('ＣＭｅＫＧ：知识')).toBe('cmekg:知识');
    expect(fold('a\tb\nc\u3000d')).toBe('a b c d');
    expect(fold('Café–Ünïcode')).toBe('cafe-unicode');
    expect(fold('İstanbul').length).toBe(8);
  });
});

describe('normalizeQuery', () => {
  it('trims, collapses whitespace and caps length', () => {
    expect(normalizeQuery('  Pub\n\n Med   QA ')).toBe('pub med qa');
    expect(normalizeQuery('x'.repeat(5000)).length).toBe(MAX_QUERY_LENGTH);
    expect(normalizeQuery('')).toBe('');
    expect(normalizeQuery(undefined as unknown as string)).toBe('');
  });
  it('never ends on half a surrogate pair', () => {
    const q = normalizeQuery('a'.repeat(MAX_QUERY_LENGTH - 1) + '😀😀');
    const last = q.charCodeAt(q.length - 1);
    expect(last >= 0xd800 && last <= 0xdbff).toBe(false);
  });
  it('compacts to letters, digits and Chinese only', () => {
    expect(compact(fold('Bio-BERT (v1.1)'))).toBe('biobertv11');
  });
});

describe('posting codec', () => {
  it('round-trips ascending integer lists', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 0, max: 2 ** 30 }), { maxLength: 200 }), (xs) => {
        const sorted = [...xs].sort((a, b) => a - b);
        const out: number[] = [];
        decodeAscending(encodeAscending(sorted), (v) => out.push(v));
        expect(out).toEqual(sorted);
        expect(encodeAscending(sorted)).not.toMatch(/["\\]/);
      }),
    );
  });
});

describe('pinyin keys', () => {
  it('aligns one syllable with each unit and builds full pinyin and initials', () => {
    const field = '瑞金医院糖尿病数据集';
    const keys = pinyinKeys(field, pinyinSyllables(field));
    expect(keys.full).toBe('ruijinyiyuantangniaobingshujuji');
    expect(keys.initials).toBe('rjyytnbsjj');
  });
  it('keeps Latin runs whole and skips punctuation', () => {
    const field = 'Yidu-S4K：医渡云结构化4K数据集';
    const py = pinyinSyllables(field);
    expect(py.split(' ').length).toBe(field.length);
    const keys = pinyinKeys(field, py);
    expect(keys.full).toBe('yidus4kyiduyunjiegouhua4kshujuji');
    expect(keys.initials).toBe('yidus4kydyjgh4ksjj');
    const s4k = keys.spans[1];
    expect(field.slice(s4k[0], s4k[1])).toBe('S4K');
  });
  it('is empty for fields without Chinese', () => {
    expect(pinyinSyllables('PubMedQA')).toBe('');
  });
  it('reads polyphonic characters in context and writes ü as v', () => {
    const keys = pinyinKeys('银行绿色', pinyinSyllables('银行绿色'));
    expect(keys.full).toBe('yinhanglvse');
  });
});
