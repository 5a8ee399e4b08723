import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { browser } from 'wxt/browser';
import { KEYS, MARKER_LIMITS, SYNC_QUOTA, decodeStored, isOrphan, pruneMarkers, readFavorites, syncBytes, watchFavorites } from '../../../utils/favorites/store';
import { decodeMarkers, encodeChunk, encodeMarkers } from '../../../utils/favorites/codec';
import type { RemovalMarker } from '../../../utils/favorites/types';
import { LIMITS } from '../../../utils/favorites/validate';
import { SYNC_RETRIES, SYNC_RETRY_MS, createFavoritesService } from '../../../utils/favorites/writer';
import { clock, entry, fav, heavyUser, lookup } from './helpers';

const catalog = [entry('cmeee'), entry('cblue', { kind: 'evaluation' }), entry('huatuo')];
const getEntry = lookup(catalog);

function service(getE = getEntry) {
  return createFavoritesService({ getEntry: getE, now: clock() });
}
const sync = () => browser.storage.sync.get(null) as Promise<Record<string, unknown>>;
const local = () => browser.storage.local.get(null) as Promise<Record<string, unknown>>;
const ids = async (h: ReturnType<typeof service>['handlers']) => (await h['favorites:get'](undefined, {})).favorites.map((f) => f.entryId).sort();

beforeEach(() => fakeBrowser.reset());

describe('layout', () => {
  it('writes meta + compact chunks to sync and title cache to local', async () => {
    const { handlers, dispose } = service();
    await handlers['favorites:save']({ entryId: 'cmeee', note: 'for NER' }, {});
    const s = await sync();
    expect(s['fav:meta']).toEqual({ v: 1, n: 1, r: 0 });
    expect(typeof s['fav:v1:0']).toBe('string');
    expect(s['fav:v1:0']).toMatch(/^cmeee\|[0-9a-z]+\|for NER$/);
    const l = await local();
    expect((l[KEYS.snapshots] as { s: Record<string, unknown> }).s.cmeee).toBeTruthy();
    dispose();
  });
});

describe('local fallback', () => {
  it('3,000 favorites with long notes go to local with a notice and lose nothing; sync keeps its last copy', async () => {
    const { handlers, dispose } = service(() => undefined);
    // One favorite that fits in sync first: the copy sync must keep.
    expect((await handlers['favorites:import']({ favorites: [fav('first-one', { note: 'fits' })] }, {})).added).toBe(1);
    const before = await sync();
    expect(before['fav:meta']).toEqual({ v: 1, n: 1, r: 0 });
    expect(before['fav:v1:0']).toMatch(/^first-one\|[0-9a-z]+\|fits$/);
    const many = heavyUser(3000, 200).map((c) => fav(c.entryId, { ...c }));
    const res = await handlers['favorites:import']({ favorites: many }, {});
    expect(res.added).toBe(3000);
    const snap = await handlers['favorites:get'](undefined, {});
    expect(snap.area).toBe('local');
    expect(snap.favorites).toHaveLength(3001);
    expect(snap.favorites.map((f) => f.entryId)).toContain('first-one');
    expect(snap.notices.map((n) => n.code)).toContain('sync-quota-fallback');
    expect(await sync()).toEqual(before);
    // A fresh background (service worker restart) reads the same.
    dispose();
    const again = service(() => undefined);
    const snap2 = await again.handlers['favorites:get'](undefined, {});
    expect(snap2.area).toBe('local');
    expect(snap2.favorites.map((f) => [f.entryId, f.note, f.savedAt, f.updatedAt])).toEqual(snap.favorites.map((f) => [f.entryId, f.note, f.savedAt, f.updatedAt]));
    // Removing enough brings the data back to sync.
    await again.handlers['favorites:remove']({ entryIds: snap2.favorites.slice(0, 2900).map((f) => f.entryId) }, {});
    const snap3 = await again.handlers['favorites:get'](undefined, {});
    expect(snap3.area).toBe('sync');
    expect(snap3.favorites).toHaveLength(101);
    expect(snap3.notices.map((n) => n.code)).not.toContain('sync-quota-fallback');
    expect((await local())[KEYS.localData]).toBeUndefined();
    again.dispose();
  });

  it('a sync write error falls back to local and nothing is lost', async () => {
    const { handlers, dispose } = service();
    await handlers['favorites:save']({ entryId: 'cmeee' }, {});
    const spy = vi.spyOn(browser.storage.sync, 'set').mockRejectedValue(new Error('MAX_WRITE_OPERATIONS_PER_MINUTE quota exceeded'));
    let snap;
    try {
      await handlers['favorites:save']({ entryId: 'cblue' }, {});
      snap = await handlers['favorites:get'](undefined, {});
    } finally {
      spy.mockRestore();
    }
    expect(snap.area).toBe('local');
    expect(snap.notices[0].code).toBe('sync-unavailable');
    expect(snap.favorites.map((f) => f.entryId).sort()).toEqual(['cblue', 'cmeee']);
    await handlers['favorites:save']({ entryId: 'huatuo' }, {});
    snap = await handlers['favorites:get'](undefined, {});
    expect(snap.area).toBe('sync');
    expect(snap.favorites.map((f) => f.entryId).sort()).toEqual(['cblue', 'cmeee', 'huatuo']);
    dispose();
  });
});

