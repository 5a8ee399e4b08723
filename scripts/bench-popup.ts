/**
 * Popup benchmark in real Chromium with the built extension. Per open of popup.html (the
 * page the toolbar opens in an English browser on the system theme), times from the
 * start of navigation:
 * - first results painted: the first contentful paint. popup.html carries its first screen
 *   prerendered, rows included, so the first text the browser paints is the catalog's
 *   first screen (see wxt.config.ts);
 * - live screen in the DOM: `cmed:first-results`, set when the popup's module has replaced
 *   the prerendered screen with the live one (from here on keys and clicks work);
 * - live screen painted: Element Timing on the first row's title of the live screen;
 * - search ready: `cmed:data-ready`, the catalog and index (loaded after the first frame)
 *   parsed;
 * and, side by side in the same browser, alternating with the popup's opens, the same
 * first contentful paint for a blank extension page holding one line of text (copied into
 * a temporary copy of the build): what opening any extension page costs on this machine.
 * Then keystroke-to-results latency (the popup's `cmed:search` measures, input event →
 * results committed), split into typing and clearing the query (which brings the browse
 * view back); and input event → the first paint showing those results, against the same keys
 * typed into a bare input on a blank extension page, in alternating rounds (the floor). All of it with the bundled catalog and with a synthetic 10,000-entry catalog
 * built into a second copy of the extension. Prints figures; asserts nothing.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { launchExtension, ROOT } from '../tests/e2e/harness';

const SYNTHETIC = 10_000;
const OPENS = Number(process.env.CMED_POPUP_OPENS ?? 40);
if (!Number.isInteger(OPENS) || OPENS < 1) throw new Error(`CMED_POPUP_OPENS: a whole number of opens, at least 1, not "${process.env.CMED_POPUP_OPENS}"`);
const QUERIES = ['PubMedQA', 'cometa corpus', 'medmention', '1909.06146', 'CBLUEbenchmark/CBLUE', '医渡云', '糖尿病', 'tangniaobing', 'tnb', 'yidu', 'knowledge graph', 'biomedical entity linking'];

interface Stat {
  median: number;
  p95: number;
  n: number;
}

export interface PopupFigures {
  label: string;
  entries: number;
  firstResults: Stat;
  firstPaint: Stat;
  livePaint: Stat;
  blankPaint: Stat;
  /** Per pair of opens, popup first paint − blank page first paint. */
  overBlank: Stat;
  dataReady: Stat;
  keystroke: Stat;
  /** Input event → the first paint after its results were committed (see watchPaints). */
  keyPaint: Stat;
  /** The same, typing the same keys into a bare input on a blank extension page: the floor. */
  barePaint: Stat;
  typing: Stat;
  clearing: Stat;
  worst: { query: string; ms: number }[];
}

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};
const stat = (xs: number[]): Stat => ({ median: quantile(xs, 0.5), p95: quantile(xs, 0.95), n: xs.length });

function buildSynthetic(): string {
  const outDir = path.join(ROOT, '.output', 'bench');
  const gen = path.join(ROOT, 'generated', 'bench');
  const env = { ...process.env, CMED_SYNTHETIC: String(SYNTHETIC), CMED_GENERATED: gen, CMED_OUT_DIR: outDir };
  execFileSync('npx', ['vite-node', 'scripts/gen-data.ts'], { cwd: ROOT, env, stdio: 'inherit' });
  execFileSync('npx', ['wxt', 'build'], { cwd: ROOT, env, stdio: 'ignore' });
  return path.join(outDir, 'chrome-mv3');
}

/** A copy of the build with a blank page added, so the floor is measured without touching the build itself. */
function withBlankPage(extensionDir: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cmed-bench-ext-'));
  fs.cpSync(extensionDir, dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'bench-blank.html'), '<!doctype html><html lang="en"><head><meta charset="UTF-8"><title>blank</title></head><body><p>Blank extension page</p></body></html>');
  fs.writeFileSync(path.join(dir, 'bench-input.html'), '<!doctype html><html lang="en"><head><meta charset="UTF-8"><title>input</title></head><body><input type="search" aria-label="Search" autofocus></body></html>');
  return dir;
}

/**
 * Runs in a page: for every input event, the time from the event to the first paint after
 * it, appended to `__paints`. On the popup (`results`), the first paint after the results
 * of that input were committed (its `cmed:search` measure, made in the commit). A paint is
 * taken as the end of the frame a requestAnimationFrame callback runs in: a message posted
 * there is handled after that frame's paint.
 */
