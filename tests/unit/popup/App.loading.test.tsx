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

// The data module, held back until the test lets it load; closed again before each test, as
// each popup opens afresh.
const gate = vi.hoisted(() => {
  const g = {
    opened: Promise.resolve(),
    open: () => {},
    loaded: undefined as unknown,
    close() {
      g.loaded = undefined;
      g.opened = new Promise<void>((r) => (g.open = r));
    },
  };
  return g;
});
vi.mock('../../../entrypoints/popup/data', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../../entrypoints/popup/data')>();
  return {
    ...real,
    loadedData: () => gate.loaded as Awaited<ReturnType<typeof real.loadData>> | undefined,
    loadData: () => gate.opened.then(() => real.loadData()).then((d) => (gate.loaded = d)),
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
  gate.close();
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

  it('shows a detail asked for with → on a first-screen row once the catalog has loaded, and moves focus to it', async () => {
    await act(() => {
      render(<App initialLang="en" />, root);
    });
    const input = root.querySelector<HTMLInputElement>('[role="combobox"]')!;
    const key = (k: string) =>
      act(() => {
        input.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true, cancelable: true }));
      });
    await key('ArrowDown');
    const row = root.querySelector('[role="option"][aria-selected="true"]');
    expect(row).not.toBeNull();
    await key('ArrowRight');
    gate.open();
    await vi.waitFor(() => expect(root.querySelector('.cmed-detail-title')).not.toBeNull(), { timeout: 3_000 });
    const title = root.querySelector<HTMLElement>('.cmed-detail-title')!;
    expect(row!.textContent).toContain(title.textContent!);
    await vi.waitFor(() => expect(document.activeElement).toBe(title));
  });

  it('an Enter that ends an input method composition, reported as key 229, opens nothing', async () => {
    const opened = vi.spyOn(fakeBrowser.tabs, 'create').mockResolvedValue({} as never);
    gate.open();
    await act(() => {
      render(<App initialLang="en" />, root);
    });
    const input = root.querySelector<HTMLInputElement>('[role="combobox"]')!;
    await act(() => {
      input.value = 'PubMedQA';
      input.dispatchEvent(new Event('input', { bubbles: true }));
    });
    await vi.waitFor(() => expect(root.querySelector('[role="option"]')).not.toBeNull());
    await act(() => {
      input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', keyCode: 229, bubbles: true, cancelable: true }));
    });
    await new Promise((r) => setTimeout(r, 50));
    expect(opened).not.toHaveBeenCalled();
    // The same Enter outside a composition opens the first result.
    await act(() => {
      input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));
    });
    await vi.waitFor(() => expect(opened).toHaveBeenCalledTimes(1));
  });
});
