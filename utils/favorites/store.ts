/**
 * The one module that knows where favorites live.
 *
 * storage.sync (follows the user; see codec.ts for the byte model):
 *   fav:meta          { v: 1, n, r }         layout version, chunk count, marker item count
 *   fav:v1:0 … n-1    "row~row~…"            compact rows, bucketed by hash of entry id
 *   fav:rm:0 … r-1    "id|time~…"            removal markers, oldest first (see mergeReplicas)
 *   settings:v1       Settings               (settings.ts)
 *   favorites         v0 layout: one array   (migrated to v1, then removed from sync)
 *
 * storage.local (this device only):
 *   fav:state         { area, code?, detail?, at? }   'local' once sync could not take the data
 *   fav:local:v1      { v: 1, favorites: FavoriteCore[], markers }   the full data while area is 'local'
 *   fav:snap:v1       { v: 1, s: { [entryId]: { t, k, l } } } title/kind/links cache for entries that leave the catalog
 *   notices:v1        StoreNotice[]          persisted notices (quarantine), shown on the options page
 *   quarantine:<ms>:<key>[#i]  { key, area, value, reason }  data we could not read, set aside, never deleted
 *   migrated:v0:<ms>  the raw v0 value, kept after a migration
 *
 * Only the background writes (writer.ts); other contexts read through the messages or watchFavorites().
 */
import { browser } from 'wxt/browser';
import type { Entry } from '../catalog/types';
import {
  CHUNK_PREFIX,
  MARKER_PREFIX,
  META_KEY,
  SYNC_QUOTA,
  chunkKey,
  decodeChunk,
  decodeMarkers,
  encodeMarkers,
  isLayoutKey,
  markerKey,
  newerMarker,
  packSync,
  syncBytes,
} from './codec';
import { sameCore } from './merge';
import type { EntrySnapshot, Favorite, FavoriteCore, FavoritesSnapshot, RemovalMarker, StoreNotice } from './types';
import { checkCore, checkEntryId, checkKind, checkLink, checkTitle, isRecord } from './validate';

export { syncBytes, itemBytes, SYNC_QUOTA } from './codec';

export const LAYOUT_VERSION = 1;

export const KEYS = {
  meta: META_KEY,
  chunkPrefix: CHUNK_PREFIX,
  v0: 'favorites',
  state: 'fav:state',
  localData: 'fav:local:v1',
  snapshots: 'fav:snap:v1',
  notices: 'notices:v1',
  quarantinePrefix: 'quarantine:',
  migratedPrefix: 'migrated:v0:',
  /**
   * This device's copy of what it last wrote to or read from sync (StoreState's syncedItems
   * and seenItems), in local storage. A background that starts after another device's write
   * replaced one of those items merges from it as a running one merges from memory. Not a
   * `fav:` key: its writes are no change of favorites for the pages that follow them. While the
   * favorites are kept in this browser it holds only `seen`, the last read they merged.
   */
  mirror: 'sync-mirror:v1',
} as const;

/** Sync bytes and items left free for settings and anything a later version adds. */
export const SYNC_RESERVE = { bytes: 2_048, items: 16 } as const;

/**
 * How long removal markers are kept and how many at most; past the sync quota the oldest are
 * left out too (packSync). Age is counted back from a time in the data, not from a clock (see
 * markerCutoff): `skipNewest` is how many of the newest times that count leaves out.
 */
export const MARKER_LIMITS = { maxAgeMs: 30 * 86_400_000, count: 4_000, skipNewest: 16 } as const;

export type GetEntry = (id: string) => Entry | undefined;

export interface StoreState {
  favorites: Map<string, FavoriteCore>;
  snapshots: Map<string, EntrySnapshot>;
  area: 'sync' | 'local';
  /** Why the area is 'local' (a notice derived from fav:state). */
  areaNotice?: StoreNotice;
  /** Persisted notices (quarantine). */
  notices: StoreNotice[];
  /** Removal markers by entry id: kept with the favorites, in sync or (area 'local') in local storage. */
  markers: Map<string, RemovalMarker>;
  /**
   * The favorites items (`fav:*`) sync held when this state was read from it or last
   * written to it. A commit that finds sync changed since (another device's write landing
   * meanwhile) merges that change in, rather than writing this state over it.
   */
  syncedItems?: Items;
  /**
   * The favorites items sync held when this device last read it (at load, and at the start of
   * each write), without what it then wrote itself. See removalBase.
   */
  seenItems?: Items;
}

type Items = Record<string, unknown>;

/** The favorites' items among sync's (fav:meta, the chunks and the v0 key; not settings). */
function favItems(items: Items): Items {
  const out: Items = {};
  for (const [k, v] of Object.entries(items)) if (isFavoritesKey(k)) out[k] = v;
  return out;
}

function sameReplica(a: Replica, b: Replica): boolean {
  if (a.favorites.size !== b.favorites.size || a.markers.size !== b.markers.size) return false;
  for (const [id, f] of a.favorites) {
    const g = b.favorites.get(id);
    if (!g || !sameCore(f, g)) return false;
  }
  for (const [id, m] of a.markers) {
    const n = b.markers.get(id);
    if (!n || n.t !== m.t || !n.live !== !m.live) return false;
  }
  return true;
}

function sameItems(a: Items, b: Items): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => k in b && JSON.stringify(a[k]) === JSON.stringify(b[k]));
}

/** The latest time a favorite carries; a removal marker at or after it removed this copy. */
export function lastTouched(f: FavoriteCore): number {
  return Math.max(f.savedAt, f.updatedAt);
}

/** Whether marker `m` says this copy of a favorite was removed. */
export function removedBy(f: FavoriteCore, m: RemovalMarker | undefined): boolean {
  return m !== undefined && !m.live && lastTouched(f) <= m.t;
}

