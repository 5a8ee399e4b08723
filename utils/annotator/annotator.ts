/**
 * The DOM side of the annotator: reads the adapter's regions, asks the matcher for
 * mentions, and shows them without touching page text — a CSS Custom Highlight for the
 * words and one `<cmed-badge>` placed after each mention. Work is time-sliced, idempotent
 * (a re-run on the same DOM changes nothing) and follows the page as it changes.
 * Nothing here knows catalog internals: titles and kinds come in as `meta`.
 */
import type { Kind } from '../catalog/types';
import type { Matcher, TextMatch } from '../matcher/types';
import { SKIP_SELECTOR, type SiteAdapter } from '../sites/types';
import { BlockCollector, PENDING, compileSkip, isInline, locate, type Block } from './collect';
import { Slicer } from './slicer';
import type { CardData } from './types';
import {
  HIGHLIGHT_CSS,
  HIGHLIGHT_NAME,
  createBadge,
  createBanner,
  createCardHost,
  positionCard,
  renderCard,
  setStar,
  str,
  type CardView,
  type Strings,
} from './ui';

export interface AnnotatorOptions {
  doc: Document;
  adapter: SiteAdapter;
  matcher: Matcher;
  meta: Record<string, [string, Kind]>;
  strings: Strings;
  signal?: AbortSignal;
  /** The page URL (location.href in the browser). */
  url?: () => string;
  /** Called with the distinct entries on the page whenever that set changes. */
  report?: (entryIds: string[], url: string) => void;
  loadCard?: (id: string) => Promise<CardData | null>;
  save?: (id: string) => Promise<unknown>;
  /** Longest slice of work before yielding, ms. */
  sliceBudget?: number;
}

interface Mention {
  entryId: string;
  /** First text node of the block it was found in (the block's key in `processed`). */
  block: Text;
  start: Text;
  startOffset: number;
  end: Text;
  endOffset: number;
  range: Range;
  badge: HTMLElement;
}

/** Pass statistics, published as the `detail` of the `cmed:annotate` measure. */
export interface PassStats {
  pass: number;
  kind: 'full' | 'incremental' | 'clear';
  mentions: number;
  entries: string[];
  page: string | null;
  blocks: number;
  /** Blocks whose text was scanned (the rest were unchanged since the last pass). */
  scanned: number;
  /** Blocks read again after the page named a new entry (short names of it may now fire). */
  rescanned: number;
  textNodes: number;
  chars: number;
  slices: number;
  maxSliceMs: number;
  /** Main-thread time of the pass (sum of its slices); the measure's duration is wall time. */
  busyMs?: number;
  error?: string;
}

let skipFn: ((el: Element) => boolean) | null = null;
function skipTest(): (el: Element) => boolean {
  skipFn ??= compileSkip(SKIP_SELECTOR);
  return skipFn;
}

type Counters = Pick<PassStats, 'blocks' | 'scanned' | 'rescanned' | 'textNodes' | 'chars'>;

/** Blocks longer than this are scanned in windows, yielding between them. */
const WINDOW = 1 << 16;
/** Context kept on each side of a window so boundary rules see the real neighbours. */
const WINDOW_LEFT = 256;
const WINDOW_RIGHT = 2048;
/** More pending mutations than this in one frame: rescan everything instead. */
const FULL_RESCAN_THRESHOLD = 400;
const MEASURE = 'cmed:annotate';
const NAV_EVENTS = ['turbo:render', 'turbo:load', 'soft-nav:react-done', 'soft-nav:end', 'pjax:end', 'popstate', 'pageshow'];

export class Annotator {
  private readonly doc: Document;
  private readonly o: AnnotatorOptions;
  private readonly mentions = new Map<Text, Mention[]>();
  private mentionCount = 0;
  /**
   * Blocks already scanned, keyed by their first text node: what they were then and what
   * was found. One entry per block, not per text node (a WeakMap write per node costs
   * more than reading the text).
   */
  private processed = new WeakMap<Text, { last: Text; n: number; text: string; found: Mention[] }>();
  private readonly live = new Set<Mention>();
  private readonly unplaced = new Set<Mention>();
  /** Elements we created; everything else marked data-cmed-ui is a stale copy (page caches, clones). */
  private readonly ours = new WeakSet<Node>();
  private readonly removedByUs = new WeakSet<Node>();
  private highlight: Highlight | null = null;
  private sheet: CSSStyleSheet | null = null;
  private styleEl: HTMLStyleElement | null = null;
  private regions: Element[] = [];
  private regionSet = new Set<Element>();
  private pageEntries: string[] = [];
  private supported = new Set<string>();
  private growSupport = false;
  private banner: { host: HTMLElement; entryId: string; star: HTMLButtonElement } | null = null;
  private observer: MutationObserver | null = null;
  private enabled = false;
  private generation = 0;
  private passes = 0;
  private running: Promise<void> | null = null;
  private wantFull = false;
  private pending: Node[] = [];
  private needsPrune = false;
  private frame = 0;
  private frameTimer = 0;
  private lastUrl = '';
  private lastReport = '';
  private listening = false;
  private card: {
    host: HTMLElement;
    root: ShadowRoot;
    view: CardView | null;
    anchor: HTMLElement | null;
    entryId: string;
    closeTimer: number;
    openTimer: number;
  } | null = null;
  private cardCache = new Map<string, CardData>();
  private returningFocus: HTMLElement | null = null;
  /** Last statistics, for tests and the benchmark. */
  stats: PassStats | null = null;

