/**
 * Two devices over one storage.sync: each has its own background (writer), its own local
 * storage and its own copy of the change events; the sync area is shared, keeps the last write
 * of each item, and applies reads, writes and event deliveries in whatever order fast-check's
 * scheduler picks. At rest both devices must hold the same favorites as sync, no save (or undo
 * of a removal) may be lost unless the entry is removed later, and no removal undone unless the
 * entry is saved, edited or brought back by undo later.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeStored, type FavoritesStorage, type StorageArea, type StorageListener } from '../../../utils/favorites/store';
import { createFavoritesService, type FavoritesService } from '../../../utils/favorites/writer';
import type { Favorite, FavoriteCore } from '../../../utils/favorites/types';
import { cloneJson as clone, entry, lookup, pickItems as pick } from './helpers';

const ids = ['entry-0', 'entry-1', 'entry-2', 'entry-3'];
const getEntry = lookup(ids.map((id) => entry(id)));

type Items = Record<string, unknown>;

/** A device's own storage.local: immediate, no events (only its own background writes it). */
function memoryArea(): StorageArea {
  const items: Items = {};
  return {
    get: async (keys) => pick(items, keys),
    set: async (obj) => {
      Object.assign(items, clone(obj));
    },
    remove: async (keys) => {
      for (const k of typeof keys === 'string' ? [keys] : keys) delete items[k];
    },
  };
}

/** storage.sync shared by the devices; every get, set and remove and every event delivery is a scheduled task. */
class SharedSync {
  items: Items = {};
  writes = 0;
  private readonly listeners: Set<StorageListener>[] = [];

  constructor(private readonly s: fc.Scheduler) {}

  private changed(changes: Record<string, { newValue?: unknown; oldValue?: unknown }>) {
    if (Object.keys(changes).length === 0) return;
    if (++this.writes > 500) throw new Error('the devices keep writing sync: no convergence');
    for (const [i, set] of this.listeners.entries()) {
      void this.s.schedule(Promise.resolve(), `deliver to device ${i}`).then(() => set.forEach((l) => l(clone(changes), 'sync')));
    }
  }

  device(): FavoritesStorage {
    const i = this.listeners.length;
    const listeners = new Set<StorageListener>();
    this.listeners.push(listeners);
    const sync: StorageArea = {
      get: (keys) => this.s.schedule(Promise.resolve(), `device ${i} get`).then(() => pick(this.items, keys)),
      set: (obj) =>
        this.s.schedule(Promise.resolve(), `device ${i} set ${Object.keys(obj).join(',')}`).then(() => {
          const changes: Record<string, { newValue?: unknown; oldValue?: unknown }> = {};
          for (const [k, v] of Object.entries(obj)) {
            changes[k] = { oldValue: this.items[k], newValue: clone(v) };
            this.items[k] = clone(v);
          }
          this.changed(changes);
        }),
      remove: (keys) =>
        this.s.schedule(Promise.resolve(), `device ${i} remove`).then(() => {
          const changes: Record<string, { oldValue?: unknown }> = {};
          for (const k of typeof keys === 'string' ? [keys] : keys) {
            if (!(k in this.items)) continue;
            changes[k] = { oldValue: this.items[k] };
            delete this.items[k];
          }
          this.changed(changes);
        }),
    };
    return { local: memoryArea(), sync, onChanged: { addListener: (l) => listeners.add(l), removeListener: (l) => listeners.delete(l) } };
  }
}

type Op = { t: 'save'; id: string; note?: string } | { t: 'remove'; id: string } | { t: 'update'; id: string; note: string } | { t: 'restore'; id?: undefined } | { t: 'restart'; id?: undefined };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ t: fc.constant('save' as const), id: fc.constantFrom(...ids), note: fc.option(fc.constantFrom('a', 'b'), { nil: undefined }) }),
  fc.record({ t: fc.constant('remove' as const), id: fc.constantFrom(...ids) }),
  fc.record({ t: fc.constant('update' as const), id: fc.constantFrom(...ids), note: fc.constantFrom('x', 'y') }),
  // Undo of this device's last removal.
  fc.constant({ t: 'restore' as const }),
  // The device's background stops (an idle MV3 service worker, a browser restart) and a new one
  // starts on the same storage, with nothing in memory; other devices' writes meanwhile wake it.
  fc.constant({ t: 'restart' as const }),
);
/** Each round, each device does at most one operation; the two run at the same time. */
const roundsArb = fc.array(fc.tuple(fc.option(opArb, { nil: undefined }), fc.option(opArb, { nil: undefined })), { minLength: 1, maxLength: 8 });

