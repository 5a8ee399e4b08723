/**
 * The background's single writer. Every favorites/settings request becomes a job in
 * one FIFO queue; jobs are applied in arrival order to an in-memory copy of the
 * state, and everything that arrived while the previous write was in flight is
 * committed together (one storage write per batch, which also keeps us far below
 * sync's 120 writes a minute). So the popup, the options page and hover cards in
 * several tabs can write at once without losing each other's updates. Another device's
 * write to sync is merged into the state (FavoritesStore.commit), not loaded over it.
 */
import { browser } from 'wxt/browser';
import type { Handlers, Req, Res, SaveInput } from '../messages';
import { importChange, mergeFavorite, planMerge, sameCore, undoImportOf, type ImportChange } from './merge';
import { applySettingsPatch, parseSettings, SETTINGS_KEY, writeSettings } from './settings';
import {
  FavoritesStore,
  MARKER_LIMITS,
  lastTouched,
  markerCutoff,
  resolveFavorite,
  type FavoritesStorage,
  snapshotOf,
  toSnapshot,
  type GetEntry,
  type StoreState,
} from './store';
import type { EntrySnapshot, Favorite, FavoriteCore, RemovalMarker, Settings, StoreNotice } from './types';
import { checkSyncRoom } from './codec';
import { LIMITS, checkCore, checkEntryId, checkFavorite, checkNote, checkTags, isRecord } from './validate';

export const MAX_IMPORT_FAVORITES = 20_000;

export type FavoritesMessage =
  | 'favorites:save'
  | 'favorites:remove'
  | 'favorites:restore'
  | 'favorites:update'
  | 'favorites:get'
  | 'favorites:import'
  | 'favorites:undoImport'
  | 'favorites:dismissNotice'
  | 'settings:get'
  | 'settings:set';

export type FavoritesHandlers = Pick<Handlers, FavoritesMessage>;

export interface FavoritesDeps {
  /** Catalog lookup (utils/catalog getEntry). Without it any valid id can be saved and titles fall back to the cache. */
  getEntry?: GetEntry;
  /** Clock in ms. The default rounds down to whole seconds, which the sync encoding stores most compactly. */
  now?: () => number;
  /** Listen to storage.onChanged for other devices' writes (default true). */
  watch?: boolean;
  /** Default: the browser's storage. */
  storage?: FavoritesStorage;
}

interface Draft {
  favorites: Map<string, FavoriteCore>;
  snapshots: Map<string, EntrySnapshot>;
  notices: StoreNotice[];
  markers: Map<string, RemovalMarker>;
  area: StoreState['area'];
  favoritesChanged: boolean;
  snapshotsChanged: boolean;
  noticesChanged: boolean;
  /** Commit even without changes here: merge what sync holds and write back what it lacks. */
  pull: boolean;
}

type JobKind = 'mutate' | 'settings' | 'read';
interface Job {
  kind: JobKind;
  /** mutate/settings run in order against the draft; read runs on the committed state. */
  run: (d: Draft) => unknown;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

const defaultNow = () => Math.floor(Date.now() / 1000) * 1000;

/**
 * After sync refused a write (its per-minute or per-hour write limit, a passing error), the
 * favorites kept in this browser are offered to sync again whenever a background starts with them
 * kept so, and, while it runs, this long after, then twice as long after each refusal, at most
 * SYNC_RETRIES times (a sync that always refuses, as in a browser with sync turned off, is not
 * asked forever). Chrome stops an idle worker sooner, and its timer with it; Firefox's background runs on.
 */
export const SYNC_RETRY_MS = 65_000;
export const SYNC_RETRIES = 5;
const refusedBySync = (s: StoreState | undefined) => s?.area === 'local' && s.areaNotice?.code === 'sync-unavailable';

function fail(message: string): never {
  throw new Error(message);
}

function must<T>(r: { ok: true; value: T } | { ok: false; error: string }, prefix = ''): T {
  if (!r.ok) fail(prefix + r.error);
  return r.value;
}

export class FavoritesWriter {
  readonly store: FavoritesStore;
  private readonly getEntry?: GetEntry;
  private readonly now: () => number;
  private queue: Job[] = [];
  private running: Promise<void> | null = null;
  private state: StoreState | undefined;
  private dirty = true;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  /** Timed retries since sync last took a write. */
  private retries = 0;
  private unlisten?: () => void;

