// @vitest-environment happy-dom
/**
 * The content-script glue (utils/annotator/content.ts) with its context (context.ts): a page
 * the site's adapter does not read touches no extension API (in Chrome, the first use of
 * `chrome.runtime` or `chrome.storage` in a page's isolated world sets that API up, about
 * 1 and 0.5 ms), and a soft navigation to a page it reads then asks the background and
 * listens to the per-site switch.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ContentScriptContext } from '../../../utils/annotator/context';
import { startAnnotator } from '../../../utils/annotator/content';
import { setRuntime, type Api } from '../../../utils/annotator/runtime';
import { github } from '../../../utils/sites/github';
import { DEFAULT_SETTINGS, SETTINGS_KEY, type Settings } from '../../../utils/favorites/types';
import { createAnnotatorBackground } from '../../../utils/annotator/background';

type Listener = (changes: Record<string, unknown>, area: string) => void;

/** An extension API that records which of its namespaces are read and what is sent. */
function recordingApi() {
  const touched: string[] = [];
  const sent: { type: string; data: { url?: string } }[] = [];
  const listeners = new Set<Listener>();
  const api: Api = {
    get runtime() {
      touched.push('runtime');
      return {
        id: 'test-extension',
        sendMessage: async (m: unknown) => {
          sent.push(m as (typeof sent)[number]);
          // The site is switched off: no matcher, no pass.
          return { ok: true, value: { enabled: false } };
        },
      };
    },
    get storage() {
      touched.push('storage');
      return { onChanged: { addListener: (fn: Listener) => listeners.add(fn), removeListener: (fn: Listener) => listeners.delete(fn) } };
    },
  };
  return { api, touched, sent, listeners };
}

/** happy-dom's way to change the page's URL without loading anything (as a soft navigation does). */
const setUrl = (url: string) => (window as unknown as { happyDOM: { setURL(url: string): void } }).happyDOM.setURL(url);

let ctx: ContentScriptContext | null = null;

afterEach(() => {
  // A newer copy of the script stops the older one: the same event as an update would send.
  document.dispatchEvent(new CustomEvent('cmed:github:content-script-started', { detail: { contentScriptName: 'github', messageId: 'next' } }));
  ctx = null;
  setRuntime(undefined);
  delete (globalThis as { navigation?: unknown }).navigation;
});

describe('content script on a page the adapter does not read', () => {
  it('touches no extension API until a soft navigation leads to a page it reads', async () => {
    const { api, touched, sent, listeners } = recordingApi();
    setRuntime(api);
    // Chrome's Navigation API, which the context's location watcher uses.
    const navigation = new EventTarget();
    (globalThis as { navigation?: EventTarget }).navigation = navigation;
    setUrl('https://github.com/octo/repo/blob/main/train.py');
    expect(github.pageType(new URL(location.href))).toBeNull();

    ctx = new ContentScriptContext('github');
    startAnnotator(ctx, github);
    await new Promise((r) => setTimeout(r, 50));
    expect(touched).toEqual([]);
    expect(sent).toEqual([]);
    expect(listeners.size).toBe(0);

    // GitHub's soft navigation to the repository's front page, which the adapter reads.
    setUrl('https://github.com/octo/repo');
    navigation.dispatchEvent(new Event('currententrychange'));
    await vi.waitFor(() => expect(sent.map((m) => m.type)).toEqual(['annotator:init']));
    expect(sent[0].data.url).toBe('https://github.com/octo/repo');
    expect(touched).toContain('runtime');
    // From now on the page follows the per-site switch.
    expect(listeners.size).toBe(1);
    await vi.waitFor(() => expect(document.documentElement.getAttribute('data-cmed-annotator')).toBe('off'));

    // The switch flipped: the page asks again.
    for (const fn of listeners) fn({ [SETTINGS_KEY]: { newValue: {} } }, 'sync');
    await vi.waitFor(() => expect(sent).toHaveLength(2), { timeout: 2_000 });
  });

  it('listens to the switch from the start on a page it reads', async () => {
    const { api, sent, listeners } = recordingApi();
    setRuntime(api);
    (globalThis as { navigation?: EventTarget }).navigation = new EventTarget();
    setUrl('https://github.com/octo/repo');
    ctx = new ContentScriptContext('github');
    startAnnotator(ctx, github);
    await vi.waitFor(() => expect(sent.map((m) => m.type)).toEqual(['annotator:init']));
    expect(listeners.size).toBe(1);
  });
});

