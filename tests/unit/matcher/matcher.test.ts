import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { buildMatcherData, createMatcher, rawAutomaton } from '../../../utils/matcher';
import { buildAutomaton } from '../../../utils/matcher/pack';
import { each, loadAutomaton, rowWidth, run } from '../../../utils/matcher/runtime';
import { fold, foldString } from '../../../utils/matcher/normalize';
import type { TextMatch } from '../../../utils/matcher/types';
import type { IdKind } from '../../../utils/matcher/ids';
import { SMALL_CATALOG, realCatalog } from './fixtures';

const matcher = createMatcher(buildMatcherData(SMALL_CATALOG));

/** "text→entry" strings of the hits, for readable expectations. */
function hits(text: string, supported?: string[], m = matcher): string[] {
  return m.scan(text, supported ? { supportedIds: new Set(supported) } : undefined).map((h) => `${text.slice(h.start, h.end)}→${h.entryId}`);
}

describe('names', () => {
  it('matches across case, width, spaces, hyphens and line breaks, reporting original offsets', () => {
    const text = 'We tune Bio-BERT, bio\nbert, BioBERT-base, ＢｉｏＢＥＲＴ and Bio\u00adBERT.';
    expect(hits(text)).toEqual(['Bio-BERT→biobert', 'bio\nbert→biobert', 'BioBERT→biobert', 'ＢｉｏＢＥＲＴ→biobert', 'Bio\u00adBERT→biobert']);
  });

  it('matches a title broken by a line-end hyphenation', () => {
    expect(hits('2019. Medical Entity Link-\ning using Triplet Network. In')).toEqual([
      'Medical Entity Link-\ning using Triplet Network→medical-entity-linking-triplet',
    ]);
  });

  it('needs word boundaries for Latin names', () => {
    expect(hits('PubMedQAs and xPubMedQA and PubMedQA2')).toEqual([]);
    expect(hits('(PubMedQA) "PubMedQA" PubMedQA.')).toEqual(['PubMedQA→pubmedqa', 'PubMedQA→pubmedqa', 'PubMedQA→pubmedqa']);
    expect(hits('non-PubMedQA')).toEqual([]);
    expect(hits('PubMed-\nQA is one word but Pub-\nMedQA too')).toEqual(['PubMed-\nQA→pubmedqa', 'Pub-\nMedQA→pubmedqa']);
  });

  it('matches Chinese names without boundaries, and Latin names next to Chinese text', () => {
    expect(hits('我们使用医渡云结构化4K数据集和瑞金医院糖尿病数据集训练，并用CMeKG和cMedQA2评估。')).toEqual([
      '医渡云结构化4K数据集→yidu-s4k',
      '瑞金医院糖尿病数据集→ruijin-diabetes',
      'CMeKG→cmekg',
      'cMedQA2→cmedqa2',
    ]);
    expect(hits('百度灵医智慧平台')).toEqual(['灵医智慧→lingyi']);
    expect(hits('Yidu-S4K：医渡云结构化4K数据集')).toEqual(['Yidu-S4K：医渡云结构化4K数据集→yidu-s4k']);
  });
});

