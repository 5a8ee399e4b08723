/**
 * A/B of what a fresh page load costs, between two (or more) builds, side by side in one run.
 * Dev tool, not part of CI or `npm run bench` (ab-annotator.ts compares warm passes instead):
 *   npx vite-node scripts/ab-load.ts <dirA> <dirB> [...]
 * Env: CMED_AB_PAGES (indices into the pages below, default all), CMED_AB_LOADS (counted loads
 * per build and page, default 8), CMED_AB_TEN=1 (10× the catalog's names, as the benchmark's 10× loads).
 *
 * Pages: the two smallest real saved pages of ../shared/corpora/pages/ (arXiv abstract, ACL
 * Anthology paper), then the benchmark's five pages (bench-pages.ts). For each page, one
 * uncounted load per build, then CMED_AB_LOADS loads per build, the builds' order reversed
 * every other time. Printed per build, medians (lowest–highest) over the loads: the matcher's
 * load (`cmed:compile`), the first pass's main-thread time (`cmed:annotate` busyMs), its
 * longest slice, and load + first pass per load (median and mean).
 */
import fs from 'node:fs';
import path from 'node:path';
import { SAVED_PAGES, SHARED_PAGES, launchExtension, siteUrl, type ExtensionSession } from '../tests/e2e/harness';
import { benchPages, firstLoad, inflatedMatcherData, loadCorpus, median, pickPages, setOverride, sideBySide, type FirstLoad } from './bench-pages';

interface LoadPage {
  name: string;
  host: string;
  path: string;
  html: string | Buffer;
}

async function coldLoad(s: ExtensionSession, p: LoadPage): Promise<FirstLoad> {
  const page = await s.context.newPage();
  await page.goto(siteUrl(p.host, p.path), { timeout: 120_000 });
  await page.waitForFunction(
    () => document.documentElement.getAttribute('data-cmed-annotator') === 'idle' && performance.getEntriesByName('cmed:annotate').length > 0,
    null,
    { polling: 50, timeout: 60_000 },
  );
  const got = await firstLoad(page);
  await page.close();
  return got;
}

const range = (xs: number[]) => `${median(xs).toFixed(1)} (${Math.min(...xs).toFixed(1)}–${Math.max(...xs).toFixed(1)})`;

async function main() {
  const dirs = process.argv.slice(2);
  if (dirs.length < 2) throw new Error('usage: npx vite-node scripts/ab-load.ts <extension dir A> <extension dir B> [...]');
  const loads = Number(process.env.CMED_AB_LOADS ?? 8);
  const rows = loadCorpus();
  const pages: LoadPage[] = [
    ...SAVED_PAGES.slice(0, 2).map(({ host, path: p, file }) => ({ name: `${host}${p} (real)`, host, path: p, html: fs.readFileSync(path.join(SHARED_PAGES, file)) })),
    ...benchPages(rows),
  ];
  const picked = pickPages(pages, process.env.CMED_AB_PAGES);
  const ten = process.env.CMED_AB_TEN === '1' ? inflatedMatcherData(rows) : null;
  const sessions: ExtensionSession[] = [];
  try {
    for (const dir of dirs) sessions.push(await launchExtension({ extensionDir: dir }));
    for (const s of sessions) {
      for (const p of picked) s.server.route(p.host, p.path, p.html);
      if (ten) await setOverride(s, ten);
    }
    console.log(`A/B of fresh loads${ten ? ', 10× names' : ''}: matcher load, first pass, ms (median (lowest–highest) of ${loads} loads per build), ${new Date().toISOString()}`);
    for (const p of picked) {
      const got = await sideBySide(sessions, loads + 1, (s) => coldLoad(s, p));
      console.log(p.name);
      got.forEach((cs, k) => {
        const sum = cs.map((c) => c.compileMs + c.passMs);
        console.log(
          `  ${dirs[k].padEnd(32)} matcher load ${range(cs.map((c) => c.compileMs))}  first pass ${range(cs.map((c) => c.passMs))}` +
            `  longest slice ${median(cs.map((c) => c.sliceMs)).toFixed(1)}  load + pass ${median(sum).toFixed(1)} (mean ${(sum.reduce((a, b) => a + b, 0) / sum.length).toFixed(1)})`,
        );
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
