/**
 * The background's UI language. Its own text (context-menu titles, omnibox lines) comes
 * from utils/i18n's `t`, which speaks the language last given to setLanguage(); this
 * module gives it the user's choice from the settings (settings.language, 'auto' being
 * the browser's language) when the background starts and whenever the setting changes,
 * here or on another device.
 */
import { readSettings, watchSettings } from '../favorites/settings';
import type { UiLanguage as LanguagePref } from '../favorites/types';
import { resolveLanguage, setLanguage, type Lang } from '../i18n';

export interface BackgroundLanguage {
  /** Settles once the stored setting has been applied, or could not be read. */
  readonly ready: Promise<void>;
  /** Whether `ready` has settled. */
  readonly settled: boolean;
  /** Calls `fn` after each change of the language in use; returns an unsubscribe. */
  onChange(fn: (lang: Lang) => void): () => void;
}

/**
 * Starts following the setting. Call once, synchronously, from the background's main
 * function (the settings listener must be registered before the MV3 worker's first turn ends).
 */
export function followSettingsLanguage(): BackgroundLanguage {
  const listeners = new Set<(lang: Lang) => void>();
  // Unknown at start: the menu items a sleeping MV3 worker left behind carry the language of
  // its last life, not necessarily the browser's, so the first setting applied is told too.
  let current: Lang | undefined;
  let changed = false;
  let settled = false;
  const apply = (pref: LanguagePref) => {
    const next = resolveLanguage(pref);
    setLanguage(next);
    if (next === current) return;
    current = next;
    for (const fn of [...listeners]) fn(next);
  };
  watchSettings((s) => {
    changed = true;
    apply(s.language);
  });
  const ready = readSettings()
    // A change that arrived while reading is newer than what was read.
    .then((s) => void (changed || apply(s.language)), () => undefined)
    .finally(() => {
      settled = true;
    });
  return {
    ready,
    get settled() {
      return settled;
    },
    onChange(fn) {
      listeners.add(fn);
      return () => void listeners.delete(fn);
    },
  };
}
