/**
 * Build step: catalog → {@link MatcherData}, the compact JSON the content script ships.
 * It decides WHICH strings are names and how cautious the engine must be with each;
 * `engine.ts` decides HOW to find them.
 */
import type { Catalog, EntryIds } from '../catalog/types';
import type { MatcherData } from './types';
import { CLASS, C_WORD, fold, isCjkCode } from './normalize';
import { idKey } from './ids';
import { F_CASE, F_GUARD, F_PROSE, F_TIGHT, F_WHOLE } from './flags';

export { F_CASE, F_GUARD, F_PROSE, F_TIGHT, F_WHOLE, decodeName } from './flags';

/** The serialised shape (what `MatcherData` holds besides `version` and `entries`). */
export interface MatcherTables extends MatcherData {
  /**
   * Names per entry (same index as `entries`). Each string is one base-32 digit of flags
   * (F_WHOLE | F_GUARD | F_CASE | F_TIGHT | F_PROSE) followed by the name as published.
   */
  names: string[][];
  /** ID tables: normalised, lower-cased ID → entry index. */
  ids: Record<keyof EntryIds, Record<string, number>>;
  /**
   * Names two entries list alike, neither as its title ("ClinicalBERT", two models): the
   * owner's entry index, the name as the owner spells it, and the other entries that list it.
   * A page that supports one of those gets its mentions (see runtime.ts).
   */
  shared?: [number, string, number[]][];
}

/**
 * Strings that are never names on their own, whatever the catalog lists: general model
 * names and words that every medical-NLP page uses ("BERT" is not a catalog entry; a
 * page full of "BERT" must stay quiet).
 */
export const NEVER_NAMES = new Set(
  [
    'bert', 'bio', 'gpt', 'elmo', 'word2vec', 'glove', 'transformer', 'medical', 'clinical', 'biomedical',
    'health', 'medicine', 'dataset', 'datasets', 'corpus', 'model', 'models', 'nlp', 'ai', 'emr', 'ehr', 'kg',
    'qa', 'ner', 'github', 'arxiv', 'paper', 'code', 'data', 'chinese', 'english', 'blog', 'tianchi', 'baidu',
    'aliyun', 'alibaba', 'pubmed', 'mimic', 'umls', 'wiki', 'embedding', 'embeddings',
    '数据集', '医疗', '医学', '中文', '论文', '知识图谱', '模型', '语料', '预训练模型', '医疗数据集', '医学数据集',
  ].map((s) => fold(s)),
);

/**
 * Ordinary words (English and the Romance languages the web is full of) that are also
 * resource names: such names are guarded like short ones. Short names (≤ 5 letters)
 * are guarded anyway, so this list only needs longer words.
 */
export const COMMON_WORDS = new Set(
  [
    'cometa', 'comet', 'mufasa', 'dialog', 'dialogue', 'clinic', 'doctor', 'nurse', 'patient',
    'pretrained', 'scientific', 'triplet', 'network', 'megatron', 'genius', 'bridge', 'anchor',
    'lattice', 'medley', 'ensemble', 'compass', 'phoenix', 'harmony', 'insight', 'beacon',
  ].map((s) => fold(s)),
);

/**
 * Everyday words of this field's prose. A Latin name of up to four words made only of
 * these (or of numbers), such as "medical-data", "Chinese BLUE", "CHIP 2020" or
 * "Chinese Medical Knowledge Graph", is
 * guarded like a short name: on its own it is a phrase, not a reference.
 */
export const PROSE_WORDS = new Set(
  (
    'a an the of for and in on with to by from via using based towards toward new large small open free ' +
    'medical medicine clinical biomedical health healthcare hospital disease diseases patient patients doctor ' +
    'chinese english multilingual cross lingual language languages text texts data dataset datasets corpus corpora ' +
    'model models system systems network networks knowledge graph graphs base bank question questions answer answers ' +
    'answering dialogue dialogues dialog conversation conversations entity entities relation relations extraction ' +
    'linking recognition normalization classification information retrieval search embedding embeddings vector vectors ' +
    'pretrained pre trained training learning deep neural machine reading comprehension benchmark benchmarks evaluation ' +
    'task tasks shared challenge competition contest blue red green chip chips record records electronic library ' +
    'tool tools toolkit kit list awesome resource resources collection public research science scientific domain'
  )
    .split(/\s+/)
    .map((s) => fold(s)),
);

/**
 * Generic Chinese terms. A CJK name that is nothing but these ("中文医学知识图谱",
 * "中文医疗对话数据集", "医学教材培训考试") describes a kind of resource rather than naming
 * one, so it is guarded.
 */
