/**
 * Binds the favorites module's export and import functions to what the options page
 * shows: one file per format, and a preview reduced to labelled lines. Parsing and
 * merging rules live in utils/favorites; nothing here decides what an import does.
 */
import { catalog, getEntry } from '../../utils/catalog';
import type { Entry } from '../../utils/catalog/types';
import { exportAs, type ExportFile, type ExportFormat } from '../../utils/favorites/export';
import { decodeImportBytes, ImportError, MAX_IMPORT_BYTES, parseImport, previewImport as planImport } from '../../utils/favorites/import';
import type { Favorite } from '../../utils/favorites/types';
import type { Result } from '../../utils/favorites/validate';
import { t } from '../../utils/i18n';

export { MAX_IMPORT_BYTES };
export type { ExportFormat };

export interface PreviewItem {
  label: string;
  detail?: string;
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

function whatChanged(before: Favorite, after: Favorite): string {
  const parts: string[] = [];
  if (before.note !== after.note) parts.push(t('options_previewNoteChanged'));
  if (before.tags.join('\u0000') !== after.tags.join('\u0000')) parts.push(t('options_previewTagsChanged'));
  if (before.savedAt !== after.savedAt) parts.push(t('options_previewDateChanged'));
  return parts.join(', ');
}

const ERROR_KEYS = { encoding: 'options_importNotUtf8', nul: 'options_importNul' } as const;

/** The parser's message, or the page's own wording for the errors that have one. */
function importErrorText(err: ImportError): string {
  return err.code ? t(ERROR_KEYS[err.code]) : err.message;
}

/** A chosen file's text from its bytes (UTF-8, or UTF-16 with a byte-order mark); other encodings are refused. */
export function decodeImportFile(bytes: ArrayBuffer): Result<string> {
  try {
    return { ok: true, value: decodeImportBytes(bytes) };
  } catch (err) {
    if (err instanceof ImportError) return { ok: false, error: importErrorText(err) };
    throw err;
  }
}

/**
 * Parses and previews without writing anything. Malformed, oversized or hostile input
 * comes back as `{ ok: false }` with the parser's message; other errors are bugs and throw.
 */
export function previewImport(text: string, current: Favorite[], entries: readonly Entry[] = catalog): Result<ImportPreviewView> {
  let preview;
  try {
    preview = planImport(current, parseImport(text, { entries }));
  } catch (err) {
    if (err instanceof ImportError) return { ok: false, error: importErrorText(err) };
    throw err;
  }
  return {
    ok: true,
    value: {
      favorites: preview.favorites,
      added: preview.added.map((f) => ({ label: f.title })),
      updated: preview.updated.map(({ before, after }) => ({ label: after.title, detail: whatChanged(before, after) })),
      unchanged: preview.unchanged.map((f) => ({ label: f.title })),
      unknown: preview.unknown.map((u) => ({ label: u.text.length > 120 ? `${u.text.slice(0, 119)}…` : u.text, detail: t('options_previewLine', u.line) })),
    },
  };
}
