/**
 * The annotator in real Firefox (the Firefox build, see tests/e2e/firefox-harness.ts), on the
 * benchmark's generated pages: npm run build && npx vite-node scripts/bench-firefox.ts
 * (CMED_FF_ROUNDS loads per page, CMED_FF_RUNS warm passes per load, CMED_BENCH_PAGES as in
 * bench-annotator.ts). Part of `npm run bench`; figures only.
 *
 * Per page, side by side in each load:
 * - cold: the first pass of the fresh load (the `cmed:annotate` measure's busyMs, main-thread time
 *   of its slices), and its longest slice;
 * - warm: passes after switching the site off and on, median over all loads;
 * - floor: after every warm pass, a TreeWalker over the same regions reading every character
 *   (the same function as bench-annotator.ts), in a WebDriver BiDi sandbox of the page: like a
 *   content script's, a separate global that sees the page's DOM through Xray wrappers;
 * - for reference, the same floor in the page's own world (no wrappers), once per load;
 * - our longest task: the longest slice of any pass or of placement (User Timing measures).
 * Firefox sends content scripts' DOM calls through those wrappers, which Chromium's isolated
 * worlds do not have; the ratio to the floor, taken in the same kind of world, is what compares.
 */
import type { Page } from 'puppeteer-core';
import { siteUrl } from '../tests/e2e/harness';
import { launchFirefox, type FirefoxSession } from '../tests/e2e/firefox-harness';
import { SITE_OF, benchPages, floorFn, fmt, loadCorpus, median, pickPages, type BenchPage, type Floor } from './bench-pages';

const ROUNDS = Number(process.env.CMED_FF_ROUNDS ?? 3);
const RUNS = Number(process.env.CMED_FF_RUNS ?? 5);

interface Pass {
  busyMs: number;
  maxSliceMs: number;
  kind: string;
  mentions: number;
}

const passes = (page: Page) =>
  page.evaluate(() => performance.getEntriesByName('cmed:annotate').map((e) => (e as PerformanceMeasure).detail as Pass).filter((d) => d.kind === 'full'));
const longestPlace = (page: Page) =>
  page.evaluate(() => Math.max(0, ...performance.getEntriesByName('cmed:place').map((e) => e.duration)));
const state = (page: Page) => page.evaluate(() => document.documentElement.getAttribute('data-cmed-annotator'));

async function waitFor(what: string, test: () => Promise<boolean>, timeout = 30_000): Promise<void> {
  const t0 = Date.now();
  while (!(await test())) {
    if (Date.now() - t0 > timeout) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 30));
  }
}

async function setSite(ext: Page, site: string, on: boolean): Promise<void> {
  await ext.evaluate(
    (data) => (globalThis as unknown as { browser: { runtime: { sendMessage(m: unknown): Promise<unknown> } } }).browser.runtime.sendMessage({ __cmed: 1, type: 'settings:set', data }),
    { sites: { arxiv: true, acl: true, github: true, [site]: on } },
  );
}

/** One fresh load: its cold pass, then RUNS warm passes, each followed by the floor in a sandbox. */
async function load(s: FirefoxSession, ext: Page, p: BenchPage) {
  const page = await s.newPage();
  await page.goto(siteUrl(p.host, p.path), { timeout: 60_000 });
  await waitFor('the first pass', async () => (await passes(page)).length >= 1 && (await state(page)) === 'idle');
  const cold = (await passes(page))[0];
  // A BiDi sandbox: its own global over the page's DOM, as a content script has.
  const realm = (page.mainFrame() as unknown as { isolatedRealm(): { evaluate<T>(fn: string): Promise<T> } }).isolatedRealm();
  await realm.evaluate(`globalThis.__cmedFloor = ${floorFn.toString()}; 0`);
  const warm: number[] = [];
  const floors: number[] = [];
  const site = SITE_OF[p.host];
  for (let i = 0; i < RUNS; i++) {
    const before = (await passes(page)).length;
    await new Promise((r) => setTimeout(r, 250));
    await setSite(ext, site, false);
    await waitFor('the site switched off', async () => (await state(page)) === 'off');
    await setSite(ext, site, true);
    await waitFor('a warm pass', async () => (await passes(page)).length > before && (await state(page)) === 'idle');
    warm.push((await passes(page))[before].busyMs);
    floors.push((await realm.evaluate<Floor>(`__cmedFloor(${JSON.stringify(p.regions)}, 5)`)).warm);
  }
  // For reference, the same floor in the page's own world, with no wrappers in between.
  const main = (await page.evaluate(`(${floorFn.toString()})(${JSON.stringify(p.regions)}, 9)`)) as Floor;
  const all = await passes(page);
  const longest = Math.max(...all.map((x) => x.maxSliceMs), await longestPlace(page));
  await page.close();
  return { cold, warm, floors, mainFloor: main.warm, longest };
}

const pages = pickPages(benchPages(loadCorpus()), process.env.CMED_BENCH_PAGES);
const s = await launchFirefox();
try {
  const ext = await s.openExtensionPage('popup.html', '#cmed-search');
  const version = await s.browser.version();
  const rows: string[][] = [];
  for (const p of pages) {
    s.server.route(p.host, p.path, p.html);
    await load(s, ext, p); // warm-up load, not kept
    const loads = [];
    for (let r = 0; r < ROUNDS; r++) loads.push(await load(s, ext, p));
    const warm = median(loads.flatMap((l) => l.warm));
    const floor = median(loads.flatMap((l) => l.floors));
    const perLoad = loads.map((l) => median(l.warm) / median(l.floors));
    rows.push([
      p.name,
      String(loads[0].cold.mentions),
      `${fmt(median(loads.map((l) => l.cold.busyMs)), 1)} / ${fmt(Math.max(...loads.map((l) => l.cold.maxSliceMs)), 1)}`,
      fmt(warm, 2),
      `${fmt(floor, 2)} / ${fmt(median(loads.map((l) => l.mainFloor)), 2)}`,
      `${fmt(warm / floor, 2)}× (${fmt(Math.min(...perLoad), 2)}–${fmt(Math.max(...perLoad), 2)})`,
      fmt(Math.max(...loads.map((l) => l.longest)), 1),
    ]);
  }
  const head = ['page', 'mentions', 'cold pass / its longest slice (ms)', 'warm pass (ms)', 'floor in a sandbox / in the page (ms)', 'annotator / floor (load by load)', 'longest task ours (ms)'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  console.log(`\nAnnotator in ${version}, headless, ${new Date().toISOString()}: ${ROUNDS} loads per page after a warm-up, ${RUNS} warm passes each\n`);
  for (const r of [head, ...rows]) console.log(r.map((c, i) => c.padEnd(widths[i])).join('  '));
} finally {
  await s.close();
}
