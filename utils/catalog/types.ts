/**
 * The catalog's data model. `data/catalog.json` is an array of {@link Entry};
 * `utils/catalog/schema.ts` validates it and is the source of truth for the rules
 * (slug shape, allowed kinds, http(s) links).
 */

export const KINDS = [
  'dataset',
  'evaluation',
  'paper',
  'knowledge-graph',
  'corpus',
  'model',
  'tool',
  'product',
  'article',
  'resource-list',
] as const;
export type Kind = (typeof KINDS)[number];

export const LINK_TYPES = [
  'paper',
  'code',
  'dataset',
  'homepage',
  'download',
  'article',
  'competition',
  'model',
] as const;
export type LinkType = (typeof LINK_TYPES)[number];

/**
 * The list's top-level headings in list order, each with the one English label we use for it.
 * The schema holds every entry's section to this table so the same heading never gets two labels.
 */
export const TOP_SECTIONS = [
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
  { zh: '友情链接', en: 'Related lists and links' },
] as const;

/** A place in the resource list: its top-level heading and, where it has one, the sub-heading. */
export interface Section {
  /** The heading as the list writes it, e.g. "中文数据集". */
  zh: string;
  /** Our English label for it, e.g. "Chinese datasets". */
  en: string;
  sub?: { zh: string; en: string };
}

export interface Link {
  url: string;
  type: LinkType;
  /** Short human label ("Tianchi", "Baidu Pan", "ACL Anthology"). */
  label?: string;
  /** Extraction code of a Baidu-pan style download (提取码). */
  extractionCode?: string;
}

export interface EntryIds {
  arxiv: string[];
  /** ACL Anthology IDs, old ("D19-1492") or new ("2020.emnlp-main.253") style. */
  acl: string[];
  doi: string[];
  /** GitHub "owner/repo", as GitHub spells it. */
  github: string[];
}

export interface Entry {
  /** Stable kebab-case slug; never reused. */
  id: string;
  kind: Kind;
  /** The name as published. */
  title: string;
  /** Other names people write on pages: short names, aliases, Chinese names, title variants. */
  names: string[];
  /**
   * Other words people search for the entry by that pages do not write as its name: the
   * topic's name in another language or in full ("COVID-19", "新型冠状病毒肺炎" for a
   * contest on 新冠肺炎 questions). The popup's search finds the entry by them; the
   * annotator does not mark them and the detail view does not list them.
   */
  aliases?: string[];
  sections: Section[];
  /** Our own one or two sentences, never the list's or the paper's wording. */
  summary: { zh: string; en: string };
  year?: number;
  venue?: string;
  links: Link[];
  ids: EntryIds;
  /** Ids of entries that belong together (paper ↔ dataset, model ↔ benchmark). */
  related: string[];
}

export type Catalog = Entry[];
