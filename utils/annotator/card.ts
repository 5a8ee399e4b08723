/**
 * The hover card and the page banner: everything the annotator shows beyond the badges.
 * It is not part of the content script that loads on every page of the three sites: the
 * background injects it (entrypoints/annotator-ui.ts) the first time a page has a mention
 * to explain or is itself a catalog entry, and the annotator drives it through {@link Ui}.
 */
import type { Kind } from '../catalog/types';
import { venueYear } from '../catalog/kind-hues';
import type { CardData } from './types';
import { PASS_MEASURE, badgeLabel, badgeVisual, kindKey, markOurs, shadowOf, str, type Strings, type UiCss } from './ui';
import { pageTone } from './tone';

/** What the annotator lends the UI: its document, strings, styles and background calls. */
export interface UiHost {
  doc: Document;
  strings: Strings;
  css?: Partial<UiCss>;
  signal?: AbortSignal;
  /** Title and kind of an entry, for labels while its card data loads. */
  meta(id: string): [string, Kind] | undefined;
  /** Registers an element we insert (the annotator's mutation handling ignores it). */
  own(el: Element): void;
  /** Tells the annotator that we are about to remove an element of ours. */
  disown(el: Element): void;
  /** An entry's card data (the module's entry point asks the background, in the strings' language). */
  loadCard?: (id: string) => Promise<CardData | null>;
  /** Saves an entry as a favorite (the module's entry point asks the background). */
  save?: (id: string) => Promise<unknown>;
  /** The entries saved as favorites (the module's entry point asks the background). */
  savedIds?: () => Promise<string[]>;
  /** Calls `fn` whenever favorites change (here or on another device); returns an unsubscribe. */
  watchSaved?: (fn: () => void) => () => void;
  /** False once the annotator stopped (site switched off, script invalidated). */
  active(): boolean;
  /** Runs `fn`, keeping any error away from the page. */
  guard(fn: () => void): void;
}

/** The card and banner, as the annotator drives them. */
export interface Ui {
  /** Pointer entered a badge: open its card after a short delay. */
  enter(anchor: HTMLElement, id: string): void;
  /** Pointer left a badge: close the card after a short delay (unless it moves onto the card). */
  leave(): void;
  /** A badge got keyboard focus. */
  focus(anchor: HTMLElement, id: string): void;
  /** A badge lost focus to `next`. */
  blur(next: EventTarget | null): void;
  /** Opens the card now (click, Enter, Space); `focusInside` moves focus into it. */
  open(anchor: HTMLElement, id: string, focusInside: boolean): void;
  /** A key pressed on a trigger: Esc closes an open card, Enter and Space open it with focus inside; true if handled. */
  key(anchor: HTMLElement, id: string, key: string): boolean;
  isOpen(): boolean;
  close(returnFocus: boolean): void;
  /** The page scrolled or resized. */
  reposition(): void;
  /** A badge or the banner is going away: close the card opened from it. */
  forget(anchor: Element): void;
  /** Shows the "this page is in the list" banner right above `anchor`; returns its host. */
  banner(anchor: Element, id: string): HTMLElement;
  /** Removes the card and the banner. */
  clear(): void;
}

export type CreateUi = (h: UiHost) => Ui;

/** The saved star after a badge's kind letter (see `markSaved`). */
const SAVED_MARK = 'content:"★";margin-left:1px;color:#ffd54a';


