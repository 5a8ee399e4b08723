/**
 * Build-time half of the popup search: turns the catalog into a prebuilt,
 * JSON-serialisable {@link SearchIndex}. Runs in Node (scripts/gen-data.ts),
 * so it may use pinyin-pro; the popup only ever sees the resulting data.
 */
import { pinyin } from 'pinyin-pro';
import { KINDS, type Catalog, type Entry } from '../catalog/types';
import type { SearchIndex } from './types';
import {
  AT_NAME_START,
  EXACT_ID,
  EXACT_NAME,
  EXACT_PINYIN,
  EXACT_TITLE,
  IN_NAME,
  IN_TEXT,
  NEAR_MAX_KEY,
  NEAR_MIN_KEY,
  type DocTuple,
  type IndexData,
} from './format';
import {
  WORD_START,
  acronymsOf,
  compact,
  encodeAscending,
  fold,
  indexGrams,
  isHanCode,
  normalizeQuery,
  pinyinKeys,
  runs,
} from './text';

const HAN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/;

/**
 * Per-unit syllables of a field (see DocTuple.pinyin): Chinese characters get
 * toneless pinyin (ü as "v", as people type it), the first unit of a Latin or
 * digit run gets the whole folded run, everything else ''.
 */
export function pinyinSyllables(field: string): string {
  if (!HAN.test(field)) return '';
  const folded = fold(field);
  const out: string[] = new Array(field.length).fill('');
  for (const run of runs(folded)) if (!run.han) out[run.start] = run.text;
  // pinyin-pro returns one item per code point, in context (so 行业 reads hang ye).
  const perPoint = pinyin(field, { toneType: 'none', type: 'array', v: true });
  let unit = 0;
  for (const point of Array.from(field)) {
    const syl = perPoint.shift() ?? '';
    if (point.length === 1 && isHanCode(point.charCodeAt(0)) && /^[a-z]+$/.test(syl)) out[unit] = syl;
    unit += point.length;
  }
  return out.join(' ');
}

/** Every ID of an entry in the form people paste it, plus common prefixed forms for the exact table. */
function idForms(entry: Entry): { display: string[]; exact: string[] } {
  const ids = entry.ids ?? { arxiv: [], acl: [], doi: [], github: [] };
  const display = [...(ids.arxiv ?? []), ...(ids.acl ?? []), ...(ids.doi ?? []), ...(ids.github ?? [])];
  const exact = [...display];
  for (const a of ids.arxiv ?? []) exact.push(`arxiv:${a}`, `arxiv ${a}`);
  for (const d of ids.doi ?? []) exact.push(`doi:${d}`);
  return { display, exact };
}

/** The short name before a subtitle ("PubMedQA: A Dataset for …" → "PubMedQA"), if there is one. */
function shortName(title: string): string | undefined {
  const m = /^(.{2,60}?)\s*[:：]\s*\S/.exec(title);
  return m ? m[1] : undefined;
}

/** Build-time options of {@link buildSearchIndex}. */
export interface BuildOptions {
  /**
   * The simplified form of one traditional character, or undefined when it has
   * none of its own (scripts/gen-data.ts passes OpenCC's, see ./traditional.ts).
   * Without it the index carries no traditional-character table.
   */
  simplify?: (ch: string) => string | undefined;
}

/** Unicode ranges of {@link isHanCode}, for walking every Han character once. */
const HAN_RANGES: [number, number][] = [
  [0x3400, 0x4dbf],
  [0x4e00, 0x9fff],
  [0xf900, 0xfaff],
];

/**
 * The query-folding table: each traditional character (one unit) whose
 * simplified form (one unit) occurs in the catalog's searchable text. A
 * character the catalog itself uses is never mapped away, so folding a query
 * through the table cannot lose a match. Sorted by code unit: deterministic.
 */
function traditionalTable(used: ReadonlySet<string>, simplify: (ch: string) => string | undefined): [string, string] | undefined {
  let from = '';
  let to = '';
  for (const [lo, hi] of HAN_RANGES) {
    for (let c = lo; c <= hi; c++) {
      const ch = String.fromCharCode(c);
      if (used.has(ch)) continue;
      const s = simplify(ch);
      if (!s || s.length !== 1 || s === ch || !used.has(s)) continue;
      from += ch;
      to += s;
    }
  }
  return from ? [from, to] : undefined;
}

