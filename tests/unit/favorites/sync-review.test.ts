/**
 * Two or more devices over one storage.sync, step by step: reads and writes apply at once,
 * each device hears of each write through its own change event (a timer later), and a device's
 * events can be held back to play a device that is offline or asleep. `foreignSet` writes to
 * sync as another build would.
 */
import { describe, expect, it } from 'vitest';
import { MARKER_LIMITS, decodeStored, joinFavorite, pruneMarkers, type FavoritesStorage, type StorageArea, type StorageListener } from '../../../utils/favorites/store';
import { encodeChunk, encodeMarkers } from '../../../utils/favorites/codec';
import type { FavoriteCore, RemovalMarker } from '../../../utils/favorites/types';
import { createFavoritesService, type FavoritesService } from '../../../utils/favorites/writer';
import { cloneJson as clone, fav, pickItems as pick } from './helpers';

type Items = Record<string, unknown>;
type Changes = Record<string, { newValue?: unknown; oldValue?: unknown }>;

const DAY = 86_400_000;
const T0 = 1_750_000_000_000;

function memoryArea(items: Items, onChange?: (c: Changes) => void): StorageArea {
  return {
    get: async (keys) => pick(items, keys),
    set: async (obj) => {
      const changes: Changes = {};
      for (const [k, v] of Object.entries(obj)) {
        changes[k] = { oldValue: items[k], newValue: clone(v) };
        items[k] = clone(v);
      }
      onChange?.(changes);
    },
    remove: async (keys) => {
      const changes: Changes = {};
      for (const k of typeof keys === 'string' ? [keys] : keys) {
        if (!(k in items)) continue;
        changes[k] = { oldValue: items[k] };
        delete items[k];
      }
      onChange?.(changes);
    },
  };
}

class Shared {
  items: Items = {};
  writes = 0;
  private readonly devices: { listeners: Set<StorageListener>; held: boolean; queue: Changes[] }[] = [];
  private readonly area = memoryArea(this.items, (c) => this.emit(c));

  device(): FavoritesStorage {
    const d = { listeners: new Set<StorageListener>(), held: false, queue: [] as Changes[] };
    this.devices.push(d);
    return { local: memoryArea({}), sync: this.area, onChanged: { addListener: (l) => d.listeners.add(l), removeListener: (l) => d.listeners.delete(l) } };
  }

  /** Holds back (true) or delivers, in order, and then passes on (false) device i's change events. */
  hold(i: number, on: boolean) {
    const d = this.devices[i];
    d.held = on;
    if (!on) for (const c of d.queue.splice(0)) this.deliver(d, c);
  }

  /** A write to sync by something other than these devices' writers. */
  foreignSet(obj: Items) {
    return this.area.set(obj);
  }

  private emit(changes: Changes) {
    if (Object.keys(changes).length === 0) return;
    this.writes++;
    for (const d of this.devices) {
      if (d.held) d.queue.push(changes);
      else this.deliver(d, changes);
    }
  }

  private deliver(d: { listeners: Set<StorageListener> }, changes: Changes) {
    setTimeout(() => d.listeners.forEach((l) => l(clone(changes), 'sync')), 0);
  }
}

async function settle(services: FavoritesService[]) {
  for (let i = 0; i < 20; i++) {
    await new Promise((r) => setTimeout(r, 0));
    await Promise.all(services.map((s) => s.writer.idle()));
  }
}

const ids = (s: Shared, now: number) => [...decodeStored(s.items, {}, now).state.favorites.keys()].sort();
const markersIn = (s: Shared, now: number) => decodeStored(s.items, {}, now).state.markers;

function world() {
  const s = new Shared();
  const w = {
    s,
    now: T0,
    clock: () => (w.now += 1000),
    svc: (ahead = 0) => createFavoritesService({ now: () => w.clock() + ahead, storage: s.device() }),
  };
  return w;
}

/** Devices A and C both hold xx and yy; then C stops hearing of sync's changes while A removes xx. */
async function removedWhileCAway() {
  const w = world();
  const A = w.svc();
  const C = w.svc();
  await A.handlers['favorites:save']({ entryId: 'xx' }, {});
  await A.handlers['favorites:save']({ entryId: 'yy' }, {});
  await settle([A, C]);
  w.s.hold(1, true);
  await A.handlers['favorites:remove']({ entryIds: ['xx'] }, {});
  await settle([A]);
  return { w, A, C };
}

