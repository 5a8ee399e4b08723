// @vitest-environment happy-dom
/**
 * "Show on page" as it runs in the tab: the first visible mark of the entry is scrolled to
 * and focused, hidden marks are skipped, the banner stands in on the entry's own page, and
 * look-alike elements of the page itself are never taken for ours.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { revealMark } from '../../../utils/annotator/reveal';

function badge(id: string, parent: Element = document.body): HTMLElement {
  const el = document.createElement('cmed-badge');
  el.setAttribute('data-catalog-entry', id);
  el.setAttribute('data-cmed-ui', '');
  el.setAttribute('tabindex', '0');
  parent.append(el);
  return el;
}

/** Every element's scrollIntoView, recorded (happy-dom lays nothing out). */
function trackScrolls(): Element[] {
  const scrolled: Element[] = [];
  vi.spyOn(HTMLElement.prototype, 'scrollIntoView').mockImplementation(function (this: Element) {
    scrolled.push(this);
  });
  return scrolled;
}

/** happy-dom has no layout: a mark counts as visible unless it sits in an element marked here or in a closed <details>. */
function visibilityByMarker() {
  vi.spyOn(HTMLElement.prototype, 'checkVisibility').mockImplementation(function (this: Element) {
    return !this.closest('[data-test-hidden], details:not([open])');
  });
}

afterEach(() => {
  document.body.innerHTML = '';
  vi.restoreAllMocks();
});

describe('revealMark', () => {
  it('scrolls to the first visible mark of the entry and focuses it', () => {
    visibilityByMarker();
    const scrolled = trackScrolls();
    const closed = document.createElement('details');
    document.body.append(closed);
    badge('pubmedqa', closed);
    badge('cmekg');
    const first = badge('pubmedqa');
    badge('pubmedqa');
    expect(revealMark('pubmedqa')).toBe('shown');
    expect(scrolled).toEqual([first]);
    expect(document.activeElement).toBe(first);
    // A mark in view was there: the collapsed section stays as the reader left it.
    expect(closed.open).toBe(false);
  });

  it('focuses a mark that has focus already anew, so that its card opens again', () => {
    visibilityByMarker();
    trackScrolls();
    const mark = badge('pubmedqa');
    mark.focus();
    const events: string[] = [];
    for (const type of ['blur', 'focus']) mark.addEventListener(type, () => events.push(type));
    expect(revealMark('pubmedqa')).toBe('shown');
    expect(events).toEqual(['blur', 'focus']);
    expect(document.activeElement).toBe(mark);
  });

  it('opens the collapsed sections around a mark when the entry is named only there', () => {
    visibilityByMarker();
    const scrolled = trackScrolls();
    const outer = document.createElement('details');
    const inner = document.createElement('details');
    outer.append(inner);
    const other = document.createElement('details');
    document.body.append(outer, other);
    const mark = badge('cmekg', inner);
    expect(revealMark('cmekg')).toBe('shown');
    expect([outer.open, inner.open, other.open]).toEqual([true, true, false]);
    expect(scrolled).toEqual([mark]);
    expect(document.activeElement).toBe(mark);
  });

  it('says when the entry is marked only in hidden parts it cannot open, and when not at all', () => {
    visibilityByMarker();
    const scrolled = trackScrolls();
    const tab = document.createElement('div');
    tab.setAttribute('data-test-hidden', '');
    // A collapsed section inside a hidden tab: opening it would not show the mark, so it stays closed.
    const folded = document.createElement('details');
    tab.append(folded);
    document.body.append(tab);
    badge('pubmedqa', folded);
    expect(revealMark('pubmedqa')).toBe('hidden');
    expect(folded.open).toBe(false);
    expect(revealMark('cmekg')).toBe('none');
    expect(scrolled).toEqual([]);
    expect(document.activeElement).toBe(document.body);
  });

  it("falls back to the banner on the entry's own page, which it scrolls to without focusing", () => {
    visibilityByMarker();
    const scrolled = trackScrolls();
    const banner = document.createElement('cmed-banner');
    banner.setAttribute('data-catalog-page', 'cblue');
    banner.setAttribute('data-cmed-ui', '');
    document.body.append(banner);
    expect(revealMark('cblue')).toBe('shown');
    expect(scrolled).toEqual([banner]);
    expect(document.activeElement).toBe(document.body);
  });

  it('takes only our own elements, and an entry ID is compared, never parsed as a selector', () => {
    visibilityByMarker();
    const scrolled = trackScrolls();
    const fake = document.createElement('span');
    fake.setAttribute('data-catalog-entry', 'pubmedqa');
    fake.tabIndex = 0;
    document.body.append(fake);
    expect(revealMark('pubmedqa')).toBe('none');
    // The page's own look-alikes, earlier in the document: the same tag names and attributes, without our marker.
    const lookalike = document.createElement('cmed-badge');
    lookalike.setAttribute('data-catalog-entry', 'pubmedqa');
    lookalike.tabIndex = 0;
    const lookalikeBanner = document.createElement('cmed-banner');
    lookalikeBanner.setAttribute('data-catalog-page', 'pubmedqa');
    document.body.prepend(lookalike, lookalikeBanner);
    expect(revealMark('pubmedqa')).toBe('none');
    const real = badge('pubmedqa');
    expect(revealMark('pubmedqa')).toBe('shown');
    expect(document.activeElement).toBe(real);
    scrolled.length = 0;
    const odd = badge('a"] , body, [x="');
    expect(revealMark('a"] , body, [x="')).toBe('shown');
    expect(scrolled).toEqual([odd]);
  });
});