describe('favorites kept in this browser because sync refused a write', () => {
  const inSync = async () => [...decodeStored(await sync(), {}, Date.now()).state.favorites.keys()].sort();
  async function refusedOnce(h: ReturnType<typeof service>['handlers']) {
    await h['favorites:save']({ entryId: 'cmeee' }, {});
    const spy = vi.spyOn(browser.storage.sync, 'set').mockRejectedValueOnce(new Error('MAX_WRITE_OPERATIONS_PER_MINUTE quota exceeded'));
    await h['favorites:save']({ entryId: 'cblue' }, {});
    spy.mockRestore();
    expect((await h['favorites:get'](undefined, {})).area).toBe('local');
    expect(await inSync()).toEqual(['cmeee']);
  }

  it('go back to sync a little over a minute later, with no other change', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const svc = service();
      await refusedOnce(svc.handlers);
      await vi.advanceTimersByTimeAsync(SYNC_RETRY_MS - 1_000);
      expect(await inSync()).toEqual(['cmeee']);
      await vi.advanceTimersByTimeAsync(1_000);
      await svc.writer.idle();
      expect(await inSync()).toEqual(['cblue', 'cmeee']);
      expect((await svc.handlers['favorites:get'](undefined, {})).area).toBe('sync');
      svc.dispose();
    } finally {
      vi.useRealTimers();
    }
  });

  it('are not offered forever to a sync that always refuses (a browser with sync turned off): five times, each wait twice the one before', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const svc = service();
      await svc.handlers['favorites:save']({ entryId: 'cmeee' }, {});
      const spy = vi.spyOn(browser.storage.sync, 'set').mockRejectedValue(new Error('sync is turned off'));
      await svc.handlers['favorites:save']({ entryId: 'cblue' }, {});
      expect(spy).toHaveBeenCalledTimes(1);
      const waits = [1, 2, 4, 8, 16].map((k) => k * SYNC_RETRY_MS);
      for (const [i, wait] of waits.entries()) {
        await vi.advanceTimersByTimeAsync(wait - 1_000);
        expect(spy).toHaveBeenCalledTimes(1 + i);
        await vi.advanceTimersByTimeAsync(1_000);
        await svc.writer.idle();
        expect(spy).toHaveBeenCalledTimes(2 + i);
      }
      await vi.advanceTimersByTimeAsync(100 * SYNC_RETRY_MS);
      expect(spy).toHaveBeenCalledTimes(1 + SYNC_RETRIES);
      spy.mockRestore();
      svc.dispose();
    } finally {
      vi.useRealTimers();
    }
  });

  it('go back to sync when a background starts again (a worker stopped when idle takes its timer with it)', async () => {
    const first = service();
    await refusedOnce(first.handlers);
    first.dispose();
    const next = service();
    expect((await next.handlers['favorites:get'](undefined, {})).area).toBe('sync');
    expect(await inSync()).toEqual(['cblue', 'cmeee']);
    next.dispose();
  });
});

describe('removals while sync refuses writes', () => {
  it('a removal whose sync write fails stays removed when the favorites go back to sync', async () => {
    const { handlers: h, dispose } = service();
    await h['favorites:save']({ entryId: 'cmeee' }, {});
    await h['favorites:save']({ entryId: 'cblue' }, {});
    const spy = vi.spyOn(browser.storage.sync, 'set').mockRejectedValueOnce(new Error('MAX_WRITE_OPERATIONS_PER_MINUTE quota exceeded'));
    await h['favorites:remove']({ entryIds: ['cmeee'] }, {});
    spy.mockRestore();
    expect((await h['favorites:get'](undefined, {})).area).toBe('local');
    // Sync still holds cmeee; the next save takes the favorites back there.
    await h['favorites:save']({ entryId: 'huatuo' }, {});
    expect((await h['favorites:get'](undefined, {})).area).toBe('sync');
    expect(await ids(h)).toEqual(['cblue', 'huatuo']);
    expect((await readFavorites(getEntry)).favorites.map((f) => f.entryId).sort()).toEqual(['cblue', 'huatuo']);
    dispose();
  });

  it('a removal made while another device’s chunks are still arriving stays removed when they land', async () => {
    const row = { entryId: 'cmeee', savedAt: 1_700_000_000_000, updatedAt: 1_700_000_000_000, note: '', tags: [] as string[] };
    await browser.storage.sync.set({ 'fav:meta': { v: 1, n: 2 }, 'fav:v1:0': encodeChunk([row]) });
    const { handlers: h, dispose } = service();
    expect(await ids(h)).toEqual(['cmeee']);
    await h['favorites:remove']({ entryIds: ['cmeee'] }, {});
    expect((await h['favorites:get'](undefined, {})).area).toBe('local');
    // The other device's second chunk lands; its first chunk still holds cmeee.
    await browser.storage.sync.set({ 'fav:v1:1': encodeChunk([{ ...row, entryId: 'cblue' }]) });
    await vi.waitFor(async () => expect((await h['favorites:get'](undefined, {})).area).toBe('sync'));
    expect(await ids(h)).toEqual(['cblue']);
    expect((await readFavorites(getEntry)).favorites.map((f) => f.entryId)).toEqual(['cblue']);
    dispose();
  });
});