  constructor(options: AnnotatorOptions) {
    this.o = options;
    this.doc = options.doc;
    options.signal?.addEventListener('abort', () => this.stop(), { once: true });
  }

  private get url(): string {
    return this.o.url ? this.o.url() : this.doc.location?.href ?? '';
  }

  private get aborted(): boolean {
    return this.o.signal?.aborted === true;
  }

  /** Annotates the page and keeps following it. Safe to call again (no-op while running). */
  start(): Promise<void> {
    if (this.aborted) return Promise.resolve();
    if (!this.enabled) {
      this.enabled = true;
      this.listen();
      this.observe();
    }
    return this.requestFull();
  }

  /** Removes every mark and stops following the page (the per-site switch turned off). */
  stop(): void {
    if (!this.enabled) return;
    this.enabled = false;
    this.generation++;
    this.observer?.disconnect();
    this.observer = null;
    this.pending = [];
    this.cancelFrame();
    this.guard(() => {
      this.clearAll();
      this.setState(this.aborted ? 'gone' : 'off');
      this.publish('clear', null);
      this.reportFound();
    });
  }

  get isEnabled(): boolean {
    return this.enabled;
  }

  /** Runs a full pass now (or right after the running one). */
  requestFull(): Promise<void> {
    this.wantFull = true;
    return this.drain();
  }

  // ---------------------------------------------------------------- scheduling

  private drain(): Promise<void> {
    if (this.running) return this.running;
    const run = async () => {
      // Never finish synchronously: `running` must be assigned before the finally clears it.
      await null;
      try {
        while (this.enabled && !this.aborted && (this.wantFull || this.pending.length || this.needsPrune)) {
          if (this.wantFull || this.url !== this.lastUrl || this.regionsGone()) {
            this.wantFull = false;
            this.pending = [];
            this.needsPrune = false;
            await this.fullPass();
          } else {
            await this.incrementalPass();
          }
        }
      } catch (err) {
        this.fail(err);
      } finally {
        this.running = null;
      }
    };
    this.running = run();
    return this.running;
  }

  private schedule(): void {
    if (this.frame || this.frameTimer || !this.enabled) return;
    const fire = () => {
      this.cancelFrame();
      void this.drain();
    };
    // One batch per frame; the timer covers hidden tabs, where frames do not come.
    try {
      this.frame = requestAnimationFrame(fire);
    } catch {
      this.frame = 0;
    }
    this.frameTimer = setTimeout(fire, 100) as unknown as number;
  }

  private cancelFrame(): void {
    if (this.frame) cancelAnimationFrame(this.frame);
    if (this.frameTimer) clearTimeout(this.frameTimer);
    this.frame = 0;
    this.frameTimer = 0;
  }

  private listen(): void {
    if (this.listening) return;
    this.listening = true;
    const win = this.doc.defaultView;
    if (!win) return;
    const opts = { signal: this.o.signal, passive: true } as AddEventListenerOptions;
    const onNav = (e: Event) => {
      if (!this.enabled) return;
      // pageshow matters only when the page comes back from the back/forward cache.
      if (e.type === 'pageshow' && !(e as PageTransitionEvent).persisted) return;
      this.wantFull = true;
      this.schedule();
    };
    for (const type of NAV_EVENTS) {
      win.addEventListener(type, onNav, opts);
      this.doc.addEventListener(type, onNav, opts);
    }
    win.addEventListener('scroll', () => this.repositionCard(), { ...opts, capture: true });
    win.addEventListener('resize', () => this.repositionCard(), opts);
  }

  private observe(): void {
    if (this.observer || typeof MutationObserver !== 'function') return;
    this.observer = new MutationObserver((records) => this.guard(() => this.onMutations(records)));
    this.observer.observe(this.doc.documentElement, { childList: true, subtree: true, characterData: true });
  }

  private onMutations(records: MutationRecord[]): void {
    if (!this.enabled) return;
    let relevant = false;
    for (const r of records) {
      if (r.type === 'characterData') {
        if (this.pending.length <= FULL_RESCAN_THRESHOLD) this.pending.push(r.target);
        relevant = true;
        continue;
      }
      for (const n of Array.from(r.addedNodes)) {
        // Our own insertions are not news.
        if (this.ours.has(n)) continue;
        if (n.nodeType === 1 && (n as Element).hasAttribute('data-cmed-ui')) {
          // A copy of our UI the page made (Turbo's snapshot cache, cloneNode): it must go.
          this.wantFull = true;
          relevant = true;
          continue;
        }
        if (this.pending.length <= FULL_RESCAN_THRESHOLD) this.pending.push(n);
        relevant = true;
      }
      if (r.removedNodes.length && (this.mentionCount || this.banner)) {
        for (const n of Array.from(r.removedNodes)) {
          if (!this.removedByUs.has(n)) {
            this.needsPrune = true;
            relevant = true;
            break;
          }
        }
      }
    }
    if (this.pending.length > FULL_RESCAN_THRESHOLD) {
      this.pending = [];
      this.wantFull = true;
    }
    if (relevant) this.schedule();
  }

