/**
 * Prints the corpus evaluation of the recognition engine over every ACL Anthology title
 * (../shared/corpora/acl-anthology-titles.tsv.gz) with the real catalog:
 *   npx vite-node scripts/eval-corpus.ts [--verbose]
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Catalog } from '../utils/catalog/types';
import { evaluateCorpus } from '../tests/unit/matcher/corpus-eval';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const catalog = JSON.parse(fs.readFileSync(path.join(root, 'data', 'catalog.json'), 'utf8')) as Catalog;
const r = evaluateCorpus(catalog);
const verbose = process.argv.includes('--verbose');

console.log(`titles scanned:          ${r.rows} in ${r.scanMs.toFixed(0)} ms`);
console.log(`catalog entries:         ${catalog.length} (${r.entriesWithAcl} with an ACL ID)`);
console.log(`TP (own row, own entry): ${r.truePositives.length}`);
console.log(`FN (own row missed):     ${r.falseNegatives.length}${r.falseNegatives.length ? '  ' + r.falseNegatives.join(', ') : ''}`);
console.log(`ACL IDs not in corpus:   ${r.absentFromCorpus.length}${r.absentFromCorpus.length ? '  ' + r.absentFromCorpus.join(', ') : ''}`);
console.log(`reviewed legit mentions: ${r.legitimate.length}`);
console.log(`FP (unexplained):        ${r.falsePositives.length}`);
if (verbose) for (const l of r.legitimate) console.log(`  legit ${l.row} → ${l.entry}: ${l.title}  [${l.reason}]`);
for (const f of r.falsePositives) console.log(`  FP ${f.row} → ${f.entry} ("${f.text}"): ${f.title}`);
if (verbose) console.log('TP:', r.truePositives.join(', '));
