// @vitest-environment happy-dom
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { App } from '../../../entrypoints/options/App';
import { catalog } from '../../../utils/catalog';
import { exportJson } from '../../../utils/favorites/export';
import { setLanguage } from '../../../utils/i18n';
import zh from '../../../public/_locales/zh_CN/messages.json';
import { fakeClient, fav, type FakeClient } from './fixtures';

let root: HTMLElement;

async function settle() {
  for (let i = 0; i < 3; i++) await act(async () => new Promise((r) => setTimeout(r, 0)));
}

async function mount(c: FakeClient, opts: { orphans?: string[]; readSettings?: boolean } = {}) {
  const links = (id: string) => (opts.orphans?.includes(id) ? undefined : [{ url: `https://example.org/now/${id}`, type: 'homepage' as const }]);
  await act(() => {
    render(<App client={c} initialSettings={opts.readSettings ? undefined : c.settings} catalogLinks={links} />, root);
  });
  await settle();
}

const $ = <T extends Element = HTMLElement>(sel: string) => root.querySelector<T>(sel);
const $$ = <T extends Element = HTMLElement>(sel: string) => [...root.querySelectorAll<T>(sel)];
const titles = () => $$('.fav-title').map((h) => h.textContent);
const byText = (sel: string, text: string | RegExp) =>
  $$<HTMLElement>(sel).find((el) => (typeof text === 'string' ? el.textContent?.trim() === text : text.test(el.textContent ?? '')));

/** What aria-describedby gives `el` as its description: the text of the elements it names, in order. */
const describedBy = (el: Element) =>
  (el.getAttribute('aria-describedby') ?? '')
    .split(/\s+/)
    .filter(Boolean)
    .map((id) => document.getElementById(id)?.textContent ?? '')
    .join(' ');

async function click(el: Element | undefined | null) {
  if (!el) throw new Error('element not found');
  await act(() => (el as HTMLElement).click());
  await settle();
}

