/**
 * The compact sync encoding of favorites and the byte model of storage.sync quotas.
 * Pure: no browser.* here, so quota behaviour is testable in Node (the fake browser
 * does not enforce quotas).
 *
 * Budget: 2,000 favorites in 100 KB is ~50 bytes each, so a favorite in sync is one
 * short text row, `id|savedAt|note|updatedAt|tags`, and rows are packed into a few
 * string items. Title, kind and links are not synced (they come from the catalog, or
 * from the local snapshot cache once an entry leaves it).
 */
import type { FavoriteCore } from './types';
import { checkCore } from './validate';

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

export interface SyncMeta {
  /** Layout version; see LAYOUT_VERSION in store.ts. */
  v: number;
  /** Number of chunk items `fav:v1:0 … fav:v1:(n-1)`; favorites are bucketed by a hash of their id. */
  n: number;
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

export function decodeChunk(value: string): DecodedChunk {
  const out: DecodedChunk = { favorites: [], badRows: 0 };
  if (value === '') return out;
  let prev = 0;
  for (const row of value.split(RS)) {
    const fields = row.split(FS);
    const savedAt = fields.length >= 2 ? decodeMs(fields[1], prev) : null;
    // Keep the delta chain going past a bad row whose time still reads, so one
    // damaged note does not shift every later timestamp.
    if (savedAt !== null) prev = Math.floor(savedAt / 1000);
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
  | { ok: true; items: Record<string, unknown>; meta: SyncMeta; bytes: number }
  | { ok: false; reason: string; bytes: number };

export interface PackLimits {
  /** Bytes available to favorites (QUOTA_BYTES minus everything else in sync and a reserve). */
  bytes: number;
  /** Items available to favorites, meta included. */
  items: number;
}

/**
 * Lays favorites out as `fav:meta` + n chunks. Hash buckets (not time order) so that a
 * save or removal rewrites one chunk, and two devices editing different favorites
 * usually touch different items (sync resolves conflicts per item, last writer wins).
 */
export function packSync(favs: FavoriteCore[], limits: PackLimits, version = 1): PackResult {
  if (favs.length === 0) {
    const meta = { v: version, n: 0 };
    const items = { [META_KEY]: meta };
    const bytes = syncBytes(items);
    return bytes <= limits.bytes ? { ok: true, items, meta, bytes } : { ok: false, reason: 'no room for the layout header', bytes };
  }
  let estimate = 0;
  for (const f of favs) {
    const row = encodeRow(f, 0);
    const rowBytes = jsonBytes(row) - 1;
    if (rowBytes + itemBytes(chunkKey(MAX_CHUNKS), '') > SYNC_QUOTA.perItem) {
      return { ok: false, reason: `the favorite "${f.entryId}" alone is larger than a sync item`, bytes: rowBytes };
    }
    estimate += rowBytes;
  }
  let n = 1;
  while (n < MAX_CHUNKS && estimate / n > TARGET_CHUNK_BYTES) n *= 2;
  for (; n <= MAX_CHUNKS; n *= 2) {
    const buckets: FavoriteCore[][] = Array.from({ length: n }, () => []);
    for (const f of favs) buckets[bucketOf(f.entryId, n)].push(f);
    const meta: SyncMeta = { v: version, n };
    const items: Record<string, unknown> = { [META_KEY]: meta };
    let fits = true;
    for (let i = 0; i < n; i++) {
      const value = encodeChunk(buckets[i]);
      if (itemBytes(chunkKey(i), value) > SYNC_QUOTA.perItem) {
        fits = false;
        break;
      }
      items[chunkKey(i)] = value;
    }
    if (!fits) continue;
    const bytes = syncBytes(items);
    if (bytes > limits.bytes) return { ok: false, reason: `favorites need ${bytes} bytes of sync storage; ${limits.bytes} are available`, bytes };
    if (n + 1 > limits.items) return { ok: false, reason: `favorites need ${n + 1} sync items; ${limits.items} are available`, bytes };
    return { ok: true, items, meta, bytes };
  }
  return { ok: false, reason: 'favorites do not spread evenly enough over sync items', bytes: estimate };
}
