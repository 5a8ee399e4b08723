/**
 * Node benchmark of the popup search: index size, load cost and keystroke
 * latency for the bundled catalog and a 10,000-entry synthetic one.
 * Every query is "typed" one character at a time and each prefix is timed,
 * because that is what the popup does on every input event.
 *
 *   npx vite-node scripts/bench-search.ts [--n 10000] [--runs 5]
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import type { Catalog } from '../utils/catalog/types';
import { buildSearchIndex } from '../utils/search/build';
import { createSearcher } from '../utils/search/index';
import { openccSimplify } from '../utils/search/traditional';
import { syntheticCatalog } from '../tests/bench/synthetic-catalog';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};
const N = arg('n', 10_000);
const RUNS = arg('runs', 5);

/** Queries people type into the popup: names, IDs, pasted URLs, Chinese, pinyin, typos, several words. */
export const BENCH_QUERIES = [
  'PubMedQA',
  'pubmedq',
  'cometa corpus',
  'medmention',
  'BioBERT',
  'clinical bert',
  'entity linking',
  'medical question answering',
  'relation extraction chinese',
  '1909.06146',
  '2020.emnlp-main.253',
  'CBLUEbenchmark/CBLUE',
  'arXiv:1909.06146',
  'https://arxiv.org/abs/1909.06146',
  '医渡云',
  '糖尿病',
  '问答',
  '知识图谱',
  '电子病历 实体识别',
  'CMeKG 中文医学知识图谱',
  'yidu',
  'ruijin',
  'tangniaobing',
  'tnb',
];

const quantile = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * (sorted.length - 1) + 0.5))] : NaN;
const ms = (x: number) => `${x.toFixed(2)} ms`;

const simplify = openccSimplify();

function bench(label: string, catalog: Catalog) {
  console.log(`\n== ${label}: ${catalog.length} entries`);
  let t = performance.now();
  // Built as `npm run gen` builds the shipped index, traditional → simplified table included.
  const built = buildSearchIndex(catalog, { simplify });
  const buildMs = performance.now() - t;
  const json = JSON.stringify(built);
  const gz = zlib.gzipSync(json).length;
  t = performance.now();
  const parsed = JSON.parse(json);
  const parseMs = performance.now() - t;
  t = performance.now();
  const searcher = createSearcher(parsed);
  const createMs = performance.now() - t;
  console.log(
    `index: build ${ms(buildMs)}, ${(json.length / 1024).toFixed(1)} KB JSON (${(gz / 1024).toFixed(1)} KB gzip), ` +
      `JSON.parse ${ms(parseMs)}, createSearcher ${ms(createMs)}`,
  );

  const keystrokes = BENCH_QUERIES.map((q) => {
    const points = Array.from(q);
    return { q, prefixes: points.map((_, i) => points.slice(0, i + 1).join('')) };
  });

  // First pass on the fresh searcher: what the first keystrokes after opening the popup cost.
  const cold: number[] = [];
  for (const { prefixes } of keystrokes)
    for (const p of prefixes) {
      t = performance.now();
      searcher.search(p);
      cold.push(performance.now() - t);
    }
  const perQuery = new Map<string, number[]>();
  const all: number[] = [];
  for (let r = 0; r < RUNS; r++)
    for (const { q, prefixes } of keystrokes)
      for (const p of prefixes) {
        t = performance.now();
        searcher.search(p);
        const d = performance.now() - t;
        all.push(d);
        if (!perQuery.has(q)) perQuery.set(q, []);
        perQuery.get(q)!.push(d);
      }
  cold.sort((a, b) => a - b);
  all.sort((a, b) => a - b);
  console.log(
    `cold first pass (${cold.length} keystrokes): median ${ms(quantile(cold, 0.5))}, p95 ${ms(quantile(cold, 0.95))}, max ${ms(cold[cold.length - 1])}`,
  );
  console.log(
    `warm, ${RUNS} passes (${all.length} keystrokes): median ${ms(quantile(all, 0.5))}, p95 ${ms(quantile(all, 0.95))}, max ${ms(all[all.length - 1])}`,
  );
  console.log('per query (warm)             keys  median      p95        max   top hit for the full query');
  for (const { q, prefixes } of keystrokes) {
    const xs = perQuery.get(q)!.sort((a, b) => a - b);
    const top = searcher.search(q, { limit: 1 })[0];
    console.log(
      `  ${q.padEnd(34).slice(0, 34)} ${String(prefixes.length).padStart(3)} ${ms(quantile(xs, 0.5)).padStart(10)} ${ms(quantile(xs, 0.95)).padStart(10)} ${ms(xs[xs.length - 1]).padStart(10)}   ${top ? top.entryId : '-'}`,
    );
  }
}

const catalogFile = path.join(root, 'data', 'catalog.json');
// No fallback: a benchmark that cannot read the catalog must fail, not print half its figures.
bench('bundled catalog (data/catalog.json)', JSON.parse(fs.readFileSync(catalogFile, 'utf8')) as Catalog);
bench(`synthetic catalog (tests/bench/synthetic-catalog.ts, seed default)`, syntheticCatalog(N));
