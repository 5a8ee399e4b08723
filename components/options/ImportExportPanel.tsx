import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { ParsedImport } from '../../utils/favorites/import';
import type { Favorite } from '../../utils/favorites/types';
import { t } from '../../utils/i18n';
import {
  decodeImportFile,
  MAX_IMPORT_BYTES,
  parseImportText,
  planPreview,
  previewDetail,
  renderExport,
  say,
  type ExportFormat,
  type ImportPreviewView,
  type ImportProblem,
} from './io';

const FORMATS: { format: ExportFormat; label: string; hintKey: string }[] = [
  { format: 'json', label: 'JSON', hintKey: 'options_exportJsonHint' },
  { format: 'bibtex', label: 'BibTeX', hintKey: 'options_exportBibHint' },
  { format: 'markdown', label: 'Markdown', hintKey: 'options_exportMdHint' },
  { format: 'csv', label: 'CSV', hintKey: 'options_exportCsvHint' },
];

/** Hands a generated file to the browser's downloads through a temporary object URL. */
export function downloadText(text: string, fileName: string, mime: string): void {
  const blob = new Blob([text], { type: `${mime};charset=utf-8` });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  // Revoked on a later task: revoking synchronously can cancel the download in some browsers.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export interface ImportExportPanelProps {
  favorites: Favorite[];
  onImport(favorites: Favorite[]): Promise<unknown>;
  /** `count` is how many favorites the file holds (BibTeX leaves out what cannot be cited); 0 means no file. */
  onExported(format: ExportFormat, count: number, total: number): void;
}

type Group = 'added' | 'updated' | 'unchanged' | 'unknown';
const GROUPS: Group[] = ['added', 'updated', 'unchanged', 'unknown'];
/** Rows listed per preview group; a last line says how many more the group holds. */
const PREVIEW_ROWS = 200;

/** Why the last preview or Apply failed; worded at render, so it follows a change of language. */
interface ImportFailure extends ImportProblem {
  /** The chosen file's name; null for pasted text. */
  file: string | null;
  /** 'apply': Apply import failed, shown beside the preview's buttons. */
  at: 'preview' | 'apply';
}

/** The error box's id: the field an import came from (file input or paste box) is described by it. */
const ERROR_ID = 'import-error';

function ImportErrorBox({ failure }: { failure: ImportFailure }) {
  const reason = say(failure.reason);
  return (
    <div class="import-error" role="alert" data-testid="import-error" id={ERROR_ID}>
      <p class="import-error-title">{t('options_importFailedTitle')}</p>
      <p>{failure.file ? t('options_importErrorFile', failure.file, reason) : t('options_importError', reason)}</p>
      {failure.detail && <p class="import-error-detail">{t('options_errorDetail', failure.detail)}</p>}
      <p class="hint">{t('options_importNothingChanged')}</p>
    </div>
  );
}

