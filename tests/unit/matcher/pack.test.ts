/**
 * The packed matcher (background: packMatcher; content script: loadMatcher after a JSON
 * round trip, as extension messaging does) against the reference engine, the one-task
 * compile the extension used before: same scan results, same `missed` reports, same
 * yes/no answers (streamed in pieces by `feed`: the reference's mayMatch), byId and byUrl answers, on small, real and inflated catalogs.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { buildMatcherData, entryForUrl, loadMatcher, packMatcher } from '../../../utils/matcher';
import type { Matcher, MatcherData, PackedMatcher, ScanContext } from '../../../utils/matcher/types';
import type { Catalog } from '../../../utils/catalog/types';
import { createMatcher as referenceMatcher, type ReferenceMatcher } from './reference-engine';
import { SMALL_CATALOG, realCatalog } from './fixtures';
import { idKey } from '../../../utils/matcher/ids';
import { loadTitles } from './corpus-eval';

const roundTrip = (data: MatcherData): Matcher => loadMatcher(JSON.parse(JSON.stringify(packMatcher(data))) as PackedMatcher, idKey);

/** Scan with a context that records `missed` calls, so their order is compared too. */
function trace(m: Matcher | ReferenceMatcher, text: string, supported?: Set<string>) {
  const missed: string[] = [];
  const ctx: ScanContext = { supportedIds: supported, missed: (id) => missed.push(id) };
  // The packed matcher's yes/no answer streamed whole, and in pieces of 1, 3 and 7 code units with the state carried across.
  const may = 'feed' in m ? [text.length || 1, 1, 3, 7].map((step) => fed(m, text, step)) : Array<boolean>(4).fill(m.mayMatch(text));
  return { hits: m.scan(text, ctx), plain: m.scan(text), missed, may };
}

/** `feed` over the text in pieces of `step` code units, the state carried from piece to piece: true at a candidate (it ends within the piece). */
function fed(m: Matcher, text: string, step: number): boolean {
  let state = 0;
  for (let i = 0; i < text.length; i += step) {
    const to = Math.min(text.length, i + step);
    state = m.feed(text, i, to, state);
    if (m.hitEnd <= to) return true;
  }
  return false;
}

/** Text pieces: the catalog's names and IDs in varied case, with separators and punctuation around. */
function piecesOf(catalog: Catalog): string[] {
  const names = catalog.flatMap((e) => [e.title, ...(e.names ?? []), ...Object.values(e.ids ?? {}).flat()]).filter(Boolean) as string[];
  const cut = names.flatMap((n) => [n, n.toUpperCase(), n.toLowerCase(), n.slice(0, Math.ceil(n.length / 2)), n.slice(Math.floor(n.length / 2))]);
  return [...cut, ' ', '  ', '\n', '-', '-\n', '\u00ad', ': ', '. ', ', ', '(2020)', '(Zhu et al., 2021)', '[12]', '［3，7］', 'x', 'non-', '的', 'v2', '.git', '.js', 'ＢＥＲＴ', '医学'];
}

function compare(catalog: Catalog, runs: number) {
  const data = buildMatcherData(catalog);
  const ref = referenceMatcher(data);
  const got = roundTrip(data);
  const ids = catalog.map((e) => e.id);
  fc.assert(
    fc.property(
      fc.array(fc.constantFrom(...piecesOf(catalog)), { maxLength: 30 }),
      fc.subarray(ids.slice(0, 40), { maxLength: 4 }),
      (parts, sup) => {
        const text = parts.join('');
        const supported = new Set(sup);
        expect(trace(got, text, supported)).toEqual(trace(ref, text, supported));
      },
    ),
    { numRuns: runs },
  );
  fc.assert(
    fc.property(fc.string({ unit: 'binary', maxLength: 120 }), (text) => {
      expect(trace(got, text)).toEqual(trace(ref, text));
    }),
    { numRuns: runs },
  );
  for (const e of catalog) {
    for (const [kind, list] of Object.entries(e.ids ?? {}) as Array<[keyof typeof e.ids, string[]]>) {
      for (const id of list) {
        expect(got.byId(kind, id)).toBe(ref.byId(kind, id));
        expect(got.byId(kind, id.toUpperCase())).toBe(ref.byId(kind, id.toUpperCase()));
      }
    }
  }
  for (const url of ['https://arxiv.org/abs/1909.06146v2', 'https://github.com/dmis-lab/biobert/tree/master', 'https://aclanthology.org/D19-1259.pdf', 'https://example.org/', 'not a url']) {
    expect(entryForUrl(got, url)).toBe(ref.byUrl(url));
  }
  return { data, ref, got };
}

