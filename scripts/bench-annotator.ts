/**
 * Annotator benchmark in real Chromium with the built extension:
 *   npm run gen && npx wxt build && npx vite-node scripts/bench-annotator.ts
 * (CMED_EXTENSION_DIR=<dir> benchmarks another build, e.g. .output/annot/chrome-mv3;
 * CMED_BENCH_RUNS, CMED_BENCH_ROUNDS and CMED_BENCH_PAGES change the passes, loads and pages;
 * CMED_BENCH_LOADS=1 prints each load: its cold pass (with the blocks it read because the gate met a
 * candidate in them), warm passes, floors and our longest task, and which of our tasks that was.)
 *
 * Big generated pages (real Anthology titles from ../shared/corpora, see bench-pages.ts) are
 * served on the real hostnames; for each one it reports, side by side in one run:
 * - annotator: the whole full pass (regions, reading, scanning, marks, highlights, badge
 *   hosts inserted; the `cmed:annotate` measure's busyMs, i.e. the main-thread time of its
 *   slices). Cold is the first pass of a fresh load; warm is the median of the passes on the
 *   same page after switching the site off and on (which drops all state; the matcher stays
 *   compiled), {@link RUNS} per load, over {@link ROUNDS} loads;
 * - placement: the frame-sliced work after a pass that draws the badges and moves them to
 *   their mentions (`cmed:place` measures: our callbacks; the layout of what they draw is the
 *   browser's, in the frame's rendering step, and counts in the traced tasks below);
 * - floor, side by side: after every warm pass, in an isolated world of the same page (like
 *   the content script's), a TreeWalker over the same regions reading every character
 *   (median of 5 runs each time; the function is defined once per world, so its loop is as
 *   warm as the annotator's); the annotator/floor ratio is the ratio of the two medians.
 *   For reference, the same floor on a copy of the page without the extension, in its main
 *   world, with and without the region query;
 * - mark.js marking the same catalog names (once: it takes seconds);
 * - the same warm pass with 10× more catalog names (synthetic ones, through the test-only
 *   storage.local override (BENCH_MATCHER_KEY) the background reads); loads with 1× and 10×
 *   names alternate in pairs, 1× first in even rounds and 10× first in odd ones, so both see
 *   the same machine and a drift over the loads favours neither;
 * - beside each of those two ratios, its spread load by load (lowest–highest of the ratios of
 *   each load's own medians), which shows how far the machine alone moves it;
 * - the longest main-thread task the annotator caused: its longest slice, the matcher compile
 *   at start-up, its longest placement slice, and long tasks (PerformanceObserver) overlapping
 *   any of them; and, from a Chromium trace of each load, the longest main-thread task from a
 *   warm pass's start to its placement's end, whatever ran in it (our callbacks, and the
 *   style, layout and paint of the frames they dirty: the bench pages run no script of their
 *   own), with what of ours ran in it, and the same for the cold pass (median and highest: on
 *   a fresh load its window opens with the matcher's loading and holds the frame the first pass
 *   waits for, the first layout of what the pass inserted, and possibly the card module's
 *   injection and Chrome's own capture of the page's text, see trace.ts). The
 *   trace holds tasks and User Timing only (an event or two per task); with
 *   CMED_BENCH_LOADS=1 also the rendering steps, to say how much of the longest task was
 *   style, layout, paint, script evaluation, garbage collection or Chrome's text capture;
 * - the page's JS heap after the passes and a full GC, with 1× and 10× names (the bench
 *   pages run no script of their own: it is the content script's world, and the floor's);
 * and the size of each site's content script.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import type { Page } from 'playwright-core';
import { EXTENSION_DIR, launchExtension, siteUrl, type ExtensionSession } from '../tests/e2e/harness';
import { startTrace, tasksByPass } from './trace';
import { MARK_JS, SITE_OF, benchPages, catalog, floorFn, fmt, highest, placed, inflatedMatcherData, loadCorpus, median, pickPages, restartSite, setOverride, type BenchPage, type Floor } from './bench-pages';

/** Warm passes per load. */
const RUNS = Number(process.env.CMED_BENCH_RUNS ?? 5);
/**
 * Loads per page and catalog size, 1× and 10× names in pairs (an even count balances their
 * order). Six: a load's own medians move by up to a third from one load to the next on this
 * shared machine, so with four pairs two slow loads could carry the 10×/1× ratio.
 */
