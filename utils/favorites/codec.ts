/**
 * The compact sync encoding of favorites and the byte model of storage.sync quotas.
 * Pure: no browser.* here, so quota behaviour is testable in Node (the fake browser
 * does not enforce quotas).
 *
 * Budget: 2,000 favorites in 100 KB is ~50 bytes each, so a favorite in sync is one
 * short text row, `id|savedAt|note|updatedAt|tags`, and rows are packed into a few
 * string items. Title, kind and links are not synced (they come from the catalog, or
 * from the local snapshot cache once an entry leaves it).
 *
 * Removal markers (`id|time`, see RemovalMarker) go in their own items, `fav:rm:0…`, so
 * that a merge can tell an entry another device removed from one it never saw. They are
 * counted in the same byte model, and the oldest are left out when they do not fit.
 */
import type { FavoriteCore, RemovalMarker } from './types';
import { LIMITS, checkCore, checkEntryId, isValidTime, type Result } from './validate';

/** Chrome's storage.sync limits (the same numbers Firefox documents). */
export const SYNC_QUOTA = {
  bytes: 102_400,
  perItem: 8_192,
  items: 512,
} as const;

/**
 * Chunks are filled to about half an item on average so a few more saves rarely force
 * a re-layout, yet 2,000 favorites still use few enough items.
 */
const TARGET_CHUNK_BYTES = 4_096;
const MAX_CHUNKS = 256;

export const META_KEY = 'fav:meta';
export const CHUNK_PREFIX = 'fav:v1:';
export const chunkKey = (i: number) => `${CHUNK_PREFIX}${i}`;
/**
 * Removal-marker items. Not under CHUNK_PREFIX: builds without markers remove surplus keys
 * under that prefix, and read, count and delete no other `fav:` key of a v1 layout.
 */
export const MARKER_PREFIX = 'fav:rm:';
export const markerKey = (i: number) => `${MARKER_PREFIX}${i}`;

/** A sync key this layout writes: the meta, a chunk or a marker item. */
export function isLayoutKey(key: string): boolean {
  return key === META_KEY || /^fav:(v1|rm):\d+$/.test(key);
}

export interface SyncMeta {
  /** Layout version; see LAYOUT_VERSION in store.ts. */
  v: number;
  /** Number of chunk items `fav:v1:0 … fav:v1:(n-1)`; favorites are bucketed by a hash of their id. */
  n: number;
  /**
   * Number of marker items `fav:rm:0 … fav:rm:(r-1)`. Builds without markers write the meta
   * without it; they neither write nor remove marker items, so under such a meta the marker
   * items sync holds are those a build with markers last wrote, and all of them are read.
   */
  r?: number;
}

// ---------------------------------------------------------------------------
// Byte model

/** UTF-8 length; Chrome stores and measures keys and JSON as UTF-8 bytes. */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/**
 * Bytes of `value` as Chrome's JSON writer serialises it. It escapes like
 * JSON.stringify except that it also writes '<' as \u003C and U+2028/U+2029 as
 * \u2028/\u2029, so those cost 6 bytes each; we count them the same way so the
 * model never undercounts.
 */
export function jsonBytes(value: unknown): number {
  const json = JSON.stringify(value);
  if (json === undefined) return 0;
  let extra = 0;
  for (let i = 0; i < json.length; i++) {
    const c = json.charCodeAt(i);
    if (c === 0x3c) extra += 5;
    else if (c === 0x2028 || c === 0x2029) extra += 3;
  }
  return utf8Length(json) + extra;
}

/** What one item costs against QUOTA_BYTES_PER_ITEM: key length + serialised value length. */
export function itemBytes(key: string, value: unknown): number {
  return utf8Length(key) + jsonBytes(value);
}

/** What a set of items costs against QUOTA_BYTES. */
export function syncBytes(items: Record<string, unknown>): number {
  let n = 0;
  for (const [k, v] of Object.entries(items)) n += itemBytes(k, v);
  return n;
}

