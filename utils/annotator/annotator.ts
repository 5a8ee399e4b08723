/**
 * The DOM side of the annotator: reads the adapter's regions, asks the matcher for
 * mentions, and shows them without touching page text — a CSS Custom Highlight for the
 * words and one `<cmed-badge>` placed after each mention. Work is time-sliced, idempotent
 * (a re-run on the same DOM changes nothing) and follows the page as it changes.
 * Nothing here knows catalog internals: titles and kinds come in as `meta`.
 *
 * Closures rather than a class: the minifier can shorten local names, not members, and
 * this code ships on every page of the three sites.
 */
import type { Kind } from '../catalog/types';
import type { Matcher, ScanContext, TextMatch } from '../matcher/types';
import type { IdKind } from '../matcher/ids';
import type { SiteAdapter } from '../sites/types';
import { PENDING, copyBlock, createBlockReader, insideSkipped, isInline, locate, skipped, type Block, type BlockReader, type ReadCount } from './collect';
import { createSlicer, now, type Slicer } from './slicer';
import { isFunction, on } from './short';
import type { CreateUi, Ui } from './card';
import { HIGHLIGHT_NAME, PASS_MEASURE, badgeVisual, createBadge, drawBadge, type Strings, type UiCss } from './ui';

export interface AnnotatorOptions {
  doc: Document;
  adapter: SiteAdapter;
  matcher: Matcher;
  meta: Record<string, [string, Kind]>;
  strings: Strings;
  /** Stylesheets of our UI (missing ones leave it unstyled, as in unit tests). */
  css?: Partial<UiCss>;
  signal?: AbortSignal;
  /** The page URL (location.href in the browser). */
  url?: () => string;
  /**
   * Called at the end of every pass: with the distinct entries on the page when that set (or
   * the URL) changed, else with null (nothing to send; a copy of the script the extension left
   * behind finds out there).
   */
  report?: (entryIds: string[] | null, url: string) => void;
  /**
   * The hover card and banner (utils/annotator/card.ts), loaded on demand: the content
   * script asks the background to inject them. Without it, mentions get badges but no card.
   */
  loadUi?: () => Promise<CreateUi>;
  /** Longest slice of work before yielding, ms. */
  sliceBudget?: number;
  /**
   * Called when the page gets a new root element (document.open()), which also erased the
   * listeners the caller added to the window and the document, and when switched on again (a
   * rewrite while switched off goes unseen): it adds them again.
   */
  onRoot?: () => void;
}

export interface Annotator {
  /** Annotates the page and keeps following it. Safe to call again (no-op while running). */
  start(): Promise<void>;
  /** Removes every mark and stops following the page (the per-site switch turned off). */
  stop(): void;
  /**
   * Runs a full pass now (or right after the running one). After a move to another URL
   * (`moved`), that pass reports even what was reported last: the background forgot the page
   * when the tab left it, though the tab may be back at the same URL already.
   */
  requestFull(moved?: boolean): Promise<void>;
  /** Distinct entries on the page: the page's own entry first, then mentions in order of discovery. */
  foundEntries(): string[];
  /** Annotating and following the page (started, not stopped). */
  readonly isOn: boolean;
  /** Last statistics, for tests and the benchmark. */
  readonly stats: PassStats | null;
  readonly lastError: string | null;
}

interface Mention {
  id: string;
  /** First text node of the block it was found in (the block's key in `processed`). */
  block: Text;
  /** Start and end node of the mention's text; its offsets are the range's own. */
  sn: Text;
  en: Text;
  textRange: Range;
  badgeEl: HTMLElement;
}

