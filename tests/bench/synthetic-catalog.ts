/**
 * Deterministic synthetic catalogs for the search benchmark and scale tests.
 * Entries look like the real catalog (English paper titles with acronyms,
 * Chinese dataset and product names, bilingual summaries, arXiv/ACL/DOI/GitHub
 * IDs, the list's section headings) so n-gram postings and fuse.js work on
 * realistic text; a seeded PRNG makes every run build the same catalog.
 */
import type { Catalog, Entry, Kind, Section } from '../../utils/catalog/types';

/** mulberry32: tiny, fast, good enough to pick words; seeded so benches are repeatable. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SECTIONS: Section[] = [
  { zh: '评测及比赛更新', en: 'Evaluations and competitions' },
  { zh: '中文数据集', en: 'Chinese datasets' },
  { zh: '中文医学知识图谱', en: 'Chinese medical knowledge graphs' },
  { zh: '英文数据集', en: 'English datasets' },
  { zh: '相关论文', en: 'Related papers' },
  { zh: '中文医疗领域语料', en: 'Chinese medical corpora' },
  { zh: '医学embedding及预训练模型', en: 'Medical embeddings and pre-trained models' },
  { zh: '开源工具包', en: 'Open-source toolkits' },
  { zh: '工业级产品解决方案', en: 'Industry products and solutions' },
  { zh: 'blog分享', en: 'Blog posts' },
];
const PAPER_SUBS = [
  { zh: '医疗实体Linking（标准化）', en: 'Medical entity linking (normalisation)' },
  { zh: '电子病历相关文章', en: 'Electronic health records' },
  { zh: '医学关系抽取', en: 'Medical relation extraction' },
  { zh: '辅助诊断', en: 'Assisted diagnosis' },
];
const KIND_BY_SECTION: Kind[][] = [
  ['evaluation'],
  ['dataset', 'evaluation'],
  ['knowledge-graph'],
  ['dataset', 'corpus'],
  ['paper', 'paper', 'model'],
  ['corpus'],
  ['model'],
  ['tool'],
  ['product'],
  ['article'],
];

const PREFIX = ['Med', 'Bio', 'Clin', 'CMe', 'Health', 'Chi', 'Pub', 'EHR', 'Drug', 'Gene', 'Onco', 'Cardio', 'Neuro', 'Radi', 'Pharma', 'Derm', 'Path', 'Symp', 'Diag', 'Care'];
const SUFFIX = ['QA', 'BERT', 'NER', 'KG', 'Dial', 'Link', 'Net', 'GPT', 'RE', 'Sum', 'Bench', 'Corpus', 'Ment', 'Seg', 'Norm', 'Gen', 'Match', 'Trans'];
const ADJ = ['Large-scale', 'Multilingual', 'Chinese', 'Biomedical', 'Clinical', 'Weakly Supervised', 'Contrastive', 'Knowledge-enhanced', 'Few-shot', 'Cross-lingual', 'Hierarchical', 'Federated', 'Explainable'];
const NOUN = ['Dataset', 'Benchmark', 'Corpus', 'Framework', 'Model', 'Toolkit', 'Knowledge Graph', 'Language Model', 'Evaluation', 'Shared Task'];
const TASK = ['Entity Linking', 'Question Answering', 'Relation Extraction', 'Named Entity Recognition', 'Concept Normalization', 'Dialogue Generation', 'Text Classification', 'Report Summarization', 'Diagnosis Prediction', 'Adverse Drug Event Detection', 'Semantic Similarity', 'Coreference Resolution', 'Information Retrieval'];
const DOMAIN = ['Electronic Health Records', 'Social Media', 'Clinical Notes', 'Radiology Reports', 'Biomedical Literature', 'Online Health Communities', 'Chinese Medical Texts', 'Drug Labels', 'Patient Questions', 'Discharge Summaries'];
const ORG = ['瑞金', '协和', '华西', '湘雅', '平安', '阿里', '百度', '腾讯', '讯飞', '天池', '医渡云', '智源', '北大', '清华', '复旦', '浙大'];
const ZH_TOPIC = ['糖尿病', '肿瘤', '心血管', '电子病历', '医学影像', '药物', '中医', '儿科', '罕见病', '新冠肺炎', '临床试验', '病理', '检验报告', '手术记录'];
const ZH_TASK = ['问答', '对话', '实体识别', '关系抽取', '术语标准化', '结构化', '文本分类', '知识图谱', '阅读理解', '信息抽取', '相似句匹配', '摘要生成'];
const ZH_NOUN = ['数据集', '语料库', '评测', '挑战赛', '预训练模型', '知识库', '工具包', '平台', '基准'];
const EN_FILL = ['We release', 'The authors collect', 'This resource provides', 'Annotated by clinicians,', 'Built from hospital records,', 'Covering thousands of cases,', 'Designed for benchmarking,'];
const EN_OBJ = ['annotated mentions', 'question–answer pairs', 'doctor–patient dialogues', 'entity and relation labels', 'normalised concepts', 'structured fields', 'pre-trained weights', 'evaluation scripts'];
const ZH_FILL = ['该资源', '本数据集', '研究者', '该评测', '该模型', '作者团队'];
const ZH_VERB = ['提供了', '收集了', '标注了', '发布了', '整理了', '覆盖了'];
const ZH_OBJ = ['大量真实病历文本', '医患对话样本', '医学实体与关系标注', '标准化术语映射', '中文医学问答对', '临床检验报告', '多家医院的脱敏数据'];
const VENUES = ['ACL', 'EMNLP', 'NAACL', 'AAAI', 'BioNLP', 'CCL', 'CHIP', 'Bioinformatics', 'JAMIA', 'Nature Medicine'];
const ACL_VENUE = ['acl-main', 'emnlp-main', 'naacl-main', 'bionlp-1', 'findings-emnlp', 'coling-main'];
const COMMON_EN = ['model', 'clinical', 'Chinese', 'patients', 'hospital', 'benchmark', 'annotation', 'baseline', 'evaluation', 'medical', 'text', 'the', 'of', 'and', 'with'];
const SYL_ON = ['b', 'c', 'd', 'f', 'g', 'h', 'k', 'l', 'm', 'n', 'p', 'r', 's', 't', 'v', 'z', 'br', 'cl', 'tr', 'st'];
const SYL_V = ['a', 'e', 'i', 'o', 'u', 'ai', 'ou', 'ea'];
const SYL_OFF = ['n', 'r', 's', 'x', 'l', 'm', 'nd', 'rt'];
const ZH_CHARS = Array.from('安百保北本标病部参测查产长常成程处传床大代单导德点电调定动断对多儿发法方放分服复肝感高格工公功构关管光广国海合和河核华化环患黄回机基急疾集计记技剂家监检健江将胶结解金京经精静局科可口块康理力连联疗临灵流龙路律脉慢免苗民明模脑内能脓凝诺皮平普期气器前强桥清情区全人仁容瑞山善神肾生圣声湿石实市视手书术数双水顺思斯苏素酸泰体天通同统外微卫文问武西析系细先现像协心新信星形性胸学血循压牙研炎眼药液医仪遗益因英影应永用优语育元院云运杂早针诊证症支知脂质治智中肿重周住专状子综组');
const OWNERS = ['dmis-lab', 'allenai', 'cambridgeltl', 'alibaba-research', 'lancopku', 'GanjinZero', 'UCSD-AI4H', 'CBLUEbenchmark', 'zhangsheng93', 'Toyhom', 'med-nlp', 'thu-bioai'];

/**
 * `n` synthetic entries, identical for identical (n, seed). IDs are unique
 * (the index must treat them as keys); names and titles may collide the way
 * real ones do ("MedQA" twice in different years).
 */