async function type(el: Element | null, value: string) {
  if (!el) throw new Error('element not found');
  const input = el as HTMLInputElement;
  await act(() => {
    input.value = value;
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
  await settle();
}

const three = () => [
  fav('cmeee', { title: 'CMeEE', savedAt: 1_000, note: 'entity baseline', tags: ['NER'] }),
  fav('chip-cdee', { title: 'CHIP-CDEE', savedAt: 3_000, tags: ['events'] }),
  fav('medbert', { title: 'MedBERT', savedAt: 2_000, kind: 'model' }),
];

beforeEach(() => {
  setLanguage('en');
  // Note drafts live in the extension's localStorage, which the options page shares with the popup.
  localStorage.clear();
  root = document.createElement('div');
  document.body.append(root);
});

afterEach(() => {
  render(null, root);
  root.remove();
  document.documentElement.removeAttribute('data-theme');
});

describe('favorites list', () => {
  it('shows favorites newest first with their notes, tags and where they are stored', async () => {
    await mount(fakeClient({ favorites: three() }));
    expect(titles()).toEqual(['CHIP-CDEE', 'MedBERT', 'CMeEE']);
    expect(root.textContent).toContain('entity baseline');
    expect(byText('.tag', '#NER')).toBeTruthy();
    expect($('.area')?.textContent).toBe('Synced');
  });

  it('filters by title, note and tag, and a tag chip filters to that tag', async () => {
    await mount(fakeClient({ favorites: three() }));
    await type($('#fav-search'), 'baseline');
    expect(titles()).toEqual(['CMeEE']);
    await type($('#fav-search'), 'nothing-like-this');
    expect(titles()).toEqual([]);
    expect(root.textContent).toContain('No favorites match');
    await type($('#fav-search'), '');
    await click(byText('.fav .tag', '#events'));
    expect(($('#fav-search') as HTMLInputElement).value).toBe('#events');
    expect(titles()).toEqual(['CHIP-CDEE']);
  });

  it('edits a note and tags through favorites:update', async () => {
    const c = fakeClient({ favorites: three() });
    await mount(c);
    const item = $('[data-entry-id="medbert"]')!;
    await click(byText('[data-entry-id="medbert"] button', 'Add note'));
    expect(document.activeElement?.id).toBe('fav-medbert-note');
    await type(item.querySelector('textarea'), 'strong on CMeEE');
    await type(item.querySelector('input[type="text"]'), 'model, NER，baseline');
    await act(() => void item.querySelector('form')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true })));
    await settle();
    expect(c.calls.find((x) => x.method === 'update')?.args).toEqual(['medbert', { note: 'strong on CMeEE', tags: ['model', 'NER', 'baseline'] }]);
    expect(item.querySelector('.fav-note')?.textContent).toBe('strong on CMeEE');
    expect(item.querySelectorAll('.tag')).toHaveLength(3);
    expect($('[data-testid="toast"]')?.textContent).toContain('Saved note');
  });

  const submitEdit = async (item: Element) => {
    await act(() => void item.querySelector('form')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true })));
    await settle();
  };
  const stored = (c: FakeClient, id: string) => c.favorites.find((f) => f.entryId === id)!;

  it('sends only what was changed, so an edit made elsewhere after the editor opened is kept', async () => {
    const c = fakeClient({ favorites: three() });
    await mount(c);
    await click(byText('[data-entry-id="cmeee"] button', 'Edit note'));
    // The popup adds a tag while this editor is open.
    c.favorites = c.favorites.map((f) => (f.entryId === 'cmeee' ? { ...f, tags: ['NER', 'from-popup'], updatedAt: f.updatedAt + 5000 } : f));
    c.emitChange();
    await settle();
    const item = $('[data-entry-id="cmeee"]')!;
    await type(item.querySelector('textarea'), 'entity baseline, revised');
    await submitEdit(item);
    expect(c.calls.filter((x) => x.method === 'update').map((x) => x.args)).toEqual([['cmeee', { note: 'entity baseline, revised' }]]);
    expect(stored(c, 'cmeee')).toMatchObject({ note: 'entity baseline, revised', tags: ['NER', 'from-popup'] });

    // And the other way round: a tag edit leaves a note written elsewhere meanwhile.
    await click(byText('[data-entry-id="cmeee"] button', 'Edit note'));
    c.favorites = c.favorites.map((f) => (f.entryId === 'cmeee' ? { ...f, note: 'written in the popup' } : f));
    c.emitChange();
    await settle();
    await type($('[data-entry-id="cmeee"] input[type="text"]'), 'NER, from-popup, checked');
    await submitEdit($('[data-entry-id="cmeee"]')!);
    expect(c.calls.filter((x) => x.method === 'update').map((x) => x.args)[1]).toEqual(['cmeee', { tags: ['NER', 'from-popup', 'checked'] }]);
    expect(stored(c, 'cmeee')).toMatchObject({ note: 'written in the popup', tags: ['NER', 'from-popup', 'checked'] });
  });

  it('leaves tags it was not asked to change as they are (commas, case variants, 、)', async () => {
    const odd = ['NER', 'ner', 'a,b', '问答、对话'];
    const c = fakeClient({ favorites: [fav('cmeee', { title: 'CMeEE', note: 'entity baseline', tags: odd })] });
    await mount(c);
    await click(byText('[data-entry-id="cmeee"] button', 'Edit note'));
    const item = $('[data-entry-id="cmeee"]')!;
    await type(item.querySelector('textarea'), 'entity baseline, checked');
    await submitEdit(item);
    expect(c.calls.find((x) => x.method === 'update')?.args).toEqual(['cmeee', { note: 'entity baseline, checked' }]);
    expect(stored(c, 'cmeee').tags).toEqual(odd);
    expect($$('[data-entry-id="cmeee"] .tag').map((el) => el.textContent)).toEqual(odd.map((tag) => `#${tag}`));
  });

  it('rejects markup in a note beside the field, without calling the background', async () => {
    const c = fakeClient({ favorites: three() });
    await mount(c);
    const item = $('[data-entry-id="medbert"]')!;
    await click(byText('[data-entry-id="medbert"] button', 'Add note'));
    await type(item.querySelector('textarea'), '<img src=x onerror=alert(1)>');
    await act(() => void item.querySelector('form')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true })));
    await settle();
    expect(item.querySelector('[role="alert"]')?.textContent).toMatch(/HTML/);
    expect(c.calls.some((x) => x.method === 'update')).toBe(false);
  });

  it('ties a refused note or tags to its field: aria-invalid, and described by the error', async () => {
    const c = fakeClient({ favorites: three() });
    await mount(c);
    const item = $('[data-entry-id="medbert"]')!;
    await click(byText('[data-entry-id="medbert"] button', 'Add note'));
    const note = () => item.querySelector<HTMLTextAreaElement>('textarea')!;
    const tags = () => item.querySelector<HTMLInputElement>('form input[type="text"]')!;
    await type(note(), 'see <b>this</b>');
    await submitEdit(item);
    const alert = item.querySelector('[role="alert"]')!;
    expect(alert.textContent).toMatch(/HTML/);
    expect(note().getAttribute('aria-invalid')).toBe('true');
    expect(describedBy(note())).toBe(alert.textContent);
    expect(document.querySelectorAll(`#${alert.id}`)).toHaveLength(1);
    expect(tags().hasAttribute('aria-invalid')).toBe(false);
    expect(describedBy(tags())).not.toContain(alert.textContent);

    await type(note(), 'see this');
    await type(tags(), 'ner, ' + 'x'.repeat(70));
    await submitEdit(item);
    const tagAlert = item.querySelector('[role="alert"]')!;
    expect(tagAlert.textContent).toMatch(/64 characters/);
    expect(tags().getAttribute('aria-invalid')).toBe('true');
    // The hint on how to write tags stays, after the error.
    expect(describedBy(tags())).toBe(`${tagAlert.textContent} ${item.querySelector('.fav-edit .hint')!.textContent}`);
    expect(note().hasAttribute('aria-invalid')).toBe(false);
    expect(note().hasAttribute('aria-describedby')).toBe(false);
    expect(c.calls.some((x) => x.method === 'update')).toBe(false);
  });

  it('words the reason in the page language (Chinese here), for markup and for too many tags', async () => {
    const c = fakeClient({ favorites: three(), settings: { language: 'zh_CN' } });
    await mount(c);
    const item = $('[data-entry-id="medbert"]')!;
    await click(byText('[data-entry-id="medbert"] button', '添加笔记'));
    const submit = async () => {
      await act(() => void item.querySelector('form')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true })));
      await settle();
      return item.querySelector('[role="alert"]')?.textContent;
    };
    await type(item.querySelector('textarea'), 'compare with <b>BERT</b>');
    expect(await submit()).toBe('无法保存笔记：笔记中不能包含 <b> 之类的 HTML 标签。');
    await type(item.querySelector('textarea'), 'fine');
    await type(item.querySelector('form input[type="text"]'), Array.from({ length: 60 }, (_, i) => `t${i}`).join(','));
    expect(await submit()).toMatch(/^无法保存标签：最多只能有 \d+ 个标签。$/);
    expect(c.calls.some((x) => x.method === 'update')).toBe(false);
  });

  it('refuses a tag longer than the limit beside the field, rather than saving it cut short', async () => {
    const c = fakeClient({ favorites: three() });
    await mount(c);
    const item = $('[data-entry-id="medbert"]')!;
    await click(byText('[data-entry-id="medbert"] button', 'Add note'));
    await type(item.querySelector('form input[type="text"]'), 'ner, ' + 'x'.repeat(70));
    await act(() => void item.querySelector('form')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true })));
    await settle();
    expect(item.querySelector('[role="alert"]')?.textContent).toBe('The tags can’t be saved: a tag is longer than 64 characters.');
    expect(c.calls.some((x) => x.method === 'update')).toBe(false);
  });

  it('Esc that ends an IME composition keeps the form and what was typed; Esc after it closes the form', async () => {
    const c = fakeClient({ favorites: three() });
    await mount(c);
    const item = $('[data-entry-id="medbert"]')!;
    await click(byText('[data-entry-id="medbert"] button', 'Add note'));
    const area = item.querySelector('textarea')!;
    await type(area, '糖尿病');
    await act(() => void area.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', isComposing: true, bubbles: true })));
    expect(item.querySelector('textarea')?.value).toBe('糖尿病');
    await act(() => void area.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true })));
    expect(item.querySelector('textarea')).toBeNull();
  });

  it('Ctrl/⌘+S or Ctrl/⌘+Enter in the form saves the note, instead of the browser saving the page', async () => {
    const c = fakeClient({ favorites: three() });
    await mount(c);
    const item = $('[data-entry-id="medbert"]')!;
    for (const [k, mod] of [['s', { ctrlKey: true }], ['Enter', { metaKey: true }]] as const) {
      await click(byText('[data-entry-id="medbert"] button', /note/));
      const area = item.querySelector('textarea')!;
      await type(area, `saved with ${k}`);
      const ev = new KeyboardEvent('keydown', { key: k, ...mod, bubbles: true, cancelable: true });
      await act(() => void area.dispatchEvent(ev));
      await settle();
      expect(ev.defaultPrevented).toBe(true);
      expect(c.calls.filter((x) => x.method === 'update').at(-1)?.args).toEqual(['medbert', { note: `saved with ${k}` }]);
      expect(item.querySelector('textarea')).toBeNull();
      expect(item.querySelector('.fav-note')?.textContent).toBe(`saved with ${k}`);
    }
  });

  it('a save the background refuses says the note was not saved, in the page language, with its reason', async () => {
    const c = fakeClient({ favorites: three(), settings: { language: 'zh_CN' } });
    c.update = async () => {
      throw new Error('the note and tags take 8,300 bytes');
    };
    await mount(c);
    const item = $('[data-entry-id="medbert"]')!;
    await click(byText('[data-entry-id="medbert"] button', zh.options_addNote.message));
    await type(item.querySelector('textarea'), '长笔记');
    await submitEdit(item);
    expect(item.querySelector('[role="alert"]')?.textContent).toBe(zh.options_noteSaveFailed.message.replace('$1', 'the note and tags take 8,300 bytes'));
    expect(item.querySelector<HTMLTextAreaElement>('textarea')?.value).toBe('长笔记');
  });

  it('refuses beside the field a Chinese note within its characters but too big to sync, in either language', async () => {
    for (const [language, add, expected] of [
      ['en', 'Add note', /^The note can’t be saved: with its tags it takes 9,0\d\d bytes, and one favorite can sync at most 8,\d{3} \(a Chinese character takes 3\)\.$/],
      ['zh_CN', '添加笔记', /^无法保存笔记：连同标签共占 9,?0\d\d 字节，每条收藏最多可同步 8,?\d{3} 字节（一个汉字占 3 字节）。$/],
    ] as const) {
      document.body.innerHTML = '';
      const c = fakeClient({ favorites: three(), settings: { language } });
      await mount(c);
      const item = $('[data-entry-id="medbert"]')!;
      await click(byText('[data-entry-id="medbert"] button', add));
      await type(item.querySelector('textarea'), '糖'.repeat(3000));
      await act(() => void item.querySelector('form')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true })));
      await settle();
      expect(item.querySelector('[role="alert"]')?.textContent).toMatch(expected);
      expect(c.calls.some((x) => x.method === 'update')).toBe(false);
      // Shortened, it saves.
      await type(item.querySelector('textarea'), '糖'.repeat(2000));
      await act(() => void item.querySelector('form')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true })));
      await settle();
      expect(c.calls.find((x) => x.method === 'update')?.args).toEqual(['medbert', { note: '糖'.repeat(2000) }]);
    }
  });

  it('removes several selected favorites and Undo puts them back', async () => {
    const c = fakeClient({ favorites: three() });
    await mount(c);
    for (const id of ['cmeee', 'medbert']) await click($(`#fav-${id}-sel`));
    expect(byText('.bulk-bar button', /Remove 2 selected/)).toBeTruthy();
    await click(byText('.bulk-bar button', /Remove 2 selected/));
    expect(c.calls.find((x) => x.method === 'remove')?.args).toEqual([['medbert', 'cmeee']]);
    expect(titles()).toEqual(['CHIP-CDEE']);
    const region = $('[role="status"][aria-live="polite"].toast-region')!;
    expect(region.textContent).toContain('Removed 2 favorites');
    const undo = byText('.toast button', 'Undo');
    expect(document.activeElement).toBe(undo);
    await click(undo);
    expect(c.calls.find((x) => x.method === 'restore')?.args[0]).toHaveLength(2);
    expect(titles()).toEqual(['CHIP-CDEE', 'MedBERT', 'CMeEE']);
    expect(region.textContent).toContain('Restored 2');
  });

  it('select all follows the search filter', async () => {
    const c = fakeClient({ favorites: three() });
    await mount(c);
    await type($('#fav-search'), 'c');
    const all = $<HTMLInputElement>('.check-all input')!;
    await click(all);
    await type($('#fav-search'), '');
    expect($$<HTMLInputElement>('.fav-check').filter((x) => x.checked)).toHaveLength(2);
    expect(all.indeterminate).toBe(true);
  });

  it('marks favorites whose entry left the catalog and keeps their saved title and links', async () => {
    const gone = fav('retired-set', { title: 'Retired set', links: [{ url: 'https://old.example/retired', type: 'dataset' }] });
    await mount(fakeClient({ favorites: [gone, ...three()] }), { orphans: ['retired-set'] });
    const item = $('[data-entry-id="retired-set"]')!;
    expect(item.querySelector('.orphan-badge')?.textContent).toBe('No longer in the catalog');
    expect(item.querySelector('.fav-title a')?.getAttribute('href')).toBe('https://old.example/retired');
    expect($('[data-entry-id="cmeee"] .orphan-badge')).toBeNull();
    expect($('[data-entry-id="cmeee"] .fav-title a')?.getAttribute('href')).toBe('https://example.org/now/cmeee');
  });

  it('shows store notices with where quarantined data was kept, and dismisses them', async () => {
    const c = fakeClient({
      favorites: three(),
      area: 'local',
      notices: [
        { code: 'sync-quota-fallback', keys: [], detail: 'sync would need 130 KB', at: 1_700_000_000_000 },
        { code: 'corrupt-data-quarantined', id: 'q1', keys: ['fav:quarantine:1700000000'], detail: 'chunk 2 unreadable', at: 1_700_000_000_000 },
      ],
    });
    await mount(c);
    expect($$('.notice')).toHaveLength(2);
    expect(root.textContent).toContain('Favorites moved to this device');
    expect($('.notice[data-code="corrupt-data-quarantined"] code')?.textContent).toBe('fav:quarantine:1700000000');
    expect($('.area')?.textContent).toBe('This device only');
    await click(byText('.notice button', 'Dismiss'));
    expect(c.calls.find((x) => x.method === 'dismissNotice')?.args).toEqual(['q1']);
    expect($$('.notice')).toHaveLength(1);
  });

  it('reloads when storage changes elsewhere (a star in the popup)', async () => {
    const c = fakeClient({ favorites: three() });
    await mount(c);
    c.favorites.push(fav('new-one', { title: 'New one', savedAt: 9_000 }));
    c.emitChange();
    await settle();
    expect(titles()[0]).toBe('New one');
  });

  it('explains an empty list', async () => {
    await mount(fakeClient());
    expect(root.textContent).toContain('No favorites yet');
    expect($$<HTMLButtonElement>('.export-list button').every((b) => b.disabled)).toBe(true);
  });
});