describe('removal markers and times far ahead', () => {
  it('a removal stays removed after a favorite dated 40 days ahead was imported', async () => {
    const w = world();
    const A = w.svc();
    const B = w.svc();
    await A.handlers['favorites:import']({ favorites: [fav('ff', { savedAt: T0 + 40 * DAY, updatedAt: T0 + 40 * DAY })] }, {});
    await A.handlers['favorites:save']({ entryId: 'xx' }, {});
    await settle([A, B]);
    await A.handlers['favorites:remove']({ entryIds: ['xx'] }, {});
    await settle([A, B]);
    expect(ids(w.s, w.now)).toEqual(['ff']);
    expect((await B.handlers['favorites:get'](undefined, {})).favorites.map((f) => f.entryId)).toEqual(['ff']);
    A.dispose();
    B.dispose();
  });

  it('an imported favorite is dated no later than the import', async () => {
    const w = world();
    const A = w.svc();
    await A.handlers['favorites:import']({ favorites: [fav('ff', { savedAt: T0 + 40 * DAY, updatedAt: T0 + 41 * DAY }), fav('old-one')] }, {});
    const got = decodeStored(w.s.items, {}, w.now).state.favorites;
    expect(got.get('ff')!.savedAt).toBeLessThanOrEqual(w.now);
    expect(got.get('ff')!.updatedAt).toBeLessThanOrEqual(w.now);
    expect(got.get('old-one')!.savedAt).toBe(fav('old-one').savedAt);
    A.dispose();
  });

  it('a save by a device whose clock runs 40 days ahead does not age out removals made on another', async () => {
    const w = world();
    const F = w.svc(40 * DAY);
    const A = w.svc();
    await F.handlers['favorites:save']({ entryId: 'ff' }, {});
    await settle([F, A]);
    await A.handlers['favorites:save']({ entryId: 'xx' }, {});
    await settle([F, A]);
    await A.handlers['favorites:remove']({ entryIds: ['xx'] }, {});
    await settle([F, A]);
    expect(ids(w.s, w.now)).toEqual(['ff']);
    expect(markersIn(w.s, w.now).has('xx')).toBe(true);
    F.dispose();
    A.dispose();
  });

  it('removing the favorite dated ahead, then saving and removing another: both stay removed', async () => {
    const w = world();
    const F = w.svc(40 * DAY);
    const A = w.svc();
    await F.handlers['favorites:save']({ entryId: 'ff' }, {});
    await F.handlers['favorites:save']({ entryId: 'kept' }, {});
    await settle([F, A]);
    // Its removal is recorded at its own time, 40 days ahead.
    await A.handlers['favorites:remove']({ entryIds: ['ff'] }, {});
    await settle([F, A]);
    await A.handlers['favorites:save']({ entryId: 'yy' }, {});
    await settle([F, A]);
    await A.handlers['favorites:remove']({ entryIds: ['yy'] }, {});
    await settle([F, A]);
    expect(ids(w.s, w.now)).toEqual(['kept']);
    expect([...markersIn(w.s, w.now).keys()].sort()).toEqual(['ff', 'yy']);
    for (const d of [F, A]) expect((await d.handlers['favorites:get'](undefined, {})).favorites.map((f) => f.entryId)).toEqual(['kept']);
    F.dispose();
    A.dispose();
  });

  it('with times far ahead in the data, both devices prune the same old markers and a further round writes nothing', async () => {
    const w = world();
    const row = (entryId: string, t: number): FavoriteCore => ({ entryId, savedAt: t, updatedAt: t, note: '', tags: [] });
    // Twenty favorites saved over the last days, five dated 300 days ahead, and two removal markers.
    const recent = Array.from({ length: 20 }, (_, i) => row(`kept-${i}`, T0 - (i + 1) * 3_600_000));
    const ahead = Array.from({ length: 5 }, (_, i) => row(`far-ahead-${i}`, T0 + 300 * DAY + i * 1000));
    await w.s.foreignSet({
      'fav:meta': { v: 1, n: 1, r: 1 },
      'fav:v1:0': encodeChunk([...recent, ...ahead]),
      'fav:rm:0': encodeMarkers(new Map<string, RemovalMarker>([['old-one', { t: T0 - 40 * DAY }], ['recent-one', { t: T0 - 10 * DAY }]])),
    });
    const A = w.svc();
    const B = w.svc();
    await A.handlers['favorites:save']({ entryId: 'xx' }, {});
    await B.handlers['favorites:save']({ entryId: 'yy' }, {});
    await settle([A, B]);
    await B.handlers['favorites:remove']({ entryIds: ['yy'] }, {});
    await settle([A, B]);
    expect(ids(w.s, w.now)).toEqual([...recent, ...ahead].map((f) => f.entryId).concat('xx').sort());
    // Aged from the activity around now, not from the times 300 days ahead.
    expect([...markersIn(w.s, w.now).keys()].sort()).toEqual(['recent-one', 'yy']);
    const writes = w.s.writes;
    await A.writer.retrySync();
    await B.writer.retrySync();
    await settle([A, B]);
    expect(w.s.writes).toBe(writes);
    for (const d of [A, B]) expect((await d.handlers['favorites:get'](undefined, {})).favorites).toHaveLength(26);
    A.dispose();
    B.dispose();
  });

  it('pruneMarkers: a few times far ahead do not move the horizon; markers newer than the activity are kept', () => {
    const row = (entryId: string, t: number): FavoriteCore => ({ entryId, savedAt: t, updatedAt: t, note: '', tags: [] });
    const favorites = new Map<string, FavoriteCore>();
    for (let i = 0; i < 30; i++) favorites.set(`now-${i}`, row(`now-${i}`, T0 - i * 1000));
    // Fifteen favorites and one marker far ahead: sixteen times, which do not count.
    for (let i = 0; i < MARKER_LIMITS.skipNewest - 1; i++) favorites.set(`ahead-${i}`, row(`ahead-${i}`, T0 + 100 * DAY + i * 1000));
    const markers = new Map<string, RemovalMarker>([
      ['ahead', { t: T0 + 60 * DAY }],
      // The newest time after those: markers are aged from it.
      ['fresh', { t: T0 + 2000 }],
      ['edge', { t: T0 + 2000 - MARKER_LIMITS.maxAgeMs }],
      ['old', { t: T0 + 1000 - MARKER_LIMITS.maxAgeMs }],
    ]);
    expect([...pruneMarkers(markers, favorites).keys()].sort()).toEqual(['ahead', 'edge', 'fresh']);
    // Fewer times than that: nothing is old yet.
    expect([...pruneMarkers(markers, new Map()).keys()].sort()).toEqual(['ahead', 'edge', 'fresh', 'old']);
  });
});