export function syntheticCatalog(n: number, seed = 20261121): Catalog {
  const rnd = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  const sentence = (k: number, words: readonly string[]) => Array.from({ length: k }, () => pick(words)).join(' ');
  // Real catalogs have a long tail of rare words and names; without it every gram would list every entry.
  const pseudo = () => Array.from({ length: int(2, 3) }, () => pick(SYL_ON) + pick(SYL_V) + (rnd() < 0.4 ? pick(SYL_OFF) : '')).join('');
  const zhPseudo = () => Array.from({ length: int(2, 3) }, () => pick(ZH_CHARS)).join('');
  const rareEn = Array.from({ length: 4000 }, pseudo);
  const rareZh = Array.from({ length: 3000 }, zhPseudo);
  const cap = (w: string) => w[0].toUpperCase() + w.slice(1);
  const out: Entry[] = [];
  for (let i = 0; i < n; i++) {
    const s = int(0, SECTIONS.length - 1);
    const section: Section = s === 4 && rnd() < 0.7 ? { ...SECTIONS[s], sub: pick(PAPER_SUBS) } : SECTIONS[s];
    const kind = pick(KIND_BY_SECTION[s]);
    const chineseFirst = [1, 2, 5, 8, 9].includes(s) && rnd() < 0.7;
    const acronym =
      rnd() < 0.5
        ? `${pick(PREFIX)}${pick(SUFFIX)}${rnd() < 0.3 ? `-${int(2, 12)}` : ''}`
        : `${cap(pick(rareEn))}${rnd() < 0.5 ? pick(SUFFIX) : ''}`;
    const zhName = `${rnd() < 0.5 ? pick(ORG) : pick(rareZh)}${pick(ZH_TOPIC)}${pick(ZH_TASK)}${pick(ZH_NOUN)}`;
    const enTitle = `${acronym}: A ${pick(ADJ)} ${pick(NOUN)} for ${rnd() < 0.5 ? `${cap(pick(rareEn))} ` : ''}${pick(TASK)} in ${pick(DOMAIN)}`;
    const year = int(2015, 2026);
    const title = chineseFirst ? zhName : enTitle;
    const names = chineseFirst
      ? [acronym, ...(rnd() < 0.3 ? [`${acronym} ${pick(ZH_NOUN)}`] : [])]
      : [acronym, ...(rnd() < 0.6 ? [zhName] : []), ...(rnd() < 0.2 ? [acronym.toLowerCase().replace(/(bert)$/, '-$1')] : [])];
    const ids = { arxiv: [] as string[], acl: [] as string[], doi: [] as string[], github: [] as string[] };
    const yy = String(year % 100).padStart(2, '0');
    if (kind === 'paper' || kind === 'model' || rnd() < 0.4) ids.arxiv.push(`${yy}${String(int(1, 12)).padStart(2, '0')}.${String(i).padStart(5, '0')}`);
    if (rnd() < 0.35) ids.acl.push(`${year}.${pick(ACL_VENUE)}.${i}`);
    if (rnd() < 0.2) ids.doi.push(`10.${int(1000, 9999)}/syn.${year}.${i}`);
    if (rnd() < 0.45) ids.github.push(`${pick(OWNERS)}/${acronym}-${i}`);
    out.push({
      id: `syn-${i}-${acronym.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`,
      kind,
      title,
      names,
      sections: [section],
      summary: {
        en: `${pick(EN_FILL)} ${int(2, 900)}k ${pick(EN_OBJ)} for ${pick(TASK).toLowerCase()} on ${pick(DOMAIN).toLowerCase()}. ${sentence(int(6, 14), [...COMMON_EN, pick(rareEn), pick(rareEn)])}.`,
        zh: `${pick(ZH_FILL)}${pick(ZH_VERB)}${pick(ZH_OBJ)}，用于${pick(ZH_TOPIC)}${pick(ZH_TASK)}研究；${pick(rareZh)}${pick(ZH_VERB)}${pick(ZH_OBJ)}。`,
      },
      year,
      venue: rnd() < 0.6 ? `${pick(VENUES)} ${year}` : undefined,
      links: [{ url: `https://example.org/r/${i}`, type: 'homepage' }],
      ids,
      related: [],
    });
  }
  return out;
}
