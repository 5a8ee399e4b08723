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
