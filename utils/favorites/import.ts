/**
 * Import: our JSON export, or a plain list of links/ids (arXiv, ACL Anthology, DOI,
 * GitHub owner/repo, catalog ids or any link a catalog entry carries), one per line.
 *
 * Parsing is all-or-nothing: a malformed, oversized or hostile file throws an
 * ImportError with an English message, a code and the code's parameters (for a page
 * to word in its own language), and nothing is sent to the background.
 * A valid one becomes a preview (added / updated / unchanged / unknown lines); the
 * options page then sends `favorites:import` with `parsed.favorites`.
 */
import type { Entry } from '../catalog/types';
import { idsFromUrl, type IdKind } from '../matcher/ids';
import { BIBTEX_MARK, CSV_COLUMNS, EXPORT_FORMAT_ID, EXPORT_VERSION, trimTrailing } from './export';
import { checkSyncRoom } from './codec';
import { planMerge } from './merge';
import { snapshotOf } from './store';
import type { Favorite } from './types';
import { formatTags, parseTags } from './tags';
import { checkFavorite, checkTags, findForbiddenKey, isRecord } from './validate';

export const MAX_IMPORT_BYTES = 5 * 1024 * 1024;
export const MAX_IMPORT_ITEMS = 20_000;
export const MAX_LINE_LENGTH = 2_048;
/**
 * A line inside a BibTeX entry: exports put a whole abstract on one line (Zotero, the Anthology),
 * and some tools a whole entry. Such a line is read in one linear pass; the limit only refuses
 * what is no bibliography at all (a megabyte-long "line").
 */
export const MAX_BIBTEX_LINE_LENGTH = 100_000;

/** Why an import was refused; `ImportError.params` holds the numbers and names each code's message uses. */
export type ImportErrorCode =
  | 'encoding'
  | 'nul'
  | 'too-large'
  | 'text-too-large'
  | 'not-text'
  | 'empty'
  | 'invalid-json'
  | 'forbidden-key'
  | 'not-export'
  | 'no-version'
  | 'newer-version'
  | 'no-list'
  | 'too-many-favorites'
  | 'invalid-favorite'
  | 'too-many-lines'
  | 'line-too-long'
  | 'too-many-entries'
  | 'no-refs'
  | 'our-csv';

export class ImportError extends Error {
  readonly code: ImportErrorCode;
  /**
   * The values in the message, in order: 'too-large' [MB], 'forbidden-key' [key],
   * 'newer-version' [version], 'too-many-favorites' / 'too-many-entries' / 'too-many-lines'
   * [count, limit], 'invalid-favorite' [position (1-based), entry ID or ''], 'line-too-long'
   * [line, length, limit]; none for the other codes.
   */
  readonly params: readonly (string | number)[];
  /** Technical text from elsewhere (JSON.parse's error, a validator's), in English; absent if none. */
  readonly detail?: string;
  constructor(message: string, code: ImportErrorCode, params: readonly (string | number)[] = [], detail?: string) {
    super(message);
    this.name = 'ImportError';
    this.code = code;
    this.params = params;
    this.detail = detail;
  }
}

export interface UnknownLine {
  /** 1-based line number in the file. */
  line: number;
  text: string;
}

export interface ParsedImport {
  format: 'json' | 'list';
  favorites: Favorite[];
  /** List lines that matched nothing in the catalog. */
  unknown: UnknownLine[];
}

export interface ImportPreview {
  added: Favorite[];
  updated: { before: Favorite; after: Favorite }[];
  unchanged: Favorite[];
  unknown: UnknownLine[];
  /** What to send with `favorites:import`. */
  favorites: Favorite[];
}

export interface ImportContext {
  entries: readonly Entry[];
  /** Save time given to favorites created from a list (ms); it is used only for entries not saved yet. */
  now?: number;
}