describe('import and export', () => {
  it('exports through a Blob and an <a download> link', async () => {
    const created: Blob[] = [];
    const createURL = vi.spyOn(URL, 'createObjectURL').mockImplementation((b) => {
      created.push(b as Blob);
      return 'blob:test';
    });
    const clicked: HTMLAnchorElement[] = [];
    const clickSpy = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push(this);
    });
    await mount(fakeClient({ favorites: three() }));
    await click($('.export-list button[data-format="json"]'));
    expect(clicked[0].download).toMatch(/\.json$/);
    const json = JSON.parse(await created[0].text());
    expect(json.favorites.map((f: { entryId: string }) => f.entryId).sort()).toEqual(['chip-cdee', 'cmeee', 'medbert']);
    // None of these is citeable: no empty .bib file, and the reason is given.
    await click($('.export-list button[data-format="bibtex"]'));
    expect(clicked).toHaveLength(1);
    expect($('[data-testid="toast"]')?.textContent).toMatch(/nothing to cite/);
    await click($('.export-list button[data-format="csv"]'));
    expect(clicked[1].download).toMatch(/\.csv$/);
    createURL.mockRestore();
    clickSpy.mockRestore();
  });

  it('previews a pasted export before applying it, then imports', async () => {
    const c = fakeClient({ favorites: three() });
    await mount(c);
    const incoming = [
      fav('cmeee', { title: 'CMeEE', savedAt: 1_000, note: 'entity baseline', tags: ['NER'] }),
      fav('medbert', { title: 'MedBERT', savedAt: 2_000, kind: 'model', updatedAt: 1_800_000_000_000, note: 'newer note' }),
      fav('brand-new', { title: 'Brand new', savedAt: 5_000 }),
    ];
    await type($('#import-paste'), exportJson(incoming));
    await click(byText('#import-export button', 'Preview import'));
    const stat = (g: string) => $(`.stat[data-group="${g}"] dd`)?.textContent;
    expect([stat('added'), stat('updated'), stat('unchanged'), stat('unknown')]).toEqual(['1', '1', '1', '0']);
    expect(c.calls.some((x) => x.method === 'importFavorites')).toBe(false);
    await click(byText('#import-export button', 'Apply import'));
    expect(c.calls.find((x) => x.method === 'importFavorites')?.args[0]).toHaveLength(3);
    expect(titles()).toContain('Brand new');
    expect($('[data-testid="import-preview"]')).toBeNull();
  });

  it('resolves a pasted list of ids and links and lists what it did not recognise', async () => {
    const c = fakeClient();
    await mount(c);
    const [a, b] = catalog;
    await type($('#import-paste'), `${a.id}\n${b.links[0].url}\nnot a catalog thing`);
    await click(byText('#import-export button', 'Preview import'));
    const added = $$('.preview-group').find((d) => d.textContent?.startsWith('New'));
    expect(added?.textContent).toContain(a.title);
    expect($('.stat[data-group="unknown"] dd')?.textContent).toBe('1');
    expect(root.textContent).toContain('not a catalog thing');
  });

  it('shows a clear error for malformed JSON and changes nothing', async () => {
    const c = fakeClient({ favorites: three() });
    await mount(c);
    await type($('#import-paste'), '{"format": "cmed-nlp-lens/favorites", "version": 1, "favorites": [');
    await click(byText('#import-export button', 'Preview import'));
    const err = $('[data-testid="import-error"]')!;
    expect(err.getAttribute('role')).toBe('alert');
    expect(err.textContent).toMatch(/not valid JSON/);
    expect(err.textContent).toContain('Nothing was changed');
    expect($('[data-testid="import-preview"]')).toBeNull();
    expect(c.calls.some((x) => x.method === 'importFavorites')).toBe(false);
  });

  it('ties an import error to where the import came from: the paste box or the file input', async () => {
    await mount(fakeClient({ favorites: three() }));
    const paste = $<HTMLTextAreaElement>('#import-paste')!;
    const file = $<HTMLInputElement>('input[type="file"]')!;
    await type(paste, '{"format": "cmed-nlp-lens/favorites", "version": 1, "favorites": [');
    await click(byText('#import-export button', 'Preview import'));
    const text = () => $('[data-testid="import-error"]')!.textContent;
    expect(text()).toMatch(/not valid JSON/);
    expect(paste.getAttribute('aria-invalid')).toBe('true');
    expect(describedBy(paste)).toBe(text());
    expect(file.hasAttribute('aria-invalid')).toBe(false);
    expect(file.hasAttribute('aria-describedby')).toBe(false);

    await chooseFile(new File(['{"favorites": ['], 'broken.json', { type: 'application/json' }));
    expect(text()).toMatch(/broken\.json/);
    expect(file.getAttribute('aria-invalid')).toBe('true');
    expect(describedBy(file)).toBe(text());
    expect(paste.hasAttribute('aria-invalid')).toBe(false);
    expect(paste.hasAttribute('aria-describedby')).toBe(false);

    await type(paste, catalog[0].id);
    await click(byText('#import-export button', 'Preview import'));
    expect($('[data-testid="import-error"]')).toBeNull();
    expect([paste, file].map((el) => [el.hasAttribute('aria-invalid'), el.hasAttribute('aria-describedby')])).toEqual([
      [false, false],
      [false, false],
    ]);
  });

  it('refuses an oversized file before reading it', async () => {
    const c = fakeClient({ favorites: three() });
    await mount(c);
    const input = $<HTMLInputElement>('input[type="file"]')!;
    const big = new File(['x'], 'huge.json', { type: 'application/json' });
    Object.defineProperty(big, 'size', { value: 6 * 1024 * 1024 });
    const text = vi.spyOn(big, 'text');
    const bytes = vi.spyOn(big, 'arrayBuffer');
    Object.defineProperty(input, 'files', { value: [big], configurable: true });
    await act(() => void input.dispatchEvent(new Event('change', { bubbles: true })));
    await settle();
    expect($('[data-testid="import-error"]')?.textContent).toMatch(/huge\.json.*5 MB/);
    expect(text).not.toHaveBeenCalled();
    expect(bytes).not.toHaveBeenCalled();
  });

  async function chooseFile(file: File) {
    const input = $<HTMLInputElement>('input[type="file"]')!;
    Object.defineProperty(input, 'files', { value: [file], configurable: true });
    await act(() => void input.dispatchEvent(new Event('change', { bubbles: true })));
    await settle();
  }
  const utf16le = (s: string) => Uint8Array.from([...s].flatMap((ch) => [ch.charCodeAt(0) & 0xff, ch.charCodeAt(0) >> 8]));

  it('reads a UTF-16 file with a byte-order mark (Notepad’s “Unicode”) like a UTF-8 one', async () => {
    const c = fakeClient();
    await mount(c);
    const [a, b] = catalog;
    await chooseFile(new File([Uint8Array.from([0xff, 0xfe]), utf16le(`${a.id}\r\n${b.links[0].url}\r\n`)], 'list.txt', { type: 'text/plain' }));
    expect($('[data-testid="import-error"]')).toBeNull();
    const stat = (g: string) => $(`.stat[data-group="${g}"] dd`)?.textContent;
    expect([stat('added'), stat('unknown')]).toEqual(['2', '0']);
  });

  it('refuses a file that is not UTF-8 (a JSON export saved as GBK) instead of importing garbled notes', async () => {
    const c = fakeClient({ favorites: three() });
    await mount(c);
    const [head, tail] = exportJson([fav('medbert', { title: 'MedBERT', updatedAt: 1_800_000_000_000, note: '中文' })]).split('中文');
    const enc = new TextEncoder();
    await chooseFile(new File([enc.encode(head), Uint8Array.from([0xd6, 0xd0, 0xce, 0xc4]), enc.encode(tail)], 'gbk.json', { type: 'application/json' }));
    expect($('[data-testid="import-error"]')?.textContent).toContain('“gbk.json”: The file is not UTF-8 text. Save it as UTF-8 and import it again.');
    expect($('[data-testid="import-preview"]')).toBeNull();
    expect(c.calls.some((x) => x.method === 'importFavorites')).toBe(false);
  });

  it('refuses a UTF-16 file without a byte-order mark (NUL characters), in the page language', async () => {
    const c = fakeClient({ settings: { language: 'zh_CN' } });
    await mount(c);
    await chooseFile(new File([utf16le(`${catalog[0].id}\r\n`)], 'list.txt', { type: 'text/plain' }));
    expect($('[data-testid="import-error"]')?.textContent).toContain('“list.txt”：文本中含有 NUL 字符');
    expect($('[data-testid="import-preview"]')).toBeNull();
  });

  it('rejects a hostile file (prototype keys, script links)', async () => {
    const c = fakeClient();
    await mount(c);
    await type($('#import-paste'), '[{"entryId":"x","savedAt":1,"title":"t","kind":"dataset","links":[{"url":"javascript:alert(1)","type":"code"}]}]');
    await click(byText('#import-export button', 'Preview import'));
    expect($('[data-testid="import-error"]')?.textContent).toMatch(/not http/);
    await type($('#import-paste'), '{"__proto__": {"polluted": true}}');
    await click(byText('#import-export button', 'Preview import'));
    expect($('[data-testid="import-error"]')?.textContent).toMatch(/__proto__/);
    expect(c.calls.some((x) => x.method === 'importFavorites')).toBe(false);
  });
});

