// @vitest-environment happy-dom
/**
 * The popup before its catalog and index have loaded (they load after the first frame): what a
 * reader does then is not lost.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { DEFAULT_SETTINGS } from '../../../utils/favorites/types';
import { setLanguage } from '../../../utils/i18n';
import { dispatch, type Handlers } from '../../../utils/messages';
import { primaryLink } from '../../../utils/lookup/links';
import { getEntry } from '../../../utils/catalog';

// The data module, held back until the test lets it load.
const gate = vi.hoisted(() => {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return { opened, open: () => open() };
});
vi.mock('../../../entrypoints/popup/data', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../../entrypoints/popup/data')>();
  let loaded: Awaited<ReturnType<typeof real.loadData>> | undefined;
  return {
    ...real,
    loadedData: () => loaded,
    loadData: () => gate.opened.then(() => real.loadData()).then((d) => (loaded = d)),
  };
});
const { App } = await import('../../../entrypoints/popup/App');

const handlers: Partial<Handlers> = {
  'favorites:get': () => ({ favorites: [], area: 'sync', notices: [] }),
  'settings:get': () => structuredClone(DEFAULT_SETTINGS),
  'page:get': () => null,
};

let root: HTMLElement;
beforeEach(() => {
  fakeBrowser.reset();
  setLanguage('en');
  fakeBrowser.runtime.onMessage.addListener((msg: unknown) => dispatch(handlers, msg, {}));
  root = document.createElement('div');
  document.body.appendChild(root);
});
afterEach(() => {
  render(null, root);
  root.remove();
});

describe('popup before the catalog has loaded', () => {
  it('opens the first result of a query entered with Enter while the catalog was loading', async () => {
    const opened = vi.spyOn(fakeBrowser.tabs, 'create').mockResolvedValue({} as never);
    await act(() => {
      render(<App initialLang="en" />, root);
    });
    const input = root.querySelector<HTMLInputElement>('[role="combobox"]')!;
    await act(() => {
      input.value = 'PubMedQA';
      input.dispatchEvent(new Event('input', { bubbles: true }));
    });
    expect(root.querySelector('.status')!.textContent).toContain('Loading');
    await act(() => {
      input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));
    });
    expect(opened).not.toHaveBeenCalled();
    gate.open();
    await vi.waitFor(() => expect(opened).toHaveBeenCalledTimes(1), { timeout: 3_000 });
    expect(opened).toHaveBeenCalledWith({ url: primaryLink(getEntry('pubmedqa')!)!.url });
  });
});
