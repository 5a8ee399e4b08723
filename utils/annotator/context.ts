/**
 * A small stand-in for WXT's ContentScriptContext, aliased in for the content-script build
 * only (wxt.config.ts): WXT's class (~3 KB minified with its location watcher and loggers)
 * ships on every page of the three sites, and we use a handful of its members. The
 * contract kept is what utils/annotator/content.ts relies on:
 * - the context ends (signal aborts, onInvalidated callbacks run) when a newer copy of the
 *   script starts in the page (extension reloaded or updated), announced with an event of
 *   our own (WXT's name holds the extension's ID, which only the extension API can tell), or
 *   when `isInvalid` finds the extension gone (runtime.id unset);
 * - its members are WXT's own (so WXT's type checks the entrypoints): timers and listeners that
 *   die with it, and the watch for a changed URL, are content.ts's (`later`, `onUrlChange`).
 */
import { browser } from './runtime';
import { on } from './short';

/** The detail of the event a newly started copy of the script sends to older copies. */
export interface StartedDetail {
  contentScriptName: string;
  messageId: string;
}

/** The members of the context the content script uses. */
export interface Ctx {
  readonly signal: AbortSignal;
  readonly isInvalid: boolean;
  onInvalidated(cb: () => void): void;
}

/**
 * WXT's entry code makes the context with `new`. The constructor returns an object of closures
 * rather than `this` with its members: the minifier shortens local names, not `this.` members.
 */
export type ContentScriptContext = Ctx;
export const ContentScriptContext = class {
  constructor(name: string) {
    const ac = new AbortController();
    const signal = ac.signal;
    const isInvalid = () => {
      if (browser.runtime?.id == null) ac.abort();
      return signal.aborted;
    };
    const onInvalidated = (cb: () => void) => on(signal, 'abort', cb);
    // Named without the extension's ID: reading `runtime.id` would set up the extension API
    // in the page's isolated world, which a page we do not read never needs.
    const type = `cmed:${name}:content-script-started`;
    const messageId = Math.random().toString(36).slice(2);
    // Tell older copies to stop, then listen for newer ones.
    document.dispatchEvent(new CustomEvent<StartedDetail>(type, { detail: { contentScriptName: name, messageId } }));
    on(
      document,
      type,
      (e) => {
        const d = (e as CustomEvent<Partial<StartedDetail> | null>).detail;
        if (d?.contentScriptName === name && d.messageId !== messageId) ac.abort();
      },
      { signal },
    );

    const ctx: Ctx = {
      signal,
      get isInvalid() {
        return isInvalid();
      },
      onInvalidated,
    };
    return ctx;
  }
} as unknown as new (name: string) => Ctx;