describe('settings', () => {
  it('applies theme and language at once and saves through settings:set', async () => {
    const c = fakeClient({ favorites: three() });
    await mount(c);
    await click($('input[name="theme"][value="dark"]'));
    expect(document.documentElement.dataset.theme).toBe('dark');
    expect(c.calls.find((x) => x.method === 'setSettings')?.args).toEqual([{ theme: 'dark' }]);
    await click($('input[name="theme"][value="system"]'));
    expect(document.documentElement.hasAttribute('data-theme')).toBe(false);

    await click($('input[name="language"][value="zh_CN"]'));
    expect(document.documentElement.lang).toBe('zh-CN');
    expect($('#favorites-h')?.textContent).toBe('收藏');
    expect($('#settings-h')?.textContent).toBe('设置');
    await click($('input[name="language"][value="en"]'));
    expect($('#favorites-h')?.textContent).toBe('Favorites');
  });

  it('saves site switches and the badge switch', async () => {
    const c = fakeClient();
    await mount(c);
    await click($('input[name="site-github"]'));
    expect(c.settings.sites).toEqual({ arxiv: true, acl: true, github: false });
    await click($('input[name="badge"]'));
    expect(c.settings.badge).toBe(false);
    expect($<HTMLInputElement>('input[name="site-github"]')!.checked).toBe(false);
  });

  it('a site switched off elsewhere stays off when another switch is saved here', async () => {
    const c = fakeClient();
    await mount(c);
    // The popup (or another device) switches GitHub off while this page is open.
    c.settings = { ...c.settings, sites: { ...c.settings.sites, github: false } };
    c.emitChange();
    await settle();
    expect($<HTMLInputElement>('input[name="site-github"]')!.checked).toBe(false);
    await click($('input[name="site-arxiv"]'));
    expect(c.settings.sites).toEqual({ arxiv: false, acl: true, github: false });
    expect(c.calls.filter((x) => x.method === 'setSettings').map((x) => x.args[0])).toEqual([{ sites: { arxiv: false } }]);
    expect($<HTMLInputElement>('input[name="site-arxiv"]')!.checked).toBe(false);
    expect($<HTMLInputElement>('input[name="site-acl"]')!.checked).toBe(true);
  });

  it('brings favorites and settings back with Try again after both failed to load', async () => {
    const c = fakeClient({ favorites: three() });
    const getFavorites = c.getFavorites;
    const getSettings = c.getSettings;
    c.getFavorites = async () => {
      throw new Error('storage is busy');
    };
    c.getSettings = async () => {
      throw new Error('storage is busy');
    };
    await mount(c, { readSettings: true });
    expect($('[role="alert"]')?.textContent).toContain('storage is busy');
    expect($('input[name="site-github"]')).toBeNull();
    c.getFavorites = getFavorites;
    c.getSettings = getSettings;
    await click(byText('[role="alert"] button', 'Try again'));
    await settle();
    expect($('[role="alert"]')).toBeNull();
    expect(titles()).toHaveLength(3);
    expect($<HTMLInputElement>('input[name="site-github"]')!.checked).toBe(true);
  });

  it('rolls back and says so when saving fails', async () => {
    const c = fakeClient();
    c.setSettings = async () => {
      throw new Error('quota');
    };
    await mount(c);
    await click($('input[name="theme"][value="dark"]'));
    expect(document.documentElement.hasAttribute('data-theme')).toBe(false);
    expect($<HTMLInputElement>('input[name="theme"][value="system"]')!.checked).toBe(true);
    expect($('[data-testid="toast"]')?.textContent).toContain('quota');
  });

  it('every control has an accessible name and sits in a labelled group', async () => {
    // Every element that listens for clicks, recorded as Preact attaches the handlers.
    const clickable = new Set<EventTarget>();
    // The DOM's own EventTarget (happy-dom's, not Node's global one).
    let proto: EventTarget = document.createElement('button');
    while (!Object.prototype.hasOwnProperty.call(proto, 'addEventListener')) proto = Object.getPrototypeOf(proto) as EventTarget;
    const add = proto.addEventListener;
    const spy = vi.spyOn(proto, 'addEventListener').mockImplementation(function (this: EventTarget, type, ...rest) {
      if (type === 'click') clickable.add(this);
      return add.call(this, type, ...rest);
    });
    try {
      await mount(fakeClient({ favorites: three() }));
    } finally {
      spy.mockRestore();
    }
    for (const fs of $$('fieldset')) expect(fs.querySelector('legend')?.textContent?.trim()).toBeTruthy();
    for (const input of $$<HTMLInputElement>('input, textarea')) {
      const named = input.closest('label') || input.getAttribute('aria-labelledby') || input.getAttribute('aria-label') || (input.id && $(`label[for="${input.id}"]`));
      expect(named, input.outerHTML).toBeTruthy();
    }
    // Clicks are taken only by elements the keyboard reaches and assistive technology names as controls.
    const elements = [...clickable].filter((t): t is Element => t instanceof Element);
    expect(elements.length).toBeGreaterThan(0);
    expect(elements.filter((el) => !['BUTTON', 'A', 'INPUT', 'SELECT', 'SUMMARY', 'LABEL'].includes(el.tagName)).map((el) => el.outerHTML.slice(0, 80))).toEqual([]);
  });
});

const toast = () => $('[data-testid="toast"] .toast-text')?.textContent;
const lost = () => document.activeElement === document.body || document.activeElement === null;