  constructor(deps: FavoritesDeps = {}) {
    this.getEntry = deps.getEntry;
    this.now = deps.now ?? defaultNow;
    this.store = new FavoritesStore({ getEntry: deps.getEntry, now: this.now, storage: deps.storage });
    if (deps.watch !== false) {
      const listener = (changes: Record<string, { newValue?: unknown }>, areaName: string) => {
        if (!this.store.isForeignChange(changes, areaName)) return;
        // Another device's write to sync: merge it into the state (reloading from sync would drop
        // what this device saved and that write did not have) and write back what it lacks. Also
        // when favorites are kept in this browser only because sync could not take them (or was
        // still receiving another device's favorites): sync has moved, so try again now.
        // Before the first load too: a load under way may have read sync before this write landed.
        const s = this.state;
        if (areaName === 'sync' && (!s || s.area === 'sync' || s.areaNotice?.code === 'sync-unavailable')) void this.retrySync().catch(() => {});
        // Otherwise (local data changed, or favorites kept locally past the quota) read it afresh before the next job.
        else this.dirty = true;
      };
      const events = this.store.areas().onChanged;
      events.addListener(listener);
      this.unlisten = () => events.removeListener(listener);
    }
  }

  dispose(): void {
    this.unlisten?.();
    clearTimeout(this.retryTimer);
  }

  /**
   * Commits the favorites as they are: merges in what sync holds now and writes only what it
   * lacks, and takes favorites kept in this browser back to sync if it accepts them now.
   */
  retrySync(): Promise<void> {
    return this.enqueue('mutate', (d) => {
      d.pull = true;
    });
  }

  /** Resolves when every job queued so far has finished. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  enqueue<T>(kind: JobKind, run: (d: Draft) => T | Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ kind, run, resolve: resolve as (v: unknown) => void, reject });
      if (!this.running) this.running = this.drain();
    });
  }

  private async drain(): Promise<void> {
    // `running` is cleared in the same synchronous step that sees the queue empty, so a
    // job enqueued at any moment either is picked up by this loop or starts a new one.
    for (;;) {
      if (this.queue.length === 0) {
        this.running = null;
        return;
      }
      const batch = this.queue.splice(0);
      try {
        await this.runBatch(batch);
      } catch (err) {
        // A bug must not wedge the queue: fail this batch, reload before the next.
        this.state = undefined;
        batch.forEach((j) => j.reject(err));
      }
    }
  }

  private async runBatch(batch: Job[]): Promise<void> {
    let loaded = false;
    if (!this.state || this.dirty) {
      this.dirty = false;
      try {
        this.state = await this.store.load();
        loaded = true;
      } catch (err) {
        batch.forEach((j) => j.reject(err));
        return;
      }
    }
    const base = this.state;
    const draft: Draft = {
      favorites: new Map(base.favorites),
      snapshots: new Map(base.snapshots),
      notices: [...base.notices],
      markers: new Map(base.markers),
      area: base.area,
      favoritesChanged: false,
      snapshotsChanged: false,
      noticesChanged: false,
      // Kept in this browser because sync refused a write: offered to sync again at every start.
      pull: loaded && refusedBySync(base) && !!this.store.areas().sync,
    };
    const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown } | null)[] = [];
    for (const job of batch) {
      if (job.kind === 'read') {
        outcomes.push(null);
        continue;
      }
      try {
        // Jobs validate before they touch the draft, so a throwing job leaves it as it was.
        outcomes.push({ ok: true, value: await job.run(draft) });
      } catch (error) {
        outcomes.push({ ok: false, error });
      }
    }
    let committed: StoreState = {
      ...base,
      favorites: draft.favorites,
      snapshots: draft.snapshots,
      notices: draft.notices,
      // Removals are recorded whichever area the favorites are in: if sync refuses this write,
      // the markers go to local storage with the favorites and still apply when they go back.
      markers: draft.markers,
    };
    try {
      const changed = draft.favoritesChanged || draft.snapshotsChanged;
      if (changed || draft.pull) committed = await this.store.commit(committed, { pull: !changed });
      if (draft.noticesChanged) await this.store.saveNotices(committed.notices);
      this.state = committed;
      if (committed.area === 'sync') this.retries = 0;
      else if (refusedBySync(committed) && this.store.areas().sync && !this.retryTimer && this.retries < SYNC_RETRIES) {
        this.retryTimer = setTimeout(() => {
          this.retryTimer = undefined;
          this.retries++;
          if (refusedBySync(this.state)) void this.retrySync().catch(() => {});
        }, SYNC_RETRY_MS * 2 ** this.retries);
      }
    } catch (err) {
      // Storage refused even the local fallback: forget the draft and reload before the next job.
      this.state = undefined;
      batch.forEach((job, i) => (job.kind === 'settings' ? settle(job, outcomes[i]) : job.reject(err)));
      return;
    }
    // Reads see what was committed (a return from local to sync may have merged other devices' saves in).
    const finalDraft: Draft = { ...draft, favorites: committed.favorites, snapshots: committed.snapshots, notices: committed.notices, area: committed.area };
    batch.forEach((job, i) => {
      if (job.kind !== 'read') return settle(job, outcomes[i]);
      try {
        job.resolve(job.run(finalDraft));
      } catch (err) {
        job.reject(err);
      }
    });
  }

  /** The current state as the UI sees it (after every queued job). */
  snapshot(d: Draft) {
    const notices = this.state?.areaNotice && d.area === 'local' ? [this.state.areaNotice, ...d.notices] : [...d.notices];
    return { ...toSnapshot({ favorites: d.favorites, snapshots: d.snapshots, area: d.area, notices: [] }, this.getEntry), notices };
  }

