/**
 * Following favorites as they change, for pages that only display them (the popup, the
 * options page). Kept apart from store.ts so that importing it does not pull the
 * storage layout, codec and migrations into a page's first-paint bundle.
 */
import { browser } from 'wxt/browser';
import type { FavoritesSnapshot } from './types';
import { isFavoritesKey, touchesFavorites } from './keys';

export { isFavoritesKey };

/**
 * Calls `onChange` (debounced) when favorites change in any area: writes by the
 * background here, or sync data arriving from another device. Returns an unsubscribe.
 * `load` defaults to asking the background, which also repairs what it finds.
 */
export function watchFavorites(
  onChange: (snapshot: FavoritesSnapshot) => void,
  load: () => Promise<FavoritesSnapshot>,
  debounceMs = 50,
): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  const listener = (changes: Record<string, unknown>, areaName: string) => {
    if (!touchesFavorites(changes, areaName)) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      load().then((s) => !stopped && onChange(s), () => undefined);
    }, debounceMs);
  };
  browser.storage.onChanged.addListener(listener);
  return () => {
    stopped = true;
    clearTimeout(timer);
    browser.storage.onChanged.removeListener(listener);
  };
}