describe('state that follows favorites changed elsewhere', () => {
  it('a favorite removed elsewhere and saved again comes back unselected', async () => {
    const c = fakeClient({ favorites: three() });
    await mount(c);
    await click($('#fav-cmeee-sel'));
    await click($('#fav-medbert-sel'));
    const saved = c.favorites.find((f) => f.entryId === 'cmeee')!;
    c.favorites = c.favorites.filter((f) => f.entryId !== 'cmeee');
    await act(() => c.emitChange());
    await settle();
    c.favorites.push({ ...saved, savedAt: 9_000 });
    await act(() => c.emitChange());
    await settle();
    expect(($('#fav-cmeee-sel') as HTMLInputElement).checked).toBe(false);
    expect(($('#fav-medbert-sel') as HTMLInputElement).checked).toBe(true);
  });

  it('an import preview is worked out again when favorites change, and so is whether Apply has anything to do', async () => {
    const c = fakeClient({ favorites: three() });
    await mount(c);
    await type($('#import-paste'), exportJson(three()));
    await click(byText('#import-export button', 'Preview import'));
    const apply = () => byText('.import-preview button', /Apply/) as HTMLButtonElement;
    expect(apply().disabled).toBe(true);
    const heading = document.activeElement;
    c.favorites = c.favorites.filter((f) => f.entryId !== 'cmeee');
    await act(() => c.emitChange());
    await settle();
    // CMeEE was removed meanwhile: applying now brings it back.
    expect(apply().disabled).toBe(false);
    expect($('.import-preview summary')?.textContent).toMatch(/1/);
    // The preview worked out again keeps focus where it was.
    expect(document.activeElement).toBe(heading);
  });

  it('a plain toast stays while focus is on it, and fades once focus leaves', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    try {
      const c = fakeClient({ favorites: three() });
      await mount(c);
      const badge = $<HTMLInputElement>('input[name="badge"]')!;
      await click(badge);
      expect($('[data-testid="toast"]')?.textContent).toMatch(/saved/i);
      const close = $<HTMLButtonElement>('.toast .btn-icon')!;
      close.focus();
      await act(() => void vi.advanceTimersByTime(9_000));
      expect($('[data-testid="toast"]')).not.toBeNull();
      expect(document.activeElement).toBe(close);
      badge.focus();
      await act(() => void vi.advanceTimersByTime(1_500));
      expect($('[data-testid="toast"]')).toBeNull();
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('focus after a button that removes itself', () => {
  it('Cancel and Apply import in the preview leave focus on the import section heading', async () => {
    await mount(fakeClient({ favorites: three() }));
    await type($('#import-paste'), catalog[0].id);
    await click(byText('#import-export button', 'Preview import'));
    const cancel = byText('.import-preview button', 'Cancel')!;
    cancel.focus();
    await click(cancel);
    expect($('[data-testid="import-preview"]')).toBeNull();
    expect(lost()).toBe(false);
    expect(document.activeElement?.id).toBe('io-h');

    await type($('#import-paste'), catalog[0].id);
    await click(byText('#import-export button', 'Preview import'));
    const apply = byText('.import-preview button', 'Apply import')!;
    apply.focus();
    await click(apply);
    expect($('[data-testid="import-preview"]')).toBeNull();
    expect(titles()).toContain(catalog[0].title);
    expect(document.activeElement?.id).toBe('io-h');
  });

  it('Clear search gives focus to the search box', async () => {
    await mount(fakeClient({ favorites: three() }));
    await type($('#fav-search'), 'nothing-like-this');
    const clear = byText('button', 'Clear search')!;
    clear.focus();
    await click(clear);
    expect(titles()).toHaveLength(3);
    expect(document.activeElement).toBe($('#fav-search'));
  });

  it('Clear selection gives focus to the select-all box', async () => {
    await mount(fakeClient({ favorites: three() }));
    await click($('#fav-cmeee-sel'));
    const clear = byText('.bulk-bar button', 'Clear selection')!;
    clear.focus();
    await click(clear);
    expect($$<HTMLInputElement>('.fav-check').filter((x) => x.checked)).toHaveLength(0);
    expect(document.activeElement).toBe($('.check-all input'));
  });

  it('Dismiss on a notice moves focus to the next notice’s Dismiss, then to the favorites heading', async () => {
    const c = fakeClient({
      favorites: three(),
      notices: [
        { code: 'corrupt-data-quarantined', id: 'q1', keys: ['fav:quarantine:1'], detail: 'chunk 1 unreadable', at: 1_700_000_000_000 },
        { code: 'corrupt-data-quarantined', id: 'q2', keys: ['fav:quarantine:2'], detail: 'chunk 2 unreadable', at: 1_700_000_000_000 },
      ],
    });
    await mount(c);
    const first = $$<HTMLButtonElement>('.notice-dismiss')[0];
    first.focus();
    await click(first);
    expect($$('.notice')).toHaveLength(1);
    expect(lost()).toBe(false);
    expect(document.activeElement).toBe($('.notice-dismiss'));
    await click($('.notice-dismiss'));
    expect($$('.notice')).toHaveLength(0);
    expect(document.activeElement?.id).toBe('favorites-h');
  });

  it('the toast’s × gives focus back to where it was before the toast took it, else to the favorites heading', async () => {
    await mount(fakeClient({ favorites: three() }));
    const search = $<HTMLInputElement>('#fav-search')!;
    search.focus();
    // A click that does not move focus (as a pointer click on some platforms): focus was in the search box.
    await click(byText('[data-entry-id="medbert"] button', 'Remove'));
    expect(document.activeElement).toBe(byText('.toast button', 'Undo'));
    const close = $<HTMLButtonElement>('.toast .btn-icon')!;
    close.focus();
    await click(close);
    expect($('[data-testid="toast"]')).toBeNull();
    expect(document.activeElement).toBe(search);

    const remove = byText('[data-entry-id="cmeee"] button', 'Remove')!;
    remove.focus();
    await click(remove);
    $<HTMLButtonElement>('.toast .btn-icon')!.focus();
    await click($('.toast .btn-icon'));
    expect(lost()).toBe(false);
    expect(document.activeElement?.id).toBe('favorites-h');
  });

  it('Esc in a toast closes it as its × does: an Undo without undoing, focus going back, never to the page’s body', async () => {
    const c = fakeClient({ favorites: three() });
    await mount(c);
    const esc = async () => {
      const ev = new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, cancelable: true });
      await act(() => void document.activeElement!.dispatchEvent(ev));
      await settle();
      return ev.defaultPrevented;
    };
    const search = $<HTMLInputElement>('#fav-search')!;
    search.focus();
    await click(byText('[data-entry-id="medbert"] button', 'Remove'));
    expect(document.activeElement).toBe(byText('.toast button', 'Undo'));
    expect(await esc()).toBe(true);
    expect($('[data-testid="toast"]')).toBeNull();
    expect(c.calls.some((x) => x.method === 'restore')).toBe(false);
    expect(titles()).not.toContain('MedBERT');
    expect(document.activeElement).toBe(search);

    // The row whose Remove had focus is gone: focus goes to the favorites heading.
    const remove = byText('[data-entry-id="cmeee"] button', 'Remove')!;
    remove.focus();
    await click(remove);
    await esc();
    expect($('[data-testid="toast"]')).toBeNull();
    expect(lost()).toBe(false);
    expect(document.activeElement?.id).toBe('favorites-h');

    // A message's toast too, from its ×.
    await click($('input[name="badge"]'));
    $<HTMLButtonElement>('.toast .btn-icon')!.focus();
    await esc();
    expect($('[data-testid="toast"]')).toBeNull();
    expect(lost()).toBe(false);
  });

  it('Try again, once the favorites load, gives focus to the favorites heading', async () => {
    const c = fakeClient({ favorites: three() });
    const getFavorites = c.getFavorites;
    c.getFavorites = async () => {
      throw new Error('storage is busy');
    };
    await mount(c);
    c.getFavorites = getFavorites;
    const retry = byText('[role="alert"] button', 'Try again')!;
    retry.focus();
    await click(retry);
    expect($('[role="alert"]')).toBeNull();
    expect(lost()).toBe(false);
    expect(document.activeElement?.id).toBe('favorites-h');
  });
});

describe('import and export: state after errors', () => {
  it('clears the file input after a refused file, so choosing the same file again is a change', async () => {
    await mount(fakeClient({ favorites: three() }));
    const input = $<HTMLInputElement>('input[type="file"]')!;
    const proto = Object.getPrototypeOf(input) as object;
    let holder: object | null = proto;
    while (holder && !Object.getOwnPropertyDescriptor(holder, 'value')) holder = Object.getPrototypeOf(holder) as object | null;
    const desc = Object.getOwnPropertyDescriptor(holder!, 'value')!;
    const sets: string[] = [];
    Object.defineProperty(input, 'value', {
      configurable: true,
      get: () => desc.get!.call(input),
      set: (v: string) => {
        sets.push(v);
        desc.set!.call(input, v);
      },
    });
    const big = new File(['x'], 'huge.json', { type: 'application/json' });
    Object.defineProperty(big, 'size', { value: 6 * 1024 * 1024 });
    Object.defineProperty(input, 'files', { value: [big], configurable: true });
    await act(() => void input.dispatchEvent(new Event('change', { bubbles: true })));
    await settle();
    expect($('[data-testid="import-error"]')?.textContent).toMatch(/huge\.json/);
    expect($('.file-name')?.textContent).toBe('huge.json');
    expect(sets).toContain('');
  });

  it('keeps the selection when removing the selected favorites fails', async () => {
    const c = fakeClient({ favorites: three() });
    c.remove = async () => {
      throw new Error('storage busy');
    };
    await mount(c);
    for (const id of ['cmeee', 'medbert']) await click($(`#fav-${id}-sel`));
    await click(byText('.bulk-bar button', /Remove 2 selected/));
    expect(toast()).toContain('storage busy');
    expect(titles()).toHaveLength(3);
    expect($$<HTMLInputElement>('.fav-check').filter((x) => x.checked)).toHaveLength(2);
    expect(byText('.bulk-bar button', /Remove 2 selected/)).toBeTruthy();
  });

  it('shows an error from Apply import beside the preview’s buttons, as an alert', async () => {
    const c = fakeClient({ favorites: three() });
    c.importFavorites = async () => {
      throw new Error('storage busy');
    };
    await mount(c);
    await type($('#import-paste'), catalog[0].id);
    await click(byText('#import-export button', 'Preview import'));
    await click(byText('.import-preview button', 'Apply import'));
    const err = $('.import-preview [data-testid="import-error"]');
    expect(err?.textContent).toContain('storage busy');
    expect(err?.getAttribute('role')).toBe('alert');
    // Right after the buttons, not above the preview.
    expect(err?.previousElementSibling?.classList.contains('form-actions')).toBe(true);
    expect($$('[data-testid="import-error"]')).toHaveLength(1);
  });
});

describe('wording', () => {
  it('says “favorite” for one: restored, exported, export lede and the preview’s hint', async () => {
    vi.spyOn(URL, 'createObjectURL').mockImplementation(() => 'blob:test');
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined);
    try {
      await mount(fakeClient({ favorites: [fav('cmeee', { title: 'CMeEE' })] }));
      expect($('#import-export .hint')?.textContent).toBe('Download your 1 favorite as a file.');
      await click($('.export-list button[data-format="json"]'));
      expect(toast()).toBe('Exported 1 favorite.');
      await type($('#import-paste'), catalog[0].id);
      await click(byText('#import-export button', 'Preview import'));
      expect($('.import-preview')?.textContent).toContain('Applying will add or update 1 favorite. Nothing is removed.');
      await click(byText('.import-preview button', 'Cancel'));
      await click(byText('[data-entry-id="cmeee"] button', 'Remove'));
      await click(byText('.toast button', 'Undo'));
      expect(toast()).toBe('Restored 1 favorite.');
    } finally {
      vi.restoreAllMocks();
    }
  });

  it('words every import error in the page language (Chinese here), with the parser’s technical part as details', async () => {
    await mount(fakeClient({ favorites: three(), settings: { language: 'zh_CN' } }));
    const preview = async (text: string) => {
      await type($('#import-paste'), text);
      await click(byText('#import-export button', '预览导入'));
      return $('[data-testid="import-error"]')!.textContent ?? '';
    };
    const json = await preview('{"format": "cmed-nlp-lens/favorites", "version": 1, "favorites": [');
    expect(json).not.toMatch(/The file looks like JSON/);
    expect(json).toContain(zh.options_importInvalidJson.message);
    expect(json).toContain(zh.options_errorDetail.message.replace('$1', ''));
    expect(await preview('{"hello": "world"}')).toContain(zh.options_importNotExport.message);
    expect(await preview('{"format":"cmed-nlp-lens/favorites","version":9,"favorites":[]}')).toContain(zh.options_importNewerVersion.message.replace('$1', '9'));
    expect(await preview('x'.repeat(3000))).toContain(zh.options_importLineTooLong.message.replace('$1', '1').replace('$2', '3000').replace('$3', '2048'));
    const hostile = await preview('[{"entryId":"x","savedAt":1,"title":"t","kind":"dataset","links":[{"url":"javascript:alert(1)","type":"code"}]}]');
    expect(hostile).toContain(zh.options_importInvalidFavoriteId.message.replace('$1', '1').replace('$2', 'x'));
    expect(hostile).toMatch(/not http/);
    // Nothing left in English outside the details.
    for (const text of [json, hostile]) expect(text.split(zh.options_errorDetail.message.replace('$1', ''))[0]).not.toMatch(/[a-z]{3,}/);
  });

  it('switching language re-words the import preview and the import error', async () => {
    const c = fakeClient({ favorites: three() });
    await mount(c);
    await type($('#import-paste'), exportJson([fav('medbert', { title: 'MedBERT', savedAt: 2_000, kind: 'model', updatedAt: 1_800_000_000_000, note: 'newer note', tags: ['newer'] })]));
    await click(byText('#import-export button', 'Preview import'));
    expect($('.import-preview')?.textContent).toContain('newer note');
    await click($('input[name="language"][value="zh_CN"]'));
    expect($('.import-preview')?.textContent).toContain(zh.options_previewNoteChanged.message);
    // Chinese brackets around a group's count, and 、 between the changes listed.
    expect($('.import-preview summary')?.textContent).toBe(`${zh.options_preview_updated.message}（1）`);
    expect($('.import-preview')?.textContent).toContain(`${zh.options_previewNoteChanged.message}、`);

    await type($('#import-paste'), '{"hello": "world"}');
    await click(byText('#import-export button', '预览导入'));
    expect($('[data-testid="import-error"]')?.textContent).toContain(zh.options_importNotExport.message);
    await click($('input[name="language"][value="en"]'));
    expect($('[data-testid="import-error"]')?.textContent).toContain('This JSON file is not a favorites export of this extension.');
  });

  it('a store notice’s body is in the page language; the store’s own text is only a details line where it adds something', async () => {
    const c = fakeClient({
      favorites: three(),
      area: 'local',
      settings: { language: 'zh_CN' },
      notices: [
        { code: 'sync-quota-fallback', keys: ['fav:local'], detail: 'Your 1 favorites no longer fit in sync storage (favorites need 9000 bytes of sync storage; 8000 are available).', at: 1_700_000_000_000 },
        { code: 'corrupt-data-quarantined', id: 'q1', keys: ['fav:quarantine:1'], detail: 'The cache of saved titles and links could not be read.', at: 1_700_000_000_000 },
      ],
    });
    await mount(c);
    const quota = $('.notice[data-code="sync-quota-fallback"]')!.textContent ?? '';
    expect(quota).toContain(zh.options_noticeQuotaBody.message);
    expect(quota).not.toContain('Your 1 favorites');
    const corrupt = $('.notice[data-code="corrupt-data-quarantined"]')!.textContent ?? '';
    expect(corrupt).toContain(zh.options_noticeCorruptBody.message);
    expect(corrupt).toContain(zh.options_errorDetail.message.replace('$1', 'The cache of saved titles and links could not be read.'));
  });
});

describe('Undo', () => {
  it('runs once however often it is activated while it runs', async () => {
    const c = fakeClient({ favorites: three() });
    await mount(c);
    await click(byText('[data-entry-id="medbert"] button', 'Remove'));
    const undo = byText('.toast button', 'Undo')!;
    await act(() => {
      undo.click();
      undo.click();
    });
    await settle();
    expect(c.calls.filter((x) => x.method === 'restore')).toHaveLength(1);
    expect(titles()).toHaveLength(3);
    expect(toast()).toMatch(/^Restored 1 /);
    expect(document.activeElement?.id).toBe('favorites-h');
  });
});

describe('Undo beside other messages', () => {
  const texts = () => $$('[data-testid="toast"] .toast-text').map((e) => e.textContent);
  it('keeps a removal\'s Undo when another message comes (an export after the removal), and Undo still works', async () => {
    vi.spyOn(URL, 'createObjectURL').mockImplementation(() => 'blob:test');
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined);
    try {
      const c = fakeClient({ favorites: three() });
      await mount(c);
      await click(byText('[data-entry-id="medbert"] button', 'Remove'));
      await click($('.export-list button[data-format="json"]'));
      expect(texts()).toEqual(['Removed “MedBERT”.', 'Exported 2 favorites.']);
      await click(byText('.toast button', 'Undo'));
      expect(c.calls.filter((x) => x.method === 'restore')).toHaveLength(1);
      expect(texts()).toEqual(['Restored 1 favorite.']);
      expect(titles()).toHaveLength(3);
    } finally {
      vi.restoreAllMocks();
    }
  });

  it('an Undo that finishes after another removal leaves that removal\'s Undo, and the keyboard on it', async () => {
    const c = fakeClient({ favorites: three() });
    let release!: () => void;
    const restore = c.restore.bind(c);
    c.restore = async (favs) => {
      await new Promise<void>((r) => (release = r));
      return restore(favs);
    };
    await mount(c);
    await click(byText('[data-entry-id="medbert"] button', 'Remove'));
    await click(byText('.toast button', 'Undo'));
    // While MedBERT's restore is on its way, CMeEE is removed: its Undo takes the keyboard.
    await click(byText('[data-entry-id="cmeee"] button', 'Remove'));
    const second = byText('.toast button', 'Undo');
    expect(document.activeElement).toBe(second);
    release();
    await settle();
    expect(texts()).toEqual(['Removed “CMeEE”.', 'Restored 1 favorite.']);
    expect(byText('.toast button', 'Undo')).toBe(second);
    expect(document.activeElement).toBe(second);
  });
});