const ROUNDS = Number(process.env.CMED_BENCH_ROUNDS ?? 6);
/** Content-script budget, bytes (each site's script). */
const SIZE_BUDGET = 30 * 1024;
/** The per-site content scripts (entrypoints/<name>.content). */
const CONTENT_SCRIPTS = ['arxiv', 'acl', 'github'];

interface PassDetail {
  pass: number;
  kind: string;
  mentions: number;
  maxSliceMs: number;
  busyMs: number;
  slices: number;
  chars: number;
  textNodes: number;
  /** Blocks read in full: those where the gate met a candidate. */
  scanned: number;
}


interface Session {
  cold: PassDetail & { wall: number };
  /** Every warm pass: busy and wall ms, and its placement (sum and longest slice, ms). */
  warm: { busy: number; wall: number; place: number; placeMax: number }[];
  /** The side-by-side floor after each warm pass (isolated world of the same page). */
  floors: Floor[];
  compileMs: number;
  /** Longest of our own tasks: slices of every pass, the matcher load, placement slices. */
  ownLongest: number;
  /** Which of our tasks it was. */
  ownLongestWhat: string;
  /** Longest of those and the long tasks (PerformanceObserver) overlapping them, whoever's work they were. */
  longestTask: number;
  /** Long tasks that overlapped our work: duration and what of ours they held. */
  longTasks: string[];
  /**
   * From a trace of the page's main thread: the longest task (whoever's work ran in it: our
   * slices, the style, layout and paint they cause) from each pass's start to its placement's
   * end: the warm passes' longest, and the cold pass's (from the matcher's loading, which the
   * first pass follows a frame later). The bench pages run no script, and
   * their own first frames end before the content script starts (at document_idle), so every
   * task in either window is ours or caused by us (in the cold one also the card module's
   * injection, when it lands before placement ends), except Chrome's own capture of the page's
   * text, which can land in the cold one (see trace.ts).
   */
  traceWarm: { ms: number; what: string; total: number };
  traceCold: { ms: number; what: string };
  mentions: number;
  /** JS heap after the passes and a full GC, MB. */
  heapMB: number;
}

/**
 * A fresh load (cold pass), then {@link RUNS} warm full passes on the same page (site
 * switched off and on), each followed by its placement and the floor in an isolated world.
 */