  resolve(d: Draft, core: FavoriteCore): Favorite {
    return resolveFavorite(core, d.snapshots, this.getEntry);
  }

  // -------------------------------------------------------------------------
  // Operations (each validates first, then mutates the draft)

  save(input: SaveInput): Promise<Favorite> {
    return this.enqueue('mutate', (d) => {
      if (!isRecord(input)) fail('favorites:save needs { entryId }');
      const entryId = must(checkEntryId(input.entryId));
      const note = input.note === undefined ? undefined : must(checkNote(input.note));
      const tags = input.tags === undefined ? undefined : must(checkTags(input.tags));
      const cur = d.favorites.get(entryId);
      if (cur) {
        // Saving a saved entry keeps it: never a toggle.
        return this.resolve(d, this.edit(d, cur, note, tags));
      }
      const entry = this.getEntry?.(entryId);
      if (this.getEntry && !entry && !d.snapshots.has(entryId)) fail(`"${entryId}" is not in the catalog`);
      const t = this.now();
      const fav: FavoriteCore = { entryId, savedAt: t, updatedAt: t, note: note ?? '', tags: tags ?? [] };
      must(checkSyncRoom(fav));
      d.favorites.set(entryId, fav);
      this.revive(d, fav);
      d.favoritesChanged = true;
      if (entry) this.cacheSnapshot(d, entryId, snapshotOf(entry));
      return this.resolve(d, fav);
    });
  }

  private edit(d: Draft, cur: FavoriteCore, note: string | undefined, tags: string[] | undefined): FavoriteCore {
    const next = { ...cur, note: note ?? cur.note, tags: tags ?? cur.tags };
    if (next.note === cur.note && next.tags.length === cur.tags.length && next.tags.every((t, i) => t === cur.tags[i])) return cur;
    must(checkSyncRoom(next));
    next.updatedAt = this.editedAt(cur);
    d.favorites.set(cur.entryId, next);
    d.favoritesChanged = true;
    return next;
  }

  /**
   * The time of an edit of `cur`: strictly newer than its previous one even if this device's clock
   * is behind, so merges pick it; never past the latest time a favorite may carry, or it would not
   * load again.
   */
  private editedAt(cur: FavoriteCore): number {
    return Math.min(LIMITS.maxTime, Math.max(this.now(), cur.updatedAt + 1000));
  }

  /**
   * Records a removal of `id` (or, `live`, that it is present again) at this device's time, at
   * least `floor` (the removed favorite's last change, which a removal must not predate) and
   * later than the id's previous record; never past LIMITS.maxTime.
   */
  private mark(d: Draft, id: string, floor: number, live: boolean) {
    const prev = d.markers.get(id);
    const t = Math.min(LIMITS.maxTime, Math.max(this.now(), floor, prev ? prev.t + 1000 : 0));
    d.markers.set(id, live ? { t, live: true } : { t });
    d.favoritesChanged = true;
  }

