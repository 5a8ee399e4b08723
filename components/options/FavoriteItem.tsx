import type { Link } from '../../utils/catalog/types';
import type { Favorite } from '../../utils/favorites/types';
import { t } from '../../utils/i18n';
import { KindBadge } from '../KindBadge';
import { useNoteEditor } from '../useNoteEditor';

export interface FavoriteItemProps {
  fav: Favorite;
  /** False when the entry has left the bundled catalog: we then show the saved snapshot. */
  inCatalog: boolean;
  /** Links to show: the catalog's current ones when present, else the saved ones. */
  links: Link[];
  selected: boolean;
  dateFmt: Intl.DateTimeFormat;
  onSelect(checked: boolean): void;
  /** Resolves when saved; rejects with a message to show beside the form. */
  onSave(patch: { note?: string; tags?: string[] }): Promise<void>;
  onRemove(): void;
  onTag(tag: string): void;
}

// Link type names are the popup's, so a link reads the same on both pages.
function linkLabel(link: Link): string {
  if (link.label) return link.label;
  const key = `popup_link_${link.type}`;
  const text = t(key);
  return text === key ? link.type : text;
}

export function FavoriteItem(p: FavoriteItemProps) {
  const { fav } = p;
  const { editing, cancel, note, setNote, tags, setTags, notice, error, fieldAria, busy, noteRef, editRef, open, submit, onKeyDown } = useNoteEditor(
    fav,
    p.onSave,
    { noteInvalid: 'options_noteInvalid', tagsInvalid: 'options_tagsInvalid', saveFailed: 'options_noteSaveFailed' },
    // The search and the tag chips show only the rows that match: a row hidden with its form
    // open comes back with what was typed. Drafts are shared with the popup's editor.
    { keepDraft: true },
  );
  const base = `fav-${fav.entryId}`;

  const primary = p.links[0]?.url;
  return (
    <li class={`fav${p.selected ? ' is-selected' : ''}${p.inCatalog ? '' : ' is-orphan'}`} data-entry-id={fav.entryId}>
      <input
        type="checkbox"
        class="fav-check"
        id={`${base}-sel`}
        checked={p.selected}
        aria-labelledby={`${base}-title`}
        onChange={(e) => p.onSelect(e.currentTarget.checked)}
      />
      <div class="fav-main">
        <div class="fav-head">
          <h3 class="fav-title" id={`${base}-title`}>
            {primary ? (
              <a href={primary} target="_blank" rel="noopener noreferrer">
                {fav.title}
              </a>
            ) : (
              fav.title
            )}
          </h3>
          <KindBadge kind={fav.kind} compact />
          {!p.inCatalog && (
            <span class="orphan-badge" title={t('options_orphanHint')}>
              {t('options_orphan')}
            </span>
          )}
        </div>
        <p class="fav-meta">
          <span>
            {t('options_savedOn')} <time dateTime={new Date(fav.savedAt).toISOString()}>{p.dateFmt.format(fav.savedAt)}</time>
          </span>
          {p.links.length > 0 && (
            <span class="fav-links">
              {p.links.slice(0, 6).map((l) => (
                <a key={l.url} href={l.url} target="_blank" rel="noopener noreferrer" class="link-chip">
                  {linkLabel(l)}
                </a>
              ))}
            </span>
          )}
        </p>

        {!editing && (
          <>
            {fav.tags.length > 0 && (
              <ul class="tag-list" aria-label={t('options_tagsLabel')}>
                {fav.tags.map((tag) => (
                  <li key={tag}>
                    <button type="button" class="tag" title={t('options_filterByTag', tag)} onClick={() => p.onTag(tag)}>
                      #{tag}
                    </button>
                  </li>
                ))}
              </ul>
            )}
            {fav.note ? <p class="fav-note">{fav.note}</p> : null}
          </>
        )}

        {editing && (
          <form class="fav-edit" onSubmit={submit} onKeyDown={onKeyDown}>
            <label for={`${base}-note`}>{t('options_noteLabel')}</label>
            {/* A field the error is about says so, and is described by it. */}
            <textarea
              id={`${base}-note`}
              ref={noteRef}
              rows={3}
              value={note}
              {...fieldAria('note', base)}
              onInput={(e) => setNote(e.currentTarget.value)}
            />
            <label for={`${base}-tags`}>{t('options_tagsLabel')}</label>
            <input
              id={`${base}-tags`}
              type="text"
              value={tags}
              {...fieldAria('tags', base, `${base}-tags-hint`)}
              onInput={(e) => setTags(e.currentTarget.value)}
            />
            <p class="hint" id={`${base}-tags-hint`}>
              {t('options_tagsHint')}
            </p>
            {notice && <p class="hint fav-draft">{t(notice)}</p>}
            {error && (
              <p class="form-error" role="alert" id={`${base}-error`}>
                {error}
              </p>
            )}
            <div class="form-actions">
              {/* aria-disabled while saving, not disabled: a disabled button drops keyboard focus. */}
              <button type="submit" class="btn btn-primary" aria-disabled={busy || undefined}>
                {t('options_save')}
              </button>
              <button type="button" class="btn" aria-disabled={busy || undefined} onClick={cancel}>
                {t('options_cancel')}
              </button>
            </div>
          </form>
        )}
      </div>
      <div class="fav-actions">
        {!editing && (
          <button type="button" class="btn btn-small" ref={editRef} onClick={open} aria-describedby={`${base}-title`}>
            {fav.note || fav.tags.length ? t('options_editNote') : t('options_addNote')}
          </button>
        )}
        <button type="button" class="btn btn-small btn-quiet" onClick={p.onRemove} aria-describedby={`${base}-title`}>
          {t('options_remove')}
        </button>
      </div>
    </li>
  );
}