export function createUi(h: UiHost): Ui {
  const { doc, strings } = h;
  let card: {
    host: HTMLElement;
    root: ShadowRoot;
    view: CardView | null;
    anchor: HTMLElement | null;
    id: string;
    closeTimer: number;
    openTimer: number;
    seen: boolean;
    /** The pointer came onto another badge while the card was closing (it left the card or its badge). */
    wasClosing: boolean;
    /** The data the card shows, as JSON ('' for none). */
    drawn: string;
  } | null = null;
  let banner: { host: HTMLElement; id: string; star: HTMLButtonElement } | null = null;
  const cache = new Map<string, CardData>();
  /** The entries whose save is pending (a star drawn meanwhile shows it busy). */
  const saving = new Set<string>();
  let returningFocus: HTMLElement | null = null;
  const opts = () => ({ signal: h.signal }) as AddEventListenerOptions;
  // A page that gets focus back (its tab or window switched back to, the toolbar popup closed)
  // focuses again the element that had it, the window first and then that element, in one task.
  // A badge focused that way was not chosen by the reader: its card, closed long ago and perhaps
  // far out of view, stays closed.
  let refocusing = false;
  const win = doc.defaultView;
  // (An element's focus does not bubble: without capture, this hears the window's own.)
  const onWindowFocus = () => {
    refocusing = true;
    setTimeout(() => (refocusing = false));
  };
  win?.addEventListener('focus', onWindowFocus, opts());
  // The system switched between light and dark: a page that follows it (GitHub's "sync with system",
  // arXiv's HTML view) changes its colours, and the banner and an open card take the page's new tone.
  // Read at once and again a moment later: a page may switch its theme from a script, or fade
  // its colours with a transition.
  const retone = () =>
    h.guard(() => {
      if (banner?.host.isConnected) setTone(banner.host, banner.host.parentElement);
      if (card?.anchor && !card.host.hidden) setTone(card.host, card.anchor.parentElement);
    });
  let toneTimer = 0;
  win?.matchMedia?.('(prefers-color-scheme: dark)').addEventListener(
    'change',
    () => {
      retone();
      clearTimeout(toneTimer);
      toneTimer = setTimeout(retone, 500) as unknown as number;
    },
    opts(),
  );
  /** Runs `f` when the script's signal ends, or now if it already has (a module that arrived after a stop). */
  const onEnd = (f: () => void) => (h.signal?.aborted ? f() : h.signal?.addEventListener('abort', f, { once: true }));
  const titleOf = (id: string) => h.meta(id)?.[0] ?? id;
  /** Our badges (data-cmed-ui), in document order: a page's own element of the same name is never taken for one. */
  const ourBadges = () => Array.from(doc.querySelectorAll<HTMLElement>('cmed-badge[data-cmed-ui]'));

  // Saved entries show a star on their badges. One rule per entry goes into the stylesheet all
  // badges share (the content script adopts one sheet object into every badge's shadow root),
  // so badges drawn later show it too and the content script carries no code for it.
  const saved = new Set<string>();
  let sheetRetry = 0;
  let sheetTimer = 0;
  /** The sheet last given the stars, and the rules it was given (written again only when either changes). */
  let starred: [CSSStyleSheet, string] | null = null;
  // Screen readers are told too: a saved entry's badges say so in their label (the star is
  // drawn, not read). Set here, on every badge of ours at once, whenever the saved set changes
  // and after every annotator pass (which may have made new badges, labelled unsaved).
  let labelled = false;
  const relabel = () => {
    if (!saved.size && !labelled) return;
    labelled = saved.size > 0;
    for (const b of ourBadges()) {
      const id = b.getAttribute('data-catalog-entry') ?? '';
      const m = h.meta(id);
      const label = badgeLabel(strings, m?.[0] ?? id, m?.[1], saved.has(id));
      if (b.getAttribute('aria-label') !== label) b.setAttribute('aria-label', label);
    }
  };
  // A pass ends with its User Timing measure: observing it keeps this code out of the content script.
  // With entries saved, the pass may also have made the first badges to draw (the page had none, or
  // its content came later): their shared sheet gets the stars, looked for again for a few seconds.
  if (typeof PerformanceObserver === 'function') {
    const passes = new PerformanceObserver((list) => {
      if (!list.getEntriesByName(PASS_MEASURE).length) return;
      if (!saved.size) return h.guard(relabel);
      sheetRetry = 0;
      h.guard(markSaved);
    });
    try {
      passes.observe({ type: 'measure' });
      onEnd(() => passes.disconnect());
    } catch {
      // No User Timing observer: labels follow the saved set's changes only.
    }
  }
  const markSaved = () => {
    relabel();
    const base = h.css?.badge;
    let sheet: CSSStyleSheet | undefined;
    // Ours only: a page's own cmed-badge may carry a sheet of the page's.
    for (const b of ourBadges()) if ((sheet = b.shadowRoot?.adoptedStyleSheets?.[0])) break;
    if (!base || !sheet) {
      // No badge drawn yet (the module can load before placement): look again in a moment, a few times.
      // One look at a time, however many passes ask for it.
      if (base && saved.size && !sheetTimer && sheetRetry++ < 5)
        sheetTimer = setTimeout(() => {
          sheetTimer = 0;
          h.guard(markSaved);
        }, 500) as unknown as number;
      return;
    }
    const sel = [...saved].map((id) => `:host([data-catalog-entry="${CSS.escape(id)}"]) .k::after`).join();
    const rules = sel ? `${base}\n${sel}{${SAVED_MARK}}` : base;
    if (starred?.[0] === sheet && starred[1] === rules) return;
    sheet.replaceSync(rules);
    starred = [sheet, rules];
  };
  const setSaved = (id: string, on: boolean) => {
    if (saved.has(id) === on) return;
    if (on) saved.add(id);
    else saved.delete(id);
    markSaved();
  };
  const readSaved = () =>
    void h
      .savedIds?.()
      .then((ids) => {
        const before = [...saved].join();
        saved.clear();
        for (const id of ids) saved.add(id);
        if ([...saved].join() !== before) h.guard(markSaved);
        // The stars drawn so far follow too, and so do the cached card data a card is drawn from
        // (even with the set unchanged: a star may have been drawn from data older than it).
        h.guard(showSaved);
      })
      .catch(() => undefined);
  /** The banner's and the card's stars and the cached card data, from the saved set; a star whose save is pending is left to it. */
  const showSaved = () => {
    for (const [id, d] of cache) d.favorite = saved.has(id);
    for (const [id, star] of [
      [banner?.id, banner?.star],
      [card?.id, card?.view?.star],
    ] as const) {
      if (id && star && star.getAttribute('aria-busy') !== 'true') setStar(star, saved.has(id), strings);
    }
    // Saved after all (here, in the popup, on another device): a failed save's line is stale.
    if (card?.view && saved.has(card.id)) card.view.status.textContent = '';
  };
  readSaved();
  // A favorite saved or removed in the popup, the options page or on another device: the stars follow.
  // A write touches several keys at once: read once they settle.
  let savedTimer = 0;
  const unwatch = h.watchSaved?.(() => {
    clearTimeout(savedTimer);
    savedTimer = setTimeout(readSaved, 100) as unknown as number;
  });
  if (unwatch) onEnd(unwatch);
  // Ended (a newer copy of the script, the extension gone): no late look at the badges.
  onEnd(() => (clearTimeout(savedTimer), clearTimeout(sheetTimer), clearTimeout(toneTimer)));

  // Esc closes an open card wherever focus is (a card opened by hovering leaves it in the page),
  // without moving it. Esc on a badge, the banner's Details button or in the card is handled
  // there and stopped before it reaches the document; with no card open, Esc is the page's, and
  // so is the one that ends an input method's composition.
  const onEsc = (e: KeyboardEvent) => {
    if (e.key !== 'Escape' || e.isComposing || !card || card.host.hidden) return;
    // A modal dialog the page opened sits above the card: the Esc is the dialog's to close it
    // (a cancelled one would not), and the card, out of sight, closes with it. A card opened in the
    // dialog (see open) is above it: that Esc closes the card alone.
    let modal = false;
    try {
      const top = doc.querySelector(':modal');
      modal = !!top && !top.contains(card.host);
    } catch {
      // A browser without :modal.
    }
    if (!modal) e.preventDefault();
    close(false);
  };
  const escKey = (e: KeyboardEvent) => h.guard(() => onEsc(e));

  const ensureCard = () => {
    // Added at every card shown, the same functions (so once): a page that wrote itself anew
    // with document.open() erased them.
    doc.addEventListener('keydown', escKey, opts());
    win?.addEventListener('focus', onWindowFocus, opts());
    if (card && card.host.isConnected) return card;
    const { host, root } = createCardHost(doc, h.css?.card ?? '');
    // The card speaks the extension's language, not the page's (a Chinese card on an English page).
    if (strings.card_lang) host.lang = strings.card_lang;
    h.own(host);
    doc.documentElement.append(host);
    const on = (type: string, fn: (e: Event) => void) => host.addEventListener(type, (e) => h.guard(() => fn(e)), opts());
    on('mouseenter', cancelTimers);
    // Where the pointer last moved over the card. A leave reported at that same place is the card
    // moving from under a still pointer (its arrows step it to another mention and the page scrolls):
    // it stays until the pointer itself moves, then closes as on any leave unless it is back over it.
    const spot = (e: Event) => `${(e as MouseEvent).clientX},${(e as MouseEvent).clientY}`;
    let at = '';
    on('mousemove', (e) => void (at = spot(e)));
    on('mouseleave', (e) => {
      const still = spot(e);
      if (still !== at) return scheduleClose(250);
      const moved = (m: Event) =>
        h.guard(() => {
          if (spot(m) === still) return;
          doc.removeEventListener('mousemove', moved);
          if (!host.matches(':hover')) scheduleClose(250);
        });
      doc.addEventListener('mousemove', moved, opts());
    });
    // Focus inside keeps the card open. Needed beyond the badge's blur: when fresh data
    // re-renders a card opened from the keyboard, the focused button is replaced, focus
    // leaves for a moment (focusout with nowhere to go schedules a close), and comes back.
    on('focusin', cancelTimers);
    on('keydown', (e) => {
      const k = e as KeyboardEvent;
      if (k.key === 'Escape') {
        // The card's alone: not also the page's modal dialog the card may be open in.
        e.preventDefault();
        e.stopPropagation();
        close(true);
      } else if (k.key === 'Tab' && !k.altKey && !k.ctrlKey && !k.metaKey) {
        // The card sits at the end of the document, so the browser would tab from its last
        // control out of the page, and from its first to the page's last (a footer, far away).
        // Leaving it from either end goes back to its badge; Tab then goes on to what follows
        // the badge in the page (the browser moves on from there).
        // Back from the card itself, too (focused when it opened).
        const controls = card?.view?.box.querySelectorAll<HTMLElement>('a[href], button:not([disabled])');
        const at = card?.root.activeElement;
        if (at && (at === controls?.[k.shiftKey ? 0 : controls.length - 1] || (k.shiftKey && at === card?.view?.box))) {
          if (k.shiftKey) e.preventDefault();
          close(true);
        }
      }
    });
    on('focusout', (e) => {
      const next = (e as FocusEvent).relatedTarget as Node | null;
      // The pointer over the card keeps it open, focus or not (mouseleave closes it then).
      if (!(next && (next === host || next === card?.anchor || host.shadowRoot?.contains(next))) && !host.matches(':hover')) scheduleClose(150);
    });
    return (card = { host, root, view: null, anchor: null, id: '', closeTimer: 0, openTimer: 0, seen: false, wasClosing: false, drawn: '' });
  };

  /**
   * Focus into the card: onto the control named `k` (data-k) if it is there, else the card itself (a
   * dialog, named by its title), from where Tab goes through its controls in order: the links come
   * before the star, and focus on the star would have left them behind.
   */
  const focusCard = (k?: string | null) => {
    const v = card?.view;
    if (v) ((k && v.box.querySelector<HTMLElement>(`[data-k="${k}"]`)) || v.box).focus();
  };

  /**
   * The entry's badges the page shows, in document order (one in a hidden part cannot be gone to).
   * Ours only: a page's own element of the same name and attribute is neither counted nor gone to.
   */
  const marksOf = (id: string) =>
    ourBadges().filter(
      (b) => b.getAttribute('data-catalog-entry') === id && (typeof b.checkVisibility !== 'function' || b.checkVisibility({ visibilityProperty: true })),
    );

  /** The card's ‹ › buttons: the entry's previous or next mention on the page (round the ends), scrolled to, with the card beside it. */
  const step = (delta: 1 | -1) => {
    const c = card;
    const from = c?.anchor;
    if (!c || !from) return;
    const marks = marksOf(c.id);
    const i = marks.indexOf(from);
    const to = i < 0 ? marks[delta > 0 ? 0 : marks.length - 1] : marks[(i + delta + marks.length) % marks.length];
    if (!to || to === from) return;
    // At once, even on a page with `scroll-behavior: smooth`: the card closes at a scroll that
    // leaves its anchor out of view, as the mention stepped to is until a smooth scroll ends.
    to.scrollIntoView({ block: 'center', inline: 'nearest', behavior: 'instant' });
    open(to, c.id, false);
    // The keyboard stays on the same button, so pressing it again goes on.
    focusCard(delta > 0 ? 'next' : 'prev');
  };

  const open = (anchor: HTMLElement, id: string, focusInside: boolean) => {
    if (!h.active() || !anchor.isConnected) return;
    const c = ensureCard();
    cancelTimers();
    if (c.anchor && c.anchor !== anchor) c.anchor.setAttribute('aria-expanded', 'false');
    const same = c.anchor === anchor && !c.host.hidden;
    c.anchor = anchor;
    c.id = id;
    anchor.setAttribute('aria-expanded', 'true');
    // Focus in the card that another badge's card replaces (a keyboard reader on its star, the
    // pointer resting on another badge) stays in the card, on the same control.
    let had: Element | null = null;
    if (!same) {
      c.seen = false;
      // The badge host is reset to initial styles: the page around it is its parent.
      setTone(c.host, anchor.parentElement);
      had = c.host.hidden ? null : c.root.activeElement;
      show(cache.get(id) ?? null);
    }
    // In a modal dialog (the page's top layer, the rest of the page inert and under it), the card
    // goes in with its badge, or it would be drawn under the dialog's backdrop and take no input.
    let layer: Element = doc.documentElement;
    try {
      layer = anchor.closest('dialog:modal') ?? layer;
    } catch {
      // No :modal in this browser: the root, as before.
    }
    if (c.host.parentNode !== layer) layer.append(c.host);
    c.host.hidden = false;
    reposition();
    if (inView(anchor)) c.seen = true;
    if (focusInside || had) focusCard(had?.getAttribute('data-k'));
    void load(id).then((d) => {
      if (card !== c || c.id !== id || c.host.hidden) return;
      // Nothing to show and the background unreachable (the extension updated or reloaded
      // under this page): say so instead of loading forever.
      // Either way the card is drawn anew: focus inside comes back to the same control (or
      // the box), and only if it is still inside (the reader may have moved on meanwhile).
      const had = c.root.activeElement;
      if (d === false) {
        if (c.view?.star) return;
        show(null, true);
      } else if (!d) return;
      // The same as drawn from the cache: drawing it anew would take a star from under a
      // pressed mouse button, or a selection made in the card.
      else if (JSON.stringify(d) === c.drawn) return;
      else show(d);
      reposition();
      if (had) focusCard(had.getAttribute('data-k'));
    });
  };

  const show = (data: CardData | null, failed = false) => {
    const c = card;
    if (!c) return;
    const id = c.id;
    // "2 of 5": where this mention stands among the entry's mentions on the page (badges only, not the banner).
    let position: [number, number] | null = null;
    if (c.anchor?.localName === 'cmed-badge') {
      const marks = marksOf(id);
      const i = marks.indexOf(c.anchor);
      if (marks.length > 1 && i >= 0) position = [i + 1, marks.length];
    }
    const view = (c.view = renderCard(c.host, c.root, data, titleOf(id), strings, position, failed));
    c.drawn = data && !failed ? JSON.stringify(data) : '';
    view.close.addEventListener('click', () => h.guard(() => close(true)));
    view.prev?.addEventListener('click', () => h.guard(() => step(-1)));
    view.next?.addEventListener('click', () => h.guard(() => step(1)));
    view.star?.addEventListener('click', (e) => {
      e.preventDefault();
      void saveEntry(id, view.star as HTMLButtonElement, view.status);
    });
    // Drawn anew while its save is pending: the new star says so, and the save's outcome comes here.
    if (saving.has(id)) view.star?.setAttribute('aria-busy', 'true');
  };

  const close = (returnFocus: boolean) => {
    const c = card;
    if (!c) return;
    cancelTimers();
    const anchor = c.anchor;
    c.host.hidden = true;
    c.anchor = null;
    if (anchor) {
      anchor.setAttribute('aria-expanded', 'false');
      if (returnFocus && anchor.isConnected) {
        returningFocus = anchor;
        anchor.focus({ preventScroll: true });
        returningFocus = null;
      }
    }
  };

  const scheduleClose = (ms: number) => {
    const c = card;
    if (!c) return;
    clearTimeout(c.openTimer);
    c.openTimer = 0;
    if (c.host.hidden) return;
    clearTimeout(c.closeTimer);
    // Focus inside the card (a click on its star, a card opened from the keyboard) goes back to
    // its anchor rather than to the start of the document.
    c.closeTimer = setTimeout(() => h.guard(() => close(doc.activeElement === c.host)), ms) as unknown as number;
  };

  function cancelTimers(): void {
    if (!card) return;
    clearTimeout(card.closeTimer);
    clearTimeout(card.openTimer);
    card.closeTimer = card.openTimer = 0;
  }

  function reposition(): void {
    const c = card;
    if (!c || c.host.hidden || !c.anchor || !c.view) return;
    if (!c.anchor.isConnected) close(false);
    else positionCard(c.host, c.view.box, c.anchor);
  }

  /**
   * The page scrolled or resized. A card whose anchor went out of the viewport closes instead of
   * staying on, apart from it, once the anchor has been in view: a badge reached with Tab opens its
   * card before the browser's scroll to it (smooth on some pages) has brought it in. Focus in the
   * card goes back to the anchor (without scrolling to it), so the keyboard goes on from there
   * rather than from the start of the page; focus elsewhere stays.
   */
  const follow = () => {
    const c = card;
    if (!c || c.host.hidden || !c.anchor?.isConnected || !c.view) return reposition();
    if (inView(c.anchor)) c.seen = true;
    else if (c.seen) return close(doc.activeElement === c.host);
    reposition();
  };

  /** The entry's card data: fresh, else cached, else null; false when the background could not be asked and nothing is cached. */
  const load = async (id: string): Promise<CardData | null | false> => {
    try {
      const d = h.loadCard ? await h.loadCard(id) : null;
      if (d) {
        // Fresh from the background: a favorite saved or removed elsewhere shows on the badges now.
        // Unknown there (favorites unreadable for now): what this page last knew.
        if (d.favorite === null) d.favorite = saved.has(id);
        else setSaved(id, d.favorite);
        cache.set(id, d);
      }
      return d ?? cache.get(id) ?? null;
    } catch {
      return cache.get(id) ?? false;
    }
  };

  /** The stars shown for `id` now: the banner's and the card's (either may have been drawn anew since a click). */
  const starsOf = (id: string) => [banner?.id === id ? banner.star : null, card?.id === id ? card.view?.star : null];

  /**
   * Saves through the background (idempotent): a second click keeps the favorite, it never toggles it off.
   * `star` and `status` are the clicked star and its card's status line (none for the banner's); the
   * outcome shows in the stars and the card as they are when the save settles.
   */
  const saveEntry = async (id: string, star: HTMLButtonElement, status: HTMLElement | null) => {
    // Not `disabled` while saving: disabling the focused star would drop focus, and focus
    // leaving a card closes it. A second click meanwhile is ignored instead.
    if (!h.save || saving.has(id)) return;
    saving.add(id);
    const stars = () => new Set([star, ...starsOf(id)].filter((s) => !!s));
    for (const s of stars()) s.setAttribute('aria-busy', 'true');
    // A save from the card is told in the card's status line, the one of the card drawn now for the entry.
    const statusNow = () => (status && card?.id === id && card.view?.star ? card.view.status : status);
    let ok = false;
    try {
      await h.save(id);
      ok = true;
      setSaved(id, true);
      const cached = cache.get(id);
      if (cached) cached.favorite = true;
      // The star now reads "Saved to favorites" and is pressed: no second line says so.
      const s = statusNow();
      if (s) s.textContent = '';
    } catch {
      const s = statusNow();
      const failed = str(strings, 'card_save_failed');
      if (s) s.textContent = failed;
      // The banner has no status line: its star says it, until the next save or change.
      else star.textContent = `☆ ${failed}`;
    } finally {
      saving.delete(id);
      for (const s of stars()) {
        s.removeAttribute('aria-busy');
        if (ok) setStar(s, true, strings);
      }
    }
  };

  const removeBanner = () => {
    if (!banner) return;
    ui.forget(banner.host);
    h.disown(banner.host);
    banner.host.remove();
    banner = null;
  };

  /** Hover, focus, Enter/Space and click on `trigger` open the card for `id` next to it (the banner's Details button). */
  const wire = (trigger: HTMLElement, id: string) => {
    const on = (type: string, fn: (e: Event) => void) => trigger.addEventListener(type, (e) => h.guard(() => fn(e)), opts());
    on('mouseenter', () => ui.enter(trigger, id));
    on('mouseleave', () => ui.leave());
    on('focus', () => ui.focus(trigger, id));
    on('blur', (e) => ui.blur((e as FocusEvent).relatedTarget));
    on('keydown', (e) => {
      if (ui.key(trigger, id, (e as KeyboardEvent).key)) {
        e.preventDefault();
        e.stopPropagation();
      }
    });
    on('click', (e) => {
      e.preventDefault();
      e.stopPropagation();
      // A click with no pointer behind it (a screen reader activating the button) takes focus into the card, as Enter does.
      open(trigger, id, !(e as MouseEvent).detail);
    });
  };

  const ui: Ui = {
    enter(anchor, id) {
      if (!card || card.anchor !== anchor) {
        const wasClosing = !!card?.closeTimer;
        cancelTimers();
        const c = ensureCard();
        c.wasClosing = wasClosing;
        c.openTimer = setTimeout(() => h.guard(() => open(anchor, id, false)), 120) as unknown as number;
      } else cancelTimers();
    },
    leave() {
      // The pointer crossed another badge on its way elsewhere before that badge's card opened.
      // A card that was open and not closing (opened from the keyboard, focus in it) stays as it was.
      if (card?.openTimer && !card.wasClosing && !card.host.hidden) {
        clearTimeout(card.openTimer);
        card.openTimer = 0;
      } else scheduleClose(250);
    },
    focus(anchor, id) {
      // Focus handed back by Esc must not reopen what Esc just closed.
      if (returningFocus === anchor) returningFocus = null;
      else if (!refocusing) open(anchor, id, false);
    },
    blur(next) {
      if (!(next && card && next === card.host)) scheduleClose(150);
    },
    open,
    key(anchor, id, key) {
      if (key === 'Escape') {
        if (!card || card.host.hidden) return false;
        close(false);
        return true;
      }
      if (key !== 'Enter' && key !== ' ') return false;
      // Into the card only from its badge: a key pressed before this module arrived is run
      // late, and the reader may have tabbed on meanwhile. The banner's Details button is in
      // the banner's shadow root: the document's active element is then the banner itself.
      open(anchor, id, (anchor.getRootNode() as Document | ShadowRoot).activeElement === anchor);
      return true;
    },
    isOpen: () => !!card && !card.host.hidden,
    close,
    reposition: follow,
    forget(anchor) {
      const a = card?.anchor;
      // Its badge, or the banner whose Details button it was opened from.
      if (a && (a === anchor || (a.getRootNode() as ShadowRoot).host === anchor)) close(false);
    },
    banner(anchor, id) {
      if (banner && banner.id === id && banner.host.isConnected) return banner.host;
      removeBanner();
      const meta = h.meta(id);
      const parts = createBanner(doc, id, titleOf(id), meta?.[1], strings, h.css?.banner ?? '');
      if (strings.card_lang) parts.host.lang = strings.card_lang;
      h.own(parts.host);
      // Adapters name the first element of the content (a title, a header): the banner goes right above it.
      anchor.before(parts.host);
      setTone(parts.host, parts.host.parentElement);
      const b = (banner = { host: parts.host, id, star: parts.star });
      wire(parts.details, id);
      parts.star.addEventListener('click', (e) => {
        e.preventDefault();
        e.stopPropagation();
        void saveEntry(id, parts.star, null);
      }, opts());
      void load(id).then((d) => {
        if (d && banner === b) setStar(b.star, !!d.favorite, strings);
      });
      return parts.host;
    },
    clear() {
      removeBanner();
      close(false);
      if (card) {
        h.disown(card.host);
        card.host.remove();
      }
      card = null;
    },
  };
  return ui;
}

