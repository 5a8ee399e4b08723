import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Link } from '../../utils/catalog/types';
import { getEntry } from '../../utils/catalog';
import type { ImportChange } from '../../utils/favorites/merge';
import type { Favorite, FavoritesSnapshot, Settings, SettingsPatch } from '../../utils/favorites/types';
import { applySettingsPatch } from '../../utils/favorites/settings';
import { language, resolveLanguage, setLanguage, t } from '../../utils/i18n';
import { messageClient, type OptionsClient } from '../../components/options/client';
import { FavoritesPanel } from '../../components/options/FavoritesPanel';
import { entryAliases } from '../../components/options/logic';
import { ImportExportPanel } from '../../components/options/ImportExportPanel';
import { Notices } from '../../components/options/Notices';
import { SettingsPanel } from '../../components/options/SettingsPanel';
import { applyTheme } from '../../components/options/theme';
import { ToastRegion, useToast } from '../../components/options/Toast';

/** Applies the parts of settings the page itself shows: language and theme, at once. */
export function applyPageSettings(s: Settings): void {
  setLanguage(resolveLanguage(s.language));
  applyTheme(s.theme);
  document.title = t('options_pageTitle');
}

const defaultCatalogLinks = (id: string): Link[] | undefined => getEntry(id)?.links;
const catalogAliases = (id: string) => entryAliases(getEntry(id));

const errText = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** What an Undo has taken back so far: favorites restored, imports undone, favorites changed since that it left. */
type UndoDone = { restored: number; imports: number; left: number };

/** One thing the options page's Undo takes back: a removal (the favorites removed) or an import (what it changed). */
type UndoStep =
  | { kind: 'removed'; favorites: Favorite[] }
  | { kind: 'imported'; changes: ImportChange[]; added: number; updated: number; unchanged: number };

export interface AppProps {
  client?: OptionsClient;
  /** Settings read before the first render (avoids a flash of the wrong language/theme). */
  initialSettings?: Settings;
  catalogLinks?(entryId: string): Link[] | undefined;
}

