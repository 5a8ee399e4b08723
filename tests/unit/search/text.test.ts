/** Folding, query normalisation, posting codec and pinyin alignment. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pinyinSyllables } from '../../../utils/search/build';
import { oneEditApart } from '../../../utils/search/index';
import {
  MAX_QUERY_LENGTH,
  compact,
  compactOffset,
  decodeAscending,
  encodeAscending,
  fold,
  joinWords,
  joinedOffsets,
  normalizeQuery,
  pinyinKeys,
  splitLettersDigits,
  trimNonWord,
} from '../../../utils/search/text';

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

describe('trimNonWord', () => {
  it('drops punctuation, quotes, brackets and symbols at both ends', () => {
    expect(trimNonWord(fold('医学，'))).toBe('医学');
    expect(trimNonWord(fold('“问答”'))).toBe('问答');
    expect(trimNonWord(fold('（医学）'))).toBe('医学');
    expect(trimNonWord(fold('知识图谱。'))).toBe('知识图谱');
    expect(trimNonWord(fold('《糖尿病》'))).toBe('糖尿病');
    expect(trimNonWord(fold('(PubMedQA),'))).toBe('pubmedqa');
    expect(trimNonWord('🧬 pubmedqa 🚀')).toBe('pubmedqa');
    expect(trimNonWord('?!…')).toBe('');
  });
  it('keeps inner punctuation and a joiner being typed at the end', () => {
    expect(trimNonWord('mc-bert')).toBe('mc-bert');
    expect(trimNonWord('1909.06146.')).toBe('1909.06146');
    expect(trimNonWord('bio-')).toBe('bio-');
    expect(trimNonWord('(bio_),')).toBe('bio_');
  });
  it('keeps astral letters', () => {
    expect(trimNonWord('𠀋,')).toBe('𠀋');
  });
});

describe('splitLettersDigits', () => {
  it('splits where every piece has two characters or more', () => {
    expect(splitLettersDigits('ccks2019')).toEqual(['ccks', '2019']);
    expect(splitLettersDigits('chip2019a1')).toEqual(['chip2019a1']);
    expect(splitLettersDigits('imcs21')).toEqual(['imcs', '21']);
    expect(splitLettersDigits('s4k')).toEqual(['s4k']);
    expect(splitLettersDigits('cmedqa2')).toEqual(['cmedqa2']);
    expect(splitLettersDigits('pubmedqa')).toEqual(['pubmedqa']);
  });
});

describe('compactOffset', () => {
  it('maps compact offsets back to the folded text', () => {
    const f = fold('CHIP 2019 疾病');
    expect(compactOffset(f, 0)).toBe(0);
    expect(compactOffset(f, 4)).toBe(5);
    expect(compactOffset(f, 8)).toBe(10);
    expect(compactOffset(f, 99)).toBe(-1);
  });
});

describe('oneEditApart', () => {
  it('accepts one substitution, insertion, deletion or adjacent swap', () => {
    for (const [a, b] of [
      ['cblue', 'cbule'],
      ['cblue', 'clbue'],
      ['behrt', 'bhert'],
      ['behrt', 'berht'],
      ['cmekg', 'cmkeg'],
      ['cmekg', 'cmekx'],
      ['cmekg', 'cmek'],
      ['cmekg', 'cmekgs'],
      ['feded', 'feedd'],
    ])
      expect(oneEditApart(a, b), `${a} ${b}`).toBe(true);
  });
  it('rejects equal strings and two edits', () => {
    for (const [a, b] of [
      ['cblue', 'cblue'],
      ['lumne', 'lmuen'],
      ['abcde', 'badce'],
      ['abc', 'abcde'],
      ['behrt', 'ber'],
    ])
      expect(oneEditApart(a, b), `${a} ${b}`).toBe(false);
  });
  it('agrees with the optimal string alignment distance (fast-check)', () => {
    const osa = (a: string, b: string) => {
      const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
      for (let i = 1; i <= a.length; i++)
        for (let j = 1; j <= b.length; j++) {
          const cost = a[i - 1] === b[j - 1] ? 0 : 1;
          d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
          if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      return d[a.length][b.length];
    };
    const word = fc.string({ unit: fc.constantFrom('a', 'b', 'c'), maxLength: 7 });
    fc.assert(
      fc.property(word, word, (a, b) => {
        expect(oneEditApart(a, b), `${a} ${b}`).toBe(osa(a, b) === 1);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('joinWords', () => {
  it('drops hyphens and apostrophes inside words only, and maps back', () => {
    const folded = fold("Pre-trained - on O’Reilly's 'quotes' co-");
    expect(joinWords(folded)).toBe("pretrained - on oreillys 'quotes' co-");
    const keep = joinedOffsets(folded);
    expect(keep.map((i) => folded[i]).join('')).toBe(joinWords(folded));
    expect(joinWords('plain text')).toBe('plain text');
  });
});
