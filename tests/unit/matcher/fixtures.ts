/**
 * A small inline catalog shaped like the real one (same names, IDs and pitfalls), so the
 * engine's tests do not depend on data/catalog.json being complete.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Catalog, Entry, EntryIds } from '../../../utils/catalog/types';

function entry(id: string, title: string, names: string[], ids: Partial<EntryIds> = {}): Entry {
  return {
    id,
    kind: 'paper',
    title,
    names,
    sections: [{ zh: '相关论文', en: 'Papers' }],
    summary: { zh: '测试', en: 'test' },
    links: [],
    ids: { arxiv: [], acl: [], doi: [], github: [], ...ids },
    related: [],
  };
}

export const SMALL_CATALOG: Catalog = [
  entry('pubmedqa', 'PubMedQA: A Dataset for Biomedical Research Question Answering', ['PubMedQA'], {
    arxiv: ['1909.06146'],
    acl: ['D19-1259'],
  }),
  entry('cometa', 'COMETA: A Corpus for Medical Entity Linking in the Social Media', ['COMETA'], {
    arxiv: ['2010.03295'],
    acl: ['2020.emnlp-main.253'],
    github: ['cambridgeltl/cometa'],
  }),
  entry('cblue', '中文医疗信息处理挑战榜CBLUE', ['CBLUE', 'Chinese Biomedical Language Understanding Evaluation'], {
    arxiv: ['2106.08087'],
    acl: ['2022.acl-long.544'],
    github: ['CBLUEbenchmark/CBLUE'],
  }),
  entry('yidu-s4k', 'Yidu-S4K：医渡云结构化4K数据集', ['Yidu-S4K', '医渡云结构化4K数据集']),
  entry('ruijin-diabetes', '瑞金医院糖尿病数据集', ['瑞金医院糖尿病数据集']),
  entry('cmekg', 'CMeKG', ['CMeKG', '中文医学知识图谱CMeKG']),
  entry('cmedqa2', '中文医学问答数据集', ['cMedQA2'], { github: ['zhangsheng93/cMedQA2'] }),
  entry('biobert', 'BioBERT: a pre-trained biomedical language representation model for biomedical text mining', ['BioBERT', 'Bio-bert', 'BERT'], {
    doi: ['10.1093/bioinformatics/btz682'],
    github: ['dmis-lab/biobert'],
  }),
  entry('mie', 'MIE: A Medical Information Extractor towards Medical Dialogues', ['MIE'], { acl: ['2020.acl-main.576'] }),
  entry('latte', 'LATTE: Latent Type Modeling for Biomedical Entity Linking', ['LATTE'], { arxiv: ['1911.09787'] }),
  entry('feded', 'FedED: Federated Learning via Ensemble Distillation for Medical Relation Extraction', ['FedED'], {
    acl: ['2020.emnlp-main.165'],
  }),
  entry('behrt', 'BEHRT: Transformer for Electronic Health Records', ['BEHRT'], { arxiv: ['1907.09538'] }),
  entry('medical-entity-linking-triplet', 'Medical Entity Linking using Triplet Network', [], { acl: ['W19-1912'] }),
  entry('clinicalbert-alsentzer', 'Publicly Available Clinical BERT Embeddings', ['ClinicalBERT', 'clinical-bert'], {
    acl: ['W19-1909'],
    github: ['EmilyAlsentzer/clinicalBERT'],
  }),
  entry('medmentions', 'MedMentions: A Large Biomedical Corpus Annotated with UMLS Concepts', ['MedMentions'], {
    arxiv: ['1902.09476'],
    github: ['chanzuckerberg/MedMentions'],
  }),
  entry('nature-review', 'A guide to deep learning in healthcare', ['nature medicine发表的综述'], {
    doi: ['10.1038/s41591-018-0316-z'],
  }),
  entry('lingyi', '灵医智慧', ['灵医智慧']),
];

/**
 * The bundled catalog (data/catalog.json). Throws, naming the file, when it is missing or does
 * not look complete, so the tests that need it fail instead of passing on nothing.
 */
export function realCatalog(): Catalog {
  const file = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../data/catalog.json');
  const data = JSON.parse(fs.readFileSync(file, 'utf8')) as Catalog;
  if (!Array.isArray(data) || data.length < 20 || !data.every((e) => e && e.id && e.title && e.ids))
    throw new Error(`${file} is not a complete catalog (run npm run gen)`);
  return data;
}