/** A copy saved with nothing and never edited since (a star, a context-menu save): it carries no note or tags to keep. */
function plainSave(f: FavoriteCore): boolean {
  return f.updatedAt === f.savedAt && f.note === '' && f.tags.length === 0;
}

/**
 * Two devices' copies of one favorite as one: the earliest savedAt; the note and tags of the
 * later edit (updatedAt), and at the same updatedAt the greater of the two, so that each
 * device picks the same whichever copy it holds. A plain save never wins over a copy with a
 * note or tags, however late: a star pressed on a device that had not yet heard of another
 * device's save with a note would otherwise wipe that note everywhere.
 */
export function joinFavorite(a: FavoriteCore, b: FavoriteCore): FavoriteCore {
  let w = a.updatedAt > b.updatedAt ? a : b;
  if (a.updatedAt === b.updatedAt) w = JSON.stringify([a.note, a.tags]) >= JSON.stringify([b.note, b.tags]) ? a : b;
  if (plainSave(a) !== plainSave(b)) w = plainSave(a) ? b : a;
  // Two plain saves join as one, dated at the later: still plain, so the order devices merge in
  // cannot turn two stars into an "edit" that beats a note (never earlier, which a removal made
  // between the two would then take for removed).
  if (plainSave(a) && plainSave(b)) return { entryId: a.entryId, savedAt: w.updatedAt, updatedAt: w.updatedAt, note: '', tags: [] };
  return { entryId: a.entryId, savedAt: Math.min(a.savedAt, b.savedAt), updatedAt: w.updatedAt, note: w.note, tags: [...w.tags] };
}

/**
 * The time before which a removal marker is old enough to drop: maxAgeMs before the 17th newest
 * (skipNewest + 1) of all the times in the data, each favorite's last change and each marker's
 * time; with fewer times than that, before the oldest, so that no marker is old.
 *
 * Every device computes it from the same favorites and markers, so all devices drop the same
 * markers and none writes back what another dropped (a device's own clock would differ from the
 * others'). The newest times are left out because some can be far ahead of the rest: a save or
 * edit on a device whose clock runs weeks ahead, a favorite stored with a future date before
 * imports took at most the clock's time (writer.ts), and the removal marker of such a favorite,
 * which is dated at its last change. Counted from one of those, a removal made now would be old
 * at once, dropped by the very write that records it, and another device would write the
 * favorite back. While at most 16 times are that far ahead, the cutoff is counted from one that
 * is not.
 */
export function markerCutoff(data: Replica): number {
  const times: number[] = [];
  for (const m of data.markers.values()) times.push(m.t);
  for (const f of data.favorites.values()) times.push(lastTouched(f));
  if (times.length === 0) return -Infinity;
  times.sort((a, b) => b - a);
  return times[Math.min(MARKER_LIMITS.skipNewest, times.length - 1)] - MARKER_LIMITS.maxAgeMs;
}

/** The markers kept (see MARKER_LIMITS): the newest, none older than markerCutoff. */
export function pruneMarkers(markers: Map<string, RemovalMarker>, favorites: Map<string, FavoriteCore>): Map<string, RemovalMarker> {
  const cutoff = markerCutoff({ favorites, markers });
  return newestMarkers(new Map([...markers].filter(([, m]) => m.t >= cutoff)));
}

/** The newest markers, at most MARKER_LIMITS.count, whatever their age. */
function newestMarkers(markers: Map<string, RemovalMarker>): Map<string, RemovalMarker> {
  const all = [...markers].sort(([a, ma], [b, mb]) => mb.t - ma.t || (a < b ? -1 : a > b ? 1 : 0));
  return new Map(all.slice(0, MARKER_LIMITS.count));
}

/** Favorites with their removal markers: one device's state, or what sync holds. */
export interface Replica {
  favorites: Map<string, FavoriteCore>;
  markers: Map<string, RemovalMarker>;
}

/**
 * This device's favorites merged with another copy (what sync holds now). Markers: the newer
 * per id. An id on one side only stays unless a removal marker at or after its last change
 * says it was removed (so a favorite the other device never saw is kept, and one saved or
 * edited after its removal comes back); on both sides the copies are joined (joinFavorite).
 * The result does not depend on which side is whose, so two devices merging each other's
 * writes arrive at the same favorites and stop writing.
 *
 * `base` (see removalBase): favorites this device saw in sync. One of them, unchanged here and
 * missing from theirs, was removed on another device; it gets a marker at its last change.
 */
export function mergeReplicas(mine: Replica, theirs: Replica, base?: Map<string, FavoriteCore>): Replica {
  const markers = new Map(mine.markers);
  for (const [id, m] of theirs.markers) {
    const cur = markers.get(id);
    markers.set(id, cur ? newerMarker(cur, m) : m);
  }
  for (const [id, b] of base ?? []) {
    const m = mine.favorites.get(id);
    if (theirs.favorites.has(id) || !m || !sameCore(m, b)) continue;
    const cur = markers.get(id);
    const removal: RemovalMarker = { t: lastTouched(b) };
    markers.set(id, cur ? newerMarker(cur, removal) : removal);
  }
  const favorites = new Map<string, FavoriteCore>();
  for (const id of new Set([...mine.favorites.keys(), ...theirs.favorites.keys()])) {
    const m = markers.get(id);
    const copies = [mine.favorites.get(id), theirs.favorites.get(id)].filter((f): f is FavoriteCore => f !== undefined && !removedBy(f, m));
    if (copies.length) favorites.set(id, copies.length === 2 ? joinFavorite(copies[0], copies[1]) : copies[0]);
  }
  return { favorites, markers: pruneMarkers(markers, favorites) };
}