export function ImportExportPanel(p: ImportExportPanelProps) {
  const [paste, setPaste] = useState('');
  const [fileName, setFileName] = useState<string | null>(null);
  const [error, setError] = useState<ImportFailure | null>(null);
  /**
   * The import previewed, parsed once. Its plan is worked out against the favorites as they are
   * now, so a favorite removed or saved meanwhile (here or in another window) changes what Apply
   * would do; that takes a merge plan, not a new parse of the file.
   */
  const [previewed, setPreviewed] = useState<{ parsed: ParsedImport } | null>(null);
  const preview = useMemo((): ImportPreviewView | null => (previewed ? planPreview(previewed.parsed, p.favorites) : null), [previewed, p.favorites]);
  const [busy, setBusy] = useState(false);
  // Set at once on Apply (state lags a render), so a second activation meanwhile does nothing.
  const applying = useRef(false);
  const fileRef = useRef<HTMLInputElement>(null);
  const previewRef = useRef<HTMLHeadingElement>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);

  // A new preview takes focus; the same one worked out again for changed favorites does not.
  useEffect(() => {
    if (previewed) previewRef.current?.focus();
  }, [previewed]);

  const exportAs = (format: ExportFormat) => {
    const file = renderExport(format, p.favorites);
    // BibTeX holds only favorites that are citeable (papers, or anything with a paper id); say so
    // rather than hand over an empty or silently shorter file.
    const count = format === 'bibtex' ? (file.text.match(/^@\w+\{/gm) ?? []).length : p.favorites.length;
    if (count > 0) downloadText(file.text, file.filename, file.mime);
    p.onExported(format, count, p.favorites.length);
  };

  const runPreview = (text: string, source: string | null) => {
    setPreviewed(null);
    // Pasted text: the name of a file chosen before is no longer what is previewed.
    if (source === null) setFileName(null);
    const r = parseImportText(text);
    if (!r.ok) {
      setError({ ...r.problem, file: source, at: 'preview' });
      return;
    }
    setError(null);
    setPreviewed({ parsed: r.value });
  };

  const onFile = async (e: Event) => {
    const input = e.currentTarget as HTMLInputElement;
    const file = input.files?.[0];
    if (!file) return;
    // Emptied at once, so choosing the same file again (fixed, after a refusal) is a change
    // again; the name stays on the page through fileName.
    input.value = '';
    setFileName(file.name);
    const refuse = (problem: ImportProblem) => {
      setPreviewed(null);
      setError({ ...problem, file: file.name, at: 'preview' });
    };
    // Checked before reading so a huge file never lands in memory.
    if (file.size > MAX_IMPORT_BYTES) {
      // Rounded up, so a file just over the limit never reads as "5.0 MB".
      refuse({ reason: { key: 'options_importTooLarge', subs: [(Math.ceil((file.size * 10) / 1048576) / 10).toFixed(1)] } });
      return;
    }
    let bytes: ArrayBuffer;
    try {
      bytes = await file.arrayBuffer();
    } catch {
      refuse({ reason: { key: 'options_importUnreadable' } });
      return;
    }
    // Bytes, not file.text(): that reads everything as UTF-8 and turns other encodings into U+FFFD silently.
    const text = decodeImportFile(bytes);
    if (!text.ok) {
      refuse(text.problem);
      return;
    }
    runPreview(text.value, file.name);
  };

  /** Closes the preview. Its buttons go with it, so focus goes to the section's heading. */
  const reset = () => {
    setPreviewed(null);
    setError(null);
    setPaste('');
    setFileName(null);
    if (fileRef.current) fileRef.current.value = '';
    headingRef.current?.focus();
  };

  const apply = async () => {
    if (!preview || applying.current) return;
    applying.current = true;
    setBusy(true);
    try {
      await p.onImport(preview.favorites);
      reset();
    } catch (err) {
      setError({ reason: { key: 'options_importApplyFailed' }, detail: err instanceof Error ? err.message : String(err), file: null, at: 'apply' });
    } finally {
      applying.current = false;
      setBusy(false);
    }
  };

  const changes = preview ? preview.added.length + preview.updated.length : 0;
  // A refused import marks the field it came from (file or paste), described by the reason; Apply's error is about neither.
  const fileRefused = error?.at === 'preview' && error.file !== null;
  const pasteRefused = error?.at === 'preview' && error.file === null;

  return (
    <section class="card" aria-labelledby="io-h" id="import-export">
      <h2 id="io-h" ref={headingRef} tabIndex={-1}>
        {t('options_ioHeading')}
      </h2>

      <div class="io-grid">
        <div class="io-block">
          <h3>{t('options_exportHeading')}</h3>
          <p class="hint">
            {p.favorites.length === 0 ? t('options_exportEmpty') : p.favorites.length === 1 ? t('options_exportLedeOne') : t('options_exportLede', p.favorites.length)}
          </p>
          <ul class="export-list">
            {FORMATS.map((f) => (
              <li key={f.format}>
                <button type="button" class="export-row" data-format={f.format} disabled={p.favorites.length === 0} onClick={() => exportAs(f.format)}>
                  <span class="export-name">{f.label}</span>
                  <span class="export-hint">{t(f.hintKey)}</span>
                  <svg class="export-icon" aria-hidden="true" viewBox="0 0 24 24" width="16" height="16">
                    <path d="M11 4h2v9.2l3.3-3.3 1.4 1.4L12 17l-5.7-5.7 1.4-1.4 3.3 3.3ZM5 18h14v2H5Z" fill="currentColor" />
                  </svg>
                </button>
              </li>
            ))}
          </ul>
        </div>

        <div class="io-block">
          <h3>{t('options_importHeading')}</h3>
          <p class="hint">{t('options_importLede')}</p>
          <div class="file-row">
            <label class="btn file-btn">
              <input
                ref={fileRef}
                type="file"
                class="visually-hidden-input"
                accept=".json,.txt,.csv,.md,.bib,application/json,text/plain,application/x-bibtex"
                aria-invalid={fileRefused || undefined}
                aria-describedby={fileRefused ? ERROR_ID : undefined}
                onChange={onFile}
              />
              {t('options_importChooseFile')}
            </label>
            <span class="file-name">{fileName ?? t('options_importNoFile')}</span>
          </div>
          <label for="import-paste" class="field-label">
            {t('options_importPasteLabel')}
          </label>
          <textarea
            id="import-paste"
            rows={4}
            value={paste}
            placeholder={t('options_importPastePlaceholder')}
            aria-invalid={pasteRefused || undefined}
            aria-describedby={pasteRefused ? ERROR_ID : undefined}
            onInput={(e) => setPaste(e.currentTarget.value)}
          />
          <div class="form-actions">
            <button type="button" class="btn" disabled={!paste.trim()} onClick={() => runPreview(paste, null)}>
              {t('options_importPreviewButton')}
            </button>
          </div>
        </div>
      </div>

      {error?.at === 'preview' && <ImportErrorBox failure={error} />}

      {preview && (
        <div class="import-preview" data-testid="import-preview">
          <h3 ref={previewRef} tabIndex={-1}>
            {t('options_previewHeading')}
          </h3>
          <dl class="preview-stats">
            {GROUPS.map((g) => (
              <div key={g} class={`stat stat-${g}`} data-group={g}>
                <dt>{t(`options_preview_${g}`)}</dt>
                <dd>{preview[g].length}</dd>
              </div>
            ))}
          </dl>
          {GROUPS.filter((g) => preview[g].length > 0).map((g) => (
            <details key={g} class="preview-group" open={g !== 'unchanged' && preview[g].length <= 8}>
              <summary>
                {t('options_previewGroup', t(`options_preview_${g}`), preview[g].length)}
              </summary>
              <ul>
                {preview[g].slice(0, PREVIEW_ROWS).map((item, i) => {
                  const detail = previewDetail(item);
                  return (
                    <li key={`${item.label}-${i}`}>
                      {item.label}
                      {detail && <span class="hint"> — {detail}</span>}
                    </li>
                  );
                })}
              </ul>
              {preview[g].length > PREVIEW_ROWS && <p class="hint preview-more">{t('options_previewMore', preview[g].length - PREVIEW_ROWS)}</p>}
            </details>
          ))}
          <p class="hint">
            {changes === 0 ? t('options_previewNothing') : changes === 1 ? t('options_previewApplyHintOne') : t('options_previewApplyHint', changes)}
          </p>
          <div class="form-actions">
            {/* aria-disabled while saving, not disabled: a disabled button drops keyboard focus. */}
            <button type="button" class="btn btn-primary" disabled={changes === 0} aria-disabled={busy || undefined} onClick={apply}>
              {t('options_importApply')}
            </button>
            <button type="button" class="btn" onClick={reset}>
              {t('options_cancel')}
            </button>
          </div>
          {/* Apply's error right after its buttons: above a long preview it would be out of sight. */}
          {error?.at === 'apply' && <ImportErrorBox failure={error} />}
        </div>
      )}
    </section>
  );
}