describe('Undo of several removals', () => {
  const texts = () => $$('[data-testid="toast"] .toast-text').map((e) => e.textContent);
  it('a removal while an Undo shows joins it: one Undo brings both back, with their notes', async () => {
    const c = fakeClient({ favorites: three() });
    await mount(c);
    await click(byText('[data-entry-id="cmeee"] button', 'Remove'));
    await click(byText('[data-entry-id="medbert"] button', 'Remove'));
    expect(texts()).toEqual(['Removed 2 favorites.']);
    expect($$('.toast button').filter((b) => b.textContent === 'Undo')).toHaveLength(1);
    await click(byText('.toast button', 'Undo'));
    expect(c.calls.filter((x) => x.method === 'restore').map((x) => (x.args[0] as { entryId: string }[]).map((f) => f.entryId))).toEqual([['cmeee', 'medbert']]);
    expect(titles()).toEqual(['CHIP-CDEE', 'MedBERT', 'CMeEE']);
    expect(root.textContent).toContain('entity baseline');
    // Closed, an Undo takes no more: the next removal has one of its own.
    await click(byText('[data-entry-id="cmeee"] button', 'Remove'));
    await click($('.toast button[aria-label="Dismiss"]'));
    await click(byText('[data-entry-id="medbert"] button', 'Remove'));
    expect(texts()).toEqual(['Removed “MedBERT”.']);
  });

  it('a failed Undo stays, says why, and works when tried again', async () => {
    const c = fakeClient({ favorites: three() });
    const restore = c.restore.bind(c);
    let fail = true;
    c.restore = async (favs) => {
      if (fail) {
        fail = false;
        throw new Error('Could not establish connection');
      }
      return restore(favs);
    };
    await mount(c);
    await click(byText('[data-entry-id="medbert"] button', 'Remove'));
    await click(byText('.toast button', 'Undo'));
    expect(texts()).toEqual(['Removed “MedBERT”.', expect.stringContaining('Could not establish connection')]);
    expect(titles()).toEqual(['CHIP-CDEE', 'CMeEE']);
    // A removal now still joins the Undo that failed.
    await click(byText('[data-entry-id="cmeee"] button', 'Remove'));
    expect(texts()[0]).toBe('Removed 2 favorites.');
    await click(byText('.toast button', 'Undo'));
    expect(titles()).toEqual(['CHIP-CDEE', 'MedBERT', 'CMeEE']);
    expect(texts()).toEqual(['Restored 2 favorites.']);
  });
});