/** The newest time in a replica: a favorite's last change or a marker's time. */
function newestTime(r: Replica): number {
  let newest = -Infinity;
  for (const m of r.markers.values()) newest = Math.max(newest, m.t);
  for (const f of r.favorites.values()) newest = Math.max(newest, lastTouched(f));
  return newest;
}

/**
 * The `base` of mergeReplicas when sync holds a layout with markers (`theirs`, now): the
 * favorites this device last read from sync (`seen`), but only when every time in that read is
 * older than markerCutoff(theirs). Then the device has been away or asleep for longer than
 * markers are kept, and a removal made since may have had its marker dropped from sync: a
 * favorite from that read that is missing now, with no marker and unchanged here, was removed.
 * Sooner than that, the marker of any removal made since is still in sync, and a favorite
 * missing without one was left out by a device that wrote without having seen it (two devices
 * writing at once): it is kept and written back. Favorites this device wrote but has not read
 * back are never in `seen`, so a save, or an import of favorites dated long ago, that another
 * device's write left out is written back too.
 */
export function removalBase(seen: Replica | undefined, theirs: Replica): Map<string, FavoriteCore> | undefined {
  if (!seen || newestTime(seen) >= markerCutoff(theirs)) return undefined;
  return seen.favorites;
}

type AreaName = 'sync' | 'local';

// ---------------------------------------------------------------------------
// Snapshots and orphans

export function snapshotOf(entry: Entry): EntrySnapshot {
  return { title: entry.title, kind: entry.kind, links: entry.links.map((l) => ({ ...l })) };
}

/** A favorite whose entry is no longer in the (current) catalog: show its saved title and links, marked as such. */
export function isOrphan(fav: Pick<Favorite, 'entryId'>, getEntry: GetEntry): boolean {
  return getEntry(fav.entryId) === undefined;
}

/** Title/kind/links: the catalog's when it has the entry, else the cached snapshot, else the bare id. */
export function resolveFavorite(core: FavoriteCore, snapshots: Map<string, EntrySnapshot>, getEntry?: GetEntry): Favorite {
  const entry = getEntry?.(core.entryId);
  const snap = entry ? snapshotOf(entry) : snapshots.get(core.entryId);
  return {
    ...core,
    tags: [...core.tags],
    title: snap?.title ?? core.entryId,
    // An entry seen on no device with this catalog and no cache: the most neutral kind.
    kind: snap?.kind ?? 'resource-list',
    links: snap ? snap.links.map((l) => ({ ...l })) : [],
  };
}

/** Newest first; ties by id so the order is stable across devices. */
export function sortFavorites<T extends FavoriteCore>(favs: T[]): T[] {
  return favs.sort((a, b) => b.savedAt - a.savedAt || (a.entryId < b.entryId ? -1 : a.entryId > b.entryId ? 1 : 0));
}

export function toSnapshot(state: Pick<StoreState, 'favorites' | 'snapshots' | 'area' | 'areaNotice' | 'notices'>, getEntry?: GetEntry): FavoritesSnapshot {
  const favorites = sortFavorites([...state.favorites.values()].map((c) => resolveFavorite(c, state.snapshots, getEntry)));
  const notices = state.areaNotice ? [state.areaNotice, ...state.notices] : [...state.notices];
  return { favorites, area: state.area, notices };
}

// ---------------------------------------------------------------------------
// Decoding what is stored (pure)

export interface DecodeResult {
  state: StoreState;
  /** Local items to write: quarantined copies and the v0 backup. */
  setAside: Items;
  /** New notices about what was set aside. */
  newNotices: StoreNotice[];
  /** The stored layout should be rewritten (after quarantine or migration). */
  rewrite: boolean;
  /** Sync keys to remove once the rewrite succeeded (the v0 key). */
  retire: string[];
  /** Some chunk or marker item named by the meta is missing (probably still arriving from another device). */
  incomplete: boolean;
  /** Sync's layout was written by a build that keeps no removal markers (its meta has no `r`). */
  legacy: boolean;
  /** The snapshot cache was refreshed from the catalog and should be saved. */
  snapshotsChanged: boolean;
}

function notice(code: StoreNotice['code'], keys: string[], detail: string, at: number): StoreNotice {
  return { code, keys, detail, at, id: `${code}:${at}:${keys.join(',')}` };
}

/**
 * The title/links cache: every record that can be read, and whether any could not (a damaged
 * record, a kind a later version knows): one bad record costs that entry's cached title only.
 */
function parseSnapshots(raw: unknown): { snapshots: Map<string, EntrySnapshot>; damaged: boolean } {
  const snapshots = new Map<string, EntrySnapshot>();
  if (raw === undefined) return { snapshots, damaged: false };
  if (!isRecord(raw) || raw.v !== 1 || !isRecord(raw.s)) return { snapshots, damaged: true };
  let damaged = false;
  for (const [id, s] of Object.entries(raw.s)) {
    const title = isRecord(s) && checkTitle(s.t);
    const kind = isRecord(s) && checkKind(s.k);
    const links = isRecord(s) && Array.isArray(s.l) ? s.l.map(checkLink) : null;
    if (!title || !title.ok || !kind || !kind.ok || !links || links.some((l) => !l.ok)) damaged = true;
    else snapshots.set(id, { title: title.value, kind: kind.value, links: links.map((l) => (l.ok ? l.value : null!)) });
  }
  return { snapshots, damaged };
}

export function encodeSnapshots(snaps: Map<string, EntrySnapshot>): unknown {
  // Object.create(null) would not survive structured cloning as such; ids are
  // validated slugs, so no key can be __proto__.
  const s: Record<string, unknown> = {};
  for (const [id, v] of [...snaps].sort(([a], [b]) => (a < b ? -1 : 1))) s[id] = { t: v.title, k: v.kind, l: v.links };
  return { v: 1, s };
}

