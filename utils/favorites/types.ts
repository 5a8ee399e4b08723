import type { Kind, Link } from '../catalog/types';

/**
 * One saved catalog entry. Title, kind and links are copied in at save time so a
 * favorite whose entry later leaves the catalog still shows what it was.
 */
export interface Favorite {
  entryId: string;
  /** ms since epoch when first saved; "newest first" sorts on this. */
  savedAt: number;
  /** ms since epoch of the last note/tag edit (merge keeps the newer one). */
  updatedAt: number;
  note: string;
  tags: string[];
  /** Snapshot of the entry as it was when saved. */
  title: string;
  kind: Kind;
  links: Link[];
}

/** What the store keeps per favorite in sync; title/kind/links come from the catalog or the local snapshot cache. */
export type FavoriteCore = Pick<Favorite, 'entryId' | 'savedAt' | 'updatedAt' | 'note' | 'tags'>;

/**
 * What sync remembers of an entry id after its favorite was removed: when (`t`, ms). `live` marks
 * the opposite record, written when undo or an import brings back a favorite whose own times
 * are older than its removal: the favorite is present as of `t`. The newer record wins.
 */
export interface RemovalMarker {
  t: number;
  live?: true;
}

/** The catalog-derived part of a favorite, cached in storage.local for entries that later leave the catalog. */
export type EntrySnapshot = Pick<Favorite, 'title' | 'kind' | 'links'>;

export type Theme = 'system' | 'light' | 'dark';
export type UiLanguage = 'auto' | 'en' | 'zh_CN';
export type SiteKey = 'arxiv' | 'acl' | 'github';

export interface Settings {
  /** Per-site annotation switches. */
  sites: Record<SiteKey, boolean>;
  language: UiLanguage;
  theme: Theme;
  /** Show the count of catalog entries on the current tab on the toolbar icon. */
  badge: boolean;
}

/** A change to settings: only the fields given, and of `sites` only the sites given. */
export type SettingsPatch = Partial<Omit<Settings, 'sites'>> & { sites?: Partial<Settings['sites']> };

/** The storage.sync key of the settings (here, not in settings.ts, so the content script can watch it without the storage code). */
export const SETTINGS_KEY = 'settings:v1';

export const DEFAULT_SETTINGS: Settings = {
  sites: { arxiv: true, acl: true, github: true },
  language: 'auto',
  theme: 'system',
  badge: true,
};

/** What the popup, options page and hover card see of the store. */
export interface FavoritesSnapshot {
  favorites: Favorite[];
  /** Where the favorites live now: 'sync' normally, 'local' past sync quotas. */
  area: 'sync' | 'local';
  /** Human-readable notices: quota fallback, set-aside corrupt data, etc. */
  notices: StoreNotice[];
}

export interface StoreNotice {
  code: 'sync-quota-fallback' | 'corrupt-data-quarantined' | 'unknown-version-quarantined' | 'sync-unavailable';
  /** Stable identity for dismissing (`favorites:dismissNotice`); absent on notices derived from the current state. */
  id?: string;
  /** Storage keys the notice is about (for quarantine: where the original data was moved). */
  keys: string[];
  detail: string;
  at: number;
}
