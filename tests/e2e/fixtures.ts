/**
 * The annotator's fixture pages with their expected marks, and the in-page count of what the
 * annotator drew, shared by the Chromium and the Firefox end-to-end tests.
 */
import fs from 'node:fs';
import { expect } from 'vitest';
import path from 'node:path';
import { FIXTURE_DIR, ROOT } from './harness';

export interface Expected {
  url: string;
  entries: Record<string, number>;
  page: string | null;
}

function expectedFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...expectedFiles(p));
    else if (e.name.endsWith('.expected.json')) out.push(p);
  }
  return out.sort();
}

/** Every fixture page (path under tests/fixtures/pages) with its expected JSON. */
export const FIXTURES = expectedFiles(FIXTURE_DIR).map((file) => ({
  file: path.relative(FIXTURE_DIR, file),
  expected: JSON.parse(fs.readFileSync(file, 'utf8')) as Expected,
}));

/** Runs in the page: the palette's colours as the page resolves them, and whether the browser forces colours. */
export function paletteColours(): { forced: boolean; canvas: string; link: string; highlight: string; highlightText: string } {
  const probe = document.createElement('div');
  document.body.append(probe);
  const system = (c: string) => ((probe.style.color = c), getComputedStyle(probe).color);
  const out = { forced: matchMedia('(forced-colors: active)').matches, canvas: system('Canvas'), link: system('LinkText'), highlight: system('Highlight'), highlightText: system('HighlightText') };
  probe.remove();
  return out;
}

/**
 * Runs in the page, on a badge's pill: its fill, its text's colour, and the brand mark's disc and
 * plus, which are layers of the pill's `::before` background (a radial and two linear gradients).
 */
export function pillColours(k: Element): { pill: string; text: string; disc: string; plus: string } {
  const img = getComputedStyle(k, '::before').backgroundImage;
  const colour = (re: RegExp) => re.exec(img)?.[1] ?? `none in ${img}`;
  return {
    pill: getComputedStyle(k).backgroundColor,
    text: getComputedStyle(k).color,
    disc: colour(/radial-gradient\([^)]*?(rgba?\([^)]*\))/),
    plus: colour(/linear-gradient\((rgba?\([^)]*\))/),
  };
}

/** Runs in the page: the saved star after the kind letter of an entry's first badge (`none` when unsaved). */
export function savedStar(id: string): string {
  const k = document.querySelector(`cmed-badge[data-catalog-entry="${id}"]`)?.shadowRoot?.querySelector('.k');
  return k ? getComputedStyle(k, '::after').content : 'no badge';
}

/** Runs in the page: the share of an entry's badges whose label says it is saved (-1: none on the page). */
export function savedLabelShare(id: string): number {
  const labels = Array.from(document.querySelectorAll(`cmed-badge[data-catalog-entry="${id}"]`), (b) => b.getAttribute('aria-label') ?? '');
  return labels.length ? labels.filter((l) => l.includes('saved to favorites')).length / labels.length : -1;
}

export interface Marks {
  /** Light-DOM marks per entry ID (`data-catalog-entry`). */
  entries: Record<string, number>;
  /** The banner's entry (`data-catalog-page`), or how many banners there are when more than one. */
  page: string | null;
  /** Elements of our UI (`data-cmed-ui`). */
  ui: number;
  /** Ranges in our CSS highlight, or null where the browser has no Custom Highlight API. */
  highlights: number | null;
}

/** Runs in the page (self-contained, no arguments): what the annotator drew. */
export function countMarks(): Marks {
  const entries: Record<string, number> = {};
  for (const el of Array.from(document.querySelectorAll('[data-catalog-entry]'))) {
    const id = el.getAttribute('data-catalog-entry') as string;
    entries[id] = (entries[id] ?? 0) + 1;
  }
  const banners = Array.from(document.querySelectorAll('[data-catalog-page]'));
  const reg = (CSS as unknown as { highlights?: Map<string, Set<unknown>> }).highlights;
  return {
    entries,
    page: banners.length === 1 ? banners[0].getAttribute('data-catalog-page') : banners.length ? `${banners.length} banners` : null,
    ui: document.querySelectorAll('[data-cmed-ui]').length,
    highlights: reg ? (reg.get('cmed-mention')?.size ?? 0) : null,
  };
}