/** What a block held when it was last scanned. */
interface Seen {
  last: Text;
  n: number;
  joined: string;
  found: Mention[];
  /** Entries whose guarded names the block holds but that lacked support then. */
  missed: string[] | null;
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

type Counters = Pick<PassStats, 'blocks' | 'scanned' | 'rescanned' | 'textNodes' | 'chars'>;
type Retry = { block: Block; missed: string[] };

/**
 * A root with more element children than BIG (a README's, a paper section's) is read by the
 * gate GROUP children at a time: on a candidate the gate walks the group's children to find
 * the one holding it, so small groups keep that walk short. Smaller roots are read at once.
 */
const BIG = 64;
const GROUP = 16;
/** Blocks longer than this are scanned in windows, yielding between them. */
const WINDOW = 1 << 16;
/** Context kept on each side of a window so boundary rules see the real neighbours. */
const WINDOW_LEFT = 256;
const WINDOW_RIGHT = 2048;
/**
 * Mentions on one page, and matches taken from one block (made in one task), at most. A real
 * page names the catalog's entries a few hundred times at most, a paragraph a few; a hostile
 * one ("PubMedQA " 8,000 times in one comment, or 10 MB of it) would otherwise make thousands
 * of badges and ranges in one task (a mention costs 30–50 µs to make).
 */
export const MAX_MENTIONS = 1000;
export const MAX_BLOCK_MENTIONS = 200;
/** More pending mutations than this in one frame: rescan everything instead. */
const FULL_RESCAN_THRESHOLD = 400;
const MEASURE = PASS_MEASURE;
/** One measure per slice of badge placement (see placeVisuals). */
const PLACE_MEASURE = 'cmed:place';
/**
 * New badge visuals drawn per frame, at most. Drawing one is cheap; its first rendering (style,
 * layout, paint, in the browser's step of the same frame) is not: on the benchmark's 500 KB
 * README, drawing 94 at once made a 49–92 ms task on a freshly loaded page and 33–40 ms on a
 * warm one, about 0.3–0.5 ms a visual on top of the frame's own 10–15 ms. More new mentions
 * than this are drawn over several frames, each of which pays that frame cost again.
 */
export const DRAW_PER_FRAME = 48;
/** Every element of our UI (see markOurs). */
const UI_SEL = '[data-cmed-ui]';
/**
 * Client-side navigations of the three sites (Turbo, React soft navigation, pjax) and a page
 * back from the back/forward cache. History moves arrive as the context's location changes
 * (content.ts), which leave out moves to an anchor of the same page: `popstate` would count
 * every click in a README's table of contents as a new page.
 */
export const NAV_EVENTS = ['turbo:render', 'turbo:load', 'soft-nav:react-done', 'soft-nav:end', 'pjax:end', 'pageshow'];
const NONE: Mention[] = [];
/** `n.isConnected`, one short name for the annotator's every check. */
const connected = (n: Node) => n.isConnected;
/** A pass's counters before it counts (copied: each pass counts in its own object). */
const NO_COUNTS: Readonly<Counters> = { blocks: 0, scanned: 0, rescanned: 0, textNodes: 0, chars: 0 };

/** Marks the annotator's state on the page's root element (`data-cmed-annotator`: ready, busy, idle, off, gone). */
export const markState = (doc: Document, state: string) => doc.documentElement.setAttribute('data-cmed-annotator', state);

export const createAnnotator = (o: AnnotatorOptions): Annotator => {
  const doc = o.doc;
  // Read once: a member read per use (`o.matcher.scan`) is longer than a local's.
  const { matcher, adapter, signal } = o;
  const win = doc.defaultView as (Window & typeof globalThis) | null;
  const mentions = new Map<Text, Mention[]>();
  let mentionCount = 0;
  /**
   * Blocks already scanned, keyed by their first text node: one entry per block, not per
   * text node (a WeakMap write per node costs more than reading the text).
   */
  let processed = new WeakMap<Text, Seen>();
  const live = new Set<Mention>();
  const unplaced = new Set<Mention>();
  /** Elements we created; everything else marked data-cmed-ui is a stale copy (page caches, clones). */
  const ours = new WeakSet<Node>();
  const isOurs = (el: Element) => ours.has(el);
  /** One block reader for every root (a reader per region would allocate per region). */
  let reader: BlockReader | null = null;
  const readCount: ReadCount = { nodesRead: 0, charsRead: 0 };
  const removedByUs = new WeakSet<Node>();
  let highlight: Highlight | null = null;
  let regions: Element[] = [];
  let regionSet = new Set<Element>();
  /** Regions inside a skipped element, checked lazily (at a region's first match: most never have one). */
  let regionSkip = new Map<Element, boolean>();
  let pageEntries: string[] = [];
  let supported = new Set<string>();
  let growSupport = false;
  /** Entries whose short name the matcher held back on this page and no pass has marked since (see incrementalPass). */
  let held = new Set<string>();
  let missed: string[] | null = null;
  const scanCtx: ScanContext = {
    supportedIds: supported,
    missed(id) {
      if (!missed) missed = [id];
      else if (!missed.includes(id)) missed.push(id);
    },
  };
  /** The page's own entry when it has a banner place (set during the pass), and the banner once shown. */
  let bannerId: string | null = null;
  let bannerAnchor: Element | null = null;
  let banner: { hostEl: HTMLElement; id: string } | null = null;
  let observer: MutationObserver | null = null;
  let enabled = false;
  let generation = 0;
  let passes = 0;
  let running: Promise<void> | null = null;
  let wantFull = false;
  /** The page may hold copies of our UI we did not make: at start, after a navigation, or once one was inserted. */
  let strays = true;
  let pending: Node[] = [];
  let needsPrune = false;
  let frame = 0;
  let frameTimer = 0;
  let placeFrame = 0;
  let resizes: ResizeObserver | null = null;
  let watched = new WeakSet<Element>();
  let lastUrl = '';
  let lastReport = '';
  let listening = false;
  /** The card/banner module once loaded, and the load in flight. */
  let ui: Ui | null = null;
  let uiLoad: Promise<Ui | null> | null = null;
  let stats: PassStats | null = null;
  let lastError: string | null = null;

  // Without its fragment: a move to an anchor of the page is no new page.
  const pageUrl = () => (o.url ? o.url() : doc.location?.href ?? '').split('#')[0];
  const aborted = () => signal?.aborted === true;
  const metaOf = (id: string) => o.meta[id] as [string, Kind] | undefined;

  const guard = (fn: () => void) => {
    try {
      fn();
    } catch (err) {
      fail(err);
    }
  };
  const fail = (err: unknown): string => {
    // Never thrown into the page; kept for the measure's detail and tests.
    lastError = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    return lastError;
  };
  const setState = (state: string) => {
    try {
      markState(doc, state);
    } catch {
      // A page without a root element: nothing to mark.
    }
  };

  // ---------------------------------------------------------------- scheduling

  const drain = (): Promise<void> => {
    if (running) return running;
    running = (async () => {
      // Never finish synchronously: `running` must be assigned before the finally clears it.
      await null;
      try {
        for (let round = 0; enabled && !aborted() && (wantFull || pending.length || needsPrune); ) {
          // Work that keeps coming back within one drain (a page that removes each badge we add)
          // waits for the next frame: the page's own tasks and frames run in between.
          if (round++ > 2) {
            schedule();
            break;
          }
          if (wantFull || pageUrl() !== lastUrl || regions.some((r) => !connected(r))) {
            wantFull = false;
            // Mentions whose text or badge left go first: a full pass would keep one whose
            // block reads the same (a copy the page swapped in, a badge it removed). A prune
            // asked for stays asked for, for what the pass itself leaves.
            prune((pending = []));
            await fullPass();
          } else await incrementalPass();
        }
      } catch (err) {
        fail(err);
      } finally {
        running = null;
      }
    })();
    return running;
  };

  const requestFull = (moved?: boolean) => {
    if (moved) lastReport = '';
    wantFull = true;
    return drain();
  };

  const cancelFrame = () => {
    if (frame) cancelAnimationFrame(frame);
    if (frameTimer) clearTimeout(frameTimer);
    frame = frameTimer = 0;
  };

  const schedule = () => {
    if (frame || frameTimer || !enabled) return;
    const fire = () => {
      cancelFrame();
      void drain();
    };
    // One batch per frame; the timer covers hidden tabs, where frames do not come.
    try {
      frame = requestAnimationFrame(fire);
    } catch {
      // No frames here (frame stays 0): the timer alone drains.
    }
    frameTimer = setTimeout(fire, 100) as unknown as number;
  };

  /**
   * Our listeners on the window and the document. A page's document.open() erases them (the
   * badges made for what it then writes would open no card): a new root element adds them again
   * (onMutations), the same functions, so where they are still there nothing changes.
   */
  const hooks: [EventTarget, string, (e: Event) => void, AddEventListenerOptions][] = [];
  const hook = (...a: (typeof hooks)[0]) => (hooks.push(a), on(...a));
  /** Ours and the caller's added again (the same functions: where they are still there, nothing changes). */
  const rehook = () => {
    for (const a of hooks) on(...a);
    o.onRoot?.();
  };
  const listen = () => {
    if (listening || !win) return;
    listening = true;
    const opts = { signal, passive: true } as AddEventListenerOptions;
    const onNav = (e: Event) => {
      if (!enabled) return;
      // pageshow matters only when the page comes back from the back/forward cache.
      if (e.type === 'pageshow' && !(e as PageTransitionEvent).persisted) return;
      // Reported again even if unchanged: the background forgot this page when the tab left it.
      lastReport = '';
      wantFull = strays = true;
      schedule();
    };
    // Events fired at the document reach the window too.
    for (const type of NAV_EVENTS) hook(win, type, onNav, opts);
    const reposition = () => ui?.reposition();
    // A badge's visual is positioned against a box outside its host (see the badge CSS), so
    // it follows the page's scrolling by itself but not an inner scroller's (a wide table).
    // Only the mentions inside the element that scrolled: the others did not move.
    hook(win, 'scroll', (e) => (reposition(), e.target !== doc && mentionCount && schedulePlace(new Set([e.target as Node]))), { ...opts, capture: true });
    // One set of listeners for every badge (a page may have thousands), in the capture
    // phase so page handlers that stop propagation cannot hide a badge from us.
    const cap = { signal, capture: true } as AddEventListenerOptions;
    const badgeEvent = (e: Event) => guard(() => onBadgeEvent(e));
    for (const type of ['mouseover', 'mouseout', 'focusin', 'focusout', 'keydown', 'click']) hook(doc, type, badgeEvent, cap);
    hook(win, 'resize', () => (reposition(), schedulePlace()), opts);
    // Web fonts change glyph widths, so where each mention ends.
    void doc.fonts?.ready.then(() => schedulePlace(), () => undefined);
    // Of the page as a whole only a change of width counts (it rewraps lines): a page that grows
    // longer (a log a line at a time) moves the badges with their text by itself. The box around a
    // mention counts whatever changed (shown, hidden, rewrapped).
    let width = -1;
    if (typeof ResizeObserver === 'function') {
      resizes = new ResizeObserver((entries) => {
        let moved = false;
        for (const e of entries) {
          if (e.target !== doc.documentElement) moved = true;
          else if (width !== e.contentRect.width) {
            width = e.contentRect.width;
            moved = true;
          }
        }
        if (moved) schedulePlace();
        // An open card follows its badge wherever the page moved it (an image loaded above).
        else ui?.reposition();
      });
    }
  };

  const onMutations = (records: MutationRecord[]) => {
    if (!enabled) return;
    let relevant = false;
    for (const r of records) {
      // A new root element: a new page in this document (written with document.open(), which
      // also erased our listeners: see hooks).
      if (r.target === doc) {
        wantFull = strays = relevant = true;
        rehook();
      }
      if (r.type === 'characterData') {
        edited.add(r.target);
        if (pending.length <= FULL_RESCAN_THRESHOLD) pending.push(r.target);
        relevant = true;
        continue;
      }
      for (const n of r.addedNodes) {
        // Our own insertions are not news.
        if (ours.has(n)) continue;
        if (n.nodeType === 1 && ((n as Element).matches(UI_SEL) || (n as Element).querySelector(UI_SEL))) {
          // A copy of our UI the page made (Turbo's snapshot cache, cloneNode), alone or in
          // content it inserted: it must go.
          wantFull = strays = true;
        } else if (pending.length <= FULL_RESCAN_THRESHOLD) pending.push(n);
        relevant = true;
      }
      if (r.removedNodes.length) {
        // Children after a removed one move: a root whose text is being streamed is read
        // whole (see readRoot).
        changes++;
        for (const n of r.removedNodes) {
          if (!removedByUs.has(n)) {
            // What was on both sides of it may now join into a name, or glue onto one: the
            // parent is read again, marks or none. Outside the regions (a menu closing) there
            // is nothing to read, and no region to look for.
            if (regionOf(r.target)) pending.push(r.target);
            needsPrune = relevant = true;
            break;
          }
        }
      }
    }
    if (pending.length > FULL_RESCAN_THRESHOLD) {
      pending = [];
      wantFull = true;
    }
    if (relevant) {
      changes++;
      schedule();
    }
  };

  // ---------------------------------------------------------------- passes

  const newSlicer = (gen: number) => createSlicer(o.sliceBudget ?? 8, () => gen !== generation || !enabled || aborted());

  const fullPass = async () => {
    const gen = ++generation;
    const start = markPass('start');
    const slicer = newSlicer(gen);
    setState('busy');
    const counters: Counters = { ...NO_COUNTS };
    let error: string | undefined;
    try {
      // Copies of our UI come with the document or with content the page inserts; looking
      // for them is a walk over the whole page, so only then (see `strays`). While the site
      // is off we have no UI on the page, so a restart has nothing to look for.
      const url = pageUrl();
      if (lastUrl && url !== lastUrl) strays = true;
      if (strays) removeStrayUi();
      ensureStyle();
      lastUrl = url;
      let parsed: URL | null = null;
      try {
        parsed = new URL(url);
      } catch {
        // Not a URL (parsed stays null): no regions, no banner.
      }
      const type = parsed ? adapter.pageType(parsed) : null;
      regions = parsed && type ? pickRegions(parsed) : [];
      regionSet = new Set(regions);
      // A block that changes size may rewrap its lines, moving where mentions end: the
      // page and each block holding a mention are watched (see watchBox), nothing else.
      resizes?.disconnect();
      watched = new WeakSet();
      resizes?.observe(doc.documentElement);
      regionSkip = new Map();
      pageEntries = parsed && type ? findPageEntries(parsed) : [];
      scanCtx.supportedIds = supported = new Set(pageEntries);
      // One work per page (an abstract, a paper, a README): an entry named in full anywhere
      // supports its short name everywhere on it. Listings hold unrelated works, so there
      // a title in one item must not wake a short name ("LATTE") in another.
      growSupport = parsed ? updateBanner(parsed) && type !== null : false;
      if (!parsed) {
        bannerId = bannerAnchor = null;
        removeBanner();
      }

      const visited = new Set<Mention>();
      const retry: Retry[] = [];
      for (const region of regions) {
        // Most regions of a listing name nothing and are answered without a promise.
        let ok = readRoot(region, region, visited, retry, slicer, counters);
        if (typeof ok === 'object') ok = await ok;
        if (!ok) return;
      }
      // A short name ("MIE") becomes a mention once the page has named its entry in full:
      // the blocks that held a short name of a since-supported entry are read again. Only
      // those: the matcher reported them while scanning, so nothing else is walked twice.
      for (const r of retry) {
        if (!r.missed.some((id) => supported.has(id)) || !connected(r.block.nodes[0])) continue;
        counters.rescanned++;
        const done = processBlock(r.block, null, visited, null, slicer, true);
        if (typeof done === 'object' && !(await done)) return;
        if (slicer.due(r.block.joined.length) && !(await slicer.yieldSlice())) return;
      }
      held = new Set(retry.flatMap((r) => r.missed).filter((id) => !supported.has(id)));
      for (const list of [...mentions.values()]) {
        // A copy: removeMention splices the list being walked.
        for (const m of list.slice()) if (!visited.has(m)) removeMention(m);
      }
      // Not main-thread work: the first time, the card module is being injected.
      await slicer.pauseFor(showBanner());
    } catch (err) {
      error = fail(err);
    }
    if (gen !== generation || !enabled) return;
    finish('full', start, slicer, counters, error);
  };

  const incrementalPass = async () => {
    const gen = ++generation;
    const start = markPass('start');
    const slicer = newSlicer(gen);
    const counters: Counters = { ...NO_COUNTS };
    let error: string | undefined;
    let touched = false;
    const read = new Set<Node>();
    try {
      const nodes = pending;
      pending = [];
      if (needsPrune) {
        needsPrune = false;
        touched = prune(nodes);
      }
      const roots = rootsFor(nodes);
      if (roots === 'full') {
        wantFull = true;
        return;
      }
      // Our highlight, back if the page emptied the registry (only when there is text to read:
      // a clock ticking outside the regions starts no work of ours).
      if (roots.length) ensureStyle();
      for (const [root, region] of roots) {
        touched = true;
        read.add(root);
        let ok = readRoot(root, region, null, null, slicer, counters);
        if (typeof ok === 'object') ok = await ok;
        if (!ok) return;
      }
      // New content named in full an entry whose short name was held back (anywhere on the
      // page, or ahead of it in this content): that short name becomes a mention. The full
      // pass that follows reads again only the blocks where the matcher held one back.
      if ([...held].some((id) => supported.has(id))) wantFull = true;
    } catch (err) {
      error = fail(err);
    }
    if (gen !== generation || !enabled) return;
    // The badges placed again are those in what the pass read: elsewhere nothing moved (a block
    // that changed size is the ResizeObserver's, and it places them all).
    if (touched || error) finish('incremental', start, slicer, counters, error, read);
  };

  /**
   * Reads and processes every block under `root` (inside `region`); false if the pass
   * stopped. Synchronous when the root holds nothing to find (a listing has thousands).
   */
  const readRoot = (root: Element, region: Element, visited: Set<Mention> | null, retry: Retry[] | null, slicer: Slicer, counters: Counters): boolean | Promise<boolean> => {
    // Not while mentions exist outside a full pass: an incremental pass must walk a root to
    // drop the mentions its edit removed.
    if (visited === null && mentionCount) return walkRoot(root, region, visited, retry, slicer, counters);
    hot.length = 0;
    whole = false;
    state = next = at = cStart = 0;
    cur = null;
    // A small root (a title in a listing: there are thousands) is read in one call.
    kids = root.childElementCount > BIG ? root.childNodes : null;
    buf = kids ? '' : (root.textContent ?? '');
    // The read is work of its own: a long text (10 MB in one paragraph: 10–110 ms in Firefox,
    // which copies it, by machine) ends the slice, so the read of a hot child's block comes in another.
    if (!slicer.due(buf.length) && stream(root, slicer)) return afterStream(root, region, visited, retry, slicer, counters);
    return (async () => {
      for (;;) {
        const seen = changes;
        if (!(await slicer.yieldSlice())) return false;
        // The page changed the DOM meanwhile (child indices, text lengths): read it all.
        if (changes !== seen) whole = true;
        if (whole || stream(root, slicer)) return afterStream(root, region, visited, retry, slicer, counters);
      }
    })();
  };

  // The gate: most text names nothing, and the automaton alone (no blocks, no rules) tells
  // so. A root's text is read in one native call, or a big root's in groups of children (a
  // Range from child to child: no other node is handed to script), and streamed through
  // the automaton, the state carried on (so a name split across nodes is seen). Where a
  // candidate ends, the child holding it is "hot" and the rest of that child is skipped;
  // only hot children are read as blocks. Sound: a mention lies inside one block, and a
  // block inside one block-level child of the root; a hot text or inline child (its block
  // spans its neighbours) has the whole root read.
  // One array for every root, emptied rather than replaced: a fresh `[]` holds small
  // integers until its first element, so the compiled read loop's first push of an element
  // on every page load was a deoptimisation.
  const hot: Element[] = [];
  let whole = false;
  /** A big root's children, read in groups (null: a small root, its text read at once). */
  let kids: NodeListOf<ChildNode> | null = null;
  let state = 0;
  /** Next group's first child index; the current text (a group's, or a small root's), fed up to `at`. */
  let next = 0;
  let buf = '';
  let at = 0;
  /** The child whose text starts at buf[cStart] (placing a candidate walks on from it). */
  let cur: Node | null = null;
  let cStart = 0;
  let range: Range | null = null;
  /** Counts the page's own DOM changes (see onMutations). */
  let changes = 0;

  /**
   * Length of a child's text as a Range reads it: its Text nodes only. A text node's own
   * length, not its data's: Firefox copies the data on every read (14 ms for 10 MB). The
   * root's last child holds the rest of the text read (`cStart` is where the child's text
   * starts): nothing is copied for it, where an element's textContent would be (10 ms for
   * a 10 MB paragraph in Firefox). Null: no child, the length unused.
   */
  const textLength = (n: Node | null) => (n?.nextSibling ? (n.nodeType === 1 ? n.textContent!.length : n.nodeType === 3 ? (n as Text).length : 0) : buf.length - cStart);

  /** Streams until the root's end (true) or until the slice is due (false). */
  const stream = (root: Element, slicer: Slicer): boolean => {
    for (;;) {
      if (at === buf.length) {
        const count = kids ? kids.length : 0;
        if (next >= count) return true;
        range ??= doc.createRange();
        // Boundaries at offset 0 inside a child: offsets in the root itself cost a walk
        // over its children, a hundred-fold on a README with thousands.
        range.setStart((cur = kids![next]), 0);
        if ((next += GROUP) < count) range.setEnd(kids![next], 0);
        else range.setEnd(root, (next = count));
        buf = range.toString();
        at = cStart = 0;
        if (slicer.due(256)) return false;
        continue;
      }
      const to = Math.min(buf.length, at + WINDOW);
      state = matcher.feed(buf, at, to, state);
      // A candidate stops the feed where it ends: count what was read, not the window.
      const end = matcher.hitEnd;
      const units = Math.min(end, to) - at;
      readCount.charsRead += units;
      at = to;
      if (end <= to) {
        // The child where the candidate ends (buf[cStart …] is cur's text); a small root's
        // first child is asked for only now, most have no candidate.
        if (!kids && !cStart) cur ??= root.firstChild;
        let len = textLength(cur);
        while (cur && cStart + len < end) {
          cStart += len;
          cur = cur.nextSibling;
          len = textLength(cur);
        }
        if (!cur || cur.nodeType !== 1 || isInline(cur as Element)) return (whole = true);
        hot.push(cur as Element);
        at = cStart += len;
        cur = cur.nextSibling;
        state = 0;
      }
      // Due at a root's end too: the caller yields before the next root. Most roots of a
      // listing or a paper are read in one feed, so the clock is mostly read there.
      if (slicer.due(units)) return false;
    }
  };

  const afterStream = (root: Element, region: Element, visited: Set<Mention> | null, retry: Retry[] | null, slicer: Slicer, counters: Counters): boolean | Promise<boolean> => {
    buf = '';
    kids = cur = null;
    counters.chars += readCount.charsRead;
    readCount.charsRead = 0;
    if (whole) return walkRoot(root, region, visited, retry, slicer, counters);
    if (!hot.length) return true;
    // Hot block-level children are read as roots of their own: the same blocks.
    const tops = hot.splice(0);
    return (async () => {
      for (const el of tops) {
        if (skipped(el)) continue;
        if (!(await walkRoot(el, region, visited, retry, slicer, counters))) return false;
      }
      return true;
    })();
  };

  const walkRoot = async (root: Element, region: Element, visited: Set<Mention> | null, retry: Retry[] | null, slicer: Slicer, counters: Counters) => {
    reader ??= createBlockReader(isOurs, readCount);
    reader.begin(root);
    for (;;) {
      const b = reader.nextBlock();
      if (b === null) break;
      // Nodes weigh more than characters: on a cold page each node handed to script may
      // first get its wrapper made, a microsecond or more in a content script's world.
      let units = 4096;
      if (b !== PENDING) {
        counters.blocks++;
        let r = processBlock(b, region, visited, retry, slicer, false);
        // Await only a real promise (a long block): awaiting a plain value still costs a microtask hop per block.
        if (typeof r === 'object') r = await r;
        if (r === false) return false;
        if (r) counters.scanned++;
        units += b.joined.length + b.n * 32;
      }
      if (slicer.due(units) && !(await slicer.yieldSlice())) return false;
    }
    counters.textNodes += readCount.nodesRead;
    counters.chars += readCount.charsRead;
    readCount.nodesRead = readCount.charsRead = 0;
    return true;
  };

  const regionSkipped = (region: Element) => {
    let v = regionSkip.get(region);
    if (v === undefined) regionSkip.set(region, (v = insideSkipped(region)));
    return v;
  };

  /**
   * Scans one block unless it is unchanged since it was last scanned, and reconciles its
   * mentions. Synchronous for ordinary blocks (a promise per block would cost more than
   * the scan); resolves true if scanned, 0 if kept, false if the pass stopped.
   */
  const processBlock = (b: Block, region: Element | null, visited: Set<Mention> | null, retry: Retry[] | null, slicer: Slicer, force: boolean): boolean | 0 | Promise<boolean> => {
    const first = b.nodes[0];
    const last = b.nodes[b.n - 1];
    const seen = processed.get(first);
    if (!force && seen && seen.n === b.n && seen.last === last && seen.joined === b.joined && seen.found.every((m) => live.has(m))) {
      for (const m of seen.found) {
        visited?.add(m);
        // A full pass watches afresh (see fullPass).
        watchBox(m.en);
        if (growSupport) supported.add(m.id);
      }
      if (seen.missed && retry) retry.push({ block: copyBlock(b), missed: seen.missed });
      return 0;
    }
    missed = null;
    if (b.joined.length <= WINDOW) return commit(b, region, matcher.scan(b.joined, scanCtx), visited, retry);
    const copy = copyBlock(b);
    return scanLong(copy.joined, slicer).then((m) => m !== null && commit(copy, region, m, visited, retry));
  };

  const commit = (b: Block, region: Element | null, matches: TextMatch[], visited: Set<Mention> | null, retry: Retry[] | null) => {
    let got = missed;
    missed = null;
    // Text inside code or an input is never annotated, whatever an adapter picked.
    if (region && (matches.length || got) && regionSkipped(region)) {
      matches = [];
      got = null;
    }
    const found = reconcile(b, matches, visited);
    processed.set(b.nodes[0], { last: b.nodes[b.n - 1], n: b.n, joined: b.joined, found, missed: got });
    // A full pass collects them for its retry, and derives `held` from what is left at its end.
    if (got) {
      if (retry) retry.push({ block: copyBlock(b), missed: got });
      else got.forEach(held.add, held);
    }
    return true;
  };

  /**
   * The matcher over a long text in windows (with context on both sides), the slice's clock
   * checked before each and after the last: reading the block (a copy of a 10 MB text, 10 ms
   * or more in Firefox), scanning a window (thousands of candidates in a comment that repeats
   * a name) and marking what was found do not add up in one slice.
   */
  const scanLong = async (text: string, slicer: Slicer): Promise<TextMatch[] | null> => {
    const out: TextMatch[] = [];
    let lastEnd = 0;
    for (let from = 0; ; from += WINDOW) {
      if (slicer.due(WINDOW) && !(await slicer.yieldSlice())) return null;
      if (from >= text.length || out.length >= MAX_BLOCK_MENTIONS) return out;
      const lo = Math.max(0, from - WINDOW_LEFT);
      const hi = Math.min(text.length, from + WINDOW + WINDOW_RIGHT);
      for (const m of matcher.scan(text.slice(lo, hi), scanCtx)) {
        const start = m.start + lo;
        // Matches that start in this window's own span; earlier ones were taken by the previous window.
        if (start < from || start >= from + WINDOW || start < lastEnd) continue;
        out.push({ ...m, start, end: m.end + lo });
        lastEnd = m.end + lo;
      }
    }
  };

  /** Makes the block's mentions equal `matches`: keeps the ones already there, adds new, removes gone. */
  const reconcile = (b: Block, matches: TextMatch[], visited: Set<Mention> | null): Mention[] => {
    const { nodes, n } = b;
    let existing: Mention[] | null = null;
    if (mentionCount) {
      for (let i = 0; i < n; i++) {
        const list = mentions.get(nodes[i]);
        if (list) (existing ??= []).push(...list);
      }
    }
    if (!matches.length && !existing) return NONE;
    const keep: Mention[] = [];
    for (const match of matches.slice(0, MAX_BLOCK_MENTIONS)) {
      if (growSupport) supported.add(match.entryId);
      const [sn, so] = locate(b, match.start, false);
      const [en, eo] = locate(b, match.end, true);
      // Compared with the live range, not with the offsets found then: text the page rewrote in
      // place ("3 stars" → "4 stars", the same node) collapsed the range, which is made anew.
      const same = existing?.find((m) => m.sn === sn && m.textRange.startOffset === so && m.en === en && m.textRange.endOffset === eo && m.id === match.entryId && (connected(m.badgeEl) || unplaced.has(m)));
      const m = same ?? addMention(match.entryId, nodes[0], sn, so, en, eo);
      if (!m) continue;
      m.block = nodes[0];
      watchBox(en);
      keep.push(m);
      visited?.add(m);
    }
    if (existing) for (const m of existing) if (!keep.includes(m)) removeMention(m);
    return keep.length ? keep : NONE;
  };

  const finish = (kind: PassStats['kind'], start: string, slicer: Slicer, counters: Counters, error?: string, scope?: ReadonlySet<Node>) => {
    // The badge hosts go in as the last work of the pass, inside its last slice.
    placePending();
    slicer.closeSlice();
    // A page with mentions will likely be hovered: fetch the card module while idle.
    if (mentionCount && !ui && !uiLoad && o.loadUi && win) {
      if (isFunction(win.requestIdleCallback)) win.requestIdleCallback(() => void loadUi(), { timeout: 2000 });
      else setTimeout(() => void loadUi(), 200);
    }
    // Placed in the frame after next: the next frame lays out what the pass found (on a fresh
    // page, its first layout) in the browser's own rendering step, and placement's reads then
    // find it done instead of forcing it inside a task of ours.
    win?.requestAnimationFrame(() => setTimeout(() => schedulePlace(scope)));
    setState('idle');
    reportFound();
    publish(kind, start, {
      ...counters,
      slices: slicer.sliceCount,
      maxSliceMs: Math.round(slicer.maxSlice * 100) / 100,
      busyMs: Math.round(slicer.busy * 100) / 100,
      error,
    });
  };

  // ---------------------------------------------------------------- regions and page identity

  const pickRegions = (url: URL): Element[] => {
    // Adapters return connected elements in document order, none inside another (SiteAdapter.regions).
    try {
      return adapter.regions(doc, url);
    } catch {
      return [];
    }
  };

  /** The region containing `n`, found by walking up (regions can number in the thousands). */
  const regionOf = (n: Node): Element | null => {
    for (let p: Node | null = n; p; p = p.parentNode) if (regionSet.has(p as Element)) return p as Element;
    return null;
  };

  const findPageEntries = (url: URL): string[] => {
    const found: string[] = [];
    const add = (id: string | undefined) => {
      if (id && !found.includes(id)) found.push(id);
    };
    let raw: string[] = [];
    try {
      raw = adapter.pageIds(doc, url);
    } catch {
      // A page the adapter cannot read: no IDs (raw stays empty).
    }
    const titles: string[] = [];
    for (const r of raw) {
      const i = r.indexOf(':');
      const kind = i > 0 ? r.slice(0, i) : '';
      const id = r.slice(i + 1);
      if (kind === 'title') titles.push(id.trim());
      // Any other prefix than an ID kind's finds nothing (byId answers undefined).
      else add(matcher.byId(kind as IdKind, id));
    }
    // Identifiers outrank the title; a title counts only when one catalog name is the whole of it.
    for (const t of titles) {
      const hits = matcher.scan(t);
      if (hits.length === 1 && hits[0].start <= 1 && hits[0].end >= t.length - 1) add(hits[0].entryId);
    }
    return found;
  };

  /** True if text beside `n` would not join a block element's next to it: nothing, a block element (not ours), or only spaces. */
  const apart = (n: Node | null): boolean => !n || (n.nodeType === 1 ? !isInline(n as Element) && !ours.has(n) : !/\S/.test(n.textContent ?? ''));
  /** Text nodes whose text the page changed (not added): read whatever they hold now. */
  const edited = new WeakSet<Node>();

  /** Block-level roots (with their region) to rescan for a batch of added/changed nodes, or 'full' when the view itself changed. */
  const rootsFor = (nodes: Node[]): Array<[Element, Element]> | 'full' => {
    const roots: Array<[Element, Element]> = [];
    let outside = false;
    for (const n of nodes) {
      // Spaces between blocks (the line break before a new paragraph) join nothing.
      if (!connected(n) || (n.nodeType === 3 && !edited.has(n) && apart(n) && apart(n.previousSibling) && apart(n.nextSibling))) continue;
      const region = regionOf(n);
      if (!region) {
        if (n.nodeType === 1) outside = true;
        continue;
      }
      // The whole block around the change: new text may join text already there. A removal
      // reports its parent, which may be the region itself: read from there, never above it.
      // A block element that came between blocks (a line of a live log, a new comment) joins no
      // text: it alone is read, not its whole container again.
      let root: Node | null = n === region || (n.nodeType === 1 && !isInline(n as Element) && apart(n.previousSibling) && apart(n.nextSibling)) ? n : n.parentNode;
      while (root && root !== region && root.nodeType === 1 && isInline(root as Element)) root = root.parentNode;
      if (!root || root.nodeType !== 1) continue;
      const el = root as Element;
      if (regionSkipped(region) || (el !== region && insideSkipped(el))) continue;
      if (!roots.some(([r]) => r === el)) roots.push([el, region]);
    }
    if (outside) {
      // Content that arrived outside the known regions may bring new ones (a README loaded late).
      let url: URL;
      try {
        url = new URL(pageUrl());
      } catch {
        return roots;
      }
      if (adapter.pageType(url) === null) return roots;
      const fresh = pickRegions(url).filter((r) => !regionSet.has(r) && !regionOf(r));
      if (fresh.length) {
        // A new region around a known one changes what is read: start over.
        if (regions.some((r) => fresh.some((f) => f.contains(r)))) return 'full';
        for (const r of fresh) {
          regions.push(r);
          regionSet.add(r);
          roots.push([r, r]);
        }
      }
    }
    const set = new Set(roots.map(([r]) => r));
    return roots.filter(([r]) => {
      for (let p = r.parentElement; p; p = p.parentElement) if (set.has(p)) return false;
      return true;
    });
  };

  // ---------------------------------------------------------------- mentions

  /**
   * Elements by how often the page took away the badge of a mention ending in their text, or
   * wrote that text anew right after the badge came (a page at war with foreign nodes); after the
   * third time, the text there gets no badge.
   */
  const fought = new WeakMap<Node, number>();
  /**
   * The block element around `n` (the nearest ancestor that is no inline element): where a mention
   * ending in `n` is counted in {@link fought} (a page that writes the block anew keeps it), and the
   * box watched for its size (an inline element has none of its own).
   */
  const blockOf = (n: Node): Element | null => {
    let e = n.parentElement;
    while (e && isInline(e) && e.parentElement) e = e.parentElement;
    return e;
  };
  /** When each badge went into the page, and where its mention is counted in {@link fought}. */
  const placedAt = new WeakMap<Element, [number, Node]>();

  const addMention = (id: string, block: Text, sn: Text, so: number, en: Text, eo: number): Mention | null => {
    if (mentionCount >= MAX_MENTIONS || !connected(sn) || !connected(en) || so > sn.length || eo > en.length || fought.get(blockOf(en)!)! > 2) return null;
    const range = doc.createRange();
    range.setStart(sn, so);
    range.setEnd(en, eo);
    const meta = metaOf(id);
    const badge = createBadge(doc, id, meta?.[0] ?? id, meta?.[1], o.strings);
    ours.add(badge);
    highlight?.add(range);
    const m: Mention = { id, block, sn, en, textRange: range, badgeEl: badge };
    live.add(m);
    // Placed at the end of the pass, all at once: one layout for the page instead of one per slice.
    unplaced.add(m);
    const list = mentions.get(sn);
    if (list) list.push(m);
    else mentions.set(sn, [m]);
    mentionCount++;
    return m;
  };

  /** Watches the size of the element around a mention's end (its lines may rewrap). */
  const watchBox = (end: Text) => {
    // An abstract's `display: none` part shown by "More" changes the size of its paragraph, not its own.
    const box = blockOf(end);
    if (!resizes || !box || watched.has(box)) return;
    watched.add(box);
    resizes.observe(box);
  };

  /** Not ours, or a text node of only white space: a badge may be lifted past it. */
  const endsParent = (n: Node) => {
    for (let s = n.nextSibling; s; s = s.nextSibling) {
      if (ours.has(s) || s.nodeType === 8 || (s.nodeType === 3 && !/\S/.test((s as Text).data))) continue;
      return false;
    }
    return true;
  };

  /**
   * After the mention's last text node; lifted out of inline elements it ends (so a
   * badge after a linked title sits beside the link, not inside it, even where the link is
   * the region read, as on Anthology listings), and out of any link, button or label around it,
   * wherever the mention sits in it (a word of an Anthology title, where capitals sit in spans of
   * their own; `**PubMedQA** dataset` linked in a README): no focusable badge inside a page's link
   * or button, and no badge's name in the name of the control a label names. Not out of a heading,
   * whose name a screen reader then reads with the badge's: after a heading, a block, the badge
   * would be a sibling of blocks (a flex or grid item, `h2 + p` no longer matching), and move the page.
   * Page text is never split.
   */
  const placeBadge = (badge: HTMLElement, end: Text) => {
    let anchor: Node = end;
    for (;;) {
      const p = anchor.parentNode as Element | null;
      if (p && p.nodeType === 1 && isInline(p) && endsParent(anchor)) anchor = p;
      else {
        // Then on out of what that ends, and out of an outer one (a link in a label).
        const out = p?.closest?.('a[href],button,label');
        if (!out) break;
        anchor = out;
      }
    }
    anchor.parentNode?.insertBefore(badge, anchor.nextSibling);
  };

  /**
   * Inserts the badges of mentions found in this pass (whose text is still there), last first:
   * each goes right after its anchor, so the badges of one text node end up in text order
   * without a walk past the ones already there (a walk per badge is quadratic in a node that
   * names entries thousands of times).
   */
  const placePending = () => {
    const t = now();
    for (const m of [...unplaced].reverse()) {
      if (!connected(m.en)) continue;
      placeBadge(m.badgeEl, m.en);
      placedAt.set(m.badgeEl, [t, blockOf(m.en)!]);
    }
    unplaced.clear();
  };

  /**
   * Moves each badge's visual to the top-right of its mention's last character. The hosts sit
   * after whole text nodes (page text is never split), possibly a line away. New visuals are
   * drawn in one frame ({@link DRAW_PER_FRAME} at most) and measured in the next; in a frame,
   * all reads first, then all writes: no layout forced, no thrashing. Transforms do not change
   * layout, so the writes never wake the ResizeObserver that calls this. Slices of ~6 ms across
   * frames keep a page with thousands of mentions free of long tasks.
   */
  let placeQueue: Mention[] = [];
  let placeMeasures = 0;
  /** The last translation each visual was given, in its own CSS pixels (absent: not placed, or hidden). */
  const shifts = new WeakMap<Element, number[]>();
  /** Queues every mention's visual for placement, or those inside `scope` (an inner scroller that scrolled, the roots a pass read). */
  const schedulePlace = (scope?: ReadonlySet<Node>): void => {
    if (!enabled || !win) return;
    if (scope) {
      const inside = (n: Node | null) => {
        for (; n; n = n.parentNode) if (scope.has(n)) return true;
        return false;
      };
      const queued = new Set(placeQueue);
      for (const m of live) if (!queued.has(m) && inside(m.en)) placeQueue.push(m);
      if (!placeQueue.length) return;
    } else placeQueue = [...live];
    placeFrame ||= placeNextFrame(win);
  };
  /** Asks for a slice of placement in the next frame (its id, for cancelling). */
  const placeNextFrame = (w: Window) => w.requestAnimationFrame(() => guard(placeVisuals));
  const placeVisuals = () => {
    placeFrame = 0;
    const t0 = now();
    // A slice that draws new visuals (hidden by the badge CSS until placement first sets their
    // style) reads nothing: the browser lays them out in this frame's rendering step, and the
    // next frame's slice measures them in a layout already done, instead of forcing it inside our
    // callback (18-22 ms on the benchmark's listing, then the frame's own rendering on top).
    // A measuring slice: all writes (each visual back at its static place, which the reads
    // measure: the transform is relative to it), then all reads, then the transforms; never a
    // read after a write inside the loop, which would lay out each time.
    const batch: [Mention, HTMLElement][] = [];
    let drew = 0;
    let n = placeQueue.length;
    while (n && now() - t0 < 6 && drew < DRAW_PER_FRAME) {
      const m = placeQueue[--n];
      if (connected(m.badgeEl)) batch.push([m, badgeVisual(m.badgeEl) ?? (drew++, drawBadge(m.badgeEl, metaOf(m.id)?.[1], o.css?.badge ?? ''))]);
    }
    // A slice that drew leaves its mentions queued for the next frame's slice to measure.
    if (drew) batch.length = 0;
    else placeQueue.length = n;
    // A visual shown is measured where it is, its last shift taken off; one hidden (or not placed
    // yet) goes back to its static place first. Writing to a shown visual before reading it would
    // make the browser lay out its paragraph again (430 ms for one in a 10 MB paragraph).
    const moved = batch.map(([, v]) => !shifts.has(v) && !(v.style.cssText = ''));
    const out: string[] = [];
    const clippers = new Map<Element, Element | null>();
    let k = 0;
    let t1 = 0;
    for (const [mention, v] of batch) {
      // The reads after the first (which may lay out the page) are on the clock: the rest waits a frame.
      if (k && now() - t1 > 6) break;
      k++;
      const rects = mention.textRange.getClientRects();
      let r: DOMRect | undefined;
      // The last rect with width: a range ending at a line break also yields an empty one on the next line.
      for (let i = rects.length; !r && i--; ) if (rects[i].width) r = rects[i];
      const h = v.getBoundingClientRect();
      // Not rendered (display:none, collapsed), or scrolled out of an inner scroller the visual
      // is not clipped by: no visual rather than one at a stray place.
      const box = r && (h.width || h.height) ? clipperOf(mention.en.parentElement, clippers)?.getBoundingClientRect() : null;
      // Under a CSS `zoom` or a page's scale() on an ancestor, rects are in scaled pixels and
      // the transform's lengths are scaled too: the pill (12px tall, see the badge CSS) says by how much.
      if (k === 1) t1 = now();
      const z = (v.lastChild as Element).getBoundingClientRect().height / 12 || 1;
      const was = shifts.get(v);
      const shift = box === null || (box && (r!.right < box.left || r!.right > box.right + 1 || r!.bottom < box.top || r!.top > box.bottom)) ? null : [(r!.right - h.left) / z + (was?.[0] ?? 0) + 1, (r!.top - h.top) / z + (was?.[1] ?? 0) - 8.5];
      if (shift) shifts.set(v, shift);
      else shifts.delete(v);
      // Only what changed is written: a visual left where it was costs the page nothing.
      moved[k - 1] ||= !shift || !was || Math.abs(shift[0] - was[0]) + Math.abs(shift[1] - was[1]) > 0.01;
      out.push(shift ? `transform:translate(${shift[0]}px,${shift[1]}px)` : 'display:none');
    }
    // Not measured in this slice: the next one measures them. Those taken back to their static place
    // are hidden meanwhile as a new visual is (visibility, which lays nothing out anew).
    for (const [m, v] of batch.splice(k)) {
      placeQueue.push(m);
      if (!shifts.has(v)) v.removeAttribute('style');
    }
    batch.forEach(([, v], i) => moved[i] && (v.style.cssText = out[i]));
    // An open card follows its badge when the page moved it without a scroll (content above grew).
    if (batch.length) ui?.reposition();
    if (placeQueue.length && enabled && win) placeFrame = placeNextFrame(win);
    // Each slice is a measure of its own, so the benchmark counts placement among the tasks we cause.
    try {
      // Bounded by a count, not a lookup: inner scrolls place badges every frame.
      if (++placeMeasures > 200) {
        performance.clearMeasures(PLACE_MEASURE);
        placeMeasures = 1;
      }
      performance.measure(PLACE_MEASURE, { start: t0, detail: { left: placeQueue.length } });
    } catch {
      // No User Timing: placement still happens.
    }
  };

  /**
   * The nearest ancestor of a mention that clips its content (an inner scroller, overflow
   * hidden): a mention whose end lies outside it is not visible, and its visual, positioned
   * against a box that may lie outside it, would not be clipped with it. Computed styles are
   * read once per element and slice.
   */
  const clipperOf = (from: Element | null, known: Map<Element, Element | null>): Element | null => {
    const path: Element[] = [];
    let found: Element | null = null;
    for (let el = from; el; el = el.parentElement) {
      const k = known.get(el);
      if (k !== undefined) {
        found = k;
        break;
      }
      path.push(el);
      const cs = win!.getComputedStyle(el);
      if (cs.overflowX !== 'visible' || cs.overflowY !== 'visible') {
        found = el;
        break;
      }
    }
    for (const el of path) known.set(el, found);
    return found;
  };

  const removeMention = (m: Mention) => {
    live.delete(m);
    unplaced.delete(m);
    const list = mentions.get(m.sn);
    if (list) {
      const i = list.indexOf(m);
      if (i >= 0) {
        list.splice(i, 1);
        mentionCount--;
      }
      if (list.length === 0) mentions.delete(m.sn);
    }
    highlight?.delete(m.textRange);
    removeOurs(m.badgeEl);
  };

  /** Takes an element of ours off the page, and out of the card's mind (a card opened from it goes with it). */
  const removeOurs = (el: HTMLElement) => {
    removedByUs.add(el);
    ui?.forget(el);
    el.remove();
  };

  /**
   * Drops mentions whose text left the page, or left its badge (the page moved it elsewhere:
   * the badge is placed beside its text, so its parent holds the text while both stay); a
   * badge the page removed comes back on the rescan.
   */
  const prune = (nodes: Node[]): boolean => {
    let changed = false;
    // A paragraph is counted once a prune, however many of its mentions went.
    const counted = new Set<Node>();
    for (const list of [...mentions.values()]) {
      for (const m of list.slice()) {
        if (connected(m.sn) && connected(m.en) && m.badgeEl.parentNode?.contains(m.en)) continue;
        // A badge the page took away while its text stays, counted once a prune for its text
        // (whose first mention here put it in `nodes`), or text the page wrote anew within
        // moments of its badge coming (a rewrite that answers our insertion, not news).
        const [at, where] = placedAt.get(m.badgeEl) ?? [-1e9, blockOf(m.en)!];
        if (!counted.has(where) && ((!connected(m.badgeEl) && connected(m.en) && !nodes.includes(m.sn)) || (!connected(m.en) && connected(where) && now() - at < 200))) {
          counted.add(where);
          fought.set(where, ~~fought.get(where)! + 1);
        }
        removeMention(m);
        changed = true;
        // Read its block again (the badge the page removed comes back; moved text is found anew).
        processed.delete(m.block);
        if (connected(m.sn)) nodes.push(m.sn);
      }
    }
    if (banner && !connected(banner.hostEl)) {
      removeBanner();
      wantFull = true;
    }
    return changed;
  };

  const clearAll = () => {
    for (const list of [...mentions.values()]) for (const m of list.slice()) removeMention(m);
    mentions.clear();
    mentionCount = 0;
    processed = new WeakMap();
    bannerId = bannerAnchor = null;
    removeBanner();
    ui?.clear();
    highlight?.clear();
    removeStrayUi();
    regions = [];
    regionSet = new Set();
    pageEntries = [];
    lastUrl = '';
  };

  /** Removes UI elements we did not create (stale copies restored from a page cache). */
  const removeStrayUi = () => {
    strays = false;
    for (const el of doc.querySelectorAll(UI_SEL)) {
      if (ours.has(el)) continue;
      removedByUs.add(el);
      el.remove();
    }
  };

  /** Registers our highlight (its style, highlight.css, comes with the manifest). */
  const ensureStyle = () => {
    const registry = win?.CSS && 'highlights' in win.CSS ? win.CSS.highlights : undefined;
    if (registry && isFunction(win?.Highlight)) {
      highlight ??= new win.Highlight();
      if (registry.get(HIGHLIGHT_NAME) !== highlight) registry.set(HIGHLIGHT_NAME, highlight);
    }
  };

  // ---------------------------------------------------------------- banner and card

  /** The card/banner module, injected on first need; null if it cannot be had (no loader, no background). */
  const loadUi = (): Promise<Ui | null> => {
    if (ui) return Promise.resolve(ui);
    uiLoad ??= (o.loadUi ? o.loadUi() : Promise.reject(Error('no UI')))
      .then((create) => {
        ui = create({
          doc,
          strings: o.strings,
          css: o.css,
          signal,
          meta: metaOf,
          own: (el) => ours.add(el),
          disown: (el) => removedByUs.add(el),
          active: () => enabled,
          guard,
        });
        return ui;
      })
      .catch((err: unknown) => {
        fail(err);
        // Try again at the next need (the background may have been restarting).
        uiLoad = null;
        return null;
      });
    return uiLoad;
  };
  const withUi = (fn: (u: Ui) => void) => {
    if (ui) guard(() => fn(ui as Ui));
    else void loadUi().then((u) => u && enabled && guard(() => fn(u)));
  };

  /** Delegated badge interaction: hover, focus, Enter/Space/Esc and click open or close the card. */
  const onBadgeEvent = (e: Event) => {
    const t = e.target as HTMLElement | null;
    if (!enabled || !t || !ours.has(t) || t.localName !== 'cmed-badge') return;
    const id = t.getAttribute('data-catalog-entry') ?? '';
    const other = (e as MouseEvent | FocusEvent).relatedTarget;
    switch (e.type) {
      case 'mouseover':
        // Moves inside the badge's shadow root reach us retargeted to the badge itself.
        if (other !== t) withUi((u) => u.enter(t, id));
        break;
      case 'mouseout':
        if (other !== t) withUi((u) => u.leave());
        break;
      case 'focusin':
        withUi((u) => u.focus(t, id));
        break;
      case 'focusout':
        withUi((u) => u.blur(other));
        break;
      case 'keydown': {
        // The card module decides what a key does; the page must not see Enter, Space, or an Esc that closes a card.
        const k = (e as KeyboardEvent).key;
        if (k === 'Escape' ? ui?.isOpen() : k === 'Enter' || k === ' ') {
          e.preventDefault();
          e.stopPropagation();
          withUi((u) => u.key(t, id, k));
        }
        break;
      }
      case 'click':
        // A badge can sit inside a link: clicking it opens the card, never the link. A click
        // with no pointer behind it (a screen reader's) takes focus into the card, as Enter does.
        e.preventDefault();
        e.stopPropagation();
        withUi((u) => u.open(t, id, !(e as MouseEvent).detail));
    }
  };

  /**
   * Decides whether the page gets the "this page is in the list" banner; true if the page
   * is a single work (it has a banner place). The banner itself comes with the card module:
   * {@link showBanner} awaits it at the end of the pass.
   */
  const updateBanner = (url: URL): boolean => {
    const id = pageEntries[0];
    let anchor: Element | null = null;
    try {
      anchor = adapter.bannerAnchor(doc, url);
    } catch {
      // No banner place (anchor stays null).
    }
    bannerAnchor = id && anchor ? anchor : null;
    bannerId = bannerAnchor ? id : null;
    if (!bannerId || (banner && (banner.id !== bannerId || !connected(banner.hostEl)))) removeBanner();
    return anchor !== null;
  };

  const showBanner = async () => {
    const id = bannerId;
    const anchor = bannerAnchor;
    if (!id || !anchor || (banner && banner.id === id && connected(banner.hostEl))) return;
    const u = await loadUi();
    if (!u || !enabled || bannerId !== id || !connected(anchor)) return;
    banner = { hostEl: u.banner(anchor, id), id };
  };

  const removeBanner = () => {
    if (!banner) return;
    // A card opened from the banner's Details button goes with it.
    removeOurs(banner.hostEl);
    banner = null;
  };

  // ---------------------------------------------------------------- reporting

  const foundEntries = (): string[] => {
    const ids = new Set<string>(enabled ? pageEntries : []);
    for (const list of mentions.values()) for (const m of list) ids.add(m.id);
    return [...ids];
  };

  const reportFound = () => {
    const ids = foundEntries();
    const url = pageUrl();
    const key = `${url}\n${ids.join(',')}`;
    const same = key === lastReport;
    lastReport = key;
    try {
      o.report?.(same ? null : ids, url);
    } catch {
      // Reporting is best effort.
    }
  };

  /** The mark a pass's measure starts or ends at, set anew (its name returned). */
  const markPass = (at: 'start' | 'end'): string => {
    const name = `${MEASURE}:${at}`;
    try {
      performance.clearMarks(name);
      performance.mark(name);
    } catch {
      // User Timing missing: the stats object still records the pass.
    }
    return name;
  };

  const publish = (kind: PassStats['kind'], start: string | null, extra?: Partial<PassStats>) => {
    stats = {
      pass: ++passes,
      kind,
      mentions: mentionCount,
      entries: foundEntries(),
      page: banner?.id ?? null,
      ...NO_COUNTS,
      slices: 0,
      maxSliceMs: 0,
      ...extra,
    };
    try {
      const end = markPass('end');
      // Bounded, so a long-lived page does not accumulate entries.
      if (performance.getEntriesByName(MEASURE).length >= 50) performance.clearMeasures(MEASURE);
      performance.measure(MEASURE, { start: start ?? end, end, detail: stats });
    } catch {
      // See markPass.
    }
  };

  const stop = () => {
    if (!enabled) return;
    enabled = false;
    generation++;
    observer?.disconnect();
    observer = null;
    pending = [];
    cancelFrame();
    resizes?.disconnect();
    if (placeFrame) win?.cancelAnimationFrame(placeFrame);
    placeFrame = 0;
    guard(() => {
      clearAll();
      setState(aborted() ? 'gone' : 'off');
      publish('clear', null);
      reportFound();
    });
  };

  if (signal) on(signal, 'abort', stop, { once: true });

  return {
    start() {
      if (aborted()) return Promise.resolve();
      if (!enabled) {
        enabled = true;
        listen();
        // A page that wrote itself anew while we were switched off (unobserved) erased them too.
        rehook();
        if (!observer && typeof MutationObserver === 'function') {
          observer = new MutationObserver((records) => guard(() => onMutations(records)));
          // The document itself, not its root element: a page that writes itself anew
          // (document.open) or swaps its root element keeps being read.
          observer.observe(doc, { childList: true, subtree: true, characterData: true });
        }
      }
      return requestFull();
    },
    stop,
    requestFull,
    foundEntries,
    get isOn() {
      return enabled;
    },
    get stats() {
      return stats;
    },
    get lastError() {
      return lastError;
    },
  };
};
