/**
 * Which storage keys hold favorites data, with no imports: the card module on pages
 * (entrypoints/annotator-ui.ts) follows favorites with it and must not pull the extension
 * API polyfill in.
 */

/** Whether a storage change touches favorites data (either area): chunk, meta, state, snapshots, notices, or the v0 key. */
export function isFavoritesKey(key: string): boolean {
  return key.startsWith('fav:') || key === 'favorites' || key === 'notices:v1';
}

/** Whether a `storage.onChanged` event (its changes and area) is a change of favorites. */
export function touchesFavorites(changes: Record<string, unknown>, area: string): boolean {
  return (area === 'sync' || area === 'local') && Object.keys(changes).some(isFavoritesKey);
}