  /** A favorite back in the draft whose times predate its removal marker (undo, import) is recorded as present again. */
  private revive(d: Draft, f: FavoriteCore) {
    const m = d.markers.get(f.entryId);
    if (m && !m.live && m.t >= lastTouched(f)) this.mark(d, f.entryId, m.t, true);
  }

  private cacheSnapshot(d: Draft, id: string, snap: EntrySnapshot) {
    if (JSON.stringify(d.snapshots.get(id)) === JSON.stringify(snap)) return;
    d.snapshots.set(id, snap);
    d.snapshotsChanged = true;
  }

  update(input: Req<'favorites:update'>): Promise<Favorite | null> {
    return this.enqueue('mutate', (d) => {
      if (!isRecord(input)) fail('favorites:update needs { entryId }');
      const entryId = must(checkEntryId(input.entryId));
      const note = input.note === undefined ? undefined : must(checkNote(input.note));
      const tags = input.tags === undefined ? undefined : must(checkTags(input.tags));
      const cur = d.favorites.get(entryId);
      return cur ? this.resolve(d, this.edit(d, cur, note, tags)) : null;
    });
  }

  remove(input: Req<'favorites:remove'>): Promise<Res<'favorites:remove'>> {
    return this.enqueue('mutate', (d) => {
      if (!isRecord(input) || !Array.isArray(input.entryIds) || input.entryIds.some((x) => typeof x !== 'string')) {
        fail('favorites:remove needs { entryIds: string[] }');
      }
      const removed: Favorite[] = [];
      // A removal is never older than the time markers are aged from (markerCutoff's reference, the
      // data's own clock): on a device whose clock runs weeks behind it would be dropped by the very
      // write that records it, and another device would write the favorite back. Read once for the
      // batch (it sorts every time in the data).
      const reference = markerCutoff(d) + MARKER_LIMITS.maxAgeMs;
      for (const id of new Set(input.entryIds)) {
        const cur = d.favorites.get(id);
        if (!cur) continue;
        removed.push(this.resolve(d, cur));
        d.favorites.delete(id);
        this.mark(d, id, Math.max(lastTouched(cur), reference), false);
      }
      return { removed };
    });
  }

  /**
   * Validates favorites given to import or restore. Their times are taken no later than this
   * device's clock: a favorite cannot have been saved or edited in the future. One dated ahead
   * would sort first for good, and its time would be among the newest that removal markers are
   * aged from (markerCutoff in store.ts).
   */
  private checkAll(list: unknown, what: string): Favorite[] {
    if (!Array.isArray(list)) fail(`${what} needs { favorites: Favorite[] }`);
    if (list.length > MAX_IMPORT_FAVORITES) fail(`${what}: at most ${MAX_IMPORT_FAVORITES} favorites at once`);
    const favs = list.map((f, i) => {
      const fav = must(checkFavorite(f), `${what}: favorite #${i + 1}: `);
      // An import must not bring in a favorite too big to sync; an undo puts back what was there.
      if (what === 'favorites:import') must(checkSyncRoom(fav), `${what}: favorite #${i + 1}: `);
      return fav;
    });
    const now = this.now();
    return favs.map((f) => (f.savedAt > now || f.updatedAt > now ? { ...f, savedAt: Math.min(f.savedAt, now), updatedAt: Math.min(f.updatedAt, now) } : f));
  }

  private keepSnapshot(d: Draft, f: Favorite) {
    // The catalog is fresher when it has the entry; otherwise the copy that came with the favorite is all we know.
    const entry = this.getEntry?.(f.entryId);
    if (entry) this.cacheSnapshot(d, f.entryId, snapshotOf(entry));
    else if (!d.snapshots.has(f.entryId)) this.cacheSnapshot(d, f.entryId, { title: f.title, kind: f.kind, links: f.links });
  }