/** Checks a File's size before reading it, so a 2 GB drop does not get read into memory. */
export function checkImportSize(bytes: number): void {
  if (bytes > MAX_IMPORT_BYTES) {
    const mb = (bytes / 1024 / 1024).toFixed(1);
    throw new ImportError(`The file is ${mb} MB; imports are limited to 5 MB.`, 'too-large', [mb]);
  }
}

const NOT_UTF8 = 'The file is not UTF-8 text. Save it as UTF-8 and import it again.';

/**
 * A file's text from its bytes. UTF-8 (a leading byte-order mark is dropped) and UTF-16
 * with a byte-order mark (what Windows Notepad saves as "Unicode") are read; any other
 * encoding (GBK, Latin-1, a binary file) throws an ImportError rather than come back
 * with its non-ASCII text replaced by U+FFFD.
 */
export function decodeImportBytes(data: ArrayBuffer | Uint8Array): string {
  const bytes = data instanceof Uint8Array ? data : new Uint8Array(data);
  let encoding = 'utf-8';
  let body = bytes;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) body = bytes.subarray(3);
  else if (bytes[0] === 0xff && bytes[1] === 0xfe) {
    encoding = 'utf-16le';
    body = bytes.subarray(2);
  } else if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    // Byte pairs swapped, so the little-endian decoder reads it.
    if (bytes.length % 2 === 1) throw new ImportError(NOT_UTF8, 'encoding');
    encoding = 'utf-16le';
    body = new Uint8Array(bytes.length - 2);
    for (let i = 2; i < bytes.length; i += 2) {
      body[i - 2] = bytes[i + 1];
      body[i - 1] = bytes[i];
    }
  }
  try {
    return new TextDecoder(encoding, { fatal: true, ignoreBOM: true }).decode(body);
  } catch {
    throw new ImportError(NOT_UTF8, 'encoding');
  }
}

