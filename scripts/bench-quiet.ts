/**
 * What the extension costs a page with nothing to find, in real Chromium with the built
 * extension (the issue's "near-zero cost on pages with nothing to find"):
 *   npm run gen && npx wxt build && npx vite-node scripts/bench-quiet.ts
 * (CMED_EXTENSION_DIR=<dir> for another build, CMED_QUIET_LOADS for the loads per page,
 * CMED_QUIET_PAGES to run some of the pages;
 * CMED_QUIET_SELF=1 prints where our sampled time went, by function, for each profiled load.)
 *
 * Each page gets a warm-up load, then CMED_QUIET_LOADS plain loads and as many profiled ones,
 * alternating. Printed side by side, medians over the loads:
 * - from the plain loads, our own measures: the first pass's main-thread time (`cmed:annotate`
 *   busyMs) and the matcher's load (`cmed:compile`), both absent on a page we do not read;
 *   beside them the same measures in the profiled loads, which show how much the profiler
 *   itself slows our first-run code down;
 * - from the profiled loads (a CPU profile of the renderer, 100 µs samples, from before
 *   navigation until the load has settled and, on a page we read, the first pass is done): our
 *   main-thread time, the samples with a frame of the extension's scripts on their stack (the
 *   content script's evaluation, its message, the matcher's load, the pass), against the
 *   page's, every sample that is not idle, ours included. The profiler slows down code that
 *   runs for the first time (it records every function compiled), which most of ours on a
 *   fresh page is: our share is an upper bound;
 * - what was left on the page: badge hosts, banners, the card (there must be none).
 * Pages: the real saved pages of ../shared/corpora/pages/ under their real hostnames (none
 * names a catalog item), the benchmark's 500 KB README with nothing to find, and a GitHub view
 * of a 500 KB Python file, a page of the site that the annotator does not read.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { EXTENSION_DIR, SAVED_PAGES, SHARED_PAGES, launchExtension, siteUrl, type ExtensionSession } from '../tests/e2e/harness';
import { benchPages, esc, firstLoad, fmt, loadCorpus, median, pickPages, rng, type Row } from './bench-pages';

const LOADS = Number(process.env.CMED_QUIET_LOADS ?? 5);

interface QuietPage {
  name: string;
  host: string;
  path: string;
  html: string | Buffer;
  /** Whether the site's adapter reads this page (so a pass runs). */
  read: boolean;
}

/** GitHub's view of a large Python file: a page of a site we run on, but not one we read. */
function githubCodeView(rows: Row[], bytes: number): QuietPage {
  const rand = rng(7);
  const lines: string[] = [];
  let size = 0;
  for (let i = 1; size < bytes; i++) {
    // Code that names catalog items too: it must not be read at all.
    const line =
      i % 7 === 0
        ? `    # see "${esc(rows[(rand() * rows.length) | 0].title)}" (PubMedQA, CMeKG)`
        : `    x_${i} = preprocess(batch[${i % 97}], max_len=${128 + (i % 5) * 64})  # step ${i}`;
    lines.push(`<tr><td class="blob-num" data-line-number="${i}"></td><td class="blob-code blob-code-inner">${line}</td></tr>`);
    size += line.length + 90;
  }
  return {
    name: 'GitHub code view, 500 KB (not read)',
    host: 'github.com',
    path: '/bench/quiet/blob/main/preprocess.py',
    html: `<!doctype html><html><head><meta charset=utf-8><title>preprocess.py</title></head><body><main><div class="Box"><table class="highlight">${lines.join('')}</table></div></main></body></html>`,
    read: false,
  };
}

function quietPages(): QuietPage[] {
  const rows = loadCorpus();
  const readme = benchPages(rows)[4];
  return [
    ...SAVED_PAGES.map(({ host, path: p, file }) => ({ name: `${host}${p} (real, read)`, host, path: p, html: fs.readFileSync(path.join(SHARED_PAGES, file)), read: true })),
    { name: 'README, 500 KB, nothing to find (read)', host: readme.host, path: readme.path, html: readme.html, read: true },
    githubCodeView(rows, 500_000),
  ];
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber?: number };
  children?: number[];
}

interface Load {
  /** Main-thread time of samples with our frames on the stack, and of all non-idle samples, ms (profiled loads). */
  oursMs: number;
  pageMs: number;
  passMs: number;
  compileMs: number;
  left: { badges: number; banners: number; ui: boolean };
}