  // ---------------------------------------------------------------- passes

  private async fullPass(): Promise<void> {
    const gen = ++this.generation;
    const start = this.markStart();
    const slicer = new Slicer(this.o.sliceBudget ?? 8, () => gen !== this.generation || !this.enabled || this.aborted);
    this.setState('busy');
    const counters = { blocks: 0, scanned: 0, rescanned: 0, textNodes: 0, chars: 0 };
    let error: string | undefined;
    try {
      this.removeStrayUi();
      this.ensureStyle();
      const url = this.url;
      this.lastUrl = url;
      let parsed: URL | null = null;
      try {
        parsed = new URL(url);
      } catch {
        parsed = null;
      }
      const type = parsed ? this.o.adapter.pageType(parsed) : null;
      this.regions = parsed && type ? this.pickRegions(parsed) : [];
      this.regionSet = new Set(this.regions);
      this.pageEntries = parsed && type ? this.findPageEntries(parsed) : [];
      this.supported = new Set(this.pageEntries);
      // One work per page (an abstract, a paper, a README): an entry named in full anywhere
      // supports its short name everywhere on it. Listings hold unrelated works, so there
      // a title in one item must not wake a short name ("LATTE") in another.
      this.growSupport = parsed ? this.updateBanner(parsed) && type !== null : false;
      if (!parsed) this.removeBanner();

      const visited = new Set<Mention>();
      const blocks: Block[] = [];
      let growthAt = 0;
      for (const region of this.regions) {
        const collector = new BlockCollector(region, this.skipRules());
        for (;;) {
          const b = collector.next();
          if (b === null) break;
          if (b !== PENDING) {
            blocks.push(b);
            const before = this.supported.size;
            const r = await this.processBlock(b, visited, false, slicer);
            if (r === false) return;
            // Growth from blocks kept as they were is not news: they were read with it before.
            if (r === 'scanned' && this.supported.size !== before) growthAt = blocks.length - 1;
            if (r === 'scanned') counters.scanned++;
          }
          if (slicer.due() && !(await slicer.yield())) return;
        }
        counters.textNodes += collector.textNodes;
        counters.chars += collector.chars;
      }
      counters.blocks = blocks.length;
      // A short name ("MIE") becomes a mention once the page has named its entry in full;
      // text read before that happened is read again with what is known now.
      for (let i = 0; i < growthAt; i++) {
        counters.rescanned++;
        if (!(await this.processBlock(blocks[i], visited, true, slicer))) return;
        if (slicer.due() && !(await slicer.yield())) return;
      }
      for (const list of Array.from(this.mentions.values())) {
        // A copy: removeMention splices the list being walked.
        for (const m of list.slice()) if (!visited.has(m)) this.removeMention(m);
      }
    } catch (err) {
      error = this.fail(err);
    }
    if (gen !== this.generation || !this.enabled) return;
    slicer.close();
    this.finish('full', start, slicer, counters, error);
  }

  private async incrementalPass(): Promise<void> {
    const gen = ++this.generation;
    const start = this.markStart();
    const slicer = new Slicer(this.o.sliceBudget ?? 8, () => gen !== this.generation || !this.enabled || this.aborted);
    const counters = { blocks: 0, scanned: 0, rescanned: 0, textNodes: 0, chars: 0 };
    let error: string | undefined;
    let touched = false;
    try {
      const pending = this.pending;
      this.pending = [];
      if (this.needsPrune) {
        this.needsPrune = false;
        touched = this.prune(pending) || touched;
      }
      const roots = this.rootsFor(pending);
      if (roots === 'full') {
        this.wantFull = true;
        return;
      }
      for (const root of roots) {
        touched = true;
        const collector = new BlockCollector(root, this.skipRules());
        for (;;) {
          const b = collector.next();
          if (b === null) break;
          if (b !== PENDING) {
            counters.blocks++;
            const r = await this.processBlock(b, null, false, slicer);
            if (r === false) return;
            if (r === 'scanned') counters.scanned++;
          }
          if (slicer.due() && !(await slicer.yield())) return;
        }
        counters.textNodes += collector.textNodes;
        counters.chars += collector.chars;
      }
    } catch (err) {
      error = this.fail(err);
    }
    if (gen !== this.generation || !this.enabled) return;
    slicer.close();
    if (touched || error) this.finish('incremental', start, slicer, counters, error);
  }