/** The real background handlers, with the settings `sites()` gives. */
const testBackground = (sites: () => Settings['sites']) =>
  createAnnotatorBackground({
    settings: async () => ({ ...DEFAULT_SETTINGS, sites: sites() }),
    favoriteIds: async () => new Set(),
    setBadge: async () => undefined,
    matcherOverride: async () => undefined,
    uiLanguage: () => 'en',
    injectUi: async () => undefined,
    reveal: async () => 'none',
  });

/**
 * The content script on a GitHub README naming CMeKG, talking to the real background handlers
 * (with the settings `sites()` gives), its storage events never delivered. Resolves once marked.
 */
async function startOnReadme(sites: () => Settings['sites']) {
  const bg = testBackground(sites);
  const sent: string[] = [];
  const runtime: Api['runtime'] = {
    id: 'test-extension',
    sendMessage: async (m: unknown) => {
      // Updated or removed: Chrome unsets runtime.id and refuses every message.
      if (!runtime.id) throw new Error('Extension context invalidated.');
      const { type, data } = m as { type: keyof typeof bg.handlers; data: never };
      sent.push(type);
      return { ok: true, value: await (bg.handlers[type] as (d: never, s: object) => unknown)(data, { tabId: 1, frameId: 0 }) };
    },
  };
  setRuntime({ runtime, storage: { onChanged: { addListener: () => undefined, removeListener: () => undefined } } });
  const navigation = new EventTarget();
  (globalThis as { navigation?: EventTarget }).navigation = navigation;
  setUrl('https://github.com/octo/repo');
  document.body.innerHTML = '<div id="readme"><article class="markdown-body"><p>We use CMeKG.</p></article></div>';
  const c = (ctx = new ContentScriptContext('github'));
  startAnnotator(c, github);
  await vi.waitFor(() => expect(document.querySelectorAll('[data-catalog-entry]')).toHaveLength(1), { timeout: 3_000 });
  return { runtime, sent, ctx: c, bg, navigation };
}

describe('content script left behind by an update of the extension', () => {
  it('takes its marks off the page when a report fails and the extension is gone', async () => {
    const { runtime, ctx: c } = await startOnReadme(() => ({ ...DEFAULT_SETTINGS.sites }));

    // The extension is updated; the old copy of the script still runs, and the page changes.
    runtime.id = undefined;
    document.querySelector('article')!.insertAdjacentHTML('beforeend', '<p>And cMedQA2.</p>');
    await vi.waitFor(() => expect(document.querySelectorAll('[data-cmed-ui]')).toHaveLength(0), { timeout: 3_000 });
    expect(c.signal.aborted).toBe(true);
    expect(document.body.innerHTML).toBe('<div id="readme"><article class="markdown-body"><p>We use CMeKG.</p><p>And cMedQA2.</p></article></div>');
  });
  it('finds out at a pass that has nothing new to report, and takes its marks off too', async () => {
    const { runtime, sent, ctx: c } = await startOnReadme(() => ({ ...DEFAULT_SETTINGS.sites }));
    const reports = sent.filter((t) => t === 'page:found').length;
    // The extension is updated; the page changes, naming nothing new (Chrome keeps the old copy running).
    runtime.id = undefined;
    document.querySelector('article')!.insertAdjacentHTML('beforeend', '<p>CMeKG again, and nothing else.</p>');
    await vi.waitFor(() => expect(document.querySelectorAll('[data-cmed-ui]')).toHaveLength(0), { timeout: 3_000 });
    expect(c.signal.aborted).toBe(true);
    expect(sent.filter((t) => t === 'page:found')).toHaveLength(reports);
  });

  it('sends nothing at a pass that found what the last one did, while the extension is there', async () => {
    const { sent, ctx: c } = await startOnReadme(() => ({ ...DEFAULT_SETTINGS.sites }));
    const reports = sent.filter((t) => t === 'page:found').length;
    document.querySelector('article')!.insertAdjacentHTML('beforeend', '<p>CMeKG again.</p>');
    await vi.waitFor(() => expect(document.querySelectorAll('[data-catalog-entry]')).toHaveLength(2), { timeout: 3_000 });
    await new Promise((r) => setTimeout(r, 100));
    expect(sent.filter((t) => t === 'page:found')).toHaveLength(reports);
    expect(c.signal.aborted).toBe(false);
  });
});

