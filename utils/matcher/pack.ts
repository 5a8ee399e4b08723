/**
 * Compiling side of the engine (background, build time, tests): {@link packMatcher} turns
 * {@link MatcherData} into a {@link PackedMatcher}, the automaton in a compact,
 * JSON-serialisable form that the content script loads with runtime.ts `loadMatcher`.
 * Everything costly happens here: folding names, the trie, sorting edges, failure links,
 * the pattern table and the ID tables. What is left for the page is decoding; the dense
 * rows are filled as its text reaches them.
 */
import type { MatcherData, PackedMatcher } from './types';
import type { MatcherTables } from './build';
import { CLASS, C_WORD, DROP, fold, foldCode, forEachFolded, unwiden } from './normalize';
import { F_CASE, F_GUARD, F_PROSE, F_TIGHT, F_WHOLE, decodeName } from './flags';
import { B_WORD_END, B_WORD_START, F_ID, ID_KINDS, KIND_SHIFT, type AutomatonParts } from './runtime';

/**
 * States up to this depth get a dense transition row: text spends nearly all its time
 * within a few characters of the root, and a row costs (ASCII alphabet + 3) × 4 bytes.
 */
const DENSE_DEPTH = 12;
/** …unless that would exceed this many rows; then the depth limit shrinks (huge catalogs). */
const DENSE_MAX_ROWS = 16384;

const cache = new WeakMap<object, PackedMatcher>();

/**
 * The packed matcher for `data`, compiled once per data object (the background keeps
 * the result for the life of the service worker). Linear in the total length of names.
 */
export function packMatcher(data: MatcherData): PackedMatcher {
  let p = cache.get(data);
  if (!p) cache.set(data, (p = pack(data)));
  return p;
}

function pack(data: MatcherData): PackedMatcher {
  const tables = data as MatcherTables;
  const folded: string[] = [];
  const entry: number[] = [];
  const bits: number[] = [];
  const exact: string[] = [];
  const exactAt: number[] = [];
  const seen = new Set<string>();

  const addPattern = (text: string, e: number, flags: number, kind = 0) => {
    const f = fold(text);
    if (f.length === 0 || seen.has(f)) return;
    seen.add(f);
    if (flags & F_ID) {
      // The identifier as the catalog writes it, in lower case (spelling rule).
      exactAt.push(folded.length);
      exact.push(text);
    } else if (flags & F_GUARD && !(flags & F_PROSE)) {
      // Published spelling, width-folded, separators removed (exact-case rule).
      let x = '';
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (foldCode(c) !== DROP) x += String.fromCharCode(unwiden(c));
      }
      exactAt.push(folded.length);
      exact.push(x);
    }
    const wordStart = CLASS[f.charCodeAt(0)] & C_WORD ? B_WORD_START : 0;
    const wordEnd = CLASS[f.charCodeAt(f.length - 1)] & C_WORD ? B_WORD_END : 0;
    folded.push(f);
    entry.push(e);
    bits.push(flags | wordStart | wordEnd | (kind << KIND_SHIFT));
  };
  // Identifiers first: a name spelled like an ID ("beamandrew/medical-data") then reports via 'id'.
  ID_KINDS.forEach((kind, k) => {
    const table = tables.ids?.[kind] ?? {};
    for (const key of Object.keys(table)) addPattern(key, table[key], F_ID, k);
  });
  (tables.names ?? []).forEach((list, e) => {
    for (const s of list) {
      const { flags, name } = decodeName(s);
      addPattern(name, e, flags & (F_WHOLE | F_GUARD | F_CASE | F_TIGHT | F_PROSE));
    }
  });

  const a = buildAutomaton(folded);
  const symPairs: number[] = [];
  for (let c = 0, prev = -1; c < 0x10000; c++) {
    if (a.sym[c] !== 0) {
      symPairs.push(c - prev, a.sym[c]);
      prev = c;
    }
  }
  const clsRuns: number[] = [];
  for (let c = 0; c < 0x10000; ) {
    let k = c + 1;
    while (k < 0x10000 && CLASS[k] === CLASS[c]) k++;
    clsRuns.push(k - c, CLASS[c]);
    c = k;
  }
  const alt: number[] = [];
  for (const [owner, name, others] of tables.shared ?? []) {
    const f = fold(name);
    const pi = folded.findIndex((x, k) => x === f && entry[k] === owner);
    if (pi >= 0) for (const e of others) alt.push(pi, e);
  }
  const ids = {} as PackedMatcher['ids'];
  for (const kind of ID_KINDS) {
    const table = tables.ids?.[kind] ?? {};
    // Keys are normalised IDs: no spaces or line breaks.
    ids[kind] = Object.keys(table).map((k) => `\n${k} ${table[k]}`).join('') + '\n';
  }
  return {
    version: 1,
    entries: data.entries,
    dense: a.dense,
    rows: a.rows,
    sym: symPairs,
    cls: clsRuns,
    first: Array.from(a.first),
    edge: Array.from(a.edge),
    fail: Array.from(a.fail),
    end: Array.from(a.end),
    lens: Array.from(a.lens),
    entry,
    bits,
    // Spellings hold no separator (they are dropped), so a line break separates them.
    exact: exact.join('\n'),
    exactAt,
    ids,
    ...(alt.length ? { alt } : {}),
  };
}

