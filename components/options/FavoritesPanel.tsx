import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Link } from '../../utils/catalog/types';
import type { Favorite } from '../../utils/favorites/types';
import { t } from '../../utils/i18n';
import { pruneDrafts } from '../noteDraft';
import { FavoriteItem } from './FavoriteItem';
import { filterFavorites, pruneSelection, sortNewestFirst, tagCounts, tagQuery, toggleAll, type FavoriteAliases } from './logic';

/** How long a removed favorite's unsaved note is kept for an Undo that may bring it back. */
const DRAFT_UNDO_GRACE_MS = 15 * 60_000;

export interface FavoritesPanelProps {
  favorites: Favorite[];
  area: 'sync' | 'local';
  dateFmt: Intl.DateTimeFormat;
  /** Current catalog links for an entry, or undefined when it has left the catalog. */
  catalogLinks(entryId: string): Link[] | undefined;
  /** Catalog names and identifiers the search also finds a favorite by. */
  aliases?: FavoriteAliases;
  /** Resolves true once removed, false if the removal failed (the page has said why). */
  onRemove(entryIds: string[]): Promise<boolean>;
  onUpdate(entryId: string, patch: { note?: string; tags?: string[] }): Promise<void>;
}

export function FavoritesPanel(p: FavoritesPanelProps) {
  const [query, setQuery] = useState('');
  const [selectedRaw, setSelected] = useState<Set<string>>(new Set());
  const searchRef = useRef<HTMLInputElement>(null);
  const checkAllRef = useRef<HTMLInputElement>(null);

  const sorted = useMemo(() => sortNewestFirst(p.favorites), [p.favorites]);
  const visible = useMemo(() => filterFavorites(sorted, query, p.aliases), [sorted, query, p.aliases]);
  const tags = useMemo(() => tagCounts(p.favorites).slice(0, 12), [p.favorites]);
  // Selection survives filtering (so one can select across searches) but not removal.
  const selected = useMemo(() => pruneSelection(selectedRaw, p.favorites), [selectedRaw, p.favorites]);
  // …and a favorite removed (here, in the popup, on another device) leaves the selection for good:
  // saved again, or brought back by Undo, it comes back unselected.
  useEffect(
    () =>
      setSelected((s) => {
        const kept = pruneSelection(s, p.favorites);
        return kept.size === s.size ? s : kept;
      }),
    [p.favorites],
  );
  // A favorite removed (here or elsewhere) takes its note draft with it: saved again later, it
  // opens clean. Not a draft typed in the last minutes: an Undo (here, or the popup's, which keeps
  // a removed row's draft for it) may bring the favorite back with what was typed in it.
  useEffect(() => {
    pruneDrafts(new Set(p.favorites.map((f) => f.entryId)), DRAFT_UNDO_GRACE_MS);
  }, [p.favorites]);
  const visibleIds = visible.map((f) => f.entryId);
  const visibleSelected = visibleIds.filter((id) => selected.has(id)).length;
  const allVisibleSelected = visible.length > 0 && visibleSelected === visible.length;

  const filterByTag = (tag: string) => {
    setQuery(tagQuery(tag));
    searchRef.current?.focus();
  };

  const removeSelected = async () => {
    const ids = sorted.filter((f) => selected.has(f.entryId)).map((f) => f.entryId);
    if (ids.length === 0) return;
    // A failed removal keeps the selection, so trying again needs no re-selecting.
    if (await p.onRemove(ids)) setSelected(new Set());
  };

  /** Clear selection: its button goes away with the selection, so focus goes to the select-all box (the search box if that is disabled). */
  const clearSelection = () => {
    setSelected(new Set());
    const all = checkAllRef.current;
    (all && !all.disabled ? all : searchRef.current)?.focus();
  };

  /** Clear search: its button goes away with the search, so focus goes to the search box. */
  const clearSearch = () => {
    setQuery('');
    searchRef.current?.focus();
  };

  return (
    <section class="card" aria-labelledby="favorites-h" id="favorites">
      <div class="card-head">
        <h2 id="favorites-h" tabIndex={-1}>
          {t('options_favoritesHeading')}
        </h2>
        <p class="card-meta">
          <span class="count">{t('options_favoritesCount', p.favorites.length)}</span>
          <span class={`area area-${p.area}`} title={p.area === 'sync' ? t('options_areaSyncHint') : t('options_areaLocalHint')}>
            {p.area === 'sync' ? t('options_areaSync') : t('options_areaLocal')}
          </span>
        </p>
      </div>

      {p.favorites.length === 0 ? (
        <div class="empty">
          <p class="empty-title">{t('options_emptyTitle')}</p>
          <p>{t('options_emptyBody')}</p>
        </div>
      ) : (
        <>
          <div class="toolbar" role="search">
            <label for="fav-search" class="visually-hidden">
              {t('options_searchLabel')}
            </label>
            <input
              id="fav-search"
              ref={searchRef}
              type="search"
              class="search"
              placeholder={t('options_searchPlaceholder')}
              value={query}
              autocomplete="off"
              onInput={(e) => setQuery(e.currentTarget.value)}
            />
          </div>
          {tags.length > 0 && (
            <div class="tag-filter">
              <span class="tag-filter-label" id="tag-filter-label">
                {t('options_tagFilterLabel')}
              </span>
              <ul class="tag-list" aria-labelledby="tag-filter-label">
                {tags.map(({ tag, count }) => (
                  <li key={tag}>
                    <button type="button" class="tag" aria-pressed={query === tagQuery(tag)} onClick={() => (query === tagQuery(tag) ? setQuery('') : filterByTag(tag))}>
                      #{tag} <span class="tag-count">{count}</span>
                    </button>
                  </li>
                ))}
              </ul>
            </div>
          )}

          <div class="bulk-bar">
            <label class="check-all">
              <input
                ref={checkAllRef}
                type="checkbox"
                checked={allVisibleSelected}
                indeterminate={visibleSelected > 0 && !allVisibleSelected}
                disabled={visible.length === 0}
                onChange={(e) => setSelected(toggleAll(selected, visibleIds, e.currentTarget.checked))}
              />
              <span>{query ? t('options_selectAllShown') : t('options_selectAll')}</span>
            </label>
            <span class="bulk-status" aria-live="polite">
              {selected.size > 0 ? t('options_selectedCount', selected.size) : ''}
            </span>
            <span class="spacer" />
            {selected.size > 0 && (
              <button type="button" class="btn btn-small btn-quiet" onClick={clearSelection}>
                {t('options_clearSelection')}
              </button>
            )}
            <button type="button" class="btn btn-small btn-danger" disabled={selected.size === 0} onClick={removeSelected}>
              {selected.size > 0 ? t('options_removeSelectedN', selected.size) : t('options_removeSelected')}
            </button>
          </div>

          <p class="result-status" aria-live="polite">
            {query ? t('options_shownCount', visible.length, p.favorites.length) : ''}
          </p>
          {visible.length === 0 ? (
            <div class="empty">
              <p>{t('options_noMatches')}</p>
              <button type="button" class="btn btn-small" onClick={clearSearch}>
                {t('options_clearSearch')}
              </button>
            </div>
          ) : (
            <ul class="fav-list">
              {visible.map((f) => {
                const current = p.catalogLinks(f.entryId);
                return (
                  <FavoriteItem
                    key={f.entryId}
                    fav={f}
                    inCatalog={current !== undefined}
                    links={current && current.length > 0 ? current : f.links}
                    selected={selected.has(f.entryId)}
                    dateFmt={p.dateFmt}
                    onSelect={(on) => setSelected(toggleAll(selected, [f.entryId], on))}
                    onSave={(patch) => p.onUpdate(f.entryId, patch)}
                    onRemove={() => void p.onRemove([f.entryId])}
                    onTag={filterByTag}
                  />
                );
              })}
            </ul>
          )}
        </>
      )}
    </section>
  );
}
