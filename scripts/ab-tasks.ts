/**
 * A/B of the main-thread tasks a warm pass and its placement cause, between two (or more)
 * builds side by side in one run. Dev tool, not part of CI or `npm run bench`:
 *   npx vite-node scripts/ab-tasks.ts <dirA> <dirB> [...]
 * Env: CMED_AB_PAGES (indices into the benchmark's pages, default those with mentions),
 * CMED_AB_ROUNDS (default 5; the first is a warm-up and is not counted).
 *
 * Each load is traced (scripts/trace.ts): a fresh load, then five warm passes (site switched
 * off and on), each waited on until its placement's last slice. Printed per build: the median
 * and the highest of each load's longest task (any warm pass with its placement, whatever ran
 * in it: our callbacks, the style, layout and paint of the frames they dirty; the benchmark
 * pages run no script of their own), what the longest of all held, and the median of each
 * load's summed task time over its five windows (the total main-thread work), and the
 * rendering in them (style, layout, pre-paint and paint: the most in one frame, and in all);
 * then the same for the fresh load's cold window, from the matcher's loading to the end of the
 * cold pass's placement (the page's own first frames come before it: the content script starts
 * after the page's load and a message to the background), with the time of Chrome's own
 * capture of the page's text that fell in it (not ours; see trace.ts): in a build that waits a
 * frame before its first pass, that frame is in the window.
 * As with scripts/ab-annotator.ts, only builds measured in the same run compare.
 */
import { launchExtension, siteUrl, type ExtensionSession } from '../tests/e2e/harness';
import { SITE_OF, benchPages, fmt, highest, loadCorpus, median, pickPages, placed, sideBySide, warmPasses, type BenchPage } from './bench-pages';
import { mergeWindows, startTrace, tasksByPass, type PassWindow } from './trace';

const PASSES = 5;

async function load(s: ExtensionSession, p: BenchPage) {
  const page = await s.context.newPage();
  const cdp = await s.context.newCDPSession(page);
  const trace = await startTrace(cdp, true);
  await page.goto(siteUrl(p.host, p.path), { timeout: 120_000 });
  await warmPasses(s, page, SITE_OF[p.host], PASSES, () => placed(page));
  const [cold, ...warm] = tasksByPass(await trace.stop());
  await cdp.detach();
  await page.close();
  return { cold, warm: mergeWindows(warm) };
}

/** One build's line for one kind of window: its loads' longest task, all tasks, rendering and Chrome's text capture. */
function line(head: string, loads: PassWindow[]): string {
  const top = highest(loads)!;
  const med = (f: (w: PassWindow) => number, d = 1) => fmt(median(loads.map(f)), d);
  return `  ${head.padEnd(36)} longest task median ${med((w) => w.ms)} ms, highest ${fmt(top.ms)} (${top.what}); all tasks ${med((w) => w.total, 0)} ms; rendering: most in a frame median ${med((w) => w.rendering.frame)} ms, all ${med((w) => w.rendering.sum, 0)} ms; Chrome's text capture in it, median ${med((w) => w.rendering.capture)} ms`;
}

async function main() {
  const dirs = process.argv.slice(2);
  if (dirs.length < 2) throw new Error('usage: npx vite-node scripts/ab-tasks.ts <extension dir A> <extension dir B> [...]');
  const picked = pickPages(benchPages(loadCorpus()), process.env.CMED_AB_PAGES ?? '0,1,2,3');
  const rounds = Number(process.env.CMED_AB_ROUNDS ?? 5);
  const sessions: ExtensionSession[] = [];
  try {
    for (const dir of dirs) sessions.push(await launchExtension({ extensionDir: dir }));
    console.log(`A/B, longest main-thread task of a warm pass with its placement, per load (${rounds - 1} loads × ${PASSES} passes per build), ${new Date().toISOString()}`);
    for (const p of picked) {
      for (const s of sessions) s.server.route(p.host, p.path, p.html);
      const got = await sideBySide(sessions, rounds, (s) => load(s, p));
      console.log(p.name);
      got.forEach((loads, k) => {
        console.log(line(`${dirs[k]}, five warm passes:`, loads.map((x) => x.warm)));
        console.log(line('  the cold pass:', loads.map((x) => x.cold)));
      });
    }
  } finally {
    for (const s of sessions) await s.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