describe('generic and short names', () => {
  it('never treats BERT as a name', () => {
    expect(hits('We fine-tune BERT. BERT is good. bert')).toEqual([]);
  });

  it('keeps MIE, LATTE, FedED, BEHRT quiet in prose', () => {
    expect(hits('Las mie amiche. Mie is a name. MIEDO. A caffe latte, LATTE ART, two LATTES.')).toEqual([]);
    expect(hits('He fed ed the cat; Feded; FEDED; feded.')).toEqual([]);
    expect(hits('BEHRT and Behrt and behrt')).toEqual([]);
  });

  it('fires on a distinctive form: distinctive case, a title colon, a citation', () => {
    expect(hits('We compare with FedED.')).toEqual(['FedED→feded']);
    expect(hits('MIE: a system')).toEqual(['MIE→mie']);
    expect(hits('MIE (Zhang et al., 2020) and LATTE [12] and BEHRT (2020)')).toEqual(['MIE→mie', 'LATTE→latte', 'BEHRT→behrt']);
    expect(hits('mie (Zhang et al., 2020)')).toEqual([]); // not the published case
    // Chinese text cites in full-width brackets too, with full-width commas or enumeration marks.
    expect(hits('本文采用MIE［12］与LATTE［3，7］，以及BEHRT［2、5］。')).toEqual(['MIE→mie', 'LATTE→latte', 'BEHRT→behrt']);
    expect(hits('MIE［１２］，LATTE［1～3］，BEHRT［４〜６］')).toEqual(['MIE→mie', 'LATTE→latte', 'BEHRT→behrt']);
    expect(hits('MIE［a］ and LATTE［12')).toEqual([]); // no number, or no closing bracket
  });

  it('fires when the page supports the entry', () => {
    expect(hits('MIE and LATTE and mie', ['mie'])).toEqual(['MIE→mie', 'mie→mie']);
    expect(hits('MIEDO', ['mie'])).toEqual([]); // support does not lift the boundary rule
  });

  it('matches whole titles only whole', () => {
    expect(hits('Improving Medical Entity Linking using Triplet Network Ensembles')).toEqual([]);
    expect(hits('Towards Medical Entity Linking using Triplet Network')).toEqual([]);
    expect(hits('2019. Medical Entity Linking using Triplet Network. In Proc.')).toEqual([
      'Medical Entity Linking using Triplet Network→medical-entity-linking-triplet',
    ]);
    expect(hits('“Medical Entity Linking using Triplet Network”')).toHaveLength(1);
    expect(hits('论文Medical Entity Linking using Triplet Network提出')).toHaveLength(1);
    expect(hits('W19-1912:\nMedical Entity Linking using Triplet Network.\nNext title')).toEqual([
      'W19-1912→medical-entity-linking-triplet',
      'Medical Entity Linking using Triplet Network→medical-entity-linking-triplet',
    ]);
  });

  it('reads a line break in a block as the space it renders as: a longer title wrapped in the source is not the catalog title', () => {
    // GitHub's markdown keeps a paragraph's source line breaks in its text; list items and <br> end a block.
    expect(hits('- Improving Medical Entity Linking using Triplet Network\n  Ensembles (2020)')).toEqual([]);
    expect(hits('see Improving\nMedical Entity Linking using Triplet Network')).toEqual([]);
    expect(hits('Publicly Available Clinical BERT Embeddings\r\nfor Radiology Reports')).toEqual([]);
    expect(hits('(Mondal et al., 2019)\nMedical Entity Linking using Triplet Network\n(BioNLP)')).toEqual([
      'Medical Entity Linking using Triplet Network→medical-entity-linking-triplet',
    ]);
  });

  it('keeps "ClinicalBERT" tight: "Clinical BERT" is a kind of model', () => {
    expect(hits('ClinicalBERT, Clinical-BERT, Clinical BERT')).toEqual(['ClinicalBERT→clinicalbert-alsentzer', 'Clinical-BERT→clinicalbert-alsentzer']);
  });
});

