/**
 * The options page's view of the background. Components take a client as a prop so
 * unit tests can hand in a fake; the default goes through the one message protocol,
 * because the background is the only writer of favorites and settings.
 */
import { browser } from 'wxt/browser';
import { sendMessage } from '../../utils/messages';
import { isFavoritesKey } from '../../utils/favorites/keys';
import type { ImportChange } from '../../utils/favorites/merge';
import { KEYS } from '../../utils/favorites/store';
import { SETTINGS_KEY, type Favorite, type FavoritesSnapshot, type Settings, type SettingsPatch } from '../../utils/favorites/types';

/**
 * Whether a `storage.onChanged` event changes what the page shows: favorites with their state and
 * notices (the `fav:` keys, the v0 key, `notices:v1`), data set aside under `quarantine:`, and
 * settings. Not session storage, where the background records each tab's page pass, nor the
 * store's own bookkeeping (`sync-mirror:v1`).
 */
export function touchesOptionsPage(changes: Record<string, unknown>, area: string): boolean {
  if (area !== 'sync' && area !== 'local') return false;
  return Object.keys(changes).some((k) => isFavoritesKey(k) || k.startsWith(KEYS.quarantinePrefix) || k === SETTINGS_KEY);
}

/** What an import did: counts, and each favorite it added or changed (before and after), for its Undo. */
export interface ImportResult {
  added: number;
  updated: number;
  unchanged: number;
  changes: ImportChange[];
}

export interface OptionsClient {
  getFavorites(): Promise<FavoritesSnapshot>;
  remove(entryIds: string[]): Promise<Favorite[]>;
  restore(favorites: Favorite[]): Promise<number>;
  update(entryId: string, patch: { note?: string; tags?: string[] }): Promise<Favorite | null>;
  importFavorites(favorites: Favorite[]): Promise<ImportResult>;
  /** Takes back what an import changed, where it still stands as the import left it (see `favorites:undoImport`). */
  undoImport(changes: ImportChange[]): Promise<{ reverted: number; left: number }>;
  /** Hides a stored notice for good; only notices with an id can be dismissed. */
  dismissNotice(id: string): Promise<void>;
  getSettings(): Promise<Settings>;
  setSettings(patch: SettingsPatch): Promise<Settings>;
  /** Calls back when stored data changes elsewhere (a star in the popup, another window); returns an unsubscribe. */
  onExternalChange(cb: () => void): () => void;
}

export const messageClient: OptionsClient = {
  getFavorites: () => sendMessage('favorites:get', undefined),
  remove: async (entryIds) => (await sendMessage('favorites:remove', { entryIds })).removed,
  restore: async (favorites) => (await sendMessage('favorites:restore', { favorites })).restored,
  update: (entryId, patch) => sendMessage('favorites:update', { entryId, ...patch }),
  importFavorites: (favorites) => sendMessage('favorites:import', { favorites }),
  undoImport: (changes) => sendMessage('favorites:undoImport', { changes }),
  dismissNotice: (id) => sendMessage('favorites:dismissNotice', { id }),
  getSettings: () => sendMessage('settings:get', undefined),
  setSettings: (patch) => sendMessage('settings:set', patch),
  onExternalChange(cb) {
    // Only changes to what the page shows: the background writes session storage on every page
    // pass in every tab. Storage events also fire for our own writes; the caller reloads
    // idempotently, and a short debounce folds the several keys one write touches into one reload.
    let timer: ReturnType<typeof setTimeout> | undefined;
    const listener = (changes: Record<string, unknown>, area: string) => {
      if (!touchesOptionsPage(changes, area)) return;
      clearTimeout(timer);
      timer = setTimeout(cb, 150);
    };
    browser.storage.onChanged.addListener(listener);
    return () => {
      clearTimeout(timer);
      browser.storage.onChanged.removeListener(listener);
    };
  },
};
