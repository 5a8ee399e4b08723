/**
 * The one module that knows where favorites live.
 *
 * storage.sync (follows the user; see codec.ts for the byte model):
 *   fav:meta          { v: 1, n }            layout version and chunk count
 *   fav:v1:0 … n-1    "row~row~…"            compact rows, bucketed by hash of entry id
 *   settings:v1       Settings               (settings.ts)
 *   favorites         v0 layout: one array   (migrated to v1, then removed from sync)
 *
 * storage.local (this device only):
 *   fav:state         { area, code?, detail?, at? }   'local' once sync could not take the data
 *   fav:local:v1      { v: 1, favorites: FavoriteCore[] }   the full data while area is 'local'
 *   fav:snap:v1       { v: 1, s: { [entryId]: { t, k, l } } } title/kind/links cache for entries that leave the catalog
 *   notices:v1        StoreNotice[]          persisted notices (quarantine), shown on the options page
 *   quarantine:<ms>:<key>  { key, area, value, reason }  data we could not read, set aside, never deleted
 *   migrated:v0:<ms>  the raw v0 value, kept after a migration
 *
 * Only the background writes (writer.ts); other contexts read through the messages or watchFavorites().
 */
import { browser } from 'wxt/browser';
import type { Entry } from '../catalog/types';
import {
  CHUNK_PREFIX,
  META_KEY,
  SYNC_QUOTA,
  chunkKey,
  decodeChunk,
  packSync,
  syncBytes,
} from './codec';
import { mergeFavorite, sameCore } from './merge';
import type { EntrySnapshot, Favorite, FavoriteCore, FavoritesSnapshot, StoreNotice } from './types';
import { checkCore, checkKind, checkLink, checkTitle, isRecord } from './validate';

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
} as const;

/** Sync bytes and items left free for settings and anything a later version adds. */
export const SYNC_RESERVE = { bytes: 2_048, items: 16 } as const;

export type GetEntry = (id: string) => Entry | undefined;

export interface StoreState {
  favorites: Map<string, FavoriteCore>;
  snapshots: Map<string, EntrySnapshot>;
  area: 'sync' | 'local';
  /** Why the area is 'local' (a notice derived from fav:state). */
  areaNotice?: StoreNotice;
  /** Persisted notices (quarantine). */
  notices: StoreNotice[];
  /**
   * Ids removed while area was 'local'. When the data moves back to sync, what sync
   * holds meanwhile is merged in (nothing another device saved is lost) except these.
   */
  removedWhileLocal?: Set<string>;
  /**
   * The favorites items (`fav:*`) sync held when this state was read from it or last
   * written to it. A commit that finds sync changed since (another device's write landing
   * meanwhile) merges that change in, rather than writing this state over it.
   */
  syncedItems?: Items;
}

type Items = Record<string, unknown>;

/** The favorites' items among sync's (fav:meta, the chunks and the v0 key; not settings). */
function favItems(items: Items): Items {
  const out: Items = {};
  for (const [k, v] of Object.entries(items)) if (isFavoritesKey(k)) out[k] = v;
  return out;
}

function sameItems(a: Items, b: Items): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => k in b && JSON.stringify(a[k]) === JSON.stringify(b[k]));
}

/**
 * Takes into `mine` what another device changed between `base` (what this device last saw in
 * sync) and `theirs` (what sync holds now): entries it added, edits it made (merged, the newer
 * edit winning), and entries it removed that this device left as they were. What this device
 * changed itself stays: its own removals, and its edits of entries removed elsewhere.
 */
