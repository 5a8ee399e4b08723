import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CLASS, C_HYPHEN, C_IGNORABLE, C_SPACE, C_WORD, DROP, fold, foldCode, foldString, isCjkCode, unwiden } from '../../../utils/matcher/normalize';

describe('character folding', () => {
  it('folds case, including Latin-1, Greek and Cyrillic', () => {
    expect(fold('BioBERT')).toBe('biobert');
    expect(fold('ÉCOLE Ωmega ДАННЫЕ')).toBe('ecoleωmegaданные');
  });

  it('folds full-width letters, digits and punctuation to half-width', () => {
    expect(fold('ＰｕｂＭｅｄＱＡ')).toBe('pubmedqa');
    expect(fold('０１２３４５６７８９')).toBe('0123456789');
    expect(fold('Ａ：（Ｂ），Ｃ')).toBe('a:(b),c');
    expect(foldCode(0xff21)).toBe(0x61); // Ａ → a
  });

  it('drops whitespace, line breaks, hyphens, dashes, soft hyphens and zero-width characters', () => {
    const forms = ['Bio-BERT', 'Bio BERT', 'bio\nbert', 'BioBERT', 'Bio\u00adBERT', 'Bio\u00a0BERT', 'Bio\u2013BERT', 'Bio\u2014BERT', 'Bio\u200bBERT', 'Bio_BERT', 'Bio\u3000BERT', 'Bio\r\n\tBERT'];
    for (const f of forms) expect(fold(f), JSON.stringify(f)).toBe('biobert');
  });

  it('reads a line-end hyphenation as one word', () => {
    expect(fold('Bio-\nmedical')).toBe(fold('Biomedical'));
    expect(fold('Bio-\r\n   medical')).toBe('biomedical');
  });

  it('keeps significant punctuation and CJK characters', () => {
    expect(fold('MIE: A')).toBe('mie:a');
    expect(fold('医渡云结构化4K数据集')).toBe('医渡云结构化4k数据集');
    expect(fold('“quoted”')).toBe('"quoted"');
    expect(fold('句号。')).toBe('句号.');
  });

  it('maps every folded character back to its offset in the original', () => {
    const text = 'Ｂｉｏ-\nBERT and\u00adPub MedQA';
    const { folded, map } = foldString(text);
    expect(folded).toBe('biobertandpubmedqa');
    expect(map.length).toBe(folded.length + 1);
    expect(map[folded.length]).toBe(text.length);
    for (let i = 0; i < folded.length; i++) {
      expect(foldCode(text.charCodeAt(map[i]))).toBe(folded.charCodeAt(i));
    }
    expect(text.slice(map[0], map[6] + 1)).toBe('Ｂｉｏ-\nBERT');
  });

  it('classifies characters for the boundary rules', () => {
    expect(CLASS[0x41] & C_WORD).toBeTruthy();
    expect(CLASS[0xff21] & C_WORD).toBeTruthy();
    expect(CLASS[0x20] & C_SPACE).toBeTruthy();
    expect(CLASS[0x0a] & C_SPACE).toBeTruthy();
    expect(CLASS[0x2d] & C_HYPHEN).toBeTruthy();
    expect(CLASS[0xad] & C_IGNORABLE).toBeTruthy();
    expect(CLASS['医'.charCodeAt(0)] & C_WORD).toBe(0);
    expect(isCjkCode('医'.charCodeAt(0))).toBe(true);
    expect(isCjkCode('a'.charCodeAt(0))).toBe(false);
    expect(foldCode(0x2d)).toBe(DROP);
    expect(unwiden(0xff2d)).toBe(0x4d);
  });

  it('property: folding is idempotent and the map is strictly increasing', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (s) => {
        const { folded, map } = foldString(s);
        if (fold(folded) !== folded) return false;
        for (let i = 1; i < map.length; i++) if (map[i] <= map[i - 1]) return false;
        return true;
      }),
    );
  });
});
