/**
 * The options page's view of the background. Components take a client as a prop so
 * unit tests can hand in a fake; the default goes through the one message protocol,
 * because the background is the only writer of favorites and settings.
 */
import { browser } from 'wxt/browser';
import { sendMessage } from '../../utils/messages';
import type { Favorite, FavoritesSnapshot, Settings, SettingsPatch } from '../../utils/favorites/types';

export interface OptionsClient {
  getFavorites(): Promise<FavoritesSnapshot>;
  remove(entryIds: string[]): Promise<Favorite[]>;
  restore(favorites: Favorite[]): Promise<number>;
  update(entryId: string, patch: { note?: string; tags?: string[] }): Promise<Favorite | null>;
  importFavorites(favorites: Favorite[]): Promise<{ added: number; updated: number; unchanged: number }>;
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
  dismissNotice: (id) => sendMessage('favorites:dismissNotice', { id }),
  getSettings: () => sendMessage('settings:get', undefined),
  setSettings: (patch) => sendMessage('settings:set', patch),
  onExternalChange(cb) {
    // Storage events also fire for our own writes; the caller reloads idempotently, and
    // a short debounce folds the several keys one write touches into one reload.
    let timer: ReturnType<typeof setTimeout> | undefined;
    const listener = () => {
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