const watchPaints = (results: boolean) => {
  const w = globalThis as unknown as { __paints: number[] };
  w.__paints = [];
  document.addEventListener(
    'input',
    (e) => {
      const t0 = e.timeStamp;
      const n0 = performance.getEntriesByName('cmed:search').length;
      const frame = () =>
        requestAnimationFrame(() => {
          if (results && performance.getEntriesByName('cmed:search').length <= n0) return frame();
          const ch = new MessageChannel();
          ch.port1.onmessage = () => w.__paints.push(performance.now() - t0);
          ch.port2.postMessage(0);
        });
      frame();
    },
    true,
  );
};

/** Paint and mark times of a freshly opened page (ms from navigation start). */
async function timings(page: Page, live: boolean): Promise<{ fcp: number; results?: number; live?: number; data?: number }> {
  return page.evaluate(
    (live) =>
      new Promise((resolve, reject) => {
        const get = (name: string) => performance.getEntriesByName(name)[0]?.startTime;
        let element: number | undefined;
        if (live) {
          // Element Timing entries arrive through an observer only (buffered ones included).
          new PerformanceObserver((list) => {
            for (const e of list.getEntries() as (PerformanceEntry & { renderTime: number; identifier: string })[]) {
              if (e.identifier === 'cmed-first-row' && element === undefined) element = e.renderTime;
            }
          }).observe({ type: 'element', buffered: true });
        }
        const t0 = Date.now();
        const poll = () => {
          const fcp = get('first-contentful-paint');
          const results = get('cmed:first-results');
          const data = get('cmed:data-ready');
          if (fcp !== undefined && (!live || (results !== undefined && data !== undefined && element !== undefined))) {
            resolve({ fcp, results, live: element, data });
          } else if (Date.now() - t0 > 30_000) reject(new Error('timed out waiting for paint timings'));
          else setTimeout(poll, 10);
        };
        poll();
      }),
    live,
  );
}