/** One clock for both devices (real time), one second per reading. */
function sharedClock() {
  const c = { t: 1_750_000_000_000, now: () => (c.t += 1000) };
  return c;
}

const flush = () => new Promise((r) => setTimeout(r, 0));

async function settle(s: fc.Scheduler) {
  for (;;) {
    await flush();
    if (s.count() === 0) return;
    await s.waitIdle();
  }
}

const rows = (favs: FavoriteCore[]) => favs.map((f) => [f.entryId, f.savedAt, f.updatedAt, f.note, f.tags.join(',')]).sort((a, b) => (a[0] < b[0] ? -1 : 1));

interface Done {
  round: number;
  device: number;
  op: Op;
  /** The save made a new favorite / the update changed it / the removal removed it / the undo brought these back. */
  effective: boolean;
  restored?: string[];
}

async function run(s: fc.Scheduler, rounds: [Op | undefined, Op | undefined][]) {
  const sync = new SharedSync(s);
  const clock = sharedClock();
  const storages = [sync.device(), sync.device()];
  const start = (device: number) => createFavoritesService({ getEntry, now: clock.now, storage: storages[device] });
  const devices: FavoritesService[] = [0, 1].map(start);
  const done: Done[] = [];
  const lastRemoved: Favorite[][] = [[], []];
  try {
    for (const [round, ops] of rounds.entries()) {
      const pending = ops.map(async (op, device) => {
        if (!op) return;
        const h = devices[device].handlers;
        const before = clock.t;
        let effective: boolean;
        let restored: string[] | undefined;
        if (op.t === 'restart') {
          // A worker stops once idle: its writes are done.
          await devices[device].writer.idle();
          devices[device].dispose();
          devices[device] = start(device);
          lastRemoved[device] = [];
          return;
        }
        if (op.t === 'save') effective = (await h['favorites:save']({ entryId: op.id, note: op.note }, {})).savedAt > before;
        else if (op.t === 'update') effective = ((await h['favorites:update']({ entryId: op.id, note: op.note }, {}))?.updatedAt ?? 0) > before;
        else if (op.t === 'remove') {
          const { removed } = await h['favorites:remove']({ entryIds: [op.id] }, {});
          effective = removed.length > 0;
          if (effective) lastRemoved[device] = removed;
        } else {
          restored = lastRemoved[device].map((f) => f.entryId);
          effective = (await h['favorites:restore']({ favorites: lastRemoved[device] }, {})).restored > 0;
          lastRemoved[device] = [];
        }
        done.push({ round, device, op, effective, restored });
      });
      // Both operations finish; events and other devices' writes may still be on their way.
      await s.waitFor(Promise.all(pending));
    }
    await settle(s);
    const inSync = decodeStored(sync.items, {}, clock.t).state;
    const snaps = [];
    for (const d of devices) {
      const p = d.handlers['favorites:get'](undefined, {});
      await settle(s);
      snaps.push(await p);
    }
    // Converged: both devices hold what sync holds, from sync.
    for (const snap of snaps) {
      expect(snap.area).toBe('sync');
      expect(rows(snap.favorites)).toEqual(rows([...inSync.favorites.values()]));
    }
    const final = new Set(inSync.favorites.keys());
    const touches = (o: Done, id: string) => o.op.id === id || (o.restored ?? []).includes(id);
    for (const d of done) {
      const laterOn = (id: string, kinds: Op['t'][]) => done.some((o) => o !== d && o.round >= d.round && touches(o, id) && kinds.includes(o.op.t));
      // No save, and no undo, is lost unless the entry is removed later (or at the same time elsewhere).
      const added = d.op.t === 'save' && d.effective ? [d.op.id] : d.op.t === 'restore' && d.effective ? (d.restored ?? []) : [];
      for (const id of added) if (!final.has(id)) expect(laterOn(id, ['remove'])).toBe(true);
      // No removal is undone unless the entry is saved, edited or brought back later (or at the same time elsewhere).
      if (d.op.t === 'remove' && d.effective && final.has(d.op.id)) expect(laterOn(d.op.id, ['save', 'update', 'restore'])).toBe(true);
    }
    // At rest: asking each device to sync again writes nothing.
    const writes = sync.writes;
    for (const d of devices) {
      const p = d.writer.retrySync();
      await settle(s);
      await p;
    }
    expect(sync.writes).toBe(writes);
  } finally {
    devices.forEach((d) => d.dispose());
  }
}

describe('two devices, one storage.sync', () => {
  it('converge to the same favorites in any interleaving; no save lost unless removed later, no removal undone unless saved again', async () => {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), roundsArb, async (s, rounds) => run(s, rounds)),
      { numRuns: 200 },
    );
  });
});
