/**
 * Annotator benchmark in real Chromium with the built extension (.output/chrome-mv3):
 *   npm run gen && npx wxt build && npx vite-node scripts/bench-annotator.ts
 *
 * Big generated pages (real Anthology titles from ../shared/corpora) are served on the real
 * hostnames; for each one it reports, side by side in one run:
 * - annotator: the whole first pass (the `cmed:annotate` User Timing measure);
 * - floor: a TreeWalker over the same regions reading every character, in the page;
 * - mark.js marking the same catalog names (one run only: it takes seconds);
 * - the pass again with 10× more catalog names (synthetic ones, through the test-only
 *   storage.local 'bench:matcherData' override the background reads);
 * - the longest main-thread slice of the annotator and long tasks seen during the pass;
 * and the content script's size.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import type { Page } from 'playwright-core';
import { EXTENSION_DIR, launchExtension, siteUrl, ROOT, type ExtensionSession } from '../tests/e2e/harness';
import { buildMatcherData } from '../utils/matcher/build';
import type { Catalog, Entry } from '../utils/catalog/types';

interface PassDetail {
  pass: number;
  kind: string;
  mentions: number;
  maxSliceMs: number;
  busyMs: number;
  slices: number;
  chars: number;
  textNodes: number;
}

const SITE_OF: Record<string, string> = { 'arxiv.org': 'arxiv', 'aclanthology.org': 'acl', 'github.com': 'github' };

async function setSite(s: ExtensionSession, site: string, on: boolean): Promise<void> {
  const pop = s.context.pages().find((pg) => pg.url().startsWith(s.extensionUrl(''))) ?? (await s.openPopup());
  await pop.evaluate(
    (data) => (globalThis as unknown as { chrome: { runtime: { sendMessage(m: unknown): Promise<unknown> } } }).chrome.runtime.sendMessage({ __cmed: 1, type: 'settings:set', data }),
    { sites: { arxiv: true, acl: true, github: true, [site]: on } },
  );
}

/** First pass on a fresh load (cold: the content script was just compiled), then a full pass on the same page with warm code (the site switched off and on, which drops all state). */
async function annotatorPass(s: ExtensionSession, p: BenchPage): Promise<{ ms: number; warm: number; warmBusy: number; detail: PassDetail; longTasks: number[] }> {
  const page = await s.context.newPage();
  await page.addInitScript(() => {
    const w = window as unknown as { __long: { start: number; duration: number }[] };
    w.__long = [];
    try {
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) w.__long.push({ start: e.startTime, duration: e.duration });
      }).observe({ type: 'longtask', buffered: true });
    } catch {
      // No long task API: the slice timings still tell.
    }
  });
  await page.goto(siteUrl(p.host, p.path), { timeout: 120_000 });
  const res = await page.waitForFunction(
    () => {
      const m = (performance.getEntriesByName('cmed:annotate') as PerformanceMeasure[]).find((e) => (e.detail as { kind: string }).kind === 'full');
      return m ? { ms: m.duration, start: m.startTime, detail: m.detail } : null;
    },
    null,
    { timeout: 120_000, polling: 100 },
  );
  const r = (await res.jsonValue()) as { ms: number; start: number; detail: PassDetail };
  await page.waitForTimeout(200);
  let warm = NaN;
  let warmBusy = NaN;
  const site = SITE_OF[p.host];
  if (site) {
    const before = (r.detail as PassDetail).pass;
    await setSite(s, site, false);
    await page.waitForFunction(() => document.documentElement.getAttribute('data-cmed-annotator') === 'off', null, { timeout: 30_000 });
    await setSite(s, site, true);
    const h = await page.waitForFunction(
      (before) => {
        const list = performance.getEntriesByName('cmed:annotate') as PerformanceMeasure[];
        const m = list.filter((e) => (e.detail as PassDetail).kind === 'full' && (e.detail as PassDetail).pass > before + 1).pop();
        return m ? [m.duration, (m.detail as PassDetail).busyMs] : null;
      },
      before,
      { timeout: 60_000, polling: 100 },
    );
    [warm, warmBusy] = (await h.jsonValue()) as [number, number];
  }
  const longTasks = await page.evaluate(
    ({ start, end }) =>
      (window as unknown as { __long: { start: number; duration: number }[] }).__long
        .filter((t) => t.start + t.duration > start && t.start < end)
        .map((t) => t.duration),
    { start: r.start, end: r.start + r.ms },
  );
  await page.close();
  return { ms: r.ms, warm, warmBusy, detail: r.detail, longTasks };
}

