/**
 * A/B of the annotator's warm full pass between two (or more) builds, side by side in one run.
 * Dev tool, not part of CI or `npm run bench`:
 *   npx vite-node scripts/ab-annotator.ts <dirA> <dirB> [...]
 *   e.g. cp -r .output/chrome-mv3 /tmp/before; (change, then) npx wxt build;
 *        npx vite-node scripts/ab-annotator.ts /tmp/before .output/chrome-mv3
 * Env: CMED_AB_PAGES (indices into the benchmark's pages, default all), CMED_AB_ROUNDS (default 5),
 * CMED_AB_NAMES=10 (every build scans with the benchmark's 10× names instead of the catalog's).
 *
 * One browser per build, all launched at once (an idle one takes no CPU). For each benchmark
 * page (bench-pages.ts) and round, each build in turn (the order reversed every other round)
 * gets a fresh load and five warm passes (site switched off and on); the first round is a
 * warm-up and is not counted. Printed per
 * build: median and minimum busy ms of the counted passes, the characters read and the
 * mentions found (which must agree between builds that should behave the same), and the
 * medians of the cold pass and of each warm pass by its place in the load.
 *
 * This machine's speed drifts within minutes, so only builds measured in the same run
 * compare; an A/A run (one build against a copy of itself) differed by 2–17 % in its
 * medians, so smaller differences are noise here.
 */
import { launchExtension, siteUrl, type ExtensionSession } from '../tests/e2e/harness';
import { SITE_OF, benchPages, inflatedMatcherData, loadCorpus, median, pickPages, setOverride, sideBySide, warmPasses, type BenchPage } from './bench-pages';

const PASSES = 5;

interface Detail {
  kind: string;
  busyMs: number;
  chars: number;
  mentions: number;
}

/** A fresh load of `p`, then {@link PASSES} warm full passes; their details. */
async function load(s: ExtensionSession, p: BenchPage): Promise<Detail[]> {
  const page = await s.context.newPage();
  await page.goto(siteUrl(p.host, p.path), { timeout: 120_000 });
  await warmPasses(s, page, SITE_OF[p.host], PASSES);
  const details = await page.evaluate(() =>
    performance
      .getEntriesByName('cmed:annotate')
      .map((e) => (e as PerformanceMeasure).detail as Detail)
      .filter((d) => d.kind === 'full'),
  );
  await page.close();
  return details;
}

async function main() {
  const dirs = process.argv.slice(2);
  if (dirs.length < 2) throw new Error('usage: npx vite-node scripts/ab-annotator.ts <extension dir A> <extension dir B> [...]');
  const rows = loadCorpus();
  const picked = pickPages(benchPages(rows), process.env.CMED_AB_PAGES);
  const rounds = Number(process.env.CMED_AB_ROUNDS ?? 5);
  const sessions: ExtensionSession[] = [];
  try {
    for (const dir of dirs) sessions.push(await launchExtension({ extensionDir: dir }));
    const tenfold = process.env.CMED_AB_NAMES === '10';
    if (tenfold) {
      const data = inflatedMatcherData(rows);
      for (const s of sessions) await setOverride(s, data);
    }
    console.log(`A/B, warm full pass busy ms (median / min of ${(rounds - 1) * PASSES} passes per build${tenfold ? ', 10× names' : ''}), ${new Date().toISOString()}`);
    for (const p of picked) {
      for (const s of sessions) s.server.route(p.host, p.path, p.html);
      // Per build, one list per counted load: its cold pass, then its warm passes.
      const got = await sideBySide(sessions, rounds, (s) => load(s, p));
      console.log(p.name);
      got.forEach((loads, k) => {
        const busy = loads.flatMap((d) => d.slice(1).map((x) => x.busyMs));
        const last = loads[loads.length - 1][PASSES];
        // Medians by position in the load: how V8's tiering up shows from pass to pass.
        const cold = median(loads.map((d) => d[0].busyMs));
        const byPass = Array.from({ length: PASSES }, (_, i) => median(loads.map((d) => d[i + 1].busyMs)).toFixed(1)).join(' ');
        console.log(
          `  ${dirs[k].padEnd(36)} ${median(busy).toFixed(2).padStart(7)} / ${Math.min(...busy).toFixed(2).padStart(6)}   chars ${last.chars}, mentions ${last.mentions}; cold ${cold.toFixed(1)}, warm by pass ${byPass}`,
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