export const CJK_GENERIC_TERMS = [
  '中文', '英文', '中国', '医学', '医疗', '临床', '生物', '健康', '疾病', '智能', '知识图谱', '知识', '图谱', '数据集合',
  '数据集', '数据', '语料库', '语料', '问答', '问句', '对话', '医患', '诊疗', '诊断', '评测任务', '评测', '比赛', '大赛',
  '挑战赛', '竞赛', '任务', '标准', '集合', '模型', '预训练', '迁移学习', '学习', '实体', '关系', '识别', '抽取', '匹配',
  '文本', '结构化', '自然语言处理', '教材', '培训', '考试', '开源', '各项', '相关', '海量', '及', '和', '与', '的',
];

/** Letters and digits in a name (what "short" counts). */
function alnumCount(name: string): number {
  let n = 0;
  for (let i = 0; i < name.length; i++) if (CLASS[name.charCodeAt(i)] & C_WORD) n++;
  return n;
}

function isCjkName(name: string): boolean {
  for (let i = 0; i < name.length; i++) if (isCjkCode(name.charCodeAt(i))) return true;
  return false;
}

/** True if a CJK name consists only of {@link CJK_GENERIC_TERMS} (and separators, digits, punctuation). */
export function isGenericCjk(name: string): boolean {
  let rest = name;
  // Longest terms first so "知识图谱" is removed before "知识".
  for (const t of [...CJK_GENERIC_TERMS].sort((a, b) => b.length - a.length)) rest = rest.split(t).join('');
  for (let i = 0; i < rest.length; i++) if ((isCjkCode(rest.charCodeAt(i)) || CLASS[rest.charCodeAt(i)] & C_WORD) && !/[0-9]/.test(rest[i])) return false;
  return true;
}

/** Case that no ordinary word has: a capital after a small letter (FedED, BioBERT, CMeKG) or a small-then-capital start (cMedQA2). */
export function hasDistinctiveCase(name: string): boolean {
  return /[a-z][A-Z]/.test(name) || /^[a-z]+[A-Z]/.test(name);
}

/** Abbreviations of the field that prose writes as words of their own ("clinical ML", "medical QA"). */
const FIELD_ABBREVIATIONS = ['ml', 'ai', 'dl', 'kg', 'qa', 'ie', 'lm', 'nlp', 'nlu', 'ner', 'emr', 'ehr'];

/**
 * A lower-case word that is an everyday word run together with a field abbreviation ("clinicalml" =
 * clinical + ml): folded text drops spaces, so prose that writes the two apart reads as it.
 */
function gluedProse(word: string): boolean {
  return /^[a-z]+$/.test(word) && FIELD_ABBREVIATIONS.some((a) => word.endsWith(a) && PROSE_WORDS.has(word.slice(0, -a.length)));
}

/** Words in a Latin name, separators being whitespace, hyphens and underscores. */
function words(name: string): string[] {
  return name.split(/[\s\u2010-\u2015_-]+/).filter((w) => /[\p{L}\p{N}]/u.test(w));
}

/**
 * Flags of one name, or null if the name must not be used.
 * - CJK names (any CJK character): used when they fold to ≥ 3 characters; {@link F_GUARD} | {@link F_PROSE}
 *   when made only of generic terms ({@link isGenericCjk}), and also at exactly 3 characters, since a
 *   three-character name is easily part of a longer word ("大词林" in "哈工大词林", even before a colon or
 *   a citation). Boundaries apply only to a Latin first/last character.
 * - Latin names: dropped if in {@link NEVER_NAMES} or with fewer than 3 letters/digits.
 *   ≥ 3 words → {@link F_WHOLE}. One or two words with ≤ 5 letters/digits, a {@link COMMON_WORDS} word,
 *   → {@link F_GUARD}; up to four words that are all {@link PROSE_WORDS}/numbers → {@link F_GUARD} | {@link F_PROSE}.
 *   A one-token name whose first camel-case hump is a prose word ("ClinicalBERT"), or a guarded one with
 *   distinctive case ("FedED": "Fed ED" is two words) → {@link F_TIGHT}. A name of several words, one of
 *   them an everyday word run together with a field abbreviation ("clinicalml embeddings") → {@link F_GUARD}.
 *   Distinctive case, or an all-capital spelling of
 *   ≥ 6 letters of a common word ("COMETA", "MUFASA"), → {@link F_CASE} (that exact spelling is distinctive).
 */