async function measure(label: string, extensionDir: string, entries: number): Promise<PopupFigures> {
  const dir = withBlankPage(extensionDir);
  const s = await launchExtension({ extensionDir: dir });
  try {
    const open = async (file: string) => {
      const page = await s.context.newPage();
      await page.setViewportSize({ width: 420, height: 600 });
      await page.goto(s.extensionUrl(file));
      return page;
    };
    // Warm-up opens: the first open of an extension page also starts its process.
    for (const file of ['popup.html', 'bench-blank.html']) await (await open(file)).close();
    const first: number[] = [];
    const paint: number[] = [];
    const livePaint: number[] = [];
    const ready: number[] = [];
    const blank: number[] = [];
    const over: number[] = [];
    for (let i = 0; i < OPENS; i++) {
      // Alternating order, so neither page always comes right after the other.
      let popupFcp = 0;
      let blankFcp = 0;
      for (const file of i % 2 ? ['bench-blank.html', 'popup.html'] : ['popup.html', 'bench-blank.html']) {
        const page = await open(file);
        const t = await timings(page, file === 'popup.html');
        if (file === 'popup.html') {
          popupFcp = t.fcp;
          paint.push(t.fcp);
          first.push(t.results!);
          livePaint.push(t.live!);
          ready.push(t.data!);
        } else {
          blankFcp = t.fcp;
          blank.push(t.fcp);
        }
        await page.close();
      }
      over.push(popupFcp - blankFcp);
    }
    const page = await s.openPopup();
    // Keystrokes are timed once search is ready; the wait before that is `dataReady`.
    await page.waitForFunction(() => performance.getEntriesByName('cmed:data-ready').length > 0, null, { timeout: 30_000 });
    // The floor for what typing shows: a bare input on a blank extension page, no script.
    const bare = await open('bench-input.html');
    for (const p of [page, bare]) await p.evaluate(watchPaints, p === page);
    const typed: { query: string; ms: number }[] = [];
    const cleared: { query: string; ms: number }[] = [];
    const paints: number[] = [];
    const barePaints: number[] = [];
    const count = () => page.evaluate(() => performance.getEntriesByName('cmed:search').length);
    const last = () => page.evaluate(() => performance.getEntriesByName('cmed:search').at(-1)!.duration);
    /** Types a key (or clears) and waits until the paint that follows it is recorded. */
    const press = async (p: Page, key: string | null) => {
      const before = await p.evaluate(() => (globalThis as unknown as { __paints: number[] }).__paints.length);
      const input = p.locator(p === page ? '#cmed-search' : 'input');
      if (key === null) await input.fill('');
      else await input.pressSequentially(key);
      await p.waitForFunction((n) => (globalThis as unknown as { __paints: number[] }).__paints.length > n, before, { timeout: 10_000 });
      return p.evaluate(() => (globalThis as unknown as { __paints: number[] }).__paints.at(-1)!);
    };
    // Rounds alternate between the two pages, each brought to the front to type in.
    for (let round = 0; round < 4; round++) {
      const popupRound = round % 2 === (round >> 1) % 2;
      const p = popupRound ? page : bare;
      await p.bringToFront();
      // The first frame of a page brought to the front redraws all of it: not a keystroke's.
      await p.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      for (const q of QUERIES) {
        for (let i = 0; i <= q.length; i++) {
          const clearing = i === q.length;
          const before = popupRound ? await count() : 0;
          const ms = await press(p, clearing ? null : q[i]);
          if (!popupRound) {
            barePaints.push(ms);
            continue;
          }
          paints.push(ms);
          await page.waitForFunction((n) => performance.getEntriesByName('cmed:search').length > n, before, { timeout: 10_000 });
          (clearing ? cleared : typed).push({ query: clearing ? `(clear "${q}")` : q.slice(0, i + 1), ms: await last() });
        }
      }
    }
    await bare.close();
    const all = [...typed, ...cleared];
    return {
      label,
      entries,
      firstResults: stat(first),
      firstPaint: stat(paint),
      livePaint: stat(livePaint),
      blankPaint: stat(blank),
      overBlank: stat(over),
      dataReady: stat(ready),
      keystroke: stat(all.map((k) => k.ms)),
      keyPaint: stat(paints),
      barePaint: stat(barePaints),
      typing: stat(typed.map((k) => k.ms)),
      clearing: stat(cleared.map((k) => k.ms)),
      worst: [...all].sort((a, b) => b.ms - a.ms).slice(0, 3),
    };
  } finally {
    await s.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchPopup(): Promise<PopupFigures[]> {
  const real = path.join(ROOT, '.output', 'chrome-mv3');
  const bundled = JSON.parse(fs.readFileSync(path.join(ROOT, 'generated', 'catalog.json'), 'utf8')).length as number;
  const results = [await measure('bundled catalog', real, bundled)];
  results.push(await measure(`synthetic catalog`, buildSynthetic(), SYNTHETIC));
  return results;
}

const fmt = (n: number) => n.toFixed(1).padStart(7);
const pair = (x: Stat) => `${fmt(x.median)} /${fmt(x.p95)}`;
export function printPopup(rows: PopupFigures[]): void {
  console.log('\nPopup (real Chromium, ms, median / p95)');
  for (const r of rows) {
    console.log(`  ${r.label}, ${r.entries} entries`);
    console.log(`    open → first results painted              ${pair(r.firstPaint)}   (${r.firstPaint.n} opens; first-contentful-paint, prerendered rows)`);
    console.log(`    open → blank extension page painted       ${pair(r.blankPaint)}   (same run, alternating; the floor)`);
    console.log(`      results painted − blank painted         ${pair(r.overBlank)}   (per pair of opens)`);
    console.log(`    open → live screen in the DOM             ${pair(r.firstResults)}   (cmed:first-results)`);
    console.log(`    open → live screen painted                ${pair(r.livePaint)}   (Element Timing, first row)`);
    console.log(`    open → search ready (cmed:data-ready)     ${pair(r.dataReady)}`);
    console.log(`    keystroke → results, all                  ${pair(r.keystroke)}   (${r.keystroke.n} keystrokes)`);
    console.log(`    keystroke → results painted               ${pair(r.keyPaint)}   (${r.keyPaint.n}; the first frame after the results are in)`);
    console.log(`    keystroke → painted, a bare input         ${pair(r.barePaint)}   (${r.barePaint.n}; same keys, a blank page, alternating rounds: the floor)`);
    console.log(`      typing                                  ${pair(r.typing)}   (${r.typing.n})`);
    console.log(`      clearing the query                      ${pair(r.clearing)}   (${r.clearing.n})`);
    console.log(`      slowest: ${r.worst.map((w) => `${JSON.stringify(w.query)} ${w.ms.toFixed(1)}`).join(', ')}`);
  }
  console.log('  targets: first results painted ≤ 100 ms; p95 keystroke→results ≤ 16 ms at 10,000 entries');
}

if (import.meta.url.endsWith('/bench-popup.ts') && process.env.CMED_BENCH_ALL !== '1') {
  printPopup(await benchPopup());
}