function parseNotices(raw: unknown): StoreNotice[] | null {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) return null;
  const codes = ['sync-quota-fallback', 'corrupt-data-quarantined', 'unknown-version-quarantined', 'sync-unavailable'];
  const out: StoreNotice[] = [];
  for (const n of raw) {
    if (!isRecord(n) || !codes.includes(n.code as string) || typeof n.detail !== 'string' || typeof n.at !== 'number' || !Array.isArray(n.keys)) return null;
    out.push({ code: n.code as StoreNotice['code'], keys: n.keys.map(String), detail: n.detail, at: n.at, ...(typeof n.id === 'string' ? { id: n.id } : {}) });
  }
  return out;
}

/** Every `fav:rm:<n>` item in `sync`, in order of n. */
function allMarkerKeys(sync: Items): string[] {
  const at = (k: string) => k.slice(MARKER_PREFIX.length);
  return Object.keys(sync)
    .filter((k) => k.startsWith(MARKER_PREFIX) && /^\d+$/.test(at(k)))
    .sort((a, b) => Number(at(a)) - Number(at(b)));
}

/**
 * Reads both areas' raw items into a state. Nothing is dropped silently: whatever
 * does not decode is returned in `setAside` (under quarantine:<now>:<key>, with #2, #3…
 * for more than one from a key) with a notice, and the rest loads.
 */