  /** Scans one block unless it is unchanged since it was last scanned; reconciles its mentions. */
  private async processBlock(block: Block, visited: Set<Mention> | null, force: boolean, slicer: Slicer): Promise<'kept' | 'scanned' | false> {
    const { nodes } = block;
    const first = nodes[0];
    const last = nodes[nodes.length - 1];
    const seen = this.processed.get(first);
    if (!force && seen && seen.n === nodes.length && seen.last === last && seen.text === block.text && seen.found.every((m) => this.live.has(m))) {
      for (const m of seen.found) {
        visited?.add(m);
        if (this.growSupport) this.supported.add(m.entryId);
      }
      return 'kept';
    }
    let matches: TextMatch[];
    if (block.text.length > WINDOW) {
      const r = await this.scanLong(block.text, slicer);
      if (r === null) return false;
      matches = r;
    } else {
      matches = this.o.matcher.scan(block.text, { supported: this.supported });
    }
    const found = await this.reconcile(block, matches, visited, slicer);
    if (found === null) return false;
    this.processed.set(first, { last, n: nodes.length, text: block.text, found });
    return 'scanned';
  }

  /** The matcher over a long text in windows (with context on both sides), yielding between them. */
  private async scanLong(text: string, slicer: Slicer): Promise<TextMatch[] | null> {
    const out: TextMatch[] = [];
    let lastEnd = 0;
    for (let from = 0; from < text.length; from += WINDOW) {
      const lo = Math.max(0, from - WINDOW_LEFT);
      const hi = Math.min(text.length, from + WINDOW + WINDOW_RIGHT);
      const found = this.o.matcher.scan(text.slice(lo, hi), { supported: this.supported });
      for (const m of found) {
        const start = m.start + lo;
        // Matches that start in this window's own span; earlier ones were taken by the previous window.
        if (start < from || start >= from + WINDOW || start < lastEnd) continue;
        out.push({ ...m, start, end: m.end + lo });
        lastEnd = m.end + lo;
      }
      if (slicer.due() && !(await slicer.yield())) return null;
    }
    return out;
  }

  /** Makes the block's mentions equal `matches`: keeps the ones already there, adds new, removes gone. Null if the pass stopped. */
  private async reconcile(block: Block, matches: TextMatch[], visited: Set<Mention> | null, slicer: Slicer): Promise<Mention[] | null> {
    const { nodes } = block;
    let existing: Mention[] | null = null;
    if (this.mentionCount) {
      for (let i = 0; i < nodes.length; i++) {
        const list = this.mentions.get(nodes[i]);
        if (list) (existing ??= []).push(...list);
        // A block of 100,000 text nodes must not become one long task.
        if ((i & 4095) === 4095 && slicer.due() && !(await slicer.yield())) return null;
      }
    }
    const keep: Mention[] = [];
    for (const match of matches) {
      if (this.growSupport) this.supported.add(match.entryId);
      const [sn, so] = locate(block, match.start, false);
      const [en, eo] = locate(block, match.end, true);
      const same = existing?.find(
        (m) => m.start === sn && m.startOffset === so && m.end === en && m.endOffset === eo && m.entryId === match.entryId && (m.badge.isConnected || this.unplaced.has(m)),
      );
      const m = same ?? this.addMention(match.entryId, nodes[0], sn, so, en, eo);
      if (!m) continue;
      if (same) same.block = nodes[0];
      keep.push(m);
      visited?.add(m);
    }
    if (existing) for (const m of existing) if (!keep.includes(m)) this.removeMention(m);
    return keep;
  }

  private finish(kind: PassStats['kind'], start: string, slicer: Slicer, counters: Counters, error?: string): void {
    this.placePending();
    this.setState('idle');
    this.reportFound();
    this.publish(kind, start, {
      ...counters,
      slices: slicer.slices,
      maxSliceMs: Math.round(slicer.maxSlice * 100) / 100,
      busyMs: Math.round(slicer.busy * 100) / 100,
      error,
    });
  }

  // ---------------------------------------------------------------- regions and page identity

  private pickRegions(url: URL): Element[] {
    let list: Element[] = [];
    try {
      list = this.o.adapter.regions(this.doc, url).filter((r) => r && r.isConnected && !r.closest(SKIP_SELECTOR));
    } catch {
      list = [];
    }
    // Nested regions would be read twice (adapters already avoid it; this is cheap insurance).
    const set = new Set(list);
    return list.filter((r) => {
      for (let p = r.parentElement; p; p = p.parentElement) if (set.has(p)) return false;
      return true;
    });
  }

  /** The region containing `n`, found by walking up (regions can number in the thousands). */
  private regionOf(n: Node): Element | null {
    for (let p: Node | null = n; p; p = p.parentNode) if (this.regionSet.has(p as Element)) return p as Element;
    return null;
  }

  private regionsGone(): boolean {
    return this.regions.some((r) => !r.isConnected);
  }