  restore(input: Req<'favorites:restore'>): Promise<Res<'favorites:restore'>> {
    return this.enqueue('mutate', (d) => {
      const favs = this.checkAll(isRecord(input) ? input.favorites : undefined, 'favorites:restore');
      let restored = 0;
      const back: Favorite[] = [];
      for (const f of favs) {
        const core: FavoriteCore = { entryId: f.entryId, savedAt: f.savedAt, updatedAt: f.updatedAt, note: f.note, tags: f.tags };
        const cur = d.favorites.get(f.entryId);
        let next = core;
        const refill = !!cur && !cur.note && !cur.tags.length && !!(f.note || f.tags.length);
        if (cur && refill) {
          // Saved again (with its star, which carries nothing) between removal and undo: the undo
          // brings back the note and tags that were removed, as an edit, so other devices take them.
          next = { ...cur, savedAt: Math.min(cur.savedAt, f.savedAt), note: f.note, tags: [...f.tags], updatedAt: this.editedAt(cur) };
        } else if (cur) {
          // Saved and edited again meanwhile: keep both histories (earliest save, newest note).
          next = mergeFavorite(cur, core);
        }
        if (!cur || refill) restored++;
        if (!cur || !sameCore(cur, next)) {
          d.favorites.set(f.entryId, next);
          d.favoritesChanged = true;
        }
        this.revive(d, next);
        this.keepSnapshot(d, f);
        back.push(this.resolve(d, next));
      }
      return { restored, favorites: back };
    });
  }

  import(input: Req<'favorites:import'>): Promise<Res<'favorites:import'>> {
    return this.enqueue('mutate', (d) => {
      const favs = this.checkAll(isRecord(input) ? input.favorites : undefined, 'favorites:import');
      const existing = [...d.favorites.values()].map((c) => this.resolve(d, c));
      const plan = planMerge(existing, favs);
      // What the import changed, each favorite before and after it, for an Undo (undoImport).
      const changes: ImportChange[] = [];
      for (const f of [...plan.added, ...plan.updated.map((u) => u.after)]) {
        const core: FavoriteCore = { entryId: f.entryId, savedAt: f.savedAt, updatedAt: f.updatedAt, note: f.note, tags: [...f.tags] };
        const change = importChange(d.favorites.get(f.entryId), core);
        if (change) changes.push(change);
        d.favorites.set(f.entryId, core);
        this.revive(d, core);
        d.favoritesChanged = true;
      }
      for (const f of plan.added) this.keepSnapshot(d, f);
      return { added: plan.added.length, updated: plan.updated.length, unchanged: plan.unchanged.length, changes };
    });
  }

  /**
   * Undoes an import (`changes`, as `favorites:import` returned them), as far as it is still what
   * the import left: a favorite it added goes if it is still as the import added it; of one it
   * updated, the note and the tags each go back if they are still the import's (see undoImportOf).
   * Whatever was edited, removed or saved anew since, here or on another device, is left as it is.
   *
   * Both are dated so that nothing made since on another device and not yet arrived here loses to
   * them: the removal at the import's copy (the time it carries, no earlier than the time markers
   * are aged from, and after the import's own record of the entry), not at this device's clock, so
   * a copy saved or edited after it stays; the note and tags that go back, one second after the
   * import's edit, so they replace the import's copy everywhere but not a later edit.
   */
  undoImport(input: Req<'favorites:undoImport'>): Promise<Res<'favorites:undoImport'>> {
    return this.enqueue('mutate', (d) => {
      const list = isRecord(input) ? input.changes : undefined;
      if (!Array.isArray(list)) fail('favorites:undoImport needs { changes: ImportChange[] }');
      if (list.length > MAX_IMPORT_FAVORITES) fail(`favorites:undoImport: at most ${MAX_IMPORT_FAVORITES} favorites at once`);
      const changes = list.map((c, i): ImportChange => {
        const what = `favorites:undoImport: change #${i + 1}: `;
        if (!isRecord(c)) fail(`${what}not an object`);
        const after = must(checkCore(c.after), what);
        const before = c.before === undefined ? undefined : must(checkCore(c.before), what);
        if (c.entryId !== after.entryId || (before && before.entryId !== after.entryId)) fail(`${what}entry IDs differ`);
        return before ? { entryId: after.entryId, before, after } : { entryId: after.entryId, after };
      });
      const reference = markerCutoff(d) + MARKER_LIMITS.maxAgeMs;
      let reverted = 0;
      let left = 0;
      for (const { entryId, before, after } of changes) {
        const cur = d.favorites.get(entryId);
        const { next, left: kept } = undoImportOf(cur, before, after);
        if (!cur || !next) {
          if (kept) left++;
          continue;
        }
        if (next === 'remove') {
          d.favorites.delete(entryId);
          const prev = d.markers.get(entryId);
          const t = Math.min(LIMITS.maxTime, Math.max(lastTouched(cur), reference, prev ? prev.t + 1000 : 0));
          d.markers.set(entryId, { t });
          d.favoritesChanged = true;
          reverted++;
          continue;
        }
        // A note and tags going back together with the user's own change of the other would not fit: left as it is.
        if (!checkSyncRoom(next).ok) {
          left++;
          continue;
        }
        next.updatedAt = Math.min(LIMITS.maxTime, Math.max(cur.updatedAt, after.updatedAt) + 1000);
        d.favorites.set(entryId, next);
        d.favoritesChanged = true;
        reverted++;
        // Some of it changed since (the note edited, the tags left): that part stays.
        if (kept) left++;
      }
      return { reverted, left };
    });
  }