export function nameFlags(name: string): number | null {
  const f = fold(name);
  if (NEVER_NAMES.has(f) || NEVER_NAMES.has(f.replace(/s$/, ''))) return null;
  if (isCjkName(name)) return f.length < 3 ? null : isGenericCjk(name) || f.length === 3 ? F_GUARD | F_PROSE : 0;
  const n = alnumCount(name);
  if (n < 3) return null;
  const w = words(name);
  let flags = 0;
  if (w.length >= 3) flags |= F_WHOLE;
  const prose = w.every((x) => PROSE_WORDS.has(fold(x)) || /^\d+$/.test(x));
  if (w.length <= 2 && (n <= 5 || COMMON_WORDS.has(f))) flags |= F_GUARD;
  if (prose && w.length <= 4) flags |= F_GUARD | F_PROSE;
  if (hasDistinctiveCase(name)) flags |= F_CASE;
  else if (COMMON_WORDS.has(f) && n >= 6 && name === name.toUpperCase()) flags |= F_CASE;
  if (w.length === 1) {
    // Camel-case humps: "ClinicalBERT" → Clinical, BERT.
    const humps = name.match(/[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+/g) ?? [];
    if ((humps.length >= 2 && PROSE_WORDS.has(fold(humps[0] ?? ''))) || (flags & F_GUARD && flags & F_CASE) || gluedProse(name)) flags |= F_TIGHT;
  } else if (w.some(gluedProse)) flags |= F_GUARD;
  return flags;
}

/**
 * Title variants derived from a title: the title itself, without a trailing full stop,
 * and its head before a colon when that head is a single short token
 * ("MIE: A Medical Information Extractor…" → "MIE", "PubMedQA: A Dataset…" → "PubMedQA").
 */
export function titleVariants(title: string): string[] {
  const t = title.trim().replace(/[.。]$/, '');
  const out = [t];
  const colon = /^([^:：]{2,40})\s*[:：]\s*\S/.exec(t);
  if (colon) {
    const head = colon[1].trim();
    if (words(head).length === 1) out.push(head);
  }
  return out;
}

/**
 * Compiles the catalog into matcher data. Every title (with its variants) and every
 * name of every entry is considered; two entries never share a folded name: the entry
 * whose TITLE it is wins, otherwise the earlier entry (catalog order), so the result is
 * deterministic.
 */
export function buildMatcherData(catalog: Catalog): MatcherTables {
  const owner = new Map<string, { entry: number; title: boolean }>();
  const candidates: Array<{ entry: number; name: string; title: boolean }> = [];
  catalog.forEach((e, i) => {
    const variants = titleVariants(e.title ?? '');
    for (const v of variants) candidates.push({ entry: i, name: v, title: v === variants[0] });
    for (const n of e.names ?? []) candidates.push({ entry: i, name: n.trim(), title: false });
  });
  for (const c of candidates) {
    const f = fold(c.name);
    if (!f) continue;
    const prev = owner.get(f);
    if (!prev || (c.title && !prev.title)) owner.set(f, { entry: c.entry, title: c.title });
  }

  // One pattern per folded name, spelled as first listed. Spellings that differ only in separators
  // ("CHIP2020", "CHIP 2020") share it: if one of them has a space inside, a hit with spaces is no
  // longer refused (F_TIGHT), and the exact published case is asked for instead, unless the page
  // supports the entry ("chip 2020" alone is a phrase).
  const spaced = new Set<string>();
  for (const c of candidates) if (/\s/.test(c.name.trim())) spaced.add(`${c.entry} ${fold(c.name)}`);
  const names: string[][] = catalog.map(() => []);
  const emitted = new Set<string>();
  for (const c of candidates) {
    const f = fold(c.name);
    if (!f || emitted.has(f) || owner.get(f)?.entry !== c.entry) continue;
    let flags = nameFlags(c.name);
    if (flags === null) continue;
    if (flags & F_TIGHT && spaced.has(`${c.entry} ${f}`)) flags = (flags & ~F_TIGHT) | F_GUARD | F_CASE;
    emitted.add(f);
    names[c.entry].push(flags.toString(32) + c.name);
  }

  // A name no entry holds as its title, listed by more than one: the others, by the owner's spelling.
  const others = new Map<string, number[]>();
  for (const c of candidates) {
    const f = fold(c.name);
    const o = owner.get(f);
    if (!f || !o || o.title || o.entry === c.entry) continue;
    const list = others.get(f) ?? [];
    if (!list.includes(c.entry)) others.set(f, [...list, c.entry]);
  }
  const shared: [number, string, number[]][] = [];
  for (const [f, list] of others) {
    const o = owner.get(f)!;
    const spelled = names[o.entry].find((n) => fold(n.slice(1)) === f);
    if (spelled) shared.push([o.entry, spelled.slice(1), list]);
  }

  const ids: MatcherTables['ids'] = { arxiv: {}, acl: {}, doi: {}, github: {} };
  catalog.forEach((e, i) => {
    for (const kind of ['arxiv', 'acl', 'doi', 'github'] as const) {
      for (const raw of e.ids?.[kind] ?? []) {
        const k = idKey(kind, raw);
        if (k && !(k in ids[kind])) ids[kind][k] = i;
        // arXiv gives every paper a DOI of its own, which reference lists and BibTeX cite.
        if (k && kind === 'arxiv' && !(`10.48550/arxiv.${k}` in ids.doi)) ids.doi[`10.48550/arxiv.${k}`] = i;
      }
    }
  });

  return { version: 1, entries: catalog.map((e) => e.id), names, ids, ...(shared.length ? { shared } : {}) };
}
