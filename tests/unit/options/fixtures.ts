/** Shared test data and an in-memory stand-in for the background, for the options page tests. */
import type { Favorite, FavoritesSnapshot, Settings, StoreNotice } from '../../../utils/favorites/types';
import { DEFAULT_SETTINGS } from '../../../utils/favorites/types';
import { applySettingsPatch } from '../../../utils/favorites/settings';
import type { OptionsClient } from '../../../components/options/client';
import { importChange, planMerge, undoImportOf, type ImportChange } from '../../../utils/favorites/merge';
import type { FavoriteCore } from '../../../utils/favorites/types';

const coreOf = (f: FavoriteCore): FavoriteCore => ({ entryId: f.entryId, savedAt: f.savedAt, updatedAt: f.updatedAt, note: f.note, tags: [...f.tags] });

export function fav(entryId: string, over: Partial<Favorite> = {}): Favorite {
  return {
    entryId,
    savedAt: 1_700_000_000_000,
    updatedAt: 1_700_000_000_000,
    note: '',
    tags: [],
    title: entryId.toUpperCase(),
    kind: 'dataset',
    links: [{ url: `https://example.org/${entryId}`, type: 'homepage' }],
    ...over,
  };
}

export interface FakeClient extends OptionsClient {
  favorites: Favorite[];
  settings: Settings;
  notices: StoreNotice[];
  calls: { method: string; args: unknown[] }[];
  /** Simulates a write from elsewhere (the popup) by firing the change listener. */
  emitChange(): void;
}

export function fakeClient(init: { favorites?: Favorite[]; settings?: Partial<Settings>; notices?: StoreNotice[]; area?: 'sync' | 'local' } = {}): FakeClient {
  const listeners = new Set<() => void>();
  const c: FakeClient = {
    favorites: [...(init.favorites ?? [])],
    settings: { ...DEFAULT_SETTINGS, ...init.settings },
    notices: [...(init.notices ?? [])],
    calls: [],
    emitChange: () => listeners.forEach((l) => l()),
    async getFavorites(): Promise<FavoritesSnapshot> {
      c.calls.push({ method: 'getFavorites', args: [] });
      return { favorites: [...c.favorites], area: init.area ?? 'sync', notices: [...c.notices] };
    },
    async remove(ids) {
      c.calls.push({ method: 'remove', args: [ids] });
      const removed = c.favorites.filter((f) => ids.includes(f.entryId));
      c.favorites = c.favorites.filter((f) => !ids.includes(f.entryId));
      return removed;
    },
    async restore(favs) {
      c.calls.push({ method: 'restore', args: [favs] });
      c.favorites.push(...favs);
      return favs.length;
    },
    async update(id, patch) {
      c.calls.push({ method: 'update', args: [id, patch] });
      const i = c.favorites.findIndex((f) => f.entryId === id);
      if (i < 0) return null;
      c.favorites[i] = { ...c.favorites[i], ...patch, updatedAt: c.favorites[i].updatedAt + 1000 };
      return c.favorites[i];
    },
    async importFavorites(favs) {
      c.calls.push({ method: 'importFavorites', args: [favs] });
      // The background's merge, on the stand-in's list.
      const plan = planMerge(c.favorites, favs);
      const changes: ImportChange[] = [];
      // What it changed, read as the background reads it (importChange).
      const record = (change: ImportChange | undefined) => change && changes.push(change);
      for (const f of plan.added) {
        c.favorites.push(f);
        record(importChange(undefined, coreOf(f)));
      }
      for (const { before, after } of plan.updated) {
        c.favorites = c.favorites.map((x) => (x.entryId === after.entryId ? after : x));
        record(importChange(coreOf(before), coreOf(after)));
      }
      return { added: plan.added.length, updated: plan.updated.length, unchanged: plan.unchanged.length, changes };
    },
    async undoImport(changes) {
      c.calls.push({ method: 'undoImport', args: [changes] });
      let reverted = 0;
      let left = 0;
      for (const { entryId, before, after } of changes) {
        const cur = c.favorites.find((f) => f.entryId === entryId);
        // The background's reading of what goes back and what stays (undoImportOf).
        const { next, left: kept } = undoImportOf(cur, before, after);
        if (kept) left++;
        if (!cur || !next) continue;
        if (next === 'remove') c.favorites = c.favorites.filter((f) => f.entryId !== entryId);
        else c.favorites = c.favorites.map((f) => (f.entryId === entryId ? { ...cur, ...next, updatedAt: cur.updatedAt + 1000 } : f));
        reverted++;
      }
      return { reverted, left };
    },
    async dismissNotice(id) {
      c.calls.push({ method: 'dismissNotice', args: [id] });
      c.notices = c.notices.filter((n) => n.id !== id);
    },
    async getSettings() {
      return { ...c.settings };
    },
    async setSettings(patch) {
      c.calls.push({ method: 'setSettings', args: [patch] });
      // The background merges a patch site by site; so does this stand-in.
      c.settings = applySettingsPatch(c.settings, patch);
      return { ...c.settings };
    },
    onExternalChange(cb) {
      listeners.add(cb);
      return () => listeners.delete(cb);
    },
  };
  return c;
}