describe('a write by the build before removal markers', () => {
  it('keeps the removal markers sync holds: a stale device does not write a removed favorite back', async () => {
    const { w, A, C } = await removedWhileCAway();
    A.dispose();
    // The previous build rewrites the layout: a meta without `r`, its chunk; the marker item stays.
    const yy = decodeStored(w.s.items, {}, w.now).state.favorites.get('yy')!;
    const zz = { entryId: 'zz', savedAt: (w.now += 1000), updatedAt: w.now, note: '', tags: [] };
    await w.s.foreignSet({ 'fav:meta': { v: 1, n: 1 }, 'fav:v1:0': encodeChunk([yy, zz]) });
    const A2 = w.svc();
    await A2.handlers['favorites:save']({ entryId: 'ww' }, {});
    await settle([A2]);
    expect(markersIn(w.s, w.now).has('xx')).toBe(true);
    w.s.hold(1, false);
    await settle([A2, C]);
    expect(ids(w.s, w.now)).toEqual(['ww', 'yy', 'zz']);
    expect((await C.handlers['favorites:get'](undefined, {})).favorites.map((f) => f.entryId).sort()).toEqual(['ww', 'yy', 'zz']);
    A2.dispose();
    C.dispose();
  });

  const row = (entryId: string, t = T0): FavoriteCore => ({ entryId, savedAt: t, updatedAt: t, note: '', tags: [] });
  const markerItem = encodeMarkers(new Map<string, RemovalMarker>([['gone-one', { t: T0 + 5000 }]]));

  it('a meta without `r`: every fav:rm:<n> item sync holds is read, none is waited for', () => {
    const d = decodeStored({ 'fav:meta': { v: 1, n: 1 }, 'fav:v1:0': encodeChunk([row('kept'), row('gone-one')]), 'fav:rm:1': markerItem, 'fav:rm:x': 'not ours' }, {}, T0);
    expect(d.legacy).toBe(true);
    expect(d.incomplete).toBe(false);
    expect([...d.state.markers.keys()]).toEqual(['gone-one']);
    expect([...d.state.favorites.keys()]).toEqual(['kept']);
    expect(d.setAside).toEqual({});
  });

  it.each([['1'], [-1], [1.5]])('a meta with `r` %j is set aside with a notice; the chunks and marker items are still read', (r) => {
    const meta = { v: 1, n: 1, r };
    const d = decodeStored({ 'fav:meta': meta, 'fav:v1:0': encodeChunk([row('kept'), row('gone-one')]), 'fav:rm:0': markerItem }, {}, T0);
    expect([...d.state.markers.keys()]).toEqual(['gone-one']);
    expect([...d.state.favorites.keys()]).toEqual(['kept']);
    expect(Object.values(d.setAside)).toEqual([expect.objectContaining({ key: 'fav:meta', area: 'sync', value: meta })]);
    expect(d.newNotices.map((n) => n.code)).toEqual(['corrupt-data-quarantined']);
    expect(d.rewrite).toBe(true);
    expect(d.incomplete).toBe(false);
  });

  it('loading a meta with an unreadable `r` keeps its removal records and writes a good header', async () => {
    const w = world();
    await w.s.foreignSet({ 'fav:meta': { v: 1, n: 1, r: '1' }, 'fav:v1:0': encodeChunk([row('kept'), row('gone-one')]), 'fav:rm:0': markerItem });
    const A = w.svc();
    const snap = await A.handlers['favorites:get'](undefined, {});
    expect(snap.favorites.map((f) => f.entryId)).toEqual(['kept']);
    expect(snap.notices.map((n) => n.code)).toEqual(['corrupt-data-quarantined']);
    expect(w.s.items['fav:meta']).toEqual({ v: 1, n: 1, r: 1 });
    expect([...markersIn(w.s, w.now).keys()]).toEqual(['gone-one']);
    A.dispose();
  });

  it('loading a meta that cannot be read at all (not an object, or a count past what sync holds) keeps its removal records too', async () => {
    for (const meta of ['{not json', { v: 1, n: 600, r: 1 }]) {
      const w = world();
      await w.s.foreignSet({ 'fav:meta': meta, 'fav:v1:0': encodeChunk([row('kept'), row('gone-one')]), 'fav:rm:0': markerItem });
      const A = w.svc();
      const snap = await A.handlers['favorites:get'](undefined, {});
      expect(snap.favorites.map((f) => f.entryId), JSON.stringify(meta)).toEqual(['kept']);
      expect(w.s.items['fav:meta']).toEqual({ v: 1, n: 1, r: 1 });
      expect([...markersIn(w.s, w.now).keys()]).toEqual(['gone-one']);
      A.dispose();
    }
  });
});

