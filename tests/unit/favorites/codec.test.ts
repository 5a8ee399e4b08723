import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  ROW_ROOM,
  SYNC_QUOTA,
  bucketOf,
  checkSyncRoom,
  decodeChunk,
  decodeMarkers,
  encodeChunk,
  encodeMarkers,
  itemBytes,
  jsonBytes,
  packSync,
  syncBytes,
} from '../../../utils/favorites/codec';
import type { FavoriteCore, RemovalMarker } from '../../../utils/favorites/types';
import { checkNote, checkTags } from '../../../utils/favorites/validate';
import { heavyUser } from './helpers';

const coreArb = fc.record({
  entryId: fc.stringMatching(/^[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,3}$/),
  savedAt: fc.integer({ min: 0, max: 4_102_444_800_000 }),
  delta: fc.integer({ min: -86_400_000, max: 86_400_000 * 400 }),
  note: fc.string({ maxLength: 60, unit: 'grapheme' }).filter((s) => checkNote(s).ok),
  tags: fc.uniqueArray(fc.string({ minLength: 1, maxLength: 12, unit: 'grapheme' }).filter((s) => s.trim() === s && checkTags([s]).ok), { maxLength: 4 }),
}).map(({ delta, ...c }) => ({ ...c, updatedAt: Math.max(0, c.savedAt + delta) }) as FavoriteCore);

describe('byte model', () => {
  it('counts key + JSON the way Chrome does (UTF-8, "<" as \\u003C)', () => {
    expect(itemBytes('k', 'ab')).toBe(1 + 4);
    expect(jsonBytes('é')).toBe(2 + 2);
    expect(jsonBytes('中')).toBe(2 + 3);
    expect(jsonBytes('<')).toBe(2 + 6);
    expect(jsonBytes('a"b')).toBe(2 + 4);
    expect(jsonBytes({ v: 1, n: 2 })).toBe('{"v":1,"n":2}'.length);
    expect(syncBytes({ a: 1, bb: 'x' })).toBe(1 + 1 + 2 + 3);
  });
});

describe('rows and chunks', () => {
  it('decode(encode(x)) is x for any valid favorites', () => {
    fc.assert(
      fc.property(fc.uniqueArray(coreArb, { selector: (c) => c.entryId, maxLength: 30 }), (favs) => {
        const back = decodeChunk(encodeChunk(favs));
        expect(back.badRows).toBe(0);
        const byId = (a: FavoriteCore, b: FavoriteCore) => (a.entryId < b.entryId ? -1 : 1);
        expect([...back.favorites].sort(byId)).toEqual([...favs].sort(byId));
      }),
      { numRuns: 300 },
    );
  });

  it('escapes separators inside notes and tags', () => {
    const f: FavoriteCore = { entryId: 'a', savedAt: 1_700_000_000_123, updatedAt: 1_700_000_000_000, note: '100% | ~tilde, ok', tags: ['a,b', 'c|d', '%7C'] };
    expect(decodeChunk(encodeChunk([f])).favorites).toEqual([f]);
  });

  it('a bad row is counted, the other rows still decode', () => {
    const good = encodeChunk([{ entryId: 'a', savedAt: 1_000_000_000, updatedAt: 1_000_000_000, note: 'x', tags: [] }]);
    const d = decodeChunk(`${good}~not a row~b|zz|%zz`);
    expect(d.favorites.map((f) => f.entryId)).toEqual(['a']);
    expect(d.badRows).toBe(2);
  });
});

const limits = { bytes: SYNC_QUOTA.bytes - 2048, items: SYNC_QUOTA.items - 16 };

