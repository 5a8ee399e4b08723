/**
 * Favorites and settings end to end, in real Chromium with the built extension:
 * popup save → options page → export → remove all → import → same list; bad imports
 * change nothing; settings survive a reload; the data really sits in chrome.storage.sync
 * and stays under its quotas with many favorites.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { launchExtension, ROOT, type ExtensionSession } from './harness';

interface CatalogEntry {
  id: string;
  title: string;
}
interface Fav {
  entryId: string;
  savedAt: number;
  updatedAt: number;
  note: string;
  tags: string[];
  title: string;
  kind: string;
  links: { url: string; type: string }[];
}
interface Snapshot {
  favorites: Fav[];
  area: 'sync' | 'local';
  notices: { code: string; keys: string[] }[];
}

const catalog = JSON.parse(fs.readFileSync(path.join(ROOT, 'data', 'catalog.json'), 'utf8')) as CatalogEntry[];
const OUT = path.join(ROOT, 'tests', 'e2e', 'out');
const AXE = fs.readFileSync(path.join(ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

type Chrome = {
  runtime: { sendMessage(m: unknown): Promise<{ ok: boolean; value?: unknown; error?: string }> };
  storage: { sync: { get(k: null): Promise<Record<string, unknown>>; getBytesInUse(k: string | null): Promise<number>; set(i: object): Promise<void> } };
};

/** Sends one protocol message from an extension page, as the popup and options page do. */
async function send<T>(page: Page, type: string, data?: unknown): Promise<T> {
  const reply = await page.evaluate(
    ([type, data]) => (globalThis as unknown as { chrome: Chrome }).chrome.runtime.sendMessage({ __cmed: 1, type, data }),
    [type, data] as const,
  );
  if (!reply?.ok) throw new Error(`${type}: ${reply?.error ?? 'no reply'}`);
  return reply.value as T;
}

/** The comparable part of a favorite (what export/import must carry unchanged). */
const essence = (list: Fav[]) =>
  list
    .map(({ entryId, savedAt, updatedAt, note, tags, title }) => ({ entryId, savedAt, updatedAt, note, tags, title }))
    .sort((a, b) => a.entryId.localeCompare(b.entryId));

const optionTitles = (page: Page) => page.locator('.fav-title').allInnerTexts();