/** A device whose sync storage can refuse writes, with a local area that outlives its background. */
function flakyDevice(w: ReturnType<typeof world>) {
  const base = w.s.device();
  const local = memoryArea({});
  const c = {
    refuse: false,
    service: () => createFavoritesService({ now: () => w.clock(), storage }),
  };
  const storage: FavoritesStorage = {
    ...base,
    local,
    sync: {
      ...base.sync!,
      set: async (obj) => {
        if (c.refuse) throw new Error('MAX_WRITE_OPERATIONS_PER_MINUTE quota exceeded');
        return base.sync!.set(obj);
      },
    },
  };
  return c;
}

describe('a device away for longer than removal markers are kept', () => {
  it('does not bring back a favorite removed while it was away', async () => {
    const { w, A, C } = await removedWhileCAway();
    // A is used every day for 48 days; the removal's marker ages out of sync.
    for (let day = 1; day <= 48; day++) {
      w.now += 86_400_000;
      await A.handlers['favorites:save']({ entryId: `day-${day}` }, {});
      await settle([A]);
    }
    expect(markersIn(w.s, w.now).has('xx')).toBe(false);
    w.s.hold(1, false);
    await settle([A, C]);
    const expected = ['yy', ...Array.from({ length: 48 }, (_, i) => `day-${i + 1}`)].sort();
    expect(ids(w.s, w.now)).toEqual(expected);
    for (const d of [A, C]) expect((await d.handlers['favorites:get'](undefined, {})).favorites.map((f) => f.entryId).sort()).toEqual(expected);
    A.dispose();
    C.dispose();
  });

  it('nor when it kept its favorites in this browser meanwhile (sync refused its writes), asleep or hearing each change, restarted or not', async () => {
    for (const [asleep, restart] of [[true, false], [true, true], [false, false], [false, true]]) {
      const w = world();
      const A = w.svc();
      const c = flakyDevice(w);
      let C = c.service();
      await A.handlers['favorites:save']({ entryId: 'xx' }, {});
      await A.handlers['favorites:save']({ entryId: 'yy' }, {});
      await settle([A, C]);
      // C's next save is refused by sync: its favorites are kept in this browser.
      c.refuse = true;
      await C.handlers['favorites:save']({ entryId: 'c-local' }, {});
      await settle([C]);
      expect((await C.handlers['favorites:get'](undefined, {})).area).toBe('local');
      // A removes xx and is used every day for 48 days, while C sleeps or, awake, tries to write
      // each change it hears of to sync and keeps its favorites in this browser again.
      w.s.hold(1, asleep);
      await A.handlers['favorites:remove']({ entryIds: ['xx'] }, {});
      for (let day = 1; day <= 48; day++) {
        w.now += DAY;
        await A.handlers['favorites:save']({ entryId: `day-${day}` }, {});
        await settle([A, C]);
      }
      expect(markersIn(w.s, w.now).has('xx')).toBe(false);
      expect((await C.handlers['favorites:get'](undefined, {})).area).toBe('local');
      if (restart) {
        C.dispose();
        C = c.service();
      }
      // C wakes and sync takes its writes again.
      c.refuse = false;
      w.s.hold(1, false);
      await C.handlers['favorites:save']({ entryId: 'c-back' }, {});
      await settle([A, C]);
      expect((await C.handlers['favorites:get'](undefined, {})).area).toBe('sync');
      const expected = ['yy', 'c-local', 'c-back', ...Array.from({ length: 48 }, (_, i) => `day-${i + 1}`)].sort();
      expect(ids(w.s, w.now), `asleep: ${asleep}, restart: ${restart}`).toEqual(expected);
      for (const d of [A, C]) expect((await d.handlers['favorites:get'](undefined, {})).favorites.map((f) => f.entryId).sort()).toEqual(expected);
      A.dispose();
      C.dispose();
    }
  });

  it('a favorite missing from another device’s write, with no marker, while markers of that time are still kept, is written back', async () => {
    const w = world();
    const A = w.svc();
    await A.handlers['favorites:save']({ entryId: 'xx' }, {});
    await A.handlers['favorites:save']({ entryId: 'yy' }, {});
    await settle([A]);
    const yy = decodeStored(w.s.items, {}, w.now).state.favorites.get('yy')!;
    // A write of this layout (it has `r`) by a device that had not seen xx: no removal marker for it.
    await w.s.foreignSet({ 'fav:meta': { v: 1, n: 1, r: 0 }, 'fav:v1:0': encodeChunk([yy]) });
    await settle([A]);
    expect(ids(w.s, w.now)).toEqual(['xx', 'yy']);
    A.dispose();
  });

  it('an import of favorites dated long ago that another device’s write left out is written back', async () => {
    const w = world();
    const A = w.svc();
    const old = fav('imported-one', { savedAt: T0 - 400 * DAY, updatedAt: T0 - 400 * DAY });
    await A.handlers['favorites:import']({ favorites: [old] }, {});
    await settle([A]);
    // Another device, which had not seen the import, writes its twenty recent saves.
    const recent = Array.from({ length: 20 }, (_, i) => ({ entryId: `recent-${i}`, savedAt: w.now + i * 1000, updatedAt: w.now + i * 1000, note: '', tags: [] }));
    await w.s.foreignSet({ 'fav:meta': { v: 1, n: 1, r: 0 }, 'fav:v1:0': encodeChunk(recent) });
    await settle([A]);
    expect(ids(w.s, w.now)).toContain('imported-one');
    A.dispose();
  });
});