/**
 * Compiles folded patterns into the automaton's parts: the trie with states numbered
 * breadth first (children in symbol order, so edge e leads to state e + 1), failure
 * links, the end state of each pattern, and how many states get a dense row.
 */
export function buildAutomaton(folded: string[]): AutomatonParts {
  // Alphabet: ASCII folded codes first, then the rest, each numbered from 1 in first-seen order.
  const symOf = new Uint16Array(0x10000);
  const codes: number[] = [];
  let dense = 0;
  for (const p of folded) {
    for (let i = 0; i < p.length; i++) {
      const c = p.charCodeAt(i);
      if (c < 0x80 && symOf[c] === 0) {
        symOf[c] = ++dense;
        codes.push(c);
      }
    }
  }
  // dense + 1 is the separator; the non-ASCII symbols follow it.
  let alpha = dense + 1;
  for (const p of folded) {
    for (let i = 0; i < p.length; i++) {
      const c = p.charCodeAt(i);
      if (symOf[c] === 0) {
        symOf[c] = ++alpha;
        codes.push(c);
      }
    }
  }
  // Code unit → symbol: identity-folding code units map through symOf directly, the few
  // hundred others (upper case, full width, separators) through their folded value.
  const sym = new Uint16Array(0x10000);
  for (const c of codes) if (foldCode(c) === c) sym[c] = symOf[c];
  forEachFolded((c, f) => {
    sym[c] = f === DROP ? dense + 1 : symOf[f];
  });

  // Trie in creation order. Edges as (state, symbol, child) triples.
  const edges: number[] = [];
  const index = new Map<number, number>(); // state * 65536 + symbol → child
  const depth0: number[] = [0];
  const end0 = new Int32Array(folded.length);
  folded.forEach((p, pi) => {
    let s = 0;
    for (let i = 0; i < p.length; i++) {
      const y = symOf[p.charCodeAt(i)];
      const key = s * 65536 + y;
      let t = index.get(key);
      if (t === undefined) {
        t = depth0.length;
        depth0.push(depth0[s] + 1);
        index.set(key, t);
        edges.push(s, y, t);
      }
      s = t;
    }
    end0[pi] = s;
  });
  const states = depth0.length;

  // Edge lists sorted by (state, symbol): counting sort on the state, then sort each small list.
  const ne = edges.length / 3;
  const first0 = new Int32Array(states + 1);
  for (let k = 0; k < ne; k++) first0[edges[k * 3] + 1]++;
  for (let s = 0; s < states; s++) first0[s + 1] += first0[s];
  const fill = first0.slice(0, states);
  const sym0 = new Int32Array(ne);
  const to0 = new Int32Array(ne);
  for (let k = 0; k < ne; k++) {
    const at = fill[edges[k * 3]]++;
    sym0[at] = edges[k * 3 + 1];
    to0[at] = edges[k * 3 + 2];
  }
  for (let s = 0; s < states; s++) {
    // Insertion sort: lists are short (long ones only near the root).
    for (let e = first0[s] + 1; e < first0[s + 1]; e++) {
      const y = sym0[e];
      const t = to0[e];
      let f = e - 1;
      for (; f >= first0[s] && sym0[f] > y; f--) {
        sym0[f + 1] = sym0[f];
        to0[f + 1] = to0[f];
      }
      sym0[f + 1] = y;
      to0[f + 1] = t;
    }
  }

  // Breadth-first numbering: order[n] is the creation number of state n.
  const order = new Int32Array(states);
  const renum = new Int32Array(states);
  const kids = new Int32Array(states);
  const edge = new Int32Array(ne);
  for (let head = 0, tail = 1; head < states; head++) {
    const s = order[head];
    kids[head] = first0[s + 1] - first0[s];
    for (let e = first0[s]; e < first0[s + 1]; e++) {
      edge[tail - 1] = sym0[e];
      renum[to0[e]] = tail;
      order[tail++] = to0[e];
    }
  }
  const first = new Int32Array(states + 1);
  for (let s = 0; s < states; s++) first[s + 1] = first[s] + kids[s];

  // Failure links, breadth first: a state's failure target is shallower, so its link is final.
  const rootTo = new Int32Array(0x10000);
  for (let e = first[0]; e < first[1]; e++) rootTo[edge[e]] = e + 1;
  const go = (u: number, y: number): number => {
    for (;;) {
      if (u === 0) return rootTo[y];
      let lo = first[u];
      let hi = first[u + 1];
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (edge[mid] < y) lo = mid + 1;
        else hi = mid;
      }
      if (lo < first[u + 1] && edge[lo] === y) return lo + 1;
      u = fail[u];
    }
  };
  const fail = new Int32Array(states);
  for (let s = 0; s < states; s++) {
    for (let e = first[s]; e < first[s + 1]; e++) fail[e + 1] = s === 0 ? 0 : go(fail[s], edge[e]);
  }

  // Dense rows: the shallow states, a prefix of the breadth-first order.
  const atDepth = new Int32Array(DENSE_DEPTH + 1);
  for (let s = 0; s < states; s++) if (depth0[s] <= DENSE_DEPTH) atDepth[depth0[s]]++;
  let rows = 0;
  for (let d = 0, total = 0; d <= DENSE_DEPTH && (total += atDepth[d]) <= DENSE_MAX_ROWS; d++) rows = total;

  const end = end0.map((s) => renum[s]);
  const lens = Int32Array.from(folded, (f) => f.length);
  return { dense, rows, sym, first, edge, fail, end, lens };
}
