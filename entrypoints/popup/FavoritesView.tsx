/**
 * The popup's favorites view: the saved entries newest first, filtered by the
 * popup's one search box, each with its note and tags and an inline editor.
 * Sorting, filtering and tag parsing are the options page's (components/options/logic.ts),
 * so a query finds the same favorites on both pages.
 */
import { useEffect, useLayoutEffect, useMemo, useRef } from 'preact/hooks';
import type { Favorite } from '../../utils/favorites/types';
import { useNoteEditor } from '../../components/useNoteEditor';
import { pruneDrafts } from '../../components/noteDraft';
import { t } from '../../utils/i18n';
import { filterFavorites, sortNewestFirst, type FavoriteAliases } from '../../components/options/logic';
import { FavoriteStar } from '../../components/FavoriteStar';
import { KindBadge } from '../../components/KindBadge';

export const FAV_LIST_ID = 'cmed-favorites';

export interface FavoritesViewProps {
  /** null until the background has answered. */
  favorites: ReadonlyMap<string, Favorite> | null;
  /** Why favorites could not be read, while they could not; with a way to try again. */
  loadError?: string | null;
  onRetry?: () => void;
  query: string;
  /** Catalog names and identifiers the query also finds a favorite by (none while the catalog loads). */
  aliases?: FavoriteAliases;
  /** Entries the catalog search finds for the query (typos, pinyin, a pasted link): shown too when saved. */
  catalogHits?: ReadonlySet<string>;
  /** Removed favorites an Undo can still bring back: their unsaved note drafts are kept for it. */
  keepDrafts?: ReadonlySet<string>;
  /** Whether an entry is in the catalog; undefined while the catalog is still loading. */
  inCatalog: (entryId: string) => boolean | undefined;
  busyId: string | null;
  onOpen: (entryId: string) => void;
  /** Resolves to whether the favorite was removed (false when the removal failed or was not started). */
  onRemove: (fav: Favorite) => Promise<boolean>;
  onSave: (entryId: string, patch: { note?: string; tags?: string[] }) => Promise<void>;
  onTag: (tag: string) => void;
}

/**
 * The favorites shown for a query, newest first: those the query's words find (title, note,
 * tags, names, IDs), and, for a query without a `#tag`, those the catalog search finds for it, so
 * a query carried over from the Catalog tab finds the same entries here.
 */
