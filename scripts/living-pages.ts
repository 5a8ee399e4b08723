/**
 * What pages that keep changing cost with the annotator, side by side with the same page where no
 * content script runs (`npx vite-node scripts/living-pages.ts`, after `npm run build`).
 *
 * Each page is served under github.com, where the annotator reads its README region, and under
 * example.org, where the extension has no access; the same Chromium with the built extension opens
 * both. The time is the renderer's main-thread work over a window of `CMED_LIVING_MS` (5,000 ms),
 * from Chromium's own counters (CDP `Performance.getMetrics`: tasks, script, layout, style), after the
 * page has settled. Beside it: our passes and placement slices in the window, the characters the last
 * pass read, and what the page itself counted. The pages:
 * - ticker: 200 mentions, and a fixed strip outside the regions that scrolls itself 1 px a frame;
 * - clock: 200 mentions, and a clock in a README paragraph of its own, ticking every 16 ms;
 * - rewrite: a paragraph the page writes anew whenever a badge lands in it (a sanitiser, a framework
 *   re-rendering its subtree);
 * - log: a log of 20,000 lines in the README, one line appended every 50 ms, and a mention below it.
 * The machine's own load moves these figures; compare the two columns of one run.
 */
import type { Page } from 'playwright-core';
import { launchExtension, siteUrl } from '../tests/e2e/harness';

const WINDOW_MS = Number(process.env.CMED_LIVING_MS ?? 5000);
const NAMES = ['PubMedQA', 'CMeKG', 'Yidu-S4K', 'BioBERT'];
const rows = (n: number) => Array.from({ length: n }, (_, i) => `<p>Row ${i}: results on ${NAMES[i % 4]} are reported here.</p>`).join('');
const shell = (body: string, script: string) =>
  `<!doctype html><html><head><title>living</title></head><body><main><div id="readme"><article class="markdown-body">${body}</article></div></main><script>${script}</script></body></html>`;

const PAGES: { name: string; html: string }[] = [
  {
    name: 'ticker',
    html: shell(
      rows(200),
      `const t = document.createElement('div');
       t.style.cssText = 'position:fixed;bottom:0;left:0;width:300px;height:40px;overflow:hidden;white-space:nowrap;background:#eee';
       t.textContent = 'ticker '.repeat(5000);
       document.body.append(t);
       const step = () => { t.scrollLeft = (t.scrollLeft + 1) % 20000; requestAnimationFrame(step); };
       requestAnimationFrame(step);`,
    ),
  },
  {
    name: 'clock',
    html: shell(`<p>Time: <span id="clock">0</span></p>${rows(200)}`, `setInterval(() => { document.getElementById('clock').textContent = String(performance.now()); }, 16);`),
  },
  {
    name: 'rewrite',
    html: shell(
      '<p id="rw">We also ran <b>BioBERT</b> again.</p>',
      `window.__count = 0;
       new MutationObserver((recs) => { for (const r of recs) for (const n of r.addedNodes) {
         if (n.nodeName !== 'CMED-BADGE' || !n.parentElement || !n.parentElement.closest('#rw')) continue;
         document.getElementById('rw').innerHTML = 'We also ran <b>BioBERT</b> again.'; window.__count++;
       } }).observe(document.documentElement, { childList: true, subtree: true });`,
    ),
  },
  {
    name: 'log',
    html: shell(
      `<div id="log">${Array.from({ length: 20_000 }, (_, i) => `<div>line ${i}: step done</div>`).join('')}</div><p>See CMeKG.</p>`,
      `window.__count = 0; setInterval(() => { const d = document.createElement('div'); d.textContent = 'line ' + (++window.__count) + ': step done'; document.getElementById('log').append(d); }, 50);`,
    ),
  },
];

interface Window {
  taskMs: number;
  scriptMs: number;
  layoutMs: number;
  styleMs: number;
  passes: number;
  placeSlices: number;
  lastChars: number | null;
  pageCount: number | null;
}

/** The renderer's work over the window, and what we and the page did in it. */
async function measure(page: Page): Promise<Window> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const metrics = async () => Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
  const ours = () =>
    page.evaluate(() => {
      const passes = performance.getEntriesByName('cmed:annotate') as PerformanceMeasure[];
      const last = passes[passes.length - 1]?.detail as { pass: number; chars: number } | undefined;
      const w = window as unknown as { __place?: number; __count?: number };
      return { pass: last?.pass ?? 0, chars: last?.chars ?? null, place: w.__place ?? 0, count: w.__count ?? null };
    });
  await page.evaluate(() => {
    const w = window as unknown as { __place: number };
    w.__place = 0;
    new PerformanceObserver((list) => (w.__place += list.getEntriesByName('cmed:place').length)).observe({ type: 'measure' });
  });
  const [a, oa] = [await metrics(), await ours()];
  await page.waitForTimeout(WINDOW_MS);
  const [b, ob] = [await metrics(), await ours()];
  await cdp.detach();
  const ms = (k: string) => Math.round((b[k] - a[k]) * 10_000) / 10;
  return {
    taskMs: ms('TaskDuration'),
    scriptMs: ms('ScriptDuration'),
    layoutMs: ms('LayoutDuration'),
    styleMs: ms('RecalcStyleDuration'),
    passes: ob.pass - oa.pass,
    placeSlices: ob.place,
    lastChars: ob.chars,
    pageCount: ob.count === null || oa.count === null ? null : ob.count - oa.count,
  };
}

const s = await launchExtension();
try {
  console.log(`Pages that keep changing: ${WINDOW_MS} ms of the renderer's main thread, without the content script (example.org) and with it (github.com)`);
  console.log('page      host         task ms  script ms  layout ms  style ms  passes  placement slices  chars of last pass  page count');
  for (const { name, html } of PAGES) {
    for (const host of ['example.org', 'github.com']) {
      s.server.route(host, `/living/${name}`, html);
      const page = await s.context.newPage();
      await page.goto(siteUrl(host, `/living/${name}`));
      // Settled: the first pass and placement done, the page's own start over.
      await page.waitForTimeout(3000);
      const w = await measure(page);
      const cell = (v: number | null, width: number) => String(v ?? '–').padStart(width);
      console.log(
        `${name.padEnd(9)} ${host.padEnd(12)}${cell(w.taskMs, 8)}${cell(w.scriptMs, 11)}${cell(w.layoutMs, 11)}${cell(w.styleMs, 10)}${cell(w.passes, 8)}${cell(w.placeSlices, 18)}${cell(w.lastChars, 20)}${cell(w.pageCount, 12)}`,
      );
      await page.close();
    }
  }
  if (s.errors.length) throw new Error(`Errors in the pages: ${s.errors.join('; ')}`);
} finally {
  await s.close();
}
