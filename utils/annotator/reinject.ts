/**
 * Chrome runs the content scripts a manifest declares only in pages loaded after the
 * extension was installed or updated. A page already open has no copy (a fresh install) or
 * an old copy cut off from the extension (an update): its marks stay, its cards cannot load
 * and its site switch does nothing. So on install and update the background runs the
 * declared scripts (and their stylesheet) in the open tabs of our sites; a new copy tells an
 * old one to stop (utils/annotator/context.ts), which takes its marks off, and then marks the
 * page itself; so too when the extension is turned on again (see registerReinjection). Without
 * `scripting` (the Firefox build) nothing is run.
 */
import { browser } from 'wxt/browser';

interface DeclaredScript {
  matches?: string[];
  js?: string[];
  css?: string[];
}

/** Runs the declared content scripts in the open tabs they match; resolves to the number of tabs done. */
export async function injectIntoOpenTabs(): Promise<number> {
  const scripting = browser.scripting;
  if (!scripting) return 0;
  const declared = (browser.runtime.getManifest().content_scripts ?? []) as DeclaredScript[];
  // All tabs at once: one that is slow to answer (still loading, frozen) holds up no other.
  const runs = await Promise.all(
    declared.map(async (cs) => {
      if (!cs.js?.length || !cs.matches?.length) return [];
      const tabs = await browser.tabs.query({ url: cs.matches }).catch(() => []);
      return Promise.allSettled(
        tabs.map(async (tab) => {
          // A discarded tab loads afresh when shown, and then gets the script as any page does.
          if (tab.id === undefined || tab.discarded) throw Error('discarded');
          const target = { tabId: tab.id };
          if (cs.css?.length) await scripting.insertCSS({ target, files: cs.css });
          // The manifest's own paths; WXT types `files` as the paths it knows at build time.
          await scripting.executeScript({ target, files: cs.js as never });
        }),
      );
    }),
  );
  // A tab that cannot be scripted (an error page, a page of another site by now) is left: its next load runs the script.
  return runs.flat().filter((r) => r.status === 'fulfilled').length;
}

/** Set in session storage by the first worker of a session, which the browser empties when it restarts or the extension is turned off. */
export const SESSION_MARK = 'cmed:worker-session';
/** How long a worker without that mark waits for the browser to say it is starting up (runtime.onStartup). */
export const STARTUP_GRACE_MS = 1000;

/**
 * On install and update (not a browser update), the open tabs of our sites get the new scripts.
 * So they do when the extension is turned on again after being turned off (in chrome://extensions,
 * a routine step when something misbehaves): no install event comes then, and every open page
 * keeps a copy cut off from the extension. That case is told apart by elimination: the worker
 * finds session storage empty (it was not running earlier in this browser session), and neither an
 * install nor a browser start (whose pages load their scripts themselves) is announced.
 */
export function registerReinjection(): void {
  let announced = false;
  browser.runtime.onInstalled.addListener(({ reason }) => {
    announced = true;
    if (reason === 'install' || reason === 'update') void injectIntoOpenTabs();
  });
  browser.runtime.onStartup.addListener(() => {
    announced = true;
  });
  const session = browser.storage.session;
  if (!session || !browser.scripting) return;
  void session
    .get(SESSION_MARK)
    .then(async (got) => {
      if (got[SESSION_MARK]) return;
      await session.set({ [SESSION_MARK]: true });
      setTimeout(() => {
        if (!announced) void injectIntoOpenTabs();
      }, STARTUP_GRACE_MS);
    })
    .catch(() => undefined);
}
