import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { EXTENSION_DIR, launchExtension, ROOT, siteUrl, type ExtensionSession } from './harness';
import { expectIcons, manifestIcons } from './fixtures';

const catalog = JSON.parse(fs.readFileSync(path.join(ROOT, 'data', 'catalog.json'), 'utf8')) as { id: string; title: string }[];
const plainPage = (title: string) => `<!doctype html><html><head><title>${title}</title></head><body><main><h1>${title}</h1><p>Plain page.</p></main></body></html>`;

describe('foundation: the built extension in real Chromium', () => {
  let s: ExtensionSession;
  beforeAll(async () => {
    s = await launchExtension();
    for (const host of ['arxiv.org', 'aclanthology.org', 'github.com', 'example.org']) {
      s.server.route(host, '/foundation-probe', plainPage(`probe on ${host}`));
    }
  });
  afterAll(async () => {
    await s?.close();
  });

  it('loads with a running service worker and the manifest we expect', async () => {
    const manifest = await s.worker.evaluate(() =>
      (globalThis as unknown as { chrome: { runtime: { getManifest(): { manifest_version: number; host_permissions: string[]; permissions: string[] } } } }).chrome.runtime.getManifest(),
    );
    expect(manifest.manifest_version).toBe(3);
    expect(new Set(manifest.host_permissions)).toEqual(
      new Set(['https://arxiv.org/*', 'https://aclanthology.org/*', 'https://github.com/*']),
    );
    expect(manifest.permissions).toContain('storage');
  });

  it('has its icon, drawn, in every size the manifest and the toolbar button name', async () => {
    const page = await s.openPopup();
    expectIcons(await page.evaluate(manifestIcons));
    await page.close();
  });

  it('ships each content script within 30 KB minified, without fuse.js', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(EXTENSION_DIR, 'manifest.json'), 'utf8')) as { content_scripts: { js: string[] }[] };
    const scripts = [...new Set(manifest.content_scripts.flatMap((c) => c.js))];
    expect(scripts.length).toBe(3);
    for (const file of scripts) {
      const code = fs.readFileSync(path.join(EXTENSION_DIR, file), 'utf8');
      expect(Buffer.byteLength(code), file).toBeLessThanOrEqual(30 * 1024);
      // Strings of fuse.js's own (its option and its error message), present in the search chunk.
      expect(code, file).not.toMatch(/useExtendedSearch|Pattern length exceeds max/);
    }
    const searchChunk = fs.readdirSync(path.join(EXTENSION_DIR, 'chunks')).find((f) => /useExtendedSearch/.test(fs.readFileSync(path.join(EXTENSION_DIR, 'chunks', f), 'utf8')));
    expect(searchChunk, 'the popup\'s search chunk carries fuse.js, so the markers above are real').toBeDefined();
  });

  it('renders the popup with catalog entries', async () => {
    const page = await s.openPopup();
    await page.waitForSelector('[role="option"], li', { timeout: 15_000 });
    const text = await page.locator('body').innerText();
    // A handful of well-known entries must be visible somewhere in the first screen's list.
    const titles = catalog.slice(0, 3).map((e) => e.title);
    expect(titles.some((t) => text.includes(t))).toBe(true);
    fs.mkdirSync(path.join(ROOT, 'tests', 'e2e', 'out'), { recursive: true });
    await page.screenshot({ path: path.join(ROOT, 'tests', 'e2e', 'out', 'popup.png') });
    await page.close();
  });

  for (const host of ['arxiv.org', 'aclanthology.org', 'github.com']) {
    it(`runs the content script on ${host}`, async () => {
      const page = await s.context.newPage();
      await page.goto(siteUrl(host, '/foundation-probe'));
      await page.waitForFunction(() => document.documentElement.hasAttribute('data-cmed-annotator'), null, { timeout: 15_000 });
      await page.close();
    });
  }

  it('does not run the content script on an unrelated host', async () => {
    const page = await s.context.newPage();
    await page.goto(siteUrl('example.org', '/foundation-probe'));
    await page.waitForLoadState('load');
    await page.waitForTimeout(1_000);
    expect(await page.evaluate(() => document.documentElement.hasAttribute('data-cmed-annotator'))).toBe(false);
    await page.close();
  });

  it('has produced no errors in the service worker or extension pages', async () => {
    expect(s.errors).toEqual([]);
  });
});
