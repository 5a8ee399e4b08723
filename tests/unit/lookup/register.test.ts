import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import en from '../../../public/_locales/en/messages.json';
import zh from '../../../public/_locales/zh_CN/messages.json';
import { getEntry } from '../../../utils/catalog';
import { DEFAULT_SETTINGS, SETTINGS_KEY } from '../../../utils/favorites/types';
import { CONTEXT_MENU_ID, primaryLink, registerLookup } from '../../../utils/lookup';
import { flush, installFakes } from './fake-menus';

const POPUP = 'chrome-extension://test-extension-id/popup.html';
let omnibox: ReturnType<typeof installFakes>['omnibox'];
let menus: ReturnType<typeof installFakes>['menus'];

beforeEach(async () => {
  fakeBrowser.reset();
  ({ omnibox, menus } = installFakes());
});

/** Starts the lookup as the background does, once the UI language is read from the settings. */
async function start(options?: Parameters<typeof registerLookup>[0]) {
  const listeners = registerLookup(options);
  await flush();
  return listeners;
}

const setLanguage = (language: 'auto' | 'en' | 'zh_CN') => fakeBrowser.storage.sync.set({ [SETTINGS_KEY]: { ...DEFAULT_SETTINGS, language } });

describe('registerLookup', () => {
  it('registers every listener synchronously', () => {
    registerLookup();
    expect(omnibox.onInputChanged.count).toBe(1);
    expect(omnibox.onInputEntered.count).toBe(1);
    expect(menus.onClicked.count).toBe(1);
    expect(typeof (globalThis as { cmedLookup?: { onInputEntered?: unknown } }).cmedLookup?.onInputEntered).toBe('function');
  });

  it('creates the selection menu item on install, idempotently', async () => {
    await start();
    // Chrome keeps the items of an MV3 worker: nothing is created until the extension is installed or the browser starts.
    expect(menus.create).not.toHaveBeenCalled();
    await fakeBrowser.runtime.onInstalled.trigger({ reason: 'install', temporary: false });
    await flush();
    await fakeBrowser.runtime.onInstalled.trigger({ reason: 'update', temporary: false });
    await flush();
    // Both in one session, without waiting for each other.
    void fakeBrowser.runtime.onInstalled.trigger({ reason: 'update', temporary: false });
    void fakeBrowser.runtime.onStartup.trigger();
    await flush();
    expect(menus.errors).toEqual([]);
    expect(menus.remove).toHaveBeenCalledWith(CONTEXT_MENU_ID);
    expect(menus.create).toHaveBeenCalledTimes(4);
    expect([...menus.items.keys()]).toEqual([CONTEXT_MENU_ID]);
    const item = menus.items.get(CONTEXT_MENU_ID)!;
    expect(item).toMatchObject({ id: CONTEXT_MENU_ID, contexts: ['selection'] });
    expect(item.title).toContain('%s');
  });

  it('in the Firefox build, creates the menu item whenever the background starts', async () => {
    // Firefox keeps no items of a persistent background page: after the add-on is disabled and
    // enabled again the menus are empty and neither onInstalled nor onStartup fires.
    await start({ createMenusAtStart: true });
    expect([...menus.items.keys()]).toEqual([CONTEXT_MENU_ID]);
    // Installing starts the background and fires onInstalled too: still one item, no error.
    await fakeBrowser.runtime.onInstalled.trigger({ reason: 'install', temporary: false });
    await flush();
    expect([...menus.items.keys()]).toEqual([CONTEXT_MENU_ID]);
    expect(menus.errors).toEqual([]);
  });

  it('titles the menu item and the omnibox text in the language chosen in the settings, and follows changes', async () => {
    await setLanguage('zh_CN');
    await start();
    await fakeBrowser.runtime.onInstalled.trigger({ reason: 'install', temporary: false });
    await flush();
    expect(menus.items.get(CONTEXT_MENU_ID)?.title).toBe(zh.lookup_contextMenu.message);
    omnibox.onInputStarted.fire();
    expect(omnibox.setDefaultSuggestion).toHaveBeenLastCalledWith({ description: zh.lookup_omniboxHint.message });

    await setLanguage('en');
    await flush();
    expect(menus.update).toHaveBeenCalledWith(CONTEXT_MENU_ID, { title: en.lookup_contextMenu.message });
    expect(menus.items.get(CONTEXT_MENU_ID)?.title).toBe(en.lookup_contextMenu.message);
    omnibox.onInputStarted.fire();
    expect(omnibox.setDefaultSuggestion).toHaveBeenLastCalledWith({ description: en.lookup_omniboxHint.message });
    expect(menus.errors).toEqual([]);
  });

  it('retitles menu items a sleeping worker left in another language, when a change synced from another device wakes it', async () => {
    // The last worker titled the item in Chinese; the setting then became "auto" (English here) elsewhere.
    menus.items.set(CONTEXT_MENU_ID, { id: CONTEXT_MENU_ID, title: zh.lookup_contextMenu.message, contexts: ['selection'] });
    await setLanguage('auto');
    registerLookup();
    await fakeBrowser.storage.onChanged.trigger(
      { [SETTINGS_KEY]: { oldValue: { ...DEFAULT_SETTINGS, language: 'zh_CN' }, newValue: { ...DEFAULT_SETTINGS, language: 'auto' } } },
      'sync',
    );
    await flush(10);
    expect(menus.items.get(CONTEXT_MENU_ID)?.title).toBe(en.lookup_contextMenu.message);
  });

  it('answers omnibox input that wakes the background in the chosen language', async () => {
    await setLanguage('zh_CN');
    registerLookup();
    // Typing before the settings were read: the suggestion waits for them.
    omnibox.onInputStarted.fire();
    await flush();
    expect(omnibox.setDefaultSuggestion).toHaveBeenCalledTimes(1);
    expect(omnibox.setDefaultSuggestion).toHaveBeenLastCalledWith({ description: zh.lookup_omniboxHint.message });
  });

  it('suggests catalog entries as the user types after the keyword', async () => {
    await start();
    const suggest = vi.fn();
    omnibox.onInputChanged.fire('PubMedQA', suggest);
    const list = suggest.mock.calls[0][0] as { content: string; description: string }[];
    expect(list[0].content).toBe(primaryLink(getEntry('pubmedqa')!)!.url);
    expect(list[0].description).toContain('<match>PubMedQA</match>');
    expect(omnibox.setDefaultSuggestion).toHaveBeenCalledWith({ description: expect.stringContaining('PubMedQA') });
  });

  it('opens the best match in the current tab on Enter, or a new tab as asked', async () => {
    await start();
    const url = primaryLink(getEntry('pubmedqa')!)!.url;
    // The fake browser has no active tab to navigate, so the update call itself is what we check.
    const update = vi.spyOn(fakeBrowser.tabs, 'update').mockResolvedValue({} as never);
    omnibox.onInputEntered.fire('pubmedqa', 'currentTab');
    await flush();
    expect(update).toHaveBeenCalledWith({ url });

    const created = vi.fn();
    fakeBrowser.tabs.onCreated.addListener(created);
    omnibox.onInputEntered.fire('no such thing zzqx', 'newForegroundTab');
    await flush();
    expect(created.mock.calls[0][0].url).toBe(`${POPUP}?q=no%20such%20thing%20zzqx`);
  });

  it('opens the popup page with the selection from the context menu', async () => {
    await start();
    const created = vi.fn();
    fakeBrowser.tabs.onCreated.addListener(created);
    menus.onClicked.fire({ menuItemId: CONTEXT_MENU_ID, selectionText: '  糖尿病\n数据集 ' }, { id: 7, index: 2 });
    await flush();
    expect(created).toHaveBeenCalledTimes(1);
    expect(created.mock.calls[0][0].url).toBe(`${POPUP}?q=${encodeURIComponent('糖尿病 数据集')}`);
    // The page of the chosen language and theme, as the toolbar's, so its first paint is theirs.
    (fakeBrowser.i18n as unknown as { getUILanguage: () => string }).getUILanguage = () => 'en-US';
    await setLanguage('zh_CN');
    menus.onClicked.fire({ menuItemId: CONTEXT_MENU_ID, selectionText: 'cMedQA2' }, { id: 7, index: 2 });
    await flush();
    expect(created.mock.calls[1][0].url).toBe(`${POPUP.replace('popup.html', 'popup-zh_CN-system.html')}?q=cMedQA2`);
    omnibox.onInputEntered.fire('no such thing zzqx', 'newForegroundTab');
    await flush();
    expect(created.mock.calls[2][0].url).toBe(`${POPUP.replace('popup.html', 'popup-zh_CN-system.html')}?q=no%20such%20thing%20zzqx`);
    // Enter on the keyword with nothing typed: the popup page with no query, theirs too.
    omnibox.onInputEntered.fire('   ', 'newForegroundTab');
    await flush();
    expect(created.mock.calls[3][0].url).toBe(POPUP.replace('popup.html', 'popup-zh_CN-system.html'));
    // Other features' menu items are not ours to answer.
    menus.onClicked.fire({ menuItemId: 'someone-else', selectionText: 'x' });
    await flush();
    expect(created).toHaveBeenCalledTimes(4);
  });
});
