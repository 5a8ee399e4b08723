/**
 * Where the annotator's time goes, in real Chromium: a CPU profile (CDP) of warm full passes
 * on one benchmark page, summed by function (self time). Dev tool, not part of CI:
 *   CMED_EXTENSION_DIR=.output/annot/chrome-mv3 npx vite-node scripts/profile-annotator.ts [page-index] [passes]
 * With CMED_PROFILE_TEN=1, the page runs with 10× the catalog's names (as the benchmark's 10× loads).
 */
import { launchExtension, siteUrl } from '../tests/e2e/harness';
import { SITE_OF, benchPages, inflatedMatcherData, loadCorpus, restartSite, setOverride } from './bench-pages';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}

async function main() {
  const rows = loadCorpus();
  const pages = benchPages(rows);
  const p = pages[Number(process.argv[2] ?? 0)];
  const passes = Number(process.argv[3] ?? 5);
  const site = SITE_OF[p.host];
  const s = await launchExtension();
  try {
    s.server.route(p.host, p.path, p.html);
    if (process.env.CMED_PROFILE_TEN === '1') await setOverride(s, inflatedMatcherData(rows));
    const page = await s.context.newPage();
    await page.goto(siteUrl(p.host, p.path));
    // The start of the last full pass (-1: none yet). Not a count: the annotator keeps at most
    // 50 of its measures, so a count falls back when it clears them.
    const last = () =>
      page.evaluate(() => performance.getEntriesByName('cmed:annotate').filter((e) => (e as PerformanceMeasure).detail.kind === 'full').pop()?.startTime ?? -1);
    while ((await last()) < 0) await page.waitForTimeout(100);
    const cdp = await s.context.newCDPSession(page);
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 50 });
    await cdp.send('Profiler.start');
    for (let i = 0; i < passes; i++) {
      const before = await last();
      await restartSite(s, page, site);
      while ((await last()) === before) await page.waitForTimeout(50);
    }
    const { profile } = (await cdp.send('Profiler.stop')) as { profile: { nodes: Node[]; samples: number[]; timeDeltas: number[] } };
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const self = new Map<string, number>();
    profile.samples.forEach((id, i) => {
      const n = byId.get(id)!;
      const f = n.callFrame;
      const key = `${f.functionName || '(anon)'} ${f.url.split('/').pop()}:${f.lineNumber}:${f.columnNumber}`;
      self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
    });
    const details = await page.evaluate(() =>
      performance.getEntriesByName('cmed:annotate').map((e) => {
        const d = (e as PerformanceMeasure).detail;
        return `${d.kind} busy ${d.busyMs} ms, max slice ${d.maxSliceMs}, mentions ${d.mentions}, blocks ${d.blocks}, chars ${d.chars}`;
      }),
    );
    console.log(p.name);
    console.log(details.join('\n'));
    const top = [...self.entries()].filter(([k]) => !k.startsWith('(idle)') && !k.startsWith('(program)')).sort((a, b) => b[1] - a[1]).slice(0, 40);
    for (const [k, ms] of top) console.log(`${(ms / passes).toFixed(2).padStart(8)} ms/pass  ${k}`);
  } finally {
    await s.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
