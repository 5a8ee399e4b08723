/**
 * The recognition engine, in two halves:
 * - pack.ts compiles {@link MatcherData} into a {@link PackedMatcher} (the background does
 *   this once per service-worker life and sends the result);
 * - runtime.ts loads a packed matcher and scans (the content script's half; the matching
 *   rules are documented there).
 * {@link createMatcher} does both at once, for Node, the background and tests.
 */
import type { Matcher, MatcherData } from './types';
import { packMatcher } from './pack';
import { each, loadAutomaton, loadMatcher } from './runtime';
import { buildAutomaton } from './pack';
import { idKey, idsFromUrl } from './ids';

export type { Matcher, MatcherData, PackedMatcher, ScanContext, TextMatch } from './types';
export { packMatcher } from './pack';
export { loadMatcher } from './runtime';

/** A matcher that also knows which entry a URL points at (the background's; content scripts read IDs off their own site's URLs). */
export type UrlMatcher = Matcher & { byUrl(url: string): string | undefined };

/** Compiles matcher data into a {@link UrlMatcher} (packing is cached per data object). */
export function createMatcher(data: MatcherData): UrlMatcher {
  const m = loadMatcher(packMatcher(data), idKey);
  return Object.assign(m, { byUrl: (url: string) => entryForUrl(m, url) });
}

/** Entry a URL points at (arXiv abs/pdf/html, aclanthology / aclweb anthology, GitHub repository, doi.org…: see ids.ts `idsFromUrl`). */
export function entryForUrl(m: Pick<Matcher, 'byId'>, url: string): string | undefined {
  for (const f of idsFromUrl(url)) {
    let id = f.id;
    for (;;) {
      const hit = m.byId(f.kind, id);
      if (hit) return hit;
      // A publisher's path may go on past the DOI (OUP: /doi/10.1093/bioinformatics/btz682/5566506).
      // A DOI may hold slashes itself, so only DOIs the catalog knows are taken, the longest first.
      const cut = f.kind === 'doi' ? id.lastIndexOf('/') : -1;
      if (cut <= id.indexOf('/')) break;
      id = id.slice(0, cut);
    }
  }
  return undefined;
}

/**
 * Test hook: compiles bare folded patterns and returns the raw automaton hits
 * `[start, end, pattern]` for a text, before any boundary or guard rule. Tests compare it
 * with a brute-force search.
 */
export function rawAutomaton(folded: string[]): (text: string) => Array<[number, number, number]> {
  const a = loadAutomaton(buildAutomaton(folded));
  return (text) => {
    const hits: Array<[number, number, number]> = [];
    each(a, text, (start, end, pi) => {
      hits.push([start, end, pi]);
    });
    return hits;
  };
}
