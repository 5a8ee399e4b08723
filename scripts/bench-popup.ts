/**
 * Popup benchmark in real Chromium with the built extension: time from opening the
 * popup page to the first results painted (the popup's `cmed:first-results` mark),
 * and keystroke-to-results latency (its `cmed:search` measures, input event → results
 * rendered), with the bundled catalog and with a synthetic 10,000-entry catalog built
 * into a second copy of the extension. Prints figures; asserts nothing.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { launchExtension, ROOT } from '../tests/e2e/harness';

const SYNTHETIC = 10_000;
const OPENS = 15;
const QUERIES = ['PubMedQA', 'cometa corpus', 'medmention', '1909.06146', 'CBLUEbenchmark/CBLUE', '医渡云', '糖尿病', 'tangniaobing', 'tnb', 'yidu', 'knowledge graph', 'biomedical entity linking'];

export interface PopupFigures {
  label: string;
  entries: number;
  firstResults: { median: number; p95: number };
  keystroke: { median: number; p95: number; n: number };
}

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};

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
    for (let i = 0; i < OPENS; i++) {
      const page = await s.openPopup();
      const t = await page.waitForFunction(
        () => performance.getEntriesByName('cmed:first-results')[0]?.startTime,
        null,
        { timeout: 30_000 },
      );
      first.push((await t.jsonValue()) as number);
      await page.close();
    }
    const page = await s.openPopup();
    await page.waitForFunction(() => performance.getEntriesByName('cmed:first-results').length > 0);
    const input = page.locator('#cmed-search');
    const keys: number[] = [];
    for (const q of QUERIES) {
      await input.fill('');
      for (const ch of q) {
        const before = await page.evaluate(() => performance.getEntriesByName('cmed:search').length);
        await input.pressSequentially(ch);
        await page.waitForFunction((n) => performance.getEntriesByName('cmed:search').length > n, before, { timeout: 10_000 });
      }
    }
    keys.push(...(await page.evaluate(() => performance.getEntriesByName('cmed:search').map((e) => e.duration))));
    return {
      label,
      entries,
      firstResults: { median: quantile(first, 0.5), p95: quantile(first, 0.95) },
      keystroke: { median: quantile(keys, 0.5), p95: quantile(keys, 0.95), n: keys.length },
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
export function printPopup(rows: PopupFigures[]): void {
  console.log('\nPopup (real Chromium, ms)                 entries  first results med/p95   keystroke→results med/p95 (n)');
  for (const r of rows) {
    console.log(
      `  ${r.label.padEnd(38)} ${String(r.entries).padStart(7)}  ${fmt(r.firstResults.median)} /${fmt(r.firstResults.p95)}     ${fmt(r.keystroke.median)} /${fmt(r.keystroke.p95)} (${r.keystroke.n})`,
    );
  }
  console.log('  targets: first results ≤ 100 ms; p95 keystroke→results ≤ 16 ms at 10,000 entries');
}

if (import.meta.url.endsWith('/bench-popup.ts') && process.env.CMED_BENCH_ALL !== '1') {
  printPopup(await benchPopup());
}
