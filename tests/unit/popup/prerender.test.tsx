// @vitest-environment happy-dom
/**
 * popup.html carries the first screen prerendered at build time (scripts/prerender-popup.tsx,
 * wxt.config.ts) and main.tsx swaps in the live screen: what the reader sees must not change
 * at the swap, so the prerendered HTML must agree with the live first commit, made, as on the
 * real page, before the catalog and index have loaded.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { render } from 'preact';
import screens from '@generated/popup-prerender.json';
import { App } from '../../../entrypoints/popup/App';
import { loadedData } from '../../../entrypoints/popup/data';
import { prerenderedPrefs } from '../../../entrypoints/popup/prefs';
import { catalog } from '../../../utils/catalog';
import { setLanguage } from '../../../utils/i18n';

const shape = (el: Element) => ({
  text: el.textContent,
  ids: [...el.querySelectorAll('[id]')].map((e) => e.id),
  entries: [...el.querySelectorAll('[data-entry-id]')].map((e) => e.getAttribute('data-entry-id')),
  roles: [...el.querySelectorAll('[role]')].map((e) => `${e.getAttribute('role')}:${e.getAttribute('aria-label') ?? ''}`),
  tags: [...el.querySelectorAll('*')].map((e) => e.tagName.toLowerCase()).join(' '),
});

let root: HTMLElement | undefined;
afterEach(() => {
  if (root) render(null, root);
  root?.remove();
});

describe('popup: prerendered first screen', () => {
  it.each(['en', 'zh_CN'] as const)('matches the live first commit (%s)', (lang) => {
    expect(loadedData()).toBeUndefined();
    setLanguage(lang);
    root = document.body.appendChild(document.createElement('div'));
    // The first commit only: no act(), so no effect has run.
    render(<App initialLang={lang} />, root);
    const pre = document.createElement('div');
    pre.innerHTML = (screens as Record<string, string>)[lang];
    const live = shape(root);
    expect(live.entries.length).toBeGreaterThanOrEqual(10);
    expect(live.text).toContain(lang === 'zh_CN' ? `共 ${catalog.length} 个条目` : `${catalog.length} entries`);
    expect(shape(pre)).toEqual(live);
  });
});

describe('popup: language and theme of a prerendered page', () => {
  const page = (attrs: Record<string, string>, prerendered = true) => {
    const html = document.createElement('html');
    for (const [k, v] of Object.entries(attrs)) html.setAttribute(k, v);
    if (prerendered) html.appendChild(document.createElement('body')).innerHTML = '<div class="cmed-prerender"></div>';
    return html;
  };

  it('takes them from a page built for a language and theme', () => {
    expect(prerenderedPrefs('/popup-zh_CN-dark.html', page({ lang: 'zh-CN', 'data-theme': 'dark' }))).toEqual({ lang: 'zh_CN', theme: 'dark' });
    expect(prerenderedPrefs('/popup-en-light.html', page({ lang: 'en', 'data-theme': 'light' }))).toEqual({ lang: 'en', theme: 'light' });
    expect(prerenderedPrefs('/popup-zh_CN-system.html', page({ lang: 'zh-CN' }))).toEqual({ lang: 'zh_CN', theme: 'system' });
  });

  it('leaves popup.html, and pages whose prerendered screen is gone, to the cached settings', () => {
    expect(prerenderedPrefs('/popup.html', page({ lang: 'en' }))).toBeNull();
    expect(prerenderedPrefs('/popup-zh_CN-dark.html', page({ lang: 'zh-CN', 'data-theme': 'dark' }, false))).toBeNull();
    expect(prerenderedPrefs('/options.html', page({ lang: 'en' }))).toBeNull();
  });
});
