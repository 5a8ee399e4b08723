// @vitest-environment happy-dom
import { afterEach, beforeAll, beforeEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { App, MAX_RESULTS } from '../../../entrypoints/popup/App';
import { loadData } from '../../../entrypoints/popup/data';
import { catalog, getEntry, topSections } from '../../../utils/catalog';
import { applySettingsPatch } from '../../../utils/favorites/settings';
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
    return { restored: list.length, favorites: list };
  },
  'favorites:update': ({ entryId, note, tags }) => {
    const f = favorites.get(entryId);
    if (!f) return null;
    const next = { ...f, note: note ?? f.note, tags: tags ?? f.tags, updatedAt: f.updatedAt + 1 };
    favorites.set(entryId, next);
    return next;
  },
  'settings:get': () => settings,
  'settings:set': (patch) => (settings = applySettingsPatch(settings, patch)),
  'page:get': ({ tabId }) => (tabId === 5 ? { entryIds: ['pubmedqa', 'yidu-s4k', 'gone-from-catalog'], url: 'https://arxiv.org/abs/1909.06146' } : null),
  'page:reveal': ({ tabId, entryId }) => {
    if (tabId !== 5) throw new Error('wrong tab');
    return entryId === 'pubmedqa' ? 'shown' : entryId === 'yidu-s4k' ? 'hidden' : 'none';
  },
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

/** Sets a field's value as typing does, with the input event the components listen to. */
function setField(el: HTMLInputElement | HTMLTextAreaElement, value: string) {
  el.value = value;
  el.dispatchEvent(new Event('input', { bubbles: true }));
}
async function type(value: string) {
  await act(() => {
    setField(input(), value);
  });
}
async function key(k: string, opts: KeyboardEventInit = {}, target: EventTarget = input()) {
  await act(() => {
    target.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true, cancelable: true, ...opts }));
  });
}

// The page starts loading the catalog and index before it renders (main.tsx); so do the tests.
beforeAll(async () => {
  await loadData();
});

