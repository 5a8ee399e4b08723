import { beforeEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { dispatch, type ReplyEnvelope } from '../../../utils/messages';
import { readFavorites } from '../../../utils/favorites/store';
import { createFavoritesService } from '../../../utils/favorites/writer';
import type { Favorite, FavoriteCore } from '../../../utils/favorites/types';
import { checkNote } from '../../../utils/favorites/validate';
import { clock, core, entry, lookup, rng } from './helpers';

const ids = Array.from({ length: 40 }, (_, i) => `entry-${i}`);
const getEntry = lookup(ids.map((id) => entry(id)));

beforeEach(() => fakeBrowser.reset());

describe('save, remove, undo', () => {
  it('save is idempotent and never a toggle', async () => {
    const { handlers, dispose } = createFavoritesService({ getEntry, now: clock() });
    const a = await handlers['favorites:save']({ entryId: 'entry-1', note: 'n' }, {});
    const b = await handlers['favorites:save']({ entryId: 'entry-1' }, {});
    expect(b).toEqual(a);
    const snap = await handlers['favorites:get'](undefined, {});
    expect(snap.favorites).toHaveLength(1);
    expect(snap.favorites[0]).toMatchObject({ note: 'n', title: 'Title of entry-1', kind: 'dataset' });
    dispose();
  });

  it('remove returns what it removed, restore puts it back exactly', async () => {
    const { handlers, dispose } = createFavoritesService({ getEntry, now: clock() });
    await handlers['favorites:save']({ entryId: 'entry-1', note: 'keep me', tags: ['a'] }, {});
    const before = (await handlers['favorites:get'](undefined, {})).favorites;
    const { removed } = await handlers['favorites:remove']({ entryIds: ['entry-1', 'entry-2'] }, {});
    expect(removed).toEqual(before);
    expect((await handlers['favorites:get'](undefined, {})).favorites).toEqual([]);
    expect(await handlers['favorites:restore']({ favorites: removed }, {})).toEqual({ restored: 1, favorites: before });
    expect((await handlers['favorites:get'](undefined, {})).favorites).toEqual(before);
    dispose();
  });

  it('rejects bad input without changing anything', async () => {
    const { handlers, dispose } = createFavoritesService({ getEntry, now: clock() });
    await handlers['favorites:save']({ entryId: 'entry-1' }, {});
    const stored = await fakeBrowser.storage.sync.get(null);
    await expect(handlers['favorites:save']({ entryId: 'not-in-catalog' }, {})).rejects.toThrow(/not in the catalog/);
    await expect(handlers['favorites:save']({ entryId: '__proto__' }, {})).rejects.toThrow();
    await expect(handlers['favorites:update']({ entryId: 'entry-1', note: '<img src=x onerror=alert(1)>' }, {})).rejects.toThrow(/HTML/);
    await expect(handlers['favorites:import']({ favorites: [{ entryId: 'entry-2' } as unknown as Favorite] }, {})).rejects.toThrow(/favorite #1/);
    // A note within its 5,000 characters but too big to sync (Chinese takes three bytes a character)
    // is refused, on a new save, an edit and an import, rather than taking every favorite off sync.
    const tooBig = '病'.repeat(3000);
    await expect(handlers['favorites:save']({ entryId: 'entry-3', note: tooBig }, {})).rejects.toThrow(/bytes/);
    await expect(handlers['favorites:save']({ entryId: 'entry-1', note: tooBig }, {})).rejects.toThrow(/bytes/);
    await expect(handlers['favorites:update']({ entryId: 'entry-1', note: tooBig }, {})).rejects.toThrow(/bytes/);
    const importing = { entryId: 'entry-2', savedAt: 1, updatedAt: 1, note: tooBig, tags: [], title: 'x', kind: 'dataset', links: [] } as unknown as Favorite;
    await expect(handlers['favorites:import']({ favorites: [importing] }, {})).rejects.toThrow(/favorite #1: .*bytes/);
    const reply = (await dispatch(handlers, { __cmed: 1, type: 'favorites:save', data: { entryId: 5 } }, {})) as ReplyEnvelope<unknown>;
    expect(reply.ok).toBe(false);
    expect(await fakeBrowser.storage.sync.get(null)).toEqual(stored);
    dispose();
  });

  it('Undo after the entry was saved again with its star brings the removed note and tags back; after a new note, keeps the new one', async () => {
    const { handlers, dispose } = createFavoritesService({ getEntry, now: clock() });
    await handlers['favorites:save']({ entryId: 'entry-1', note: 'my precious note', tags: ['ner'] }, {});
    const { removed } = await handlers['favorites:remove']({ entryIds: ['entry-1'] }, {});
    await handlers['favorites:save']({ entryId: 'entry-1' }, {});
    const back = await handlers['favorites:restore']({ favorites: removed }, {});
    expect(back.restored).toBe(1);
    expect(back.favorites).toMatchObject([{ entryId: 'entry-1', note: 'my precious note', tags: ['ner'], savedAt: removed[0].savedAt }]);
    const stored = (await readFavorites(getEntry)).favorites;
    expect(stored).toMatchObject([{ entryId: 'entry-1', note: 'my precious note', tags: ['ner'] }]);
    // Newer than the re-save, so another device's copy of the bare re-save does not win.
    expect(stored[0].updatedAt).toBeGreaterThan(removed[0].updatedAt);

    // Removed, saved again and given a new note: the undo keeps the new note.
    const again = (await handlers['favorites:remove']({ entryIds: ['entry-1'] }, {})).removed;
    await handlers['favorites:save']({ entryId: 'entry-1', note: 'a new note' }, {});
    const kept = await handlers['favorites:restore']({ favorites: again }, {});
    expect(kept.restored).toBe(0);
    expect(kept.favorites).toMatchObject([{ entryId: 'entry-1', note: 'a new note' }]);
    expect((await readFavorites(getEntry)).favorites[0].note).toBe('a new note');
    dispose();
  });

  it('a note that fits sync leaves less room for tags: the two together are checked', async () => {
    const { handlers, dispose } = createFavoritesService({ getEntry, now: clock() });
    await handlers['favorites:save']({ entryId: 'entry-1', note: '病'.repeat(2000) }, {});
    const tags = Array.from({ length: 32 }, (_, i) => '标签'.repeat(30) + i);
    await expect(handlers['favorites:update']({ entryId: 'entry-1', tags }, {})).rejects.toThrow(/note and tags take \d+ bytes/);
    expect((await readFavorites(getEntry)).favorites[0]).toMatchObject({ note: '病'.repeat(2000), tags: [] });
    // The same tags with a short note fit, and sync keeps the favorite.
    await handlers['favorites:update']({ entryId: 'entry-1', note: 'short', tags }, {});
    expect((await readFavorites(getEntry)).favorites[0]).toMatchObject({ note: 'short', tags });
    expect(Object.keys(await fakeBrowser.storage.sync.get(null)).some((k) => k.startsWith('fav:v1:'))).toBe(true);
    dispose();
  });

  it('two long notes on favorites whose ids share a sync chunk keep every favorite in sync', async () => {
    // "ruijin-diabetes" and "mie" hash to one chunk at every chunk count; each note is ~4.3 KB.
    const long = lookup(['ruijin-diabetes', 'mie', 'cmeee'].map((id) => entry(id)));
    const { handlers, dispose } = createFavoritesService({ getEntry: long, now: clock() });
    const note = '糖尿病患者的临床问答数据集说明'.repeat(95);
    await handlers['favorites:save']({ entryId: 'cmeee' }, {});
    await handlers['favorites:save']({ entryId: 'ruijin-diabetes', note }, {});
    await handlers['favorites:save']({ entryId: 'mie', note }, {});
    const snap = await handlers['favorites:get'](undefined, {});
    expect(snap.area).toBe('sync');
    expect(snap.notices).toEqual([]);
    const synced = await readFavorites(long);
    expect(synced.favorites.map((f) => f.entryId).sort()).toEqual(['cmeee', 'mie', 'ruijin-diabetes']);
    dispose();
  });

  it('settings: defaults, validated patches', async () => {
    const { handlers, dispose } = createFavoritesService({ getEntry });
    expect((await handlers['settings:get'](undefined, {})).theme).toBe('system');
    const s = await handlers['settings:set']({ theme: 'dark', sites: { arxiv: false } as never }, {});
    expect(s).toMatchObject({ theme: 'dark', sites: { arxiv: false, acl: true, github: true } });
    await expect(handlers['settings:set']({ theme: 'pink' as never }, {})).rejects.toThrow(/theme/);
    expect((await handlers['settings:get'](undefined, {})).theme).toBe('dark');
    dispose();
  });
});

type Op =
  | { t: 'save'; id: string; note?: string }
  | { t: 'remove'; ids: string[] }
  | { t: 'update'; id: string; note: string }
  | { t: 'restore' };

/** The simple model: a Map, operations applied in the order they were issued. */
function applyModel(model: Map<string, { note: string }>, op: Op, lastRemoved: { v: Map<string, { note: string }> }) {
  if (op.t === 'save') {
    const cur = model.get(op.id);
    if (!cur) model.set(op.id, { note: op.note ?? '' });
    else if (op.note !== undefined) cur.note = op.note;
  } else if (op.t === 'remove') {
    lastRemoved.v = new Map();
    for (const id of op.ids) {
      const cur = model.get(id);
      if (cur) lastRemoved.v.set(id, { ...cur });
      model.delete(id);
    }
  } else if (op.t === 'update') {
    const cur = model.get(op.id);
    if (cur) cur.note = op.note;
  } else {
    for (const [id, v] of lastRemoved.v) {
      const cur = model.get(id);
      if (!cur) model.set(id, { ...v });
      // Saved again with nothing (a star) meanwhile: the undo brings the removed note back.
      else if (!cur.note && v.note) cur.note = v.note;
    }
  }
}

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ t: fc.constant('save' as const), id: fc.constantFrom(...ids.slice(0, 8)), note: fc.option(fc.string({ maxLength: 5 }).filter((s) => checkNote(s).ok), { nil: undefined }) }),
  fc.record({ t: fc.constant('remove' as const), ids: fc.uniqueArray(fc.constantFrom(...ids.slice(0, 8)), { maxLength: 3 }) }),
  fc.record({ t: fc.constant('update' as const), id: fc.constantFrom(...ids.slice(0, 8)), note: fc.constantFrom('x', 'y', '') }),
  fc.constant({ t: 'restore' as const }),
);