interface BannerParts {
  host: HTMLElement;
  star: HTMLButtonElement;
  details: HTMLButtonElement;
}

/** `<cmed-banner data-catalog-page>`: "this page is in the list", with save and details buttons. */
function createBanner(doc: Document, entryId: string, title: string, kind: Kind | undefined, strings: Strings, css: string): BannerParts {
  const host = doc.createElement('cmed-banner');
  markOurs(host);
  host.setAttribute('data-catalog-page', entryId);
  host.setAttribute('role', 'note');
  host.setAttribute('aria-label', str(strings, 'card_brand'));
  const root = shadowOf(host, css);
  const row = el(doc, 'div', 'r');
  const mark = el(doc, 'span');
  mark.append(brandMark(doc));
  // The words flow as one text, wrapping inside their own box (never a kind alone on a line); the
  // buttons stay together, beside the words or on a line of their own below them.
  const words = el(doc, 'span', 'w');
  words.append(text(doc, 'span', str(strings, 'card_banner')), ' ', text(doc, 'span', title, 't'));
  if (kind) words.append(' ', kindPill(doc, kind, str(strings, kindKey(kind))));
  const star = starButton(doc, strings);
  const details = text(doc, 'button', str(strings, 'card_details')) as HTMLButtonElement;
  details.type = 'button';
  details.setAttribute('aria-haspopup', 'dialog');
  const buttons = el(doc, 'span', 'a');
  buttons.append(star, details);
  row.append(mark, words, buttons);
  root.append(row);
  return { host, star, details };
}

