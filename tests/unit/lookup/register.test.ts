import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { getEntry } from '../../../utils/catalog';
import { CONTEXT_MENU_ID, primaryLink, registerLookup } from '../../../utils/lookup';

type Listener = (...args: never[]) => unknown;

/** The fake browser leaves omnibox and contextMenus unimplemented; these stand in with real listener lists. */
function fakeEvent() {
  const listeners: Listener[] = [];
  return {
    addListener: (l: Listener) => void listeners.push(l),
    removeListener: (l: Listener) => void listeners.splice(listeners.indexOf(l), 1),
    hasListener: (l: Listener) => listeners.includes(l),
    fire: (...args: unknown[]) => listeners.map((l) => (l as (...a: unknown[]) => unknown)(...args)),
    get count() {
      return listeners.length;
    },
  };
}

const POPUP = 'chrome-extension://test-extension-id/popup.html';
let omnibox: { onInputStarted: ReturnType<typeof fakeEvent>; onInputChanged: ReturnType<typeof fakeEvent>; onInputEntered: ReturnType<typeof fakeEvent>; setDefaultSuggestion: ReturnType<typeof vi.fn> };
let menus: { onClicked: ReturnType<typeof fakeEvent>; create: ReturnType<typeof vi.fn>; remove: ReturnType<typeof vi.fn> };

beforeEach(() => {
  fakeBrowser.reset();
  omnibox = { onInputStarted: fakeEvent(), onInputChanged: fakeEvent(), onInputEntered: fakeEvent(), setDefaultSuggestion: vi.fn() };
  menus = { onClicked: fakeEvent(), create: vi.fn(), remove: vi.fn(async () => { throw new Error('no such item'); }) };
  Object.assign(fakeBrowser, { omnibox, contextMenus: menus });
  registerLookup();
});

const flush = () => new Promise((r) => setTimeout(r, 0));

describe('registerLookup', () => {
  it('registers every listener synchronously', () => {
    expect(omnibox.onInputChanged.count).toBe(1);
    expect(omnibox.onInputEntered.count).toBe(1);
    expect(menus.onClicked.count).toBe(1);
    expect(typeof (globalThis as { cmedLookup?: { onInputEntered?: unknown } }).cmedLookup?.onInputEntered).toBe('function');
  });

  it('creates the selection menu item on install, idempotently', async () => {
    await fakeBrowser.runtime.onInstalled.trigger({ reason: 'install', temporary: false });
    await fakeBrowser.runtime.onInstalled.trigger({ reason: 'update', temporary: false });
    await flush();
    expect(menus.remove).toHaveBeenCalledWith(CONTEXT_MENU_ID);
    expect(menus.create).toHaveBeenCalledTimes(2);
    const item = menus.create.mock.calls[0][0];
    expect(item).toMatchObject({ id: CONTEXT_MENU_ID, contexts: ['selection'] });
    expect(item.title).toContain('%s');
  });

  it('suggests catalog entries as the user types after the keyword', () => {
    const suggest = vi.fn();
    omnibox.onInputChanged.fire('PubMedQA', suggest);
    const list = suggest.mock.calls[0][0] as { content: string; description: string }[];
    expect(list[0].content).toBe(primaryLink(getEntry('pubmedqa')!)!.url);
    expect(list[0].description).toContain('<match>PubMedQA</match>');
    expect(omnibox.setDefaultSuggestion).toHaveBeenCalledWith({ description: expect.stringContaining('PubMedQA') });
  });

  it('opens the best match in the current tab on Enter, or a new tab as asked', async () => {
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
    const created = vi.fn();
    fakeBrowser.tabs.onCreated.addListener(created);
    menus.onClicked.fire({ menuItemId: CONTEXT_MENU_ID, selectionText: '  糖尿病\n数据集 ' }, { id: 7, index: 2 });
    await flush();
    expect(created).toHaveBeenCalledTimes(1);
    expect(created.mock.calls[0][0].url).toBe(`${POPUP}?q=${encodeURIComponent('糖尿病 数据集')}`);
    // Other features' menu items are not ours to answer.
    menus.onClicked.fire({ menuItemId: 'someone-else', selectionText: 'x' });
    await flush();
    expect(created).toHaveBeenCalledTimes(1);
  });
});