export function mergeRemote(mine: Map<string, FavoriteCore>, base: Map<string, FavoriteCore>, theirs: Map<string, FavoriteCore>): void {
  for (const [id, t] of theirs) {
    const b = base.get(id);
    if (b && sameCore(b, t)) continue;
    const m = mine.get(id);
    if (m) mine.set(id, mergeFavorite(m, t));
    else if (!b) mine.set(id, t);
  }
  for (const [id, b] of base) {
    const m = mine.get(id);
    if (!theirs.has(id) && m && sameCore(m, b)) mine.delete(id);
  }
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

export function toSnapshot(state: StoreState, getEntry?: GetEntry): FavoritesSnapshot {
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
  /** Some chunk named by the meta is missing (probably still arriving from another device). */
  incomplete: boolean;
  /** The snapshot cache was refreshed from the catalog and should be saved. */
  snapshotsChanged: boolean;
}

function notice(code: StoreNotice['code'], keys: string[], detail: string, at: number): StoreNotice {
  return { code, keys, detail, at, id: `${code}:${at}:${keys.join(',')}` };
}

function parseSnapshots(raw: unknown): Map<string, EntrySnapshot> | null {
  const out = new Map<string, EntrySnapshot>();
  if (raw === undefined) return out;
  if (!isRecord(raw) || raw.v !== 1 || !isRecord(raw.s)) return null;
  for (const [id, s] of Object.entries(raw.s)) {
    if (!isRecord(s) || !Array.isArray(s.l)) return null;
    const title = checkTitle(s.t);
    const kind = checkKind(s.k);
    const links = s.l.map(checkLink);
    if (!title.ok || !kind.ok || links.some((l) => !l.ok)) return null;
    out.set(id, { title: title.value, kind: kind.value, links: links.map((l) => (l.ok ? l.value : null!)) });
  }
  return out;
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

/**
 * Reads both areas' raw items into a state. Nothing is dropped silently: whatever
 * does not decode is returned in `setAside` (under quarantine:<now>:<key>) with a
 * notice, and the rest loads.
 */
export function decodeStored(sync: Items, local: Items, now: number, getEntry?: GetEntry): DecodeResult {
  const setAside: Items = {};
  const newNotices: StoreNotice[] = [];
  const favorites = new Map<string, FavoriteCore>();
  let rewrite = false;
  let incomplete = false;
  const retire: string[] = [];

  const quarantine = (area: AreaName, key: string, value: unknown, code: StoreNotice['code'], reason: string) => {
    const qKey = `${KEYS.quarantinePrefix}${now}:${key}`;
    setAside[qKey] = { key, area, value, reason };
    newNotices.push(notice(code, [qKey], `${reason} The original was set aside under "${qKey}" in local storage.`, now));
  };
  const add = (f: FavoriteCore) => {
    const cur = favorites.get(f.entryId);
    favorites.set(f.entryId, cur ? mergeFavorite(cur, f) : f);
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
    }
  }

  let snapshots = parseSnapshots(local[KEYS.snapshots]);
  if (!snapshots) {
    quarantine('local', KEYS.snapshots, local[KEYS.snapshots], 'corrupt-data-quarantined', 'The cache of saved titles and links could not be read.');
    snapshots = new Map();
  }

  let loadedLocal = false;
  let removedWhileLocal: Set<string> | undefined;
  if (area === 'local') {
    const raw = local[KEYS.localData];
    if (isRecord(raw) && raw.v === LAYOUT_VERSION && Array.isArray(raw.favorites)) {
      removedWhileLocal = new Set(Array.isArray(raw.removed) ? raw.removed.filter((x): x is string => typeof x === 'string') : []);
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
    if (meta !== undefined) {
      if (isRecord(meta) && meta.v === LAYOUT_VERSION && Number.isSafeInteger(meta.n) && (meta.n as number) >= 0) {
        const n = meta.n as number;
        readKeys = Array.from({ length: n }, (_, i) => chunkKey(i));
        incomplete = readKeys.some((k) => !(k in sync));
        // Chunks past n are left over from a larger layout whose removal had not landed yet.
      } else if (isRecord(meta) && typeof meta.v === 'number' && meta.v !== LAYOUT_VERSION) {
        // A newer (or unknown) layout: keep a copy of it and of its items, read what v1 data exists.
        const foreign: Items = { [KEYS.meta]: meta };
        for (const [k, v] of Object.entries(sync)) if (k.startsWith('fav:') && !chunkKeys.includes(k)) foreign[k] = v;
        quarantine('sync', KEYS.meta, foreign, 'unknown-version-quarantined', `Favorites in sync use an unknown layout (version ${String(meta.v)}); this version of the extension cannot read them.`);
        rewrite = true;
      } else {
        quarantine('sync', KEYS.meta, meta, 'corrupt-data-quarantined', 'The favorites layout header in sync could not be read.');
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

  // Refresh the title/links cache from the catalog while entries are still in it.
  let snapshotsChanged = false;
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
    state: { favorites, snapshots, area, areaNotice, notices: [...notices, ...newNotices], removedWhileLocal },
    setAside,
    newNotices,
    rewrite,
    retire,
    incomplete,
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

function syncArea() {
  // Some Firefox builds (e.g. with sync disabled by policy) have no storage.sync.
  return browser.storage.sync as typeof browser.storage.sync | undefined;
}

export async function readAreas(): Promise<{ sync: Items; local: Items; syncError?: string }> {
  const local = (await browser.storage.local.get(null)) as Items;
  const area = syncArea();
  if (!area) return { sync: {}, local, syncError: 'storage.sync is not available in this browser' };
  try {
    return { sync: (await area.get(null)) as Items, local };
  } catch (err) {
    return { sync: {}, local, syncError: err instanceof Error ? err.message : String(err) };
  }
}

/** Read-only load for any context (no quarantine writes): use for display when the background is not asked. */
export async function readFavorites(getEntry?: GetEntry, now = Date.now()): Promise<FavoritesSnapshot> {
  const { sync, local } = await readAreas();
  return toSnapshot(decodeStored(sync, local, now, getEntry).state, getEntry);
}

import { isFavoritesKey } from './watch';
export { isFavoritesKey, watchFavorites } from './watch';

export interface StoreOptions {
  getEntry?: GetEntry;
  now?: () => number;
}

/** Sync's layout names chunks it does not hold yet (another device's write still arriving). */
class SyncIncomplete extends Error {}

/**
 * The background's handle on storage: load (with repair) and commit. Not safe to use
 * from two places at once; writer.ts serialises all calls.
 */
export class FavoritesStore {
  readonly getEntry?: GetEntry;
  private readonly now: () => number;
  /** JSON of what we last wrote per "area:key", to tell our own onChanged echoes from other devices' writes. */
  private readonly written = new Map<string, string>();

  constructor(opts: StoreOptions = {}) {
    this.getEntry = opts.getEntry;
    this.now = opts.now ?? Date.now;
  }

  /** True if a change event carries data we did not write (another device, or someone else). */
  isForeignChange(changes: Record<string, { newValue?: unknown }>, areaName: string): boolean {
    if (areaName !== 'sync' && areaName !== 'local') return false;
    return Object.entries(changes).some(([k, c]) => {
      if (!isFavoritesKey(k)) return false;
      const json = c.newValue === undefined || c.newValue === null ? 'null' : JSON.stringify(c.newValue);
      return this.written.get(`${areaName}:${k}`) !== json;
    });
  }

  private async set(area: AreaName, items: Items): Promise<void> {
    if (Object.keys(items).length === 0) return;
    const target = area === 'sync' ? syncArea() : browser.storage.local;
    if (!target) throw new Error('storage.sync is not available');
    for (const [k, v] of Object.entries(items)) this.written.set(`${area}:${k}`, JSON.stringify(v));
    await target.set(items);
  }

  private async remove(area: AreaName, keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    const target = area === 'sync' ? syncArea() : browser.storage.local;
    if (!target) return;
    for (const k of keys) this.written.set(`${area}:${k}`, 'null');
    await target.remove(keys);
  }

  /** Loads, sets aside what cannot be read, finishes migrations, and returns the state. */
  async load(): Promise<StoreState> {
    const now = this.now();
    const { sync, local, syncError } = await readAreas();
    const d = decodeStored(sync, local, now, this.getEntry);
    // Set aside first: if anything below fails, the originals are already safe.
    if (Object.keys(d.setAside).length || d.newNotices.length) {
      await this.set('local', { ...d.setAside, [KEYS.notices]: d.state.notices });
    }
    if (d.snapshotsChanged) await this.set('local', { [KEYS.snapshots]: encodeSnapshots(d.state.snapshots) });
    if (d.state.area === 'sync') d.state.syncedItems = favItems(sync);
    if (syncError && d.state.area === 'sync') {
      d.state.syncedItems = undefined;
      // Treat as local mode: the next commit that reaches sync merges what sync holds
      // instead of overwriting it with what we could see.
      d.state.area = 'local';
      d.state.removedWhileLocal = new Set();
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
   * chunks, new chunks and meta in one set() call, surplus chunks removed after),
   * otherwise everything in local with a notice, leaving sync's last good copy alone.
   */
  async commit(state: StoreState, opts: { retire?: string[] } = {}): Promise<StoreState> {
    const now = this.now();
    const favs = [...state.favorites.values()];
    const next: StoreState = { ...state, favorites: new Map(state.favorites), snapshots: new Map(state.snapshots) };

    const localNow = (await browser.storage.local.get([KEYS.snapshots])) as Items;
    const snapValue = encodeSnapshots(next.snapshots);
    if (JSON.stringify(localNow[KEYS.snapshots]) !== JSON.stringify(snapValue)) await this.set('local', { [KEYS.snapshots]: snapValue });

    let fallback: { code: 'sync-quota-fallback' | 'sync-unavailable'; detail: string } | null = null;
    const area = syncArea();
    if (!area) {
      fallback = { code: 'sync-unavailable', detail: 'This browser has no sync storage; favorites are kept in this browser only. Export them to keep a copy.' };
    } else {
      try {
        const current = (await area.get(null)) as Items;
        // What sync holds now, as this device would read it.
        const seen = decodeStored(current, {}, now);
        const changedSince = !state.syncedItems || !sameItems(favItems(current), state.syncedItems);
        if (seen.incomplete) {
          // The layout names chunks that have not arrived yet: a write now would be packed from
          // part of the favorites and could replace the rest. Keep this change here until they land.
          throw new SyncIncomplete();
        }
        if (state.area === 'local') {
          // Coming back to sync: keep what other devices saved meanwhile.
          for (const [id, f] of seen.state.favorites) {
            if (state.removedWhileLocal?.has(id)) continue;
            const mine = next.favorites.get(id);
            next.favorites.set(id, mine ? mergeFavorite(mine, f) : f);
          }
          favs.splice(0, favs.length, ...next.favorites.values());
        } else if (state.syncedItems && changedSince) {
          // Another device wrote since this state was read: take its changes in.
          mergeRemote(next.favorites, decodeStored(state.syncedItems, {}, now).state.favorites, seen.state.favorites);
          favs.splice(0, favs.length, ...next.favorites.values());
        }
        const others: Items = {};
        for (const [k, v] of Object.entries(current)) if (!k.startsWith('fav:') && !(opts.retire ?? []).includes(k)) others[k] = v;
        const pack = packSync(favs, {
          bytes: SYNC_QUOTA.bytes - syncBytes(others) - SYNC_RESERVE.bytes,
          items: SYNC_QUOTA.items - Object.keys(others).length - SYNC_RESERVE.items,
        }, LAYOUT_VERSION);
        if (!pack.ok) {
          fallback = {
            code: 'sync-quota-fallback',
            detail: `Your ${favs.length} favorites no longer fit in sync storage (${pack.reason}). They are all kept in this browser; other devices keep the last copy that fit. Shorten notes or remove favorites to sync again, or export a copy.`,
          };
        } else {
          // Before overwriting sync: what it holds that this device cannot read, and has not set
          // aside already, is set aside now (a newer layout, a damaged chunk from another device).
          const fresh = Object.entries(seen.setAside).filter(([, q]) => {
            const key = isRecord(q) ? String(q.key) : '';
            return !state.syncedItems || JSON.stringify(state.syncedItems[key]) !== JSON.stringify(current[key]);
          });
          if (fresh.length) {
            const keys = new Set(fresh.map(([k]) => k));
            next.notices = [...next.notices, ...seen.newNotices.filter((n) => n.keys.some((k) => keys.has(k)))];
            await this.set('local', { ...Object.fromEntries(fresh), [KEYS.notices]: next.notices });
          }
          const changed: Items = {};
          for (const [k, v] of Object.entries(pack.items)) if (JSON.stringify(current[k]) !== JSON.stringify(v)) changed[k] = v;
          // Chunks and meta land in one set(), which the browser applies as one write.
          await this.set('sync', changed);
          const surplus = Object.keys(current).filter((k) => k.startsWith('fav:') && !(k in pack.items) && k.startsWith(CHUNK_PREFIX));
          await this.remove('sync', [...surplus, ...(opts.retire ?? []).filter((k) => k in current)]);
          const written = favItems({ ...current, ...changed });
          for (const k of [...surplus, ...(opts.retire ?? [])]) delete written[k];
          next.syncedItems = written;
          if (state.area === 'local' || (await browser.storage.local.get([KEYS.state]))[KEYS.state] !== undefined) {
            await this.set('local', { [KEYS.state]: { area: 'sync' } });
            await this.remove('local', [KEYS.localData]);
          }
          next.area = 'sync';
          next.areaNotice = undefined;
          next.removedWhileLocal = undefined;
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
    // Going local keeps the favorites we had (not the merge above), and starts tracking removals.
    const removed = state.area === 'local' ? [...(state.removedWhileLocal ?? [])] : [];
    const localFavs = [...state.favorites.values()];
    // Keep the first time of this fallback so the notice does not look new after every save.
    const at = state.areaNotice?.code === fallback.code ? state.areaNotice.at : now;
    await this.set('local', { [KEYS.localData]: { v: LAYOUT_VERSION, favorites: localFavs, removed } });
    await this.set('local', { [KEYS.state]: { area: 'local', code: fallback.code, detail: fallback.detail, at } });
    return {
      ...state,
      favorites: new Map(state.favorites),
      snapshots: next.snapshots,
      notices: next.notices,
      syncedItems: undefined,
      area: 'local',
      areaNotice: { code: fallback.code, keys: [KEYS.localData], detail: fallback.detail, at },
      removedWhileLocal: new Set(removed),
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
