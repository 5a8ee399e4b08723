/**
 * UI strings for extension pages (popup, options). By default they follow the
 * browser's language through browser.i18n; when the user picks a language in the
 * options page we read the bundled message tables directly, since browser.i18n
 * cannot switch locale at runtime. Content scripts should not import this module
 * (it bundles both tables); they get their few strings from the background.
 */
import { browser } from 'wxt/browser';
import en from '../public/_locales/en/messages.json';
import zh from '../public/_locales/zh_CN/messages.json';
import type { UiLanguage } from './favorites/types';
import { htmlLang, languageFor, type Lang } from './ui-language';

type Table = Record<string, { message: string; placeholders?: Record<string, { content: string }> }>;
const TABLES: Record<'en' | 'zh_CN', Table> = { en: en as Table, zh_CN: zh as Table };

export type { Lang };
let current: Lang | null = null;

/** Resolves 'auto' to the browser's UI language. */
export function resolveLanguage(pref: UiLanguage): Lang {
  if (pref === 'en' || pref === 'zh_CN') return pref;
  let ui = 'en';
  try {
    ui = browser.i18n.getUILanguage();
  } catch {
    ui = typeof navigator !== 'undefined' ? navigator.language : 'en';
  }
  return languageFor(pref, ui);
}

export function setLanguage(lang: Lang): void {
  current = lang;
  if (typeof document !== 'undefined') document.documentElement.lang = htmlLang(lang);
}

export function language(): Lang {
  return current ?? resolveLanguage('auto');
}

/** Looks a message up; `$1`..`$9` in the message are replaced by `subs`. Unknown keys return the key. */
export function t(key: string, ...subs: (string | number)[]): string {
  const table = TABLES[language()];
  const entry = table[key] ?? TABLES.en[key];
  if (!entry) return key;
  let text = entry.message;
  if (entry.placeholders) {
    for (const [name, ph] of Object.entries(entry.placeholders)) {
      text = text.replaceAll(`$${name}$`, ph.content).replaceAll(`$${name.toUpperCase()}$`, ph.content);
    }
  }
  return text.replace(/\$(\d)/g, (_, n: string) => String(subs[Number(n) - 1] ?? ''));
}