export function parseImport(text: string, ctx: ImportContext): ParsedImport {
  if (typeof text !== 'string') throw new ImportError('The file could not be read as text.', 'not-text');
  // UTF-16 length ≤ UTF-8 length ≤ 3 × it: the cheap test first.
  if (text.length > MAX_IMPORT_BYTES || new TextEncoder().encode(text).length > MAX_IMPORT_BYTES) {
    throw new ImportError('The text is larger than 5 MB; imports are limited to 5 MB.', 'text-too-large');
  }
  // No text file holds NUL; UTF-16 without a byte-order mark, read as UTF-8, is full of them.
  if (text.includes('\u0000')) {
    throw new ImportError('The text contains NUL characters, so it is not plain UTF-8 text (it may be UTF-16 without a byte-order mark, or not text at all). Save it as UTF-8 and import it again.', 'nul');
  }
  const body = text.replace(/^\uFEFF/, '');
  if (body.trim() === '') throw new ImportError('The file is empty.', 'empty');
  // JSON opens with an object or an array of values; a list may open with a Markdown link
  // ("[CMeEE](https://…)") or a numbered reference ("[1] https://…"), which are no JSON.
  return /^\s*(?:\{|\[\s*(?:[[{"\]]|true|false|null|$))/.test(body) ? parseJson(body, ctx) : parseList(body, ctx);
}

function parseJson(text: string, ctx: ImportContext): ParsedImport {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    const why = err instanceof Error ? err.message : 'parse error';
    throw new ImportError(`The file looks like JSON but is not valid JSON (${why}).`, 'invalid-json', [], why);
  }
  const bad = findForbiddenKey(data);
  if (bad) throw new ImportError(`The file contains the key "${bad}", which is not allowed.`, 'forbidden-key', [bad]);
  let list: unknown;
  // An array of strings (["cblue", "https://arxiv.org/abs/1909.06146"]) is a list of IDs and links.
  if (Array.isArray(data) && data.length > 0 && data.every((x) => typeof x === 'string')) return parseList(data.join('\n'), ctx);
  if (Array.isArray(data)) list = data;
  else if (isRecord(data)) {
    if (data.format !== EXPORT_FORMAT_ID) throw new ImportError('This JSON file is not a favorites export of this extension.', 'not-export');
    if (typeof data.version !== 'number' || !Number.isInteger(data.version) || data.version < 1) throw new ImportError('The export has no valid version number.', 'no-version');
    if (data.version > EXPORT_VERSION) {
      throw new ImportError(`The export was made by a newer version of the extension (format ${data.version}); update the extension to import it.`, 'newer-version', [data.version]);
    }
    list = data.favorites;
  }
  if (!Array.isArray(list)) throw new ImportError('The export has no list of favorites.', 'no-list');
  if (list.length > MAX_IMPORT_ITEMS) {
    throw new ImportError(`The file holds ${list.length} favorites; at most ${MAX_IMPORT_ITEMS} can be imported at once.`, 'too-many-favorites', [list.length, MAX_IMPORT_ITEMS]);
  }
  const favorites = list.map((f, i) => {
    const r = checkFavorite(f);
    // Tags as the editor would write them ("#NER" is NER, "NER, RE" two tags), so that editing an
    // imported favorite's tags changes only what the person changes.
    // Tags that would not fit once written so (more than a favorite may hold) stay as they came.
    const split = r.ok ? checkTags(parseTags(formatTags(r.value.tags))) : r;
    const tags = r.ok && !split.ok ? checkTags(r.value.tags) : split;
    const value = r.ok && tags.ok ? { ...r.value, tags: tags.value } : undefined;
    // One too big to sync would take every favorite off sync: refused here with its reason.
    const why = value ? checkSyncRoom(value) : tags;
    if (!value || !why.ok) {
      const error = why.ok ? '' : why.error;
      const id = isRecord(f) && typeof f.entryId === 'string' ? f.entryId.slice(0, 60) : '';
      throw new ImportError(`Favorite #${i + 1}${id ? ` (${id})` : ''}: ${error}.`, 'invalid-favorite', [i + 1, id], error);
    }
    return value;
  });
  return { format: 'json', favorites, unknown: [] };
}

// ---------------------------------------------------------------------------
// Lists of links and ids

/** Catalog lookups by every identifier a line can carry. */
export interface RefIndex {
  byId: Map<string, Entry>;
  byArxiv: Map<string, Entry>;
  byAcl: Map<string, Entry>;
  byDoi: Map<string, Entry>;
  byGithub: Map<string, Entry>;
  byUrl: Map<string, Entry>;
}

/** Most values of one BibTeX entry looked up for the entry it names. */
const BIB_MAX_READS = 200;

/** Scheme, "www.", trailing "/" and ".pdf", query and fragment do not make a different resource. */
export function normalizeUrl(url: string): string {
  const u = url
    .trim()
    .replace(/^https?:\/\//i, '')
    .replace(/^www\./i, '')
    .replace(/[?#].*$/, '')
    .replace(/\.pdf$/i, '');
  // Trailing slashes by a loop: the pattern /\/+$/ tries every run of slashes in the text anew,
  // quadratic on a long one that does not end it (a hostile BibTeX url field).
  let end = u.length;
  while (end > 0 && u.charCodeAt(end - 1) === 47) end--;
  return u.slice(0, end).toLowerCase();
}

const stripArxivVersion = (id: string) => id.replace(/v\d+$/i, '').toLowerCase();

export function buildRefIndex(entries: readonly Entry[]): RefIndex {
  const idx: RefIndex = { byId: new Map(), byArxiv: new Map(), byAcl: new Map(), byDoi: new Map(), byGithub: new Map(), byUrl: new Map() };
  const put = (m: Map<string, Entry>, k: string, e: Entry) => {
    if (!m.has(k)) m.set(k, e);
  };
  for (const e of entries) {
    put(idx.byId, e.id, e);
    e.ids.arxiv.forEach((a) => put(idx.byArxiv, stripArxivVersion(a), e));
    e.ids.acl.forEach((a) => put(idx.byAcl, a.toLowerCase(), e));
    e.ids.doi.forEach((d) => put(idx.byDoi, d.toLowerCase(), e));
    e.ids.github.forEach((g) => put(idx.byGithub, g.toLowerCase(), e));
    e.links.forEach((l) => put(idx.byUrl, normalizeUrl(l.url), e));
  }
  return idx;
}

const ARXIV_ID = /^(?:arxiv:)?(\d{4}\.\d{4,5}(?:v\d+)?|[a-z-]+(?:\.[a-z]{2})?\/\d{7}(?:v\d+)?)$/i;
const ACL_ID = /^([A-Z]\d{2}-\d{4}|\d{4}\.[a-z0-9-]+\.\d+)$/i;
const DOI_ID = /^(?:doi:\s*)?(10\.\d{4,9}\/\S+)$/i;
const GITHUB_REPO = /^([a-z0-9](?:[a-z0-9-]{0,38})\/[a-z0-9._-]{1,100})$/i;
/** A link in text: it ends at a space, a bracket or quote, or the first non-ASCII character (Chinese text around it). */
const URL_IN_TEXT = /https?:\/\/[^\s<>()"'\]{}\u0080-\uffff]+/i;
/** An ID written in a sentence or a BibTeX field: a new- or old-style arXiv ID, an Anthology ID or a DOI. */
const ID_WORD = /^(?:\d{4}\.\d{4,5}(?:v\d+)?|[a-z-]+(?:\.[a-z]{2})?\/\d{7}(?:v\d+)?|[A-Z]\d{2}-\d{4}|\d{4}\.[a-z0-9-]+\.\d+|10\.\d{4,9}\/\S+)$/i;

/**
 * Without the quotes, brackets, emphasis and punctuation a line wraps a link or an ID in:
 * `(https://…)`, `"1909.06146",`, `**biobert**`, a sentence's full stop. A closing bracket
 * the text opened stays (`…/BERT_(language_model)`).
 */
function unwrap(s: string): string {
  return trimTrailing(s.replace(/^[\s([{<"'`*_]+/, ''), /[\s)\]}>"'`*_.,;:!?]/);
}

/** The lookup table for each kind of ID. */
const REF_TABLE = { arxiv: 'byArxiv', acl: 'byAcl', doi: 'byDoi', github: 'byGithub' } as const satisfies Record<IdKind, keyof RefIndex>;

/** The catalog entry a line refers to, or undefined. */
export function resolveRef(raw: string, idx: RefIndex): Entry | undefined {
  // Full-width forms as ASCII (：，（）１９０９), CJK punctuation (。、「」《》) as spaces; a list
  // item's marker, bulleted or numbered, goes.
  const line = raw
    .normalize('NFKC')
    .replace(/[\u3000-\u303f]/g, ' ')
    .trim()
    .replace(/^(?:[-*+]|\d{1,3}[.)])\s+/, '')
    .trim();
  const s = unwrap(line.replace(/^<(.*)>$/, '$1'));
  if (!s) return undefined;
  if (!/\s/.test(s) && !s.includes('](') && !/.https?:\/\//i.test(s)) return resolveWord(s, idx);
  // "arXiv: 1909.06146", "doi 10.1093/…": a label and its ID.
  const labelled = /^(arxiv|doi)\s*:?\s+(\S+)$/i.exec(s) ?? /^(arxiv|doi):(\S+)$/i.exec(s);
  if (labelled) return resolveWord(`${labelled[1]}:${unwrap(labelled[2])}`, idx);
  // A list item pasted from Markdown, a sentence, a BibTeX field: the first link in it, else
  // the first word shaped like an arXiv, Anthology or DOI ID.
  const m = URL_IN_TEXT.exec(s);
  if (m) return resolveWord(unwrap(m[0]), idx);
  for (const w of s.split(/[\s=,{}]+/)) {
    const id = unwrap(w).replace(/^(?:arxiv|doi):/i, '');
    if (ID_WORD.test(id)) return resolveWord(id, idx);
  }
  return undefined;
}

/** The catalog entry one word (an ID, a link) refers to, or undefined. */
function resolveWord(s: string, idx: RefIndex): Entry | undefined {
  const byId = idx.byId.get(s) ?? idx.byId.get(s.toLowerCase());
  if (byId) return byId;
  let m: RegExpExecArray | null;
  if ((m = ARXIV_ID.exec(s))) {
    const e = idx.byArxiv.get(stripArxivVersion(m[1]));
    if (e) return e;
  }
  if ((m = ACL_ID.exec(s))) {
    const e = idx.byAcl.get(m[1].toLowerCase());
    if (e) return e;
  }
  if ((m = DOI_ID.exec(s))) {
    let doi = m[1].replace(/#.*$/, '');
    try {
      doi = decodeURIComponent(doi);
    } catch {
      /* keep it encoded */
    }
    const e = idx.byDoi.get(doi.toLowerCase());
    if (e) return e;
  }
  if ((m = GITHUB_REPO.exec(s))) {
    const e = idx.byGithub.get(m[1].toLowerCase());
    if (e) return e;
  }
  // A URL: the IDs the matcher reads from links (arXiv, the Anthology in all its layouts, DOI resolvers
  // and publisher pages, GitHub), with or without its scheme.
  for (const f of idsFromUrl(/^https?:\/\//i.test(s) ? s : `https://${s}`)) {
    const e = idx[REF_TABLE[f.kind]].get(f.kind === 'arxiv' ? stripArxivVersion(f.id) : f.id.toLowerCase());
    if (e) return e;
  }
  return idx.byUrl.get(normalizeUrl(s));
}

/**
 * Lines of our own Markdown export that name no entry: its date line and each favorite's tags and
 * note, indented under it. A link inside a note names what the note mentions, not a favorite.
 */
const OUR_MARKDOWN_DETAIL = /^(?:\s+[-*+]\s+(?:Tags|Note):\s|Exported \d{4}-\d{2}-\d{2} · \d+ saved$)/;
/** The entry ID our Markdown export writes at the end of each favorite's line. */
const OUR_MARKDOWN_ID = /\s<!-- cmed:([a-z0-9]+(?:[-._][a-z0-9]+)*) -->$/i;

/**
 * A BibTeX entry's first line, `@misc{cblue,` or `@misc(cblue,` (BibTeX takes either
 * delimiter): its type, and its citation key after a brace (2) or a parenthesis (3).
 */
const BIB_START = /^\s*@([a-z]+)\s*(?:\{\s*([^,\s{}]*)|\(\s*([^,\s{}()]*))/i;
/** BibTeX's blocks that hold no entry. */
const BIB_NO_ENTRY = /^(?:string|preamble|comment)$/i;
/** A field's name where a field starts (after the key's or the previous field's comma). */
const BIB_FIELD_AT = /([a-z][\w-]*)\s*=/iy;
/**
 * The fields of a BibTeX entry that name the work itself (1), those that may carry its ID when
 * none of those does (2: Google Scholar writes `journal={arXiv preprint arXiv:1909.06146}`, Zotero
 * `note = {arXiv: 1909.06146}`); the others (title, abstract, annote, keywords…) are read past.
 */
const BIB_FIELDS = new Map<string, 1 | 2>([['url', 1], ['doi', 1], ['eprint', 1], ['howpublished', 1], ['journal', 2], ['booktitle', 2], ['note', 2]]);

/**
 * Where the reading of one BibTeX entry (or a block that holds none) stands between lines: the
 * character that closes it (`}` or `)`), the braces open inside it, whether a `"…"` value is open
 * at its field level, the kind of the field being read (see BIB_FIELDS; 0 for one read past), and
 * whether the next word may name a field (after a comma at the field level).
 */
interface BibScan {
  close: '}' | ')';
  depth: number;
  quote: boolean;
  field: 0 | 1 | 2;
  expectName: boolean;
}

/**
 * Reads one line of a BibTeX entry from `from`, character by character (linear in its length,
 * whatever it holds): hands each stretch of a field of kind 1 or 2 in it to `piece`, and returns
 * true when the entry closes in it. Braces count as BibTeX counts them (`\{` does not); at the
 * field level, a comma inside a quoted value does not end a field, and neither does a `)` end an
 * entry opened with `(`. In an entry opened with `{`, a `}` that closes more than it opened ends
 * it, quoted or not, as BibTeX requires a quoted value's braces to balance.
 */
function scanBibLine(s: BibScan, line: string, from: number, piece: (field: 1 | 2, text: string) => void): boolean {
  let begin = from;
  const flush = (end: number) => {
    if (s.field && end > begin) piece(s.field, line.slice(begin, end));
  };
  for (let i = from; i < line.length; i++) {
    if (s.expectName && line[i] !== ' ' && line[i] !== '\t') {
      s.expectName = false;
      BIB_FIELD_AT.lastIndex = i;
      const name = BIB_FIELD_AT.exec(line);
      s.field = name ? (BIB_FIELDS.get(name[1].toLowerCase()) ?? 0) : 0;
      // The field's value is read from after its `=`: `eprint={1903.10676}` names 1903.10676.
      if (name) {
        i += name[0].length;
        begin = i;
        if (i >= line.length) break;
      }
    }
    const c = line[i];
    if (c === '\\') i++;
    else if (c === '{') s.depth++;
    else if (c === '}') {
      if (s.depth > 0) s.depth--;
      else if (s.close === '}') {
        flush(i);
        return true;
      }
    } else if (s.depth === 0 && c === '"') s.quote = !s.quote;
    else if (s.depth === 0 && !s.quote && c === ')' && s.close === ')') {
      flush(i);
      return true;
    } else if (s.depth === 0 && !s.quote && c === ',') {
      flush(i);
      s.field = 0;
      s.expectName = true;
      begin = i + 1;
    }
  }
  flush(line.length);
  return false;
}

function parseList(text: string, ctx: ImportContext): ParsedImport {
  const lines = text.split(/\r\n|\r|\n/);
  // The line break that ends the last line starts no line of its own.
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  // Our CSV export is for spreadsheets: read as a list it would lose every note and tag, and
  // a note's commas and links would be taken for entries.
  if (lines[0].trim() === CSV_COLUMNS.join(',')) {
    throw new ImportError('This is a CSV export, which is made for spreadsheets and cannot be imported. Import the JSON export to bring favorites back with their notes and tags.', 'our-csv');
  }
  if (lines.length > MAX_IMPORT_ITEMS * 5) {
    throw new ImportError(`The file has ${lines.length} lines; at most ${MAX_IMPORT_ITEMS * 5} are read.`, 'too-many-lines', [lines.length, MAX_IMPORT_ITEMS * 5]);
  }
  const idx = buildRefIndex(ctx.entries);
  const now = ctx.now ?? Math.floor(Date.now() / 1000) * 1000;
  const found = new Map<string, Favorite>();
  const unknown: UnknownLine[] = [];
  const add = (e: Entry) => {
    // updatedAt 0 with no note or tags: a list names entries and carries nothing else, so it
    // never replaces a saved favorite's note, tags or save date (see isBare in merge.ts).
    if (!found.has(e.id)) found.set(e.id, { entryId: e.id, savedAt: now, updatedAt: 0, note: '', tags: [], ...snapshotOf(e) });
  };
  /**
   * A BibTeX entry being read (or a block that holds none, read past whole): where its reading
   * stands (null outside one), its first line, and what its key (in our export only: in anyone
   * else's file a key is a name, and `latte` may cite another LATTE), its fields and its secondary
   * fields name. It counts as the first of those found, or as an unknown line when none names a
   * catalog entry.
   */
  const ourBib = lines[0].trim() === BIBTEX_MARK;
  let scan: BibScan | null = null;
  /** The entry being read: its first line, what its fields name (our key, links, IDs), values read. */
  let entry: { line: UnknownLine; named: (Entry | undefined)[]; reads: number } | null = null;
  const endEntry = () => {
    const e = entry?.named.find(Boolean);
    if (e) add(e);
    else if (entry) unknown.push(entry.line);
    entry = null;
    scan = null;
  };
  // A field of the entry: one that names the work counts by what it names; a secondary one by an
  // ID written in it, not by a link (a note's link names something else).
  // A value longer than any line of a list names no entry (no link or ID is that long), and an entry
  // is looked up by its first BIB_MAX_READS values at most (a real one has a few dozen fields; a
  // hostile one, thousands of `url=a,` on a 100,000-character line).
  const piece = (field: 1 | 2, text: string) => {
    if (!entry || entry.named[field] || text.length > MAX_LINE_LENGTH || entry.reads >= BIB_MAX_READS) return;
    if (field === 2 && /https?:\/\//i.test(text)) return;
    entry.reads++;
    entry.named[field] = resolveRef(text, idx);
  };
  lines.forEach((line, i) => {
    const t = line.trim();
    if (t === '' || t.startsWith('#') || t.startsWith('//') || t.startsWith('%') || OUR_MARKDOWN_DETAIL.test(line)) return;
    // A BibTeX entry (a .bib file, our BibTeX export). A new entry's first line starts afresh,
    // whatever braces the one before left open; a block that holds no entry (a @string
    // abbreviation) is read past whole.
    const start = BIB_START.exec(t);
    // Inside an entry a line may be long (an abstract on one line, a whole entry on one): it is read
    // in one pass, character by character. Any other line is read with patterns, and kept short.
    const limit = start || scan ? MAX_BIBTEX_LINE_LENGTH : MAX_LINE_LENGTH;
    if (t.length > limit) {
      throw new ImportError(`Line ${i + 1} is ${t.length} characters long; lines are limited to ${limit}.`, 'line-too-long', [i + 1, t.length, limit]);
    }
    if (start) {
      endEntry();
      scan = { close: start[3] === undefined ? '}' : ')', depth: 0, quote: false, field: 0, expectName: false };
      if (!BIB_NO_ENTRY.test(start[1])) entry = { line: { line: i + 1, text: t }, named: [ourBib ? idx.byId.get(start[2] ?? start[3]) : undefined], reads: 0 };
      if (scanBibLine(scan, t, start[0].length, piece)) endEntry();
      return;
    }
    if (scan) {
      // A line that starts with a field's name starts that field, comma before it or not.
      let from = 0;
      if (scan.depth === 0 && !scan.quote) {
        BIB_FIELD_AT.lastIndex = 0;
        const name = BIB_FIELD_AT.exec(t);
        if (name) {
          scan.field = BIB_FIELDS.get(name[1].toLowerCase()) ?? 0;
          scan.expectName = false;
          from = name[0].length;
        }
      }
      if (scanBibLine(scan, t, from, piece)) endEntry();
      return;
    }
    const own = OUR_MARKDOWN_ID.exec(t);
    const e = (own && idx.byId.get(own[1])) || resolveRef(own ? t.slice(0, own.index) : t, idx);
    if (e) add(e);
    else unknown.push({ line: i + 1, text: t });
  });
  endEntry();
  if (found.size > MAX_IMPORT_ITEMS) {
    throw new ImportError(`The list names ${found.size} entries; at most ${MAX_IMPORT_ITEMS} can be imported at once.`, 'too-many-entries', [found.size, MAX_IMPORT_ITEMS]);
  }
  if (found.size === 0 && unknown.length === 0) throw new ImportError('The file has no links or ids in it.', 'no-refs');
  return { format: 'list', favorites: [...found.values()], unknown };
}

/** What importing `parsed` into `existing` would change; nothing is written. */
export function previewImport(existing: Favorite[], parsed: ParsedImport): ImportPreview {
  const plan = planMerge(existing, parsed.favorites);
  return { added: plan.added, updated: plan.updated, unchanged: plan.unchanged, unknown: parsed.unknown, favorites: parsed.favorites };
}