describe('content script on a page that moves with history.pushState alone', () => {
  it('reports again after a move away and back, which the background took for leaving the page', async () => {
    const { sent, bg, navigation } = await startOnReadme(() => ({ ...DEFAULT_SETTINGS.sites }));
    const readme = 'https://github.com/octo/repo';
    await vi.waitFor(() => expect(bg.tabs.get(1)).toEqual({ entryIds: ['cmekg'], url: readme }));
    const reports = sent.filter((t) => t === 'page:found').length;
    // The tab's URL changed twice (the browser tells the background; it forgets the page)...
    await bg.onNavigated(1, `${readme}/pulls`);
    await bg.onNavigated(1, readme);
    expect(bg.tabs.has(1)).toBe(false);
    // ...within one task of the page, with no Turbo or React event: the watcher sees both moves.
    setUrl(`${readme}/pulls`);
    navigation.dispatchEvent(new Event('currententrychange'));
    setUrl(readme);
    navigation.dispatchEvent(new Event('currententrychange'));
    // The pass after them finds what the last report said, and says it once more: once.
    await vi.waitFor(() => expect(bg.tabs.get(1)).toEqual({ entryIds: ['cmekg'], url: readme }), { timeout: 3_000 });
    await new Promise((r) => setTimeout(r, 100));
    expect(sent.filter((t) => t === 'page:found')).toHaveLength(reports + 1);
  });
});

describe('the per-site switch', () => {
  it('switched off while a page waits for its first frame (a tab opened in the background): nothing shows', async () => {
    let sites = { ...DEFAULT_SETTINGS.sites };
    const listeners = new Set<Listener>();
    const found: string[][] = [];
    const bg = testBackground(() => sites);
    setRuntime({
      runtime: {
        id: 'test-extension',
        sendMessage: async (m: unknown) => {
          const { type, data } = m as { type: keyof typeof bg.handlers; data: { entryIds?: string[] } };
          if (type === 'page:found') found.push(data.entryIds ?? []);
          return { ok: true, value: await (bg.handlers[type] as (d: unknown, s: object) => unknown)(data, { tabId: 1, frameId: 0 }) };
        },
      },
      storage: { onChanged: { addListener: (fn: Listener) => listeners.add(fn), removeListener: (fn: Listener) => listeners.delete(fn) } },
    });
    // A hidden tab gets no frames until it is shown.
    const held: FrameRequestCallback[] = [];
    const raf = vi.spyOn(window, 'requestAnimationFrame').mockImplementation((cb) => (held.push(cb), held.length));
    (globalThis as { navigation?: EventTarget }).navigation = new EventTarget();
    setUrl('https://github.com/octo/repo');
    document.body.innerHTML = '<div id="readme"><article class="markdown-body"><p>We use CMeKG.</p></article></div>';
    startAnnotator((ctx = new ContentScriptContext('github')), github);
    await vi.waitFor(() => expect(held.length).toBeGreaterThan(0));
    // Switched off (the options page, another tab) before the tab is shown.
    sites = { ...sites, github: false };
    for (const fn of listeners) fn({ [SETTINGS_KEY]: { newValue: {} } }, 'sync');
    await new Promise((r) => setTimeout(r, 100));
    // The tab is shown: frames come.
    raf.mockRestore();
    for (const cb of held.splice(0)) cb(performance.now());
    await vi.waitFor(() => expect(document.documentElement.getAttribute('data-cmed-annotator')).toBe('off'));
    await new Promise((r) => setTimeout(r, 200));
    expect(document.querySelectorAll('[data-cmed-ui]')).toHaveLength(0);
    expect(found.filter((ids) => ids.length)).toEqual([]);
  });
});