describe('the note editor while its save runs', () => {
  const submit = async (item: Element) => {
    await act(() => void item.querySelector('form')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true })));
    await settle();
  };
  /** A client whose note saves wait until `fail` is called, and then fail with its reason. */
  function slowFailingUpdate(c: FakeClient) {
    const pending: ((err: Error) => void)[] = [];
    c.update = (id, patch) => {
      c.calls.push({ method: 'update', args: [id, patch] });
      return new Promise((_, reject) => pending.push(reject));
    };
    return { fail: (reason: string) => pending.shift()!(new Error(reason)) };
  }

  it('keeps the form while a save is on its way: Esc and Cancel wait, and a failure shows beside what was typed', async () => {
    const c = fakeClient({ favorites: three() });
    const slow = slowFailingUpdate(c);
    await mount(c);
    const item = $('[data-entry-id="medbert"]')!;
    await click(byText('[data-entry-id="medbert"] button', 'Add note'));
    await type(item.querySelector('textarea'), 'strong on CMeEE');
    await submit(item);
    expect(c.calls.filter((x) => x.method === 'update')).toHaveLength(1);
    const area = item.querySelector('textarea')!;
    await act(() => void area.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, cancelable: true })));
    await click(byText('[data-entry-id="medbert"] .fav-edit button', 'Cancel'));
    expect(item.querySelector('textarea')?.value).toBe('strong on CMeEE');
    await act(() => slow.fail('sync quota reached'));
    await settle();
    expect(item.querySelector('textarea')?.value).toBe('strong on CMeEE');
    expect(item.querySelector('[role="alert"]')?.textContent).toBe('Couldn’t save the note: sync quota reached');
    // Once the save has failed, Cancel closes the form as ever.
    await click(byText('[data-entry-id="medbert"] .fav-edit button', 'Cancel'));
    expect(item.querySelector('textarea')).toBeNull();
  });

  it('Save keeps keyboard focus while its save runs (aria-disabled, not disabled) and ignores presses meanwhile', async () => {
    const c = fakeClient({ favorites: three() });
    const slow = slowFailingUpdate(c);
    await mount(c);
    const item = $('[data-entry-id="medbert"]')!;
    await click(byText('[data-entry-id="medbert"] button', 'Add note'));
    await type(item.querySelector('textarea'), 'strong on CMeEE');
    const save = byText('[data-entry-id="medbert"] .fav-edit button', 'Save') as HTMLButtonElement;
    save.focus();
    await click(save);
    // A disabled button loses focus to the page's body in browsers; this one stays usable to focus.
    expect(save.disabled).toBe(false);
    expect(save.getAttribute('aria-disabled')).toBe('true');
    expect(document.activeElement).toBe(save);
    await click(save);
    await act(() => void item.querySelector('textarea')!.dispatchEvent(new KeyboardEvent('keydown', { key: 's', ctrlKey: true, bubbles: true, cancelable: true })));
    await settle();
    expect(c.calls.filter((x) => x.method === 'update')).toHaveLength(1);
    await act(() => slow.fail('storage busy'));
    await settle();
    expect(save.getAttribute('aria-disabled')).toBeNull();
    expect(document.activeElement).toBe(save);
  });
});

describe('note drafts on the options page', () => {
  it('a row the search hides and brings back shows its form again with what was typed, marked as not saved', async () => {
    const c = fakeClient({ favorites: three() });
    await mount(c);
    await click(byText('[data-entry-id="cmeee"] button', 'Edit note'));
    await type($('[data-entry-id="cmeee"] textarea'), 'entity baseline, half a thought');
    await type($('[data-entry-id="cmeee"] input[type="text"]'), 'NER, todo');
    // Typing in the search box hides the row, and clearing it brings the row back.
    $<HTMLInputElement>('#fav-search')!.focus();
    await type($('#fav-search'), 'MedBERT');
    expect(titles()).toEqual(['MedBERT']);
    await type($('#fav-search'), '');
    const item = $('[data-entry-id="cmeee"]')!;
    expect(item.querySelector('textarea')?.value).toBe('entity baseline, half a thought');
    expect(item.querySelector<HTMLInputElement>('input[type="text"]')?.value).toBe('NER, todo');
    expect(item.querySelector('.fav-draft')?.textContent).toBe('Not saved yet: this is what you typed earlier.');
    // Focus stays in the search box, where the reader is typing.
    expect(document.activeElement?.id).toBe('fav-search');
    // A tag chip hides it too; the typed text waits as before. Saving sends what was typed.
    await click(byText('[data-entry-id="chip-cdee"] .tag', '#events'));
    expect(titles()).toEqual(['CHIP-CDEE']);
    await click(byText('.tag-filter .tag', /#events/));
    await act(() => void $('[data-entry-id="cmeee"] form')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true })));
    await settle();
    expect(c.calls.find((x) => x.method === 'update')?.args).toEqual(['cmeee', { note: 'entity baseline, half a thought', tags: ['NER', 'todo'] }]);
    // Saved: hidden and shown again, the row has no form.
    await type($('#fav-search'), 'MedBERT');
    await type($('#fav-search'), '');
    expect($('[data-entry-id="cmeee"] textarea')).toBeNull();
  });

  it('says when a kept draft would replace a note changed elsewhere meanwhile, in either language', async () => {
    for (const [language, changed] of [
      ['en', 'Not saved yet: this is what you typed earlier. It was changed elsewhere since; saving replaces that.'],
      ['zh_CN', zh.editor_draftRestoredChanged.message],
    ] as const) {
      localStorage.clear();
      render(null, root);
      const c = fakeClient({ favorites: three(), settings: { language } });
      await mount(c);
      await click($('[data-entry-id="cmeee"] .fav-actions button'));
      await type($('[data-entry-id="cmeee"] textarea'), 'typed here');
      await type($('#fav-search'), 'MedBERT');
      // The popup saves another note meanwhile.
      c.favorites = c.favorites.map((f) => (f.entryId === 'cmeee' ? { ...f, note: 'written in the popup', updatedAt: f.updatedAt + 5000 } : f));
      await act(() => c.emitChange());
      await settle();
      await type($('#fav-search'), '');
      expect($<HTMLTextAreaElement>('[data-entry-id="cmeee"] textarea')?.value).toBe('typed here');
      expect($('[data-entry-id="cmeee"] .fav-draft')?.textContent).toBe(changed);
    }
  });

  it('a draft waits for its favorite’s Undo: removed and brought back, the favorite opens with what was typed in it', async () => {
    const c = fakeClient({ favorites: three() });
    await mount(c);
    await click(byText('[data-entry-id="cmeee"] button', 'Edit note'));
    await type($('[data-entry-id="cmeee"] textarea'), 'half a thought');
    await click(byText('[data-entry-id="cmeee"] button', 'Remove'));
    expect(titles()).not.toContain('CMeEE');
    await click(byText('[data-testid="toast"] button', 'Undo'));
    expect(titles()).toContain('CMeEE');
    expect($<HTMLTextAreaElement>('[data-entry-id="cmeee"] textarea')?.value).toBe('half a thought');
  });
});