export function decodeStored(sync: Items, local: Items, now: number, getEntry?: GetEntry): DecodeResult {
  const setAside: Items = {};
  const newNotices: StoreNotice[] = [];
  const favorites = new Map<string, FavoriteCore>();
  const markers = new Map<string, RemovalMarker>();
  let rewrite = false;
  let incomplete = false;
  let legacy = false;
  const retire: string[] = [];

  const quarantine = (area: AreaName, key: string, value: unknown, code: StoreNotice['code'], reason: string) => {
    // A second thing set aside from the same key in this load (local data's favorites and its
    // removal records) gets a key of its own: quarantine:<ms>:<key>#2.
    let qKey = `${KEYS.quarantinePrefix}${now}:${key}`;
    for (let i = 2; qKey in setAside; i++) qKey = `${KEYS.quarantinePrefix}${now}:${key}#${i}`;
    setAside[qKey] = { key, area, value, reason };
    newNotices.push(notice(code, [qKey], `${reason} The original was set aside under "${qKey}" in local storage.`, now));
  };
  const add = (f: FavoriteCore) => {
    const cur = favorites.get(f.entryId);
    favorites.set(f.entryId, cur ? joinFavorite(cur, f) : f);
  };

  // Persisted notices and per-device state.
  let notices = parseNotices(local[KEYS.notices]);
  if (!notices) {
    quarantine('local', KEYS.notices, local[KEYS.notices], 'corrupt-data-quarantined', 'The list of notices could not be read.');
    notices = [];
  }
  let area: AreaName = 'sync';
  let areaNotice: StoreNotice | undefined;
  const st = local[KEYS.state];
  if (st !== undefined) {
    if (isRecord(st) && (st.area === 'sync' || st.area === 'local')) {
      area = st.area;
      if (area === 'local') {
        const code = st.code === 'sync-unavailable' ? 'sync-unavailable' : 'sync-quota-fallback';
        areaNotice = {
          code,
          keys: [KEYS.localData],
          detail: typeof st.detail === 'string' ? st.detail : 'Favorites are kept in this browser only.',
          at: typeof st.at === 'number' ? st.at : now,
        };
      }
    } else {
      quarantine('local', KEYS.state, st, 'corrupt-data-quarantined', 'The storage state record could not be read.');
      // Favorites kept in this browser are read whatever the record said (the commit then merges
      // them with sync's), and the record is written anew, or it is set aside at every start.
      if (local[KEYS.localData] !== undefined) area = 'local';
      rewrite = true;
    }
  }

  const { snapshots, damaged: snapshotsBad } = parseSnapshots(local[KEYS.snapshots]);
  // A damaged cache is set aside whole (never deleted) and written anew below from the records
  // that could be read, or it would be set aside at every start.
  if (snapshotsBad) {
    const what = snapshots.size ? 'Part of the cache of saved titles and links could not be read; the rest is kept.' : 'The cache of saved titles and links could not be read.';
    quarantine('local', KEYS.snapshots, local[KEYS.snapshots], 'corrupt-data-quarantined', what);
  }

  let loadedLocal = false;
  if (area === 'local') {
    const raw = local[KEYS.localData];
    if (isRecord(raw) && raw.v === LAYOUT_VERSION && Array.isArray(raw.favorites)) {
      if (typeof raw.markers === 'string') {
        if (decodeMarkers(raw.markers, markers).badRows) {
          quarantine('local', KEYS.localData, raw.markers, 'corrupt-data-quarantined', 'Some records of favorites removed in this browser could not be read.');
          rewrite = true;
        }
      } else if (Array.isArray(raw.removed)) {
        // Written by a version without markers: ids removed while favorites were kept here.
        for (const id of raw.removed) if (checkEntryId(id).ok) markers.set(id as string, { t: now });
      }
      const bad: unknown[] = [];
      for (const f of raw.favorites) {
        const c = checkCore(f);
        if (c.ok) add(c.value);
        else bad.push(f);
      }
      if (bad.length) {
        quarantine('local', KEYS.localData, bad, 'corrupt-data-quarantined', `${bad.length} favorites kept in this browser could not be read.`);
        rewrite = true;
      }
      loadedLocal = true;
    } else {
      // Without a readable local copy the last copy in sync is the best we have.
      if (raw !== undefined) {
        const unknownVersion = isRecord(raw) && typeof raw.v === 'number' && raw.v !== LAYOUT_VERSION;
        quarantine('local', KEYS.localData, raw, unknownVersion ? 'unknown-version-quarantined' : 'corrupt-data-quarantined',
          unknownVersion ? `Favorites in this browser use an unknown layout (version ${String(raw.v)}).` : 'Favorites kept in this browser could not be read.');
      }
      area = 'sync';
      areaNotice = undefined;
      rewrite = true;
    }
  }

  if (!loadedLocal) {
    const meta = sync[KEYS.meta];
    const chunkKeys = Object.keys(sync)
      .filter((k) => k.startsWith(CHUNK_PREFIX) && /^\d+$/.test(k.slice(CHUNK_PREFIX.length)))
      .sort((a, b) => Number(a.slice(CHUNK_PREFIX.length)) - Number(b.slice(CHUNK_PREFIX.length)));
    let readKeys: string[] = chunkKeys;
    let markerKeys: string[] = [];
    if (meta !== undefined) {
      // A count is of items sync holds: more than it can hold is a damaged header, not items still to arrive.
      const count = (x: unknown) => Number.isSafeInteger(x) && (x as number) >= 0 && (x as number) <= SYNC_QUOTA.items;
      if (isRecord(meta) && meta.v === LAYOUT_VERSION && count(meta.n)) {
        const n = meta.n as number;
        readKeys = Array.from({ length: n }, (_, i) => chunkKey(i));
        if (count(meta.r)) {
          markerKeys = Array.from({ length: meta.r as number }, (_, i) => markerKey(i));
          incomplete = [...readKeys, ...markerKeys].some((k) => !(k in sync));
          // Chunks and marker items past n and r are left from a larger layout (emptied, see packSync).
        } else {
          // No `r`: written by a build that keeps no markers. It neither writes nor removes
          // marker items, so those sync holds are the ones this build last wrote and still
          // record removals: all are read, and none is waited for. An `r` that is there but
          // not a count is a damaged header: set aside, and read the same way.
          if (meta.r === undefined) legacy = true;
          else {
            quarantine('sync', KEYS.meta, meta, 'corrupt-data-quarantined', 'The favorites layout header in sync has an unreadable count of removal records; all records found were read.');
            rewrite = true;
          }
          markerKeys = allMarkerKeys(sync);
          incomplete = readKeys.some((k) => !(k in sync));
        }
      } else if (isRecord(meta) && typeof meta.v === 'number' && meta.v !== LAYOUT_VERSION) {
        // A newer (or unknown) layout: keep a copy of it and of its items, read what v1 data exists.
        const foreign: Items = { [KEYS.meta]: meta };
        for (const [k, v] of Object.entries(sync)) if (k.startsWith('fav:') && !chunkKeys.includes(k)) foreign[k] = v;
        quarantine('sync', KEYS.meta, foreign, 'unknown-version-quarantined', `Favorites in sync use an unknown layout (version ${String(meta.v)}); this version of the extension cannot read them.`);
        rewrite = true;
      } else {
        // A damaged header: every chunk and removal record sync holds is read, so the rewrite
        // (which empties the items its layout does not use) keeps the removals they record.
        quarantine('sync', KEYS.meta, meta, 'corrupt-data-quarantined', 'The favorites layout header in sync could not be read.');
        markerKeys = allMarkerKeys(sync);
        rewrite = true;
      }
    } else if (chunkKeys.length) {
      rewrite = true;
    }
    for (const key of readKeys) {
      if (!(key in sync)) continue;
      const value = sync[key];
      if (typeof value !== 'string') {
        quarantine('sync', key, value, 'corrupt-data-quarantined', `A block of synced favorites (${key}) is not in the expected format.`);
        rewrite = true;
        continue;
      }
      const { favorites: rows, badRows } = decodeChunk(value);
      rows.forEach(add);
      if (badRows) {
        quarantine('sync', key, value, 'corrupt-data-quarantined', `${badRows} synced favorites in ${key} could not be read; the others loaded.`);
        rewrite = true;
      }
    }
    for (const key of markerKeys) {
      if (!(key in sync)) continue;
      const value = sync[key];
      if (typeof value !== 'string' || decodeMarkers(value, markers).badRows) {
        quarantine('sync', key, value, 'corrupt-data-quarantined', `Records of removed favorites in ${key} could not be read.`);
        rewrite = true;
      }
    }

    // Migration v0 → v1: one `favorites` key holding an array of favorite objects.
    if (KEYS.v0 in sync) {
      const m = migrateV0(sync[KEYS.v0]);
      for (const c of m.favorites) add(c);
      for (const [id, s] of m.snapshots) if (!snapshots.has(id)) snapshots.set(id, s);
      setAside[`${KEYS.migratedPrefix}${now}`] = sync[KEYS.v0];
      if (m.bad.length || m.unreadable) {
        quarantine('sync', KEYS.v0, m.unreadable ? sync[KEYS.v0] : m.bad, 'corrupt-data-quarantined',
          m.unreadable ? 'Favorites saved by an older version could not be read.' : `${m.bad.length} favorites saved by an older version could not be read; the others were kept.`);
      }
      retire.push(KEYS.v0);
      rewrite = true;
    }
  }

  // Two devices' writes can land as a marker item from one and a chunk from the other: a copy
  // that a marker says was removed is not loaded.
  for (const [id, f] of favorites) if (removedBy(f, markers.get(id))) favorites.delete(id);

  // Refresh the title/links cache from the catalog while entries are still in it.
  let snapshotsChanged = snapshotsBad;
  if (getEntry) {
    for (const id of favorites.keys()) {
      const e = getEntry(id);
      if (!e) continue;
      const snap = snapshotOf(e);
      if (JSON.stringify(snapshots.get(id)) !== JSON.stringify(snap)) {
        snapshots.set(id, snap);
        snapshotsChanged = true;
      }
    }
  }

  return {
    state: { favorites, snapshots, area, areaNotice, notices: [...notices, ...newNotices], markers },
    setAside,
    newNotices,
    rewrite,
    retire,
    incomplete,
    legacy,
    snapshotsChanged,
  };
}

