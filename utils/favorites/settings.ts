/**
 * Settings live in storage.sync under one small key. Reads validate field by field, so
 * one bad value falls back to its default without losing the others; the background
 * (writer.ts) is the only writer.
 */
import { browser } from 'wxt/browser';
import { DEFAULT_SETTINGS, SETTINGS_KEY, type Settings, type SiteKey, type Theme, type UiLanguage } from './types';
import { isRecord } from './validate';

export { SETTINGS_KEY };

const THEMES: readonly Theme[] = ['system', 'light', 'dark'];
const LANGUAGES: readonly UiLanguage[] = ['auto', 'en', 'zh_CN'];
const SITES: readonly SiteKey[] = Object.keys(DEFAULT_SETTINGS.sites) as SiteKey[];

export function defaultSettings(): Settings {
  return { ...DEFAULT_SETTINGS, sites: { ...DEFAULT_SETTINGS.sites } };
}

export interface ParsedSettings {
  settings: Settings;
  /** Field paths that were present but invalid (and replaced by defaults). */
  invalid: string[];
}

/** Reads stored settings leniently: unknown fields are ignored, invalid ones replaced by defaults. */
export function parseSettings(raw: unknown): ParsedSettings {
  const settings = defaultSettings();
  const invalid: string[] = [];
  if (raw === undefined) return { settings, invalid };
  if (!isRecord(raw)) return { settings, invalid: ['(root)'] };
  if (raw.sites !== undefined) {
    if (isRecord(raw.sites)) {
      for (const site of SITES) {
        const v = raw.sites[site];
        if (typeof v === 'boolean') settings.sites[site] = v;
        else if (v !== undefined) invalid.push(`sites.${site}`);
      }
    } else invalid.push('sites');
  }
  if (raw.language !== undefined) {
    if (LANGUAGES.includes(raw.language as UiLanguage)) settings.language = raw.language as UiLanguage;
    else invalid.push('language');
  }
  if (raw.theme !== undefined) {
    if (THEMES.includes(raw.theme as Theme)) settings.theme = raw.theme as Theme;
    else invalid.push('theme');
  }
  if (raw.badge !== undefined) {
    if (typeof raw.badge === 'boolean') settings.badge = raw.badge;
    else invalid.push('badge');
  }
  return { settings, invalid };
}

/**
 * Applies a patch strictly: a message asking for an unknown theme is a bug in the
 * caller and gets an error, rather than being quietly ignored.
 */
export function applySettingsPatch(current: Settings, patch: unknown): Settings {
  if (!isRecord(patch)) throw new Error('Settings patch must be an object');
  const next: Settings = { ...current, sites: { ...current.sites } };
  for (const key of Object.keys(patch)) {
    const v = patch[key];
    switch (key) {
      case 'sites':
        if (!isRecord(v)) throw new Error('settings.sites must be an object');
        for (const site of Object.keys(v)) {
          if (!SITES.includes(site as SiteKey)) throw new Error(`Unknown site "${site}"`);
          if (typeof v[site] !== 'boolean') throw new Error(`settings.sites.${site} must be true or false`);
          next.sites[site as SiteKey] = v[site] as boolean;
        }
        break;
      case 'language':
        if (!LANGUAGES.includes(v as UiLanguage)) throw new Error(`settings.language must be one of ${LANGUAGES.join(', ')}`);
        next.language = v as UiLanguage;
        break;
      case 'theme':
        if (!THEMES.includes(v as Theme)) throw new Error(`settings.theme must be one of ${THEMES.join(', ')}`);
        next.theme = v as Theme;
        break;
      case 'badge':
        if (typeof v !== 'boolean') throw new Error('settings.badge must be true or false');
        next.badge = v;
        break;
      default:
        throw new Error(`Unknown setting "${key}"`);
    }
  }
  return next;
}

/** Any context may read settings directly (content scripts need them before anything else). */
export async function readSettings(): Promise<Settings> {
  const got = await browser.storage.sync.get(SETTINGS_KEY);
  return parseSettings(got[SETTINGS_KEY]).settings;
}

/** Background only (through the writer queue). */
export async function writeSettings(settings: Settings): Promise<void> {
  await browser.storage.sync.set({ [SETTINGS_KEY]: settings });
}

/** Calls back with fresh settings whenever they change (here or from another device). */
export function watchSettings(onChange: (s: Settings) => void): () => void {
  const listener = (changes: Record<string, { newValue?: unknown }>, areaName: string) => {
    if (areaName === 'sync' && SETTINGS_KEY in changes) onChange(parseSettings(changes[SETTINGS_KEY].newValue).settings);
  };
  browser.storage.onChanged.addListener(listener);
  return () => browser.storage.onChanged.removeListener(listener);
}