describe('identifiers in text', () => {
  it('finds Anthology IDs with a version, as arXiv IDs', () => {
    expect(hits('aclanthology.org/2020.emnlp-main.253v2.pdf; D19-1259v2; arXiv:1909.06146v3')).toEqual([
      '2020.emnlp-main.253→cometa',
      'D19-1259→pubmedqa',
      '1909.06146→pubmedqa',
    ]);
    // A version is "v" and digits; anything else glued on is another identifier.
    expect(hits('D19-1259va 2020.emnlp-main.253x')).toEqual([]);
  });

  it('finds an arXiv paper by the DOI arXiv gives it (10.48550/arXiv.<id>)', () => {
    expect(hits('doi: 10.48550/arXiv.1909.06146 and https://doi.org/10.48550/ARXIV.2106.08087')).toEqual([
      '10.48550/arXiv.1909.06146→pubmedqa',
      '10.48550/ARXIV.2106.08087→cblue',
    ]);
    expect(matcher.byUrl('https://doi.org/10.48550/arXiv.1909.06146')).toBe('pubmedqa');
  });

  it('finds catalog IDs, not longer IDs that contain them', () => {
    expect(
      hits('arXiv:1909.06146v2; https://github.com/dmis-lab/biobert.git; doi:10.1093/bioinformatics/btz682; W19-1909; aclanthology.org/2020.emnlp-main.253.pdf'),
    ).toEqual([
      '1909.06146→pubmedqa',
      'dmis-lab/biobert→biobert',
      '10.1093/bioinformatics/btz682→biobert',
      'W19-1909→clinicalbert-alsentzer',
      '2020.emnlp-main.253→cometa',
    ]);
    const glued = '1909.061467 x1909.06146 2020.emnlp-main.2530 W19-19090 dmis-lab/biobert-pretrained2 foo-dmis-lab/biobert';
    expect(matcher.scan(glued).filter((h) => h.via === 'id')).toEqual([]);
    expect(matcher.scan('see 2020.emnlp-main.253')[0].via).toBe('id');
    expect(matcher.scan('see PubMedQA')[0].via).toBe('name');
  });

  it('finds an ID only spelled with its own separators, in any case, width or hyphen', () => {
    expect(
      hits('D19\u20101259; ＤＭＩＳ－ＬＡＢ/BioBERT; dmis-lab / biobert; 2020.EMNLP-main.253; 1909.06\u200b146'),
    ).toEqual(['D19\u20101259→pubmedqa', 'ＤＭＩＳ－ＬＡＢ/BioBERT→biobert', 'dmis-lab / biobert→biobert', '2020.EMNLP-main.253→cometa', '1909.06\u200b146→pubmedqa']);
    // A separator dropped, added or changed makes another string, not the identifier.
    const sloppy = 'D191259 D19 1259 D19_1259 dmislab/biobert dmis_lab/bio_bert dmis lab/biobert 2020.emnlp main.253 1909.061 46 10.1093/bio-informatics/btz682';
    expect(matcher.scan(sloppy).filter((h) => h.via === 'id')).toEqual([]);
  });

  it('byId and byUrl', () => {
    expect(matcher.byId('acl', '2020.EMNLP-main.165')).toBe('feded');
    expect(matcher.byId('acl', 'd19-1259')).toBe('pubmedqa');
    expect(matcher.byId('arxiv', '1909.06146v4')).toBe('pubmedqa');
    expect(matcher.byId('github', 'cbluebenchmark/cblue')).toBe('cblue');
    expect(matcher.byId('doi', '10.1093/BIOINFORMATICS/btz682')).toBe('biobert');
    expect(matcher.byId('arxiv', '0000.00000')).toBeUndefined();
    // Any other prefix of a page's raw ID finds nothing (the annotator asks with whatever precedes the colon).
    for (const kind of ['title', '', 'constructor', '__proto__', 'toString']) expect(matcher.byId(kind as IdKind, '1909.06146')).toBeUndefined();
    expect(matcher.byUrl('https://arxiv.org/pdf/2010.03295v1.pdf')).toBe('cometa');
    expect(matcher.byUrl('https://www.aclweb.org/anthology/2020.acl-main.576.pdf')).toBe('mie');
    expect(matcher.byUrl('https://github.com/CBLUEbenchmark/CBLUE/tree/main')).toBe('cblue');
    expect(matcher.byUrl('https://www.nature.com/articles/s41591-018-0316-z')).toBe('nature-review');
    expect(matcher.byUrl('https://doi.org/10.1093/bioinformatics/btz682')).toBe('biobert');
    expect(matcher.byUrl('https://github.com/features')).toBeUndefined();
  });
});

describe('overlaps and determinism', () => {
  const E = (id: string, title: string, names: string[] = []) => ({
    ...SMALL_CATALOG[0],
    id,
    title,
    names,
    ids: { arxiv: [], acl: [], doi: [], github: [] },
  });
  const m = createMatcher(
    buildMatcherData([
      E('a', 'Alphabeta Gammadelta'),
      E('b', 'Gammadelta Epsilonzetaeta'),
      E('c', 'Epsilonzetaeta'),
      E('d', '数据集合甲乙', ['甲乙丙丁', '乙丙丁戊己']),
    ]),
  );

  it('longest match wins, results are ordered and non-overlapping', () => {
    expect(hits('Alphabeta Gammadelta Epsilonzetaeta', undefined, m)).toEqual(['Gammadelta Epsilonzetaeta→b']);
    expect(hits('Alphabeta Gammadelta, Epsilonzetaeta', undefined, m)).toEqual(['Alphabeta Gammadelta→a', 'Epsilonzetaeta→c']);
    expect(hits('甲乙丙丁戊己', undefined, m)).toEqual(['乙丙丁戊己→d']);
  });

  it('equal lengths: the earlier start wins', () => {
    const mm = createMatcher(buildMatcherData([E('x', '甲乙丙丁'), E('y', '丙丁戊己')]));
    expect(hits('甲乙丙丁戊己', undefined, mm)).toEqual(['甲乙丙丁→x']);
    const ml = createMatcher(buildMatcherData([E('x', 'Alphabeta Gammadelta'), E('y', 'Gammadelta Alphabeta')]));
    expect(hits('Alphabeta Gammadelta Alphabeta', undefined, ml)).toEqual(['Alphabeta Gammadelta→x']);
  });

  it('same input, same output; compiling twice gives the same matcher', () => {
    const text = 'PubMedQA and COMETA: x. BioBERT 医渡云结构化4K数据集 FedED '.repeat(20);
    const again = createMatcher(JSON.parse(JSON.stringify(buildMatcherData(SMALL_CATALOG))));
    expect(again.scan(text)).toEqual(matcher.scan(text));
    expect(matcher.scan(text)).toEqual(matcher.scan(text));
  });
});