export const sum = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);

/** Distinct entries a page shows (its own included): what the toolbar badge counts. */
export const distinctEntries = (e: Expected) => new Set([...Object.keys(e.entries), ...(e.page ? [e.page] : [])]).size;

export interface PlacedBadge {
  id: string | null;
  /** The pill's size and top (px). */
  w: number;
  h: number;
  top: number;
  /** The highlighted mention whose last character is nearest the pill on its line, and how far. */
  best: { text: string; dx: number; top: number; bottom: number } | null;
  /** The pill's computed visibility. */
  shown: string;
}

/**
 * Runs in the page (self-contained, no arguments): each badge's pill against the mention ends
 * of our highlight, so a test can check that every pill sits at the end of one mention.
 */
export function placedBadges(): PlacedBadge[] {
  const ranges = [...((CSS as unknown as { highlights: Map<string, Set<Range>> }).highlights.get('cmed-mention') ?? [])];
  const ends = ranges.map((r) => {
    const rects = Array.from(r.getClientRects()).filter((x) => x.width > 0);
    return { text: r.toString(), rect: rects[rects.length - 1] };
  });
  return Array.from(document.querySelectorAll('cmed-badge')).map((b) => {
    const v = b.shadowRoot!.querySelector('.k')!.getBoundingClientRect();
    let best: PlacedBadge['best'] = null;
    for (const e of ends) {
      if (!e.rect || v.bottom < e.rect.top - 2 || v.top > e.rect.bottom) continue;
      const dx = Math.abs(v.left - e.rect.right);
      if (!best || dx < best.dx) best = { text: e.text, dx, top: e.rect.top, bottom: e.rect.bottom };
    }
    const shown = getComputedStyle(b.shadowRoot!.querySelector('.k')!).visibility;
    return { id: b.getAttribute('data-catalog-entry'), w: v.width, h: v.height, top: v.top, best, shown };
  });
}

/**
 * Every badge shows, small, at the end of one highlighted mention and raised like a superscript
 * (its top above the line's text); `named` maps entry IDs to the mention text their badge follows.
 */
export function expectAtMentionEnds(placed: PlacedBadge[], named: Record<string, string>): void {
  expect(placed.length).toBeGreaterThanOrEqual(3);
  for (const b of placed) {
    expect(b.shown, `${b.id} shows`).toBe('visible');
    expect(b.best, `${b.id} has a mention end beside it`).not.toBeNull();
    expect(b.best!.dx, `${b.id} sits at the end of "${b.best!.text}"`).toBeLessThanOrEqual(4);
    expect(b.w).toBeLessThanOrEqual(24);
    expect(b.h).toBeLessThanOrEqual(13);
    expect(b.top).toBeLessThanOrEqual(b.best!.top);
  }
  for (const [id, text] of Object.entries(named)) expect(placed.find((b) => b.id === id)?.best?.text).toBe(text);
}

/** A hostile README body: a 10 MB text node with a catalog name at its very end (built when asked for). */
export const hostileBigText = () => `<p>${'lorem ipsum dolor sit amet, clinical notes and medical text without names. '.repeat(140_000)}PubMedQA is named at the very end.</p>`;

/** A hostile README body: 100,000 elements, the last naming CMeKG (built when asked for). */
export const hostileManyElements = () => `<p>${Array.from({ length: 100_000 }, (_, i) => (i === 99_999 ? '<span>CMeKG</span>' : `<span>w${i} </span>`)).join('')}</p>`;

/**
 * Hostile README bodies that repeat one name thousands of times, with the marks each must get
 * (the annotator's limits): a GitHub comment at its length limit and 10 MB of the same, each one
 * text node, and 20,000 paragraphs naming it once each. Built when asked for.
 */