describe('removal markers', () => {
  const row = (entryId: string, t = 1_700_000_000_000) => ({ entryId, savedAt: t, updatedAt: t, note: '', tags: [] as string[] });

  it('a removal is written to sync as a marker beside the chunks', async () => {
    const { handlers: h, dispose } = service();
    await h['favorites:save']({ entryId: 'cmeee' }, {});
    await h['favorites:save']({ entryId: 'cblue' }, {});
    await h['favorites:remove']({ entryIds: ['cmeee'] }, {});
    const s = await sync();
    expect(s['fav:meta']).toEqual({ v: 1, n: 1, r: 1 });
    expect([...decodeMarkers(s['fav:rm:0'] as string).markers.keys()]).toEqual(['cmeee']);
    // Undo: the favorite keeps its times and is recorded as present again.
    const { removed } = await h['favorites:remove']({ entryIds: ['cblue'] }, {});
    await h['favorites:restore']({ favorites: removed }, {});
    const markers = decodeMarkers((await sync())['fav:rm:0'] as string).markers;
    expect(markers.get('cblue')?.live).toBe(true);
    expect((await readFavorites(getEntry)).favorites.map((f) => f.entryId)).toEqual(['cblue']);
    dispose();
  });

  it('markers older than 30 days before the 17th newest change, and past the count limit, are dropped', async () => {
    const newest = 1_750_000_000_000;
    // Twenty favorites saved a second apart up to `newest`; after the edit below the 17th newest
    // time is newest - 15 s.
    const others = Array.from({ length: 20 }, (_, i) => row(`other-${i}`, newest - i * 1000));
    const markers = new Map<string, RemovalMarker>([
      ['old-one', { t: newest - 15_000 - MARKER_LIMITS.maxAgeMs - 1000 }],
      ['recent-one', { t: newest - 15_000 - MARKER_LIMITS.maxAgeMs }],
    ]);
    await browser.storage.sync.set({ 'fav:meta': { v: 1, n: 1, r: 1 }, 'fav:v1:0': encodeChunk([row('cblue', newest - 100 * 86_400_000), ...others]), 'fav:rm:0': encodeMarkers(markers) });
    const { handlers: h, dispose } = createFavoritesService({ getEntry, now: () => newest });
    await h['favorites:update']({ entryId: 'cblue', note: 'n' }, {});
    expect([...decodeMarkers((await sync())['fav:rm:0'] as string).markers.keys()]).toEqual(['recent-one']);
    dispose();
    const many = new Map<string, RemovalMarker>(Array.from({ length: MARKER_LIMITS.count + 10 }, (_, i) => [`gone-${i}`, { t: newest - i * 1000 }]));
    const kept = pruneMarkers(many, new Map());
    expect(kept.size).toBe(MARKER_LIMITS.count);
    expect(kept.has('gone-0')).toBe(true);
    expect(kept.has(`gone-${MARKER_LIMITS.count}`)).toBe(false);
  });

  it('local data written by a version without markers: the ids it lists as removed stay removed', async () => {
    await browser.storage.local.set({ [KEYS.state]: { area: 'local', code: 'sync-unavailable', detail: 'x', at: 1 }, [KEYS.localData]: { v: 1, favorites: [row('cblue')], removed: ['cmeee'] } });
    await browser.storage.sync.set({ 'fav:meta': { v: 1, n: 1 }, 'fav:v1:0': encodeChunk([row('cmeee'), row('cblue')]) });
    const { handlers: h, dispose } = service();
    await h['favorites:save']({ entryId: 'huatuo' }, {});
    expect((await h['favorites:get'](undefined, {})).area).toBe('sync');
    expect(await ids(h)).toEqual(['cblue', 'huatuo']);
    dispose();
  });
});

describe('time limits', () => {
  it('editing a favorite whose updatedAt is at the time limit keeps it readable on the next load', async () => {
    // Imports now take no time later than the clock; stored data from before can still hold one.
    await browser.storage.sync.set({ 'fav:meta': { v: 1, n: 1, r: 0 }, 'fav:v1:0': encodeChunk([{ entryId: 'cmeee', savedAt: 1_700_000_000_000, updatedAt: LIMITS.maxTime, note: '', tags: [] }]) });
    const { handlers: h, dispose } = service();
    await h['favorites:update']({ entryId: 'cmeee', note: 'edited' }, {});
    dispose();
    const again = service();
    const snap = await again.handlers['favorites:get'](undefined, {});
    expect(snap.favorites.map((f) => [f.entryId, f.note])).toEqual([['cmeee', 'edited']]);
    expect(snap.favorites[0].updatedAt).toBeLessThanOrEqual(LIMITS.maxTime);
    expect(snap.notices.map((n) => n.code)).not.toContain('corrupt-data-quarantined');
    again.dispose();
  });
});