describe('a star on a device that has not heard of another device’s save', () => {
  it('keeps the note and tags the other device saved, on both devices and in sync', async () => {
    const w = world();
    const A = w.svc();
    const B = w.svc();
    await A.handlers['favorites:save']({ entryId: 'other' }, {});
    await B.handlers['favorites:get'](undefined, {});
    await settle([A, B]);
    // A does not hear of B's save (offline, or the change event still on its way).
    w.s.hold(0, true);
    await B.handlers['favorites:save']({ entryId: 'xx', note: 'read section 3 first', tags: ['todo'] }, {});
    await settle([B]);
    // Later by the clock, A stars the same entry on a hover card.
    await A.handlers['favorites:save']({ entryId: 'xx' }, {});
    w.s.hold(0, false);
    await settle([A, B]);
    const inSync = decodeStored(w.s.items, {}, w.now).state.favorites.get('xx')!;
    expect([inSync.note, inSync.tags]).toEqual(['read section 3 first', ['todo']]);
    for (const device of [A, B]) {
      const xx = (await device.handlers['favorites:get'](undefined, {})).favorites.find((f) => f.entryId === 'xx')!;
      expect([xx.note, xx.tags]).toEqual(['read section 3 first', ['todo']]);
    }
    A.dispose();
    B.dispose();
  });

  it('a note cleared by an edit still wins over an older note: only a plain save gives way', () => {
    const saved = { entryId: 'xx', savedAt: 10, updatedAt: 10, note: 'old', tags: ['t'] };
    const cleared = { entryId: 'xx', savedAt: 5, updatedAt: 20, note: '', tags: [] };
    const star = { entryId: 'xx', savedAt: 30, updatedAt: 30, note: '', tags: [] };
    expect(joinFavorite(saved, cleared)).toMatchObject({ savedAt: 5, updatedAt: 20, note: '', tags: [] });
    expect(joinFavorite(cleared, saved)).toMatchObject({ savedAt: 5, updatedAt: 20, note: '', tags: [] });
    expect(joinFavorite(star, saved)).toMatchObject({ savedAt: 10, updatedAt: 10, note: 'old', tags: ['t'] });
    expect(joinFavorite(saved, star)).toEqual(joinFavorite(star, saved));
  });

  it('two stars joined first, in whichever order devices merge, still give way to a note', () => {
    // A stars at 100 (in sync), then adds a note at 200 offline; B, offline since before 100, stars at 300.
    const starA = { entryId: 'xx', savedAt: 100, updatedAt: 100, note: '', tags: [] };
    const noted = { entryId: 'xx', savedAt: 100, updatedAt: 200, note: 'my note', tags: ['t'] };
    const starB = { entryId: 'xx', savedAt: 300, updatedAt: 300, note: '', tags: [] };
    const bFirst = joinFavorite(noted, joinFavorite(starB, starA));
    const aFirst = joinFavorite(joinFavorite(noted, starA), starB);
    expect(bFirst).toMatchObject({ note: 'my note', tags: ['t'] });
    expect(aFirst).toEqual(bFirst);
  });
});