async function session(s: ExtensionSession, p: BenchPage): Promise<Session> {
  const page = await s.context.newPage();
  await observeLongTasks(page);
  const cdp = await s.context.newCDPSession(page);
  const trace = await startTrace(cdp, process.env.CMED_BENCH_LOADS === '1');
  await page.goto(siteUrl(p.host, p.path), { timeout: 120_000 });
  const fulls = async (n: number) => {
    const h = await page.waitForFunction(
      (n) => {
        const list = (performance.getEntriesByName('cmed:annotate') as PerformanceMeasure[]).filter((e) => (e.detail as PassDetail).kind === 'full');
        return list.length >= n && document.documentElement.getAttribute('data-cmed-annotator') === 'idle' ? list.length : null;
      },
      n,
      { timeout: 120_000, polling: 50 },
    );
    return (await h.jsonValue()) as number;
  };
  await fulls(1);
  const { frameTree } = (await cdp.send('Page.getFrameTree')) as { frameTree: { frame: { id: string } } };
  const { executionContextId } = await cdp.send('Page.createIsolatedWorld', { frameId: frameTree.frame.id, worldName: 'cmed-floor' });
  // The floor is defined once per world and called after every warm pass, so its loop is as
  // warm (optimised) as the annotator's: a function evaluated afresh each time starts cold,
  // and its median then moved with the compiler's tiering, not with the page.
  await cdp.send('Runtime.evaluate', { expression: `globalThis.__cmedFloor = ${floorFn.toString()}; 0`, contextId: executionContextId });
  const floors: Floor[] = [];
  await placed(page);
  const site = SITE_OF[p.host];
  for (let i = 0; i < RUNS; i++) {
    await page.waitForTimeout(100);
    const before = await fulls(1);
    await restartSite(s, page, site);
    await fulls(before + 1);
    await placed(page);
    const floor = (await cdp.send('Runtime.evaluate', { expression: `__cmedFloor(${JSON.stringify(p.regions)}, 5)`, contextId: executionContextId, returnByValue: true })) as {
      result: { value: Floor };
    };
    floors.push(floor.result.value);
  }
  // The trace ends first: the full GC below is the benchmark's own (tens of milliseconds on
  // a big page), and a placement slice after it would have pulled it into a pass's window.
  const tasks = tasksByPass(await trace.stop());
  // The page's JS heap after a full GC: the bench pages run no script of their own, so it
  // is the content script's world (the matcher, the mentions) and the small floor world.
  await cdp.send('HeapProfiler.collectGarbage');
  const heapMB = ((await cdp.send('Runtime.getHeapUsage')) as { usedSize: number }).usedSize / 2 ** 20;
  await cdp.detach();
  const got = await page.evaluate(() => {
    const passes = (performance.getEntriesByName('cmed:annotate') as PerformanceMeasure[])
      .filter((e) => (e.detail as { kind: string }).kind === 'full')
      .map((e) => ({ start: e.startTime, wall: e.duration, detail: e.detail }));
    const compile = performance.getEntriesByName('cmed:compile').map((e) => ({ start: e.startTime, wall: e.duration }));
    // Passes are in start order: a placement slice from the second pass's start on follows a warm pass.
    const place = performance.getEntriesByName('cmed:place').map((e) => ({
      start: e.startTime,
      wall: e.duration,
      what: passes.length > 1 && e.startTime >= passes[1].start ? 'placement after a warm pass' : 'placement after the cold pass',
    }));
    const spans = [...passes.map((e, i) => ({ what: i ? 'warm pass' : 'cold pass', ...e })), ...compile.map((e) => ({ what: 'compile', ...e })), ...place];
    // Each long task with what of ours ran inside it (to tell our slices from the page's own work).
    const long = (window as unknown as { __long: { start: number; duration: number }[] }).__long
      .map((t) => ({ duration: t.duration, with: [...new Set(spans.filter((e) => t.start + t.duration > e.start && t.start < e.start + e.wall).map((e) => e.what))].join('+') }))
      .filter((t) => t.with);
    return { passes, compile, place, long };
  });
  await page.close();
  const details = got.passes.map((x) => x.detail as PassDetail);
  const cold = { ...details[0], wall: got.passes[0].wall };
  // Each placement slice belongs to the last pass that started before it.
  const placeOf = got.passes.map(() => ({ sum: 0, max: 0 }));
  for (const pl of got.place) {
    let k = -1;
    got.passes.forEach((x, j) => {
      if (x.start <= pl.start) k = j;
    });
    if (k < 0) continue;
    placeOf[k].sum += pl.wall;
    placeOf[k].max = Math.max(placeOf[k].max, pl.wall);
  }
  const warm = got.passes.slice(1).map((x, j) => ({ busy: (x.detail as PassDetail).busyMs, wall: x.wall, place: placeOf[j + 1].sum, placeMax: placeOf[j + 1].max }));
  const compileMs = got.compile[0]?.wall ?? NaN;
  // Our tasks, each with what it was: pass slices, the matcher's load, placement slices.
  const ours: { ms: number; what: string }[] = [
    ...details.map((d, i) => ({ ms: d.maxSliceMs, what: i ? 'a warm pass' : 'the cold pass' })),
    { ms: Number.isFinite(compileMs) ? compileMs : 0, what: "the matcher's load" },
    ...got.place.map((x) => ({ ms: x.wall, what: x.what })),
  ];
  const top = highest(ours)!;
  const ownLongest = top.ms;
  return {
    cold,
    warm,
    floors,
    compileMs,
    ownLongest,
    ownLongestWhat: top.what,
    longestTask: Math.max(ownLongest, ...got.long.map((t) => t.duration)),
    longTasks: got.long.map((t) => `${Math.round(t.duration)} ms with ${t.with}`),
    traceWarm: highest(tasks.slice(1)) ?? { ms: NaN, what: '', total: 0 },
    traceCold: tasks[0] ?? { ms: NaN, what: '' },
    mentions: cold.mentions,
    heapMB,
  };
}