describe('against a Map model', () => {
  it('random save/remove/update/restore sequences give the model state, in memory and in storage', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { maxLength: 40 }), async (ops) => {
        fakeBrowser.reset();
        const { handlers, dispose } = createFavoritesService({ getEntry, now: clock() });
        const model = new Map<string, { note: string }>();
        const lastRemoved = { v: new Map<string, { note: string }>() };
        let removed: Favorite[] = [];
        for (const op of ops) {
          applyModel(model, op, lastRemoved);
          if (op.t === 'save') await handlers['favorites:save']({ entryId: op.id, note: op.note }, {});
          else if (op.t === 'remove') removed = (await handlers['favorites:remove']({ entryIds: op.ids }, {})).removed;
          else if (op.t === 'update') await handlers['favorites:update']({ entryId: op.id, note: op.note }, {});
          else await handlers['favorites:restore']({ favorites: removed }, {});
        }
        const expected = [...model].map(([id, v]) => [id, v.note]).sort();
        const got = (await handlers['favorites:get'](undefined, {})).favorites.map((f) => [f.entryId, f.note]).sort();
        expect(got).toEqual(expected);
        const fromDisk = (await readFavorites(getEntry)).favorites.map((f) => [f.entryId, f.note]).sort();
        expect(fromDisk).toEqual(expected);
        dispose();
      }),
      { numRuns: 60 },
    );
  });
});