describe('a background that starts while another device’s write is still arriving', () => {
  for (const whole of [true, false]) {
    it(`keeps a save of this device that the write replaced, when the write arrives ${whole ? 'whole' : 'in parts'}`, async () => {
      const w = world();
      const A = flakyDevice(w);
      let a = A.service();
      await a.handlers['favorites:save']({ entryId: 'bb' }, {});
      await a.handlers['favorites:save']({ entryId: 'aa', note: 'my note' }, {});
      await settle([a]);
      // The service worker stops; another device, which had not seen aa, rewrites the layout in two chunks.
      a.dispose();
      const t = T0 - 100_000;
      const cc = encodeChunk([{ entryId: 'cc', savedAt: t, updatedAt: t, note: '', tags: [] }]);
      const head = { 'fav:meta': { v: 1, n: 2, r: 0 }, 'fav:v1:0': encodeChunk([{ entryId: 'bb', savedAt: t, updatedAt: t, note: '', tags: [] }]) };
      await w.s.foreignSet(whole ? { ...head, 'fav:v1:1': cc } : head);
      // A's worker starts again (the popup asks for favorites) before the rest has landed.
      a = A.service();
      await a.handlers['favorites:get'](undefined, {});
      await settle([a]);
      if (!whole) {
        await w.s.foreignSet({ 'fav:v1:1': cc });
        await settle([a]);
      }
      const got = (await a.handlers['favorites:get'](undefined, {})).favorites.map((f) => [f.entryId, f.note]);
      expect(got).toContainEqual(['aa', 'my note']);
      expect(ids(w.s, w.now)).toEqual(['aa', 'bb', 'cc']);
      a.dispose();
    });
  }
});