/** Collects the page's long tasks (over 50 ms) from its start in `window.__long`. */
async function observeLongTasks(page: Page): Promise<void> {
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
}

/**
 * The reference floor (main world) and mark.js, on the same HTML served on example.org, where
 * the content script does not run; and the long tasks of that page's own load and first
 * frames (what the page costs without us, beside the long tasks that held our work).
 */
async function floorAndMark(
  s: ExtensionSession,
  p: BenchPage,
  names: string[],
): Promise<{ floor: number; floorCold: number; floorQuery: number; markMs: number; marked: number; loadLong: number[] }> {
  const plain = `/bench${p.path.replace(/\/$/, '')}`;
  s.server.route('example.org', plain, p.html);
  const page: Page = await s.context.newPage();
  await observeLongTasks(page);
  await page.goto(siteUrl('example.org', plain), { timeout: 120_000 });
  // Two frames and half a second after load: the first layout and paint are in.
  await page.evaluate(() => new Promise<void>((done) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(done, 500)))));
  const loadLong = await page.evaluate(() => (window as unknown as { __long: { duration: number }[] }).__long.map((t) => Math.round(t.duration)));
  const floor = (await page.evaluate(`(${floorFn.toString()})(${JSON.stringify(p.regions)}, 9)`)) as Floor;
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
  return { floor: floor.warm, floorCold: floor.cold, floorQuery: floor.withQuery, markMs: mark.ms, marked: mark.marked, loadLong };
}

/** "lowest–highest" of per-load ratios. */
const spread = (xs: number[]) => `${fmt(Math.min(...xs), 2)}–${fmt(Math.max(...xs), 2)}`;