  private findPageEntries(url: URL): string[] {
    const found: string[] = [];
    const add = (id: string | undefined) => {
      if (id && !found.includes(id)) found.push(id);
    };
    let raw: string[] = [];
    try {
      raw = this.o.adapter.pageIds(this.doc, url);
    } catch {
      raw = [];
    }
    const titles: string[] = [];
    for (const r of raw) {
      const i = r.indexOf(':');
      const kind = i > 0 ? r.slice(0, i) : '';
      const id = r.slice(i + 1);
      if (kind === 'arxiv' || kind === 'acl' || kind === 'doi' || kind === 'github') add(this.o.matcher.byId(kind, id));
      else if (kind === 'title') titles.push(id.trim());
      else if (/^https?:/i.test(r)) add(this.o.matcher.byUrl(r));
    }
    // Identifiers outrank the title; a title counts only when one catalog name is the whole of it.
    for (const t of titles) {
      const hits = this.o.matcher.scan(t);
      if (hits.length === 1 && hits[0].start <= 1 && hits[0].end >= t.length - 1) add(hits[0].entryId);
    }
    return found;
  }

  private skipRules() {
    return { skip: skipTest(), transparent: (el: Element) => this.ours.has(el) };
  }

  /** Block-level roots to rescan for a batch of added/changed nodes, or 'full' when the view itself changed. */
  private rootsFor(nodes: Node[]): Element[] | 'full' {
    const roots: Element[] = [];
    let outside = false;
    for (const n of nodes) {
      if (!n.isConnected) continue;
      const region = this.regionOf(n);
      if (!region) {
        if (n.nodeType === 1) outside = true;
        continue;
      }
      // The whole block around the change: new text may join text already there.
      let root: Node | null = n.parentNode;
      while (root && root !== region && root.nodeType === 1 && isInline(root as Element)) root = root.parentNode;
      if (!root || root.nodeType !== 1) continue;
      const el = root as Element;
      if (el !== region && el.closest(SKIP_SELECTOR)) continue;
      if (!roots.includes(el)) roots.push(el);
    }
    if (outside) {
      // Content that arrived outside the known regions may bring new ones (a README loaded late).
      let url: URL;
      try {
        url = new URL(this.url);
      } catch {
        return roots;
      }
      if (this.o.adapter.pageType(url) === null) return roots;
      const fresh = this.pickRegions(url).filter((r) => !this.regionSet.has(r) && !this.regionOf(r));
      if (fresh.length) {
        // A new region around a known one changes what is read: start over.
        if (this.regions.some((r) => fresh.some((f) => f.contains(r)))) return 'full';
        for (const r of fresh) {
          this.regions.push(r);
          this.regionSet.add(r);
          roots.push(r);
        }
      }
    }
    const set = new Set(roots);
    return roots.filter((r) => {
      for (let p = r.parentElement; p; p = p.parentElement) if (set.has(p)) return false;
      return true;
    });
  }

  // ---------------------------------------------------------------- mentions

  private addMention(entryId: string, block: Text, sn: Text, so: number, en: Text, eo: number): Mention | null {
    if (!sn.isConnected || !en.isConnected || so > sn.length || eo > en.length) return null;
    const range = this.doc.createRange();
    range.setStart(sn, so);
    range.setEnd(en, eo);
    const meta = this.o.meta[entryId];
    const badge = createBadge(this.doc, entryId, meta?.[0] ?? entryId, meta?.[1], this.o.strings);
    this.ours.add(badge);
    this.wireTrigger(badge, entryId);
    this.highlight?.add(range);
    const m: Mention = { entryId, block, start: sn, startOffset: so, end: en, endOffset: eo, range, badge };
    this.live.add(m);
    // Placed at the end of the pass, all at once: one layout for the page instead of one per slice.
    this.unplaced.add(m);
    const list = this.mentions.get(sn);
    if (list) list.push(m);
    else this.mentions.set(sn, [m]);
    this.mentionCount++;
    return m;
  }

  /**
   * After the mention's last text node; lifted out of inline elements it ends (so a
   * badge after a linked title sits beside the link, not inside it). Page text is never split.
   */
  private placeBadge(badge: HTMLElement, end: Text): void {
    let anchor: Node = end;
    for (;;) {
      const p = anchor.parentNode;
      if (!p || p.nodeType !== 1 || !isInline(p as Element) || this.regionSet.has(p as Element)) break;
      if (!this.endsParent(anchor)) break;
      anchor = p;
    }
    let ref = anchor.nextSibling;
    while (ref && this.ours.has(ref)) ref = ref.nextSibling;
    anchor.parentNode?.insertBefore(badge, ref);
  }

  private endsParent(n: Node): boolean {
    for (let s = n.nextSibling; s; s = s.nextSibling) {
      if (this.ours.has(s)) continue;
      if (s.nodeType === 3 && !/\S/.test((s as Text).data)) continue;
      if (s.nodeType === 8) continue;
      return false;
    }
    return true;
  }

  /** Inserts the badges of mentions found in this pass (whose text is still there). */
  private placePending(): void {
    for (const m of this.unplaced) {
      if (m.end.isConnected) this.placeBadge(m.badge, m.end);
    }
    this.unplaced.clear();
  }

