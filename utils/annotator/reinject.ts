/**
 * Chrome runs the content scripts a manifest declares only in pages loaded after the
 * extension was installed or updated. A page already open has no copy (a fresh install) or
 * an old copy cut off from the extension (an update): its marks stay, its cards cannot load
 * and its site switch does nothing. So on install and update the background runs the
 * declared scripts (and their stylesheet) in the open tabs of our sites; a new copy tells an
 * old one to stop (utils/annotator/context.ts), which takes its marks off, and then marks the
 * page itself. Without `scripting` (the Firefox build) nothing is run.
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

/** On install and update (not a browser update), the open tabs of our sites get the new scripts. */
export function registerReinjection(): void {
  browser.runtime.onInstalled.addListener(({ reason }) => {
    if (reason === 'install' || reason === 'update') void injectIntoOpenTabs();
  });
}