const SVG = 'http://www.w3.org/2000/svg';

/**
 * The brand mark of the card's head and the banner: a plus cut out of a disc. The disc is the
 * text colour the stylesheet gives the svg; the plus is painted in the surface's own colour by
 * the stylesheet (`.p`), white on a light page and the dark background on a dark one. Built
 * node by node: no markup is parsed.
 */
function brandMark(doc: Document): SVGSVGElement {
  const node = (tag: string, attrs: Record<string, string>) => {
    const e = doc.createElementNS(SVG, tag);
    for (const k in attrs) e.setAttribute(k, attrs[k]);
    return e;
  };
  const svg = node('svg', { viewBox: '0 0 12 12', 'aria-hidden': 'true', focusable: 'false' }) as SVGSVGElement;
  svg.append(node('circle', { cx: '6', cy: '6', r: '6', fill: 'currentColor' }), node('path', { class: 'p', d: 'M5 2.5h2V5h2.5v2H7v2.5H5V7H2.5V5H5z', fill: '#fff' }));
  return svg;
}

/** The entry's kind as a pill in its own hue (styles.ts, KIND_PILL), as the popup shows it. */
function kindPill(doc: Document, kind: Kind, label: string): HTMLElement {
  const pill = text(doc, 'span', label, 'kd');
  pill.setAttribute('data-kind', kind);
  return pill;
}