  private removeMention(m: Mention): void {
    this.live.delete(m);
    this.unplaced.delete(m);
    const list = this.mentions.get(m.start);
    if (list) {
      const i = list.indexOf(m);
      if (i >= 0) {
        list.splice(i, 1);
        this.mentionCount--;
      }
      if (list.length === 0) this.mentions.delete(m.start);
    }
    this.highlight?.delete(m.range);
    this.removedByUs.add(m.badge);
    if (this.card?.anchor === m.badge) this.closeCard(false);
    m.badge.remove();
  }

  /** Drops mentions whose text left the page; a badge the page removed comes back on the rescan. */
  private prune(pending: Node[]): boolean {
    let changed = false;
    for (const list of Array.from(this.mentions.values())) {
      for (const m of list.slice()) {
        if (m.start.isConnected && m.end.isConnected && m.badge.isConnected) continue;
        this.removeMention(m);
        changed = true;
        // Read its block again (the badge the page removed comes back; moved text is found anew).
        this.processed.delete(m.block);
        if (m.start.isConnected) pending.push(m.start);
      }
    }
    if (this.banner && !this.banner.host.isConnected) {
      this.banner = null;
      this.wantFull = true;
    }
    return changed;
  }

  private clearAll(): void {
    for (const list of Array.from(this.mentions.values())) for (const m of list.slice()) this.removeMention(m);
    this.mentions.clear();
    this.mentionCount = 0;
    this.processed = new WeakMap();
    this.removeBanner();
    this.closeCard(false);
    this.card?.host.remove();
    this.card = null;
    this.highlight?.clear();
    this.removeStrayUi();
    if (this.sheet) {
      try {
        this.doc.adoptedStyleSheets = this.doc.adoptedStyleSheets.filter((s) => s !== this.sheet);
      } catch {
        // Nothing to undo.
      }
    }
    this.styleEl?.remove();
    this.styleEl = null;
    this.regions = [];
    this.regionSet = new Set();
    this.pageEntries = [];
    this.lastUrl = '';
  }

  /** Removes data-cmed-ui elements we did not create (stale copies restored from a page cache). */
  private removeStrayUi(): void {
    for (const el of Array.from(this.doc.querySelectorAll('[data-cmed-ui]'))) {
      if (this.ours.has(el)) continue;
      this.removedByUs.add(el);
      el.remove();
    }
  }

  private ensureStyle(): void {
    const win = this.doc.defaultView as (Window & typeof globalThis) | null;
    const registry = win?.CSS && 'highlights' in win.CSS ? win.CSS.highlights : undefined;
    if (registry && typeof win?.Highlight === 'function') {
      if (!this.highlight) this.highlight = new win.Highlight();
      if (registry.get(HIGHLIGHT_NAME) !== this.highlight) registry.set(HIGHLIGHT_NAME, this.highlight);
    }
    if (!this.sheet && !this.styleEl) {
      try {
        if (win && typeof win.CSSStyleSheet === 'function' && 'adoptedStyleSheets' in this.doc) {
          const s = new win.CSSStyleSheet();
          s.replaceSync(HIGHLIGHT_CSS);
          this.sheet = s;
        }
      } catch {
        this.sheet = null;
      }
    }
    if (this.sheet) {
      if (!this.doc.adoptedStyleSheets.includes(this.sheet)) this.doc.adoptedStyleSheets = [...this.doc.adoptedStyleSheets, this.sheet];
      return;
    }
    if (!this.styleEl) {
      this.styleEl = this.doc.createElement('style');
      this.styleEl.setAttribute('data-cmed-ui', '');
      this.styleEl.textContent = HIGHLIGHT_CSS;
      this.ours.add(this.styleEl);
    }
    if (!this.styleEl.isConnected) (this.doc.head ?? this.doc.documentElement).append(this.styleEl);
  }

  // ---------------------------------------------------------------- banner

  /** Shows (or removes) the "this page is in the list" banner; true if the page is a single work (it has a banner place). */
  private updateBanner(url: URL): boolean {
    const id = this.pageEntries[0];
    let anchor: Element | null = null;
    try {
      anchor = this.o.adapter.bannerAnchor(this.doc, url);
    } catch {
      anchor = null;
    }
    if (!id || !anchor) {
      this.removeBanner();
      return anchor !== null;
    }
    if (this.banner && this.banner.entryId === id && this.banner.host.isConnected) return true;
    this.removeBanner();
    const meta = this.o.meta[id];
    const parts = createBanner(this.doc, id, meta?.[0] ?? id, meta?.[1], this.o.strings);
    this.ours.add(parts.host);
    // Adapters name the first element of the content (a title, a header): the banner goes right above it.
    anchor.before(parts.host);
    this.banner = { host: parts.host, entryId: id, star: parts.star };
    this.wireTrigger(parts.details, id);
    parts.star.addEventListener('click', (e) => {
      e.preventDefault();
      e.stopPropagation();
      void this.saveEntry(id, parts.star, null);
    });
    void this.loadCardData(id).then((d) => {
      if (d && this.banner?.star === parts.star) setStar(parts.star, d.favorite, this.o.strings);
    });
    return true;
  }

