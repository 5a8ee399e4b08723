/**
 * Content-script glue, shared by the per-site content scripts (entrypoints/<site>.content,
 * each bundling only its own adapter): ask the background whether this site is
 * switched on (and for the matcher, which the background compiles and sends rather than
 * the script bundling or compiling it), then run the annotator. Nothing here may throw into the page.
 */
import type { Ctx as ContentScriptContext } from './context';
import { SETTINGS_KEY } from '../favorites/types';
import { loadMatcher } from '../matcher/runtime';
import { browser, sendMessage } from './runtime';
import type { SiteAdapter } from '../sites/types';
import { NAV_EVENTS, createAnnotator, markState, type Annotator } from './annotator';
import type { CreateUi } from './card';
import { UI_GLOBAL } from './ui';
import { now } from './slicer';
import { isFunction, on } from './short';
import './highlight.css';


export const startAnnotator = (ctx: ContentScriptContext, adapter: SiteAdapter): void => {
  // The foundation test and our own e2e tests look for this marker.
  markState(document, 'ready');
  run(ctx, adapter).catch(() => {
    // No background (extension reloading) or a hostile page: stay quiet.
  });
};

const run = async (ctx: ContentScriptContext, adapter: SiteAdapter): Promise<void> => {
  // By host, not by page type: a soft navigation may lead from an unread page to a read one.
  if (!adapter.hosts.includes(location.hostname)) return;
  let annotator: Annotator | null = null;
  let busy: Promise<void> | null = null;

  const init = async () => {
    const res = await sendMessage('annotator:init', { site: adapter.key, url: location.href, wantData: annotator === null });
    if (ctx.isInvalid) return;
    if (!res.enabled) {
      annotator?.stop();
      markState(document, 'off');
      return;
    }
    if (!annotator) {
      if (!res.data) return;
      const { matcher, meta, strings, css } = res.data;
      // The background compiled the automaton; loading it (decoding; the dense rows follow as
      // the text needs them) is one task before the first pass: measured, since it must stay short too.
      const t0 = now();
      const compiled = loadMatcher(matcher, adapter.idKey);
      performance.measure('cmed:compile', { start: t0 });
      annotator = createAnnotator({
        doc: document,
        adapter,
        matcher: compiled,
        meta,
        strings,
        css,
        signal: ctx.signal,
        // A report that fails may mean the extension was updated or removed under the page:
        // then `isInvalid` ends the context, and the annotator takes its marks off the page. A
        // pass with nothing new to report asks it too (Chrome runs the old copy on, silently).
        report: (entryIds, url) => void (entryIds ? sendMessage('page:found', { entryIds, url }).catch(() => ctx.isInvalid) : ctx.isInvalid),
        loadUi,
        onRoot: listen,
      });
      // Chrome reads a page's whole text for its own features in the first frame after its
      // parsing and the first after its load (4-44 ms on the benchmark's 500 KB README). On a
      // page that renders nothing by itself, that frame would be the first our pass dirties, and
      // Chrome's read and our layout would add up in one task: the first pass waits one frame.
      // (A background tab has no frames: its pass waits until it is shown.)
      await new Promise((r) => requestAnimationFrame(() => setTimeout(r)));
      // Switched off meanwhile (a tab opened in the background waits until it is shown): the
      // init that follows asks again, and nothing shows on the page in between.
      if (again) return;
    }
    // Not awaited: a switch flipped during the pass must reach it at once, not after it.
    if (!annotator.isOn) void annotator.start();
  };
  // A switch flipped while an init is in flight must not be lost: ask once more after it.
  let again = false;
  let listening = false;
  const initOnce = (): Promise<void> => {
    // The switch is listened to from a page's first init on, so a page we do not read
    // touches no extension API at all (the first use of `chrome.runtime` and of
    // `chrome.storage` in a page's isolated world costs about 1 and 0.5 ms).
    if (!listening) {
      listening = true;
      browser.storage.onChanged.addListener(onStorage);
      ctx.onInvalidated(() => browser.storage.onChanged.removeListener(onStorage));
    }
    if (busy) {
      again = true;
      return busy;
    }
    busy = init()
      // A service worker that is just waking up may miss the first message: ask again, twice.
      .catch(() => delay(ctx, 500).then(init))
      .catch(() => delay(ctx, 2000).then(init))
      .catch(() => undefined)
      .finally(() => {
        busy = null;
        if (again) {
          again = false;
          void initOnce();
        }
      });
    return busy;
  };

  // Until the page is one the adapter reads, cost nothing: no message, no matcher.
  const readable = () => {
    try {
      return adapter.pageType(new URL(location.href)) !== null;
    } catch {
      return false;
    }
  };
  // A page restored from the back/forward cache asks the background again: a switch flipped
  // while it was cached sent its storage event to a page that could not hear it (Firefox).
  const onNavigate = (e?: Event) => {
    // Every page gets a pageshow at its load, often after this script started: not a move.
    // (Turbo's and React's events carry no `persisted`; the URL watcher passes no event.)
    const persisted = (e as PageTransitionEvent | undefined)?.persisted;
    if (persisted === false) return;
    if (annotator && !persisted) {
      // Reported again even if unchanged: a move away and back within one pass finds what the
      // last report said, and the background forgot that when the tab left the URL.
      if (annotator.isOn) void annotator.requestFull(true);
    } else if (readable()) void initOnce();
  };
  // History moves (see onUrlChange); the annotator itself also listens to Turbo/React events.
  onUrlChange(ctx, onNavigate);
  // Client-side navigations can turn a page we do not read (GitHub home) into one we do. Added
  // again when the page writes itself anew (document.open() erases them): a page then restored
  // from the back/forward cache must still ask whether its site was switched off meanwhile.
  const listen = () => {
    for (const type of NAV_EVENTS) on(window, type, onNavigate, { signal: ctx.signal });
  };
  listen();

  // The per-site switch takes effect at once: the settings key changing is the signal.
  let timer = 0;
  const onStorage = (changes: Record<string, unknown>, area: string) => {
    if (area !== 'sync' && area !== 'local') return;
    if (!(SETTINGS_KEY in changes)) return;
    clearTimeout(timer);
    timer = later(ctx, () => {
      if (annotator || readable()) void initOnce();
    }, 30);
  };

  if (readable()) await initOnce();
};

