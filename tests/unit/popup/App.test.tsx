// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { App } from '../../../entrypoints/popup/App';
import { catalog, getEntry, topSections } from '../../../utils/catalog';
import { DEFAULT_SETTINGS, type Favorite, type Settings } from '../../../utils/favorites/types';
import { setLanguage } from '../../../utils/i18n';
import { primaryLink } from '../../../utils/lookup/links';
import { dispatch, type Handlers } from '../../../utils/messages';

let root: HTMLElement;
let favorites: Map<string, Favorite>;
let settings: Settings;
let calls: { type: string; data: unknown }[];

function fav(entryId: string): Favorite {
  const e = getEntry(entryId)!;
  return { entryId, savedAt: 1, updatedAt: 1, note: '', tags: [], title: e.title, kind: e.kind, links: e.links };
}

/** A background that keeps favorites and settings in memory, answering through the real message protocol. */
const handlers: Partial<Handlers> = {
  'favorites:get': () => ({ favorites: [...favorites.values()], area: 'sync', notices: [] }),
  'favorites:save': ({ entryId }) => {
    const f = favorites.get(entryId) ?? fav(entryId);
    favorites.set(entryId, f);
    return f;
  },
  'favorites:remove': ({ entryIds }) => {
    const removed = entryIds.map((id) => favorites.get(id)).filter((f): f is Favorite => !!f);
    for (const id of entryIds) favorites.delete(id);
    return { removed };
  },
  'favorites:restore': ({ favorites: list }) => {
    for (const f of list) favorites.set(f.entryId, f);
    return { restored: list.length };
  },
  'settings:get': () => settings,
  'settings:set': (patch) => (settings = { ...settings, ...patch }),
  'page:get': ({ tabId }) => (tabId === 5 ? { entryIds: ['pubmedqa', 'yidu-s4k', 'gone-from-catalog'], url: 'https://arxiv.org/abs/1909.06146' } : null),
};

const flush = async () => {
  for (let i = 0; i < 5; i++) await act(() => new Promise((r) => setTimeout(r, 0)));
};

async function mount(initialQuery = '') {
  await act(() => {
    render(<App initialQuery={initialQuery} initialLang="en" />, root);
  });
  await flush();
}

const input = () => root.querySelector<HTMLInputElement>('[role="combobox"]')!;
const options = () => [...root.querySelectorAll<HTMLElement>('[role="option"]')];

async function type(value: string) {
  await act(() => {
    input().value = value;
    input().dispatchEvent(new Event('input', { bubbles: true }));
  });
}
async function key(k: string, opts: KeyboardEventInit = {}, target: EventTarget = input()) {
  await act(() => {
    target.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true, cancelable: true, ...opts }));
  });
}

beforeEach(() => {
  fakeBrowser.reset();
  setLanguage('en');
  favorites = new Map([['meddialog', fav('meddialog')]]);
  settings = structuredClone(DEFAULT_SETTINGS);
  calls = [];
  fakeBrowser.runtime.onMessage.addListener((msg: unknown) => {
    calls.push(msg as { type: string; data: unknown });
    return dispatch(handlers, msg, {});
  });
  root = document.createElement('div');
  document.body.appendChild(root);
});
afterEach(() => {
  render(null, root);
  root.remove();
  vi.restoreAllMocks();
});

