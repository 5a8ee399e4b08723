/**
 * A small stand-in for WXT's ContentScriptContext, aliased in for the content-script build
 * only (wxt.config.ts): WXT's class (~3 KB minified with its location watcher and loggers)
 * ships on every page of the three sites, and we use a handful of its members. The
 * contract kept is what utils/annotator/content.ts relies on:
 * - the context ends (signal aborts, onInvalidated callbacks run) when a newer copy of the
 *   script starts in the page (extension reloaded or updated), announced with an event of
 *   our own (WXT's name holds the extension's ID, which only the extension API can tell), or
 *   when `isInvalid` finds the extension gone (runtime.id unset);
 * - setTimeout callbacks and addEventListener handlers die with it;
 * - 'wxt:locationchange' fires when the URL has changed, not only in its fragment (Navigation
 *   API, else a 1 s poll).
 */
import { browser } from './runtime';

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
  setTimeout(handler: () => void, ms: number): number;
  addEventListener(target: EventTarget, type: string, handler: (e?: Event) => void): void;
}

export class ContentScriptContext implements Ctx {
  private readonly ac = new AbortController();

  constructor(name: string) {
    // Named without the extension's ID: reading `runtime.id` would set up the extension API
    // in the page's isolated world, which a page we do not read never needs.
    const type = `cmed:${name}:content-script-started`;
    const messageId = Math.random().toString(36).slice(2);
    // Tell older copies to stop, then listen for newer ones.
    document.dispatchEvent(new CustomEvent<StartedDetail>(type, { detail: { contentScriptName: name, messageId } }));
    document.addEventListener(
      type,
      (e) => {
        const d = (e as CustomEvent<Partial<StartedDetail> | null>).detail;
        if (d?.contentScriptName === name && d.messageId !== messageId) this.ac.abort();
      },
      { signal: this.signal },
    );
  }

  get signal(): AbortSignal {
    return this.ac.signal;
  }

  get isInvalid(): boolean {
    if (browser.runtime?.id == null) this.ac.abort();
    return this.signal.aborted;
  }

  onInvalidated(cb: () => void): void {
    this.signal.addEventListener('abort', cb);
  }

  setTimeout(handler: () => void, ms: number): number {
    const id = setTimeout(() => this.isInvalid || handler(), ms) as unknown as number;
    this.onInvalidated(() => clearTimeout(id));
    return id;
  }

  addEventListener(target: EventTarget, type: string, handler: (e?: Event) => void): void {
    const signal = this.signal;
    if (type !== 'wxt:locationchange') {
      target.addEventListener(type, handler, { signal });
      return;
    }
    // A change of the fragment alone (an anchor of the same page) is not a new page.
    const bare = () => location.href.split('#')[0];
    let last = bare();
    // One read of the URL per check: the old value is compared before the new one is kept.
    const check = () => {
      if (last !== (last = bare())) handler();
    };
    const nav = (globalThis as { navigation?: EventTarget }).navigation;
    if (typeof nav?.addEventListener === 'function') {
      // After the URL has changed: `navigate` comes before it, when `location` still holds
      // the old one, so a handler reading the page's URL (content.ts) would judge the old page.
      nav.addEventListener('currententrychange', check, { signal });
    } else {
      const id = setInterval(() => this.isInvalid || check(), 1000);
      this.onInvalidated(() => clearInterval(id));
    }
  }
}