// CI runs this test 20 times with different seeds (CONCURRENCY_SEED); locally it uses one.
const SEED = Number(process.env.CONCURRENCY_SEED ?? 1000);

describe('one writer, no lost updates', () => {
  it('1,000 interleaved save/remove operations from 6 contexts end in exactly the implied state (5 runs)', async () => {
    for (let run = 0; run < 5; run++) {
      fakeBrowser.reset();
      const { handlers, dispose } = createFavoritesService({ getEntry, now: clock() });
      const r = rng(SEED + run);
      const issued: Op[] = [];
      const pending: Promise<unknown>[] = [];
      // Each context is a popup / options page / hover card: it fires requests through the
      // message dispatcher without waiting for earlier ones, yielding a random number of ticks.
      const context = async (n: number) => {
        for (let i = 0; i < n; i++) {
          const ticks = Math.floor(r() * 4);
          for (let k = 0; k < ticks; k++) await Promise.resolve();
          const id = ids[Math.floor(r() * 25)];
          const op: Op = r() < 0.6 ? { t: 'save', id, note: r() < 0.3 ? `n${i}` : undefined } : { t: 'remove', ids: [id] };
          issued.push(op);
          const msg = op.t === 'save'
            ? { __cmed: 1, type: 'favorites:save', data: { entryId: op.id, note: op.note } }
            : { __cmed: 1, type: 'favorites:remove', data: { entryIds: (op as { ids: string[] }).ids } };
          pending.push(dispatch(handlers, msg, { tabId: n }));
          if (r() < 0.05) await pending[pending.length - 1];
        }
      };
      await Promise.all([context(200), context(200), context(150), context(150), context(150), context(150)]);
      const replies = (await Promise.all(pending)) as ReplyEnvelope<unknown>[];
      expect(issued).toHaveLength(1000);
      expect(replies.every((x) => x.ok)).toBe(true);
      const model = new Map<string, { note: string }>();
      const lr = { v: new Map() };
      for (const op of issued) applyModel(model, op, lr);
      const expected = [...model].map(([id, v]) => [id, v.note]).sort();
      const mem = (await handlers['favorites:get'](undefined, {})).favorites.map((f) => [f.entryId, f.note]).sort();
      expect(mem).toEqual(expected);
      const disk = (await readFavorites(getEntry)).favorites.map((f) => [f.entryId, f.note]).sort();
      expect(disk).toEqual(expected);
      dispose();
    }
  });

  it('savedAt of an entry saved again never changes', async () => {
    const { handlers, dispose } = createFavoritesService({ getEntry, now: clock() });
    const results = await Promise.all(Array.from({ length: 50 }, () => handlers['favorites:save']({ entryId: 'entry-3' }, {})));
    expect(new Set(results.map((f) => f.savedAt)).size).toBe(1);
    const c: FavoriteCore = core(results[0]);
    expect(c.entryId).toBe('entry-3');
    dispose();
  });
});