export const hostileRepeats = (perBlock: number, perPage: number): [name: string, body: string, marks: number][] => [
  ['repeat-comment', `<p>${'PubMedQA '.repeat(8000)}</p>`, perBlock],
  ['repeat-10mb', `<p>${'PubMedQA '.repeat(1_100_000)}</p>`, perBlock],
  ['repeat-blocks', Array.from({ length: 20_000 }, (_, i) => `<p>Row ${i} on PubMedQA.</p>`).join(''), perPage],
];

/**
 * A hostile page script: a 5,000-deep chain (in a hidden container: Chromium's own layout cannot
 * take 5,000 rendered levels) ending in CMeKG and Yidu-S4K, a shadow root naming PubMedQA (not
 * ours to mark), then frozen prototypes and a frozen document.
 */
export const HOSTILE_DEEP_SCRIPT = `
  const art = document.querySelector('article');
  const box = document.createElement('div');
  box.hidden = true;
  art.appendChild(box);
  let el = box;
  for (let i = 0; i < 5000; i++) { const d = document.createElement(i % 2 ? 'div' : 'span'); el.appendChild(d); el = d; }
  el.appendChild(document.createTextNode('Deep inside: CMeKG and Yidu-S4K.'));
  const host = document.createElement('div');
  art.appendChild(host);
  host.attachShadow({ mode: 'open' }).innerHTML = '<p>PubMedQA inside a shadow root is not ours to mark.</p>';
  for (const C of [Object, Array, Node, Element, Text, Range, Document, MutationObserver, EventTarget]) { try { Object.freeze(C.prototype); Object.freeze(C); } catch (e) {} }
  Object.freeze(document);`;

/** Runs in the page: content arriving late, a paragraph `html` with id `id` appended to the README. */
export const appendToReadme = ([id, html]: [string, string]) => {
  const p = document.createElement('p');
  p.id = id;
  p.innerHTML = html;
  document.querySelector('#readme article')!.append(p);
};

/** A GitHub README page (served under github.com) around `body`, with an optional page script. */
export const hostileShell = (body: string, script = '') =>
  `<!doctype html><html><head><title>hostile</title><meta property="og:title" content="hostile/page: test"></head><body><main><div id="readme"><article class="markdown-body">${body}</article></div></main>${script ? `<script>${script}</script>` : ''}</body></html>`;

/**
 * Runs in the page: a soft navigation to the CBLUE repository page the way Turbo does it: the
 * current view kept as a snapshot (our badges in it), a pushed URL, the new view swapped in,
 * Turbo's and React's events. `html` is the CBLUE fixture page.
 */
export const softVisitCblue = (html: string) => {
  const w = window as unknown as { __snapshot: string; __snapshotOg: string };
  w.__snapshot = document.querySelector('main')!.innerHTML;
  w.__snapshotOg = document.head.querySelector('meta[property="og:title"]')!.getAttribute('content')!;
  const next = new DOMParser().parseFromString(html, 'text/html');
  history.pushState({}, '', '/CBLUEbenchmark/CBLUE');
  document.head.querySelector('meta[property="og:title"]')?.setAttribute('content', next.querySelector('meta[property="og:title"]')!.getAttribute('content')!);
  document.querySelector('main')!.innerHTML = next.querySelector('main')!.innerHTML;
  document.dispatchEvent(new Event('turbo:render', { bubbles: true }));
  document.dispatchEvent(new Event('soft-nav:react-done', { bubbles: true }));
};

/**
 * Runs in the page: back (or forward again), the page restoring the view it cached for that entry,
 * copies of our badges included (Turbo's snapshot cache), and caching the view it leaves for the way
 * back. {@link softVisitCblue} caches the first view. Self-contained: `page.evaluate(softMove, forward)`.
 */