async function main() {
  const scripts = CONTENT_SCRIPTS.map((name) => path.join(EXTENSION_DIR, 'content-scripts', `${name}.js`));
  if (!scripts.every((f) => fs.existsSync(f))) throw new Error(`No built extension at ${EXTENSION_DIR}: run \`npm run gen && npx wxt build\` first.`);
  const rows = loadCorpus();
  // CMED_BENCH_PAGES (indices, e.g. "0,4") runs some of the pages only, for work on one of them.
  const pages = pickPages(benchPages(rows), process.env.CMED_BENCH_PAGES);
  const names = [...new Set(catalog.flatMap((e) => [e.title, ...e.names]).filter((n) => n.length >= 3))];
  const inflated = inflatedMatcherData(rows);

  const s = await launchExtension({ extensionDir: EXTENSION_DIR });
  try {
    for (const p of pages) s.server.route(p.host, p.path, p.html);
    const results: string[][] = [];
    const ratios: { name: string; isoX: number; floorX: number; queryX: number; coldX: number; markX: number; tenX: number; isoSpread: string; tenSpread: string; own: number; longest: number; traced: { ms: number; what: string }; coldTop: { ms: number; what: string } }[] = [];
    const longNotes: string[] = [];
    for (const p of pages) {
      // Warm-up load (the first run of the content script in a fresh profile pays compile costs).
      await session(s, p);
      const ones: Session[] = [];
      const tens: Session[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        // 1×, 10×, then 10×, 1×, and so on: a machine that speeds up or slows down over a
        // page's loads weighs on both catalog sizes alike instead of always on the second.
        for (const tenNames of round % 2 ? [true, false] : [false, true]) {
          await setOverride(s, tenNames ? inflated : null);
          const x = await session(s, p);
          (tenNames ? tens : ones).push(x);
          // CMED_BENCH_LOADS=1: each load on its own line, passes and floors in order, to see what a ratio's spread is made of.
          if (process.env.CMED_BENCH_LOADS === '1') {
            console.log(`  ${p.name}, round ${round + 1}, ${tenNames ? '10×' : '1×'} names: cold pass ${fmt(x.cold.busyMs, 2)} ms in ${x.cold.slices} slices, longest ${fmt(x.cold.maxSliceMs, 2)}, ${x.cold.scanned} blocks read for candidates; warm passes ${x.warm.map((w) => fmt(w.busy, 2)).join(' ')} ms; floors ${x.floors.map((f) => fmt(f.warm, 2)).join(' ')} ms; our longest task ${fmt(x.ownLongest, 2)} ms (${x.ownLongestWhat}); longest task in the trace, warm passes with their placement ${fmt(x.traceWarm.ms, 2)} ms (${x.traceWarm.what}), cold ${fmt(x.traceCold.ms, 2)} ms (${x.traceCold.what})`);
          }
        }
      }
      // The next page's warm-up load, like every first load, runs with the catalog's names.
      await setOverride(s, null);
      const fm = await floorAndMark(s, p, names);
      const warmOf = (xs: Session[]) => xs.flatMap((x) => x.warm);
      const one = { busy: median(warmOf(ones).map((w) => w.busy)), wall: median(warmOf(ones).map((w) => w.wall)), place: median(warmOf(ones).map((w) => w.place)), placeMax: Math.max(...warmOf(ones).map((w) => w.placeMax)) };
      const ten = { busy: median(warmOf(tens).map((w) => w.busy)), wall: median(warmOf(tens).map((w) => w.wall)) };
      const floors = ones.flatMap((x) => x.floors);
      // The same ratios load by load (each load's own medians; for 10× names, each 10× load
      // against the 1× load next to it, of the same round): their spread shows how far the machine moves them.
      const busyOf = (x: Session) => median(x.warm.map((w) => w.busy));
      const loadIso = ones.map((x) => busyOf(x) / median(x.floors.map((f) => f.warm)));
      const loadTen = tens.map((x, r) => busyOf(x) / busyOf(ones[r]));
      const iso = { warm: median(floors.map((f) => f.warm)), withQuery: median(floors.map((f) => f.withQuery)) };
      const cold = ones[0].cold;
      const all = [...ones, ...tens];
      const longest = Math.max(...all.map((x) => x.longestTask));
      const own = Math.max(...all.map((x) => x.ownLongest));
      const traced = highest(all.map((x) => x.traceWarm))!;
      const tracedMedian = median(all.map((x) => x.traceWarm.ms));
      const tracedCold = median(all.map((x) => x.traceCold.ms));
      const coldTop = highest(all.map((x) => x.traceCold))!;
      const longTasks = all.flatMap((x) => x.longTasks);
      if (longTasks.length || fm.loadLong.length) {
        longNotes.push(`  ${p.name}: ${longTasks.join('; ') || 'none'}; the same page loaded without the extension: ${fm.loadLong.map((d) => `${d} ms`).join(', ') || 'none'}`);
      }
      results.push([
        p.name,
        `${(Buffer.byteLength(p.html) / 1024).toFixed(0)} KB`,
        String(cold.chars),
        String(cold.mentions),
        `${fmt(median(ones.map((x) => x.cold.busyMs)))} / ${fmt(median(ones.map((x) => x.cold.wall)))}`,
        `${fmt(one.busy, 2)} / ${fmt(one.wall)}`,
        `${fmt(iso.warm, 2)} / ${fmt(iso.withQuery, 2)}`,
        `${fmt(fm.floor, 2)} / ${fmt(fm.floorQuery, 2)} / ${fmt(fm.floorCold, 2)}`,
        `${fmt(ten.busy, 2)} / ${fmt(ten.wall)}`,
        `${fmt(one.place, 1)} / ${fmt(one.placeMax, 1)}`,
        `${fmt(fm.markMs, 0)} (${fm.marked})`,
        `${fmt(median(ones.map((x) => x.compileMs)))} / ${fmt(median(tens.map((x) => x.compileMs)))}`,
        `${fmt(median(ones.map((x) => x.heapMB)), 2)} / ${fmt(median(tens.map((x) => x.heapMB)), 2)}`,
        `${fmt(own)} / ${fmt(longest)}${longTasks.length ? ` (${longTasks.length} long)` : ''}`,
        `${fmt(tracedMedian)} / ${fmt(traced.ms)} / ${fmt(tracedCold)} / ${fmt(coldTop.ms)}`,
      ]);
      ratios.push({
        name: p.name,
        isoX: one.busy / iso.warm,
        floorX: one.busy / fm.floor,
        queryX: one.busy / fm.floorQuery,
        coldX: median(ones.map((x) => x.cold.busyMs)) / fm.floorCold,
        markX: fm.markMs / one.busy,
        tenX: ten.busy / one.busy,
        isoSpread: spread(loadIso),
        tenSpread: spread(loadTen),
        own,
        longest,
        traced,
        coldTop,
      });
    }
    const head = [
      'page',
      'html',
      'chars',
      'mentions',
      'cold busy/wall ms',
      'warm busy/wall ms',
      'floor side by side / +query ms',
      'floor main world / +query / cold ms',
      '10× names warm busy/wall',
      'placement ms / longest slice',
      'mark.js ms (marks)',
      'compile 1×/10× ms',
      'JS heap 1×/10× MB',
      'longest task ms: ours / with overlapping long tasks',
      'traced longest task ms: warm median / warm max / cold median / cold max',
    ];
    const widths = head.map((h, i) => Math.max(h.length, ...results.map((r) => r[i].length)));
    const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ');
    console.log(
      `\nAnnotator benchmark — headless Chromium, ${new Date().toISOString()}; warm = median of ${RUNS} passes × ${ROUNDS} loads, loads with 1× and 10× names alternating; floor side by side = in an isolated world of the same page after each warm pass\n`,
    );
    console.log(line(head));
    console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
    for (const r of results) console.log(line(r));
    console.log(
      '\nratios: annotator/floor warm busy (target ≤ 2×): side by side (load by load) | main world [+query; cold/cold] · mark.js/annotator warm (target ≥ 500×) · 10×/1× names warm busy (target ≤ 1.1×) (load by load) · longest task we caused, placement included (target ≤ 50 ms): our own slices, with overlapping long tasks; and in a trace, the longest main-thread task of any warm pass with its placement, whatever ran in it, then of any cold pass with its placement',
    );
    for (const r of ratios) {
      console.log(
        `  ${r.name.padEnd(widths[0])}  ${fmt(r.isoX, 2)}× (${r.isoSpread}) | ${fmt(r.floorX, 2)}× [${fmt(r.queryX, 2)}×; ${fmt(r.coldX, 2)}×]  ·  ${fmt(r.markX, 0)}×  ·  ${fmt(r.tenX, 2)}× (${r.tenSpread})  ·  ${fmt(r.own)} ms ours, ${fmt(r.longest)} ms with overlapping long tasks; traced ${fmt(r.traced.ms)} ms (${r.traced.what}), cold ${fmt(r.coldTop.ms)} ms (${r.coldTop.what})`,
      );
    }
    if (longNotes.length) console.log(`\nlong tasks (over 50 ms) that overlapped our work, with what of ours ran inside them, and those of the page's own load:\n${longNotes.join('\n')}`);
    console.log('\ncontent scripts (minified; gzip):');
    let largest = 0;
    for (const f of scripts) {
      const size = fs.statSync(f).size;
      largest = Math.max(largest, size);
      console.log(`  ${path.basename(f).padEnd(12)} ${size} bytes = ${(size / 1024).toFixed(1)} KB (${(zlib.gzipSync(fs.readFileSync(f)).length / 1024).toFixed(1)} KB gzip)`);
    }
    console.log(`  largest ${(largest / 1024).toFixed(1)} KB; budget ${SIZE_BUDGET / 1024} KB: ${largest <= SIZE_BUDGET ? 'within' : 'OVER'}`);
  } finally {
    await setOverride(s, null).catch(() => undefined);
    await s.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