  private removeBanner(): void {
    if (!this.banner) return;
    this.removedByUs.add(this.banner.host);
    this.banner.host.remove();
    this.banner = null;
  }

  // ---------------------------------------------------------------- card

  /** Hover, focus, Enter/Space and click on `trigger` open the card for `entryId` next to it. */
  private wireTrigger(trigger: HTMLElement, entryId: string): void {
    const opts = { signal: this.o.signal } as AddEventListenerOptions;
    trigger.addEventListener(
      'mouseenter',
      () =>
        this.guard(() => {
          if (!this.card || this.card.anchor !== trigger) {
            this.cancelCardTimers();
            const c = this.ensureCard();
            c.openTimer = setTimeout(() => this.openCard(trigger, entryId, false), 120) as unknown as number;
          } else this.cancelCardTimers();
        }),
      opts,
    );
    trigger.addEventListener('mouseleave', () => this.guard(() => this.scheduleClose(250)), opts);
    trigger.addEventListener(
      'focus',
      () =>
        this.guard(() => {
          // Focus handed back by Esc must not reopen what Esc just closed.
          if (this.returningFocus === trigger) {
            this.returningFocus = null;
            return;
          }
          this.openCard(trigger, entryId, false);
        }),
      opts,
    );
    trigger.addEventListener(
      'blur',
      (e) =>
        this.guard(() => {
          const next = (e as FocusEvent).relatedTarget;
          if (next && this.card && next === this.card.host) return;
          this.scheduleClose(150);
        }),
      opts,
    );
    trigger.addEventListener(
      'keydown',
      (e) =>
        this.guard(() => {
          const k = (e as KeyboardEvent).key;
          if (k === 'Escape') {
            if (this.card && !this.card.host.hidden) {
              e.stopPropagation();
              this.closeCard(false);
            }
          } else if (k === 'Enter' || k === ' ') {
            e.preventDefault();
            e.stopPropagation();
            this.openCard(trigger, entryId, true);
          }
        }),
      opts,
    );
    trigger.addEventListener(
      'click',
      (e) =>
        this.guard(() => {
          // A badge can sit inside a link: clicking it opens the card, never the link.
          e.preventDefault();
          e.stopPropagation();
          this.openCard(trigger, entryId, false);
        }),
      opts,
    );
  }

  private ensureCard() {
    if (this.card && this.card.host.isConnected) return this.card;
    const { host, root } = createCardHost(this.doc);
    this.ours.add(host);
    this.doc.documentElement.append(host);
    const opts = { signal: this.o.signal } as AddEventListenerOptions;
    host.addEventListener('mouseenter', () => this.cancelCardTimers(), opts);
    host.addEventListener('mouseleave', () => this.guard(() => this.scheduleClose(250)), opts);
    host.addEventListener(
      'keydown',
      (e) =>
        this.guard(() => {
          if ((e as KeyboardEvent).key === 'Escape') {
            e.stopPropagation();
            this.closeCard(true);
          }
        }),
      opts,
    );
    host.addEventListener(
      'focusout',
      (e) =>
        this.guard(() => {
          const next = (e as FocusEvent).relatedTarget as Node | null;
          if (next && (next === host || next === this.card?.anchor || host.shadowRoot?.contains(next))) return;
          this.scheduleClose(150);
        }),
      opts,
    );
    this.card = { host, root, view: null, anchor: null, entryId: '', closeTimer: 0, openTimer: 0 };
    return this.card;
  }

  private openCard(anchor: HTMLElement, entryId: string, focusInside: boolean): void {
    if (!this.enabled || !anchor.isConnected) return;
    const c = this.ensureCard();
    this.cancelCardTimers();
    if (c.anchor && c.anchor !== anchor) c.anchor.setAttribute('aria-expanded', 'false');
    const same = c.anchor === anchor && !c.host.hidden;
    c.anchor = anchor;
    c.entryId = entryId;
    anchor.setAttribute('aria-expanded', 'true');
    if (!same) this.renderCard(this.cardCache.get(entryId) ?? null);
    c.host.hidden = false;
    this.repositionCard();
    if (focusInside) (c.view?.star ?? c.view?.box)?.focus();
    void this.loadCardData(entryId).then((d) => {
      if (!d || this.card !== c || c.entryId !== entryId || c.host.hidden) return;
      const hadFocus = c.root.activeElement !== null;
      this.renderCard(d);
      this.repositionCard();
      if (hadFocus || focusInside) (c.view?.star ?? c.view?.box)?.focus();
    });
  }