describe('favorites and settings in real Chromium', () => {
  let s: ExtensionSession;
  let options: Page;
  const saved = catalog.slice(0, 6);

  beforeAll(async () => {
    s = await launchExtension();
    fs.mkdirSync(OUT, { recursive: true });
  });
  afterAll(async () => {
    await s?.close();
  });

  async function openOptions(): Promise<Page> {
    const page = await s.context.newPage();
    await page.goto(s.extensionUrl('options.html'));
    await page.waitForSelector('#favorites-h');
    return page;
  }

  it('saves in the popup and shows the favorites in the options page, newest first', async () => {
    const popup = await s.openPopup();
    await popup.waitForLoadState('domcontentloaded');
    // The popup's star is one way in; the message is the same one the star sends.
    for (const e of saved) {
      await send(popup, 'favorites:save', { entryId: e.id });
      await popup.waitForTimeout(1_050); // savedAt has one-second resolution; keep the order observable
    }
    await popup.close();

    options = await openOptions();
    await expect.poll(() => optionTitles(options)).toHaveLength(saved.length);
    expect(await optionTitles(options)).toEqual([...saved].reverse().map((e) => e.title));
    await expect.poll(() => options.locator('.area').innerText()).toBe('Synced');
  });

  it('keeps the favorites in chrome.storage.sync', async () => {
    const items = await s.worker.evaluate(() => (globalThis as unknown as { chrome: Chrome }).chrome.storage.sync.get(null));
    const text = JSON.stringify(items);
    for (const e of saved) expect(text).toContain(e.id);
    expect(Object.keys(items).some((k) => k.startsWith('fav:'))).toBe(true);
  });

  it('edits a note and tags, and the options page follows a save made elsewhere', async () => {
    const id = saved[0].id;
    const item = options.locator(`[data-entry-id="${id}"]`);
    await item.getByRole('button', { name: /Add note|Edit note/ }).click();
    await item.locator('textarea').fill('Baseline for our NER experiments');
    await item.locator('input[type="text"]').fill('NER, baseline');
    await item.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => item.locator('.fav-note').innerText()).toBe('Baseline for our NER experiments');
    const snap = await send<Snapshot>(options, 'favorites:get');
    expect(snap.favorites.find((f) => f.entryId === id)?.tags).toEqual(['NER', 'baseline']);

    // Saved from another page (the popup): the open options page picks it up through storage events.
    const other = await s.openPopup();
    await send(other, 'favorites:save', { entryId: catalog[6].id });
    await other.close();
    await expect.poll(() => optionTitles(options)).toHaveLength(saved.length + 1);
    await send(options, 'favorites:remove', { entryIds: [catalog[6].id] });
    await expect.poll(() => optionTitles(options)).toHaveLength(saved.length);
  });

  it('exports JSON, removes everything, imports the file and gets the same list back', async () => {
    const before = essence((await send<Snapshot>(options, 'favorites:get')).favorites);
    expect(before).toHaveLength(saved.length);

    const [download] = await Promise.all([options.waitForEvent('download'), options.click('button[data-format="json"]')]);
    expect(download.suggestedFilename()).toMatch(/\.json$/);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cmed-export-')), download.suggestedFilename());
    await download.saveAs(file);
    const exported = JSON.parse(fs.readFileSync(file, 'utf8')) as { favorites: Fav[] };
    expect(essence(exported.favorites)).toEqual(before);

    // The other formats download too (BibTeX holds only the citeable favorites: the saved set includes some).
    for (const [format, start] of [['bibtex', /^% MedNLP Lens favorites[^\n]*\n\n@\w+\{/], ['markdown', /^#/], ['csv', /^\uFEFFentry_id,/]] as const) {
      const [d] = await Promise.all([options.waitForEvent('download'), options.click(`button[data-format="${format}"]`)]);
      const out = path.join(path.dirname(file), d.suggestedFilename());
      await d.saveAs(out);
      expect(fs.readFileSync(out, 'utf8')).toMatch(start);
    }

    await options.locator('.check-all input').check();
    await options.getByRole('button', { name: /Remove \d+ selected/ }).click();
    await expect.poll(() => optionTitles(options)).toHaveLength(0);
    await expect.poll(() => options.locator('.toast').innerText()).toContain(`Removed ${saved.length} favorites`);
    expect((await send<Snapshot>(options, 'favorites:get')).favorites).toEqual([]);

    await options.setInputFiles('input[type="file"]', file);
    await options.waitForSelector('[data-testid="import-preview"]');
    expect(await options.locator('.stat[data-group="added"] dd').innerText()).toBe(String(saved.length));
    // Nothing is written until the preview is applied.
    expect((await send<Snapshot>(options, 'favorites:get')).favorites).toEqual([]);
    await options.locator('#import-export').screenshot({ path: path.join(OUT, 'options-import-preview.png') });
    await options.getByRole('button', { name: 'Apply import' }).click();
    await expect.poll(() => optionTitles(options)).toHaveLength(saved.length);
    expect(essence((await send<Snapshot>(options, 'favorites:get')).favorites)).toEqual(before);
    expect(await optionTitles(options)).toEqual([...saved].reverse().map((e) => e.title));
  });

  it('undoes a removal', async () => {
    const id = saved[1].id;
    await options.locator(`[data-entry-id="${id}"]`).getByRole('button', { name: 'Remove' }).click();
    await expect.poll(() => optionTitles(options)).toHaveLength(saved.length - 1);
    await options.screenshot({ path: path.join(OUT, 'options-undo.png') });
    await options.locator('.toast').getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => optionTitles(options)).toHaveLength(saved.length);
  });

  it('scrolls a control reached with Tab clear of the Undo toast, from the top of the page to its end', async () => {
    const extra = catalog.slice(20, 23);
    await send(options, 'favorites:import', {
      favorites: extra.map((e, i) => ({ entryId: e.id, savedAt: Date.UTC(2025, 0, 1 + i), updatedAt: Date.UTC(2025, 0, 1 + i), note: '', tags: [], title: e.title, kind: 'dataset', links: [] })),
    });
    const page = await openOptions();
    try {
      await page.setViewportSize({ width: 1280, height: 700 });
      await expect.poll(() => optionTitles(page)).toHaveLength(saved.length + extra.length);
      await page.locator(`[data-entry-id="${extra[0].id}"]`).getByRole('button', { name: 'Remove' }).click();
      await page.locator('.toast').getByRole('button', { name: 'Undo' }).waitFor();
      await page.locator('.nav a').first().focus();
      const covered: string[] = [];
      let visited = 0;
      for (let i = 0; i < 200; i++) {
        await page.keyboard.press('Tab');
        // Once the scroll that focus started has come to rest (the page scrolls smoothly).
        const seen = await page.evaluate(async () => {
          let last = -1;
          for (let still = 0; still < 3; ) {
            await new Promise((r) => requestAnimationFrame(r));
            still = scrollY === last ? still + 1 : 0;
            last = scrollY;
          }
          const el = document.activeElement;
          if (!el || el === document.body || el.closest('.toast-region')) return null;
          const r = el.getBoundingClientRect();
          const hit = [...document.querySelectorAll('.toast')].some((t) => {
            const b = t.getBoundingClientRect();
            return r.right > b.left && r.left < b.right && r.bottom > b.top && r.top < b.bottom;
          });
          return { hit, what: `${el.tagName.toLowerCase()}.${el.className} ${(el.textContent ?? '').trim().slice(0, 30)}` };
        });
        if (!seen) break;
        visited++;
        if (seen.hit) covered.push(seen.what);
      }
      // The walk went down the whole page: every favorite's controls and the import and export panel.
      expect(visited).toBeGreaterThan(4 * (saved.length + extra.length));
      expect(covered).toEqual([]);
    } finally {
      await page.close();
      await send(options, 'favorites:remove', { entryIds: extra.slice(1).map((e) => e.id) });
      await expect.poll(() => optionTitles(options)).toHaveLength(saved.length);
    }
  });

  it('undoes an import that replaced a note and tags: they come back, the favorite it added goes, a note edited since stays', async () => {
    options ??= await openOptions();
    const [mine, other] = [catalog[10], catalog[11]];
    const added = [catalog[12], catalog[13]];
    await send(options, 'favorites:save', { entryId: mine.id, note: 'my own reading notes', tags: ['mine'] });
    await send(options, 'favorites:save', { entryId: other.id });
    await options.reload();
    await options.locator(`[data-entry-id="${mine.id}"]`).waitFor();
    const before = essence((await send<Snapshot>(options, 'favorites:get')).favorites);
    const later = Date.now() + 60_000;
    const file = JSON.stringify({
      format: 'cmed-nlp-lens/favorites',
      version: 1,
      favorites: [
        { entryId: mine.id, savedAt: Date.UTC(2025, 0, 1), updatedAt: later, note: 'note from a colleague', tags: ['theirs'], title: mine.title, kind: 'dataset', links: [] },
        ...added.map((e) => ({ entryId: e.id, savedAt: Date.UTC(2025, 0, 2), updatedAt: Date.UTC(2025, 0, 2), note: '', tags: [], title: e.title, kind: 'dataset', links: [] })),
      ],
    });
    await options.setInputFiles('input[type="file"]', { name: 'colleague.json', mimeType: 'application/json', buffer: Buffer.from(file) });
    await options.waitForSelector('[data-testid="import-preview"]');
    await options.getByRole('button', { name: 'Apply import' }).click();
    const row = options.locator(`[data-entry-id="${mine.id}"]`);
    await expect.poll(() => row.locator('.fav-note').innerText()).toBe('note from a colleague');
    await expect.poll(() => options.locator('.toast').first().innerText()).toContain('Imported: 2 new, 1 updated');
    // One of the added favorites gets a note of its own before the Undo: it stays.
    const kept = options.locator(`[data-entry-id="${added[1].id}"]`);
    await kept.getByRole('button', { name: /Add note|Edit note/ }).click();
    await kept.locator('textarea').fill('worth keeping');
    await kept.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => kept.locator('.fav-note').innerText()).toBe('worth keeping');

    await options.locator('.toast').getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => row.locator('.fav-note').innerText()).toBe('my own reading notes');
    await expect.poll(() => options.locator(`[data-entry-id="${added[0].id}"]`).count()).toBe(0);
    await expect.poll(() => options.locator('.toast').first().innerText()).toMatch(/Import undone\. 1 favorite changed since keeps that change\./);
    const now = (await send<Snapshot>(options, 'favorites:get')).favorites;
    const back = essence(now).filter((f) => f.entryId === mine.id || f.entryId === other.id);
    // Note and tags as they were (the earlier save date the file gave stays: devices keep the earliest).
    const content = (list: typeof back) => list.map(({ entryId, note, tags }) => ({ entryId, note, tags }));
    expect(content(back)).toEqual(content(before.filter((f) => f.entryId === mine.id || f.entryId === other.id)));
    expect(now.find((f) => f.entryId === added[1].id)?.note).toBe('worth keeping');
    expect(now.some((f) => f.entryId === added[0].id)).toBe(false);
    // So it stays in storage: read again after a reload.
    await options.reload();
    await expect.poll(() => options.locator(`[data-entry-id="${mine.id}"] .fav-note`).innerText()).toBe('my own reading notes');
    expect(await options.locator(`[data-entry-id="${added[0].id}"]`).count()).toBe(0);
    await send(options, 'favorites:remove', { entryIds: [mine.id, other.id, added[1].id] });
  });

  it('shows an error for a malformed or oversized import and changes nothing', async () => {
    const before = essence((await send<Snapshot>(options, 'favorites:get')).favorites);
    await options.setInputFiles('input[type="file"]', {
      name: 'broken.json',
      mimeType: 'application/json',
      buffer: Buffer.from('{"format":"cmed-nlp-lens/favorites","version":1,"favorites":[{"entryId":'),
    });
    const error = options.locator('[data-testid="import-error"]');
    await expect.poll(() => error.innerText()).toMatch(/broken\.json.*not valid JSON/s);
    expect(await error.getAttribute('role')).toBe('alert');
    expect(await options.locator('[data-testid="import-preview"]').count()).toBe(0);

    await options.setInputFiles('input[type="file"]', { name: 'huge.json', mimeType: 'application/json', buffer: Buffer.alloc(5 * 1024 * 1024 + 10, 0x20) });
    await expect.poll(() => error.innerText()).toMatch(/huge\.json.*5 MB/s);

    await options.fill('#import-paste', '[{"entryId":"x","savedAt":1,"title":"<img src=x onerror=alert(1)>","kind":"dataset","links":[]}]');
    await options.getByRole('button', { name: 'Preview import' }).click();
    await expect.poll(() => error.innerText()).toMatch(/HTML/);

    expect(essence((await send<Snapshot>(options, 'favorites:get')).favorites)).toEqual(before);
    expect(await optionTitles(options)).toHaveLength(saved.length);
  });

  it('shows a favorite whose entry left the catalog with its saved title and links', async () => {
    const orphan: Fav = {
      entryId: 'retired-clinical-corpus',
      savedAt: Date.UTC(2025, 2, 1),
      updatedAt: Date.UTC(2025, 2, 1),
      note: 'Was in the 2024 list',
      tags: ['archive'],
      title: 'Retired Clinical Corpus',
      kind: 'corpus',
      links: [{ url: 'https://example.org/retired-corpus', type: 'homepage' }],
    };
    await send(options, 'favorites:import', { favorites: [orphan] });
    const item = options.locator('[data-entry-id="retired-clinical-corpus"]');
    await item.waitFor();
    expect(await item.locator('.orphan-badge').innerText()).toBe('No longer in the catalog');
    expect(await item.locator('.fav-title a').getAttribute('href')).toBe('https://example.org/retired-corpus');
  });

  it('stores a note and tags holding lone surrogates as it reads them back: the favorite stays, nothing is set aside', async () => {
    // Made in the page: a lone surrogate would not survive the trip through the test driver.
    const reply = await options.evaluate(() => {
      const hi = String.fromCharCode(0xd800);
      const fav = {
        entryId: 'cmedqa2',
        savedAt: Date.UTC(2026, 5, 1),
        updatedAt: Date.UTC(2026, 5, 1),
        note: `before${hi}after`,
        tags: [`a${hi}`, `a${String.fromCharCode(0xdbff)}`],
        title: 'cMedQA2',
        kind: 'dataset',
        links: [{ url: 'https://github.com/zhangsheng93/cMedQA2', type: 'code' }],
      };
      return (globalThis as unknown as { chrome: Chrome }).chrome.runtime.sendMessage({ __cmed: 1, type: 'favorites:import', data: { favorites: [fav] } });
    });
    expect(reply.ok).toBe(true);
    const snap = await send<Snapshot>(options, 'favorites:get');
    expect(snap.notices).toEqual([]);
    expect(snap.favorites.find((f) => f.entryId === 'cmedqa2')).toMatchObject({ note: 'before\ufffdafter', tags: ['a\ufffd'] });
    // Read again from storage, as after a restart of the background.
    await options.reload();
    await options.locator('[data-entry-id="cmedqa2"]').waitFor();
    expect((await send<Snapshot>(options, 'favorites:get')).notices).toEqual([]);
  });

  it('keeps settings across a reload and applies theme and language at once', async () => {
    await options.locator('input[name="theme"][value="dark"]').check();
    expect(await options.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await options.locator('input[name="site-github"]').uncheck();
    await options.locator('input[name="badge"]').uncheck();
    await options.locator('input[name="language"][value="zh_CN"]').check();
    await expect.poll(() => options.locator('#favorites-h').innerText()).toBe('收藏');
    await expect.poll(async () => (await send<{ language: string }>(options, 'settings:get')).language).toBe('zh_CN');

    await options.reload();
    await options.waitForSelector('#favorites-h');
    expect(await options.locator('#favorites-h').innerText()).toBe('收藏');
    expect(await options.evaluate(() => [document.documentElement.dataset.theme, document.documentElement.lang])).toEqual(['dark', 'zh-CN']);
    expect(await options.locator('input[name="site-github"]').isChecked()).toBe(false);
    expect(await options.locator('input[name="site-arxiv"]').isChecked()).toBe(true);
    expect(await options.locator('input[name="badge"]').isChecked()).toBe(false);
    const settings = await send<{ theme: string; badge: boolean; sites: Record<string, boolean> }>(options, 'settings:get');
    expect(settings).toMatchObject({ theme: 'dark', badge: false, sites: { arxiv: true, acl: true, github: false } });
    const sync = await s.worker.evaluate(() => (globalThis as unknown as { chrome: Chrome }).chrome.storage.sync.get(null));
    expect(JSON.stringify(sync)).toContain('"theme":"dark"');
  });

  it('takes screenshots in both themes and languages, with no axe-core violations', async () => {
    await options.setViewportSize({ width: 1280, height: 1000 });
    const shots: [string, string, string][] = [
      ['zh_CN', 'dark', 'options-zh-dark.png'],
      ['zh_CN', 'light', 'options-zh-light.png'],
      ['en', 'light', 'options-en-light.png'],
      ['en', 'dark', 'options-en-dark.png'],
    ];
    for (const [language, theme, name] of shots) {
      await options.locator(`input[name="language"][value="${language}"]`).check();
      await options.locator(`input[name="theme"][value="${theme}"]`).check();
      // The "Settings saved" toast would cover the list; close it for the picture.
      const close = options.locator('.toast-region .btn-icon');
      if (await close.count()) await close.click();
      await options.waitForTimeout(200);
      await options.screenshot({ path: path.join(OUT, name), fullPage: true });
      // axe-core through the DevTools protocol (evaluate is not subject to the page's CSP).
      if (!(await options.evaluate(() => 'axe' in globalThis))) await options.evaluate(AXE);
      const violations = await options.evaluate(async () => {
        const axe = (globalThis as unknown as { axe: { run(d: Document): Promise<{ violations: { id: string; nodes: { target: string[] }[] }[] }> } }).axe;
        return (await axe.run(document)).violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
      });
      expect(violations, `${language} ${theme}`).toEqual([]);
    }
    await options.locator('input[name="theme"][value="system"]').check();
  });

  it('keeps a long unbroken tag and title inside their row in a narrow window, and the buttons under the text at 360px', async () => {
    const { favorites } = await send<{ favorites: Fav[] }>(options, 'favorites:get');
    const first = favorites[0];
    const tag = 'x'.repeat(64);
    await send(options, 'favorites:update', { entryId: first.entryId, tags: [...first.tags, tag] });
    await options.setViewportSize({ width: 420, height: 900 });
    try {
      const row = options.locator(`.fav[data-entry-id="${first.entryId}"]`);
      await row.locator('.tag', { hasText: tag }).waitFor({ timeout: 5_000 });
      const overflow = await row.evaluate((el) => {
        const box = el.getBoundingClientRect();
        const out = [...el.querySelectorAll('.tag, .fav-title')].filter((t) => t.getBoundingClientRect().right > box.right + 0.5).map((t) => t.className);
        return { out, page: document.documentElement.scrollWidth - document.documentElement.clientWidth };
      });
      expect(overflow).toEqual({ out: [], page: 0 });
      // At 360px the buttons go under the text, which keeps most of the row to wrap between words
      // (beside them, a title had 75px and broke inside its words).
      await options.setViewportSize({ width: 360, height: 900 });
      const narrow = await row.evaluate((el) => {
        const box = el.getBoundingClientRect();
        const text = el.querySelector('.fav-main')!.getBoundingClientRect();
        const title = el.querySelector('.fav-title')!.getBoundingClientRect();
        const actions = el.querySelector('.fav-actions')!.getBoundingClientRect();
        return { share: text.width / box.width, below: actions.top >= title.bottom, page: document.documentElement.scrollWidth - document.documentElement.clientWidth };
      });
      expect(narrow.share).toBeGreaterThan(0.75);
      expect(narrow.below).toBe(true);
      expect(narrow.page).toBe(0);
    } finally {
      await options.setViewportSize({ width: 1280, height: 1000 });
      await send(options, 'favorites:update', { entryId: first.entryId, tags: first.tags });
    }
  });

  it('shows quarantined corrupt data as a notice naming where it was kept', async () => {
    const keys = Object.keys(await s.worker.evaluate(() => (globalThis as unknown as { chrome: Chrome }).chrome.storage.sync.get(null)));
    const chunk = keys.find((k) => /^fav:v\d+:\d+$/.test(k));
    expect(chunk).toBeTruthy();
    await s.worker.evaluate((k) => (globalThis as unknown as { chrome: Chrome }).chrome.storage.sync.set({ [k]: 42 }), chunk!);
    await options.reload();
    await options.waitForSelector('.notice', { timeout: 10_000 });
    const notice = options.locator('.notice').first();
    expect(await notice.getAttribute('data-code')).toMatch(/quarantined/);
    expect((await notice.locator('code').allInnerTexts()).length).toBeGreaterThan(0);
    await options.screenshot({ path: path.join(OUT, 'options-notice.png') });
  });

  it('stays under the storage.sync quotas with 300 favorites', async () => {
    const many: Fav[] = Array.from({ length: 300 }, (_, i) => ({
      entryId: `bulk-resource-${String(i).padStart(3, '0')}`,
      savedAt: Date.UTC(2026, 0, 1) + i * 60_000,
      updatedAt: Date.UTC(2026, 0, 1) + i * 60_000,
      note: i % 3 === 0 ? `批注 ${i}: compare with the CBLUE baseline` : '',
      tags: i % 2 === 0 ? ['bulk', 'NER'] : ['bulk'],
      title: `Bulk resource ${i}`,
      kind: 'dataset',
      links: [{ url: `https://example.org/bulk/${i}`, type: 'homepage' }],
    }));
    await send(options, 'favorites:import', { favorites: many });
    const snap = await send<Snapshot>(options, 'favorites:get');
    expect(snap.favorites.length).toBeGreaterThanOrEqual(300);
    expect(snap.area).toBe('sync');

    const usage = await s.worker.evaluate(async () => {
      const sync = (globalThis as unknown as { chrome: Chrome }).chrome.storage.sync;
      const items = await sync.get(null);
      const perItem: Record<string, number> = {};
      for (const k of Object.keys(items)) perItem[k] = await sync.getBytesInUse(k);
      return { total: await sync.getBytesInUse(null), perItem, count: Object.keys(items).length, text: JSON.stringify(items) };
    });
    expect(usage.total).toBeLessThan(102_400);
    expect(Math.max(...Object.values(usage.perItem))).toBeLessThan(8_192);
    expect(usage.count).toBeLessThan(512);
    expect(usage.text).toContain('bulk-resource-299');

    // The page still lists them all.
    await options.reload();
    await expect.poll(() => options.locator('.fav').count(), { timeout: 15_000 }).toBe(snap.favorites.length);
  });

  it('has produced no errors in extension pages or the service worker', () => {
    expect(s.errors).toEqual([]);
  });
});