/** The title's short name and the names, folded and compacted, that one-typo matching compares queries with. */
function nearKeys(title: string, names: string[]): string[] {
  const short = shortName(title);
  const out = new Set<string>();
  for (const n of [title, ...(short ? [short] : []), ...names]) {
    const c = compact(fold(n));
    if (c.length >= NEAR_MIN_KEY && c.length <= NEAR_MAX_KEY && /^[a-z0-9]+$/.test(c) && /[a-z]/.test(c)) out.add(c);
  }
  return [...out];
}

/** Builds the prebuilt index the popup's {@link createSearcher} loads. Deterministic for a given catalog. */
export function buildSearchIndex(catalog: Catalog, opts: BuildOptions = {}): SearchIndex {
  const kinds: string[] = [...KINDS];
  const kindIndex = new Map(kinds.map((k, i) => [k, i]));
  const sections: IndexData['sections'] = [];
  const sectionIndex = new Map<string, number>();
  const docs: DocTuple[] = [];
  const grams = new Map<string, number[]>();
  const exact = new Map<string, number[]>();
  const near = new Map<string, number[]>();
  /** Acronym → ascending doc * 2 + partial, a doc's best (whole-run) form kept. */
  const acronyms = new Map<string, number[]>();
  /** Han characters of every field a query can match, for the traditional-character table. */
  const usedHan = new Set<string>();

  /** Records a posting; a doc keeps only its best place per gram. */
  const post = (table: Map<string, number[]>, key: string, doc: number, tag: number) => {
    const value = doc * 4 + tag;
    const list = table.get(key);
    if (!list) {
      table.set(key, [value]);
      return;
    }
    const last = list[list.length - 1];
    if (last >> 2 === doc) {
      // Grams: a higher place is better. Exact keys: a lower key type ranks first.
      const better = table === exact ? tag < (last & 3) : tag > (last & 3);
      if (better) list[list.length - 1] = value;
    } else list.push(value);
  };

  catalog.forEach((entry, doc) => {
    let kind = kindIndex.get(entry.kind);
    if (kind === undefined) {
      kind = kinds.length;
      kinds.push(entry.kind);
      kindIndex.set(entry.kind, kind);
    }
    const secIdx = (entry.sections ?? []).map((s) => {
      const tuple: [string, string, string, string] = [s.zh, s.en, s.sub?.zh ?? '', s.sub?.en ?? ''];
      const key = tuple.join('\u0000');
      let i = sectionIndex.get(key);
      if (i === undefined) {
        i = sections.length;
        sections.push(tuple);
        sectionIndex.set(key, i);
      }
      return i;
    });
    const title = entry.title ?? '';
    // Kept unfiltered: highlights address names by their index in entry.names.
    const names = (entry.names ?? []).map((n) => n ?? '');
    const { display: idList, exact: idExact } = idForms(entry);
    const nameFields = [title, ...names];
    const py = nameFields.map(pinyinSyllables);
    const aliases = (entry.aliases ?? []).filter(Boolean);
    const tuple: DocTuple = [
      entry.id,
      kind,
      secIdx,
      title,
      names,
      entry.summary?.en ?? '',
      entry.summary?.zh ?? '',
      entry.venue ?? '',
      entry.year ?? 0,
      idList,
      py,
    ];
    if (aliases.length) tuple.push(aliases);
    docs.push(tuple);

    for (const k of nearKeys(title, names)) {
      const list = near.get(k);
      if (!list) near.set(k, [doc]);
      else if (list[list.length - 1] !== doc) list.push(doc);
    }

    for (const f of nameFields)
      for (const { key, whole } of acronymsOf(f)) {
        const value = doc * 2 + (whole ? 0 : 1);
        const list = acronyms.get(key);
        if (!list) acronyms.set(key, [value]);
        else if (list[list.length - 1] >> 1 !== doc) list.push(value);
        else if (whole) list[list.length - 1] = value;
      }

    // n-grams: names and IDs are "name" places, the rest is "text".
    const addText = (text: string, place: number) => {
      if (opts.simplify) for (let i = 0; i < text.length; i++) if (isHanCode(text.charCodeAt(i))) usedHan.add(text[i]);
      runs(fold(text)).forEach((run, r) =>
        indexGrams(run, place !== IN_TEXT, (g, atStart) =>
          post(grams, g, doc, place === IN_TEXT ? IN_TEXT : atStart && r === 0 ? AT_NAME_START : IN_NAME),
        ),
      );
    };
    for (const f of nameFields) addText(f, IN_NAME);
    for (const id of idList) addText(id, IN_NAME);
    for (const a of aliases) addText(a, IN_NAME);
    for (const t of [entry.summary?.en, entry.summary?.zh, entry.venue, entry.kind, entry.year ? String(entry.year) : ''])
      if (t) addText(t, IN_TEXT);
    for (const i of secIdx) for (const t of sections[i]) if (t) addText(t, IN_TEXT);

    // Pinyin keys are names too: word-start grams at every syllable, trigrams throughout.
    py.forEach((p, j) => {
      if (!p) return;
      const keys = pinyinKeys(nameFields[j], p);
      const addKey = (key: string, isStart: (i: number) => boolean) => {
        for (let i = 0; i < key.length; i++) {
          if (isStart(i)) {
            post(grams, WORD_START + key[i], doc, i === 0 ? AT_NAME_START : IN_NAME);
            if (i + 1 < key.length) post(grams, WORD_START + key.slice(i, i + 2), doc, i === 0 ? AT_NAME_START : IN_NAME);
          }
          if (i + 2 < key.length) post(grams, key.slice(i, i + 3), doc, i === 0 ? AT_NAME_START : IN_NAME);
        }
      };
      const startSet = new Set(keys.starts);
      addKey(keys.full, (i) => startSet.has(i));
      addKey(keys.initials, (i) => i === 0 || keys.initialOf[i] !== keys.initialOf[i - 1]);
      post(exact, keys.full, doc, EXACT_PINYIN);
      if (keys.initials.length >= 2) post(exact, keys.initials, doc, EXACT_PINYIN);
    });

    // Exact table: what a user would paste or type in full.
    const addExact = (text: string, tag: number) => {
      const q = normalizeQuery(text);
      if (!q) return;
      post(exact, q, doc, tag);
      const c = compact(q);
      if (c && c !== q) post(exact, c, doc, tag);
    };
    addExact(title, EXACT_TITLE);
    const short = shortName(title);
    if (short) addExact(short, EXACT_NAME);
    for (const n of names) if (n) addExact(n, EXACT_NAME);
    for (const a of aliases) addExact(a, EXACT_NAME);
    for (const id of idExact) {
      const q = normalizeQuery(id);
      if (q) post(exact, q, doc, EXACT_ID);
    }
  });

  const sortedKeys = (m: Map<string, number[]>) => [...m.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const gramKeys = sortedKeys(grams);
  const exactKeys = sortedKeys(exact);
  const data: IndexData = {
    version: 1,
    kinds,
    sections,
    docs,
    grams: gramKeys,
    postings: gramKeys.map((g) => encodeAscending(grams.get(g)!)),
    exactKeys,
    exactPostings: exactKeys.map((k) => encodeAscending(exact.get(k)!)),
  };
  const buckets: NonNullable<IndexData['near']> = {};
  for (const k of sortedKeys(near)) {
    const b = (buckets[k.length] ??= [[], []]);
    b[0].push(k);
    b[1].push(encodeAscending(near.get(k)!));
  }
  data.near = buckets;
  const acronymKeys = sortedKeys(acronyms);
  if (acronymKeys.length) data.acronyms = [acronymKeys, acronymKeys.map((k) => encodeAscending(acronyms.get(k)!))];
  const traditional = opts.simplify ? traditionalTable(usedHan, opts.simplify) : undefined;
  if (traditional) data.traditional = traditional;
  return data;
}
