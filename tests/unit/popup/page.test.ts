/**
 * Which prerendered popup page the toolbar opens: one per language and theme, chosen from
 * the settings and the browser's UI language, set at start and again on every settings change.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { POPUP_LANGS, POPUP_THEMES, applyPopupPage, popupPage, popupPageFor, registerPopupPage } from '../../../utils/popup/page';
import { SETTINGS_KEY } from '../../../utils/favorites/settings';
import { DEFAULT_SETTINGS } from '../../../utils/favorites/types';

describe('popup pages', () => {
  it('names one page per language and theme, popup.html for English on the system theme', () => {
    const names = POPUP_LANGS.flatMap((l) => POPUP_THEMES.map((t) => popupPage(l, t)));
    expect(new Set(names).size).toBe(6);
    expect(popupPage('en', 'system')).toBe('popup.html');
    expect(popupPage('zh_CN', 'dark')).toBe('popup-zh_CN-dark.html');
    for (const n of names) expect(n).toMatch(/^popup(-(en|zh_CN)-(system|light|dark))?\.html$/);
  });

  it('follows the browser language when the setting is auto, and the setting otherwise', () => {
    expect(popupPageFor({ language: 'auto', theme: 'system' }, 'zh-CN')).toBe('popup-zh_CN-system.html');
    expect(popupPageFor({ language: 'auto', theme: 'system' }, 'zh-TW')).toBe('popup-zh_CN-system.html');
    expect(popupPageFor({ language: 'auto', theme: 'light' }, 'en-GB')).toBe('popup-en-light.html');
    expect(popupPageFor({ language: 'auto', theme: 'system' }, 'de')).toBe('popup.html');
    expect(popupPageFor({ language: 'en', theme: 'dark' }, 'zh-CN')).toBe('popup-en-dark.html');
    expect(popupPageFor({ language: 'zh_CN', theme: 'system' }, 'en-US')).toBe('popup-zh_CN-system.html');
  });
});

describe('toolbar popup page', () => {
  let set: ReturnType<typeof vi.fn>;
  let ui: string;
  beforeEach(() => {
    fakeBrowser.reset();
    ui = 'en-US';
    set = vi.fn(async () => undefined);
    (fakeBrowser.action as unknown as { setPopup: unknown }).setPopup = set;
    (fakeBrowser.i18n as unknown as { getUILanguage: unknown }).getUILanguage = () => ui;
  });
  afterEach(() => vi.restoreAllMocks());

  it('sets the page for the given settings', async () => {
    ui = 'zh-CN';
    expect(await applyPopupPage({ language: 'auto', theme: 'dark' })).toBe('popup-zh_CN-dark.html');
    expect(set).toHaveBeenLastCalledWith({ popup: 'popup-zh_CN-dark.html' });
  });

  it('sets it from stored settings at start and again when they change', async () => {
    await fakeBrowser.storage.sync.set({ [SETTINGS_KEY]: { ...DEFAULT_SETTINGS, language: 'zh_CN' } });
    const stop = registerPopupPage();
    await vi.waitFor(() => expect(set).toHaveBeenLastCalledWith({ popup: 'popup-zh_CN-system.html' }));
    await fakeBrowser.storage.sync.set({ [SETTINGS_KEY]: { ...DEFAULT_SETTINGS, language: 'en', theme: 'light' } });
    await vi.waitFor(() => expect(set).toHaveBeenLastCalledWith({ popup: 'popup-en-light.html' }));
    stop();
    await fakeBrowser.storage.sync.set({ [SETTINGS_KEY]: { ...DEFAULT_SETTINGS, theme: 'dark' } });
    await new Promise((r) => setTimeout(r, 20));
    expect(set).toHaveBeenLastCalledWith({ popup: 'popup-en-light.html' });
  });

  it('keeps going when the browser refuses, leaving the manifest page', async () => {
    set.mockRejectedValueOnce(new Error('no action'));
    const stop = registerPopupPage();
    await vi.waitFor(() => expect(set).toHaveBeenCalledTimes(1));
    // The refusal neither throws out of the listener nor stops it: the next settings change is applied.
    await fakeBrowser.storage.sync.set({ [SETTINGS_KEY]: { ...DEFAULT_SETTINGS, language: 'en', theme: 'dark' } });
    await vi.waitFor(() => expect(set).toHaveBeenLastCalledWith({ popup: 'popup-en-dark.html' }));
    stop();
  });
});
