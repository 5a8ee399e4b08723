/**
 * Pure helpers behind the options page: filtering, tag parsing, file names.
 * Kept free of DOM and browser.* so they are tested in plain Node.
 */
import type { Entry } from '../../utils/catalog/types';
import type { Favorite } from '../../utils/favorites/types';
import { fold } from '../../utils/favorites/tags';

export { fold, formatTags, parseTags } from '../../utils/favorites/tags';

/** Newest first; ties (same millisecond, e.g. a bulk import) fall back to title so the order is stable. */
export function sortNewestFirst(list: readonly Favorite[]): Favorite[] {
  return [...list].sort((a, b) => b.savedAt - a.savedAt || a.title.localeCompare(b.title));
}

/** The query a tag chip writes: `#tag`, or `#"named entity"` for a tag with spaces (quotes in it escaped). */
export function tagQuery(tag: string): string {
  return /[\s"\\]/.test(tag) ? `#"${tag.replace(/["\\]/g, '\\$&')}"` : `#${tag}`;
}

/** A favorite's other names and identifiers in the catalog (arXiv, Anthology, DOI, GitHub); none for one that left it. */
export type FavoriteAliases = (entryId: string) => readonly string[] | undefined;

/** The names and identifiers of a catalog entry, for {@link FavoriteAliases}. */
export function entryAliases(e: Entry | undefined): string[] | undefined {
  return e && [...e.names, ...(e.aliases ?? []), ...e.ids.arxiv, ...e.ids.acl, ...e.ids.doi, ...e.ids.github];
}

/**
 * Every whitespace-separated word of the query must appear in the title, note, a tag, the id,
 * or one of the entry's catalog names and identifiers (so a query carried over from the catalog,
 * "1909.06146" or a Chinese name, finds the favorites it found there). Punctuation around a word
 * is left out ("MedDialog," as copied from a sentence). A word written `#tag` (or `#"tag with
 * spaces"`) must match a whole tag, which is what clicking a tag chip produces.
 */
export function filterFavorites(list: readonly Favorite[], query: string, aliases?: FavoriteAliases): Favorite[] {
  const words = [...fold(query).matchAll(/#"((?:[^"\\]|\\.)+)"(?=\s|$)|\S+/g)].map((m) => {
    if (m[1] !== undefined) return `#${m[1].replace(/\\(.)/g, '$1').trim()}`;
    if (m[0].startsWith('#')) return m[0];
    return m[0].replace(/^\p{P}+|\p{P}+$/gu, '') || m[0];
  });
  if (words.length === 0) return [...list];
  return list.filter((f) => {
    const tags = f.tags.map(fold);
    const hay = [f.title, f.note, f.entryId, ...f.tags, ...(aliases?.(f.entryId) ?? [])].map(fold).join('\n');
    return words.every((w) => (w.startsWith('#') && w.length > 1 ? tags.includes(w.slice(1)) : hay.includes(w)));
  });
}


/** Every distinct tag with its count, most used first, for the tag filter chips. */
export function tagCounts(list: readonly Favorite[]): { tag: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const f of list) for (const t of f.tags) counts.set(t, (counts.get(t) ?? 0) + 1);
  return [...counts].map(([tag, count]) => ({ tag, count })).sort((a, b) => b.count - a.count || a.tag.localeCompare(b.tag));
}

/** Toggles ids in a selection set without mutating it (Preact state must change identity). */
export function toggleAll(selected: ReadonlySet<string>, ids: readonly string[], on: boolean): Set<string> {
  const next = new Set(selected);
  for (const id of ids) {
    if (on) next.add(id);
    else next.delete(id);
  }
  return next;
}

/** Drops ids that are no longer in the list (after a removal or a reload). */
export function pruneSelection(selected: ReadonlySet<string>, list: readonly Favorite[]): Set<string> {
  const present = new Set(list.map((f) => f.entryId));
  return new Set([...selected].filter((id) => present.has(id)));
}