/** Brute force: every occurrence of every folded pattern in the folded text, mapped back. */
function naive(patterns: string[], text: string): string[] {
  const { folded, map } = foldString(text);
  const out: string[] = [];
  patterns.forEach((p, pi) => {
    for (let k = folded.indexOf(p); k >= 0; k = folded.indexOf(p, k + 1)) out.push(`${map[k]}-${map[k + p.length - 1] + 1}-${pi}`);
  });
  return out.sort();
}

describe('automaton (property-based)', () => {
  const alphabet = fc.constantFrom('a', 'b', 'c', 'A', 'Ｂ', ' ', '-', '\n', '医', '疗', '\u00ad', '.', 'x');
  const word = fc.string({ unit: fc.constantFrom('a', 'b', 'c', '医', '疗', '.'), minLength: 1, maxLength: 6 });

  it('finds exactly the occurrences a brute-force search finds', () => {
    fc.assert(
      fc.property(fc.uniqueArray(word, { minLength: 1, maxLength: 12 }), fc.string({ unit: alphabet, maxLength: 80 }), (words, text) => {
        const patterns = [...new Set(words.map(fold))];
        const got = rawAutomaton(patterns)(text).map(([s, e, p]) => `${s}-${e}-${p}`).sort();
        expect(got).toEqual(naive(patterns, text));
      }),
      { numRuns: 300 },
    );
  });

  // The gate streams text in pieces and stops at each candidate; block scans resume after each.
  it('a run stops where an occurrence ends, at each such place in order, however the text is cut', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(word, { minLength: 1, maxLength: 12 }),
        fc.string({ unit: alphabet, maxLength: 80 }),
        fc.array(fc.nat(80), { maxLength: 6 }),
        (words, text, cuts) => {
          const patterns = [...new Set(words.map(fold))];
          const a = loadAutomaton(buildAutomaton(patterns));
          const ends = [...new Set(naive(patterns, text).map((h) => Number(h.split('-')[1])))].sort((x, y) => x - y);
          const stops: number[] = [];
          let state = 0;
          let from = 0;
          for (const to of [...new Set([...cuts.filter((c) => c < text.length), text.length])].sort((x, y) => x - y)) {
            while (from < to) {
              state = run(a, text, from, to, state);
              from = a.stopAt === to ? to : a.stopAt + 1;
              if (a.stopAt < to) stops.push(from);
            }
          }
          expect(stops).toEqual(ends);
        },
      ),
      { numRuns: 300 },
    );
  });

  const checkResult = (text: string, res: TextMatch[]) => {
    for (let i = 0; i < res.length; i++) {
      const r = res[i];
      expect(r.start).toBeGreaterThanOrEqual(0);
      expect(r.end).toBeLessThanOrEqual(text.length);
      expect(r.end).toBeGreaterThan(r.start);
      if (i > 0) expect(r.start).toBeGreaterThanOrEqual(res[i - 1].end);
    }
  };

  it('scan never throws; offsets are in bounds, ordered and non-overlapping', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => checkResult(text, matcher.scan(text))),
      { numRuns: 300 },
    );
    const pieces = fc.constantFrom('PubMedQA', 'MIE', ': ', ' ', '\n', '-', 'BioBERT', '医渡云结构化4K数据集', 'x', '(2020)', '1909.06146', 'W19-1912', '.');
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 40 }), (parts) => {
        const text = parts.join('');
        checkResult(text, matcher.scan(text, { supportedIds: new Set(['mie']) }));
      }),
    );
  });

  it('random case and width changes still find a name', () => {
    const names = ['PubMedQA', 'MedMentions', 'BioBERT', 'Medical Entity Linking using Triplet Network'];
    const vary = (s: string, bits: boolean[], wide: boolean[]) =>
      [...s]
        .map((ch, i) => {
          let c = bits[i % bits.length] ? ch.toUpperCase() : ch.toLowerCase();
          if (wide[i % wide.length] && c >= '!' && c <= '~') c = String.fromCharCode(c.charCodeAt(0) + 0xfee0);
          return c;
        })
        .join('');
    fc.assert(
      fc.property(fc.constantFrom(...names), fc.array(fc.boolean(), { minLength: 1 }), fc.array(fc.boolean(), { minLength: 1 }), (name, bits, wide) => {
        const res = matcher.scan(`(${vary(name, bits, wide)}).`);
        expect(res.length).toBe(1);
      }),
    );
  });
});