describe('quota accounting', () => {
  it('items of an unknown favorites layout count against the sync quota', async () => {
    // A newer build's items (fav:v7:*) take 90 KB; this build's favorites (~15 KB) do not fit beside them.
    const foreign: Record<string, unknown> = {};
    for (let i = 0; i < 12; i++) foreign[`fav:v7:${i}`] = 'x'.repeat(7_500);
    await browser.storage.sync.set(foreign);
    const { handlers: h, dispose } = service(() => undefined);
    const many = Array.from({ length: 300 }, (_, i) => fav(`entry-${i}`, { note: 'n'.repeat(30), savedAt: 1_700_000_000_000 + i * 1000, updatedAt: 1_700_000_000_000 + i * 1000 }));
    await h['favorites:import']({ favorites: many }, {});
    const snap = await h['favorites:get'](undefined, {});
    expect(snap.favorites).toHaveLength(300);
    expect(syncBytes(await sync())).toBeLessThanOrEqual(SYNC_QUOTA.bytes);
    expect(snap.area).toBe('local');
    expect(snap.notices.map((n) => n.code)).toContain('sync-quota-fallback');
    // Not ours to delete.
    expect(Object.keys(await sync()).filter((k) => k.startsWith('fav:v7:'))).toHaveLength(12);
    dispose();
  });
});

