/**
 * Binds the favorites module's export and import functions to what the options page
 * shows: one file per format, and a preview reduced to labelled lines. Parsing and
 * merging rules live in utils/favorites; nothing here decides what an import does.
 */
import { catalog, getEntry } from '../../utils/catalog';
import type { Entry } from '../../utils/catalog/types';
import { exportAs, type ExportFile, type ExportFormat } from '../../utils/favorites/export';
import { decodeImportBytes, ImportError, MAX_IMPORT_BYTES, parseImport, previewImport as planImport, type ImportErrorCode, type ParsedImport } from '../../utils/favorites/import';
import type { Favorite } from '../../utils/favorites/types';
import { t } from '../../utils/i18n';

export { MAX_IMPORT_BYTES };
export type { ExportFormat };

/** A sentence kept as its message key and values, so it is worded at render in the page's current language. */
export interface Wording {
  key: string;
  subs?: (string | number)[];
}

export const say = (w: Wording): string => t(w.key, ...(w.subs ?? []));

/** Why an import cannot go ahead: the reason in the page's words, and any technical text (English) for a "Details" line. */
export interface ImportProblem {
  reason: Wording;
  detail?: string;
}

export type Change = 'note' | 'tags' | 'date';

export interface PreviewItem {
  label: string;
  /** Updated entries: what the import changes. */
  changes?: Change[];
  /** Unrecognised lines: the 1-based line number. */
  line?: number;
}

export interface ImportPreviewView {
  /** Exactly what `favorites:import` receives; the background merges again against its own state. */
  favorites: Favorite[];
  added: PreviewItem[];
  updated: PreviewItem[];
  unchanged: PreviewItem[];
  unknown: PreviewItem[];
}

export function renderExport(format: ExportFormat, favorites: Favorite[], lookup: (id: string) => Entry | undefined = getEntry): ExportFile {
  return exportAs(format, favorites, { getEntry: lookup });
}

function whatChanged(before: Favorite, after: Favorite): Change[] {
  const parts: Change[] = [];
  if (before.note !== after.note) parts.push('note');
  if (before.tags.join('\u0000') !== after.tags.join('\u0000')) parts.push('tags');
  if (before.savedAt !== after.savedAt) parts.push('date');
  return parts;
}

const CHANGE_KEYS: Record<Change, string> = { note: 'options_previewNoteChanged', tags: 'options_previewTagsChanged', date: 'options_previewDateChanged' };

/** The hint after a preview line, in the current language: what changes, or which line was not recognised. */
export function previewDetail(item: PreviewItem): string | undefined {
  if (item.line !== undefined) return t('options_previewLine', item.line);
  if (item.changes?.length) return item.changes.map((c) => t(CHANGE_KEYS[c])).join(t('options_listSeparator'));
  return undefined;
}

/** The page's wording of each reason the parser gives; `ImportError.params` fill its $1, $2… */
const ERROR_KEYS: Record<ImportErrorCode, string> = {
  encoding: 'options_importNotUtf8',
  nul: 'options_importNul',
  'too-large': 'options_importTooLarge',
  'text-too-large': 'options_importTextTooLarge',
  'not-text': 'options_importNotText',
  empty: 'options_importEmpty',
  'invalid-json': 'options_importInvalidJson',
  'forbidden-key': 'options_importForbiddenKey',
  'not-export': 'options_importNotExport',
  'no-version': 'options_importNoVersion',
  'newer-version': 'options_importNewerVersion',
  'no-list': 'options_importNoList',
  'too-many-favorites': 'options_importTooManyItems',
  'invalid-favorite': 'options_importInvalidFavorite',
  'too-many-lines': 'options_importTooManyLines',
  'line-too-long': 'options_importLineTooLong',
  'too-many-entries': 'options_importTooManyEntries',
  'no-refs': 'options_importNoRefs',
  'our-csv': 'options_importOurCsv',
};

/** An ImportError as the page shows it: its code's sentence, and the parser's technical part (if any) as details. */
export function importProblem(err: ImportError): ImportProblem {
  // A favorite without a readable entry ID is named by its position only.
  const key = err.code === 'invalid-favorite' && err.params[1] ? 'options_importInvalidFavoriteId' : ERROR_KEYS[err.code];
  return { reason: { key, subs: [...err.params] }, ...(err.detail ? { detail: err.detail } : {}) };
}

export type Checked<T> = { ok: true; value: T } | { ok: false; problem: ImportProblem };

/** A chosen file's text from its bytes (UTF-8, or UTF-16 with a byte-order mark); other encodings are refused. */
export function decodeImportFile(bytes: ArrayBuffer): Checked<string> {
  try {
    return { ok: true, value: decodeImportBytes(bytes) };
  } catch (err) {
    if (err instanceof ImportError) return { ok: false, problem: importProblem(err) };
    throw err;
  }
}

/**
 * Parses an import without writing anything. Malformed, oversized or hostile input comes back
 * as `{ ok: false }` with the reason; other errors are bugs and throw.
 */
export function parseImportText(text: string, entries: readonly Entry[] = catalog): Checked<ParsedImport> {
  try {
    return { ok: true, value: parseImport(text, { entries }) };
  } catch (err) {
    if (err instanceof ImportError) return { ok: false, problem: importProblem(err) };
    throw err;
  }
}

/** What importing `parsed` into `current` would change, as the page lists it (cheap: no parsing). */
export function planPreview(parsed: ParsedImport, current: Favorite[]): ImportPreviewView {
  const preview = planImport(current, parsed);
  return {
    favorites: preview.favorites,
    added: preview.added.map((f) => ({ label: f.title })),
    updated: preview.updated.map(({ before, after }) => ({ label: after.title, changes: whatChanged(before, after) })),
    unchanged: preview.unchanged.map((f) => ({ label: f.title })),
    unknown: preview.unknown.map((u) => ({ label: u.text.length > 120 ? `${u.text.slice(0, 119)}…` : u.text, line: u.line })),
  };
}

/** {@link parseImportText} and {@link planPreview} in one. */
export function previewImport(text: string, current: Favorite[], entries: readonly Entry[] = catalog): Checked<ImportPreviewView> {
  const parsed = parseImportText(text, entries);
  return parsed.ok ? { ok: true, value: planPreview(parsed.value, current) } : parsed;
}