beforeEach(() => {
  fakeBrowser.reset();
  // Note drafts live in the popup page's localStorage.
  localStorage.clear();
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

  it('has the search box focused as soon as the live screen is rendered, before any frame', async () => {
    // main.tsx renders once, synchronously, in place of the prerendered screen: keys typed
    // right after that task must reach the box, not wait for an effect a frame later.
    render(<App initialQuery="" initialLang="en" />, root);
    expect(document.activeElement).toBe(input());
    // Let the late data arrive while mounted, as every other test does.
    await flush();
  });

  it('filters by kind and by section', async () => {
    await mount();
    const [kindSel, sectionSel] = [...root.querySelectorAll('select')];
    await act(() => {
      kindSel.value = 'dataset';
      kindSel.dispatchEvent(new Event('change', { bubbles: true }));
    });
    expect(options().length).toBeGreaterThan(0);
    expect(options().every((o) => getEntry(o.dataset.entryId!)!.kind === 'dataset')).toBe(true);
    await act(() => {
      sectionSel.value = '英文数据集';
      sectionSel.dispatchEvent(new Event('change', { bubbles: true }));
    });
    expect(root.querySelectorAll('[role="group"]')).toHaveLength(1);
    expect(options().length).toBeGreaterThan(0);
    expect(options().every((o) => getEntry(o.dataset.entryId!)!.sections.some((s) => s.zh === '英文数据集'))).toBe(true);
    // Esc with an empty query clears the filters before it would close the popup.
    const close = vi.spyOn(window, 'close').mockImplementation(() => {});
    await key('Escape');
    expect(kindSel.value).toBe('');
    expect(sectionSel.value).toBe('');
    expect(options().length).toBe(catalog.length);
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
    // "med" begins several names: rows to move between.
    await type('med');
    expect(options().length).toBeGreaterThan(2);
    await key('ArrowDown');
    await key('ArrowDown');
    expect(input().getAttribute('aria-activedescendant')).toBe(options()[2].id);
    await key('ArrowUp');
    expect(input().getAttribute('aria-activedescendant')).toBe(options()[1].id);
    expect(options().map((o) => o.getAttribute('aria-selected'))).toEqual(options().map((_, i) => String(i === 1)));
  });

  it('finds Chinese and pinyin queries', async () => {
    await mount();
    await type('医渡云');
    // Search results, not the browse view (which lists every entry): a count in the status,
    // a few rows, the entry's row highlighting the query.
    expect(root.querySelector('.status')!.textContent).toMatch(/\d+ results?/);
    expect(options().length).toBeLessThan(10);
    const yidu = options().find((o) => o.dataset.entryId === 'yidu-s4k');
    expect(yidu?.querySelector('mark')?.textContent).toContain('医渡云');
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
    // Focus is back in the search box as the list returns, with no frame in between.
    expect(document.activeElement).toBe(input());
    input().setSelectionRange(8, 8);
    await key('ArrowRight');
    expect(root.querySelector('.cmed-detail')).not.toBeNull();
  });

  it('Esc clears the query, and a second Esc closes the popup', async () => {
    const close = vi.spyOn(window, 'close').mockImplementation(() => {});
    await mount();
    const browseIds = options().map((o) => o.dataset.entryId);
    expect(browseIds.length).toBe(catalog.length);
    await type('cblue');
    await key('Escape');
    expect(input().value).toBe('');
    expect(close).not.toHaveBeenCalled();
    // The browse view comes back whole (a screenful first, the rest right after).
    await flush();
    expect(options().map((o) => o.dataset.entryId)).toEqual(browseIds);
    await key('Escape');
    expect(close).toHaveBeenCalledTimes(1);
  });

  it('a second Esc a moment after the first closes the popup, before any frame has been drawn', async () => {
    const close = vi.spyOn(window, 'close').mockImplementation(() => {});
    await mount();
    await type('cblue');
    // Real key presses are separate tasks: the first one's render has committed, but no frame
    // (and so no passive effect) need have run when the second arrives.
    const esc = () => input().dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, cancelable: true }));
    esc();
    await new Promise((r) => setTimeout(r, 0));
    expect(input().value).toBe('');
    esc();
    expect(close).toHaveBeenCalledTimes(1);
    await flush();
  });

  it('renders every result of a broad query, not just the first screenful', async () => {
    await mount();
    await type('medical');
    await flush();
    const count = Number(/\d+/.exec(root.querySelector('.status')!.textContent!)![0]);
    // Every match: more than the searcher's default of 50.
    expect(count).toBe((await loadData()).searcher.search('medical', { limit: Infinity }).length);
    expect(count).toBeGreaterThan(50);
    expect(options()).toHaveLength(count);
  });

  it('lists at most MAX_RESULTS matches and says when a query matched more', async () => {
    const { searcher } = await loadData();
    const real = searcher.search.bind(searcher);
    // A catalog of thousands, as far as this query goes: every entry matches twice over.
    const once = catalog.map((e) => ({ entryId: e.id, score: 0.5, highlights: [] }));
    const all = [...once, ...once];
    const spy = vi.spyOn(searcher, 'search').mockImplementation((q, opts) => (q === 'many' ? all.slice(0, opts?.limit ?? 50) : real(q, opts)) as never);
    try {
      await mount();
      await type('many');
      await flush();
      expect(spy).toHaveBeenCalledWith('many', expect.objectContaining({ limit: MAX_RESULTS + 1 }));
      expect(root.querySelector('.status')!.textContent).toBe(`First ${MAX_RESULTS} results: type more to narrow them`);
      expect(options()).toHaveLength(MAX_RESULTS);
      await type('medical');
      await flush();
      expect(root.querySelector('.status')!.textContent).toMatch(/^\d+ results$/);
    } finally {
      spy.mockRestore();
    }
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
      const status = root.querySelector('.status')?.textContent ?? '';
      const empty = root.querySelector('.empty');
      if (q.trim() === '' || q === '\u0000\u200b') {
        // Nothing to search for: the browse view, every entry listed under its section.
        expect(status, JSON.stringify(q)).not.toMatch(/results?$/);
        expect(root.querySelectorAll('[role="group"]').length, JSON.stringify(q)).toBeGreaterThan(5);
      } else {
        // A search: its results counted, or the empty state naming the query.
        expect(empty !== null ? empty.textContent!.includes(q.trim().slice(0, 20)) : /\d+ results?/.test(status), JSON.stringify(q)).toBe(true);
      }
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

  it('marks in the detail heading only what the result row marks: no stray letters of a typo match', async () => {
    await mount();
    await type('cmid');
    await flush();
    const row = root.querySelector<HTMLElement>('[role="option"][data-entry-id="cmedqa2"]');
    expect(row).not.toBeNull();
    const rowMarks = [...row!.querySelectorAll('.option-title mark')].map((m) => m.textContent);
    await act(() => row!.click());
    const heading = root.querySelector('.cmed-detail h2')!;
    expect([...heading.querySelectorAll('mark')].map((m) => m.textContent)).toEqual(rowMarks);
  });

  it('the star keeps keyboard focus while its save runs (aria-disabled, not disabled) and ignores presses meanwhile', async () => {
    const save = handlers['favorites:save']!;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    handlers['favorites:save'] = async (data, sender) => {
      await gate;
      return save(data, sender);
    };
    onTestFinished(() => void (handlers['favorites:save'] = save));
    await openDetail('pubmedqa');
    const star = root.querySelector<HTMLButtonElement>('.cmed-detail .cmed-star')!;
    star.focus();
    await act(() => star.click());
    await flush();
    // A disabled button loses focus to the page's body in browsers; this one stays focusable.
    expect(star.disabled).toBe(false);
    expect(star.getAttribute('aria-disabled')).toBe('true');
    expect(document.activeElement).toBe(star);
    await act(() => star.click());
    await flush();
    expect(calls.filter((c) => c.type === 'favorites:save')).toHaveLength(1);
    release();
    await flush();
    expect(star.getAttribute('aria-pressed')).toBe('true');
    expect(star.getAttribute('aria-disabled')).toBeNull();
    expect(document.activeElement).toBe(star);
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

/** `favorites:get` fails ("storage is busy") until `recover()` (and again after `fail()`); `restore()` puts the handler back. */
function failingFavoritesGet() {
  const get = handlers['favorites:get']!;
  let failing = true;
  handlers['favorites:get'] = (data, sender) => {
    if (failing) throw new Error('storage is busy');
    return get(data, sender);
  };
  return {
    fail: () => void (failing = true),
    recover: () => void (failing = false),
    restore: () => void (handlers['favorites:get'] = get),
  };
}

describe('popup: on this page', () => {
  it('lists what the annotator found on the active tab and switches the site', async () => {
    vi.spyOn(fakeBrowser.tabs, 'query').mockResolvedValue([{ id: 5, url: 'https://arxiv.org/abs/1909.06146' } as never]);
    favorites.set('yidu-s4k', fav('yidu-s4k'));
    await mount();
    const chips = [...root.querySelectorAll<HTMLElement>('.on-page .chip')];
    expect(chips.map((c) => c.dataset.entryId)).toEqual(['pubmedqa', 'yidu-s4k']);
    // A saved entry says so, as its badges on the page do.
    expect(chips.map((c) => !!c.querySelector('.saved-mark'))).toEqual([false, true]);
    const sw = root.querySelector<HTMLInputElement>('.on-page [role="switch"]')!;
    expect(sw.checked).toBe(true);
    expect(sw.parentElement!.textContent).toContain('arxiv.org');
    // GitHub switched off elsewhere (the options page, another device) after the popup read its settings.
    settings = { ...settings, sites: { ...settings.sites, github: false } };
    await act(() => sw.click());
    await flush();
    expect(settings.sites).toEqual({ arxiv: false, acl: true, github: false });
    expect(calls.filter((c) => c.type === 'settings:set').map((c) => c.data)).toEqual([{ sites: { arxiv: false } }]);
    expect(sw.checked).toBe(false);
    // The page's marks are gone, and it reports nothing: the entries are still listed (the
    // switch stays where it was), but nothing is offered to show on the page.
    const get = handlers['page:get'];
    handlers['page:get'] = () => ({ entryIds: [], url: 'https://arxiv.org/abs/1909.06146' });
    try {
      await fakeBrowser.storage.session.set({ 'annotator:tab:5': { entryIds: [], url: 'https://arxiv.org/abs/1909.06146' } });
      await flush();
    } finally {
      handlers['page:get'] = get;
    }
    expect([...root.querySelectorAll<HTMLElement>('.on-page .chip')].map((c) => c.dataset.entryId)).toEqual(['pubmedqa', 'yidu-s4k']);
    expect(root.querySelectorAll('.on-page .chip-reveal')).toHaveLength(0);
    // Switched back on: nothing to show on the page until the page has marked its entries again.
    await act(() => sw.click());
    await flush();
    expect(sw.checked).toBe(true);
    expect(root.querySelectorAll('.on-page .chip-reveal')).toHaveLength(0);
    await fakeBrowser.storage.session.set({ 'annotator:tab:5': { entryIds: ['pubmedqa', 'yidu-s4k'], url: 'https://arxiv.org/abs/1909.06146' } });
    await flush();
    expect(root.querySelectorAll('.on-page .chip-reveal')).toHaveLength(2);
    await act(() => sw.click());
    await flush();
    await act(() => chips[0].click());
    expect((root.querySelector('.cmed-detail') as HTMLElement).dataset.entryId).toBe('pubmedqa');
  });

  it('shows the site switch as the last popup saw it until the settings arrive, and remembers a change', async () => {
    vi.spyOn(fakeBrowser.tabs, 'query').mockResolvedValue([{ id: 5, url: 'https://arxiv.org/abs/1909.06146' } as never]);
    const sw = () => root.querySelector<HTMLInputElement>('.on-page [role="switch"]')!;
    const reopen = async (expected: boolean) => {
      render(null, root);
      const get = handlers['settings:get'];
      handlers['settings:get'] = () => new Promise<never>(() => undefined);
      try {
        await mount();
        expect(sw().disabled).toBe(true);
        expect(sw().checked).toBe(expected);
      } finally {
        handlers['settings:get'] = get;
        render(null, root);
      }
    };
    settings = { ...settings, sites: { ...settings.sites, arxiv: false } };
    await mount();
    // This popup read the settings: the next one knows arXiv is off before they arrive.
    await reopen(false);
    // Switched on here: the next one shows it on.
    await mount();
    await act(() => sw().click());
    await flush();
    expect(settings.sites.arxiv).toBe(true);
    await reopen(true);
  });

  it("follows what the page reports while the popup is open, and only the active tab's", async () => {
    vi.spyOn(fakeBrowser.tabs, 'query').mockResolvedValue([{ id: 6, url: 'https://github.com/a/b' } as never]);
    let found: { entryIds: string[]; url: string } | null = null;
    const get = handlers['page:get'];
    handlers['page:get'] = ({ tabId }) => (tabId === 6 ? found : null);
    try {
      await mount();
      const listed = () => [...root.querySelectorAll<HTMLElement>('.on-page .chip')].map((c) => c.dataset.entryId);
      expect(listed()).toEqual([]);
      // The page's first pass ends while the popup is open: the background keeps its report.
      found = { entryIds: ['cblue', 'cmekg'], url: 'https://github.com/a/b' };
      await fakeBrowser.storage.session.set({ 'annotator:tab:6': found });
      await flush();
      expect(listed()).toEqual(['cblue', 'cmekg']);
      // Another tab's report changes nothing here; so does a key of another kind.
      await fakeBrowser.storage.session.set({ 'annotator:tab:7': { entryIds: ['pubmedqa'], url: 'https://github.com/c/d' } });
      found = { entryIds: ['pubmedqa'], url: 'https://github.com/a/b' };
      await fakeBrowser.storage.local.set({ 'annotator:tab:6': found });
      await flush();
      expect(listed()).toEqual(['cblue', 'cmekg']);
      // The tab leaves the page: the background forgets it.
      found = null;
      await fakeBrowser.storage.session.remove('annotator:tab:6');
      await flush();
      expect(listed()).toEqual([]);
    } finally {
      handlers['page:get'] = get;
    }
  });

  it('shows an entry on the page from its chip, closing the popup, or says why it cannot', async () => {
    vi.spyOn(fakeBrowser.tabs, 'query').mockResolvedValue([{ id: 5, url: 'https://arxiv.org/abs/1909.06146' } as never]);
    const close = vi.spyOn(window, 'close').mockImplementation(() => undefined);
    await mount();
    const reveal = [...root.querySelectorAll<HTMLButtonElement>('.on-page .chip-reveal')];
    expect(reveal.map((b) => b.dataset.entryId)).toEqual(['pubmedqa', 'yidu-s4k']);
    expect(reveal[0].getAttribute('aria-label')).toBe(`Show ${getEntry('pubmedqa')!.title} on the page`);
    await act(() => reveal[1].click());
    await flush();
    expect(calls.filter((c) => c.type === 'page:reveal').map((c) => c.data)).toEqual([{ tabId: 5, entryId: 'yidu-s4k' }]);
    expect(close).not.toHaveBeenCalled();
    expect(root.querySelector('.toast')!.textContent).toContain(`${getEntry('yidu-s4k')!.title} is marked only in a hidden part of the page`);
    await act(() => reveal[0].click());
    await flush();
    expect(close).toHaveBeenCalledTimes(1);
    // The detail view stays where the chip itself leads.
    expect(root.querySelector('.cmed-detail')).toBeNull();
    // The detail of an entry on the page shows it there too; an entry not on the page has no such button.
    await act(() => root.querySelector<HTMLElement>('.on-page .chip[data-entry-id="pubmedqa"]')!.click());
    const show = root.querySelector<HTMLButtonElement>('.cmed-detail .cmed-on-page button')!;
    expect(show.textContent).toBe('Show on the page');
    await act(() => show.click());
    await flush();
    expect(calls.filter((c) => c.type === 'page:reveal').map((c) => c.data)).toEqual([
      { tabId: 5, entryId: 'yidu-s4k' },
      { tabId: 5, entryId: 'pubmedqa' },
      { tabId: 5, entryId: 'pubmedqa' },
    ]);
    expect(close).toHaveBeenCalledTimes(2);
    await type('meddialog');
    await key('Enter', { shiftKey: true });
    await vi.waitFor(() => expect(root.querySelector<HTMLElement>('.cmed-detail')?.dataset.entryId).toBe('meddialog'));
    expect(root.querySelector('.cmed-detail .cmed-on-page')).toBeNull();
  });

  it('follows the language setting once it arrives', async () => {
    settings = { ...settings, language: 'zh_CN' };
    await mount();
    expect(input().getAttribute('aria-label')).toBe('搜索资源目录');
    expect(document.documentElement.lang).toBe('zh-CN');
  });
});

const tab = (name: RegExp) => [...root.querySelectorAll<HTMLElement>('[role="tab"]')].find((t) => name.test(t.textContent!))!;
const search = () => root.querySelector<HTMLInputElement>('#cmed-search')!;
const rowIds = () => [...root.querySelectorAll<HTMLElement>('.fav-row')].map((r) => r.dataset.entryId);
async function openFavorites() {
  await mount();
  await act(() => tab(/Favorites|收藏/).click());
  await flush();
}
async function filter(value: string) {
  await act(() => {
    setField(search(), value);
  });
}
/** Three favorites: pubmedqa newest, then yidu-s4k, then meddialog. */
function seed() {
  favorites = new Map([
    ['meddialog', { ...fav('meddialog'), savedAt: 100, note: 'Dialogue pretraining data', tags: ['对话'] }],
    ['pubmedqa', { ...fav('pubmedqa'), savedAt: 300, tags: ['QA', 'english'] }],
    ['yidu-s4k', { ...fav('yidu-s4k'), savedAt: 200, note: 'ＮＥＲ baseline, see 提取码' }],
  ]);
}
async function choose(select: HTMLSelectElement, value: string) {
  await act(() => {
    select.value = value;
    select.dispatchEvent(new Event('change', { bubbles: true }));
  });
}
const selects = () => [...root.querySelectorAll<HTMLSelectElement>('select')];

describe('popup: favorites view', () => {
  it('switches with a keyboard-accessible tab control and lists favorites newest first', async () => {
    seed();
    await mount();
    const tabs = [...root.querySelectorAll<HTMLElement>('[role="tablist"] [role="tab"]')];
    expect(tabs.map((t) => t.textContent)).toEqual(['Catalog', 'Favorites (3)']);
    expect(tabs[0].getAttribute('aria-selected')).toBe('true');
    expect(tabs[1].tabIndex).toBe(-1);
    await key('ArrowRight', {}, tabs[0]);
    await flush();
    expect(tabs[1].getAttribute('aria-selected')).toBe('true');
    expect(root.querySelector('[role="tabpanel"]')!.getAttribute('aria-labelledby')).toBe(tabs[1].id);
    expect(rowIds()).toEqual(['pubmedqa', 'yidu-s4k', 'meddialog']);
    // The search box filters the favorites here; it is not a combobox over a listbox in this view.
    expect(search().getAttribute('role')).toBeNull();
    expect(search().getAttribute('aria-controls')).toBe(root.querySelector('.fav-list')!.id);
    expect(root.querySelector('[role="listbox"]')).toBeNull();
    const row = root.querySelector('[data-entry-id="meddialog"]')!;
    expect(row.querySelector('.cmed-kind')).not.toBeNull();
    expect(row.querySelector('.fav-note')!.textContent).toBe('Dialogue pretraining data');
    expect(row.querySelector('.fav-tag')!.textContent).toBe('#对话');
    // Back to the catalog: the combobox pattern is intact.
    await key('ArrowLeft', {}, tabs[1]);
    await flush();
    expect(input().getAttribute('aria-controls')).toBe(root.querySelector('[role="listbox"]')!.id);
  });

  it('filters by note, #tag and id, folding case and width, and opens the detail', async () => {
    seed();
    await openFavorites();
    await filter('ner');
    expect(rowIds()).toEqual(['yidu-s4k']);
    await filter('#qa');
    expect(rowIds()).toEqual(['pubmedqa']);
    await filter('#q');
    expect(rowIds()).toEqual([]);
    expect(root.querySelector('.empty')!.textContent).toContain('#q');
    await filter('MEDDIALOG');
    expect(rowIds()).toEqual(['meddialog']);
    // A tag chip filters by that tag.
    await filter('');
    await act(() => root.querySelector<HTMLElement>('[data-entry-id="meddialog"] .fav-tag')!.click());
    expect(search().value).toBe('#对话');
    expect(rowIds()).toEqual(['meddialog']);
    await key('Enter', {}, search());
    expect((root.querySelector('.cmed-detail') as HTMLElement).dataset.entryId).toBe('meddialog');
    await key('Escape', {}, document.activeElement!);
    expect(rowIds()).toEqual(['meddialog']);
    await act(() => root.querySelector<HTMLElement>('.fav-open')!.click());
    expect((root.querySelector('.cmed-detail') as HTMLElement).dataset.entryId).toBe('meddialog');
  });

  it('edits a note and tags inline, rejecting HTML in the note', async () => {
    seed();
    await openFavorites();
    const row = () => root.querySelector<HTMLElement>('[data-entry-id="pubmedqa"]')!;
    await act(() => row().querySelector<HTMLButtonElement>('.fav-edit-btn')!.click());
    const note = row().querySelector<HTMLTextAreaElement>('textarea')!;
    expect(document.activeElement).toBe(note);
    const tags = row().querySelector<HTMLInputElement>('.fav-edit input')!;
    await act(() => {
      setField(note, '<b>bold</b>');
    });
    await act(() => row().querySelector<HTMLButtonElement>('button[type="submit"]')!.click());
    await flush();
    expect(row().querySelector('[role="alert"]')!.textContent).toContain('HTML');
    expect(calls.some((c) => c.type === 'favorites:update')).toBe(false);
    await act(() => {
      setField(note, 'Good yes/no QA benchmark');
      setField(tags, 'QA，#biomed, qa');
    });
    await act(() => row().querySelector<HTMLButtonElement>('button[type="submit"]')!.click());
    await flush();
    expect(calls.find((c) => c.type === 'favorites:update')).toMatchObject({
      data: { entryId: 'pubmedqa', note: 'Good yes/no QA benchmark', tags: ['QA', 'biomed'] },
    });
    expect(row().querySelector('.fav-note')!.textContent).toBe('Good yes/no QA benchmark');
    expect([...row().querySelectorAll('.fav-tag')].map((t) => t.textContent)).toEqual(['#QA', '#biomed']);
    expect(document.activeElement).toBe(row().querySelector('.fav-edit-btn'));
  });

  it('ties a refused note or tags to its field: aria-invalid, and described by the error', async () => {
    seed();
    await openFavorites();
    const row = () => root.querySelector<HTMLElement>('[data-entry-id="pubmedqa"]')!;
    await act(() => row().querySelector<HTMLButtonElement>('.fav-edit-btn')!.click());
    const note = () => row().querySelector<HTMLTextAreaElement>('textarea')!;
    const tags = () => row().querySelector<HTMLInputElement>('.fav-edit input')!;
    const described = (el: Element) =>
      (el.getAttribute('aria-describedby') ?? '')
        .split(/\s+/)
        .filter(Boolean)
        .map((id) => document.getElementById(id)?.textContent ?? '')
        .join(' ');
    const save = async () => {
      await act(() => row().querySelector<HTMLButtonElement>('button[type="submit"]')!.click());
      await flush();
      return row().querySelector('[role="alert"]')!;
    };
    await act(() => setField(note(), 'see <b>this</b>'));
    const alert = await save();
    expect(alert.textContent).toContain('HTML');
    expect(note().getAttribute('aria-invalid')).toBe('true');
    expect(described(note())).toBe(alert.textContent);
    expect(document.querySelectorAll(`#${alert.id}`)).toHaveLength(1);
    expect(tags().hasAttribute('aria-invalid')).toBe(false);

    await act(() => {
      setField(note(), 'see this');
      setField(tags(), 'qa, ' + 'x'.repeat(70));
    });
    const tagAlert = await save();
    expect(tagAlert.textContent).toMatch(/64/);
    expect(tags().getAttribute('aria-invalid')).toBe('true');
    expect(described(tags())).toBe(`${tagAlert.textContent} ${row().querySelector('.fav-edit .fav-hint')!.textContent}`);
    expect(note().hasAttribute('aria-invalid')).toBe(false);
    expect(note().hasAttribute('aria-describedby')).toBe(false);
    expect(calls.some((c) => c.type === 'favorites:update')).toBe(false);
  });

  it('keeps finding in Favorites what a catalog search found, by the names and identifiers it found it by', async () => {
    seed();
    await mount();
    await type('1909.06146');
    expect(options()[0].dataset.entryId).toBe('pubmedqa');
    await act(() => tab(/Favorites/).click());
    await flush();
    expect(rowIds()).toEqual(['pubmedqa']);
    await filter('中文医患问答对话数据');
    expect(rowIds()).toEqual(['meddialog']);
  });

  it('brings back a note typed when the popup closed, unsaved, until it is saved or cancelled', async () => {
    seed();
    await openFavorites();
    const row = () => root.querySelector<HTMLElement>('[data-entry-id="pubmedqa"]')!;
    await act(() => row().querySelector<HTMLButtonElement>('.fav-edit-btn')!.click());
    await act(() => {
      const note = row().querySelector<HTMLTextAreaElement>('textarea')!;
      setField(note, 'Half a thought about yes/no');
      const tags = row().querySelector<HTMLInputElement>('.fav-edit input')!;
      setField(tags, 'QA, english, todo');
    });
    // The popup closes (a click on the page) and opens again.
    await act(() => render(null, root));
    await openFavorites();
    expect(row().querySelector<HTMLTextAreaElement>('textarea')?.value).toBe('Half a thought about yes/no');
    expect(row().querySelector<HTMLInputElement>('.fav-edit input')?.value).toBe('QA, english, todo');
    // Worded to be true wherever it was typed: here before the popup closed, or on the options page.
    expect(row().querySelector('.fav-draft')?.textContent).toBe('Not saved yet: this is what you typed earlier.');
    // Nothing was saved, and the form did not take focus on its own.
    expect(calls.some((c) => c.type === 'favorites:update')).toBe(false);
    expect(document.activeElement).not.toBe(row().querySelector('textarea'));
    // Other favorites' forms stay closed.
    expect(root.querySelectorAll('.fav-edit')).toHaveLength(1);
    await act(() => row().querySelector<HTMLButtonElement>('button[type="submit"]')!.click());
    await flush();
    expect(calls.find((c) => c.type === 'favorites:update')).toMatchObject({ data: { entryId: 'pubmedqa', note: 'Half a thought about yes/no', tags: ['QA', 'english', 'todo'] } });
    // Saved: the next popup has no draft.
    await act(() => render(null, root));
    await openFavorites();
    expect(row().querySelector('textarea')).toBeNull();
    // Cancelled: no draft either.
    await act(() => row().querySelector<HTMLButtonElement>('.fav-edit-btn')!.click());
    await act(() => setField(row().querySelector<HTMLTextAreaElement>('textarea')!, 'Never mind'));
    await key('Escape', {}, row().querySelector('textarea')!);
    await act(() => render(null, root));
    await openFavorites();
    expect(row().querySelector('textarea')).toBeNull();
    expect(row().querySelector('.fav-note')?.textContent).toBe('Half a thought about yes/no');
  });

  it('a draft brought back writes only what was typed, says when that changed elsewhere meanwhile, and goes with its favorite', async () => {
    seed();
    await openFavorites();
    const row = () => root.querySelector<HTMLElement>('[data-entry-id="pubmedqa"]')!;
    await act(() => row().querySelector<HTMLButtonElement>('.fav-edit-btn')!.click());
    await act(() => setField(row().querySelector<HTMLTextAreaElement>('textarea')!, 'Half a thought'));
    await act(() => render(null, root));
    // Meanwhile, elsewhere: a tag added, and the note written.
    favorites.set('pubmedqa', { ...favorites.get('pubmedqa')!, tags: ['QA', 'english', 'added-elsewhere'], note: 'Written on the options page', updatedAt: 400 });
    await openFavorites();
    // The tags were not typed in: they show as saved now, and saving leaves them alone.
    expect(row().querySelector<HTMLInputElement>('.fav-edit input')?.value).toBe('QA, english, added-elsewhere');
    expect(row().querySelector<HTMLTextAreaElement>('textarea')?.value).toBe('Half a thought');
    expect(row().querySelector('.fav-draft')?.textContent).toBe('Not saved yet: this is what you typed earlier. It was changed elsewhere since; saving replaces that.');
    await act(() => row().querySelector<HTMLButtonElement>('button[type="submit"]')!.click());
    await flush();
    expect(calls.filter((c) => c.type === 'favorites:update').at(-1)?.data).toEqual({ entryId: 'pubmedqa', note: 'Half a thought' });
    expect(favorites.get('pubmedqa')?.tags).toEqual(['QA', 'english', 'added-elsewhere']);
    // A draft of a favorite removed goes with it.
    await act(() => row().querySelector<HTMLButtonElement>('.fav-edit-btn')!.click());
    await act(() => setField(row().querySelector<HTMLTextAreaElement>('textarea')!, 'Another thought'));
    await act(() => render(null, root));
    favorites.delete('pubmedqa');
    await openFavorites();
    favorites.set('pubmedqa', fav('pubmedqa'));
    await act(() => render(null, root));
    await openFavorites();
    expect(row().querySelector('textarea')).toBeNull();
  });

  it('a note save still on its way keeps its form and its draft: Esc and Cancel wait, and a failure shows beside what was typed', async () => {
    seed();
    const update = handlers['favorites:update']!;
    const pending: (() => void)[] = [];
    handlers['favorites:update'] = () => new Promise((_, reject) => pending.push(() => reject(new Error('sync quota reached'))));
    onTestFinished(() => void (handlers['favorites:update'] = update));
    await openFavorites();
    const row = () => root.querySelector<HTMLElement>('[data-entry-id="pubmedqa"]')!;
    await act(() => row().querySelector<HTMLButtonElement>('.fav-edit-btn')!.click());
    await act(() => setField(row().querySelector<HTMLTextAreaElement>('textarea')!, 'Half a thought'));
    await act(() => row().querySelector<HTMLButtonElement>('button[type="submit"]')!.click());
    await flush();
    expect(pending).toHaveLength(1);
    await key('Escape', {}, row().querySelector('textarea')!);
    await act(() => row().querySelector<HTMLButtonElement>('.fav-edit button[type="button"]')!.click());
    await flush();
    expect(row().querySelector<HTMLTextAreaElement>('textarea')?.value).toBe('Half a thought');
    await act(() => pending.shift()!());
    await flush();
    expect(row().querySelector<HTMLTextAreaElement>('textarea')?.value).toBe('Half a thought');
    expect(row().querySelector('[role="alert"]')?.textContent).toBe('Couldn’t save the note: sync quota reached');
    // The popup closes now: what was typed is still kept for the next one.
    await act(() => render(null, root));
    await openFavorites();
    expect(row().querySelector<HTMLTextAreaElement>('textarea')?.value).toBe('Half a thought');
  });

  it('reads a favorite’s draft once when its row appears, not on every render', async () => {
    seed();
    await openFavorites();
    const row = () => root.querySelector<HTMLElement>('[data-entry-id="pubmedqa"]')!;
    await act(() => row().querySelector<HTMLButtonElement>('.fav-edit-btn')!.click());
    const reads = vi.spyOn(localStorage, 'getItem');
    for (const text of ['H', 'Ha', 'Hal', 'Half']) await act(() => setField(row().querySelector<HTMLTextAreaElement>('textarea')!, text));
    await flush();
    expect(reads.mock.calls.filter(([k]) => String(k).endsWith(':pubmedqa'))).toHaveLength(0);
    // A row that appears again (the search hid it) reads it once.
    await filter('meddialog');
    await filter('');
    expect(reads.mock.calls.filter(([k]) => String(k).endsWith(':pubmedqa'))).toHaveLength(1);
    expect(row().querySelector<HTMLTextAreaElement>('textarea')?.value).toBe('Half');
  });

  it('marks favorites that left the catalog and shows their saved title', async () => {
    favorites = new Map([['gone-from-catalog', { ...fav('meddialog'), entryId: 'gone-from-catalog', title: 'Old Corpus v1', savedAt: 5 }]]);
    await openFavorites();
    const row = root.querySelector<HTMLElement>('[data-entry-id="gone-from-catalog"]')!;
    expect(row.querySelector('.fav-title')!.textContent).toBe('Old Corpus v1');
    expect(row.querySelector('.fav-orphan')!.textContent).toBe('No longer in the catalog');
    // Nothing to open: the title is not a button.
    expect(row.querySelector('.fav-open')).toBeNull();
  });

  it('explains how to save when empty, and follows changes made elsewhere', async () => {
    favorites = new Map();
    await openFavorites();
    expect(tab(/Favorites/).textContent).toBe('Favorites (0)');
    expect(root.querySelector('.empty')!.textContent).toMatch(/star.*card.*right-click/s);
    favorites.set('pubmedqa', { ...fav('pubmedqa'), savedAt: 10 });
    await act(() => fakeBrowser.storage.sync.set({ 'fav:x': 1 }));
    await act(() => new Promise((r) => setTimeout(r, 120)));
    await flush();
    expect(rowIds()).toEqual(['pubmedqa']);
    expect(tab(/Favorites/).textContent).toBe('Favorites (1)');
  });

  it('while favorites cannot be read, says so, offers Try again and never shows a saved entry as unsaved', async () => {
    const reads = failingFavoritesGet();
    try {
      await openFavorites();
      expect(root.querySelector('[role="alert"]')!.textContent).toContain('storage is busy');
      expect(root.textContent).not.toContain('No favorites yet');
      // The detail's star cannot act on favorites it has not read: a click would remove a saved entry.
      await act(() => tab(/Catalog/).click());
      await act(() => root.querySelector<HTMLElement>('[role="option"][data-entry-id="meddialog"]')!.click());
      const star = root.querySelector<HTMLButtonElement>('.cmed-star')!;
      expect(star.disabled).toBe(true);
      reads.recover();
      // A save elsewhere (a hover card) reaches the popup and brings the real state.
      await act(() => fakeBrowser.storage.sync.set({ 'fav:x': 1 }));
      await act(() => new Promise((r) => setTimeout(r, 120)));
      await flush();
      expect(star.disabled).toBe(false);
      expect(star.getAttribute('aria-pressed')).toBe('true');
      await act(() => tab(/Favorites/).click());
      await flush();
      expect(root.querySelector('[role="alert"]')).toBeNull();
      expect(rowIds()).toEqual(['meddialog']);
      expect(tab(/Favorites/).textContent).toBe('Favorites (1)');
      // And Try again, when nothing else changes.
      reads.fail();
      render(null, root);
      await openFavorites();
      expect(root.querySelector('[role="alert"]')).not.toBeNull();
      reads.recover();
      await act(() => root.querySelector<HTMLButtonElement>('[role="alert"] button')!.click());
      await flush();
      expect(root.querySelector('[role="alert"]')).toBeNull();
      expect(rowIds()).toEqual(['meddialog']);
    } finally {
      reads.restore();
    }
  });

  it('removes through the star with Undo', async () => {
    seed();
    await openFavorites();
    await act(() => root.querySelector<HTMLElement>('[data-entry-id="yidu-s4k"] .cmed-star')!.click());
    await flush();
    expect(rowIds()).toEqual(['pubmedqa', 'meddialog']);
    expect(calls.at(-1)).toMatchObject({ type: 'favorites:remove', data: { entryIds: ['yidu-s4k'] } });
    await act(() => root.querySelector<HTMLButtonElement>('.toast-undo')!.click());
    await flush();
    expect(rowIds()).toEqual(['pubmedqa', 'yidu-s4k', 'meddialog']);
  });

  it('after Undo shows each favorite as the store kept it, and says so when the undo fails', async () => {
    seed();
    await openFavorites();
    const restore = handlers['favorites:restore']!;
    onTestFinished(() => void (handlers['favorites:restore'] = restore));
    // The store answers with the note it kept (the entry was saved and noted again elsewhere meanwhile).
    handlers['favorites:restore'] = ({ favorites: list }) => {
      const back = list.map((f) => ({ ...f, note: 'noted again in the options page' }));
      for (const f of back) favorites.set(f.entryId, f);
      return { restored: 0, favorites: back };
    };
    await act(() => root.querySelector<HTMLElement>('[data-entry-id="yidu-s4k"] .cmed-star')!.click());
    await flush();
    await act(() => root.querySelector<HTMLButtonElement>('.toast-undo')!.click());
    await flush();
    expect(root.querySelector('[data-entry-id="yidu-s4k"] .fav-note')!.textContent).toBe('noted again in the options page');
    // An undo that fails says so, and does not show the favorite back.
    handlers['favorites:restore'] = () => {
      throw new Error('storage is busy');
    };
    await act(() => root.querySelector<HTMLElement>('[data-entry-id="meddialog"] .cmed-star')!.click());
    await flush();
    const undo = root.querySelector<HTMLButtonElement>('.toast-undo')!;
    undo.focus();
    await act(() => undo.click());
    await flush();
    expect(root.querySelector('.toast')!.textContent).toContain('Favorites are unavailable.');
    expect(rowIds()).toEqual(['pubmedqa', 'yidu-s4k']);
    // The Undo stays, with focus on it, to try again; once it works it goes, and the keyboard goes on from the search box.
    expect(undo.isConnected).toBe(true);
    expect(document.activeElement).toBe(undo);
    handlers['favorites:restore'] = restore;
    await act(() => undo.click());
    await flush();
    expect(rowIds()).toEqual(['pubmedqa', 'yidu-s4k', 'meddialog']);
    expect(undo.isConnected).toBe(false);
    expect(document.activeElement?.id).toBe('cmed-search');
  });

  it('a query carried from the Catalog finds there the entries the catalog found by a name or an ID: a link, pinyin, traditional characters, a typo', async () => {
    for (const [query, id] of [
      ['arXiv:1909.06146', 'pubmedqa'],
      ['https://arxiv.org/abs/1909.06146', 'pubmedqa'],
      ['醫渡雲', 'yidu-s4k'],
      ['yiduyun', 'yidu-s4k'],
      ['pubmeqa', 'pubmedqa'],
    ] as const) {
      seed();
      await mount();
      await type(query);
      expect(options().map((o) => o.dataset.entryId), query).toContain(id);
      await act(() => tab(/Favorites/).click());
      await flush();
      expect(rowIds(), query).toEqual([id]);
      render(null, root);
    }
    // Not by a word the catalog finds only inside a summary, a year or a kind, nor by a loose typo; never past a #tag.
    seed();
    await openFavorites();
    await filter('ner');
    expect(rowIds()).toEqual(['yidu-s4k']);
    for (const word of ['2019', 'evaluation', 'later']) {
      await filter(word);
      expect(rowIds(), word).toEqual([]);
    }
    await filter('yiduyun #QA');
    expect(rowIds()).toEqual([]);
  });

  it('a row that leaves the list as its edit is saved (its #tag filtered on, now gone) hands focus to the row that took its place', async () => {
    seed();
    favorites.set('meddialog', { ...favorites.get('meddialog')!, tags: ['对话', 'todo'] });
    favorites.set('pubmedqa', { ...favorites.get('pubmedqa')!, tags: ['QA', 'todo'] });
    await openFavorites();
    await filter('#todo');
    expect(rowIds()).toEqual(['pubmedqa', 'meddialog']);
    const row = () => root.querySelector<HTMLElement>('[data-entry-id="pubmedqa"]')!;
    await act(() => row().querySelector<HTMLButtonElement>('.fav-edit-btn')!.click());
    await act(() => setField(row().querySelector<HTMLInputElement>('.fav-edit input')!, 'QA'));
    const save = row().querySelector<HTMLButtonElement>('button[type="submit"]')!;
    save.focus();
    await act(() => save.click());
    await flush();
    expect(rowIds()).toEqual(['meddialog']);
    expect(document.activeElement).toBe(root.querySelector('[data-entry-id="meddialog"] .fav-open'));
  });

  it('after a removal, focus never lands on the next row’s star (a favorite that left the catalog has no title button)', async () => {
    seed();
    favorites.set('gone-from-catalog', { ...fav('meddialog'), entryId: 'gone-from-catalog', title: 'Old Corpus v1', savedAt: 50 });
    await openFavorites();
    expect(rowIds()).toEqual(['pubmedqa', 'yidu-s4k', 'meddialog', 'gone-from-catalog']);
    const star = root.querySelector<HTMLButtonElement>('[data-entry-id="meddialog"] .cmed-star')!;
    star.focus();
    await act(() => star.click());
    await flush();
    expect(rowIds()).toEqual(['pubmedqa', 'yidu-s4k', 'gone-from-catalog']);
    expect(document.activeElement).toBe(root.querySelector('[data-entry-id="gone-from-catalog"] .fav-edit-btn'));
  });

  it('an Undo brings back the note that was being typed in the removed row', async () => {
    seed();
    await openFavorites();
    const row = () => root.querySelector<HTMLElement>('[data-entry-id="pubmedqa"]')!;
    await act(() => row().querySelector<HTMLButtonElement>('.fav-edit-btn')!.click());
    await act(() => setField(row().querySelector<HTMLTextAreaElement>('textarea')!, 'A long thought I typed'));
    // Shift+Tab from the note reaches the row's star; Space removes the favorite.
    await act(() => row().querySelector<HTMLButtonElement>('.cmed-star')!.click());
    await flush();
    await act(() => root.querySelector<HTMLButtonElement>('.toast-undo')!.click());
    await flush();
    expect(row().querySelector<HTMLTextAreaElement>('textarea')?.value).toBe('A long thought I typed');
    // Removed with no Undo left to bring it back, the draft goes.
    await act(() => row().querySelector<HTMLButtonElement>('.cmed-star')!.click());
    await flush();
    await act(() => root.querySelector<HTMLButtonElement>('.toast--undo .icon-btn')!.click());
    await flush();
    expect(Object.keys(localStorage).filter((k) => k.includes('note-draft'))).toEqual([]);
  });

  it('a save that landed after the popup closed, before its answer came, does not come back as an unsaved draft', async () => {
    seed();
    const update = handlers['favorites:update']!;
    onTestFinished(() => void (handlers['favorites:update'] = update));
    // The background writes the note; the popup closes (a click on the page) before the answer arrives.
    handlers['favorites:update'] = (data, sender) => {
      void update(data, sender);
      return new Promise(() => {});
    };
    await openFavorites();
    const row = () => root.querySelector<HTMLElement>('[data-entry-id="pubmedqa"]')!;
    await act(() => row().querySelector<HTMLButtonElement>('.fav-edit-btn')!.click());
    await act(() => setField(row().querySelector<HTMLTextAreaElement>('textarea')!, 'Yes/no QA, good baseline '));
    await act(() => row().querySelector<HTMLButtonElement>('button[type="submit"]')!.click());
    await flush();
    expect(favorites.get('pubmedqa')!.note).toBe('Yes/no QA, good baseline');
    render(null, root);
    handlers['favorites:update'] = update;
    await openFavorites();
    expect(row().querySelector('textarea')).toBeNull();
    expect(row().querySelector('.fav-note')!.textContent).toBe('Yes/no QA, good baseline');
    expect(Object.keys(localStorage).filter((k) => k.includes('note-draft'))).toEqual([]);
  });

  it('says so when a note typed in is changed elsewhere while the form is open', async () => {
    seed();
    await openFavorites();
    const row = () => root.querySelector<HTMLElement>('[data-entry-id="yidu-s4k"]')!;
    await act(() => row().querySelector<HTMLButtonElement>('.fav-edit-btn')!.click());
    await act(() => setField(row().querySelector<HTMLTextAreaElement>('textarea')!, 'NER baseline, F1 0.85'));
    expect(row().querySelector('.fav-draft')).toBeNull();
    // Another device rewrites the note; sync delivers it and the popup reads favorites again.
    favorites.set('yidu-s4k', { ...favorites.get('yidu-s4k')!, note: 'licence: research only', updatedAt: 999 });
    await act(() => fakeBrowser.storage.sync.set({ 'fav:x': 1 }));
    await act(() => new Promise((r) => setTimeout(r, 150)));
    await flush();
    expect(row().querySelector('.fav-draft')!.textContent).toBe('Changed elsewhere while you typed; saving replaces that change.');
    expect(row().querySelector<HTMLTextAreaElement>('textarea')!.value).toBe('NER baseline, F1 0.85');
  });

  it('one Undo brings back every favorite removed while it shows, with its note and tags', async () => {
    seed();
    favorites.set('yidu-s4k', { ...favorites.get('yidu-s4k')!, note: 'NER baseline', tags: ['ner'] });
    await openFavorites();
    await act(() => root.querySelector<HTMLElement>('[data-entry-id="yidu-s4k"] .cmed-star')!.click());
    await flush();
    expect(root.querySelector('.toast--undo')!.textContent).toContain(`Removed “${getEntry('yidu-s4k')!.title}” from favorites.`);
    await act(() => root.querySelector<HTMLElement>('[data-entry-id="meddialog"] .cmed-star')!.click());
    await flush();
    expect(rowIds()).toEqual(['pubmedqa']);
    expect(root.querySelectorAll('.toast-undo')).toHaveLength(1);
    expect(root.querySelector('.toast--undo')!.textContent).toContain('Removed 2 favorites.');
    await act(() => root.querySelector<HTMLButtonElement>('.toast-undo')!.click());
    await flush();
    expect(rowIds()).toEqual(['pubmedqa', 'yidu-s4k', 'meddialog']);
    expect(favorites.get('yidu-s4k')).toMatchObject({ note: 'NER baseline', tags: ['ner'] });
    expect(root.querySelector('.toast--undo')).toBeNull();
  });

  it('a favorite saved again while the Undo shows leaves it: the Undo counts and brings back only what is still removed', async () => {
    seed();
    favorites.set('yidu-s4k', { ...favorites.get('yidu-s4k')!, note: 'old note' });
    await openFavorites();
    await act(() => root.querySelector<HTMLElement>('[data-entry-id="yidu-s4k"] .cmed-star')!.click());
    await flush();
    await act(() => root.querySelector<HTMLElement>('[data-entry-id="meddialog"] .cmed-star')!.click());
    await flush();
    expect(root.querySelector('.toast--undo')!.textContent).toContain('Removed 2 favorites.');
    // Yidu-S4K is saved again (its star in the catalog, or another device) and given a new note.
    favorites.set('yidu-s4k', { ...fav('yidu-s4k'), savedAt: 900, updatedAt: 901, note: 'new note' });
    await act(() => fakeBrowser.storage.sync.set({ 'fav:x': 2 }));
    await act(() => new Promise((r) => setTimeout(r, 150)));
    await flush();
    expect(rowIds()).toEqual(['yidu-s4k', 'pubmedqa']);
    expect(root.querySelector('.toast--undo')!.textContent).toContain(`Removed “${getEntry('meddialog')!.title}” from favorites.`);
    await act(() => root.querySelector<HTMLButtonElement>('.toast-undo')!.click());
    await flush();
    expect(calls.filter((c) => c.type === 'favorites:restore').map((c) => (c.data as { favorites: Favorite[] }).favorites.map((f) => f.entryId))).toEqual([['meddialog']]);
    expect(favorites.get('yidu-s4k')!.note).toBe('new note');
  });

  it('a message after a removal (a saved note) leaves its Undo in place', async () => {
    seed();
    await openFavorites();
    await act(() => root.querySelector<HTMLElement>('[data-entry-id="yidu-s4k"] .cmed-star')!.click());
    await flush();
    await act(() => root.querySelector<HTMLButtonElement>('[data-entry-id="pubmedqa"] .fav-edit-btn')!.click());
    const note = root.querySelector<HTMLTextAreaElement>('[data-entry-id="pubmedqa"] textarea')!;
    note.value = 'yes/no questions';
    note.dispatchEvent(new Event('input', { bubbles: true }));
    await act(() => root.querySelector<HTMLButtonElement>('[data-entry-id="pubmedqa"] button[type="submit"]')!.click());
    await flush();
    expect([...root.querySelectorAll('.toast')].map((x) => x.textContent)).toEqual([
      expect.stringContaining('Saved the note and tags for'),
      expect.stringContaining(`Removed “${getEntry('yidu-s4k')!.title}”`),
    ]);
    await act(() => root.querySelector<HTMLButtonElement>('.toast-undo')!.click());
    await flush();
    expect(rowIds()).toContain('yidu-s4k');
  });
});

describe('popup: focus, live status and key hints', () => {
  const status = () => root.querySelector('.status')!.textContent;
  const ctrlS = (target: EventTarget, opts: KeyboardEventInit = {}) => {
    const ev = new KeyboardEvent('keydown', { key: 's', ctrlKey: true, bubbles: true, cancelable: true, ...opts });
    target.dispatchEvent(ev);
    return ev;
  };
  /** A kind and a top section that no catalog entry shares. */
  function emptyCombination() {
    const kinds = [...new Set(catalog.map((e) => e.kind))];
    for (const s of topSections().filter((x) => x.count > 0))
      for (const kind of kinds) if (!catalog.some((e) => e.kind === kind && e.sections.some((x) => x.zh === s.zh))) return { kind, section: s.zh };
    throw new Error('every kind is in every section');
  }

  it('a star click that removes nothing leaves the next keystroke in the search box', async () => {
    seed();
    const remove = handlers['favorites:remove']!;
    handlers['favorites:remove'] = () => {
      throw new Error('quota');
    };
    try {
      await openFavorites();
      const star = root.querySelector<HTMLButtonElement>('[data-entry-id="yidu-s4k"] .cmed-star')!;
      star.focus();
      await act(() => star.click());
      await flush();
      expect(rowIds()).toEqual(['pubmedqa', 'yidu-s4k', 'meddialog']);
      search().focus();
      await filter('m');
      await flush();
      expect(document.activeElement).toBe(search());
    } finally {
      handlers['favorites:remove'] = remove;
    }
  });

  it('a star click ignored while another removal runs leaves focus alone; a removal moves it to the next row', async () => {
    seed();
    const remove = handlers['favorites:remove']!;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    handlers['favorites:remove'] = async (data, sender) => {
      await gate;
      return remove(data, sender);
    };
    try {
      await openFavorites();
      await act(() => root.querySelector<HTMLButtonElement>('[data-entry-id="yidu-s4k"] .cmed-star')!.click());
      const other = root.querySelector<HTMLButtonElement>('[data-entry-id="pubmedqa"] .cmed-star')!;
      other.focus();
      await act(() => other.click());
      await flush();
      expect(calls.filter((c) => c.type === 'favorites:remove')).toHaveLength(1);
      search().focus();
      await filter('d');
      await flush();
      expect(document.activeElement).toBe(search());
      release();
      await flush();
      expect(rowIds()).not.toContain('yidu-s4k');
      expect(document.activeElement).toBe(search());
    } finally {
      handlers['favorites:remove'] = remove;
    }
    // A removal that goes through takes its focused star away: the row that took its place gets focus.
    await filter('');
    await flush();
    const star = root.querySelector<HTMLButtonElement>('[data-entry-id="pubmedqa"] .cmed-star')!;
    star.focus();
    await act(() => star.click());
    await flush();
    expect(rowIds()).toEqual(['meddialog']);
    expect(document.activeElement).toBe(root.querySelector('[data-entry-id="meddialog"] .fav-open'));
  });

  it('Clear filters, Undo, Dismiss and Try again hand focus to the search box', async () => {
    await mount();
    await choose(selects()[0], 'dataset');
    const bar = root.querySelector<HTMLButtonElement>('.filters .cmed-btn')!;
    bar.focus();
    await act(() => bar.click());
    expect(selects()[0].value).toBe('');
    expect(document.activeElement).toBe(input());
    // The empty state's own Clear filters.
    await type('zzqqxxjjvv');
    await choose(selects()[0], 'dataset');
    const inEmpty = root.querySelector<HTMLButtonElement>('.empty .cmed-btn')!;
    inEmpty.focus();
    await act(() => inEmpty.click());
    expect(selects()[0].value).toBe('');
    expect(document.activeElement).toBe(input());
    // Undo, then Dismiss, on the toast of a removal.
    await type('');
    await act(() => root.querySelector<HTMLElement>('[role="option"][data-entry-id="meddialog"]')!.click());
    const star = () => root.querySelector<HTMLButtonElement>('.cmed-detail .cmed-star')!;
    await act(() => star().click());
    await flush();
    const undo = root.querySelector<HTMLButtonElement>('.toast-undo')!;
    undo.focus();
    await act(() => undo.click());
    await flush();
    expect(root.querySelector('.toast')).toBeNull();
    expect(favorites.has('meddialog')).toBe(true);
    expect(document.activeElement).toBe(input());
    await act(() => star().click());
    await flush();
    const dismiss = root.querySelector<HTMLButtonElement>('.toast .icon-btn')!;
    dismiss.focus();
    await act(() => dismiss.click());
    expect(root.querySelector('.toast')).toBeNull();
    expect(document.activeElement).toBe(input());
  });

  it('Try again, once favorites load, leaves focus in the search box', async () => {
    const reads = failingFavoritesGet();
    try {
      await openFavorites();
      const retry = root.querySelector<HTMLButtonElement>('[role="alert"] button')!;
      retry.focus();
      reads.recover();
      await act(() => retry.click());
      await flush();
      expect(rowIds()).toEqual(['meddialog']);
      expect(document.activeElement).toBe(search());
    } finally {
      reads.restore();
    }
  });

  it('the status line counts what the filters leave, and says when they leave nothing', async () => {
    await mount();
    const sections = topSections().filter((s) => s.count > 0).length;
    expect(status()).toBe(`${catalog.length} entries in ${sections} sections`);
    await choose(selects()[0], 'tool');
    await flush();
    const tools = catalog.filter((e) => e.kind === 'tool').length;
    expect(tools).toBeGreaterThan(0);
    expect(status()).toBe(`${tools} of ${catalog.length} entries`);
    await choose(selects()[0], '');
    await choose(selects()[1], '英文数据集');
    await flush();
    expect(status()).toBe(`${catalog.filter((e) => e.sections.some((s) => s.zh === '英文数据集')).length} of ${catalog.length} entries`);
    const none = emptyCombination();
    await choose(selects()[0], none.kind);
    await choose(selects()[1], none.section);
    await flush();
    expect(options()).toHaveLength(0);
    // Said in the live region, once.
    expect(root.querySelector('.status')!.getAttribute('role')).toBe('status');
    expect(status()).toBe('No entries of this kind in this section.');
    expect(root.textContent!.split('No entries of this kind').length).toBe(2);
    await key('Escape');
    await flush();
    expect(status()).toBe(`${catalog.length} entries in ${sections} sections`);
  });

  it('closing a detail gives focus back to the Favorites row or On this page chip it was opened from', async () => {
    seed();
    await openFavorites();
    const open = () => root.querySelector<HTMLButtonElement>('[data-entry-id="yidu-s4k"] .fav-open');
    open()!.focus();
    await act(() => open()!.click());
    expect(document.activeElement).toBe(root.querySelector('.cmed-detail h2'));
    await key('Escape', {}, document.activeElement!);
    expect(root.querySelector('.cmed-detail')).toBeNull();
    expect(document.activeElement).toBe(open());
    // Through a related entry and back with the Back button: still the row it started from.
    await act(() => open()!.click());
    await act(() => root.querySelector<HTMLButtonElement>('.cmed-related button')!.click());
    expect((root.querySelector('.cmed-detail') as HTMLElement).dataset.entryId).not.toBe('yidu-s4k');
    await act(() => root.querySelector<HTMLButtonElement>('.detail-wrap .back')!.click());
    expect(document.activeElement).toBe(open());
    // A row that is gone by then (removed in the detail): the search box.
    await act(() => open()!.click());
    await act(() => root.querySelector<HTMLButtonElement>('.cmed-detail .cmed-star')!.click());
    await flush();
    await key('Escape', {}, document.activeElement!);
    expect(open()).toBeNull();
    expect(document.activeElement).toBe(search());

    // On this page.
    render(null, root);
    vi.spyOn(fakeBrowser.tabs, 'query').mockResolvedValue([{ id: 5, url: 'https://arxiv.org/abs/1909.06146' } as never]);
    await mount();
    const chip = () => root.querySelector<HTMLButtonElement>('.on-page .chip[data-entry-id="yidu-s4k"]');
    chip()!.focus();
    await act(() => chip()!.click());
    expect((root.querySelector('.cmed-detail') as HTMLElement).dataset.entryId).toBe('yidu-s4k');
    await key('Escape', {}, document.activeElement!);
    expect(document.activeElement).toBe(chip());
    // From the result list it stays as it was: the search box, the active option kept.
    await type('PubMedQA');
    await key('Enter', { shiftKey: true });
    await key('Escape', {}, document.activeElement!);
    expect(document.activeElement).toBe(input());
    expect(input().getAttribute('aria-activedescendant')).toBe(options()[0].id);
  });

  it('↓ from the search box never lands on a remove star, not even for a favorite that left the catalog', async () => {
    favorites = new Map([
      ['gone', { ...fav('meddialog'), entryId: 'gone', title: 'Old Corpus', savedAt: 500 }],
      ['pubmedqa', { ...fav('pubmedqa'), savedAt: 300 }],
    ]);
    await openFavorites();
    search().focus();
    await key('ArrowDown', {}, search());
    expect(document.activeElement).toBe(root.querySelector('[data-entry-id="gone"] .fav-edit-btn'));
    await filter('pubmed');
    search().focus();
    await key('ArrowDown', {}, search());
    expect(document.activeElement).toBe(root.querySelector('[data-entry-id="pubmedqa"] .fav-open'));
  });

  it('↑/↓ on a favorite’s buttons move row to row (↑ from the first back to the search box); in a note they stay the note’s', async () => {
    seed();
    await openFavorites();
    const title = (id: string) => root.querySelector<HTMLElement>(`[data-entry-id="${id}"] .fav-open`)!;
    search().focus();
    await key('ArrowDown', {}, search());
    expect(document.activeElement).toBe(title('pubmedqa'));
    await key('ArrowDown', {}, document.activeElement!);
    expect(document.activeElement).toBe(title('yidu-s4k'));
    // From a row's other button too (its "Add note"), never onto a star.
    const edit = root.querySelector<HTMLElement>('[data-entry-id="yidu-s4k"] .fav-edit-btn')!;
    edit.focus();
    await key('ArrowDown', {}, edit);
    expect(document.activeElement).toBe(title('meddialog'));
    await key('ArrowDown', {}, document.activeElement!);
    expect(document.activeElement).toBe(title('meddialog'));
    await key('ArrowUp', {}, document.activeElement!);
    await key('ArrowUp', {}, document.activeElement!);
    expect(document.activeElement).toBe(title('pubmedqa'));
    await key('ArrowUp', {}, document.activeElement!);
    expect(document.activeElement).toBe(search());
    // In an open note the arrows move the caret.
    await act(() => root.querySelector<HTMLButtonElement>('[data-entry-id="pubmedqa"] .fav-edit-btn')!.click());
    const note = root.querySelector<HTMLTextAreaElement>('[data-entry-id="pubmedqa"] textarea')!;
    expect(document.activeElement).toBe(note);
    await key('ArrowDown', {}, note);
    expect(document.activeElement).toBe(note);
  });

  it('in the detail, Ctrl/⌘+S saves and removes the shown entry as its star does, and the hints say so', async () => {
    await mount();
    expect(root.querySelector('#cmed-keyhints')!.textContent).toBe('↑↓ move · Enter open · ⇧Enter details · Ctrl+S save · Esc clear');
    await type('PubMedQA');
    await key('Enter', { shiftKey: true });
    expect(root.querySelector('#cmed-keyhints')!.textContent).toBe('Esc back · Ctrl+S save or remove');
    const star = () => root.querySelector<HTMLButtonElement>('.cmed-detail .cmed-star')!;
    expect(star().getAttribute('aria-pressed')).toBe('false');
    const h = root.querySelector<HTMLElement>('.cmed-detail h2')!;
    let ev!: KeyboardEvent;
    await act(() => {
      ev = ctrlS(h);
    });
    await flush();
    expect(ev.defaultPrevented).toBe(true);
    expect(calls.filter((c) => c.type === 'favorites:save').map((c) => c.data)).toEqual([{ entryId: 'pubmedqa' }]);
    expect(favorites.has('pubmedqa')).toBe(true);
    expect(star().getAttribute('aria-pressed')).toBe('true');
    // A held key repeats: the repeats change nothing.
    await act(() => {
      ev = ctrlS(h, { repeat: true });
    });
    await flush();
    expect(ev.defaultPrevented).toBe(true);
    expect(calls.filter((c) => c.type.startsWith('favorites:') && c.type !== 'favorites:get')).toHaveLength(1);
    await act(() => {
      ctrlS(h, { ctrlKey: false, metaKey: true });
    });
    await flush();
    expect(calls.at(-1)).toMatchObject({ type: 'favorites:remove', data: { entryIds: ['pubmedqa'] } });
    expect(star().getAttribute('aria-pressed')).toBe('false');
    expect(root.querySelector('.toast-undo')).not.toBeNull();
    await key('Escape', {}, h);
    expect(root.querySelector('#cmed-keyhints')!.textContent).toBe('↑↓ move · Enter open · ⇧Enter details · Ctrl+S save · Esc clear');
  });

  it('back in the catalog from Favorites, a search has its first result active: Ctrl/⌘+S saves the row Enter opens', async () => {
    await mount();
    await type('PubMedQA');
    expect(input().getAttribute('aria-activedescendant')).toBe(options()[0].id);
    await act(() => tab(/Favorites/).click());
    await flush();
    await act(() => tab(/Catalog/).click());
    await flush();
    expect(options()[0].getAttribute('aria-selected')).toBe('true');
    expect(input().getAttribute('aria-activedescendant')).toBe(options()[0].id);
    let ev!: KeyboardEvent;
    await act(() => {
      ev = ctrlS(input());
    });
    await flush();
    expect(ev.defaultPrevented).toBe(true);
    expect(calls.filter((c) => c.type === 'favorites:save').map((c) => c.data)).toEqual([{ entryId: options()[0].dataset.entryId }]);
  });

  it('Ctrl/⌘+S never opens the browser\'s "save page" dialog: in the Favorites tab it does nothing, in a note it saves the note', async () => {
    seed();
    await openFavorites();
    let ev!: KeyboardEvent;
    await act(() => {
      ev = ctrlS(search());
    });
    expect(ev.defaultPrevented).toBe(true);
    await act(() => {
      ev = ctrlS(root.querySelector<HTMLElement>('.fav-open')!, { ctrlKey: false, metaKey: true });
    });
    expect(ev.defaultPrevented).toBe(true);
    expect(calls.filter((c) => c.type !== 'favorites:get' && c.type.startsWith('favorites:'))).toEqual([]);
    const row = () => root.querySelector<HTMLElement>('[data-entry-id="pubmedqa"]')!;
    for (const [k, extra] of [['s', {}], ['Enter', { ctrlKey: false, metaKey: true }]] as const) {
      await act(() => row().querySelector<HTMLButtonElement>('.fav-edit-btn')!.click());
      const note = row().querySelector<HTMLTextAreaElement>('textarea')!;
      await act(() => {
        setField(note, `Saved with ${k}`);
      });
      await act(() => {
        ev = new KeyboardEvent('keydown', { key: k, ctrlKey: true, bubbles: true, cancelable: true, ...extra });
        note.dispatchEvent(ev);
      });
      await flush();
      expect(ev.defaultPrevented).toBe(true);
      expect(calls.filter((c) => c.type === 'favorites:update').at(-1)).toMatchObject({ data: { entryId: 'pubmedqa', note: `Saved with ${k}` } });
      expect(row().querySelector('.fav-note')!.textContent).toBe(`Saved with ${k}`);
      expect(row().querySelector('textarea')).toBeNull();
    }
  });

  it('each tab keeps its own scroll: Favorites opens at its top, and the browse list comes back where it was', async () => {
    seed();
    await mount();
    const body = root.querySelector<HTMLElement>('.body')!;
    body.scrollTop = 900;
    await act(() => tab(/Favorites/).click());
    await flush();
    expect(body.scrollTop).toBe(0);
    body.scrollTop = 40;
    await act(() => tab(/Catalog/).click());
    await flush();
    expect(body.scrollTop).toBe(900);
    await act(() => tab(/Favorites/).click());
    await flush();
    expect(body.scrollTop).toBe(40);
  });

  it('gives truncated titles their full text as a tooltip', async () => {
    vi.spyOn(fakeBrowser.tabs, 'query').mockResolvedValue([{ id: 5, url: 'https://arxiv.org/abs/1909.06146' } as never]);
    await mount();
    const titles = [...root.querySelectorAll<HTMLElement>('.option .option-title')];
    expect(titles.length).toBe(catalog.length);
    for (const el of titles) expect(el.title).toBe(getEntry(el.closest<HTMLElement>('[data-entry-id]')!.dataset.entryId!)!.title);
    expect(root.querySelector<HTMLElement>('.on-page .chip[data-entry-id="pubmedqa"] .chip-title')!.title).toBe(getEntry('pubmedqa')!.title);
    render(null, root);
    favorites = new Map([['gone', { ...fav('meddialog'), entryId: 'gone', title: 'Old Corpus with a very long name', savedAt: 5 }]]);
    await openFavorites();
    expect(root.querySelector<HTMLElement>('[data-entry-id="gone"] .fav-title')!.title).toBe('Old Corpus with a very long name');
  });

  it('points aria-controls only at a list that is there', async () => {
    await mount();
    expect(input().getAttribute('aria-controls')).toBe(root.querySelector('[role="listbox"]')!.id);
    await type('PubMedQA');
    await key('Enter', { shiftKey: true });
    expect(root.querySelector('[role="listbox"]')).toBeNull();
    expect(input().hasAttribute('aria-controls')).toBe(false);
    await key('Escape', {}, document.activeElement!);
    expect(input().getAttribute('aria-controls')).toBe(root.querySelector('[role="listbox"]')!.id);
    // Favorites that could not be read: no list.
    render(null, root);
    const reads = failingFavoritesGet();
    try {
      await openFavorites();
      expect(root.querySelector('.fav-list')).toBeNull();
      expect(search().hasAttribute('aria-controls')).toBe(false);
      reads.recover();
      await act(() => root.querySelector<HTMLButtonElement>('[role="alert"] button')!.click());
      await flush();
      expect(search().getAttribute('aria-controls')).toBe(root.querySelector('.fav-list')!.id);
      await act(() => root.querySelector<HTMLButtonElement>('.fav-open')!.click());
      expect(search().hasAttribute('aria-controls')).toBe(false);
    } finally {
      reads.restore();
    }
  });

  it('keeps a raw error apart from the sentence in the UI language', async () => {
    settings = { ...settings, language: 'zh_CN' };
    const get = handlers['favorites:get'];
    const remove = handlers['favorites:remove']!;
    delete handlers['favorites:get'];
    try {
      await openFavorites();
      const alert = root.querySelector('[role="alert"]')!;
      expect([...alert.children].map((c) => c.textContent)).toEqual(['无法加载收藏', '详细信息：Unknown message "favorites:get"', '重试']);
      handlers['favorites:get'] = get;
      await act(() => alert.querySelector<HTMLButtonElement>('button')!.click());
      await flush();
      handlers['favorites:remove'] = () => {
        throw new Error('quota');
      };
      await act(() => root.querySelector<HTMLButtonElement>('[data-entry-id="meddialog"] .cmed-star')!.click());
      await flush();
      const toast = root.querySelector('.toast')!;
      expect(toast.querySelector('.toast-text')!.firstChild!.textContent).toBe('收藏暂不可用。');
      expect(toast.querySelector('.toast-detail')!.textContent).toBe('详细信息：quota');
    } finally {
      handlers['favorites:get'] = get;
      handlers['favorites:remove'] = remove;
    }
  });

  it('says "1 favorite" for one, in the count of matches', async () => {
    await openFavorites();
    await filter('med');
    expect(status()).toBe('Matching: 1 of 1 favorite');
    await filter('zzz');
    expect(status()).toBe('Matching: 0 of 1 favorite');
    render(null, root);
    seed();
    await openFavorites();
    await filter('ner');
    expect(status()).toBe('Matching: 1 of 3 favorites');
    await filter('zzz');
    expect(status()).toBe('Matching: 0 of 3 favorites');
  });

  it('puts each toast into a live region that was there, empty, before it: a region that comes with its text is not read', async () => {
    await mount('PubMedQA');
    const before = new Map([...root.querySelectorAll('[role="status"]')].map((r) => [r, r.textContent]));
    await act(() => void ctrlS(input()));
    await flush();
    const saved = `Saved “${getEntry('pubmedqa')!.title}” to favorites.`;
    const region = [...before.keys()].find((r) => r.isConnected && r.textContent!.includes(saved));
    expect(region).toBeDefined();
    expect(before.get(region!)).toBe('');
    // The Undo of a removal comes into the same region, and its button can be reached there.
    await act(() => root.querySelector<HTMLElement>('[role="option"][data-entry-id="pubmedqa"]')!.click());
    await act(() => root.querySelector<HTMLButtonElement>('.cmed-detail .cmed-star')!.click());
    await flush();
    expect(region!.textContent).toContain(`Removed “${getEntry('pubmedqa')!.title}” from favorites.`);
    const undo = region!.querySelector<HTMLButtonElement>('.toast-undo')!;
    undo.focus();
    expect(document.activeElement).toBe(undo);
    // Both gone, it stays, empty.
    await key('Escape', {}, undo);
    await act(() => root.querySelector<HTMLButtonElement>('.toast .icon-btn')!.click());
    expect(root.querySelector('.toast')).toBeNull();
    expect(region!.isConnected).toBe(true);
    expect(region!.textContent).toBe('');
  });

  it('keeps a message while the pointer is over it or focus is in it, fading it a few seconds after they leave; Esc there dismisses it', async () => {
    favorites.clear();
    await mount('med');
    vi.useFakeTimers();
    onTestFinished(() => void vi.useRealTimers());
    const tick = (ms: number) => act(async () => void (await vi.advanceTimersByTimeAsync(ms)));
    const message = () => root.querySelector<HTMLElement>('.toast:not(.toast--undo)');
    const [first, second] = options().map((o) => getEntry(o.dataset.entryId!)!.title);
    await act(() => void ctrlS(input()));
    await tick(0);
    expect(message()!.textContent).toContain(`Saved “${first}”`);
    await tick(4000);
    await act(() => void message()!.dispatchEvent(new MouseEvent('mouseenter')));
    await tick(10_000);
    expect(message()).not.toBeNull();
    await act(() => void message()!.dispatchEvent(new MouseEvent('mouseleave')));
    await tick(4000);
    expect(message()).not.toBeNull();
    await tick(1500);
    expect(message()).toBeNull();
    // Focus on its Dismiss holds the next one; Esc there takes it away and focus back to the search box.
    await key('ArrowDown');
    await act(() => void ctrlS(input()));
    await tick(0);
    expect(message()!.textContent).toContain(`Saved “${second}”`);
    const dismiss = message()!.querySelector<HTMLButtonElement>('.icon-btn')!;
    await act(() => dismiss.focus());
    await tick(10_000);
    expect(message()).not.toBeNull();
    expect(document.activeElement).toBe(dismiss);
    await key('Escape', {}, dismiss);
    expect(message()).toBeNull();
    expect(document.activeElement).toBe(input());
    expect(input().value).toBe('med');
  });
});