describe('corrupt and unknown data', () => {
  const goodChunk = encodeChunk([{ entryId: 'cmeee', savedAt: 1_700_000_000_000, updatedAt: 1_700_000_000_000, note: 'kept', tags: [] }]);

  async function quarantined() {
    const l = await local();
    return Object.keys(l).filter((k) => k.startsWith('quarantine:'));
  }

  it('garbage in a chunk is set aside; the rest loads and the chunk is rewritten', async () => {
    await browser.storage.sync.set({ 'fav:meta': { v: 1, n: 2 }, 'fav:v1:0': goodChunk, 'fav:v1:1': 'cblue|tbq7zk~☠☠☠ garbage %%% |||| ~' });
    const { handlers, dispose } = service();
    const snap = await handlers['favorites:get'](undefined, {});
    expect(snap.favorites.map((f) => f.entryId).sort()).toEqual(['cblue', 'cmeee']);
    expect(snap.notices.map((n) => n.code)).toContain('corrupt-data-quarantined');
    const q = await quarantined();
    expect(q).toHaveLength(1);
    expect(((await local())[q[0]] as { value: unknown }).value).toContain('garbage');
    // Next load is clean.
    dispose();
    const again = service();
    await again.handlers['favorites:get'](undefined, {});
    expect(await quarantined()).toHaveLength(1);
    again.dispose();
  });

  it('a row another device wrote that this build cannot read is set aside before a later save rewrites its chunk', async () => {
    const svc = service();
    const { handlers } = svc;
    await handlers['favorites:save']({ entryId: 'cmeee' }, {});
    const [cm] = (await handlers['favorites:get'](undefined, {})).favorites;
    expect(Object.keys(await sync()).filter((k) => k.startsWith('fav:v1:'))).toEqual(['fav:v1:0']);
    // Another device (a newer build, or a damaged write) adds cblue, and huatuo in a row this build
    // does not decode (a sixth field). This device pulls: it merges cblue and has nothing to write back.
    const rows = [
      { entryId: 'cmeee', savedAt: cm.savedAt, updatedAt: cm.updatedAt, note: '', tags: [] },
      { entryId: 'cblue', savedAt: 1_700_000_000_000, updatedAt: 1_700_000_000_000, note: '', tags: [] },
    ];
    await browser.storage.sync.set({ 'fav:v1:0': `${encodeChunk(rows)}~huatuo|${(1_700_000_000).toString(36)}|my only note on huatuo|||x` });
    for (let i = 0; i < 5; i++) {
      await new Promise((r) => setTimeout(r, 0));
      await svc.writer.idle();
    }
    expect(await ids(handlers)).toEqual(['cblue', 'cmeee']);
    // A later save rewrites the chunk: the row it could not read is kept aside first, and said so.
    await handlers['favorites:save']({ entryId: 'huatuo' }, {});
    expect(JSON.stringify(await sync())).not.toContain('my only note on huatuo');
    const l = await local();
    expect((await quarantined()).map((k) => JSON.stringify(l[k]))).toEqual([expect.stringContaining('my only note on huatuo')]);
    expect((await handlers['favorites:get'](undefined, {})).notices.map((n) => n.code)).toContain('corrupt-data-quarantined');
    svc.dispose();
  });

  it('a chunk that is not a string and a meta that is not JSON are set aside', async () => {
    await browser.storage.sync.set({ 'fav:meta': '{not json', 'fav:v1:0': goodChunk, 'fav:v1:1': { evil: true } });
    const { handlers, dispose } = service();
    const snap = await handlers['favorites:get'](undefined, {});
    expect(snap.favorites.map((f) => f.entryId)).toEqual(['cmeee']);
    expect(await quarantined()).toHaveLength(2);
    expect((await sync())['fav:meta']).toEqual({ v: 1, n: 1, r: 0 });
    dispose();
  });

  it('a damaged state record beside favorites kept in this browser loses none of them', async () => {
    await browser.storage.sync.set({ 'fav:meta': { v: 1, n: 1, r: 0 }, 'fav:v1:0': goodChunk });
    await browser.storage.local.set({
      [KEYS.state]: { area: 'moon' },
      [KEYS.localData]: { v: 1, favorites: [{ entryId: 'huatuo', savedAt: 1_700_000_000_000, updatedAt: 1_700_000_000_000, note: 'only here', tags: [] }] },
    });
    const { handlers, dispose } = service();
    const snap = await handlers['favorites:get'](undefined, {});
    expect(snap.favorites.map((f) => [f.entryId, f.note]).sort()).toEqual([['cmeee', expect.any(String)], ['huatuo', 'only here']]);
    dispose();
    // And they are in sync now, the record written anew.
    expect((await readFavorites(getEntry)).favorites.map((f) => f.entryId).sort()).toEqual(['cmeee', 'huatuo']);
    const again = service();
    expect((await again.handlers['favorites:get'](undefined, {})).favorites.map((f) => f.entryId).sort()).toEqual(['cmeee', 'huatuo']);
    again.dispose();
  });

  it('a damaged state record or title cache is set aside once, not again at every start', async () => {
    for (const [key, value] of [[KEYS.state, { area: 'moon' }], [KEYS.snapshots, 42]] as const) {
      fakeBrowser.reset();
      // A saved favorite that is no longer in the catalog: nothing else rewrites the cache.
      await browser.storage.sync.set({ 'fav:meta': { v: 1, n: 1, r: 0 }, 'fav:v1:0': encodeChunk([{ entryId: 'gone-entry', savedAt: 1_700_000_000_000, updatedAt: 1_700_000_000_000, note: '', tags: [] }]) });
      await browser.storage.local.set({ [key]: value });
      for (let start = 0; start < 3; start++) {
        const { handlers, dispose } = service();
        const snap = await handlers['favorites:get'](undefined, {});
        expect(snap.favorites.map((f) => f.entryId)).toEqual(['gone-entry']);
        dispose();
      }
      expect(await quarantined(), key).toHaveLength(1);
      const { handlers, dispose } = service();
      expect((await handlers['favorites:get'](undefined, {})).notices.filter((n) => n.code === 'corrupt-data-quarantined'), key).toHaveLength(1);
      dispose();
    }
  });

  it('one unreadable record of the title cache costs that title only: the rest still name favorites gone from the catalog', async () => {
    const t = 1_700_000_000_000;
    await browser.storage.sync.set({
      'fav:meta': { v: 1, n: 1, r: 0 },
      'fav:v1:0': encodeChunk(['gone-a', 'gone-b'].map((entryId) => ({ entryId, savedAt: t, updatedAt: t, note: '', tags: [] }))),
    });
    const link = [{ url: 'https://example.org/a', type: 'homepage' }];
    // gone-b's kind is one this version does not know (a later catalog's, say).
    await browser.storage.local.set({ [KEYS.snapshots]: { v: 1, s: { 'gone-a': { t: 'Gone A', k: 'dataset', l: link }, 'gone-b': { t: 'Gone B', k: 'podcast', l: link } } } });
    for (let start = 0; start < 2; start++) {
      const { handlers, dispose } = service();
      const snap = await handlers['favorites:get'](undefined, {});
      expect(snap.favorites.map((f) => [f.entryId, f.title]).sort()).toEqual([
        ['gone-a', 'Gone A'],
        ['gone-b', 'gone-b'],
      ]);
      dispose();
    }
    // The original is set aside once, with a notice saying the rest was kept.
    expect(await quarantined()).toHaveLength(1);
    const { handlers, dispose } = service();
    expect((await handlers['favorites:get'](undefined, {})).notices.map((n) => n.detail).join()).toContain('the rest is kept');
    dispose();
  });

  it('a meta counting more items than sync can hold is set aside; what sync holds loads and favorites save again', async () => {
    for (const meta of [{ v: 1, n: 2 ** 32, r: 0 }, { v: 1, n: 1_000_000, r: 0 }, { v: 1, n: 1, r: 2 ** 40 }]) {
      fakeBrowser.reset();
      await browser.storage.sync.set({ 'fav:meta': meta, 'fav:v1:0': goodChunk });
      const { handlers, dispose } = service();
      const snap = await handlers['favorites:get'](undefined, {});
      expect(snap.favorites.map((f) => f.entryId)).toEqual(['cmeee']);
      expect(snap.notices.map((n) => n.code)).toContain('corrupt-data-quarantined');
      // Not stuck waiting for items that never come: a save goes to sync.
      await handlers['favorites:save']({ entryId: 'cblue' }, {});
      expect((await sync())['fav:meta']).toMatchObject({ v: 1, n: 1 });
      expect((await readFavorites(getEntry)).favorites.map((f) => f.entryId).sort()).toEqual(['cblue', 'cmeee']);
      expect((await handlers['favorites:get'](undefined, {})).area).toBe('sync');
      dispose();
    }
  });

  it('an unknown layout version is set aside with its items; v1 data still loads', async () => {
    await browser.storage.sync.set({ 'fav:meta': { v: 7, n: 1 }, 'fav:v7:0': 'opaque', 'fav:v1:0': goodChunk });
    const { handlers, dispose } = service();
    const snap = await handlers['favorites:get'](undefined, {});
    expect(snap.favorites.map((f) => f.entryId)).toEqual(['cmeee']);
    expect(snap.notices.map((n) => n.code)).toContain('unknown-version-quarantined');
    const q = await quarantined();
    expect(((await local())[q[0]] as { value: Record<string, unknown> }).value['fav:v7:0']).toBe('opaque');
    // Not ours to delete.
    expect((await sync())['fav:v7:0']).toBe('opaque');
    dispose();
  });

  it('corrupt local data and corrupt settings are set aside too', async () => {
    await browser.storage.local.set({ [KEYS.state]: { area: 'local' }, [KEYS.localData]: { v: 1, favorites: [{ entryId: 'cmeee', savedAt: 5 }, { entryId: '__proto__' }] } });
    await browser.storage.sync.set({ 'settings:v1': { theme: 'pink', badge: false } });
    const { handlers, dispose } = service();
    const snap = await handlers['favorites:get'](undefined, {});
    expect(snap.favorites.map((f) => f.entryId)).toEqual(['cmeee']);
    const settings = await handlers['settings:get'](undefined, {});
    expect(settings.theme).toBe('system');
    expect(settings.badge).toBe(false);
    expect(await quarantined()).toHaveLength(2);
    const snap2 = await handlers['favorites:get'](undefined, {});
    expect(snap2.notices.filter((n) => n.code === 'corrupt-data-quarantined')).toHaveLength(2);
    await handlers['favorites:dismissNotice']({ id: snap2.notices.find((n) => n.id)!.id }, {});
    expect((await handlers['favorites:get'](undefined, {})).notices.filter((n) => n.code === 'corrupt-data-quarantined')).toHaveLength(1);
    dispose();
  });
});