describe('the load event', () => {
  it('coming while the first question to the background is on its way asks no second time', async () => {
    const bg = testBackground(() => ({ ...DEFAULT_SETTINGS.sites }));
    const sent: string[] = [];
    setRuntime({
      runtime: {
        id: 'test-extension',
        sendMessage: async (m: unknown) => {
          const { type, data } = m as { type: keyof typeof bg.handlers; data: never };
          sent.push(type);
          // A slow answer: the page finishes loading meanwhile.
          if (type === 'annotator:init') await new Promise((r) => setTimeout(r, 60));
          return { ok: true, value: await (bg.handlers[type] as (d: never, s: object) => unknown)(data, { tabId: 1, frameId: 0 }) };
        },
      },
      storage: { onChanged: { addListener: () => undefined, removeListener: () => undefined } },
    });
    (globalThis as { navigation?: EventTarget }).navigation = new EventTarget();
    setUrl('https://github.com/octo/repo');
    document.body.innerHTML = '<div id="readme"><article class="markdown-body"><p>We use CMeKG.</p></article></div>';
    startAnnotator((ctx = new ContentScriptContext('github')), github);
    await new Promise((r) => setTimeout(r, 20));
    window.dispatchEvent(Object.assign(new Event('pageshow'), { persisted: false }));
    await vi.waitFor(() => expect(document.querySelectorAll('[data-catalog-entry]')).toHaveLength(1), { timeout: 3_000 });
    await new Promise((r) => setTimeout(r, 150));
    expect(sent.filter((t) => t === 'annotator:init')).toHaveLength(1);
  });
});

describe('a page restored from the back/forward cache', () => {
  it('asks the background again, so a site switched off while the page was cached loses its marks', async () => {
    // Firefox drops the storage event of a switch flipped while the page sat in its cache.
    let sites = { ...DEFAULT_SETTINGS.sites };
    const { sent } = await startOnReadme(() => sites);
    const inits = sent.filter((t) => t === 'annotator:init').length;

    // A page shown without being cached (the pageshow every page gets at its load, which often
    // comes after the content script started) is not a reason to ask, nor to read the page again.
    const passes = performance.getEntriesByName('cmed:annotate').length;
    window.dispatchEvent(Object.assign(new Event('pageshow'), { persisted: false }));
    await new Promise((r) => setTimeout(r, 100));
    expect(sent.filter((t) => t === 'annotator:init')).toHaveLength(inits);
    expect(performance.getEntriesByName('cmed:annotate')).toHaveLength(passes);

    sites = { ...sites, github: false };
    window.dispatchEvent(Object.assign(new Event('pageshow'), { persisted: true }));
    await vi.waitFor(() => expect(document.querySelectorAll('[data-cmed-ui]')).toHaveLength(0), { timeout: 3_000 });
    expect(document.documentElement.getAttribute('data-cmed-annotator')).toBe('off');

    // And switched on again while cached: the marks come back.
    sites = { ...sites, github: true };
    window.dispatchEvent(Object.assign(new Event('pageshow'), { persisted: true }));
    await vi.waitFor(() => expect(document.querySelectorAll('[data-catalog-entry]')).toHaveLength(1), { timeout: 3_000 });
  });
});
