/**
 * Re-running the content scripts in open tabs when the extension is installed or updated
 * (utils/annotator/reinject.ts), against the fake browser: which tabs, which files, and what
 * is skipped. The takeover in a real page (the new copy stops the old one) is an e2e test.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { STARTUP_GRACE_MS, injectIntoOpenTabs, registerReinjection } from '../../../utils/annotator/reinject';

type Injection = { target: { tabId: number }; files: string[] };
const flush = async () => {
  for (let i = 0; i < 10; i++) await new Promise((r) => setTimeout(r, 0));
};

describe('content scripts run again in open tabs', () => {
  let calls: [string, number, string[]][];
  const withScripting = () => {
    (fakeBrowser as unknown as { scripting: unknown }).scripting = {
      insertCSS: async (o: Injection) => void calls.push(['css', o.target.tabId, o.files]),
      executeScript: async (o: Injection) => {
        // An error page, or a tab still loading: it cannot be scripted now.
        if (o.target.tabId === 3) throw new Error('Cannot access contents of the page.');
        calls.push(['js', o.target.tabId, o.files]);
      },
    };
  };
  beforeEach(() => {
    fakeBrowser.reset();
    calls = [];
    vi.spyOn(fakeBrowser.runtime, 'getManifest').mockReturnValue({
      manifest_version: 3,
      name: 'x',
      version: '1',
      content_scripts: [
        { matches: ['https://github.com/*'], js: ['content-scripts/github.js'], css: ['content-scripts/github.css'] },
        { matches: ['https://arxiv.org/*'], js: ['content-scripts/arxiv.js'] },
      ],
    });
    vi.spyOn(fakeBrowser.tabs, 'query').mockImplementation(async (q) => {
      const url = (q as { url?: string[] }).url?.[0];
      if (url === 'https://github.com/*') return [{ id: 1 }, { id: 2, discarded: true }, { id: 3 }] as never;
      if (url === 'https://arxiv.org/*') return [{ id: 4 }] as never;
      return [];
    });
  });
  afterEach(() => {
    delete (fakeBrowser as unknown as { scripting?: unknown }).scripting;
    vi.restoreAllMocks();
  });

  it('runs the declared scripts, stylesheet first, in the open tabs each matches, on install and on update', async () => {
    withScripting();
    registerReinjection();
    await fakeBrowser.runtime.onInstalled.trigger({ reason: 'update', previousVersion: '0.9.0', temporary: false });
    await flush();
    // Each tab's stylesheet before its script. Tab 2 is discarded (it loads afresh when shown);
    // tab 3 cannot be scripted now.
    const byTab = (tab: number) => calls.filter(([, t]) => t === tab).map(([kind, , files]) => [kind, files]);
    expect(byTab(1)).toEqual([
      ['css', ['content-scripts/github.css']],
      ['js', ['content-scripts/github.js']],
    ]);
    expect(byTab(2)).toEqual([]);
    expect(byTab(3)).toEqual([['css', ['content-scripts/github.css']]]);
    expect(byTab(4)).toEqual([['js', ['content-scripts/arxiv.js']]]);
    calls.length = 0;
    await fakeBrowser.runtime.onInstalled.trigger({ reason: 'install', temporary: false });
    await flush();
    expect(calls.filter(([kind]) => kind === 'js').map(([, tab]) => tab).sort()).toEqual([1, 4]);
    // A browser update leaves the pages' copies as they are: they are the extension's current ones.
    calls.length = 0;
    await fakeBrowser.runtime.onInstalled.trigger({ reason: 'chrome_update' as never, temporary: false });
    await flush();
    expect(calls).toEqual([]);
  });

  describe('when the extension is turned on again after being turned off (no install event comes)', () => {
    const jsTabs = () => calls.filter(([kind]) => kind === 'js').map(([, tab]) => tab).sort();
    beforeEach(() => {
      vi.useFakeTimers({ toFake: ['setTimeout'] });
      withScripting();
    });
    afterEach(() => vi.useRealTimers());

    it('a worker that finds its session empty, with no browser start or install announced, runs the scripts in open tabs once', async () => {
      registerReinjection();
      await vi.advanceTimersByTimeAsync(STARTUP_GRACE_MS);
      expect(jsTabs()).toEqual([1, 4]);
      // The worker stops when idle and starts again later in the session: nothing more.
      calls.length = 0;
      registerReinjection();
      await vi.advanceTimersByTimeAsync(STARTUP_GRACE_MS);
      expect(calls).toEqual([]);
    });

    it('not at a browser start, whose pages load their scripts themselves', async () => {
      registerReinjection();
      await fakeBrowser.runtime.onStartup.trigger();
      await vi.advanceTimersByTimeAsync(STARTUP_GRACE_MS);
      expect(calls).toEqual([]);
    });

    it('once at an update, from its install event, not again from the empty session', async () => {
      registerReinjection();
      await fakeBrowser.runtime.onInstalled.trigger({ reason: 'update', previousVersion: '0.9.0', temporary: false });
      await vi.advanceTimersByTimeAsync(STARTUP_GRACE_MS);
      expect(jsTabs()).toEqual([1, 4]);
    });
  });

  it('runs nothing without the scripting API (the Firefox build)', async () => {
    expect(await injectIntoOpenTabs()).toBe(0);
    expect(fakeBrowser.tabs.query).not.toHaveBeenCalled();
  });

  it('counts the tabs it ran the scripts in', async () => {
    withScripting();
    expect(await injectIntoOpenTabs()).toBe(2);
  });

  it('does not wait for a tab that is slow to answer before running the scripts in the others', async () => {
    withScripting();
    const scripting = (fakeBrowser as unknown as { scripting: { insertCSS: (o: Injection) => Promise<void> } }).scripting;
    const insert = scripting.insertCSS;
    // Tab 1 does not answer (a frozen background tab).
    scripting.insertCSS = (o) => (o.target.tabId === 1 ? new Promise(() => {}) : insert(o));
    void injectIntoOpenTabs();
    await flush();
    expect(calls.filter(([kind]) => kind === 'js').map(([, tab]) => tab)).toEqual([4]);
  });
});