describe('a favorite removed while the favorites are kept in this browser past sync’s quota', () => {
  for (const days of [5, 48]) {
    it(`stays removed when they fit in sync again, ${days} days of use later`, async () => {
      const w = world();
      const A = w.svc();
      await A.handlers['favorites:save']({ entryId: 'xx' }, {});
      await A.handlers['favorites:save']({ entryId: 'yy' }, {});
      await settle([A]);
      // Long notes take the favorites past sync's quota: sync keeps its last copy, which holds xx.
      const bigs = Array.from({ length: 15 }, (_, i) => fav(`big-${i}`, { savedAt: T0 - (i + 1) * 1000, updatedAt: T0 - (i + 1) * 1000, note: '病'.repeat(2333) }));
      await A.handlers['favorites:import']({ favorites: bigs }, {});
      expect((await A.handlers['favorites:get'](undefined, {})).area).toBe('local');
      await A.handlers['favorites:remove']({ entryIds: ['xx'] }, {});
      for (let day = 1; day <= days; day++) {
        w.now += DAY;
        await A.handlers['favorites:save']({ entryId: `day-${day}` }, {});
      }
      expect((await A.handlers['favorites:get'](undefined, {})).area).toBe('local');
      // The long notes go; everything fits in sync again.
      await A.handlers['favorites:remove']({ entryIds: bigs.map((b) => b.entryId) }, {});
      await settle([A]);
      const snap = await A.handlers['favorites:get'](undefined, {});
      expect(snap.area).toBe('sync');
      expect(snap.favorites.map((f) => f.entryId)).not.toContain('xx');
      expect(ids(w.s, w.now)).not.toContain('xx');
      A.dispose();
    });
  }
});

describe('a removal made on a device whose clock runs weeks behind', () => {
  for (const behind of [0, 35]) {
    it(`sticks (${behind} days behind): it is not older than the time markers are aged from`, async () => {
      const w = world();
      const A = w.svc();
      const S = w.svc(-behind * DAY);
      // xx imported with its original date, 40 days ago; then twenty recent saves.
      await A.handlers['favorites:import']({ favorites: [fav('xx', { savedAt: T0 - 40 * DAY, updatedAt: T0 - 40 * DAY })] }, {});
      for (let i = 0; i < 20; i++) await A.handlers['favorites:save']({ entryId: `recent-${i}` }, {});
      await settle([A, S]);
      expect((await S.handlers['favorites:remove']({ entryIds: ['xx'] }, {})).removed).toHaveLength(1);
      await settle([A, S]);
      expect(markersIn(w.s, w.now).has('xx')).toBe(true);
      expect(ids(w.s, w.now)).not.toContain('xx');
      for (const d of [A, S]) expect((await d.handlers['favorites:get'](undefined, {})).favorites.map((f) => f.entryId)).not.toContain('xx');
      A.dispose();
      S.dispose();
    });
  }
});