export const softMove = (forward: boolean) => {
  addEventListener(
    'popstate',
    () => {
      const w = window as unknown as Record<string, string>;
      const [to, from] = forward ? ['__forward', '__snapshot'] : ['__snapshot', '__forward'];
      const og = document.head.querySelector('meta[property="og:title"]')!;
      const main = document.querySelector('main')!;
      w[from] = main.innerHTML;
      w[`${from}Og`] = og.getAttribute('content')!;
      og.setAttribute('content', w[`${to}Og`]);
      main.innerHTML = w[to];
      document.dispatchEvent(new Event('turbo:render', { bubbles: true }));
    },
    { once: true },
  );
  if (forward) history.forward();
  else history.back();
};

export interface ManifestIcon {
  /** Where the manifest names it: `icons` or the toolbar button's `default_icon`. */
  key: string;
  file: string;
  declared: number;
  /** The loaded image's size, and the alpha of its top-left corner and of its middle. */
  w: number;
  h: number;
  corner: number;
  middle: number;
}

/**
 * Runs in an extension page (self-contained, no arguments): loads every icon the running
 * manifest names, so a test sees that each file exists, has its declared size and is drawn
 * (rounded: a clear corner, an opaque middle).
 */
export async function manifestIcons(): Promise<ManifestIcon[]> {
  type M = { icons?: Record<string, string>; action?: { default_icon?: Record<string, string> }; browser_action?: { default_icon?: Record<string, string> } };
  const m = (globalThis as unknown as { chrome: { runtime: { getManifest(): M } } }).chrome.runtime.getManifest();
  const named: [string, Record<string, string> | undefined][] = [
    ['icons', m.icons],
    ['default_icon', (m.action ?? m.browser_action)?.default_icon],
  ];
  const out: ManifestIcon[] = [];
  for (const [key, set] of named) {
    for (const [size, file] of Object.entries(set ?? {})) {
      const img = new Image();
      // Chrome gives the manifest's paths, Firefox full moz-extension:// URLs.
      img.src = new URL(file, location.href).href;
      await img.decode().catch(() => undefined);
      const c = document.createElement('canvas');
      c.width = img.naturalWidth || 1;
      c.height = img.naturalHeight || 1;
      const g = c.getContext('2d')!;
      if (img.naturalWidth) g.drawImage(img, 0, 0);
      const alpha = (x: number, y: number) => g.getImageData(x, y, 1, 1).data[3];
      out.push({ key, file, declared: Number(size), w: img.naturalWidth, h: img.naturalHeight, corner: alpha(0, 0), middle: alpha(c.width >> 1, c.height >> 1) });
    }
  }
  return out;
}

/** Every icon the manifest names is there, of its declared size and drawn; the toolbar has 16 and 32 px. */
export function expectIcons(icons: ManifestIcon[]): void {
  expect(icons.filter((i) => i.key === 'icons').map((i) => i.declared)).toEqual([16, 32, 48, 96, 128]);
  expect(icons.filter((i) => i.key === 'default_icon').map((i) => i.declared)).toEqual([16, 32]);
  for (const i of icons) {
    expect({ file: i.file, w: i.w, h: i.h }).toEqual({ file: i.file, w: i.declared, h: i.declared });
    expect(i.corner, `${i.file}: a clear corner`).toBe(0);
    expect(i.middle, `${i.file}: an opaque middle`).toBe(255);
  }
}

/** axe-core's script, to evaluate in a page before {@link axeViolations}. */
export const AXE_SOURCE = fs.readFileSync(path.join(ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

/**
 * Runs in the page, once {@link AXE_SOURCE} is in: axe-core's violations (any impact) in the
 * elements of ours that `include` names, shadow roots included; the pages themselves are not ours to judge.
 */
export async function axeViolations(include: string[]): Promise<string[]> {
  const result = (await (window as unknown as { axe: { run(ctx: object, o: object): Promise<unknown> } }).axe.run(
    { include },
    { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] } },
  )) as { violations: { id: string; impact: string; nodes: { target: unknown[] }[] }[] };
  return result.violations.map((v) => `${v.id} (${v.impact}): ${JSON.stringify(v.nodes.map((n) => n.target))}`);
}
