/**
 * The engine over every ACL Anthology title (≈ 109,000): each catalog entry with an ACL ID
 * must be found in its own row, and every other hit must be a reviewed legitimate mention
 * (REVIEWED_MENTIONS in corpus-eval.ts). `npx vite-node scripts/eval-corpus.ts` prints the figures.
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CORPUS_FILE, REVIEWED_MENTIONS, evaluateCorpus, loadTitles } from './corpus-eval';
import { SMALL_CATALOG, realCatalog } from './fixtures';

describe('ACL Anthology title corpus', () => {
  it('is there', () => {
    expect(fs.existsSync(CORPUS_FILE), `missing ${CORPUS_FILE} (set CATALOG_SHARED_DIR)`).toBe(true);
  });

  it('reads all rows', () => {
    expect(loadTitles().length).toBe(108_962);
  });

  it('small inline catalog: every ACL entry found in its own row, no unexplained false positive', () => {
    const r = evaluateCorpus(SMALL_CATALOG);
    expect(r.falseNegatives).toEqual([]);
    expect(r.absentFromCorpus).toEqual([]);
    expect(r.truePositives.length).toBe(SMALL_CATALOG.reduce((n, e) => n + e.ids.acl.length, 0));
    expect(r.falsePositives).toEqual([]);
  });

  const real = realCatalog();
  it('real catalog: TP for every ACL entry, FN 0, unexplained FP 0', () => {
    const r = evaluateCorpus(real);
    console.log(
      `corpus: TP ${r.truePositives.length}, FN ${r.falseNegatives.length}, FP ${r.falsePositives.length}, ` +
        `reviewed legitimate mentions ${r.legitimate.length}, not in corpus ${r.absentFromCorpus.length}`,
    );
    expect(r.falseNegatives).toEqual([]);
    expect(r.falsePositives).toEqual([]);
    expect(r.truePositives.length + r.absentFromCorpus.length).toBe(real.reduce((n, e) => n + (e.ids?.acl ?? []).length, 0));
    // Every reviewed mention is still found (the list does not rot).
    const found = new Set(r.legitimate.map((l) => `${l.row} ${l.entry}`));
    expect(Object.keys(REVIEWED_MENTIONS).filter((k) => !found.has(k))).toEqual([]);
  });
});