// ---------------------------------------------------------------------------
// Rows

/** Field separator and row separator: printable, so JSON does not escape them, and never in ids. */
const FS = '|';
const RS = '~';

function escapeField(s: string, tag: boolean): string {
  // Percent-escape only the few characters that are syntax here; everything else,
  // including non-ASCII, is stored as is.
  return s.replace(tag ? /[%|~,]/g : /[%|~]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

const ESCAPES: Record<string, string> = { '%25': '%', '%7C': '|', '%7E': '~', '%2C': ',' };

function unescapeField(s: string): string | null {
  if (/%(?!25|7C|7E|2C)/.test(s)) return null;
  return s.replace(/%(25|7C|7E|2C)/g, (m) => ESCAPES[m]);
}

/** A time in ms as whole seconds (base 36) plus an optional '.ms' (base 36) when not a whole second. */
function encodeMs(ms: number, baseSeconds: number): string {
  const sec = Math.floor(ms / 1000);
  const rem = ms - sec * 1000;
  return (sec - baseSeconds).toString(36) + (rem ? '.' + rem.toString(36) : '');
}

const TIME_RE = /^([0-9a-z]{1,11})(?:\.([0-9a-z]{1,2}))?$/;

function decodeMs(s: string, baseSeconds: number): number | null {
  const m = TIME_RE.exec(s);
  if (!m) return null;
  const rem = m[2] ? parseInt(m[2], 36) : 0;
  if (rem >= 1000 || (m[2] !== undefined && rem === 0)) return null;
  return (baseSeconds + parseInt(m[1], 36)) * 1000 + rem;
}

function encodeSigned(deltaMs: number): string {
  if (deltaMs === 0) return '';
  return (deltaMs < 0 ? '-' : '') + encodeMs(Math.abs(deltaMs), 0);
}

function decodeSigned(s: string): number | null {
  if (s === '') return 0;
  const neg = s.startsWith('-');
  const v = decodeMs(neg ? s.slice(1) : s, 0);
  if (v === null || v === 0) return null;
  return neg ? -v : v;
}

/**
 * One favorite as a row. savedAt is stored as seconds since the previous row's
 * (rows are sorted by savedAt, so these are small), updatedAt as an offset from
 * savedAt (empty when never edited); trailing empty fields are dropped.
 */
export function encodeRow(f: FavoriteCore, prevSeconds: number): string {
  const fields = [
    f.entryId,
    encodeMs(f.savedAt, prevSeconds),
    escapeField(f.note, false),
    encodeSigned(f.updatedAt - f.savedAt),
    f.tags.map((t) => escapeField(t, true)).join(','),
  ];
  while (fields.length > 2 && fields[fields.length - 1] === '') fields.pop();
  return fields.join(FS);
}

/** What a row may take in a chunk of its own: an item's quota less the longest chunk key and the string's quotes and separator. */
export const ROW_ROOM = SYNC_QUOTA.perItem - itemBytes(chunkKey(MAX_CHUNKS), '') - 1;

/**
 * Whether a favorite's note and tags fit one sync item, whatever its times (encoded at their
 * longest). The layout packs all favorites together, so one that cannot fit would take every
 * favorite off sync: the editor, the writer and import refuse it instead. A note's limit is in
 * characters, but sync counts bytes, and a Chinese character takes three.
 */
export function checkSyncRoom(f: Pick<FavoriteCore, 'entryId' | 'note' | 'tags'>): Result<number> {
  const bytes = jsonBytes(encodeRow({ entryId: f.entryId, note: f.note, tags: f.tags, savedAt: LIMITS.maxTime - 1, updatedAt: 0 }, 0)) - 2;
  return bytes <= ROW_ROOM
    ? { ok: true, value: bytes }
    : { ok: false, error: `the note and tags take ${bytes} bytes, more than the ${ROW_ROOM} one favorite can sync`, problem: 'too-big', sizes: [bytes, ROW_ROOM] };
}

/** Rows in the order a chunk stores them. */
export function rowOrder(a: FavoriteCore, b: FavoriteCore): number {
  return a.savedAt - b.savedAt || (a.entryId < b.entryId ? -1 : a.entryId > b.entryId ? 1 : 0);
}

export function encodeChunk(favs: FavoriteCore[]): string {
  const sorted = [...favs].sort(rowOrder);
  let prev = 0;
  const rows: string[] = [];
  for (const f of sorted) {
    rows.push(encodeRow(f, prev));
    prev = Math.floor(f.savedAt / 1000);
  }
  return rows.join(RS);
}

export interface DecodedChunk {
  favorites: FavoriteCore[];
  /** Rows that did not decode; the caller quarantines the raw chunk when this is non-zero. */
  badRows: number;
}

/**
 * The rows of a stored value (favorites or markers): each row's fields and its time, field 1
 * read from the previous row's second (null when it does not read).
 */
function* timedRows(value: string): Generator<[fields: string[], ms: number | null]> {
  if (value === '') return;
  let prev = 0;
  for (const row of value.split(RS)) {
    const fields = row.split(FS);
    const ms = fields.length >= 2 ? decodeMs(fields[1], prev) : null;
    // Keep the delta chain going past a bad row whose time still reads, so one
    // damaged note does not shift every later timestamp.
    if (ms !== null) prev = Math.floor(ms / 1000);
    yield [fields, ms];
  }
}

export function decodeChunk(value: string): DecodedChunk {
  const out: DecodedChunk = { favorites: [], badRows: 0 };
  for (const [fields, savedAt] of timedRows(value)) {
    if (savedAt === null || fields.length > 5) {
      out.badRows++;
      continue;
    }
    const note = unescapeField(fields[2] ?? '');
    const delta = decodeSigned(fields[3] ?? '');
    const rawTags = fields[4] ?? '';
    const tags = rawTags === '' ? [] : rawTags.split(',').map((t) => unescapeField(t));
    if (note === null || delta === null || tags.some((t) => t === null)) {
      out.badRows++;
      continue;
    }
    const core = checkCore({ entryId: fields[0], savedAt, updatedAt: savedAt + delta, note, tags });
    // Tags are normalised on write, so a row whose tags would change was not written by us.
    if (!core.ok || core.value.tags.length !== tags.length) {
      out.badRows++;
      continue;
    }
    out.favorites.push(core.value);
  }
  return out;
}

// ---------------------------------------------------------------------------
// Removal markers

/** Oldest first; ties by id. */
function markerOrder([a, ma]: [string, RemovalMarker], [b, mb]: [string, RemovalMarker]): number {
  return ma.t - mb.t || (a < b ? -1 : a > b ? 1 : 0);
}

/** `id|time` (a removal) or `id|time|+` (present again as of time); time as in rows, from the previous marker's second. */
function markerRow(id: string, m: RemovalMarker, prevSeconds: number): string {
  return `${id}${FS}${encodeMs(m.t, prevSeconds)}${m.live ? `${FS}+` : ''}`;
}

/** All markers as one string (the local copy while favorites are kept in this browser). */
export function encodeMarkers(markers: Map<string, RemovalMarker>): string {
  let prev = 0;
  const rows: string[] = [];
  for (const [id, m] of [...markers].sort(markerOrder)) {
    rows.push(markerRow(id, m, prev));
    prev = Math.floor(m.t / 1000);
  }
  return rows.join(RS);
}

export interface DecodedMarkers {
  markers: Map<string, RemovalMarker>;
  badRows: number;
}

/** Reads markers into `into` (the newer record wins per id). */
export function decodeMarkers(value: string, into = new Map<string, RemovalMarker>()): DecodedMarkers {
  const out: DecodedMarkers = { markers: into, badRows: 0 };
  for (const [fields, t] of timedRows(value)) {
    if (t === null || !isValidTime(t) || !checkEntryId(fields[0]).ok || fields.length > 3 || (fields.length === 3 && fields[2] !== '+')) {
      out.badRows++;
      continue;
    }
    const m: RemovalMarker = fields.length === 3 ? { t, live: true } : { t };
    const cur = into.get(fields[0]);
    into.set(fields[0], cur ? newerMarker(cur, m) : m);
  }
  return out;
}

/** The record that wins: the later one; at the same time, the one that keeps the favorite. */
export function newerMarker(a: RemovalMarker, b: RemovalMarker): RemovalMarker {
  if (a.t !== b.t) return a.t > b.t ? a : b;
  return a.live ? a : b;
}

/** Markers (oldest first) laid out in items of at most SYNC_QUOTA.perItem bytes, filled in order. */
function markerItems(sorted: [string, RemovalMarker][]): Record<string, string> {
  const items: Record<string, string> = {};
  let i = 0;
  let value = '';
  let prev = 0;
  for (const [id, m] of sorted) {
    let row = markerRow(id, m, value ? prev : 0);
    if (value && itemBytes(markerKey(i), value + RS + row) > SYNC_QUOTA.perItem) {
      items[markerKey(i++)] = value;
      value = '';
      row = markerRow(id, m, 0);
    }
    value = value ? value + RS + row : row;
    prev = Math.floor(m.t / 1000);
  }
  if (value) items[markerKey(i)] = value;
  return items;
}

// ---------------------------------------------------------------------------
// Packing

/** FNV-1a: a stable, cheap hash so each favorite always lands in the same chunk for a given n. */
export function bucketOf(id: string, n: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    h ^= id.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % n;
}

export type PackResult =
  /** `markers`: the markers that fit (the newest), which is what the items hold. */
  | { ok: true; items: Record<string, unknown>; meta: SyncMeta; bytes: number; markers: Map<string, RemovalMarker> }
  | { ok: false; reason: string; bytes: number };

export interface PackLimits {
  /** Bytes available to favorites (QUOTA_BYTES minus everything else in sync and a reserve). */
  bytes: number;
  /** Items available to favorites, meta included. */
  items: number;
}

/**
 * Lays favorites out as `fav:meta` + n chunks, then the removal markers as `fav:rm:0…`.
 * Hash buckets (not time order) so that a save or removal rewrites one chunk, and two
 * devices editing different favorites usually touch different items (sync resolves conflicts
 * per item, last writer wins). Markers are oldest first, so a new one changes the last
 * marker item. Favorites must all fit; markers are left out oldest first until they do.
 *
 * `existing`: the layout's items sync holds now. Those the new layout does not use are
 * written as '' in the same set() rather than removed after it: a separate remove() could
 * delete an item another device wrote in between, under a meta that names it, and leave
 * every device waiting for an item that never arrives.
 */
export function packSync(favs: FavoriteCore[], limits: PackLimits, version = 1, markers = new Map<string, RemovalMarker>(), existing: string[] = []): PackResult {
  const chunks = packChunks(favs, limits);
  if (!chunks.ok) return chunks;
  const sorted = [...markers].sort(markerOrder);
  let drop = 0;
  for (;;) {
    const kept = sorted.slice(drop);
    const mItems = markerItems(kept);
    const r = Object.keys(mItems).length;
    const meta: SyncMeta = { v: version, n: chunks.n, r };
    const items: Record<string, unknown> = { [META_KEY]: meta, ...chunks.items, ...mItems };
    for (const k of existing) if (isLayoutKey(k) && !(k in items)) items[k] = '';
    const bytes = syncBytes(items);
    const count = Object.keys(items).length;
    const overBytes = bytes - limits.bytes;
    const overItems = count - limits.items;
    if (overBytes <= 0 && overItems <= 0) return { ok: true, items, meta, bytes, markers: new Map(kept) };
    if (kept.length === 0) {
      return overBytes > 0
        ? { ok: false, reason: `favorites need ${bytes} bytes of sync storage; ${limits.bytes} are available`, bytes }
        : { ok: false, reason: `favorites need ${count} sync items; ${limits.items} are available`, bytes };
    }
    // Leave out the oldest markers: enough rows for the bytes over, or the first item's rows for an item over.
    let k = drop;
    if (overItems > 0) k += String(mItems[markerKey(0)]).split(RS).length;
    else {
      for (let freed = 0; k < sorted.length && freed < overBytes; k++) freed += utf8Length(markerRow(sorted[k][0], sorted[k][1], 0)) + 1;
    }
    drop = Math.min(sorted.length, Math.max(k, drop + 1));
  }
}

/** The chunks alone (`fav:v1:0 … n-1`, without the meta), checked against the limits with a meta beside them. */
function packChunks(favs: FavoriteCore[], limits: PackLimits): { ok: true; items: Record<string, unknown>; n: number } | { ok: false; reason: string; bytes: number } {
  if (favs.length === 0) {
    const bytes = itemBytes(META_KEY, { v: 1, n: 0, r: 0 });
    return bytes <= limits.bytes ? { ok: true, items: {}, n: 0 } : { ok: false, reason: 'no room for the layout header', bytes };
  }
  let estimate = 0;
  for (const f of favs) {
    const row = encodeRow(f, 0);
    const rowBytes = jsonBytes(row) - 1;
    if (rowBytes - 1 > ROW_ROOM) {
      return { ok: false, reason: `the favorite "${f.entryId}" alone is larger than a sync item`, bytes: rowBytes };
    }
    estimate += rowBytes;
  }
  let n = 1;
  while (n < MAX_CHUNKS && estimate / n > TARGET_CHUNK_BYTES) n *= 2;
  for (; n <= MAX_CHUNKS; n *= 2) {
    const buckets: FavoriteCore[][] = Array.from({ length: n }, () => []);
    for (const f of favs) buckets[bucketOf(f.entryId, n)].push(f);
    if (!spill(buckets)) continue;
    const items: Record<string, unknown> = {};
    for (let i = 0; i < n; i++) items[chunkKey(i)] = encodeChunk(buckets[i]);
    return { ok: true, items, n };
  }
  return { ok: false, reason: 'favorites do not spread evenly enough over sync items', bytes: estimate };
}

/**
 * Makes every chunk fit one sync item: a chunk over it hands its largest rows, one at a time,
 * to the chunk with the most room that can take them. Two ids whose hashes agree in their low
 * bits share a chunk at every count, so two long notes could otherwise never be parted and
 * would take every favorite off sync while far under its quota. A reader takes each row from
 * whichever chunk holds it; the hash only keeps unrelated edits in different items.
 * The same favorites always give the same layout. False when no placement was found.
 */
function spill(buckets: FavoriteCore[][]): boolean {
  const size = (i: number) => itemBytes(chunkKey(i), encodeChunk(buckets[i]));
  const rowSize = (f: FavoriteCore) => jsonBytes(encodeRow(f, 0));
  const larger = (a: FavoriteCore, b: FavoriteCore) => rowSize(b) - rowSize(a) || (a.entryId < b.entryId ? -1 : 1);
  for (let i = 0; i < buckets.length; i++) {
    while (size(i) > SYNC_QUOTA.perItem) {
      if (buckets[i].length < 2) return false;
      // The chunk with the most room takes the largest row that fits it.
      let to = -1;
      let room = 0;
      for (let j = 0; j < buckets.length; j++) {
        const free = SYNC_QUOTA.perItem - size(j);
        if (j !== i && free > room) [to, room] = [j, free];
      }
      if (to < 0) return false;
      const row = [...buckets[i]].sort(larger).find((f) => itemBytes(chunkKey(to), encodeChunk([...buckets[to], f])) <= SYNC_QUOTA.perItem);
      if (!row) return false;
      buckets[i] = buckets[i].filter((f) => f !== row);
      buckets[to].push(row);
    }
  }
  return true;
}