  dismissNotice(input: Req<'favorites:dismissNotice'>): Promise<void> {
    return this.enqueue('mutate', (d) => {
      const id = isRecord(input) && typeof input.id === 'string' ? input.id : undefined;
      const kept = id === undefined ? [] : d.notices.filter((n) => n.id !== id);
      if (kept.length !== d.notices.length) {
        d.notices = kept;
        d.noticesChanged = true;
      }
    });
  }

  get(): Promise<Res<'favorites:get'>> {
    return this.enqueue('read', (d) => this.snapshot(d));
  }

  getSettings(): Promise<Settings> {
    return this.enqueue('settings', async (d) => {
      const raw = (await browser.storage.sync.get(SETTINGS_KEY))[SETTINGS_KEY];
      const { settings, invalid } = parseSettings(raw);
      if (invalid.length) {
        // Set the bad record aside and store the repaired one, so the notice appears once.
        const n = await this.store.setAside('sync', SETTINGS_KEY, raw, `Some settings could not be read (${invalid.join(', ')}) and were reset to their defaults.`);
        d.notices.push(n);
        d.noticesChanged = true;
        await writeSettings(settings);
      }
      return settings;
    });
  }

  setSettings(patch: Req<'settings:set'>): Promise<Settings> {
    return this.enqueue('settings', async () => {
      const raw = (await browser.storage.sync.get(SETTINGS_KEY))[SETTINGS_KEY];
      const next = applySettingsPatch(parseSettings(raw).settings, patch);
      await writeSettings(next);
      return next;
    });
  }
}

function settle(job: Job, outcome: { ok: true; value: unknown } | { ok: false; error: unknown } | null) {
  if (!outcome) return;
  if (outcome.ok) job.resolve(outcome.value);
  else job.reject(outcome.error);
}

export interface FavoritesService {
  handlers: FavoritesHandlers;
  writer: FavoritesWriter;
  dispose(): void;
}

export function createFavoritesService(deps: FavoritesDeps = {}): FavoritesService {
  const writer = new FavoritesWriter(deps);
  const handlers: FavoritesHandlers = {
    'favorites:save': (data) => writer.save(data),
    'favorites:remove': (data) => writer.remove(data),
    'favorites:restore': (data) => writer.restore(data),
    'favorites:update': (data) => writer.update(data),
    'favorites:get': () => writer.get(),
    'favorites:import': (data) => writer.import(data),
    'favorites:undoImport': (data) => writer.undoImport(data),
    'favorites:dismissNotice': (data) => writer.dismissNotice(data),
    'settings:get': () => writer.getSettings(),
    'settings:set': (data) => writer.setSettings(data),
  };
  return { handlers, writer, dispose: () => writer.dispose() };
}

/**
 * The background's handlers for 'favorites:*' and 'settings:*'. Call once, inside
 * defineBackground's main(), and spread into the handler map given to dispatch().
 */
export function createFavoritesHandlers(deps: FavoritesDeps = {}): FavoritesHandlers {
  return createFavoritesService(deps).handlers;
}