describe('popup: browse view', () => {
  it('shows the list structure with section counts, focused search and a first-results mark', async () => {
    const mark = vi.spyOn(performance, 'mark');
    await mount();
    expect(document.activeElement).toBe(input());
    const groups = [...root.querySelectorAll('[role="group"]')];
    const sections = topSections().filter((s) => s.count > 0);
    expect(groups).toHaveLength(sections.length);
    expect(groups[0].getAttribute('aria-label')).toBe(`${sections[0].en} (${sections[0].count})`);
    expect(root.querySelector('.status')!.textContent).toContain(String(catalog.length));
    expect(mark).toHaveBeenCalledWith('cmed:first-results');
    // Favorites arrive after the first paint and mark saved rows.
    expect(root.querySelector('[data-entry-id="meddialog"] .saved-mark')).not.toBeNull();
  });

  it('filters by kind and by section', async () => {
    await mount();
    const [kindSel, sectionSel] = [...root.querySelectorAll('select')];
    await act(() => {
      kindSel.value = 'dataset';
      kindSel.dispatchEvent(new Event('change', { bubbles: true }));
    });
    expect(options().every((o) => getEntry(o.dataset.entryId!)!.kind === 'dataset')).toBe(true);
    await act(() => {
      sectionSel.value = '英文数据集';
      sectionSel.dispatchEvent(new Event('change', { bubbles: true }));
    });
    expect(root.querySelectorAll('[role="group"]')).toHaveLength(1);
    expect(options().every((o) => getEntry(o.dataset.entryId!)!.sections.some((s) => s.zh === '英文数据集'))).toBe(true);
    // Esc with an empty query clears the filters before it would close the popup.
    const close = vi.spyOn(window, 'close').mockImplementation(() => {});
    await key('Escape');
    expect(kindSel.value).toBe('');
    expect(close).not.toHaveBeenCalled();
  });
});

describe('popup: search and keyboard', () => {
  it('searches as you type, with highlights and the combobox pattern', async () => {
    const measure = vi.spyOn(performance, 'measure');
    await mount();
    await type('PubMedQA');
    expect(options()[0].dataset.entryId).toBe('pubmedqa');
    expect(options()[0].querySelector('mark')!.textContent).toBe('PubMedQA');
    expect(measure).toHaveBeenCalledWith('cmed:search', 'cmed:input');
    expect(input().getAttribute('aria-expanded')).toBe('true');
    expect(input().getAttribute('aria-controls')).toBe(root.querySelector('[role="listbox"]')!.id);
    expect(input().getAttribute('aria-activedescendant')).toBe(options()[0].id);
    await key('ArrowDown');
    expect(input().getAttribute('aria-activedescendant')).toBe(options()[1]?.id ?? options()[0].id);
    await key('ArrowUp');
    expect(options()[0].getAttribute('aria-selected')).toBe('true');
  });

  it('finds Chinese and pinyin queries', async () => {
    await mount();
    await type('医渡云');
    expect(options().map((o) => o.dataset.entryId)).toContain('yidu-s4k');
    await type('tangniaobing');
    expect(options()[0].dataset.entryId).toBe('ruijin-diabetes');
    expect(options()[0].querySelector('mark')).not.toBeNull();
  });

  it('Enter opens the primary link; Shift+Enter and → open the detail', async () => {
    const create = vi.spyOn(fakeBrowser.tabs, 'create');
    await mount();
    await type('PubMedQA');
    await key('Enter');
    expect(create).toHaveBeenCalledWith({ url: primaryLink(getEntry('pubmedqa')!)!.url });
    await key('Enter', { shiftKey: true });
    expect(root.querySelector('.cmed-detail h2')!.textContent).toContain('PubMedQA');
    expect(document.activeElement).toBe(root.querySelector('.cmed-detail h2'));
    await key('Escape', {}, document.activeElement!);
    expect(root.querySelector('.cmed-detail')).toBeNull();
    input().setSelectionRange(8, 8);
    await key('ArrowRight');
    expect(root.querySelector('.cmed-detail')).not.toBeNull();
  });

  it('Esc clears the query, and a second Esc closes the popup', async () => {
    const close = vi.spyOn(window, 'close').mockImplementation(() => {});
    await mount();
    await type('cblue');
    await key('Escape');
    expect(input().value).toBe('');
    expect(close).not.toHaveBeenCalled();
    await key('Escape');
    expect(close).toHaveBeenCalledTimes(1);
  });

  it('pre-fills from ?q= (context menu and omnibox lookups)', async () => {
    await mount('PubMedQA');
    expect(input().value).toBe('PubMedQA');
    expect(options()[0].dataset.entryId).toBe('pubmedqa');
  });

  it('survives bad input with results or an empty state', async () => {
    await mount();
    for (const q of ['x'.repeat(2000), '.*+?^${}()|[]\\/', '🧬🩺💊😀', '     ', 'PubMed\nQA\r\n', '<img src=x onerror=alert(1)>', '\u0000\u200b']) {
      await type(q);
      const empty = root.querySelector('.empty');
      expect(options().length > 0 || empty !== null || q.trim() === '' || q === '\u0000\u200b', JSON.stringify(q)).toBe(true);
    }
    await type('PubMed\nQA');
    expect(options().map((o) => o.dataset.entryId)).toContain('pubmedqa');
    await type('zzqqxxjjvv');
    expect(root.querySelector('.empty')!.textContent).toContain('zzqqxxjjvv');
    expect(input().getAttribute('aria-expanded')).toBe('false');
  });
});