describe('packed matcher = reference engine', () => {
  it('small catalog: random texts from names, IDs and separators', () => {
    compare(SMALL_CATALOG, 400);
  });

  const catalog = realCatalog();
  it('real catalog, and the title corpus line by line', () => {
    const { ref, got } = compare(catalog, 200);
    const rows = loadTitles().slice(0, 20_000);
    for (const r of rows) {
      const line = `${r.id} ${r.title}`;
      expect(got.scan(line)).toEqual(ref.scan(line));
    }
  });

  it('an inflated catalog: dense rows capped, deep states on the edge-list path', () => {
    const words = ['Zorvex', 'quamib', 'Talrin', 'dopkex', 'LUMFIZ', 'nar', 'gulpry', 'wob', 'jas'];
    let seed = 7;
    const letters = () => Array.from({ length: 9 }, () => 'abcdefghijklmnopqrst'[((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8) % 20]).join('');
    const big: Catalog = [...catalog];
    for (let k = 0; k < 3000; k++) {
      const w = (i: number) => words[(k * 7 + i * 3) % words.length];
      const names = [`${w(5)}${k}`, `璇玑${k % 97}数据集`, letters(), letters()];
      big.push({ ...catalog[k % catalog.length], id: `synthetic-${k}`, title: `${w(0)}${k}: ${w(1)} ${w(2)} ${w(3)} ${w(4)}`, names, ids: { arxiv: [], acl: [], doi: [], github: [] } });
    }
    const p = packMatcher(buildMatcherData(big));
    // More than 16,384 states within 12 characters of the root: the row depth limit shrinks.
    const depth = new Int32Array(p.first.length - 1);
    for (let s = 0; s < depth.length; s++) for (let e = p.first[s]; e < p.first[s + 1]; e++) depth[e + 1] = depth[s] + 1;
    expect(depth.filter((d) => d <= 12).length).toBeGreaterThan(16384);
    expect(p.rows).toBeLessThanOrEqual(16384);
    expect(depth[p.rows]).toBeLessThan(12);
    compare(big, 100);
  });

  it('packs once per data object, and the packed form is plain JSON', () => {
    const data = buildMatcherData(SMALL_CATALOG);
    const p = packMatcher(data);
    expect(packMatcher(data)).toBe(p);
    expect(JSON.parse(JSON.stringify(p))).toEqual(p);
    // Integer arrays hold only small non-negative integers (typed-array copies in the page).
    for (const k of ['sym', 'cls', 'first', 'edge', 'fail', 'end', 'lens', 'entry', 'bits', 'exactAt'] as const) {
      expect(p[k].every((v) => Number.isInteger(v) && v >= 0 && v < 2 ** 31), k).toBe(true);
    }
  });
});

describe('memory', () => {
  it('keeps nothing of the packed matcher reachable once loaded (the content script would hold it for the page\'s life)', async () => {
    const gc = (globalThis as { gc?: () => void }).gc;
    // Run with --expose-gc (vitest.config.ts); without it this test cannot tell, so it fails.
    expect(typeof gc).toBe('function');
    let packed: PackedMatcher | null = JSON.parse(JSON.stringify(packMatcher(buildMatcherData(SMALL_CATALOG)))) as PackedMatcher;
    const refs = [new WeakRef(packed), new WeakRef(packed.first), new WeakRef(packed.edge), new WeakRef(packed.fail)];
    const m = loadMatcher(packed, idKey);
    packed = null;
    // WeakRef targets stay alive until the end of the current job.
    await new Promise((r) => setTimeout(r, 0));
    gc!();
    expect(refs.map((r) => r.deref() === undefined)).toEqual([true, true, true, true]);
    // The loaded matcher still works without them: names, IDs.
    expect(m.scan('We evaluate on PubMedQA.').map((x) => x.entryId)).toEqual(['pubmedqa']);
    expect(m.byId('arxiv', '1909.06146')).toBe('pubmedqa');
  });
});
