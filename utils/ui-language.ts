/**
 * Which of our two UI languages a preference and a browser UI language come to. Kept
 * free of imports so the popup's boot script (entrypoints/popup-boot.ts) can share it
 * without bundling the message tables or the browser polyfill.
 */
export type Lang = 'en' | 'zh_CN';

export function languageFor(pref: string, uiLanguage: string): Lang {
  if (pref === 'en' || pref === 'zh_CN') return pref;
  return /^zh/i.test(uiLanguage) ? 'zh_CN' : 'en';
}