export interface V0Result {
  favorites: FavoriteCore[];
  snapshots: Map<string, EntrySnapshot>;
  bad: unknown[];
  unreadable: boolean;
}

/**
 * The hypothetical v0 layout: `favorites` = [{ entryId, savedAt, note?, tags?, title?, kind?, links? }],
 * possibly stored as a JSON string.
 */
export function migrateV0(raw: unknown): V0Result {
  const out: V0Result = { favorites: [], snapshots: new Map(), bad: [], unreadable: false };
  let arr = raw;
  if (typeof raw === 'string') {
    try {
      arr = JSON.parse(raw);
    } catch {
      out.unreadable = true;
      return out;
    }
  }
  if (!Array.isArray(arr)) {
    out.unreadable = true;
    return out;
  }
  for (const f of arr) {
    const c = checkCore(f);
    if (!c.ok) {
      out.bad.push(f);
      continue;
    }
    out.favorites.push(c.value);
    const r = f as Record<string, unknown>;
    const title = checkTitle(r.title);
    const kind = checkKind(r.kind);
    const links = Array.isArray(r.links) ? r.links.map(checkLink) : [];
    if (title.ok && kind.ok && links.every((l) => l.ok)) {
      out.snapshots.set(c.value.entryId, { title: title.value, kind: kind.value, links: links.map((l) => (l.ok ? l.value : null!)) });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------
// I/O

/** One storage area as the store uses it (browser.storage.local / .sync, or a stand-in in tests). */
export interface StorageArea {
  get(keys?: null | string | string[]): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(keys: string | string[]): Promise<void>;
}

export type StorageListener = (changes: Record<string, { newValue?: unknown }>, areaName: string) => void;

/** Where favorites are kept: the browser's storage, or one simulated device's in tests. */
export interface FavoritesStorage {
  local: StorageArea;
  /** Absent in browsers without storage.sync (some Firefox builds, e.g. with sync disabled by policy). */
  sync?: StorageArea;
  onChanged: { addListener(l: StorageListener): void; removeListener(l: StorageListener): void };
}

export function browserStorage(): FavoritesStorage {
  return {
    local: browser.storage.local as StorageArea,
    sync: browser.storage.sync as StorageArea | undefined,
    onChanged: browser.storage.onChanged as FavoritesStorage['onChanged'],
  };
}

export async function readAreas(storage: FavoritesStorage = browserStorage()): Promise<{ sync: Items; local: Items; syncError?: string }> {
  const local = (await storage.local.get(null)) as Items;
  const area = storage.sync;
  if (!area) return { sync: {}, local, syncError: 'storage.sync is not available in this browser' };
  try {
    return { sync: (await area.get(null)) as Items, local };
  } catch (err) {
    return { sync: {}, local, syncError: err instanceof Error ? err.message : String(err) };
  }
}

/** Read-only load for any context (no quarantine writes): use for display when the background is not asked. */
export async function readFavorites(getEntry?: GetEntry, now = Date.now(), storage?: FavoritesStorage): Promise<FavoritesSnapshot> {
  const { sync, local } = await readAreas(storage);
  return toSnapshot(decodeStored(sync, local, now, getEntry).state, getEntry);
}

import { isFavoritesKey } from './watch';
export { isFavoritesKey, watchFavorites } from './watch';

export interface StoreOptions {
  getEntry?: GetEntry;
  now?: () => number;
  /** Default: the browser's storage. */
  storage?: FavoritesStorage;
}

/** Sync's layout names items it does not hold yet (another device's write still arriving). */
class SyncIncomplete extends Error {}

/**
 * The background's handle on storage: load (with repair) and commit. Not safe to use
 * from two places at once; writer.ts serialises all calls.
 */
export class FavoritesStore {
  readonly getEntry?: GetEntry;
  private readonly now: () => number;
  /**
   * JSON of each favorites key per "area:key" as this device last wrote or read it, to tell
   * other devices' writes from our own echoes and from data already merged.
   */
  private readonly known = new Map<string, string>();

  private readonly storage?: FavoritesStorage;

  constructor(opts: StoreOptions = {}) {
    this.getEntry = opts.getEntry;
    this.now = opts.now ?? Date.now;
    this.storage = opts.storage;
  }

  /** The storage this store reads and writes (looked up on each use, so tests can replace the browser's). */
  areas(): FavoritesStorage {
    return this.storage ?? browserStorage();
  }

  /** True if a change event carries data we did not write (another device, or someone else). */
  isForeignChange(changes: Record<string, { newValue?: unknown }>, areaName: string): boolean {
    if (areaName !== 'sync' && areaName !== 'local') return false;
    return Object.entries(changes).some(([k, c]) => {
      if (!isFavoritesKey(k)) return false;
      const json = c.newValue === undefined || c.newValue === null ? 'null' : JSON.stringify(c.newValue);
      return this.known.get(`${areaName}:${k}`) !== json;
    });
  }

  /** Records what an area held when read: its favorites keys, and those it no longer has. */
  private remember(area: AreaName, items: Items): void {
    const prefix = `${area}:`;
    for (const k of this.known.keys()) if (k.startsWith(prefix) && !(k.slice(prefix.length) in items)) this.known.set(k, 'null');
    for (const [k, v] of Object.entries(items)) if (isFavoritesKey(k)) this.known.set(prefix + k, JSON.stringify(v));
  }

  private async set(area: AreaName, items: Items): Promise<void> {
    if (Object.keys(items).length === 0) return;
    const target = area === 'sync' ? this.areas().sync : this.areas().local;
    if (!target) throw new Error('storage.sync is not available');
    for (const [k, v] of Object.entries(items)) this.known.set(`${area}:${k}`, JSON.stringify(v));
    await target.set(items);
  }

  private async remove(area: AreaName, keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    const target = area === 'sync' ? this.areas().sync : this.areas().local;
    if (!target) return;
    for (const k of keys) this.known.set(`${area}:${k}`, 'null');
    await target.remove(keys);
  }

  /** Loads, sets aside what cannot be read, finishes migrations, and returns the state. */
  async load(): Promise<StoreState> {
    const now = this.now();
    const { sync, local, syncError } = await readAreas(this.areas());
    if (!syncError) this.remember('sync', sync);
    const d = decodeStored(sync, local, now, this.getEntry);
    // Set aside first: if anything below fails, the originals are already safe.
    if (Object.keys(d.setAside).length || d.newNotices.length) {
      await this.set('local', { ...d.setAside, [KEYS.notices]: d.state.notices });
    }
    if (d.snapshotsChanged) await this.set('local', { [KEYS.snapshots]: encodeSnapshots(d.state.snapshots) });
    if (d.state.area === 'sync') d.state.syncedItems = d.state.seenItems = favItems(sync);
    const mirror = local[KEYS.mirror];
    if (d.state.area === 'sync' && !syncError && isRecord(mirror) && isRecord(mirror.synced) && isRecord(mirror.seen) && !sameItems(favItems(sync), mirror.synced)) {
      // Sync changed since this device last wrote or read it, while no background of ours
      // was running to merge (a service worker stopped when idle, a browser restart): another
      // device's write may have replaced an item holding a save or note made here. Start from
      // what this device last had and let the commit merge sync's copy in, as it does live.
      const mine = decodeStored(mirror.synced, {}, now, this.getEntry);
      if (!mine.incomplete && !Object.keys(mine.setAside).length) {
        d.state.favorites = mine.state.favorites;
        d.state.markers = mine.state.markers;
        d.state.syncedItems = mirror.synced;
        d.state.seenItems = mirror.seen;
        // While that write is still arriving (the layout names items sync does not hold yet),
        // nothing is written: the pull its last item brings merges then, from this same start.
        if (d.incomplete) return d.state;
        return this.commit(d.state, { retire: d.rewrite ? d.retire : undefined });
      }
    }
    // Kept in this browser: what this device last read from sync and merged (see removalBase).
    if (d.state.area === 'local' && isRecord(mirror) && isRecord(mirror.seen)) d.state.seenItems = mirror.seen;
    if (syncError && d.state.area === 'sync') {
      d.state.syncedItems = d.state.seenItems = undefined;
      // Treat as local mode: the next commit that reaches sync merges what sync holds
      // instead of overwriting it with what we could see.
      d.state.area = 'local';
      d.state.areaNotice = notice('sync-unavailable', [KEYS.localData], `Sync storage could not be read (${syncError}); favorites are kept in this browser for now.`, now);
      return d.state;
    }
    if (d.rewrite && !d.incomplete) {
      return this.commit(d.state, { retire: d.retire });
    }
    return d.state;
  }

  /**
   * Persists `state`: the compact layout in sync when it fits (writing only changed
   * items, in one set() call; items the layout no longer uses are emptied, see packSync), otherwise
   * everything in local with a notice, leaving sync's last good copy alone. When sync changed
   * since this state was read from or written to it (another device's write), or the state
   * comes from local storage, what sync holds is merged in first (mergeReplicas); only items
   * that then differ from sync's are written. `pull`: nothing changed here, only sync; when the
   * merge gives what sync holds, nothing is written (not even a layout that differs only in form).
   */
  async commit(state: StoreState, opts: { retire?: string[]; pull?: boolean } = {}): Promise<StoreState> {
    const now = this.now();
    const next: StoreState = { ...state, favorites: new Map(state.favorites), snapshots: new Map(state.snapshots), markers: new Map(state.markers) };

    const localNow = (await this.areas().local.get([KEYS.snapshots])) as Items;
    const snapValue = encodeSnapshots(next.snapshots);
    if (JSON.stringify(localNow[KEYS.snapshots]) !== JSON.stringify(snapValue)) await this.set('local', { [KEYS.snapshots]: snapValue });

    let fallback: { code: 'sync-quota-fallback' | 'sync-unavailable'; detail: string } | null = null;
    const area = this.areas().sync;
    if (!area) {
      fallback = { code: 'sync-unavailable', detail: 'This browser has no sync storage; favorites are kept in this browser only. Export them to keep a copy.' };
    } else {
      try {
        const current = (await area.get(null)) as Items;
        this.remember('sync', current);
        // What sync holds now, as this device would read it.
        const seen = decodeStored(current, {}, now);
        if (seen.incomplete) {
          // The layout names items that have not arrived yet: a write now would be packed from
          // part of the favorites and could replace the rest. Keep this change here until they land.
          throw new SyncIncomplete();
        }
        if (!state.syncedItems || !sameItems(favItems(current), state.syncedItems)) {
          // Written by a build that keeps no markers: every favorite this device last saw in sync
          // (read or written) that it left out was removed there. Otherwise see removalBase; from
          // favorites kept in this browser, with what this device last read before it kept them here.
          const base = seen.legacy
            ? state.syncedItems && decodeStored(state.syncedItems, {}, now).state.favorites
            : removalBase(state.seenItems && decodeStored(state.seenItems, {}, now).state, seen.state);
          const merged = mergeReplicas(next, seen.state, base);
          next.favorites = merged.favorites;
          next.markers = merged.markers;
        } else {
          next.markers = pruneMarkers(next.markers, next.favorites);
        }
        // What sync holds that this device cannot read (a newer layout, a damaged chunk from another
        // device), and has not set aside already, is set aside before sync is overwritten, or before
        // this read is recorded as the last (a later write takes what it recorded as set aside).
        const setAsideFresh = async () => {
          const fresh = Object.entries(seen.setAside).filter(([, q]) => {
            const key = isRecord(q) ? String(q.key) : '';
            return !state.syncedItems || JSON.stringify(state.syncedItems[key]) !== JSON.stringify(current[key]);
          });
          if (!fresh.length) return;
          const keys = new Set(fresh.map(([k]) => k));
          next.notices = [...next.notices, ...seen.newNotices.filter((n) => n.keys.some((k) => keys.has(k)))];
          await this.set('local', { ...Object.fromEntries(fresh), [KEYS.notices]: next.notices });
        };
        if (opts.pull && state.area === 'sync' && sameReplica(next, seen.state)) {
          await setAsideFresh();
          next.syncedItems = next.seenItems = favItems(current);
          await this.set('local', { [KEYS.mirror]: { synced: next.syncedItems, seen: next.seenItems } });
          return next;
        }
        // Everything else in sync counts against the quota: settings, and items this version
        // does not know (another layout's), which are not ours to remove.
        const others: Items = {};
        for (const [k, v] of Object.entries(current)) if (!isLayoutKey(k) && !(opts.retire ?? []).includes(k)) others[k] = v;
        const pack = packSync([...next.favorites.values()], {
          bytes: SYNC_QUOTA.bytes - syncBytes(others) - SYNC_RESERVE.bytes,
          items: SYNC_QUOTA.items - Object.keys(others).length - SYNC_RESERVE.items,
        }, LAYOUT_VERSION, next.markers, Object.keys(current));
        if (!pack.ok) {
          fallback = {
            code: 'sync-quota-fallback',
            detail: `Your ${next.favorites.size} favorites no longer fit in sync storage (${pack.reason}). They are all kept in this browser; other devices keep the last copy that fit. Shorten notes or remove favorites to sync again, or export a copy.`,
          };
        } else {
          next.markers = pack.markers;
          await setAsideFresh();
          const changed: Items = {};
          for (const [k, v] of Object.entries(pack.items)) if (JSON.stringify(current[k]) !== JSON.stringify(v)) changed[k] = v;
          // Chunks, marker items and meta land in one set(), which the browser applies as one write.
          await this.set('sync', changed);
          await this.remove('sync', (opts.retire ?? []).filter((k) => k in current));
          const written = favItems({ ...current, ...changed });
          for (const k of opts.retire ?? []) delete written[k];
          next.syncedItems = written;
          next.seenItems = favItems(current);
          // One local write: the mirror, and the state flag when it still says local.
          const back = state.area === 'local' || (await this.areas().local.get([KEYS.state]))[KEYS.state] !== undefined;
          await this.set('local', { [KEYS.mirror]: { synced: written, seen: next.seenItems }, ...(back ? { [KEYS.state]: { area: 'sync' } } : {}) });
          if (back) await this.remove('local', [KEYS.localData]);
          next.area = 'sync';
          next.areaNotice = undefined;
          return next;
        }
      } catch (err) {
        fallback = {
          code: 'sync-unavailable',
          detail:
            err instanceof SyncIncomplete
              ? 'Favorites saved on another device are still arriving in sync storage; your changes are kept in this browser and go to sync once they are all there.'
              : `Sync storage refused the write (${err instanceof Error ? err.message : String(err)}); favorites are kept in this browser until it accepts them again.`,
        };
      }
    }
    // Local fallback: data first, then the state flag, so a crash in between leaves the old flag and old data consistent.
    // Going local keeps the favorites and removal markers we had (not the merge above); the
    // markers say, when the favorites go back to sync, which of sync's copies were removed here.
    // None is aged out here: sync keeps its last copy meanwhile, which may hold favorites removed
    // since, and only a marker says so when the favorites go back; local storage has the room.
    const markers = newestMarkers(state.markers);
    // Keep the first time of this fallback so the notice does not look new after every save.
    const at = state.areaNotice?.code === fallback.code ? state.areaNotice.at : now;
    await this.set('local', { [KEYS.localData]: { v: LAYOUT_VERSION, favorites: [...state.favorites.values()], markers: encodeMarkers(markers) } });
    await this.set('local', { [KEYS.state]: { area: 'local', code: fallback.code, detail: fallback.detail, at } });
    // Back in sync later, the favorites merge from the local data. Of the mirror only what this
    // device last read from sync and merged is kept: not this commit's read, whose merge is not
    // kept. After longer away than removal markers are kept it tells which favorites sync lost
    // meanwhile were removed on another device (removalBase), whether or not the background restarts.
    if (state.seenItems) await this.set('local', { [KEYS.mirror]: { seen: state.seenItems } });
    else await this.remove('local', [KEYS.mirror]);
    return {
      ...state,
      favorites: new Map(state.favorites),
      markers,
      snapshots: next.snapshots,
      notices: next.notices,
      syncedItems: undefined,
      area: 'local',
      areaNotice: { code: fallback.code, keys: [KEYS.localData], detail: fallback.detail, at },
    };
  }

  /** Copies a value we cannot use to quarantine:<now>:<key> in local storage and returns the notice to show. */
  async setAside(area: AreaName, key: string, value: unknown, reason: string, code: StoreNotice['code'] = 'corrupt-data-quarantined'): Promise<StoreNotice> {
    const now = this.now();
    const qKey = `${KEYS.quarantinePrefix}${now}:${key}`;
    await this.set('local', { [qKey]: { key, area, value, reason } });
    return notice(code, [qKey], `${reason} The original was set aside under "${qKey}" in local storage.`, now);
  }

  async saveNotices(notices: StoreNotice[]): Promise<void> {
    await this.set('local', { [KEYS.notices]: notices });
  }
}