describe('removal, preview and refusal wording', () => {
  const toast = () => $('[data-testid="toast"] .toast-text')?.textContent ?? '';

  it('a removal that finds the favorites already removed elsewhere offers no Undo and does not say "Removed 0"', async () => {
    const c = fakeClient({ favorites: three() });
    await mount(c);
    // Removed in the popup a moment ago; this page has not heard yet.
    c.favorites = c.favorites.filter((f) => f.entryId !== 'cmeee');
    await click(byText('[data-entry-id="cmeee"] button', 'Remove'));
    expect(c.calls.find((x) => x.method === 'remove')?.args).toEqual([['cmeee']]);
    expect(toast()).not.toMatch(/Removed/);
    expect(toast()).toBe('Already removed elsewhere.');
    expect(byText('[data-testid="toast"] button', 'Undo')).toBeUndefined();
    expect(titles()).toEqual(['CHIP-CDEE', 'MedBERT']);
    // Focus does not fall to the page's body with the row's Remove button.
    expect(document.activeElement?.id).toBe('favorites-h');
  });

  it('a preview group longer than it lists says how many more it holds', async () => {
    const c = fakeClient();
    await mount(c);
    const incoming = Array.from({ length: 230 }, (_, i) => fav(`entry-${i}`, { title: `Entry ${i}`, savedAt: 1_000 + i }));
    await type($('#import-paste'), exportJson(incoming));
    await click(byText('#import-export button', 'Preview import'));
    const group = $$('.preview-group').find((d) => d.textContent?.startsWith('New'))!;
    const listed = group.querySelectorAll('li').length;
    expect(listed).toBeLessThan(230);
    expect(group.querySelector('.preview-more')?.textContent).toBe(`…and ${230 - listed} more`);
    // A group shown whole has no such line.
    await type($('#import-paste'), exportJson(incoming.slice(0, 3)));
    await click(byText('#import-export button', 'Preview import'));
    expect($('.preview-more')).toBeNull();
  });

  it('the size of a refused file is never stated as within the limit', async () => {
    const c = fakeClient();
    await mount(c);
    for (const size of [5 * 1024 * 1024 + 1, 5_243_000, 5_300_000, 6 * 1024 * 1024]) {
      const input = $<HTMLInputElement>('input[type="file"]')!;
      const big = new File(['x'], 'big.json', { type: 'application/json' });
      Object.defineProperty(big, 'size', { value: size });
      Object.defineProperty(input, 'files', { value: [big], configurable: true });
      await act(() => void input.dispatchEvent(new Event('change', { bubbles: true })));
      await settle();
      const stated = Number(/The file is ([\d.]+) MB/.exec($('[data-testid="import-error"]')?.textContent ?? '')?.[1]);
      const mb = size / 1024 / 1024;
      expect(stated, String(size)).toBeGreaterThan(5);
      expect(stated, String(size)).toBeGreaterThanOrEqual(mb);
      expect(stated - mb, String(size)).toBeLessThan(0.1);
    }
  });
});

describe('Undo of an import', () => {
  const texts = () => $$('[data-testid="toast"] .toast-text').map((e) => e.textContent);
  const notes = () => Object.fromEntries($$('[data-entry-id]').map((li) => [li.dataset.entryId, li.querySelector('.fav-note')?.textContent ?? '']));
  const file = () =>
    exportJson([
      fav('cmeee', { title: 'CMeEE', savedAt: 1_000, updatedAt: 1_800_000_000_000, note: 'note from the file', tags: ['file'] }),
      fav('brand-new', { title: 'Brand new', savedAt: 5_000 }),
    ]);
  /** The file pasted, previewed and applied. */
  const importFile = async () => {
    await type($('#import-paste'), file());
    await click(byText('#import-export button', 'Preview import'));
    await click(byText('#import-export button', 'Apply import'));
  };

  it('an import that replaced a note offers Undo, which brings the note and tags back and takes away what it added', async () => {
    const c = fakeClient({ favorites: three() });
    await mount(c);
    await importFile();
    expect(notes().cmeee).toBe('note from the file');
    expect(texts()).toEqual(['Imported: 1 new, 1 updated, 0 unchanged.']);
    await click(byText('.toast button', 'Undo'));
    expect(c.calls.filter((x) => x.method === 'undoImport')).toHaveLength(1);
    expect(titles()).toEqual(['CHIP-CDEE', 'MedBERT', 'CMeEE']);
    expect(notes().cmeee).toBe('entity baseline');
    expect(c.favorites.find((f) => f.entryId === 'cmeee')?.tags).toEqual(['NER']);
    expect(texts()).toEqual(['Import undone.']);
    expect(byText('.toast button', 'Undo')).toBeUndefined();
  });

  /**
   * MedBERT removed, then the file imported, then Undo: the import's Undo goes through and the
   * restore fails (sync busy), once.
   */
  const undoFailingPartWay = async () => {
    const c = fakeClient({ favorites: three() });
    await mount(c);
    await click(byText('[data-entry-id="medbert"] button', 'Remove'));
    await importFile();
    const restore = c.restore.bind(c);
    let fails = 1;
    c.restore = async (f) => {
      if (fails-- > 0) throw new Error('sync busy');
      return restore(f);
    };
    await click(byText('.toast button', 'Undo'));
    expect(texts().join(' ')).toMatch(/sync busy/);
    return c;
  };

  it('tried again after a failure, takes back only the steps it had not: the import undone once, then the removal', async () => {
    const c = await undoFailingPartWay();
    await click(byText('.toast button', 'Undo'));
    expect(c.calls.filter((x) => x.method === 'undoImport' || x.method === 'restore').map((x) => x.method)).toEqual(['undoImport', 'restore']);
    expect(notes()).toEqual({ 'chip-cdee': '', medbert: '', cmeee: 'entity baseline' });
    expect(texts()).toContain('Restored 1 favorite. Import undone.');
  });

  it('says all an Undo did when a removal joins it after a failed try: the import undone in the first try, both removals in the second', async () => {
    const c = await undoFailingPartWay();
    await click(byText('[data-entry-id="chip-cdee"] button', 'Remove'));
    await click(byText('.toast button', 'Undo'));
    expect(c.calls.filter((x) => x.method === 'undoImport')).toHaveLength(1);
    expect(titles()).toEqual(['CHIP-CDEE', 'MedBERT', 'CMeEE']);
    expect(texts()).toContain('Restored 2 favorites. Import undone.');
  });

  it('joins a removal\'s Undo rather than replacing it, and one Undo takes both back, newest first; a note edited since stays', async () => {
    const c = fakeClient({ favorites: three() });
    await mount(c);
    await click(byText('[data-entry-id="medbert"] button', 'Remove'));
    await importFile();
    expect(texts()).toEqual(['Imported: 1 new, 1 updated, 0 unchanged. Undo also takes back the changes before it.']);
    // Brand new is given a note after the import: the Undo leaves it.
    await c.update('brand-new', { note: 'my own' });
    await click(byText('.toast button', 'Undo'));
    expect(c.calls.filter((x) => x.method === 'undoImport' || x.method === 'restore').map((x) => x.method)).toEqual(['undoImport', 'restore']);
    expect(notes()).toEqual({ 'chip-cdee': '', 'brand-new': 'my own', medbert: '', cmeee: 'entity baseline' });
    expect(texts()).toEqual(['Restored 1 favorite. Import undone. 1 favorite changed since keeps that change.']);
  });
});