function el(doc: Document, tag: string, cls?: string): HTMLElement {
  const e = doc.createElement(tag);
  if (cls) e.className = cls;
  return e;
}

function text(doc: Document, tag: string, value: string, cls?: string): HTMLElement {
  const e = el(doc, tag, cls);
  e.textContent = value;
  return e;
}

function starButton(doc: Document, strings: Strings): HTMLButtonElement {
  const b = doc.createElement('button');
  b.type = 'button';
  b.className = 'star';
  b.setAttribute('data-k', 'star');
  setStar(b, false, strings);
  return b;
}

/** Saved state is shown, never toggled: saving is idempotent and removal lives in the popup. */
function setStar(b: HTMLButtonElement, saved: boolean, strings: Strings): void {
  b.setAttribute('aria-pressed', String(saved));
  b.textContent = `${saved ? '★' : '☆'} ${str(strings, saved ? 'card_saved' : 'card_save')}`;
}

interface CardView {
  host: HTMLElement;
  /** The card box (focus target, hover area). */
  box: HTMLElement;
  star: HTMLButtonElement | null;
  close: HTMLButtonElement;
  status: HTMLElement;
  /** The previous and next mention of the entry on the page, when it has more than one. */
  prev: HTMLButtonElement | null;
  next: HTMLButtonElement | null;
}