export function App({ client = messageClient, initialSettings, catalogLinks = defaultCatalogLinks }: AppProps) {
  const [snap, setSnap] = useState<FavoritesSnapshot | null>(null);
  const [settings, setSettings] = useState<Settings | null>(initialSettings ?? null);
  const [loadError, setLoadError] = useState<{ title: string; detail: string } | null>(null);
  const { toasts, show, dismiss, showing } = useToast();
  /**
   * What the Undo on show takes back, oldest first, and its toast: a removal or an import while it
   * shows adds to it (a removal right after a removal joins that one, as in the popup), so no Undo
   * is lost to a later one; Undo takes the steps back newest first.
   */
  const undoable = useRef<{ toast: number; steps: UndoStep[]; done: UndoDone } | null>(null);
  const [focusToast, setFocusToast] = useState(false);
  const lastSaved = useRef<Settings | null>(initialSettings ?? null);

  // Saves of settings still on their way; a reload meanwhile would show the state before them.
  const saving = useRef(0);

  /**
   * Reads favorites and settings afresh: at start, on Try again, and when another page or device
   * changed them. Resolves true when both loaded.
   */
  const reload = useCallback(async (): Promise<boolean> => {
    const [favs, sets] = await Promise.allSettled([client.getFavorites(), client.getSettings()]);
    if (favs.status === 'fulfilled') setSnap(favs.value);
    if (sets.status === 'fulfilled' && saving.current === 0) {
      lastSaved.current = sets.value;
      applyPageSettings(sets.value);
      setSettings(sets.value);
    }
    if (favs.status === 'rejected') setLoadError({ title: t('options_loadErrorTitle'), detail: errText(favs.reason) });
    else if (sets.status === 'rejected') setLoadError({ title: t('options_settingsLoadErrorTitle'), detail: errText(sets.reason) });
    else {
      setLoadError(null);
      return true;
    }
    return false;
  }, [client]);

  useEffect(() => {
    void reload();
    return client.onExternalChange(() => void reload());
  }, [client, reload]);

  const lang = settings ? resolveLanguage(settings.language) : language();
  const dateFmt = useMemo(() => new Intl.DateTimeFormat(lang === 'zh_CN' ? 'zh-CN' : 'en', { dateStyle: 'medium' }), [lang]);

  const focusList = useCallback(() => document.getElementById('favorites-h')?.focus(), []);

  // Try again goes away once everything loaded; focus then goes to the favorites heading,
  // after the render that shows it.
  const [focusListNext, setFocusListNext] = useState(false);
  useEffect(() => {
    if (!focusListNext) return;
    setFocusListNext(false);
    focusList();
  }, [focusListNext, focusList]);
  const retry = async () => {
    if (await reload()) setFocusListNext(true);
  };

  /**
   * Shows the Undo of `step`, joined to the Undo still on show (if any), and keeps the steps for it.
   * Its toast says what the last step did, and that the Undo also takes back those before it. Its
   * button takes the keyboard after a removal, whose row's buttons went; after an import, focus
   * stays on the import section's heading, where Apply import left it.
   */
  const offerUndo = (step: UndoStep) => {
    const joined = undoable.current && showing(undoable.current.toast) ? undoable.current : null;
    const earlier = joined ? joined.steps : [];
    const last = earlier.at(-1);
    let steps: UndoStep[];
    if (step.kind === 'removed' && last?.kind === 'removed') {
      // A favorite removed again after it was saved anew comes back as it was this time.
      const now = new Set(step.favorites.map((f) => f.entryId));
      steps = [...earlier.slice(0, -1), { kind: 'removed', favorites: [...last.favorites.filter((f) => !now.has(f.entryId)), ...step.favorites] }];
    } else steps = [...earlier, step];
    const top = steps[steps.length - 1];
    let text =
      top.kind === 'imported'
        ? t('options_imported', top.added, top.updated, top.unchanged)
        : top.favorites.length === 1
          ? t('options_removedOne', top.favorites[0].title)
          : t('options_removedMany', top.favorites.length);
    if (steps.length > 1) text = `${text} ${t('options_undoAlsoEarlier')}`;
    setFocusToast(step.kind === 'removed');
    const remaining = [...steps];
    // What the Undo did, over its tries and those of an Undo it joined (one that failed part way).
    const done: UndoDone = joined ? { ...joined.done } : { restored: 0, imports: 0, left: 0 };
    const toast = show(text, {
      action: {
        label: t('options_undo'),
        // The Undo button goes with its toast; the toast region hands its focus to the list. A
        // failed Undo stays, to be tried again, with the steps it has not taken back yet.
        run: async () => {
          // Running, it takes no more steps: a removal or import meanwhile gets an Undo of its own.
          if (undoable.current?.toast === toast) undoable.current = null;
          // Steps taken back leave `todo` for good: tried again after a failure, Undo goes on from there.
          const todo = remaining;
          try {
            while (todo.length) {
              const next = todo[todo.length - 1];
              if (next.kind === 'removed') done.restored += await client.restore(next.favorites);
              else {
                const r = await client.undoImport(next.changes);
                done.imports++;
                done.left += r.left;
              }
              todo.pop();
            }
          } catch (err) {
            // Some steps taken back, now or in an earlier try: the list shows them.
            if (todo.length < steps.length) await reload();
            setFocusToast(false);
            show(t('options_errorRestore', errText(err)), { tone: 'error' });
            if (showing(toast)) undoable.current = { toast, steps: [...todo], done };
            throw err;
          }
          await reload();
          setFocusToast(false);
          const said: string[] = [];
          const { restored, imports, left } = done;
          if (restored || steps.some((x) => x.kind === 'removed')) said.push(restored === 1 ? t('options_restoredOne') : t('options_restored', restored));
          if (imports) said.push(t('options_importUndone'));
          if (left) said.push(left === 1 ? t('options_importUndoLeftOne') : t('options_importUndoLeft', left));
          show(said.join(' '));
        },
      },
    });
    undoable.current = { toast, steps, done };
  };

  /** Resolves true once removed; on failure says why in a toast and resolves false. */
  const remove = async (entryIds: string[]): Promise<boolean> => {
    let removed: Favorite[];
    try {
      removed = await client.remove(entryIds);
    } catch (err) {
      show(t('options_errorRemove', errText(err)), { tone: 'error' });
      return false;
    }
    // Every id asked for is gone now: one the store did not have was removed elsewhere already.
    const gone = new Set(entryIds);
    setSnap((s) => s && { ...s, favorites: s.favorites.filter((f) => !gone.has(f.entryId)) });
    if (removed.length === 0) {
      // Nothing to undo. The row's Remove button went with it: focus goes to the list's heading.
      setFocusToast(false);
      show(t('options_alreadyRemoved'));
      setFocusListNext(true);
      return true;
    }
    offerUndo({ kind: 'removed', favorites: removed });
    return true;
  };

  const update = async (entryId: string, patch: { note?: string; tags?: string[] }) => {
    const fav = await client.update(entryId, patch);
    if (!fav) throw new Error(t('options_errorGone'));
    setSnap((s) => s && { ...s, favorites: s.favorites.map((f) => (f.entryId === entryId ? fav : f)) });
    setFocusToast(false);
    show(t('options_savedNote', fav.title));
  };

  /** An import that changed anything can be undone, as a removal can (notes and tags it replaced come back). */
  const importFavorites = async (favorites: Favorite[]) => {
    const r = await client.importFavorites(favorites);
    await reload();
    if (r.changes.length) offerUndo({ kind: 'imported', changes: r.changes, added: r.added, updated: r.updated, unchanged: r.unchanged });
    else {
      setFocusToast(false);
      show(t('options_imported', r.added, r.updated, r.unchanged));
    }
    return r;
  };

  /** Resolves true once dismissed; on failure says why in a toast and resolves false. */
  const dismissNotice = async (id: string): Promise<boolean> => {
    try {
      await client.dismissNotice(id);
      setSnap((s) => s && { ...s, notices: s.notices.filter((n) => n.id !== id) });
      return true;
    } catch (err) {
      show(errText(err), { tone: 'error' });
      return false;
    }
  };

  const changeSettings = async (patch: SettingsPatch) => {
    if (!settings) return;
    // Applied before the round trip so language and theme switch at once; rolled back if the write fails.
    const optimistic = applySettingsPatch(settings, patch);
    setSettings(optimistic);
    applyPageSettings(optimistic);
    setFocusToast(false);
    saving.current++;
    try {
      const saved = await client.setSettings(patch);
      lastSaved.current = saved;
      setSettings(saved);
      applyPageSettings(saved);
      show(t('options_settingsSaved'));
    } catch (err) {
      const back = lastSaved.current ?? settings;
      setSettings(back);
      applyPageSettings(back);
      show(t('options_errorSettings', errText(err)), { tone: 'error' });
    } finally {
      saving.current--;
    }
  };

  return (
    <div class="page">
      <header class="masthead">
        <div class="brand">
          <span class="logo" aria-hidden="true">
            {/* A lens over a cross: looking things up in a medical list. */}
            <svg viewBox="0 0 24 24" width="22" height="22" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round">
              <circle cx="10.5" cy="10.5" r="6.5" />
              <path d="M15.3 15.3 20 20M10.5 7.5v6M7.5 10.5h6" />
            </svg>
          </span>
          <div>
            <h1>{t('extName')}</h1>
            <p class="subtitle">{t('options_subtitle')}</p>
          </div>
        </div>
        <nav aria-label={t('options_navLabel')} class="nav">
          <a href="#favorites">{t('options_favoritesHeading')}</a>
          <a href="#import-export">{t('options_ioHeading')}</a>
          <a href="#settings">{t('options_settingsHeading')}</a>
        </nav>
      </header>

      <main class="layout">
        <div class="col-main">
          {loadError && (
            <div class="import-error" role="alert">
              <p class="import-error-title">{loadError.title}</p>
              <p>{loadError.detail}</p>
              <button type="button" class="btn btn-small" onClick={() => void retry()}>
                {t('options_retry')}
              </button>
            </div>
          )}
          {snap && <Notices notices={snap.notices} dateFmt={dateFmt} onDismiss={dismissNotice} onFocusLost={focusList} />}
          {snap ? (
            <FavoritesPanel
              favorites={snap.favorites}
              area={snap.area}
              dateFmt={dateFmt}
              catalogLinks={catalogLinks}
              aliases={catalogAliases}
              onRemove={remove}
              onUpdate={update}
            />
          ) : (
            !loadError && (
              <section class="card" aria-busy="true">
                <p class="hint">{t('options_loading')}</p>
              </section>
            )
          )}
          {snap && (
            <ImportExportPanel
              favorites={snap.favorites}
              onImport={importFavorites}
              onExported={(format, n, total) => {
                setFocusToast(false);
                if (format !== 'bibtex' || n === total) show(n === 1 ? t('options_exportedOne') : t('options_exported', n));
                else if (n === 0) show(t('options_exportBibNone'));
                else show(t('options_exportBibPartial', n, total));
              }}
            />
          )}
        </div>
        <div class="col-side">
          {settings && <SettingsPanel settings={settings} onChange={(p) => void changeSettings(p)} />}
        </div>
      </main>
      <ToastRegion toasts={toasts} onDismiss={dismiss} focusAction={focusToast} onFocusLost={focusList} />
    </div>
  );
}