  private renderCard(data: CardData | null): void {
    const c = this.card;
    if (!c) return;
    const meta = this.o.meta[c.entryId];
    c.view = renderCard(c.host, c.root, data, meta?.[0] ?? c.entryId, this.o.strings);
    const entryId = c.entryId;
    const view = c.view;
    view.close.addEventListener('click', () => this.guard(() => this.closeCard(true)));
    view.star?.addEventListener('click', (e) => {
      e.preventDefault();
      void this.saveEntry(entryId, view.star as HTMLButtonElement, view.status);
    });
  }

  private closeCard(returnFocus: boolean): void {
    const c = this.card;
    if (!c) return;
    this.cancelCardTimers();
    const anchor = c.anchor;
    c.host.hidden = true;
    c.anchor = null;
    if (anchor) {
      anchor.setAttribute('aria-expanded', 'false');
      if (returnFocus && anchor.isConnected) {
        this.returningFocus = anchor;
        anchor.focus({ preventScroll: true });
        this.returningFocus = null;
      }
    }
  }

  private scheduleClose(ms: number): void {
    const c = this.card;
    if (!c) return;
    clearTimeout(c.openTimer);
    c.openTimer = 0;
    if (c.host.hidden) return;
    clearTimeout(c.closeTimer);
    c.closeTimer = setTimeout(() => this.guard(() => this.closeCard(false)), ms) as unknown as number;
  }

  private cancelCardTimers(): void {
    if (!this.card) return;
    clearTimeout(this.card.closeTimer);
    clearTimeout(this.card.openTimer);
    this.card.closeTimer = 0;
    this.card.openTimer = 0;
  }

  private repositionCard(): void {
    const c = this.card;
    if (!c || c.host.hidden || !c.anchor || !c.view) return;
    if (!c.anchor.isConnected) {
      this.closeCard(false);
      return;
    }
    positionCard(c.host, c.view.box, c.anchor);
  }

  private async loadCardData(id: string): Promise<CardData | null> {
    if (!this.o.loadCard) return this.cardCache.get(id) ?? null;
    try {
      const d = await this.o.loadCard(id);
      if (d) this.cardCache.set(id, d);
      return d;
    } catch {
      return this.cardCache.get(id) ?? null;
    }
  }

  /** Saves through the background (idempotent): a second click keeps the favorite, it never toggles it off. */
  private async saveEntry(id: string, star: HTMLButtonElement, status: HTMLElement | null): Promise<void> {
    if (!this.o.save) return;
    star.disabled = true;
    try {
      await this.o.save(id);
      setStar(star, true, this.o.strings);
      const cached = this.cardCache.get(id);
      if (cached) cached.favorite = true;
      if (this.banner?.entryId === id) setStar(this.banner.star, true, this.o.strings);
      if (status) status.textContent = str(this.o.strings, 'card_saved');
    } catch {
      if (status) status.textContent = str(this.o.strings, 'card_save_failed');
    } finally {
      star.disabled = false;
    }
  }

  // ---------------------------------------------------------------- reporting

  /** Distinct entries on the page: the page's own entry first, then mentions in document order of discovery. */
  foundEntries(): string[] {
    const ids = new Set<string>(this.enabled ? this.pageEntries : []);
    for (const list of this.mentions.values()) for (const m of list) ids.add(m.entryId);
    return [...ids];
  }

  private reportFound(): void {
    const ids = this.foundEntries();
    const url = this.url;
    const key = `${url}\n${ids.join(',')}`;
    if (key === this.lastReport) return;
    this.lastReport = key;
    try {
      this.o.report?.(ids, url);
    } catch {
      // Reporting is best effort.
    }
  }

  private markStart(): string {
    const name = `${MEASURE}:start`;
    try {
      performance.clearMarks(name);
      performance.mark(name);
    } catch {
      // User Timing missing: the stats object still records the pass.
    }
    return name;
  }

  private publish(kind: PassStats['kind'], start: string | null, extra?: Partial<PassStats>): void {
    this.passes++;
    const stats: PassStats = {
      pass: this.passes,
      kind,
      mentions: this.mentionCount,
      entries: this.foundEntries(),
      page: this.banner?.entryId ?? null,
      blocks: 0,
      scanned: 0,
      rescanned: 0,
      textNodes: 0,
      chars: 0,
      slices: 0,
      maxSliceMs: 0,
      ...extra,
    };
    this.stats = stats;
    try {
      const end = `${MEASURE}:end`;
      performance.clearMarks(end);
      performance.mark(end);
      // Bounded, so a long-lived page does not accumulate entries.
      if (performance.getEntriesByName(MEASURE).length >= 50) performance.clearMeasures(MEASURE);
      performance.measure(MEASURE, { start: start ?? end, end, detail: stats });
    } catch {
      // See markStart.
    }
  }

  private setState(state: string): void {
    try {
      this.doc.documentElement.setAttribute('data-cmed-annotator', state);
    } catch {
      // A page without a root element: nothing to mark.
    }
  }

  private guard(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.fail(err);
    }
  }

  private fail(err: unknown): string {
    // Never thrown into the page; kept for the measure's detail and tests.
    const msg = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    this.lastError = msg;
    return msg;
  }

  lastError: string | null = null;
}