describe('set aside in one load', () => {
  it('bad favorites and bad removal records in local data are both set aside, under different keys', () => {
    const t = 1_700_000_000_000;
    const d = decodeStored({}, {
      [KEYS.state]: { area: 'local', code: 'sync-unavailable', detail: 'x', at: 1 },
      [KEYS.localData]: { v: 1, favorites: [{ entryId: 'ok-one', savedAt: t }, { entryId: 'BAD ID', savedAt: t }], markers: 'gone-one|zzzzzzzzzzzzzz' },
    }, t);
    expect([...d.state.favorites.keys()]).toEqual(['ok-one']);
    const keys = Object.keys(d.setAside);
    expect(keys).toHaveLength(2);
    expect(keys.map((k) => (d.setAside[k] as { value: unknown }).value)).toEqual(expect.arrayContaining([[{ entryId: 'BAD ID', savedAt: t }], 'gone-one|zzzzzzzzzzzzzz']));
    expect(d.newNotices.map((n) => n.keys[0]).sort()).toEqual([...keys].sort());
    expect(new Set(d.newNotices.map((n) => n.id)).size).toBe(2);
  });
});

describe('migrations', () => {
  it('v0 (one `favorites` array) becomes v1; bad elements are set aside; the original is kept in local', async () => {
    const v0 = [
      { entryId: 'cmeee', savedAt: 1_600_000_000_000, note: 'old note', tags: ['x'], title: 'CMeEE', kind: 'dataset', links: [] },
      { entryId: 'gone-entry', savedAt: 1_600_000_100_000, title: 'Gone but remembered', kind: 'paper', links: [{ url: 'https://arxiv.org/abs/2101.00001', type: 'paper' }] },
      { entryId: 42 },
    ];
    await browser.storage.sync.set({ favorites: v0 });
    const { handlers, dispose } = service();
    const snap = await handlers['favorites:get'](undefined, {});
    expect(snap.favorites.map((f) => f.entryId)).toEqual(['gone-entry', 'cmeee']);
    expect(snap.favorites[1]).toMatchObject({ note: 'old note', tags: ['x'], savedAt: 1_600_000_000_000, updatedAt: 1_600_000_000_000 });
    const gone = snap.favorites[0];
    expect(gone.title).toBe('Gone but remembered');
    expect(isOrphan(gone, getEntry)).toBe(true);
    const s = await sync();
    expect(s.favorites).toBeUndefined();
    expect(s['fav:meta']).toEqual({ v: 1, n: 1, r: 0 });
    const l = await local();
    expect(Object.keys(l).some((k) => k.startsWith(KEYS.migratedPrefix))).toBe(true);
    expect(Object.keys(l).filter((k) => k.startsWith('quarantine:'))).toHaveLength(1);
    dispose();
  });

  it('a v0 value that is not JSON is set aside whole', async () => {
    await browser.storage.sync.set({ favorites: '[{"entryId": "cmeee", ' });
    const { handlers, dispose } = service();
    const snap = await handlers['favorites:get'](undefined, {});
    expect(snap.favorites).toEqual([]);
    expect(snap.notices[0].code).toBe('corrupt-data-quarantined');
    dispose();
  });
});