/** One load of `p`, plain or under a CPU profile of its renderer (the split of main-thread time between us and the rest). */
async function load(s: ExtensionSession, p: QuietPage, profiling: boolean): Promise<Load> {
  const page: Page = await s.context.newPage();
  const cdp = await s.context.newCDPSession(page);
  if (profiling) {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
    await cdp.send('Profiler.start');
  }
  await page.goto(siteUrl(p.host, p.path), { timeout: 120_000 });
  // On a page we read, until its first pass is done; on one we do not, the marker only says the script ran.
  await page.waitForFunction(
    (read) => {
      const state = document.documentElement.getAttribute('data-cmed-annotator');
      return read ? state === 'idle' && performance.getEntriesByName('cmed:annotate').length > 0 : state === 'ready';
    },
    p.read,
    { timeout: 60_000, polling: 50 },
  );
  // Two frames and half a second more: the first layout and paint, and anything we might still do.
  await page.evaluate(() => new Promise<void>((done) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(done, 500)))));
  let oursUs = 0;
  let pageUs = 0;
  if (profiling) {
    const { profile } = (await cdp.send('Profiler.stop')) as { profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] } };
    const ours = `chrome-extension://${s.extensionId}/`;
    const parent = new Map<number, number>();
    for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const isOurs = new Map<number, boolean>();
    const mine = (id: number): boolean => {
      let v = isOurs.get(id);
      if (v === undefined) {
        const up = parent.get(id);
        v = byId.get(id)!.callFrame.url.startsWith(ours) || (up !== undefined && mine(up));
        isOurs.set(id, v);
      }
      return v;
    };
    const self = new Map<string, number>();
    // A sample stands for the time until the next one.
    for (let i = 0; i + 1 < profile.samples.length; i++) {
      const n = byId.get(profile.samples[i])!;
      const dt = profile.timeDeltas[i + 1];
      if (n.callFrame.functionName === '(idle)') continue;
      pageUs += dt;
      if (!mine(n.id)) continue;
      oursUs += dt;
      const key = `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber ?? ''}`;
      self.set(key, (self.get(key) ?? 0) + dt);
    }
    if (process.env.CMED_QUIET_SELF === '1') {
      const top = [...self].sort((a, b) => b[1] - a[1]).slice(0, 12);
      console.log(`  ${p.name}: ${top.map(([k, us]) => `${k} ${(us / 1000).toFixed(2)}`).join('; ')}`);
    }
  }
  await cdp.detach();
  const { passMs, compileMs } = await firstLoad(page);
  const left = await page.evaluate(() => ({
    badges: document.querySelectorAll('[data-catalog-entry]').length,
    banners: document.querySelectorAll('[data-catalog-page]').length,
    ui: document.querySelector('cmed-card') !== null,
  }));
  await page.close();
  return { oursMs: oursUs / 1000, pageMs: pageUs / 1000, passMs, compileMs, left };
}

async function main() {
  if (!fs.existsSync(path.join(EXTENSION_DIR, 'manifest.json'))) throw new Error(`No built extension at ${EXTENSION_DIR}: run \`npm run gen && npx wxt build\` first.`);
  // CMED_QUIET_PAGES (indices, e.g. "0,5") runs some of the pages only.
  const pages = pickPages(quietPages(), process.env.CMED_QUIET_PAGES);
  const s = await launchExtension({ extensionDir: EXTENSION_DIR });
  try {
    for (const p of pages) s.server.route(p.host, p.path, p.html);
    const rows: string[][] = [];
    for (const p of pages) {
      await load(s, p, false); // warm-up: the browser's first load of the page
      const plain: Load[] = [];
      const profiled: Load[] = [];
      for (let i = 0; i < LOADS; i++) {
        plain.push(await load(s, p, false));
        profiled.push(await load(s, p, true));
      }
      const left = [...plain, ...profiled].reduce((a, l) => a + l.left.badges + l.left.banners + Number(l.left.ui), 0);
      const ours = profiled.map((l) => l.oursMs);
      rows.push([
        p.name,
        `${(Buffer.byteLength(p.html) / 1024).toFixed(0)} KB`,
        `${fmt(median(plain.map((l) => l.passMs)), 1)} / ${fmt(median(profiled.map((l) => l.passMs)), 1)}`,
        `${fmt(median(plain.map((l) => l.compileMs)), 1)} / ${fmt(median(profiled.map((l) => l.compileMs)), 1)}`,
        `${fmt(median(ours), 1)} (${fmt(Math.min(...ours), 1)}–${fmt(Math.max(...ours), 1)})`,
        fmt(median(profiled.map((l) => l.pageMs))),
        `${fmt(median(profiled.map((l) => (100 * l.oursMs) / l.pageMs)), 1)} %`,
        left === 0 ? 'nothing' : `${left} element(s)!`,
      ]);
    }
    const head = ['page', 'html', 'first pass busy ms, plain / profiled', 'matcher load ms, plain / profiled', 'ours, sampled ms (lowest–highest)', 'page, sampled ms', 'ours / page', 'left on the page'];
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ');
    console.log(
      `\nPages with nothing to find — headless Chromium, ${new Date().toISOString()}; medians of ${LOADS} plain and ${LOADS} profiled loads (alternating, after a warm-up load); sampled = main-thread time in a CPU profile (100 µs samples) from navigation until the load settled, an upper bound for ours\n`,
    );
    console.log(line(head));
    console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
    for (const r of rows) console.log(line(r));
  } finally {
    await s.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
