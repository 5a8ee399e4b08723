/**
 * `npm run bench`: every performance figure the README quotes, measured in one run.
 * Popup and annotator run in real Chromium with the built extension, the annotator also in
 * real Firefox with the Firefox build; the search and matcher engines are also timed in Node
 * for reference. Figures only, no pass/fail.
 */
import { execFileSync } from 'node:child_process';
import { ROOT } from '../tests/e2e/harness';
process.env.CMED_BENCH_ALL = '1';
const { benchPopup, printPopup } = await import('./bench-popup');

function run(title: string, script: string): void {
  console.log(`\n=== ${title} (${script}) ===`);
  execFileSync('npx', ['vite-node', script], { cwd: ROOT, stdio: 'inherit' });
}

console.log('=== Popup in real Chromium (scripts/bench-popup.ts) ===');
printPopup(await benchPopup());
run('Annotator in real Chromium', 'scripts/bench-annotator.ts');
run('Pages with nothing to find, in real Chromium', 'scripts/bench-quiet.ts');
run('Annotator in real Firefox', 'scripts/bench-firefox.ts');
run('Search engine in Node', 'scripts/bench-search.ts');
run('Matcher engine in Node', 'scripts/bench-matcher.ts');
