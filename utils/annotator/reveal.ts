/**
 * "Show on page", from the popup's "On this page" list: the background runs {@link revealMark}
 * in the tab (`scripting.executeScript`), so the content script carries no code for it.
 */

/**
 * What the reveal did: `shown` scrolled to a mark and focused it (which opens its card) or
 * to the banner of the entry's own page; `hidden`: the entry is marked only where the page
 * shows nothing and cannot be opened (a hidden tab, a `display: none` part); `none`: nothing
 * of ours names it any more.
 */
export type RevealResult = 'shown' | 'hidden' | 'none';

/**
 * Runs in the page: scrolls the first visible mark of `entryId` to the middle of the view
 * and focuses it, or else the banner that says the page is that entry. A mark inside
 * collapsed sections (`<details>`, as READMEs fold long lists) is shown by opening them,
 * as the reader would; nothing else on the page is changed. Only our own elements count
 * (a page may carry the same attributes). Self-contained, because it is serialised into
 * the tab: no imports, nothing from around it.
 */
export function revealMark(entryId: string): RevealResult {
  // Compared as attribute values, not put into a selector: an ID is never parsed as CSS.
  // Ours carry data-cmed-ui (ui.ts, markOurs): a page's own element of the same name and
  // attribute is never scrolled to or focused. A copy the page made of ours (a cache, a clone)
  // is removed by the annotator's sweep of stray copies.
  const ours = (tag: string, name: string) => Array.from(document.querySelectorAll<HTMLElement>(`${tag}[${name}][data-cmed-ui]`)).filter((el) => el.getAttribute(name) === entryId);
  // A box the page renders (not inside a closed <details>, a display:none tab, …).
  const visible = (m: HTMLElement) => (typeof m.checkVisibility === 'function' ? m.checkVisibility({ visibilityProperty: true }) : m.getClientRects().length > 0);
  const marks = ours('cmed-badge', 'data-catalog-entry');
  let shown = marks.find(visible);
  for (let i = 0; !shown && i < marks.length; i++) {
    const closed: HTMLDetailsElement[] = [];
    for (let p = marks[i].parentElement; p; p = p.parentElement) if (p.localName === 'details' && !(p as HTMLDetailsElement).open) closed.push(p as HTMLDetailsElement);
    if (!closed.length) continue;
    for (const d of closed) d.open = true;
    if (visible(marks[i])) shown = marks[i];
    // Opening them did not bring it into view (hidden for another reason): leave them as they were.
    else for (const d of closed) d.open = false;
  }
  const target = shown ?? ours('cmed-banner', 'data-catalog-page')[0];
  if (!target) return marks.length ? 'hidden' : 'none';
  // At once, even on a page with `scroll-behavior: smooth`: a card whose mark is out of view
  // closes, as the mark would be until a smooth scroll ended.
  target.scrollIntoView({ block: 'center', inline: 'nearest', behavior: 'instant' });
  // Focus opens the mark's card, the same as reaching it with Tab; the banner has no card. A
  // mark that has focus already (its card closed with Esc) gets no focus event from focus():
  // it is left first, so that its card opens again.
  if (target === shown) {
    if (document.activeElement === target) target.blur();
    target.focus({ preventScroll: true });
  }
  return 'shown';
}