/** Builds the card for one entry (or a loading state when `data` is null, or `failed` to load). */
function renderCard(host: HTMLElement, root: ShadowRoot, data: CardData | null, fallbackTitle: string, strings: Strings, position: [number, number] | null, failed = false): CardView {
  const doc = host.ownerDocument;
  root.replaceChildren();
  const box = el(doc, 'div', 'c');
  box.setAttribute('role', 'dialog');
  box.setAttribute('aria-label', data?.title ?? fallbackTitle);
  box.tabIndex = -1;
  const head = el(doc, 'div', 'h');
  const mark = el(doc, 'span');
  mark.append(brandMark(doc));
  const close = text(doc, 'button', '×', 'x') as HTMLButtonElement;
  close.type = 'button';
  close.setAttribute('aria-label', str(strings, 'card_close'));
  close.setAttribute('data-k', 'close');
  head.append(mark, text(doc, 'span', str(strings, 'card_brand')));
  if (data) head.append(kindPill(doc, data.kind, data.kindLabel));
  head.append(el(doc, 'span', 'sp'), close);
  box.append(head);
  box.append(text(doc, 'h2', data?.title ?? fallbackTitle));
  let star: HTMLButtonElement | null = null;
  let prev: HTMLButtonElement | null = null;
  let next: HTMLButtonElement | null = null;
  // A save's failure is said beside the star, in its row: no empty line is kept for it below.
  const status = el(doc, 'span', 's');
  status.setAttribute('role', 'status');
  if (data) {
    const meta = [data.sections.join(' · '), venueYear(data.venue, data.year)].filter(Boolean).join(' · ');
    if (meta) box.append(text(doc, 'p', meta, 'm'));
    if (data.summary) box.append(text(doc, 'p', data.summary));
    if (data.links.length) {
      const ul = el(doc, 'ul');
      ul.setAttribute('aria-label', str(strings, 'card_links'));
      for (const l of data.links) {
        if (!/^https?:\/\//i.test(l.url)) continue;
        const li = el(doc, 'li');
        const a = text(doc, 'a', l.label) as HTMLAnchorElement;
        a.href = l.url;
        a.target = '_blank';
        a.rel = 'noopener noreferrer';
        li.append(a);
        ul.append(li);
      }
      box.append(ul);
    }
    star = starButton(doc, strings);
    setStar(star, !!data.favorite, strings);
    const row = el(doc, 'p', 'f');
    row.append(star, status);
    if (position) {
      const nav = el(doc, 'span', 'n');
      nav.setAttribute('role', 'group');
      nav.setAttribute('aria-label', str(strings, 'card_mentions'));
      const arrow = (label: string, key: string, k: string) => {
        const b = text(doc, 'button', label) as HTMLButtonElement;
        b.type = 'button';
        b.setAttribute('aria-label', str(strings, key));
        b.setAttribute('data-k', k);
        return b;
      };
      prev = arrow('‹', 'card_prev', 'prev');
      next = arrow('›', 'card_next', 'next');
      const where = text(doc, 'span', str(strings, 'card_mention_of', position[0], position[1]));
      // Focus lands on a fresh arrow after each step: its description says where it now stands.
      where.id = 'pos';
      prev.setAttribute('aria-describedby', 'pos');
      next.setAttribute('aria-describedby', 'pos');
      nav.append(prev, where, next);
      row.append(el(doc, 'span', 'sp'), nav);
    }
    box.append(row);
  } else {
    box.append(text(doc, 'p', str(strings, failed ? 'card_unavailable' : 'card_loading'), 'm'));
  }
  root.append(box);
  return { host, box, star, close, status, prev, next };
}

function createCardHost(doc: Document, css: string): { host: HTMLElement; root: ShadowRoot } {
  const host = doc.createElement('cmed-card');
  markOurs(host);
  host.hidden = true;
  const root = shadowOf(host, css);
  return { host, root };
}


/** Gives our host (a card or banner) the tone of the page around `from`. */
function setTone(host: HTMLElement, from: Element | null): void {
  host.setAttribute('data-tone', pageTone(from));
}

type Box = Pick<DOMRect, 'left' | 'width' | 'top' | 'bottom'>;

/**
 * Where the card's anchor is. A badge's visual sits on the top of the mention's line, so the box
 * is the visual's together with its host's: the host is an empty inline element, whose box is
 * the line's text at the mention's end (a card below the visual alone would cover that text).
 */
function anchorRect(anchor: Element): Box {
  const h = anchor.getBoundingClientRect();
  const r = badgeVisual(anchor)?.getBoundingClientRect();
  return r?.width ? { left: r.left, width: r.width, top: Math.min(r.top, h.top), bottom: Math.max(r.bottom, h.bottom) } : h;
}

/** True if any of the anchor's box is within the viewport's height; false if it has no box (hidden by the page). */
function inView(anchor: Element): boolean {
  const r = anchorRect(anchor);
  return (r.width > 0 || r.bottom > r.top) && r.bottom >= 0 && r.top <= viewport(anchor.ownerDocument)[1];
}

/** The viewport's width and height, without scrollbars (the body's in quirks mode, where the root's are the document's). */
function viewport(doc: Document): [number, number] {
  const el = doc.compatMode === 'BackCompat' && doc.body ? doc.body : doc.documentElement;
  return [el.clientWidth || 1024, el.clientHeight || 768];
}

/** Below the card's anchor (and above), the least room for the card to be worth placing there alone. */
const MIN_SIDE = 120;

/**
 * Places the fixed card below the anchor (above when there is no room), inside the viewport.
 * When it fits on neither side it goes to the side with more room, capped to that room (its
 * stylesheet's max-height; it scrolls inside), so it never covers the mention it was opened
 * from. Only in a viewport too short for that (under {@link MIN_SIDE} on either side) is it
 * moved up over the anchor until its bottom (the Save row) is in view.
 */
function positionCard(host: HTMLElement, box: HTMLElement, anchor: Element): void {
  const r = anchorRect(anchor);
  const [vw, vh] = viewport(host.ownerDocument);
  // Worked out in the viewport's pixels, like the rects; a page under CSS `zoom` (on its root, which
  // holds the card) zooms the card's size and its top and left, so they are set unzoomed.
  const z = host.currentCSSZoom || 1;
  // Read before any write, so the read forces no layout of its own.
  const scrolled = box.scrollTop;
  // Where the host's top and left put it: off by the box it is fixed against when that is not the
  // viewport (a root element with a transform, `will-change: transform` or `contain: paint`, which
  // scrolls with the page), by nothing otherwise. (A host not laid out, with no box, says nothing.)
  const at = host.getBoundingClientRect();
  const off = (name: string, v: number) => (at.width ? v - (parseFloat(host.style.getPropertyValue(name)) || 0) * z : 0);
  const dx = off('--cmed-left', at.left);
  const dy = off('--cmed-top', at.top);
  const px = (name: string, v: number) => host.style.setProperty(name, `${Math.floor(v / z)}px`);
  // The card's size caps: the viewport without its scrollbars (100vw and 100vh count them).
  px('--cmed-vw', vw);
  px('--cmed-vh', vh);
  // Its height uncapped by an earlier placement, then the room on each side of the anchor. The
  // uncapped layout would take a capped card's scroll back to its top (placement runs again at every
  // page scroll): where it was read (`scrolled`) is put back once the cap is set again.
  host.style.removeProperty('--cmed-mh');
  const w = (box.offsetWidth || 360) * z;
  let h = (box.offsetHeight || 200) * z;
  const left = Math.max(8, Math.min(r.left, vw - w - 8));
  const below = r.bottom + 6;
  const roomBelow = vh - 8 - below;
  const roomAbove = r.top - 6 - 8;
  let top: number;
  if (h <= roomBelow) top = below;
  else if (h <= roomAbove) top = r.top - 6 - h;
  else if (Math.max(roomBelow, roomAbove) >= MIN_SIDE) {
    h = Math.max(roomBelow, roomAbove);
    px('--cmed-mh', h);
    top = roomBelow >= roomAbove ? below : r.top - 6 - h;
  } else top = Math.max(8, Math.min(below, vh - h - 8));
  // Custom properties: `all: initial` on :host resets top/left but never custom properties.
  host.style.setProperty('--cmed-left', `${Math.round((left - dx) / z)}px`);
  host.style.setProperty('--cmed-top', `${Math.round((top - dy) / z)}px`);
  if (scrolled) box.scrollTop = scrolled;
}