describe('quotas', () => {
  it('2,000 favorites with 20-character notes fit sync, every item under 8 KB', () => {
    const favs = heavyUser(2000, 20);
    const pack = packSync(favs, limits);
    expect(pack.ok).toBe(true);
    if (!pack.ok) return;
    for (const [k, v] of Object.entries(pack.items)) expect(itemBytes(k, v)).toBeLessThanOrEqual(SYNC_QUOTA.perItem);
    expect(syncBytes(pack.items)).toBe(pack.bytes);
    expect(pack.bytes).toBeLessThanOrEqual(limits.bytes);
    console.info(`2,000 favorites, 20-char notes: ${pack.bytes} bytes in ${Object.keys(pack.items).length} items (${(pack.bytes / 2000).toFixed(1)} B each)`);
    // Everything comes back.
    const back = Object.entries(pack.items).filter(([k]) => k !== 'fav:meta').flatMap(([, v]) => decodeChunk(v as string).favorites);
    expect(back.length).toBe(2000);
  });

  it('3,000 favorites with long notes do not fit', () => {
    const pack = packSync(heavyUser(3000, 120), limits);
    expect(pack.ok).toBe(false);
  });

  it('one note larger than a sync item does not fit', () => {
    const pack = packSync([{ entryId: 'a', savedAt: 0, updatedAt: 0, note: 'x'.repeat(5000) + '中'.repeat(1200), tags: [] }], limits);
    expect(pack.ok).toBe(false);
  });

  it('checkSyncRoom refuses exactly the notes and tags that cannot pack alone, within the characters a note may have', () => {
    // 3,000 Chinese characters are within the note's 5,000 but take 9,000 bytes.
    const chinese = '糖'.repeat(3000);
    expect(checkNote(chinese).ok).toBe(true);
    const big = checkSyncRoom({ entryId: 'cmeee', note: chinese, tags: [] });
    expect(big).toMatchObject({ ok: false, problem: 'too-big', sizes: [expect.any(Number), ROW_ROOM] });
    if (!big.ok) expect(big.sizes![0]).toBeGreaterThan(9000);
    expect(packSync([{ entryId: 'cmeee', savedAt: 1, updatedAt: 1, note: chinese, tags: [] }], limits).ok).toBe(false);
    // 5,000 Latin letters fit, as does the largest Chinese note that is allowed, whatever its times.
    expect(checkSyncRoom({ entryId: 'cmeee', note: 'x'.repeat(5000), tags: [] }).ok).toBe(true);
    let n = 0;
    while (checkSyncRoom({ entryId: 'cmeee', note: '糖'.repeat(n + 1), tags: ['NER'] }).ok) n++;
    expect(n).toBeGreaterThan(2500);
    const fits: FavoriteCore = { entryId: 'cmeee', savedAt: 7_258_118_399_999, updatedAt: 1, note: '糖'.repeat(n), tags: ['NER'] };
    const pack = packSync([fits], limits);
    expect(pack.ok).toBe(true);
    if (pack.ok) for (const [k, v] of Object.entries(pack.items)) expect(itemBytes(k, v)).toBeLessThanOrEqual(SYNC_QUOTA.perItem);
    expect(packSync([{ ...fits, note: fits.note + '糖' }], limits).ok).toBe(false);
  });
});

describe('favorites that share a chunk', () => {
  const back = (items: Record<string, unknown>) =>
    Object.entries(items)
      .filter(([k]) => k.startsWith('fav:v1:'))
      .flatMap(([, v]) => decodeChunk(v as string).favorites);
  // Chinese notes of ~4.3 KB: each fits a sync item alone, two do not fit one together.
  const long = (entryId: string, savedAt = 1_750_000_000_000): FavoriteCore => ({ entryId, savedAt, updatedAt: savedAt, note: '糖尿病患者的临床问答数据集说明'.repeat(95), tags: [] });

  it('parts two long notes whose ids hash to the same chunk at every chunk count', () => {
    // "ruijin-diabetes" and "mie" agree in the hash's low eight bits: one chunk of 1…256.
    for (const n of [1, 2, 8, 256]) expect(bucketOf('ruijin-diabetes', n)).toBe(bucketOf('mie', n));
    const favs = [long('ruijin-diabetes'), long('mie'), ...heavyUser(30, 10)];
    for (const f of favs) expect(checkSyncRoom(f).ok).toBe(true);
    const pack = packSync(favs, limits);
    expect(pack).toMatchObject({ ok: true });
    if (!pack.ok) return;
    for (const [k, v] of Object.entries(pack.items)) expect(itemBytes(k, v)).toBeLessThanOrEqual(SYNC_QUOTA.perItem);
    expect(back(pack.items).map((f) => f.entryId).sort()).toEqual(favs.map((f) => f.entryId).sort());
    // The same favorites in another order give the same items.
    const again = packSync([...favs].reverse(), limits);
    expect(again.ok && again.items).toEqual(pack.items);
  });

  it('packs any favorites that each fit alone and together take at most half the quota', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.stringMatching(/^[a-z]{1,6}$/), { minLength: 2, maxLength: 24 }),
        fc.array(fc.integer({ min: 0, max: 2_700 }), { minLength: 24, maxLength: 24 }),
        (ids, lengths) => {
          const favs = ids.map((id, i) => ({ ...long(id, 1_750_000_000_000 + i * 1000), note: '糖'.repeat(lengths[i]) }));
          const rows = favs.reduce((sum, f) => sum + jsonBytes(encodeChunk([f])), 0);
          fc.pre(favs.every((f) => checkSyncRoom(f).ok) && rows <= limits.bytes / 2);
          const pack = packSync(favs, limits);
          expect(pack.ok).toBe(true);
          if (!pack.ok) return;
          for (const [k, v] of Object.entries(pack.items)) expect(itemBytes(k, v)).toBeLessThanOrEqual(SYNC_QUOTA.perItem);
          expect(back(pack.items)).toHaveLength(favs.length);
        },
      ),
      { numRuns: 200 },
    );
  });
});