describe('dense rows built on first use', () => {
  const patterns = ['abc', 'abd', 'bcd', 'cab', 'ca', 'b.c', '医疗', 'aaaa'].map(fold);
  /** The states whose rows are built, in the order the rows lie: a built row's last cell holds ~state (the root's ~0), a slot not used yet 0. */
  const builtRows = (a: ReturnType<typeof loadAutomaton>) => {
    const W = rowWidth(a.denseMax);
    const out: number[] = [];
    for (let k = 0; k < a.rowCount; k++) {
      const v = a.deltaRows[k * W + a.denseMax + 2];
      if (v !== 0) out.push(~v);
    }
    return out;
  };
  const hitsOf = (a: ReturnType<typeof loadAutomaton>, text: string) => {
    const got: string[] = [];
    each(a, text, (s, e, p) => void got.push(`${s}-${e}-${p}`));
    return got;
  };

  it('a fresh load fills the root row only; a scan builds just the rows its text reaches', () => {
    const a = loadAutomaton(buildAutomaton(patterns));
    const W = rowWidth(a.denseMax);
    const y = (ch: string) => a.symOf[ch.charCodeAt(0)];
    /** The state a folded prefix leads to, along the trie's edges. */
    const stateOf = (prefix: string) =>
      [...prefix].reduce((s, ch) => {
        for (let e = a.firstEdge[s]; e < a.firstEdge[s + 1]; e++) if (a.edgeSym[e] === y(ch)) return e + 1;
        throw new Error(`no edge for ${ch}`);
      }, 0);
    expect(a.rowCount).toBe(a.firstEdge.length - 1); // a small trie: every state may have a row
    expect(a.deltaRows.subarray(W).every((v) => v === 0)).toBe(true);
    expect(a.deltaRows[y('a')]).toBeLessThan(0); // the root's cell for "a": edge-list form until used
    hitsOf(a, 'xx ab xx');
    // "a" and "ab", and the failure state of "ab", "b": built when "ab" was, before it. The rows
    // lie together in the order they were built, whatever the states' numbers.
    expect(builtRows(a)).toEqual(['', 'a', 'b', 'ab'].map(stateOf));
    expect(a.deltaRows.subarray(4 * W).every((v) => v === 0)).toBe(true);
    expect(W % 2).toBe(0); // even row offsets: the lowest bit is the output flag's
    // (`row` of a built state only returns its offset.)
    expect(a.deltaRows[y('a')]).toBe(W); // now in row form: a plain lookup
    expect(a.row(stateOf('a'))).toBe(W);
    expect(a.deltaRows[W + y('b')]).toBe(a.row(stateOf('ab')));
    expect(a.row(stateOf('ab'))).toBe(3 * W);
    // A step into a state that ends a name carries the output flag in the offset's free bit.
    hitsOf(a, 'ca');
    expect(builtRows(a)).toEqual(['', 'a', 'b', 'ab', 'c', 'ca'].map(stateOf));
    expect(a.deltaRows[4 * W + y('a')]).toBe(5 * W + 1);
  });

  it('the order in which texts build rows never changes what a scan finds', () => {
    const unit = fc.constantFrom('a', 'b', 'c', 'd', 'A', ' ', '-', '.', '医', '疗', 'x', '\n');
    fc.assert(
      fc.property(fc.array(fc.string({ unit, maxLength: 40 }), { minLength: 1, maxLength: 6 }), (texts) => {
        const forward = loadAutomaton(buildAutomaton(patterns));
        const backward = loadAutomaton(buildAutomaton(patterns));
        const fresh = texts.map((t) => hitsOf(loadAutomaton(buildAutomaton(patterns)), t));
        expect(texts.map((t) => hitsOf(forward, t))).toEqual(fresh);
        expect([...texts].reverse().map((t) => hitsOf(backward, t)).reverse()).toEqual(fresh);
        // Scanned again, with every row those texts need already built: the same.
        expect(texts.map((t) => hitsOf(forward, t))).toEqual(fresh);
      }),
      { numRuns: 300 },
    );
  });
});