describe('popup: detail and favorites', () => {
  async function openDetail(id: string) {
    await mount();
    await act(() => root.querySelector<HTMLElement>(`[role="option"][data-entry-id="${id}"]`)!.click());
  }

  it('shows every link typed, the extraction code with a copy button, and related entries', async () => {
    await openDetail('yidu-s4k');
    const entry = getEntry('yidu-s4k')!;
    const items = [...root.querySelectorAll('.cmed-links li')];
    expect(items.map((li) => (li as HTMLElement).dataset.linkType)).toEqual(entry.links.map((l) => l.type));
    expect(root.querySelector('.cmed-code code')!.textContent).toBe('flql');
    const writeText = vi.fn(async () => {});
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    await act(() => root.querySelector<HTMLButtonElement>('.cmed-copy')!.click());
    await flush();
    expect(writeText).toHaveBeenCalledWith('flql');
    expect(root.querySelector('.cmed-code [role="status"]')!.textContent).toBe('Copied');
    const related = root.querySelector<HTMLButtonElement>('.cmed-related button')!;
    const relatedId = related.dataset.relatedId!;
    await act(() => related.click());
    expect((root.querySelector('.cmed-detail') as HTMLElement).dataset.entryId).toBe(relatedId);
  });

  it('saves idempotently and removes explicitly with undo', async () => {
    await openDetail('pubmedqa');
    const star = () => root.querySelector<HTMLButtonElement>('.cmed-star')!;
    expect(star().getAttribute('aria-pressed')).toBe('false');
    await act(() => star().click());
    await flush();
    expect(star().getAttribute('aria-pressed')).toBe('true');
    expect(calls.filter((c) => c.type === 'favorites:save')).toHaveLength(1);
    await act(() => star().click());
    await flush();
    expect(calls.at(-1)).toMatchObject({ type: 'favorites:remove', data: { entryIds: ['pubmedqa'] } });
    expect(favorites.has('pubmedqa')).toBe(false);
    const undo = root.querySelector<HTMLButtonElement>('.toast-undo')!;
    expect(undo).not.toBeNull();
    await act(() => undo.click());
    await flush();
    expect(calls.at(-1)?.type).toBe('favorites:restore');
    expect(favorites.has('pubmedqa')).toBe(true);
    expect(star().getAttribute('aria-pressed')).toBe('true');
    expect(root.querySelector('.toast')).toBeNull();
  });
});

describe('popup: on this page', () => {
  it('lists what the annotator found on the active tab and switches the site', async () => {
    vi.spyOn(fakeBrowser.tabs, 'query').mockResolvedValue([{ id: 5, url: 'https://arxiv.org/abs/1909.06146' } as never]);
    await mount();
    const chips = [...root.querySelectorAll<HTMLElement>('.on-page .chip')];
    expect(chips.map((c) => c.dataset.entryId)).toEqual(['pubmedqa', 'yidu-s4k']);
    const sw = root.querySelector<HTMLInputElement>('.on-page [role="switch"]')!;
    expect(sw.checked).toBe(true);
    expect(sw.parentElement!.textContent).toContain('arxiv.org');
    await act(() => sw.click());
    await flush();
    expect(settings.sites).toEqual({ arxiv: false, acl: true, github: true });
    expect(sw.checked).toBe(false);
    await act(() => chips[0].click());
    expect((root.querySelector('.cmed-detail') as HTMLElement).dataset.entryId).toBe('pubmedqa');
  });

  it('follows the language setting once it arrives', async () => {
    settings = { ...settings, language: 'zh_CN' };
    await mount();
    expect(input().getAttribute('aria-label')).toBe('搜索资源目录');
    expect(document.documentElement.lang).toBe('zh-CN');
  });
});