/** Floor and mark.js run on the same HTML served on example.org, where the content script does not run. */
async function floorAndMark(s: ExtensionSession, p: BenchPage, names: string[]): Promise<{ floor: number; floorCold: number; markMs: number; marked: number }> {
  const plain = `/bench${p.path.replace(/\/$/, '')}`;
  s.server.route('example.org', plain, p.html);
  const page: Page = await s.context.newPage();
  await page.goto(siteUrl('example.org', plain), { timeout: 120_000 });
  const floor = await page.evaluate((sel) => {
    const regions = Array.from(document.querySelectorAll(sel.join(', ')));
    const once = () => {
      const t0 = performance.now();
      let sum = 0;
      for (const r of regions) {
        const w = document.createTreeWalker(r, NodeFilter.SHOW_TEXT);
        for (let n = w.nextNode(); n; n = w.nextNode()) {
          const d = (n as Text).data;
          for (let i = 0; i < d.length; i++) sum += d.charCodeAt(i);
        }
      }
      (window as unknown as { __sink: number }).__sink = sum;
      return performance.now() - t0;
    };
    const cold = once();
    const runs = Array.from({ length: 7 }, once).sort((a, b) => a - b);
    return { cold, warm: runs[3] };
  }, p.regions);
  await page.addScriptTag({ path: MARK_JS });
  const mark = await page.evaluate(
    ({ sel, names }) => {
      const regions = Array.from(document.querySelectorAll(sel.join(', ')));
      const Mark = (window as unknown as { Mark: new (ctx: Element[]) => { mark(k: string[], o: object): void } }).Mark;
      const t0 = performance.now();
      new Mark(regions).mark(names, { separateWordSearch: false, diacritics: false, acrossElements: true });
      return { ms: performance.now() - t0, marked: document.querySelectorAll('mark[data-markjs]').length };
    },
    { sel: p.regions, names },
  );
  await page.close();
  return { floor: floor.warm, floorCold: floor.cold, markMs: mark.ms, marked: mark.marked };
}

async function setOverride(s: ExtensionSession, data: unknown | null): Promise<void> {
  await s.worker.evaluate(async (data) => {
    const st = (globalThis as unknown as { chrome: { storage: { local: { set(o: object): Promise<void>; remove(k: string): Promise<void> } } } }).chrome.storage.local;
    if (data) await st.set({ 'bench:matcherData': data });
    else await st.remove('bench:matcherData');
  }, data);
}

const fmt = (n: number, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : '—');

async function main() {
  const script = path.join(EXTENSION_DIR, 'content-scripts', 'annotator.js');
  if (!fs.existsSync(script)) throw new Error('No built extension: run `npm run gen && npx wxt build` first.');
  const rows = loadCorpus();
  const pages = [
    anthologyEvent(rows),
    arxivListing(rows, 1000, true, 'arXiv listing (1,000 entries)', '/list/cs.CL/bench'),
    arxivHtmlPaper(rows),
    bigReadme(rows, 500_000, true, 'README (500 KB)', '/bench/readme'),
    bigReadme(rows, 500_000, false, 'README (500 KB), nothing to find', '/bench/nothing'),
  ];
  const names = [...new Set(catalog.flatMap((e) => [e.title, ...e.names]).filter((n) => n.length >= 3))];
  const inflated = inflatedMatcherData();

  const s = await launchExtension();
  try {
    for (const p of pages) s.server.route(p.host, p.path, p.html);
    const results: string[][] = [];
    const ratios: { name: string; floorX: number; coldX: number; markX: number; tenX: number }[] = [];
    for (const p of pages) {
      // Warm-up load (first run of the content script in a fresh profile pays compile costs).
      await annotatorPass(s, p);
      const one = await annotatorPass(s, p);
      await setOverride(s, inflated);
      const ten = await annotatorPass(s, p);
      await setOverride(s, null);
      const fm = await floorAndMark(s, p, names);
      results.push([
        p.name,
        `${(Buffer.byteLength(p.html) / 1024).toFixed(0)} KB`,
        String(one.detail.chars),
        String(one.detail.mentions),
        `${fmt(one.ms)} / ${fmt(one.detail.busyMs)}`,
        `${fmt(one.warm)} / ${fmt(one.warmBusy)}`,
        `${fmt(fm.floorCold, 2)} / ${fmt(fm.floor, 2)}`,
        `${fmt(ten.warm)} / ${fmt(ten.warmBusy)}`,
        `${fmt(fm.markMs, 0)} (${fm.marked})`,
        fmt(Math.max(one.detail.maxSliceMs, ten.detail.maxSliceMs)),
        one.longTasks.length ? `${one.longTasks.length} (max ${fmt(Math.max(...one.longTasks), 0)})` : '0',
      ]);
      ratios.push({ name: p.name, floorX: one.warmBusy / fm.floor, coldX: one.detail.busyMs / fm.floorCold, markX: fm.markMs / one.ms, tenX: ten.warmBusy / one.warmBusy });
    }
    const head = ['page', 'html', 'chars', 'mentions', 'cold wall/busy ms', 'warm wall/busy ms', 'floor cold/warm ms', '10× names warm wall/busy', 'mark.js ms (marks)', 'max slice ms', 'long tasks in pass'];
    const widths = head.map((h, i) => Math.max(h.length, ...results.map((r) => r[i].length)));
    const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ');
    console.log(`\nAnnotator benchmark — headless Chromium, ${new Date().toISOString()}\n`);
    console.log(line(head));
    console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
    for (const r of results) console.log(line(r));
    console.log('\nratios (busy = main-thread time of the pass): annotator/floor warm (target ≤ 2×) [cold/cold] · mark.js/annotator cold wall (target ≥ 500×) · 10×names/1×names warm busy (target ≤ 1.1×)');
    for (const r of ratios) console.log(`  ${r.name.padEnd(widths[0])}  ${fmt(r.floorX)}× [${fmt(r.coldX)}×]  ·  ${fmt(r.markX, 0)}×  ·  ${fmt(r.tenX, 2)}×`);
    const size = fs.statSync(script).size;
    console.log(`\ncontent script: ${(size / 1024).toFixed(1)} KB minified (${(zlib.gzipSync(fs.readFileSync(script)).length / 1024).toFixed(1)} KB gzip); target ≤ 30 KB`);
  } finally {
    await setOverride(s, null).catch(() => undefined);
    await s.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
