/**
 * Unsaved text of a favorite's note editor, kept while it is typed. The toolbar popup closes
 * as soon as it loses focus (a click on the page to copy a quote), and the options page's search
 * unmounts the rows it hides; the form's state goes with them. The draft lets the editor come
 * back with what was typed, in either page. Kept in the extension pages' shared
 * localStorage, which is written at once (the popup may be gone a moment later) and is read by
 * no web page; a draft is dropped when it is saved or cancelled, or after DRAFT_DAYS.
 */

const PREFIX = 'cmed:note-draft:';
const DRAFT_DAYS = 30;

export interface NoteDraft {
  note: string;
  /** The tags field as typed. */
  tags: string;
  /** The saved note and tags (as the field writes them) when the typing began. */
  base: { note: string; tags: string };
}

const key = (entryId: string) => PREFIX + entryId;

export function readDraft(entryId: string, now = Date.now()): NoteDraft | null {
  try {
    const raw = JSON.parse(localStorage.getItem(key(entryId)) ?? 'null') as (NoteDraft & { at?: unknown }) | null;
    if (!raw || typeof raw.note !== 'string' || typeof raw.tags !== 'string' || typeof raw.at !== 'number') return null;
    if (typeof raw.base?.note !== 'string' || typeof raw.base.tags !== 'string') return null;
    if (now - raw.at > DRAFT_DAYS * 86_400_000) {
      clearDraft(entryId);
      return null;
    }
    return { note: raw.note, tags: raw.tags, base: { note: raw.base.note, tags: raw.base.tags } };
  } catch {
    return null;
  }
}

export function writeDraft(entryId: string, draft: NoteDraft, now = Date.now()): void {
  try {
    localStorage.setItem(key(entryId), JSON.stringify({ ...draft, at: now }));
  } catch {
    /* storage full or disabled: the editor works as before, without a draft */
  }
}

export function clearDraft(entryId: string): void {
  try {
    localStorage.removeItem(key(entryId));
  } catch {
    /* nothing kept, nothing to clear */
  }
}

/**
 * Drops the drafts of entries that are no longer favorites (removed here or elsewhere), but not
 * those typed in the last `keepRecentMs`: another page's Undo may still bring their favorite back
 * (the popup keeps a removed row's draft for its own Undo; see FavoritesView).
 */
export function pruneDrafts(favorites: ReadonlySet<string>, keepRecentMs = 0, now = Date.now()): void {
  try {
    for (let i = localStorage.length - 1; i >= 0; i--) {
      const k = localStorage.key(i);
      if (!k?.startsWith(PREFIX) || favorites.has(k.slice(PREFIX.length))) continue;
      if (keepRecentMs > 0) {
        const at = (JSON.parse(localStorage.getItem(k) ?? 'null') as { at?: unknown } | null)?.at;
        if (typeof at === 'number' && now - at < keepRecentMs) continue;
      }
      localStorage.removeItem(k);
    }
  } catch {
    /* storage disabled: nothing kept */
  }
}