describe('with the real catalog', () => {
  const catalog = realCatalog();
  it('recognises the catalog’s own titles and keeps generic words quiet', () => {
    const m = createMatcher(buildMatcherData(catalog));
    for (const e of catalog) {
      // Titles made of everyday words ("Chinese-medical-dialogue-data") need the page's support.
      const res = m.scan(`${e.title}\n`, { supportedIds: new Set([e.id]) });
      expect(res.map((h) => h.entryId), e.title).toEqual([e.id]);
    }
    const prose =
      'We fine-tune BERT on medical data. The mie and latte of the fed ed. Medical dialogue system and Chinese medical knowledge graph. ' +
      '中文医学知识图谱和中文医疗对话数据集很重要。Clinical BERT models.';
    expect(m.scan(prose)).toEqual([]);
    expect(m.byUrl('https://arxiv.org/abs/1909.06146')).toBe('pubmedqa');
    expect(m.byUrl('https://aclanthology.org/2020.emnlp-main.253/')).toBeDefined();
    expect(m.byUrl('https://github.com/CBLUEbenchmark/CBLUE')).toBe('cblue');
  });

  const real = createMatcher(buildMatcherData(catalog));
  const hitsReal = (text: string, supported?: string[]) => hits(text, supported, real);

  it('gives a name two entries list alike (neither as its title) to the one the page supports, else to the first', () => {
    const data = buildMatcherData(catalog) as ReturnType<typeof buildMatcherData> & { shared?: [number, string, number[]][] };
    const ids = data.entries as string[];
    expect(data.shared?.map(([o, name, others]) => [ids[o], name, others.map((e) => ids[e])])).toContainEqual(['clinicalbert-alsentzer', 'ClinicalBERT', ['clinicalbert-huang']]);
    const text = 'We present ClinicalBert, a model of clinical notes.';
    expect(hitsReal(text)).toEqual(['ClinicalBert→clinicalbert-alsentzer']);
    // On Huang's own page (arxiv.org/abs/1904.05342) its name is its own.
    expect(hitsReal(text, ['clinicalbert-huang'])).toEqual(['ClinicalBert→clinicalbert-huang']);
    expect(hitsReal(text, ['clinicalbert-alsentzer', 'clinicalbert-huang'])).toEqual(['ClinicalBert→clinicalbert-alsentzer']);
    // A name one entry holds as its title stays that entry's: MedDialog is the dataset, on its paper's page too.
    expect(hitsReal('The MedDialog dataset.', ['meddialog-paper'])).toEqual(['MedDialog→meddialog']);
  });

  it('reads an em or en dash without spaces as punctuation, not as a hyphen joining two words', () => {
    expect(hitsReal('We evaluate on three datasets—PubMedQA, cMedQA2 and CMeKG.')).toEqual(['PubMedQA→pubmedqa', 'cMedQA2→cmedqa2', 'CMeKG→cmekg']);
    expect(hitsReal('the strongest baseline—BioBERT—was')).toEqual(['BioBERT→biobert']);
    expect(hitsReal('a SciBERT–BioBERT comparison')).toEqual(['SciBERT→scibert', 'BioBERT→biobert']);
    // A real hyphen still joins: "non-PubMedQA" is one word.
    expect(hitsReal('non-PubMedQA and non‐PubMedQA')).toEqual([]);
  });

  it('keeps a three-character Chinese name quiet inside a longer word', () => {
    // 哈工大词林 is HIT's 同义词词林, another resource; 大词林 is in it by accident.
    expect(hitsReal('本文使用哈工大词林扩展版计算同义词，并扩大词林规模。')).toEqual([]);
    // Nor before a colon or a citation, the forms that let a short Latin name through.
    expect(hitsReal('- 哈工大词林：同义词词林扩展版')).toEqual([]);
    expect(hitsReal('我们使用哈工大词林 [3] 计算相似度。')).toEqual([]);
    expect(hitsReal('我们使用哈工大大词林和《大词林》的上位词。')).toEqual(['哈工大大词林→hit-dacilin', '《大词林》→hit-dacilin']);
    expect(hitsReal('大词林', ['hit-dacilin'])).toEqual(['大词林→hit-dacilin']);
  });

  it('keeps every published spelling of a name: "CHIP 2020" as well as "CHIP2020"', () => {
    expect(hitsReal('the CHIP 2020 shared tasks and CHIP2020')).toEqual(['CHIP 2020→chip-2020', 'CHIP2020→chip-2020']);
    expect(hitsReal('the Chinese BLUE benchmark')).toEqual(['Chinese BLUE→chineseblue']);
    // In everyday case, the phrase needs the page's support.
    expect(hitsReal('a chip 2020 model; chinese blue skies')).toEqual([]);
    expect(hitsReal('a chip 2020 model', ['chip-2020'])).toEqual(['chip 2020→chip-2020']);
  });

  it('does not take two everyday words for a one-word name: "Fed ED", "clinical ML embeddings"', () => {
    expect(hitsReal('the Fed ED visits and CMe KG')).toEqual([]);
    // A hyphen then a space on one line is two words too; only a hyphen at a line's end joins.
    expect(hitsReal('the Fed- ED visits, CMe- KG and Clinical- BERT')).toEqual([]);
    expect(hitsReal('ClinicalBERT (Clinical-\nBERT)')).toEqual(['ClinicalBERT→clinicalbert-alsentzer', 'Clinical-\nBERT→clinicalbert-alsentzer']);
    expect(hitsReal('We compare with FedED and Fed-ED.')).toEqual(['FedED→feded', 'Fed-ED→feded']);
    expect(hitsReal('We learn clinical ML embeddings from claims.')).toEqual([]);
    expect(hitsReal('see clinicalml embeddings', ['clinicalml-embeddings'])).toEqual(['clinicalml embeddings→clinicalml-embeddings']);
  });

  it('reads a long run of spaces inside a hit once: a hostile comment of a hyphen and 200,000 spaces scans at once', () => {
    // Each space of the run used to walk back over the run to its start: about 2·10¹⁰ steps here,
    // minutes on a page's main thread (a GitHub comment may hold 65,536 characters).
    expect(hitsReal(`Clinical-${' '.repeat(200_000)}BERT`)).toEqual([]);
    // Line breaks after the hyphen: a word hyphenated at a line's end, however many.
    expect(hitsReal(`Fed-${'\n'.repeat(200_000)} ED`).map((h) => h.split('→')[1])).toEqual(['feded']);
  });

  it('finds a catalog paper from a publisher’s link that goes on past its DOI, and from doi.org with a trailing slash', () => {
    // BioBERT's own link in the catalog: the DOI is 10.1093/bioinformatics/btz682, the rest is OUP's article number.
    expect(real.byUrl('https://academic.oup.com/bioinformatics/advance-article/doi/10.1093/bioinformatics/btz682/5566506')).toBe('biobert');
    expect(real.byUrl('https://doi.org/10.1093/bioinformatics/btz682/')).toBe('biobert');
    // Only a DOI the catalog knows is taken: a shorter one is never guessed into another entry.
    expect(real.byUrl('https://academic.oup.com/doi/10.1093/bioinformatics/other/5566506')).toBeUndefined();
  });

  it('finds a catalog paper from the Anthology’s older URL layouts', () => {
    expect(real.byUrl('https://www.aclweb.org/anthology/papers/D/D19/D19-1259/')).toBe('pubmedqa');
    expect(real.byUrl('https://www.aclweb.org/anthology/D/D19/D19-1259.pdf')).toBe('pubmedqa');
    expect(real.byUrl('http://anthology.aclweb.org/D/D19/D19-1259.pdf')).toBe('pubmedqa');
  });
});
