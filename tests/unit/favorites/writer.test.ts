import { beforeEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { dispatch, type ReplyEnvelope } from '../../../utils/messages';
import { readFavorites, type FavoritesStorage, type StorageArea, type StorageListener } from '../../../utils/favorites/store';
import { createFavoritesService } from '../../../utils/favorites/writer';
import type { Favorite, FavoriteCore } from '../../../utils/favorites/types';
import { checkNote } from '../../../utils/favorites/validate';
import { clock, cloneJson, core, entry, lookup, pickItems, rng } from './helpers';

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

describe('undo of an import', () => {
  const file = (id: string, over: Partial<Favorite> = {}): Favorite => ({
    entryId: id,
    savedAt: 1_600_000_000_000,
    updatedAt: 1_749_000_000_000,
    note: '',
    tags: [],
    title: `Title of ${id}`,
    kind: 'dataset',
    links: [],
    ...over,
  });

  it('takes back two imports with one Undo, newest first: a favorite the first added goes though the second dated its save earlier or changed its note', async () => {
    const { handlers, dispose } = createFavoritesService({ getEntry, now: clock() });
    const get = async () => (await handlers['favorites:get'](undefined, {})).favorites;
    // The first import adds both; the second dates entry-1's save earlier (no other change) and replaces entry-2's note.
    const r1 = await handlers['favorites:import']({ favorites: [file('entry-1', { savedAt: 1_750_000_100_000 }), file('entry-2', { note: 'a' })] }, {});
    expect(r1.added).toBe(2);
    const r2 = await handlers['favorites:import']({ favorites: [file('entry-1', { savedAt: 1_600_000_000_000 }), file('entry-2', { note: 'b', updatedAt: 1_760_000_000_000 })] }, {});
    expect(r2.updated).toBe(2);
    // Only the note is something to take back.
    expect(r2.changes.map((c) => c.entryId)).toEqual(['entry-2']);
    expect(await handlers['favorites:undoImport']({ changes: r2.changes }, {})).toEqual({ reverted: 1, left: 0 });
    expect((await get()).map((f) => [f.entryId, f.note])).toEqual(expect.arrayContaining([['entry-2', 'a']]));
    expect(await handlers['favorites:undoImport']({ changes: r1.changes }, {})).toEqual({ reverted: 2, left: 0 });
    expect(await get()).toEqual([]);
    dispose();
  });

  it('takes back the notes, tags and favorites an import changed, and leaves what was changed since', async () => {
    const { handlers, dispose } = createFavoritesService({ getEntry, now: clock() });
    const get = async () => (await handlers['favorites:get'](undefined, {})).favorites;
    await handlers['favorites:save']({ entryId: 'entry-1', note: 'my own note', tags: ['mine'] }, {});
    await handlers['favorites:save']({ entryId: 'entry-2', note: 'second' }, {});
    await handlers['favorites:save']({ entryId: 'entry-5', note: 'fifth', tags: ['keep'] }, {});
    const before = await get();
    // The file's copies were edited later than ours (its updatedAt is newer): they replace notes and tags.
    const r = await handlers['favorites:import'](
      {
        favorites: [
          file('entry-1', { note: 'from the file', tags: ['file'], updatedAt: 1_760_000_000_000 }),
          file('entry-2', { note: 'file 2', updatedAt: 1_760_000_000_000 }),
          file('entry-3', { note: 'new from the file' }),
          file('entry-4'),
          file('entry-5', { note: 'file 5', tags: ['file'], updatedAt: 1_760_000_000_000 }),
        ],
      },
      {},
    );
    expect([r.added, r.updated, r.unchanged, r.changes.map((c) => [c.entryId, !!c.before])]).toEqual([
      2,
      3,
      0,
      [['entry-3', false], ['entry-4', false], ['entry-1', true], ['entry-2', true], ['entry-5', true]],
    ]);
    expect((await get()).find((f) => f.entryId === 'entry-1')).toMatchObject({ note: 'from the file', tags: ['file'], savedAt: 1_600_000_000_000 });
    // Since the import: entry-2's note edited, entry-4 given a tag, entry-5's tags edited (its note not).
    await handlers['favorites:update']({ entryId: 'entry-2', note: 'edited after the import' }, {});
    await handlers['favorites:update']({ entryId: 'entry-4', tags: ['read'] }, {});
    await handlers['favorites:update']({ entryId: 'entry-5', tags: ['file', 'mine too'] }, {});

    // Changed back: entry-1, entry-3 (removed), entry-5's note; left as edited since: entry-2, entry-4, entry-5's tags.
    expect(await handlers['favorites:undoImport']({ changes: r.changes }, {})).toEqual({ reverted: 3, left: 3 });
    const after = await get();
    const pick = (id: string) => after.find((f) => f.entryId === id);
    const was = (id: string) => before.find((f) => f.entryId === id)!;
    // entry-1: note and tags as they were; the earlier save date the file gave stays (devices keep the earliest).
    expect(pick('entry-1')).toMatchObject({ note: 'my own note', tags: ['mine'], savedAt: 1_600_000_000_000 });
    expect(was('entry-1').note).toBe('my own note');
    expect(pick('entry-2')).toMatchObject({ note: 'edited after the import' });
    expect(pick('entry-3')).toBeUndefined();
    expect(pick('entry-4')).toMatchObject({ tags: ['read'] });
    expect(pick('entry-5')).toMatchObject({ note: 'fifth', tags: ['file', 'mine too'] });
    expect(after.map((f) => f.entryId).sort()).toEqual(['entry-1', 'entry-2', 'entry-4', 'entry-5']);

    // Once more: nothing of the import's is left to take back.
    expect(await handlers['favorites:undoImport']({ changes: r.changes }, {})).toMatchObject({ reverted: 0 });
    expect(await get()).toEqual(after);
    dispose();
    // Stored so: a new background reads the same.
    const again = createFavoritesService({ getEntry, now: clock(1_760_000_100_000) });
    expect((await again.handlers['favorites:get'](undefined, {})).favorites).toEqual(after);
    again.dispose();
  });

  it('refuses malformed changes without changing anything', async () => {
    const { handlers, dispose } = createFavoritesService({ getEntry, now: clock() });
    const r = await handlers['favorites:import']({ favorites: [file('entry-1')] }, {});
    const snap = await handlers['favorites:get'](undefined, {});
    for (const changes of [undefined, [{ entryId: 'entry-1' }], [{ ...r.changes[0], entryId: 'entry-2' }], [{ ...r.changes[0], after: { ...r.changes[0].after, note: '<img onerror=x>' } }]]) {
      await expect(handlers['favorites:undoImport']({ changes } as never, {})).rejects.toThrow(/undoImport/);
    }
    expect(await handlers['favorites:get'](undefined, {})).toEqual(snap);
    dispose();
  });

  it('keeps an edit another device made after the import, even one that reaches sync only after the Undo; takes back the rest there too', async () => {
    // Two devices over one storage.sync; device B's writes can be held back (B offline a moment).
    const items: Record<string, unknown> = {};
    const listeners: Set<StorageListener>[] = [new Set(), new Set()];
    let held: (() => void)[] | null = null;
    const local = (): StorageArea => {
      const own: Record<string, unknown> = {};
      return { get: async (k) => pickItems(own, k), set: async (o) => void Object.assign(own, cloneJson(o)), remove: async (k) => [k].flat().forEach((x) => delete own[x]) };
    };
    const deliver = (from: number, changes: Record<string, { newValue?: unknown }>) =>
      listeners.forEach((set, i) => i !== from && set.forEach((l) => l(cloneJson(changes), 'sync')));
    const storage = (i: number): FavoritesStorage => ({
      local: local(),
      sync: {
        get: async (k) => pickItems(items, k),
        set: async (o) => {
          if (i === 1 && held) await new Promise<void>((r) => held!.push(r));
          const changes: Record<string, { newValue?: unknown }> = {};
          for (const [k, v] of Object.entries(o)) changes[k] = { newValue: (items[k] = cloneJson(v)) };
          deliver(i, changes);
        },
        remove: async (k) => {
          const changes: Record<string, { newValue?: unknown }> = {};
          for (const x of [k].flat()) {
            if (!(x in items)) continue;
            delete items[x];
            changes[x] = {};
          }
          deliver(i, changes);
        },
      },
      onChanged: { addListener: (l) => listeners[i].add(l), removeListener: (l) => listeners[i].delete(l) },
    });
    const now = clock();
    const [a, b] = [createFavoritesService({ getEntry, now, storage: storage(0) }), createFavoritesService({ getEntry, now, storage: storage(1) })];
    const settle = async () => {
      for (let i = 0; i < 20; i++) {
        await new Promise((r) => setTimeout(r, 0));
        await a.writer.idle();
        await b.writer.idle();
      }
    };
    const favs = async (s: typeof a) => Object.fromEntries((await s.handlers['favorites:get'](undefined, {})).favorites.map((f) => [f.entryId, f.note]));
    await a.handlers['favorites:save']({ entryId: 'entry-1', note: 'one' }, {});
    await a.handlers['favorites:save']({ entryId: 'entry-5', note: 'five' }, {});
    const r = await a.handlers['favorites:import'](
      {
        favorites: [
          file('entry-1', { note: 'file 1', updatedAt: 1_760_000_000_000 }),
          file('entry-5', { note: 'file 5', updatedAt: 1_760_000_000_000 }),
          file('entry-3'),
          file('entry-4'),
        ],
      },
      {},
    );
    await settle();
    expect(await favs(b)).toEqual({ 'entry-1': 'file 1', 'entry-5': 'file 5', 'entry-3': '', 'entry-4': '' });
    // B edits entry-1 and entry-3 after the import; its write reaches sync only after A's Undo.
    held = [];
    const edits = Promise.all([
      b.handlers['favorites:update']({ entryId: 'entry-1', note: 'edited on B' }, {}),
      b.handlers['favorites:update']({ entryId: 'entry-3', note: 'noted on B' }, {}),
    ]);
    await new Promise((r) => setTimeout(r, 0));
    expect(await a.handlers['favorites:undoImport']({ changes: r.changes }, {})).toEqual({ reverted: 4, left: 0 });
    const release = held;
    held = null;
    release.forEach((go) => go());
    await edits;
    await settle();
    const want = { 'entry-1': 'edited on B', 'entry-5': 'five', 'entry-3': 'noted on B' };
    expect(await favs(a)).toEqual(want);
    expect(await favs(b)).toEqual(want);
    a.dispose();
    b.dispose();
  });
});
