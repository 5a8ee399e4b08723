/**
 * Our two UI languages: which one a preference and a browser UI language come to, and
 * the BCP 47 tag pages carry for each. Free of imports, so the background, the build
 * config (wxt.config.ts) and the popup share it without the message tables.
 */
export type Lang = 'en' | 'zh_CN';

export function languageFor(pref: string, uiLanguage: string): Lang {
  if (pref === 'en' || pref === 'zh_CN') return pref;
  return /^zh/i.test(uiLanguage) ? 'zh_CN' : 'en';
}

/** The `lang` attribute for a UI language. */
export function htmlLang(lang: Lang): string {
  return lang === 'zh_CN' ? 'zh-CN' : 'en';
}