describe('catalog changes and other devices', () => {
  it('an entry that leaves the catalog keeps its saved title and links', async () => {
    const { handlers, dispose } = service();
    await handlers['favorites:save']({ entryId: 'huatuo' }, {});
    dispose();
    const newer = lookup([entry('cmeee')]);
    const { handlers: h2, dispose: d2 } = service(newer);
    const [f] = (await h2['favorites:get'](undefined, {})).favorites;
    expect(f).toMatchObject({ entryId: 'huatuo', title: 'Title of huatuo', links: [{ url: 'https://example.org/huatuo', type: 'homepage' }] });
    expect(isOrphan(f, newer)).toBe(true);
    d2();
  });

  it('reloads when another device writes sync, and watchers hear about it', async () => {
    const { handlers, dispose } = service();
    await handlers['favorites:save']({ entryId: 'cmeee' }, {});
    const seen: string[][] = [];
    const stop = watchFavorites((s) => seen.push(s.favorites.map((f) => f.entryId)), () => readFavorites(getEntry), 1);
    // Another device's write arrives through sync.
    const other = encodeChunk([{ entryId: 'cblue', savedAt: 1_700_000_000_000, updatedAt: 1_700_000_000_000, note: '', tags: [] }]);
    await browser.storage.sync.set({ 'fav:meta': { v: 1, n: 1 }, 'fav:v1:0': other });
    await new Promise((r) => setTimeout(r, 20));
    expect(seen.at(-1)).toEqual(['cblue']);
    await handlers['favorites:save']({ entryId: 'huatuo' }, {});
    const snap = await handlers['favorites:get'](undefined, {});
    expect(snap.favorites.map((f) => f.entryId).sort()).toEqual(['cblue', 'huatuo']);
    stop();
    dispose();
  });

  const row = (entryId: string, note = '', t = 1_700_000_000_000) => ({ entryId, savedAt: t, updatedAt: t, note, tags: [] as string[] });

  it('a save while another device’s favorites are still arriving waits in this browser, then goes to sync with all of them', async () => {
    // Another device's layout names two chunks; only the first has arrived.
    const partial = { 'fav:meta': { v: 1, n: 2 }, 'fav:v1:0': encodeChunk([row('cmeee')]) };
    await browser.storage.sync.set(partial);
    const { handlers, dispose } = service();
    await handlers['favorites:save']({ entryId: 'huatuo' }, {});
    // Sync is left as the other device wrote it: no layout packed from half the favorites.
    expect(await sync()).toEqual(partial);
    let snap = await handlers['favorites:get'](undefined, {});
    expect(snap.area).toBe('local');
    expect(snap.favorites.map((f) => f.entryId).sort()).toEqual(['cmeee', 'huatuo']);
    expect(snap.notices.find((n) => n.code === 'sync-unavailable')?.detail).toMatch(/still arriving/);
    // The missing chunk lands: without another save, everything goes to sync.
    await browser.storage.sync.set({ 'fav:v1:1': encodeChunk([row('cblue')]) });
    await vi.waitFor(async () => expect((await handlers['favorites:get'](undefined, {})).area).toBe('sync'));
    snap = await handlers['favorites:get'](undefined, {});
    expect(snap.favorites.map((f) => f.entryId).sort()).toEqual(['cblue', 'cmeee', 'huatuo']);
    expect(snap.notices.map((n) => n.code)).not.toContain('sync-unavailable');
    expect((await readFavorites(getEntry)).favorites.map((f) => f.entryId).sort()).toEqual(['cblue', 'cmeee', 'huatuo']);
    dispose();
  });

  it('another device’s write that lands while this one is writing is merged in, not written over', async () => {
    // No storage listener: the other device's write lands unnoticed, as in the moments between
    // this device's reading of sync and its write.
    const { handlers, dispose } = createFavoritesService({ getEntry, now: clock(), watch: false });
    await handlers['favorites:save']({ entryId: 'cmeee', note: 'mine' }, {});
    await handlers['favorites:save']({ entryId: 'huatuo' }, {});
    const c = (await readFavorites(getEntry)).favorites.find((f) => f.entryId === 'cmeee')!;
    // The other device saved cblue and removed huatuo.
    await browser.storage.sync.set({ 'fav:meta': { v: 1, n: 1 }, 'fav:v1:0': encodeChunk([{ ...row('cmeee'), savedAt: c.savedAt, updatedAt: c.updatedAt, note: 'mine' }, row('cblue')]) });
    // This device, unaware, edits cmeee's note.
    await handlers['favorites:update']({ entryId: 'cmeee', note: 'edited here' }, {});
    const after = (await readFavorites(getEntry)).favorites;
    expect(after.map((f) => f.entryId).sort()).toEqual(['cblue', 'cmeee']);
    expect(after.find((f) => f.entryId === 'cmeee')!.note).toBe('edited here');
    const snap = await handlers['favorites:get'](undefined, {});
    expect(snap.favorites.map((f) => f.entryId).sort()).toEqual(['cblue', 'cmeee']);
    // An edit made elsewhere to an entry this device did not touch comes in too.
    await browser.storage.sync.set({ 'fav:meta': { v: 1, n: 1 }, 'fav:v1:0': encodeChunk([...(await readFavorites(getEntry)).favorites.map((f) => ({ entryId: f.entryId, savedAt: f.savedAt, updatedAt: f.entryId === 'cblue' ? f.updatedAt + 5000 : f.updatedAt, note: f.entryId === 'cblue' ? 'theirs' : f.note, tags: f.tags }))]) });
    await handlers['favorites:save']({ entryId: 'huatuo' }, {});
    const last = (await readFavorites(getEntry)).favorites;
    expect(last.map((f) => [f.entryId, f.note]).sort()).toEqual([['cblue', 'theirs'], ['cmeee', 'edited here'], ['huatuo', '']]);
    dispose();
  });

  it('coming back to sync, what sync holds that cannot be read is set aside before it is overwritten', async () => {
    await browser.storage.local.set({ [KEYS.state]: { area: 'local', code: 'sync-unavailable', detail: 'x', at: 1 }, [KEYS.localData]: { v: 1, favorites: [row('cmeee')] } });
    const garbage = `${encodeChunk([row('cblue')])}~☠☠☠ garbage %%% ||||`;
    await browser.storage.sync.set({ 'fav:meta': { v: 1, n: 1 }, 'fav:v1:0': garbage });
    const { handlers, dispose } = service();
    await handlers['favorites:save']({ entryId: 'huatuo' }, {});
    const snap = await handlers['favorites:get'](undefined, {});
    expect(snap.area).toBe('sync');
    expect(snap.favorites.map((f) => f.entryId).sort()).toEqual(['cblue', 'cmeee', 'huatuo']);
    expect(snap.notices.map((n) => n.code)).toContain('corrupt-data-quarantined');
    const l = await local();
    const q = Object.keys(l).filter((k) => k.startsWith('quarantine:'));
    expect(q.map((k) => (l[k] as { value: unknown }).value)).toEqual([garbage]);
    expect((await sync())['fav:v1:0']).not.toBe(garbage);
    dispose();
  });

  it('a save that another device’s simultaneous write replaced in sync is kept and written back', async () => {
    const base = row('cmeee');
    await browser.storage.sync.set({ 'fav:meta': { v: 1, n: 1 }, 'fav:v1:0': encodeChunk([base]) });
    const { handlers: h, dispose } = service();
    await h['favorites:save']({ entryId: 'cblue' }, {});
    // Device B saved huatuo before it saw cblue; its chunk is the last write sync keeps.
    await browser.storage.sync.set({ 'fav:v1:0': encodeChunk([base, row('huatuo')]) });
    await vi.waitFor(async () => expect((await readFavorites(getEntry)).favorites.map((f) => f.entryId).sort()).toEqual(['cblue', 'cmeee', 'huatuo']));
    expect(await ids(h)).toEqual(['cblue', 'cmeee', 'huatuo']);
    dispose();
  });

  it('a save or note edit that another device’s write replaced in sync while no background ran here is merged back when one starts', async () => {
    // An MV3 service worker stops after half a minute idle, and a browser restarts: the next
    // background starts with nothing in memory. Device B's chunk (one item holds every favorite
    // of a short list, so each save rewrites it) was written before B saw this device's changes.
    const base = row('cmeee');
    await browser.storage.sync.set({ 'fav:meta': { v: 1, n: 1, r: 0 }, 'fav:v1:0': encodeChunk([base]) });
    let svc = service();
    await svc.handlers['favorites:save']({ entryId: 'cblue' }, {});
    await svc.handlers['favorites:update']({ entryId: 'cmeee', note: 'two hours of reading notes' }, {});
    svc.dispose();
    await browser.storage.sync.set({ 'fav:v1:0': encodeChunk([base, row('huatuo')]) });
    svc = createFavoritesService({ getEntry, now: clock(1_760_000_000_000) });
    const got = await svc.handlers['favorites:get'](undefined, {});
    expect(got.favorites.map((f) => [f.entryId, f.note]).sort()).toEqual([
      ['cblue', ''],
      ['cmeee', 'two hours of reading notes'],
      ['huatuo', ''],
    ]);
    // And written back, for the other devices.
    await svc.writer.idle();
    const inSync = (await readFavorites(getEntry)).favorites.map((f) => [f.entryId, f.note]).sort();
    expect(inSync).toEqual(got.favorites.map((f) => [f.entryId, f.note]).sort());
    svc.dispose();
  });

  it('a background that starts with sync as this device left it changes nothing', async () => {
    await browser.storage.sync.set({ 'fav:meta': { v: 1, n: 1, r: 0 }, 'fav:v1:0': encodeChunk([row('cmeee')]) });
    let svc = service();
    await svc.handlers['favorites:save']({ entryId: 'cblue' }, {});
    svc.dispose();
    const before = await sync();
    svc = createFavoritesService({ getEntry, now: clock(1_760_000_000_000) });
    expect(await ids(svc.handlers)).toEqual(['cblue', 'cmeee']);
    await svc.writer.idle();
    expect(await sync()).toEqual(before);
    svc.dispose();
  });

  it('coming back to sync, a favorite another device removed meanwhile (with its removal marker) stays removed', async () => {
    // This browser kept cmeee and cblue locally; meanwhile another device removed cmeee and wrote
    // its removal marker (fav:rm:0, "id|seconds in base 36") beside the chunk.
    await browser.storage.local.set({ [KEYS.state]: { area: 'local', code: 'sync-unavailable', detail: 'x', at: 1 }, [KEYS.localData]: { v: 1, favorites: [row('cmeee'), row('cblue')] } });
    const removedAt = 1_700_000_100_000;
    await browser.storage.sync.set({ 'fav:meta': { v: 1, n: 1, r: 1 }, 'fav:v1:0': encodeChunk([row('cblue')]), 'fav:rm:0': `cmeee|${(removedAt / 1000).toString(36)}` });
    const { handlers: h, dispose } = service();
    await h['favorites:save']({ entryId: 'huatuo' }, {});
    expect((await h['favorites:get'](undefined, {})).area).toBe('sync');
    expect(await ids(h)).toEqual(['cblue', 'huatuo']);
    dispose();
  });
});
