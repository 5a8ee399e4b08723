import type { Entry, Kind } from '../../../utils/catalog/types';
import type { Favorite, FavoriteCore } from '../../../utils/favorites/types';

/** A small inline catalog entry; tests never depend on data/catalog.json. */
export function entry(id: string, over: Partial<Entry> = {}): Entry {
  return {
    id,
    kind: 'dataset' as Kind,
    title: `Title of ${id}`,
    names: [],
    sections: [],
    summary: { zh: '', en: '' },
    links: [{ url: `https://example.org/${id}`, type: 'homepage' }],
    ids: { arxiv: [], acl: [], doi: [], github: [] },
    related: [],
    ...over,
  };
}

export function lookup(entries: Entry[]): (id: string) => Entry | undefined {
  const m = new Map(entries.map((e) => [e.id, e]));
  return (id) => m.get(id);
}

export function fav(id: string, over: Partial<Favorite> = {}): Favorite {
  return {
    entryId: id,
    savedAt: 1_700_000_000_000,
    updatedAt: 1_700_000_000_000,
    note: '',
    tags: [],
    title: `Title of ${id}`,
    kind: 'dataset',
    links: [{ url: `https://example.org/${id}`, type: 'homepage' }],
    ...over,
  };
}

export function core(f: FavoriteCore): FavoriteCore {
  return { entryId: f.entryId, savedAt: f.savedAt, updatedAt: f.updatedAt, note: f.note, tags: [...f.tags] };
}

/** Deterministic PRNG (mulberry32) so failures reproduce. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A clock that moves forward one second per call, like a user clicking. */
export function clock(start = 1_750_000_000_000): () => number {
  let t = start;
  return () => (t += 1000);
}

const WORDS = ['cmeee', 'cblue', 'chip', 'medical', 'dialog', 'qa', 'ner', 'chinese', 'bert', 'kg', 'corpus', 'huatuo', 'ehr', 'clinical', 'imcs', 'cmedqa'];

/** 2,000 favorites as a heavy user would have them: ~18-character slugs, every note 20 characters, saves over two years. */
export function heavyUser(count: number, noteLength: number, seed = 1): FavoriteCore[] {
  const r = rng(seed);
  const favs: FavoriteCore[] = [];
  let t = Date.UTC(2025, 0, 1);
  for (let i = 0; i < count; i++) {
    const id = `${WORDS[Math.floor(r() * WORDS.length)]}-${WORDS[Math.floor(r() * WORDS.length)]}-${i}`;
    t += Math.floor(r() * 63_000) * 1000; // up to ~17 h between saves, whole seconds as the writer stores them
    const note = Array.from({ length: noteLength }, () => 'abcdefghij klmnopqrstuvwxyz,.'[Math.floor(r() * 30)]).join('');
    const edited = r() < 0.25;
    favs.push({ entryId: id, savedAt: t, updatedAt: edited ? t + Math.floor(r() * 86_400 * 30) * 1000 : t, note, tags: r() < 0.1 ? ['todo'] : [] });
  }
  return favs;
}

/** A deep copy through JSON, as storage hands values back (undefined stays undefined). */
export const cloneJson = <T>(v: T): T => (v === undefined ? v : JSON.parse(JSON.stringify(v)));

/** What `storage.<area>.get(keys)` answers from `items`: all of them for null/undefined, else the keys present, copied. */
export function pickItems(items: Record<string, unknown>, keys?: null | string | string[]): Record<string, unknown> {
  if (keys === null || keys === undefined) return cloneJson(items);
  const out: Record<string, unknown> = {};
  for (const k of typeof keys === 'string' ? [keys] : keys) if (k in items) out[k] = cloneJson(items[k]);
  return out;
}
