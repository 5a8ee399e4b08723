import { describe, expect, it } from 'vitest';
import { F_CASE, F_GUARD, F_PROSE, F_TIGHT, F_WHOLE, buildMatcherData, decodeName, nameFlags, titleVariants } from '../../../utils/matcher/build';
import { SMALL_CATALOG, realCatalog } from './fixtures';

describe('name flags', () => {
  it.each([
    ['MIE', F_GUARD],
    ['LATTE', F_GUARD],
    ['BEHRT', F_GUARD],
    ['FedED', F_GUARD | F_CASE | F_TIGHT],
    ['CMeKG', F_GUARD | F_CASE | F_TIGHT],
    ['COMETA', F_GUARD | F_CASE | F_TIGHT],
    ['cometa', F_GUARD],
    ['PubMedQA', F_CASE],
    ['cMedQA2', F_CASE],
    ['PKUSEG', 0],
    ['ClinicalBERT', F_CASE | F_TIGHT],
    ['medical-data', F_GUARD | F_PROSE],
    ['Medical-Dialogue-System', F_WHOLE | F_GUARD | F_PROSE],
    ['Medical Entity Linking using Triplet Network', F_WHOLE],
    ['瑞金医院糖尿病数据集', 0],
    ['中文医学知识图谱', F_GUARD | F_PROSE],
    ['大词林', F_GUARD | F_PROSE],
    ['左手医生', 0],
    ['clinicalml embeddings', F_GUARD],
    ['medicalqa', F_TIGHT],
    ['without answers', 0],
  ])('%s', (name, flags) => {
    expect(nameFlags(name)).toBe(flags);
  });

  it('drops general names and too-short names', () => {
    expect(nameFlags('BERT')).toBeNull();
    expect(nameFlags('bert')).toBeNull();
    expect(nameFlags('Medical')).toBeNull();
    expect(nameFlags('数据集')).toBeNull();
    expect(nameFlags('QA')).toBeNull();
    expect(nameFlags('医学')).toBeNull();
  });

  it('derives title variants: trailing full stop, single-token head before a colon', () => {
    expect(titleVariants('MIE: A Medical Information Extractor towards Medical Dialogues')).toEqual([
      'MIE: A Medical Information Extractor towards Medical Dialogues',
      'MIE',
    ]);
    expect(titleVariants('Biomedical Event Extraction as Sequence Labeling.')).toEqual(['Biomedical Event Extraction as Sequence Labeling']);
    expect(titleVariants('Can Embeddings Adequately Represent Medical Terminology? New: X')).toHaveLength(1);
  });
});

describe('buildMatcherData', () => {
  it('is JSON, deterministic, and keeps IDs case-insensitive', () => {
    const a = buildMatcherData(SMALL_CATALOG);
    expect(JSON.parse(JSON.stringify(a))).toEqual(a);
    expect(buildMatcherData(SMALL_CATALOG)).toEqual(a);
    expect(a.version).toBe(1);
    expect(a.entries).toEqual(SMALL_CATALOG.map((e) => e.id));
    expect(a.ids.github['cbluebenchmark/cblue']).toBe(2);
    expect(a.ids.acl['2020.emnlp-main.253']).toBe(1);
    expect(a.ids.acl['d19-1259']).toBe(0);
    const biobert = a.names[a.entries.indexOf('biobert')].map((s) => decodeName(s).name);
    expect(biobert).toContain('BioBERT');
    expect(biobert).not.toContain('BERT');
    expect(biobert).not.toContain('Bio-bert'); // same folded string as BioBERT
  });

  it('gives a shared name to the entry whose title it is', () => {
    const cat = [
      { ...SMALL_CATALOG[1], id: 'cometa-dataset', title: 'COMETA', names: [] },
      { ...SMALL_CATALOG[1], id: 'cometa-paper', title: 'COMETA: A Corpus for Medical Entity Linking in the Social Media', names: ['COMETA'] },
    ];
    const d = buildMatcherData(cat);
    expect(d.names[0].map((s) => decodeName(s).name)).toEqual(['COMETA']);
    expect(d.names[1].map((s) => decodeName(s).name)).toEqual(['COMETA: A Corpus for Medical Entity Linking in the Social Media']);
  });

  it('keeps spellings that differ only in spaces as one name, which then asks for its exact case', () => {
    const cat = [{ ...SMALL_CATALOG[1], id: 'chip', title: 'CHIP2020', names: ['CHIP 2020'] }];
    expect(buildMatcherData(cat).names[0].map(decodeName)).toEqual([{ flags: F_GUARD | F_CASE, name: 'CHIP2020' }]);
    expect(buildMatcherData([{ ...cat[0], names: [] }]).names[0].map(decodeName)).toEqual([{ flags: F_TIGHT, name: 'CHIP2020' }]);
  });

  const real = realCatalog();
  it('stays small for the real catalog (< 15 KB)', () => {
    const size = JSON.stringify(buildMatcherData(real)).length;
    expect(size).toBeLessThan(15 * 1024);
  });
});