const markersArb = fc
  .uniqueArray(
    fc.record({
      id: fc.stringMatching(/^[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,3}$/),
      t: fc.integer({ min: 0, max: 7_258_118_400_000 }),
      live: fc.boolean(),
    }),
    { selector: (m) => m.id, maxLength: 40 },
  )
  .map((list) => new Map<string, RemovalMarker>(list.map((m) => [m.id, m.live ? { t: m.t, live: true } : { t: m.t }])));

describe('removal markers', () => {
  it('decode(encode(markers)) is the markers', () => {
    fc.assert(
      fc.property(markersArb, (markers) => {
        const back = decodeMarkers(encodeMarkers(markers));
        expect(back.badRows).toBe(0);
        expect(back.markers).toEqual(markers);
      }),
      { numRuns: 300 },
    );
  });

  it('a bad marker row is counted and the rest still decode; the newer record of an id wins', () => {
    // Times are seconds after the previous row's, bad rows included.
    const d = decodeMarkers(`a|${(1_700_000_000).toString(36)}~a|1~b|1|x~__proto__|1~c|1|+`);
    expect(d.badRows).toBe(2);
    expect([...d.markers]).toEqual([['a', { t: 1_700_000_001_000 }], ['c', { t: 1_700_000_004_000, live: true }]]);
  });

  it('markers are packed after the chunks, every item under 8 KB, counted in the bytes; the oldest are left out when they do not fit', () => {
    const favs = heavyUser(1500, 20);
    const markers = new Map<string, RemovalMarker>();
    for (let i = 0; i < 2000; i++) markers.set(`removed-entry-number-${i}`, { t: Date.UTC(2025, 0, 1) + i * 60_000 });
    const pack = packSync(favs, limits, 1, markers);
    expect(pack.ok).toBe(true);
    if (!pack.ok) return;
    for (const [k, v] of Object.entries(pack.items)) expect(itemBytes(k, v)).toBeLessThanOrEqual(SYNC_QUOTA.perItem);
    expect(syncBytes(pack.items)).toBe(pack.bytes);
    expect(pack.bytes).toBeLessThanOrEqual(limits.bytes);
    // Not all 2,000 fit beside 1,500 favorites: the newest are kept, and the items hold exactly those.
    expect(pack.markers.size).toBeGreaterThan(0);
    expect(pack.markers.size).toBeLessThan(2000);
    expect([...pack.markers.keys()]).toContain('removed-entry-number-1999');
    expect([...pack.markers.keys()]).not.toContain('removed-entry-number-0');
    const meta = pack.items['fav:meta'] as { n: number; r: number };
    const stored = new Map<string, RemovalMarker>();
    for (let i = 0; i < meta.r; i++) decodeMarkers(pack.items[`fav:rm:${i}`] as string, stored);
    expect(stored).toEqual(pack.markers);
    const rows = Array.from({ length: meta.n }, (_, i) => decodeChunk(pack.items[`fav:v1:${i}`] as string).favorites).flat();
    expect(rows).toHaveLength(1500);
  });

  it('items the layout no longer uses are emptied, and counted', () => {
    const pack = packSync([heavyUser(1, 5)[0]], limits, 1, new Map(), ['fav:meta', 'fav:v1:0', 'fav:v1:1', 'fav:rm:0', 'settings:v1']);
    expect(pack.ok).toBe(true);
    if (!pack.ok) return;
    expect(pack.items['fav:v1:1']).toBe('');
    expect(pack.items['fav:rm:0']).toBe('');
    expect(pack.items).not.toHaveProperty('settings:v1');
    expect(syncBytes(pack.items)).toBe(pack.bytes);
  });
});