export function visibleFavorites(
  favorites: ReadonlyMap<string, Favorite> | null,
  query: string,
  aliases?: FavoriteAliases,
  catalogHits?: ReadonlySet<string>,
): Favorite[] {
  if (!favorites) return [];
  const all = sortNewestFirst([...favorites.values()]);
  const found = new Set(filterFavorites(all, query, aliases));
  const alsoCatalog = catalogHits && !/[#＃]/.test(query);
  return all.filter((f) => found.has(f) || (alsoCatalog && catalogHits.has(f.entryId)));
}

/** The control a row is reached by: its title, or for a favorite that left the catalog its note editor; never its star, where Enter or Space would remove it. */
export function rowFocusTarget(row: Element | null | undefined): HTMLElement | null {
  return row?.querySelector<HTMLElement>('.fav-open') ?? row?.querySelector<HTMLElement>('.fav-edit-btn, .fav-edit textarea') ?? null;
}

export function FavoritesView(p: FavoritesViewProps) {
  const all = p.favorites;
  // A favorite removed (here or elsewhere) takes its draft with it: saved again later, it opens
  // clean. Not while an Undo can bring it back: then the draft comes back with it.
  useEffect(() => {
    if (all) pruneDrafts(new Set([...all.keys(), ...(p.keepDrafts ?? [])]));
  }, [all, p.keepDrafts]);
  const visible = useMemo(() => visibleFavorites(all, p.query, p.aliases, p.catalogHits), [all, p.query, p.aliases, p.catalogHits]);
  const total = all?.size ?? 0;
  const q = p.query.trim();

  // A row that leaves the list while focus is in it (removed here or elsewhere, or saved with a
  // note or tags the query no longer finds) takes that focus with it: focus moves to the row that
  // took its place, so a keyboard user keeps their position in the list, or to the search box
  // when none did. A removal that fails leaves the row, and focus, where they are.
  const listRef = useRef<HTMLUListElement>(null);
  const lastFocus = useRef<{ index: number; entryId: string } | null>(null);
  const onFocusIn = (e: FocusEvent) => {
    const row = (e.target as Element).closest<HTMLElement>('.fav-row');
    const rows = listRef.current?.querySelectorAll('.fav-row');
    lastFocus.current = row && rows ? { index: [...rows].indexOf(row), entryId: row.dataset.entryId ?? '' } : null;
  };
  // ↑/↓ on a row's button moves to the next or previous row's title (↑ from the first: the search
  // box), as ↓ from the search box enters the list; keys typed in a note's form stay the form's.
  const onListKey = (e: KeyboardEvent) => {
    if ((e.key !== 'ArrowDown' && e.key !== 'ArrowUp') || e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return;
    const from = e.target as HTMLElement;
    if (from.tagName !== 'BUTTON' || from.closest('.fav-edit')) return;
    const rows = [...(listRef.current?.querySelectorAll<HTMLElement>('.fav-row') ?? [])];
    const at = rows.indexOf(from.closest<HTMLElement>('.fav-row')!);
    if (at < 0) return;
    const to = at + (e.key === 'ArrowDown' ? 1 : -1);
    const target = to < 0 ? document.getElementById('cmed-search') : rowFocusTarget(rows[to]);
    e.preventDefault();
    target?.focus();
  };
  useLayoutEffect(() => {
    const last = lastFocus.current;
    if (!last || visible.some((f) => f.entryId === last.entryId)) return;
    lastFocus.current = null;
    // Focus that has moved on by then (to the search box, a toast's Undo) stays where it went.
    if (!focusLost()) return;
    const rows = listRef.current?.querySelectorAll<HTMLElement>('.fav-row');
    const row = rows?.length ? rows[Math.min(last.index, rows.length - 1)] : null;
    (rowFocusTarget(row) ?? document.getElementById('cmed-search'))?.focus();
  }, [visible]);

  // Try again takes its button away once favorites load: focus goes to the search box.
  const retried = useRef(false);
  useLayoutEffect(() => {
    if (!all || !retried.current) return;
    retried.current = false;
    if (focusLost()) document.getElementById('cmed-search')?.focus();
  }, [all]);

  if (!all && p.loadError) {
    return (
      <div class="empty" role="alert">
        <p class="empty-title">{t('popup_favLoadErrorTitle')}</p>
        <p class="error-detail">{t('popup_errorDetail', p.loadError)}</p>
        <button
          type="button"
          class="cmed-btn"
          onClick={() => {
            retried.current = true;
            p.onRetry?.();
          }}
        >
          {t('popup_retry')}
        </button>
      </div>
    );
  }
  if (!all) {
    return (
      <p class="status" role="status" aria-live="polite">
        {t('popup_favLoading')}
      </p>
    );
  }
  return (
    <>
      <p class="status" role="status" aria-live="polite">
        {/* With nothing saved the empty state says it all; "0 of 0 match" would only add noise. */}
        {total === 0
          ? ''
          : q
            ? total === 1
              ? t('popup_favShownOne', visible.length)
              : t('popup_favShown', visible.length, total)
            : total === 1
              ? t('popup_favCountOne')
              : t('popup_favCount', total)}
      </p>
      {total === 0 ? (
        <div class="empty">
          <p class="empty-title">{t('popup_favEmptyTitle')}</p>
          <p>{t('popup_favEmptyBody')}</p>
        </div>
      ) : visible.length === 0 ? (
        <div class="empty">
          <p class="empty-title">{t('popup_favNoMatches', q.length > 40 ? `${Array.from(q).slice(0, 40).join('')}…` : q)}</p>
        </div>
      ) : null}
      {/* Always present: the search box's aria-controls points here. */}
      <ul class="fav-list" id={FAV_LIST_ID} ref={listRef} aria-label={t('popup_favListLabel')} hidden={visible.length === 0} onFocusIn={onFocusIn} onKeyDown={onListKey}>
        {visible.map((f) => (
          <FavoriteRow
            key={f.entryId}
            fav={f}
            inCatalog={p.inCatalog(f.entryId)}
            busy={p.busyId === f.entryId}
            onOpen={p.onOpen}
            onRemove={() => void p.onRemove(f)}
            onSave={(patch) => p.onSave(f.entryId, patch)}
            onTag={p.onTag}
          />
        ))}
      </ul>
    </>
  );
}

/** Whether focus is nowhere: the element that had it was removed. */
function focusLost(): boolean {
  const el = document.activeElement;
  return !el || el === document.body || !el.isConnected;
}

function FavoriteRow({
  fav,
  inCatalog,
  busy,
  onOpen,
  onRemove,
  onSave,
  onTag,
}: {
  fav: Favorite;
  inCatalog: boolean | undefined;
  busy: boolean;
  onOpen: (entryId: string) => void;
  onRemove: () => void;
  onSave: (patch: { note?: string; tags?: string[] }) => Promise<void>;
  onTag: (tag: string) => void;
}) {
  const { editing, cancel, note, setNote, tags, setTags, notice, error, fieldAria, busy: saving, noteRef, editRef, open, submit, onKeyDown } = useNoteEditor(
    fav,
    onSave,
    { noteInvalid: 'popup_noteInvalid', tagsInvalid: 'popup_tagsInvalid', saveFailed: 'popup_noteSaveFailed' },
    // The popup closes when it loses focus: what was typed waits for the next one.
    { keepDraft: true },
  );
  const base = `cmed-fav-${fav.entryId}`;
  const orphan = inCatalog === false;

  return (
    <li class={`fav-row${orphan ? ' fav-row--orphan' : ''}`} data-entry-id={fav.entryId}>
      <div class="fav-head">
        <KindBadge kind={fav.kind} compact />
        {orphan ? (
          <span class="fav-title" id={`${base}-title`} title={fav.title}>
            {fav.title}
          </span>
        ) : (
          <button
            type="button"
            class="fav-title fav-open"
            id={`${base}-title`}
            title={t('popup_openDetails', fav.title)}
            onClick={() => onOpen(fav.entryId)}
          >
            {fav.title}
          </button>
        )}
        <FavoriteStar saved={true} busy={busy} onToggle={onRemove} describedBy={`${base}-title`} />
      </div>
      {orphan ? (
        <p class="fav-orphan" title={t('popup_orphanHint')}>
          {t('popup_orphan')}
        </p>
      ) : null}
      {editing ? (
        <form
          class="fav-edit"
          onSubmit={submit}
          onKeyDown={onKeyDown}
        >
          <label for={`${base}-note`}>{t('popup_noteLabel')}</label>
          {/* A field the error is about says so, and is described by it. */}
          <textarea
            id={`${base}-note`}
            ref={noteRef}
            rows={3}
            value={note}
            {...fieldAria('note', base)}
            onInput={(e) => setNote(e.currentTarget.value)}
          />
          <label for={`${base}-tags`}>{t('popup_tagsLabel')}</label>
          <input
            id={`${base}-tags`}
            type="text"
            value={tags}
            autocomplete="off"
            {...fieldAria('tags', base, `${base}-tags-hint`)}
            onInput={(e) => setTags(e.currentTarget.value)}
          />
          <p class="fav-hint" id={`${base}-tags-hint`}>
            {t('popup_tagsHint')}
          </p>
          {notice ? <p class="fav-hint fav-draft">{t(notice)}</p> : null}
          {error ? (
            <p class="fav-error" role="alert" id={`${base}-error`}>
              {error}
            </p>
          ) : null}
          <div class="fav-actions">
            {/* aria-disabled while saving, not disabled: a disabled button drops keyboard focus. */}
            <button type="submit" class="cmed-btn cmed-btn--primary" aria-disabled={saving || undefined}>
              {t('popup_noteSave')}
            </button>
            <button type="button" class="cmed-btn cmed-btn--ghost" aria-disabled={saving || undefined} onClick={cancel}>
              {t('popup_noteCancel')}
            </button>
          </div>
        </form>
      ) : (
        <>
          {fav.note ? <p class="fav-note">{fav.note}</p> : null}
          <div class="fav-foot">
            {fav.tags.length ? (
              <ul class="fav-tags" aria-label={t('popup_tagsLabel')}>
                {fav.tags.map((tag) => (
                  <li key={tag}>
                    <button type="button" class="fav-tag" title={t('popup_filterByTag', tag)} onClick={() => onTag(tag)}>
                      #{tag}
                    </button>
                  </li>
                ))}
              </ul>
            ) : null}
            <button type="button" class="cmed-btn cmed-btn--ghost fav-edit-btn" ref={editRef} onClick={open} aria-describedby={`${base}-title`}>
              {fav.note || fav.tags.length ? t('popup_editNote') : t('popup_addNote')}
            </button>
          </div>
        </>
      )}
    </li>
  );
}