/** The card module, injected by the background into this frame's isolated world on first need. */
const loadUi = async (): Promise<CreateUi> => {
  const g = globalThis as unknown as Record<string, unknown>;
  if (!isFunction(g[UI_GLOBAL])) await sendMessage('annotator:ui', undefined);
  const create = g[UI_GLOBAL];
  // `Error(…)` without `new` makes the same object; every byte counts in the content scripts.
  if (!isFunction(create)) throw Error('No card module');
  return create as CreateUi;
};

const delay = (ctx: ContentScriptContext, ms: number): Promise<void> => {
  return new Promise((resolve) => later(ctx, resolve, ms));
};

/** setTimeout whose callback dies with the context. */
const later = (ctx: ContentScriptContext, handler: () => void, ms: number): number => {
  const id = setTimeout(() => ctx.isInvalid || handler(), ms) as unknown as number;
  ctx.onInvalidated(() => clearTimeout(id));
  return id;
};

/**
 * Calls `handler` while the context lives whenever the URL has changed, not only in its fragment
 * (an anchor of the same page is not a new page): Navigation API, else a 1 s poll. (WXT's
 * 'wxt:locationchange', which its context dispatches from a watcher of its own.)
 */
const onUrlChange = (ctx: ContentScriptContext, handler: () => void): void => {
  const bare = () => location.href.split('#')[0];
  let last = bare();
  // One read of the URL per check: the old value is compared before the new one is kept.
  const check = () => {
    if (last !== (last = bare())) handler();
  };
  const nav = (globalThis as { navigation?: EventTarget }).navigation;
  if (isFunction(nav?.addEventListener)) {
    // After the URL has changed: `navigate` comes before it, when `location` still holds
    // the old one, so a handler reading the page's URL would judge the old page.
    on(nav, 'currententrychange', check, { signal: ctx.signal });
  } else {
    const id = setInterval(() => ctx.isInvalid || check(), 1000);
    ctx.onInvalidated(() => clearInterval(id));
  }
};
