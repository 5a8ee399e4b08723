/**
 * Popup benchmark in real Chromium with the built extension: time from opening the
 * popup page to the first results in the DOM (the popup's `cmed:first-results` mark,
 * set when they are committed, before the browser paints them), to the first contentful
 * paint (the first screen renders with its results, so this is when they are painted),
 * and to search being ready (`cmed:data-ready`: the
 * catalog and index, loaded after the first paint, are parsed); and keystroke-to-results
 * latency (its `cmed:search` measures, input event → results rendered), split into
 * typing and clearing the query (which brings the browse view back), with the bundled
 * catalog and with a synthetic 10,000-entry catalog built into a second copy of the
 * extension. Prints figures; asserts nothing.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { launchExtension, ROOT } from '../tests/e2e/harness';

const SYNTHETIC = 10_000;
const OPENS = 40;
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
  dataReady: Stat;
  keystroke: Stat;
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

async function measure(label: string, extensionDir: string, entries: number): Promise<PopupFigures> {
  const s = await launchExtension({ extensionDir });
  try {
    // Warm-up open: the first open of an extension page also starts its process.
    await (await s.openPopup()).close();
    const first: number[] = [];
    const paint: number[] = [];
    const ready: number[] = [];
    for (let i = 0; i < OPENS; i++) {
      const page = await s.openPopup();
      const t = await page.waitForFunction(
        () => {
          const get = (name: string) => performance.getEntriesByName(name)[0]?.startTime;
          const [results, fcp, data] = [get('cmed:first-results'), get('first-contentful-paint'), get('cmed:data-ready')];
          return results !== undefined && fcp !== undefined && data !== undefined ? [results, fcp, data] : null;
        },
        null,
        { timeout: 30_000 },
      );
      const [results, fcp, data] = (await t.jsonValue()) as number[];
      first.push(results);
      paint.push(fcp);
      ready.push(data);
      await page.close();
    }
    const page = await s.openPopup();
    // Keystrokes are timed once search is ready; the wait before that is `dataReady`.
    await page.waitForFunction(() => performance.getEntriesByName('cmed:data-ready').length > 0, null, { timeout: 30_000 });
    const input = page.locator('#cmed-search');
    const typed: { query: string; ms: number }[] = [];
    const cleared: { query: string; ms: number }[] = [];
    const count = () => page.evaluate(() => performance.getEntriesByName('cmed:search').length);
    const last = () => page.evaluate(() => performance.getEntriesByName('cmed:search').at(-1)!.duration);
    for (let round = 0; round < 2; round++) {
      for (const q of QUERIES) {
        for (let i = 0; i < q.length; i++) {
          const before = await count();
          await input.pressSequentially(q[i]);
          await page.waitForFunction((n) => performance.getEntriesByName('cmed:search').length > n, before, { timeout: 10_000 });
          typed.push({ query: q.slice(0, i + 1), ms: await last() });
        }
        const before = await count();
        await input.fill('');
        await page.waitForFunction((n) => performance.getEntriesByName('cmed:search').length > n, before, { timeout: 10_000 });
        cleared.push({ query: `(clear "${q}")`, ms: await last() });
      }
    }
    const all = [...typed, ...cleared];
    return {
      label,
      entries,
      firstResults: stat(first),
      firstPaint: stat(paint),
      dataReady: stat(ready),
      keystroke: stat(all.map((k) => k.ms)),
      typing: stat(typed.map((k) => k.ms)),
      clearing: stat(cleared.map((k) => k.ms)),
      worst: [...all].sort((a, b) => b.ms - a.ms).slice(0, 3),
    };
  } finally {
    await s.close();
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
    console.log(`    open → first results in the DOM           ${pair(r.firstResults)}   (${r.firstResults.n} opens; cmed:first-results)`);
    console.log(`    open → first paint, results included      ${pair(r.firstPaint)}   (first-contentful-paint)`);
    console.log(`    open → search ready (cmed:data-ready)     ${pair(r.dataReady)}`);
    console.log(`    keystroke → results, all                  ${pair(r.keystroke)}   (${r.keystroke.n} keystrokes)`);
    console.log(`      typing                                  ${pair(r.typing)}   (${r.typing.n})`);
    console.log(`      clearing the query                      ${pair(r.clearing)}   (${r.clearing.n})`);
    console.log(`      slowest: ${r.worst.map((w) => `${JSON.stringify(w.query)} ${w.ms.toFixed(1)}`).join(', ')}`);
  }
  console.log('  targets: first results ≤ 100 ms; p95 keystroke→results ≤ 16 ms at 10,000 entries');
}

if (import.meta.url.endsWith('/bench-popup.ts') && process.env.CMED_BENCH_ALL !== '1') {
  printPopup(await benchPopup());
}
