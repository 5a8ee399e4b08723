/**
 * Merging favorites from two sources (import, undo, a copy from another device).
 * Rules: one favorite per entry id; savedAt keeps the earliest (when it was first
 * saved anywhere); note and tags come from the side with the newer updatedAt, and
 * on a tie (or when they are the same anyway) the current side wins, so re-importing
 * the same file changes nothing.
 *
 * A bare favorite (updatedAt 0, no note, no tags) is what a list of links or ids gives:
 * it names an entry and carries nothing else. Merged into a saved favorite it changes
 * nothing, not even savedAt; added as new, it gets updatedAt = savedAt.
 */
import type { Favorite, FavoriteCore } from './types';

/** A favorite that only names its entry (from a list import): no note, no tags, never edited. */
export function isBare(f: FavoriteCore): boolean {
  return f.updatedAt === 0 && f.note === '' && f.tags.length === 0;
}

export function mergeFavorite<T extends FavoriteCore>(current: T, incoming: FavoriteCore): T {
  if (isBare(incoming)) return { ...current, tags: [...current.tags] };
  // Identical note and tags are not an edit, whatever the times.
  const sameContent = incoming.note === current.note && incoming.tags.length === current.tags.length && incoming.tags.every((t, i) => t === current.tags[i]);
  const newer = incoming.updatedAt > current.updatedAt && !sameContent;
  return {
    ...current,
    savedAt: Math.min(current.savedAt, incoming.savedAt),
    updatedAt: newer ? incoming.updatedAt : current.updatedAt,
    note: newer ? incoming.note : current.note,
    tags: newer ? [...incoming.tags] : [...current.tags],
  };
}

export function sameTags(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((t, i) => t === b[i]);
}

export function sameCore(a: FavoriteCore, b: FavoriteCore): boolean {
  return a.entryId === b.entryId && a.savedAt === b.savedAt && a.updatedAt === b.updatedAt && a.note === b.note && sameTags(a.tags, b.tags);
}

/** One favorite an import changed: as it was (none when the import added it) and as the import left it. */
export interface ImportChange {
  entryId: string;
  before?: FavoriteCore;
  after: FavoriteCore;
}

/**
 * What an import changed of one favorite, for its Undo: `before` none when it added it. A save date
 * made earlier is no change to take back (see undoImportOf), so only a note or tags changed count.
 */
export function importChange(before: FavoriteCore | undefined, after: FavoriteCore): ImportChange | undefined {
  if (!before) return { entryId: after.entryId, after };
  if (before.note === after.note && sameTags(before.tags, after.tags)) return undefined;
  return { entryId: after.entryId, before: { ...before, tags: [...before.tags] }, after };
}

/**
 * What undoing an import's change does to the favorite as it is now (`current`, undefined when it
 * was removed since, which stays removed). `next`: 'remove' for one the import added whose note
 * and tags are still the import's and whose save is no later (a later import may have dated it
 * earlier, and the Undo of a later import, taken first, dates its note anew; a save date after the
 * import's is a save made since); for one it updated, `current` with its note and its tags each back
 * as `before` had them where it is still what the import made it; none when nothing of the import's
 * is left to undo. `left`: something changed since, here or on another device, stays (the whole
 * favorite, or the note or the tags of it). A save date the import made earlier stays: every device
 * keeps a favorite's earliest (joinFavorite in store.ts), so one that had the import's copy would
 * bring it back anyway. The caller dates a note or tags that go back (see FavoritesWriter.undoImport).
 */
export function undoImportOf(current: FavoriteCore | undefined, before: FavoriteCore | undefined, after: FavoriteCore): { next?: 'remove' | FavoriteCore; left: boolean } {
  if (!current) return { left: true };
  const sameNote = current.note === after.note;
  const sameTagsNow = sameTags(current.tags, after.tags);
  if (!before) return sameNote && sameTagsNow && current.savedAt <= after.savedAt ? { next: 'remove', left: false } : { left: true };
  const noteChanged = before.note !== after.note;
  const tagsChanged = !sameTags(before.tags, after.tags);
  const note = noteChanged && sameNote;
  const tags = tagsChanged && sameTagsNow;
  if (!note && !tags) return { left: !sameNote || !sameTagsNow };
  return {
    next: { ...current, note: note ? before.note : current.note, tags: [...(tags ? before.tags : current.tags)] },
    left: (noteChanged && !sameNote) || (tagsChanged && !sameTagsNow),
  };
}

export interface MergePlan {
  added: Favorite[];
  updated: { before: Favorite; after: Favorite }[];
  unchanged: Favorite[];
  /** The full result, keyed by entry id. */
  result: Map<string, Favorite>;
}

/**
 * What merging `incoming` into `existing` would do. Duplicates inside `incoming` are
 * merged with each other first, so each entry is counted once.
 */
export function planMerge(existing: Iterable<Favorite>, incoming: Iterable<Favorite>): MergePlan {
  const result = new Map<string, Favorite>();
  for (const f of existing) result.set(f.entryId, f);
  const inc = new Map<string, Favorite>();
  for (const f of incoming) {
    const cur = inc.get(f.entryId);
    inc.set(f.entryId, cur ? mergeFavorite(cur, f) : f);
  }
  const plan: MergePlan = { added: [], updated: [], unchanged: [], result };
  for (const f of inc.values()) {
    const cur = result.get(f.entryId);
    if (!cur) {
      // Stored with a real edit time: 0 would read as "never edited" to every later merge.
      const added = isBare(f) ? { ...f, updatedAt: f.savedAt } : f;
      plan.added.push(added);
      result.set(f.entryId, added);
      continue;
    }
    const merged = mergeFavorite(cur, f);
    if (sameCore(cur, merged)) plan.unchanged.push(cur);
    else {
      plan.updated.push({ before: cur, after: merged });
      result.set(f.entryId, merged);
    }
  }
  return plan;
}
