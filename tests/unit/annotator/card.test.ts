// @vitest-environment happy-dom
/**
 * The hover card and banner module (utils/annotator/card.ts) as the annotator loads it on
 * demand: never on a page without mentions, once on first need, the banner on an entry's
 * own page, the card from the badges' delegated events (click, Enter, Esc), saving, and a
 * failed load that leaves the page alone and is retried at the next need.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { createAnnotator, type Annotator } from '../../../utils/annotator/annotator';
import { createUi, type CreateUi, type Ui, type UiHost } from '../../../utils/annotator/card';
import { UI_CSS } from '../../../utils/annotator/styles';
import type { CardData } from '../../../utils/annotator/types';
import { createMatcher } from '../../../utils/matcher';
import { buildMatcherData } from '../../../utils/matcher/build';
import { idKey } from '../../../utils/matcher/ids';
import type { SiteAdapter } from '../../../utils/sites/types';
import type { Catalog } from '../../../utils/catalog/types';

const catalog = JSON.parse(fs.readFileSync(path.join(__dirname, '../../../data/catalog.json'), 'utf8')) as Catalog;
const matcher = createMatcher(buildMatcherData(catalog));
const meta = Object.fromEntries(catalog.map((e) => [e.id, [e.title, e.kind]])) as never;

function adapter(pageIds: string[] = []): SiteAdapter {
  return {
    key: 'github',
    hosts: ['github.com'],
    pageType: () => 'repo',
    regions: (doc) => Array.from(doc.querySelectorAll('article')),
    bannerAnchor: (doc) => doc.querySelector('h1'),
    pageIds: () => pageIds,
    idKey,
  };
}

const cardOf = (id: string): CardData => ({
  id,
  title: `Title of ${id}`,
  kind: 'dataset',
  kindLabel: 'Dataset',
  sections: ['Datasets'],
  summary: 'A summary.',
  links: [{ url: 'https://example.org/x', label: 'Paper' }],
  favorite: false,
});

let current: Annotator | null = null;
/** The signal of the annotator {@link setup} made, as the content script's context gives one: its card module ends with it. */
let currentStop: AbortController | null = null;
/** Card modules made directly (without an annotator), taken down after each test as the annotator's stop would. */
const direct: { ui: Ui; stop: AbortController }[] = [];
afterEach(() => {
  current?.stop();
  current = null;
  // A module left running would star the next test's badges from its own saved set.
  currentStop?.abort();
  currentStop = null;
  for (const d of direct.splice(0)) {
    d.stop.abort();
    d.ui.clear();
  }
  vi.useRealTimers();
  vi.restoreAllMocks();
  document.body.innerHTML = '';
});

/** What the annotator lends the card module, for driving the module directly; `o` overrides. */
function uiHost(o: Partial<UiHost> = {}): UiHost {
  return {
    doc: document,
    strings: { card_save: 'Save', card_saved: 'Saved', card_save_failed: 'Could not save', card_details: 'Details' },
    meta: () => undefined,
    own() {},
    disown() {},
    active: () => true,
    guard: (f) => f(),
    ...o,
  };
}

/** The card module on its own, with the host {@link uiHost} makes from `o`. */
function directUi(o: Partial<UiHost> = {}): Ui {
  const stop = new AbortController();
  const ui = createUi(uiHost({ signal: stop.signal, ...o }));
  direct.push({ ui, stop });
  return ui;
}

const dataOf = (id: string, favorite: boolean): CardData => ({ ...cardOf(id), favorite });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function setup(
  html: string,
  opts: {
    pageIds?: string[];
    /** Given the module's factory as its entry point makes it: when and whether it arrives. */
    loadUi?: (factory: CreateUi) => Promise<CreateUi>;
    save?: (id: string) => Promise<void>;
    savedIds?: string[];
    favorite?: (id: string) => boolean | null;
    /** Receives the module's favorites-changed callback (as storage.onChanged would call it). */
    onWatch?: (fn: () => void) => void;
    /** The background cannot be asked (the extension was updated or reloaded under the page). */
    unreachable?: boolean;
  } = {},
) {
  document.body.innerHTML = html;
  const loads: number[] = [];
  const saved: string[] = [];
  const savedIds = opts.savedIds;
  // As the module's entry point does: the card factory with its own calls to the background.
  const withCalls: CreateUi = (h) =>
    createUi({
      ...h,
      loadCard: async (id) => {
        if (opts.unreachable) throw new Error('Extension context invalidated.');
        return { ...cardOf(id), favorite: opts.favorite ? opts.favorite(id) : false };
      },
      save: opts.save ?? (async (id) => void saved.push(id)),
      ...(savedIds && { savedIds: async () => [...savedIds], watchSaved: (fn: () => void) => (opts.onWatch?.(fn), () => undefined) }),
    });
  const loadUi = opts.loadUi ? () => opts.loadUi!(withCalls) : async () => (loads.push(1), withCalls);
  currentStop = new AbortController();
  const a = createAnnotator({
    doc: document,
    signal: currentStop.signal,
    adapter: adapter(opts.pageIds),
    matcher,
    meta,
    strings: {
      card_save: 'Save',
      card_saved: 'Saved',
      card_save_failed: 'Could not save',
      card_mention_of: '$1 of $2',
      card_prev: 'Previous',
      card_next: 'Next',
      card_badge_label: 'Lens: $1 ($2)',
      card_badge_label_saved: 'Lens: $1 ($2), saved',
      card_kind_knowledge_graph: 'Knowledge graph',
      card_kind_dataset: 'Dataset',
      card_loading: 'Loading',
      card_unavailable: 'Reload the page',
    },
    url: () => 'https://github.com/o/r',
    css: opts.savedIds ? { badge: '.k{color:#fff}' } : undefined,
    loadUi,
  });
  current = a;
  return { a, loads, saved };
}

const key = (el: Element, k: string) => el.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true, cancelable: true, composed: true }));
const card = () => document.querySelector('cmed-card') as HTMLElement | null;
const cardTitle = () => card()?.shadowRoot?.querySelector('h2')?.textContent ?? null;

describe('card module, loaded on demand', () => {
  it('is not loaded on a page with nothing to show', async () => {
    const { a, loads } = setup('<article><p>Nothing from the list here, only BERT.</p></article>');
    await a.start();
    await new Promise((r) => setTimeout(r, 300));
    expect(document.querySelectorAll('[data-catalog-entry]')).toHaveLength(0);
    expect(loads).toHaveLength(0);
  });

  it("shows the banner above the title on an entry's own page, once, and saves from it", async () => {
    const { a, loads, saved } = setup('<h1>PubMedQA</h1><article><p>About PubMedQA.</p></article>', { pageIds: ['arxiv:1909.06146'] });
    await a.start();
    const banners = document.querySelectorAll('[data-catalog-page]');
    expect(banners).toHaveLength(1);
    expect(banners[0].getAttribute('data-catalog-page')).toBe('pubmedqa');
    expect(banners[0].nextElementSibling?.tagName).toBe('H1');
    expect(a.stats?.page).toBe('pubmedqa');
    await a.requestFull();
    expect(document.querySelectorAll('[data-catalog-page]')).toHaveLength(1);
    expect(loads).toHaveLength(1);
    const star = banners[0].shadowRoot!.querySelector('button.star') as HTMLButtonElement;
    star.click();
    await vi.waitFor(() => expect(star.getAttribute('aria-pressed')).toBe('true'));
    expect(saved).toEqual(['pubmedqa']);
    // Its words flow as one text (label, title, the kind as a pill), its buttons stay together.
    const words = banners[0].shadowRoot!.querySelector('.w')!;
    expect(words.querySelector('.t')!.textContent).toBe('PubMedQA: A Dataset for Biomedical Research Question Answering');
    expect(words.querySelector('.kd[data-kind=dataset]')!.textContent).toBe('Dataset');
    expect([...banners[0].shadowRoot!.querySelectorAll('.a > button')].map((b) => b.className || 'details')).toEqual(['star', 'details']);
  });

  it("heads the card with the kind as a pill, and names the year once where the venue has it", async () => {
    const ui = directUi({ loadCard: async (id) => ({ ...dataOf(id, false), kind: 'knowledge-graph', kindLabel: 'Knowledge graph', venue: 'EMNLP 2019', year: 2019 }) });
    document.body.innerHTML = '<span id="a">a</span>';
    ui.open(document.getElementById('a')!, 'cmekg', false);
    await vi.waitFor(() => expect(cardTitle()).toBe('Title of cmekg'));
    const root = card()!.shadowRoot!;
    expect(root.querySelector('.h .kd')!.getAttribute('data-kind')).toBe('knowledge-graph');
    expect(root.querySelector('.h .kd')!.textContent).toBe('Knowledge graph');
    expect(root.querySelector('.m')!.textContent).toBe('Datasets · EMNLP 2019');
  });

  it('opens the card from a badge on click and Enter, closes it on Esc, and saves from its star', async () => {
    const { a, loads, saved } = setup('<article><p>We evaluate on <a href="#">PubMedQA</a> and CMeKG.</p></article>');
    await a.start();
    const badge = document.querySelector('[data-catalog-entry="pubmedqa"]') as HTMLElement;
    expect(badge).not.toBeNull();
    // A badge inside a link: the click opens the card and never follows the link.
    const click = new MouseEvent('click', { bubbles: true, cancelable: true });
    badge.dispatchEvent(click);
    expect(click.defaultPrevented).toBe(true);
    await vi.waitFor(() => expect(cardTitle()).toBe('Title of pubmedqa'));
    expect(card()!.hidden).toBe(false);
    expect(badge.getAttribute('aria-expanded')).toBe('true');
    key(badge, 'Escape');
    expect(card()!.hidden).toBe(true);
    expect(badge.getAttribute('aria-expanded')).toBe('false');

    const other = document.querySelector('[data-catalog-entry="cmekg"]') as HTMLElement;
    key(other, 'Enter');
    await vi.waitFor(() => expect(cardTitle()).toBe('Title of cmekg'));
    const star = card()!.shadowRoot!.querySelector('button.star') as HTMLButtonElement;
    star.click();
    await vi.waitFor(() => expect(star.getAttribute('aria-pressed')).toBe('true'));
    expect(saved).toEqual(['cmekg']);
    // One load for the whole page (the idle prefetch and the clicks share it).
    expect(loads).toHaveLength(1);

    a.stop();
    expect(card()).toBeNull();
  });

  it('moves focus into the card on Enter only while its badge still has it (a key run late, after the module arrived)', async () => {
    let arrive = () => {};
    const late = new Promise<void>((r) => (arrive = r));
    const { a } = setup('<article><p>We use CMeKG. <a id="next" href="#">Next</a></p></article>', {
      loadUi: async (factory) => (await late, factory),
    });
    await a.start();
    const badge = document.querySelector('[data-catalog-entry="cmekg"]') as HTMLElement;
    badge.focus();
    key(badge, 'Enter');
    // The reader tabs on before the card module is in.
    const next = document.getElementById('next')!;
    next.focus();
    arrive();
    await vi.waitFor(() => expect(cardTitle()).toBe('Title of cmekg'));
    expect(document.activeElement).toBe(next);
    // From the badge itself, Enter goes into the card.
    badge.focus();
    key(badge, 'Enter');
    await vi.waitFor(() => expect(document.activeElement).toBe(card()));
    a.stop();
  });

  it('says the extension cannot be reached, instead of loading forever, when the background cannot be asked', async () => {
    const { a } = setup('<article><p>We use CMeKG here.</p></article>', { unreachable: true });
    await a.start();
    const badge = document.querySelector('[data-catalog-entry="cmekg"]') as HTMLElement;
    badge.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true }));
    await vi.waitFor(() => expect(card()?.shadowRoot?.textContent).toContain('Reload the page'));
    expect(card()!.shadowRoot!.textContent).not.toContain('Loading');
    // Still named: the title comes with the page's own data.
    expect(cardTitle()).toBe('CMeKG');
    a.stop();
  });

  it('keeps the keyboard in the card when the background cannot be asked, and gives it back to the badge when the mouse closes the card', async () => {
    const { a } = setup('<article><p>We use CMeKG here.</p></article>', { unreachable: true });
    await a.start();
    const badge = document.querySelector('[data-catalog-entry="cmekg"]') as HTMLElement;
    badge.focus();
    key(badge, 'Enter');
    await vi.waitFor(() => expect(card()?.shadowRoot?.textContent).toContain('Reload the page'));
    // The "cannot reach" card replaced the loading one that had focus: focus is in the new one.
    expect(document.activeElement).toBe(card());
    expect(card()!.shadowRoot!.activeElement).not.toBeNull();
    // The pointer passes over the badge and away: the card closes, focus goes back to the badge.
    badge.dispatchEvent(new MouseEvent('mouseover', { bubbles: true }));
    badge.dispatchEvent(new MouseEvent('mouseout', { bubbles: true }));
    await vi.waitFor(() => expect(card()!.hidden).toBe(true));
    expect(document.activeElement).toBe(badge);
    a.stop();
  });

  it('does not reopen the card of a badge the browser focuses again as the page gets focus back (a tab or window switched back to)', async () => {
    const { a } = setup('<article><p>We use CMeKG here.</p></article>');
    await a.start();
    const badge = document.querySelector('[data-catalog-entry="cmekg"]') as HTMLElement;
    // A click opens the card and leaves focus on the badge; the pointer then closes the card.
    badge.focus();
    await vi.waitFor(() => expect(card()?.hidden).toBe(false));
    badge.dispatchEvent(new MouseEvent('mouseout', { bubbles: true }));
    await vi.waitFor(() => expect(card()!.hidden).toBe(true));
    // The page loses focus and gets it back: the browser tells the window first, then the badge.
    badge.dispatchEvent(new FocusEvent('focusout', { bubbles: true, composed: true }));
    window.dispatchEvent(new FocusEvent('blur'));
    window.dispatchEvent(new FocusEvent('focus'));
    badge.dispatchEvent(new FocusEvent('focusin', { bubbles: true, composed: true }));
    await sleep(200);
    expect(card()!.hidden).toBe(true);
    // Focus the reader gives it (Tab, a click) still opens it.
    await sleep(0);
    badge.dispatchEvent(new FocusEvent('focusin', { bubbles: true, composed: true }));
    await vi.waitFor(() => expect(card()!.hidden).toBe(false));
    a.stop();
  });

  it("keeps focus in the card, on the same control, when hovering another badge replaces the card", async () => {
    const { a } = setup('<article><p>We use CMeKG here.</p><p>And PubMedQA there.</p></article>');
    await a.start();
    const first = document.querySelector('[data-catalog-entry="cmekg"]') as HTMLElement;
    const other = document.querySelector('[data-catalog-entry="pubmedqa"]') as HTMLElement;
    first.focus();
    key(first, 'Enter');
    await vi.waitFor(() => expect(cardTitle()).toBe('Title of cmekg'));
    await vi.waitFor(() => expect(card()!.shadowRoot!.activeElement).not.toBeNull());
    (card()!.shadowRoot!.querySelector('[data-k="close"]') as HTMLElement).focus();
    other.dispatchEvent(new MouseEvent('mouseover', { bubbles: true }));
    await vi.waitFor(() => expect(cardTitle()).toBe('Title of pubmedqa'));
    expect(document.activeElement).toBe(card());
    expect(card()!.shadowRoot!.activeElement?.getAttribute('data-k')).toBe('close');
    await sleep(300);
    expect(card()!.hidden).toBe(false);
    a.stop();
  });

  it('keeps a card opened from the keyboard when the pointer only crosses another badge, and closes a hovered one the pointer leaves over another badge', async () => {
    const { a } = setup('<article><p>We use CMeKG here.</p><p>And PubMedQA there.</p></article>');
    await a.start();
    const first = document.querySelector('[data-catalog-entry="cmekg"]') as HTMLElement;
    const other = document.querySelector('[data-catalog-entry="pubmedqa"]') as HTMLElement;
    const cross = async (badge: HTMLElement) => {
      badge.dispatchEvent(new MouseEvent('mouseover', { bubbles: true }));
      await sleep(40);
      badge.dispatchEvent(new MouseEvent('mouseout', { bubbles: true }));
    };
    first.focus();
    key(first, 'Enter');
    await vi.waitFor(() => expect(cardTitle()).toBe('Title of cmekg'));
    await vi.waitFor(() => expect(card()!.shadowRoot!.activeElement).not.toBeNull());
    const control = card()!.shadowRoot!.activeElement?.getAttribute('data-k');
    await cross(other);
    await sleep(400);
    expect(card()!.hidden).toBe(false);
    expect(cardTitle()).toBe('Title of cmekg');
    expect(document.activeElement).toBe(card());
    expect(card()!.shadowRoot!.activeElement?.getAttribute('data-k')).toBe(control);
    // Esc, then a card opened by hovering: the pointer leaves its badge and crosses the other one
    // on its way elsewhere. The card closes, and the crossed badge's card never opens.
    key(card()!.shadowRoot!.activeElement!, 'Escape');
    await vi.waitFor(() => expect(card()!.hidden).toBe(true));
    first.blur();
    first.dispatchEvent(new MouseEvent('mouseover', { bubbles: true }));
    await vi.waitFor(() => expect(card()!.hidden).toBe(false));
    first.dispatchEvent(new MouseEvent('mouseout', { bubbles: true }));
    await cross(other);
    await vi.waitFor(() => expect(card()!.hidden).toBe(true));
    await sleep(200);
    expect(card()!.hidden).toBe(true);
    a.stop();
  });

  it('stays open when it moves from under a still pointer (its arrows step it to another mention), and closes once the pointer moves away', async () => {
    const { a } = setup('<article><p>We use CMeKG here.</p></article>');
    await a.start();
    const badge = document.querySelector('[data-catalog-entry="cmekg"]') as HTMLElement;
    badge.click();
    await vi.waitFor(() => expect(cardTitle()).toBe('Title of cmekg'));
    const host = card()!;
    const mouse = (target: EventTarget, type: string, x: number, y: number) => target.dispatchEvent(new MouseEvent(type, { clientX: x, clientY: y, bubbles: type !== 'mouseleave' }));
    // The pointer rests on the card; the card then moves away from under it (the browser reports the
    // leave at the pointer's unchanged place).
    mouse(host, 'mouseenter', 40, 50);
    mouse(host, 'mousemove', 40, 50);
    mouse(host, 'mouseleave', 40, 50);
    await sleep(400);
    expect(host.hidden).toBe(false);
    // The browser's own move after a layout, at the same place, changes nothing; a real move closes it.
    mouse(document, 'mousemove', 40, 50);
    await sleep(400);
    expect(host.hidden).toBe(false);
    mouse(document, 'mousemove', 300, 400);
    await vi.waitFor(() => expect(host.hidden).toBe(true));
    // A pointer that really leaves closes it as before (once the card's data is in: focus drawn
    // back into a card keeps it open).
    badge.click();
    await vi.waitFor(() => expect(host.hidden).toBe(false));
    await sleep(50);
    mouse(host, 'mouseenter', 40, 50);
    mouse(host, 'mousemove', 40, 50);
    mouse(host, 'mouseleave', 600, 50);
    await vi.waitFor(() => expect(host.hidden).toBe(true));
    a.stop();
  });

  it('draws the card from its cached data once: fresh data that says the same does not draw it again, fresh data that differs does', async () => {
    let favorite = false;
    let loads = 0;
    const ui = directUi({ loadCard: async (id) => (loads++, dataOf(id, favorite)) });
    document.body.innerHTML = '<span id="a">a</span>';
    const a = document.getElementById('a')!;
    const box = () => card()!.shadowRoot!.querySelector('.c');
    ui.open(a, 'x', false);
    await vi.waitFor(() => expect(cardTitle()).toBe('Title of x'));
    ui.close(false);
    // Opened again: drawn at once from the cache; the background's answer, the same, leaves it be
    // (a star under a pressed mouse button, a selection in the card, stay where they are).
    ui.open(a, 'x', false);
    const drawn = box();
    expect(drawn).not.toBeNull();
    await vi.waitFor(() => expect(loads).toBe(2));
    await sleep(0);
    expect(box()).toBe(drawn);
    // Saved elsewhere meanwhile: the fresh data differs and the card is drawn anew.
    ui.close(false);
    favorite = true;
    ui.open(a, 'x', false);
    const again = box();
    await vi.waitFor(() => expect(box()).not.toBe(again));
    expect(card()!.shadowRoot!.querySelector('[aria-pressed]')?.getAttribute('aria-pressed')).toBe('true');
  });

  it('does not pull focus back into the card when its data arrives after the reader moved on', async () => {
    let answer = (_d: CardData) => {};
    const ui = directUi({ loadCard: () => new Promise<CardData>((r) => (answer = r)) });
    document.body.innerHTML = '<p><button id="a">CMeKG</button> <input id="field"></p>';
    const anchor = document.getElementById('a')!;
    anchor.focus();
    ui.open(anchor, 'cmekg', true);
    expect(document.activeElement).toBe(card());
    // Into a field of the page while the card still loads (the pointer rests on the card: it stays open).
    const field = document.getElementById('field') as HTMLInputElement;
    field.focus();
    answer(cardOf('cmekg'));
    await sleep(0);
    await sleep(0);
    expect(cardTitle()).toBe('Title of cmekg');
    expect(document.activeElement).toBe(field);
  });

  it('tells a failed save from the banner on its star, and clears a failed save in the card once the entry is saved elsewhere', async () => {
    let watcher = () => {};
    const savedIds: string[] = [];
    const { a } = setup('<h1>PubMedQA</h1><article><p>About PubMedQA and CMeKG.</p></article>', {
      pageIds: ['arxiv:1909.06146'],
      savedIds,
      onWatch: (fn) => (watcher = fn),
      save: async () => {
        throw new Error('Quota');
      },
    });
    await a.start();
    const bannerStar = document.querySelector('[data-catalog-page]')!.shadowRoot!.querySelector('button.star') as HTMLButtonElement;
    await vi.waitFor(() => expect(bannerStar.textContent).toBe('☆ Save'));
    bannerStar.click();
    await vi.waitFor(() => expect(bannerStar.textContent).toBe('☆ Could not save'));
    expect(bannerStar.getAttribute('aria-pressed')).toBe('false');
    // In the card, the failure is told beside the star; a save made elsewhere then clears it.
    key(document.querySelector('[data-catalog-entry="cmekg"]') as HTMLElement, 'Enter');
    await vi.waitFor(() => expect(cardTitle()).toBe('Title of cmekg'));
    const root = card()!.shadowRoot!;
    const star = root.querySelector('button.star') as HTMLButtonElement;
    const status = root.querySelector('[role=status]') as HTMLElement;
    star.click();
    await vi.waitFor(() => expect(status.textContent).toBe('Could not save'));
    savedIds.push('cmekg', 'pubmedqa');
    watcher();
    await vi.waitFor(() => expect(star.textContent).toBe('★ Saved'), { timeout: 2_000 });
    expect(status.textContent).toBe('');
    await vi.waitFor(() => expect(bannerStar.textContent).toBe('★ Saved'));
  });

  it('keeps the card open and the star focused while a save is pending, and saves once', async () => {
    let finish = () => {};
    const calls: string[] = [];
    const { a } = setup('<article><p>We use CMeKG.</p></article>', {
      save: (id) => new Promise<void>((resolve) => (calls.push(id), (finish = resolve))),
    });
    await a.start();
    key(document.querySelector('[data-catalog-entry="cmekg"]') as HTMLElement, 'Enter');
    await vi.waitFor(() => expect(cardTitle()).toBe('Title of cmekg'));
    const star = card()!.shadowRoot!.querySelector('button.star') as HTMLButtonElement;
    star.focus();
    star.click();
    star.click();
    // Focus stays on the star (a disabled star would lose it, and focus leaving closes the card).
    expect(card()!.shadowRoot!.activeElement).toBe(star);
    expect(star.getAttribute('aria-busy')).toBe('true');
    await new Promise((r) => setTimeout(r, 300));
    expect(card()!.hidden).toBe(false);
    finish();
    await vi.waitFor(() => expect(star.getAttribute('aria-pressed')).toBe('true'));
    expect(star.hasAttribute('aria-busy')).toBe(false);
    expect(calls).toEqual(['cmekg']);
  });

  it('says a failed save beside the star, and clears it once a save succeeds', async () => {
    let fail = true;
    const { a } = setup('<article><p>We use CMeKG.</p></article>', {
      save: async () => {
        if (fail) throw new Error('Quota');
      },
    });
    await a.start();
    key(document.querySelector('[data-catalog-entry="cmekg"]') as HTMLElement, 'Enter');
    await vi.waitFor(() => expect(cardTitle()).toBe('Title of cmekg'));
    const root = card()!.shadowRoot!;
    const star = root.querySelector('button.star') as HTMLButtonElement;
    const status = root.querySelector('[role=status]') as HTMLElement;
    // In the star's own row, and empty until there is something to say.
    expect(status.parentElement).toBe(star.parentElement);
    expect(status.textContent).toBe('');
    star.click();
    await vi.waitFor(() => expect(status.textContent).toBe('Could not save'));
    expect(star.getAttribute('aria-pressed')).toBe('false');
    fail = false;
    star.click();
    await vi.waitFor(() => expect(star.getAttribute('aria-pressed')).toBe('true'));
    expect(star.textContent).toBe('★ Saved');
    expect(status.textContent).toBe('');
  });

  it("counts and restyles only its own badges: a page's look-alike cmed-badge, with a shadow root and a sheet of its own, is left alone", async () => {
    const { a } = setup('<article><p>PubMedQA first.</p><p>PubMedQA again.</p></article>', { savedIds: ['pubmedqa'] });
    const fake = document.createElement('cmed-badge');
    fake.setAttribute('data-catalog-entry', 'pubmedqa');
    const pageSheet = new CSSStyleSheet();
    pageSheet.replaceSync('.page-own { color: red; }');
    fake.attachShadow({ mode: 'open' }).adoptedStyleSheets = [pageSheet];
    document.body.prepend(fake);
    await a.start();
    const ours = [...document.querySelectorAll<HTMLElement>('cmed-badge[data-cmed-ui][data-catalog-entry="pubmedqa"]')];
    expect(ours).toHaveLength(2);
    const rules = (sheet: CSSStyleSheet | undefined) => Array.from(sheet?.cssRules ?? [], (r) => r.cssText).join(' ');
    // The saved star goes into our badges' sheet, not the page's.
    await vi.waitFor(() => expect(rules(ours[0].shadowRoot?.adoptedStyleSheets?.[0])).toContain('★'), { timeout: 4_000 });
    expect(rules(pageSheet)).not.toContain('★');
    expect(rules(pageSheet)).toContain('page-own');
    key(ours[0], 'Enter');
    await vi.waitFor(() => expect(cardTitle()).toBe('Title of pubmedqa'));
    await vi.waitFor(() => expect(card()!.shadowRoot!.querySelector('.n')?.textContent).toBe('‹1 of 2›'));
    card()!.shadowRoot!.querySelector<HTMLButtonElement>('[data-k="next"]')!.click();
    await vi.waitFor(() => expect(ours[1].getAttribute('aria-expanded')).toBe('true'));
    card()!.shadowRoot!.querySelector<HTMLButtonElement>('[data-k="next"]')!.click();
    await vi.waitFor(() => expect(ours[0].getAttribute('aria-expanded')).toBe('true'));
    expect(fake.hasAttribute('aria-expanded')).toBe(false);
  });

  it("steps through the entry's mentions on the page from the card, round the ends, keeping focus on the arrow", async () => {
    const { a } = setup(
      '<article><p>PubMedQA first.</p><p>Then CMeKG.</p><details><summary>More</summary><p>PubMedQA, folded away.</p></details><p>PubMedQA again.</p><p>And PubMedQA once more.</p></article>',
    );
    // happy-dom lays nothing out: a badge inside a closed <details> is what the page does not show.
    vi.spyOn(HTMLElement.prototype, 'checkVisibility').mockImplementation(function (this: Element) {
      return !this.closest('details:not([open])');
    });
    const scrolled: Element[] = [];
    vi.spyOn(HTMLElement.prototype, 'scrollIntoView').mockImplementation(function (this: Element) {
      scrolled.push(this);
    });
    await a.start();
    const marks = [...document.querySelectorAll<HTMLElement>('[data-catalog-entry="pubmedqa"]')];
    expect(marks).toHaveLength(4);
    const shown = [marks[0], marks[2], marks[3]];
    const root = () => card()!.shadowRoot!;
    const position = () => root().querySelector('.n')?.textContent ?? null;
    key(marks[0], 'Enter');
    await vi.waitFor(() => expect(cardTitle()).toBe('Title of pubmedqa'));
    expect(position()).toBe('‹1 of 3›');
    const next = () => root().querySelector<HTMLButtonElement>('[data-k="next"]')!;
    next().click();
    await vi.waitFor(() => expect(shown[1].getAttribute('aria-expanded')).toBe('true'));
    expect(marks[0].getAttribute('aria-expanded')).toBe('false');
    expect(scrolled).toEqual([shown[1]]);
    expect(position()).toBe('‹2 of 3›');
    // What a screen reader hears with the arrow: where the card now stands.
    expect(root().getElementById(next().getAttribute('aria-describedby')!)?.textContent).toBe('2 of 3');
    // After the card's data comes back (a second render), the keyboard is still on the arrow.
    await new Promise((r) => setTimeout(r, 50));
    expect(root().activeElement).toBe(next());
    next().click();
    await vi.waitFor(() => expect(position()).toBe('‹3 of 3›'));
    next().click();
    await vi.waitFor(() => expect(position()).toBe('‹1 of 3›'));
    expect(shown[0].getAttribute('aria-expanded')).toBe('true');
    root().querySelector<HTMLButtonElement>('[data-k="prev"]')!.click();
    await vi.waitFor(() => expect(position()).toBe('‹3 of 3›'));
    expect(scrolled).toEqual([shown[1], shown[2], shown[0], shown[2]]);
    expect(card()!.hidden).toBe(false);
    // An entry named once has no arrows.
    key(document.querySelector('[data-catalog-entry="cmekg"]') as HTMLElement, 'Enter');
    await vi.waitFor(() => expect(cardTitle()).toBe('Title of cmekg'));
    expect(root().querySelector('.n')).toBeNull();
  });

  it('stars the badges of saved entries through the sheet they share, and follows saves and removals made elsewhere', async () => {
    const { a } = setup('<article><p>We use CMeKG and PubMedQA.</p></article>', { savedIds: ['cmekg', 'yidu-s4k'], favorite: (id) => id === 'pubmedqa' });
    await a.start();
    const badge = (id: string) => document.querySelector(`[data-catalog-entry="${id}"]`) as HTMLElement;
    // The badges' one shared sheet, once placement has drawn them (the card module loads while idle).
    const sheet = () => badge('cmekg').shadowRoot?.adoptedStyleSheets?.[0];
    const starred = () => {
      const rules = Array.from(sheet()?.cssRules ?? []).map((r) => r.cssText).join(' ');
      return ['cmekg', 'pubmedqa', 'yidu-s4k'].filter((id) => rules.includes(`"${id}"`) && rules.includes('★'));
    };
    await vi.waitFor(() => expect(starred()).toEqual(['cmekg', 'yidu-s4k']), { timeout: 4_000 });
    expect(badge('pubmedqa').shadowRoot!.adoptedStyleSheets[0]).toBe(sheet());
    // Opening a card reads the favorite state afresh: PubMedQA was saved elsewhere meanwhile.
    key(badge('pubmedqa'), 'Enter');
    await vi.waitFor(() => expect(starred()).toEqual(['cmekg', 'pubmedqa', 'yidu-s4k']));
    // …and CMeKG was removed elsewhere.
    key(badge('cmekg'), 'Enter');
    await vi.waitFor(() => expect(starred()).toEqual(['pubmedqa', 'yidu-s4k']));
    // The badges' own rules stay.
    expect(Array.from(sheet()!.cssRules).some((r) => r.cssText.startsWith('.k'))).toBe(true);
  });

  it('keeps the stars when the background cannot tell whether an entry is saved (favorites unreadable for now)', async () => {
    const { a } = setup('<article><p>We use CMeKG and PubMedQA.</p></article>', { savedIds: ['cmekg'], favorite: () => null });
    await a.start();
    const badge = (id: string) => document.querySelector(`[data-catalog-entry="${id}"]`) as HTMLElement;
    const starred = () => {
      const rules = Array.from(badge('cmekg').shadowRoot?.adoptedStyleSheets?.[0]?.cssRules ?? []).map((r) => r.cssText).join(' ');
      return ['cmekg', 'pubmedqa'].filter((id) => rules.includes(`"${id}"`) && rules.includes('★'));
    };
    await vi.waitFor(() => expect(starred()).toEqual(['cmekg']), { timeout: 4_000 });
    key(badge('cmekg'), 'Enter');
    await vi.waitFor(() => expect(cardTitle()).toBe('Title of cmekg'));
    await sleep(50);
    const star = card()!.shadowRoot!.querySelector('[data-k="star"]')!;
    expect(star.getAttribute('aria-pressed')).toBe('true');
    expect(starred()).toEqual(['cmekg']);
    key(badge('pubmedqa'), 'Enter');
    await vi.waitFor(() => expect(cardTitle()).toBe('Title of pubmedqa'));
    await sleep(50);
    expect(card()!.shadowRoot!.querySelector('[data-k="star"]')!.getAttribute('aria-pressed')).toBe('false');
    expect(starred()).toEqual(['cmekg']);
    a.stop();
  });

  it('follows favorites changed elsewhere without a card being opened', async () => {
    const saved = ['cmekg'];
    let changed = () => {};
    const { a } = setup('<article><p>We use CMeKG and PubMedQA.</p></article>', { savedIds: saved, onWatch: (fn) => (changed = fn) });
    await a.start();
    const rules = () =>
      Array.from(document.querySelector('[data-catalog-entry="cmekg"]')?.shadowRoot?.adoptedStyleSheets?.[0]?.cssRules ?? [])
        .map((r) => r.cssText)
        .join(' ');
    await vi.waitFor(() => expect(rules()).toContain('"cmekg"'), { timeout: 4_000 });
    // Removed in the popup, PubMedQA saved on another device: storage says so, several keys at once.
    saved.splice(0, 1, 'pubmedqa');
    changed();
    changed();
    await vi.waitFor(() => expect(rules()).toContain('"pubmedqa"'));
    expect(rules()).not.toContain('"cmekg"');
    // Nothing saved any more: the badges' own rules alone.
    saved.length = 0;
    changed();
    await vi.waitFor(() => expect(rules()).not.toContain('★'));
    expect(rules()).toContain('.k');
  });

  it("says in the labels of a saved entry's badges that it is saved, on badges of later passes too, and takes it back on removal", async () => {
    const saved = ['cmekg'];
    let changed = () => {};
    const { a } = setup('<article><p>We use CMeKG and PubMedQA.</p></article>', { savedIds: saved, onWatch: (fn) => (changed = fn) });
    await a.start();
    const labels = (id: string) => Array.from(document.querySelectorAll(`cmed-badge[data-catalog-entry="${id}"]`), (b) => b.getAttribute('aria-label'));
    const [cmekg, pubmedqa] = ['cmekg', 'pubmedqa'].map((id) => catalog.find((e) => e.id === id)!.title);
    await vi.waitFor(() => expect(labels('cmekg')).toEqual([`Lens: ${cmekg} (Knowledge graph), saved`]), { timeout: 4_000 });
    expect(labels('pubmedqa')).toEqual([`Lens: ${pubmedqa} (Dataset)`]);
    // Content that arrives later: the content script labels its badges unsaved, the module relabels them after that pass.
    const p = document.createElement('p');
    p.textContent = 'CMeKG again, and PubMedQA again.';
    document.querySelector('article')!.append(p);
    await vi.waitFor(() => expect(labels('cmekg')).toEqual([`Lens: ${cmekg} (Knowledge graph), saved`, `Lens: ${cmekg} (Knowledge graph), saved`]));
    expect(labels('pubmedqa')).toEqual([`Lens: ${pubmedqa} (Dataset)`, `Lens: ${pubmedqa} (Dataset)`]);
    // Removed elsewhere, PubMedQA saved: every label follows.
    saved.splice(0, 1, 'pubmedqa');
    changed();
    await vi.waitFor(() => expect(labels('pubmedqa')).toEqual([`Lens: ${pubmedqa} (Dataset), saved`, `Lens: ${pubmedqa} (Dataset), saved`]));
    expect(labels('cmekg')).toEqual([`Lens: ${cmekg} (Knowledge graph)`, `Lens: ${cmekg} (Knowledge graph)`]);
    saved.length = 0;
    changed();
    await vi.waitFor(() => expect(labels('pubmedqa')).toEqual([`Lens: ${pubmedqa} (Dataset)`, `Lens: ${pubmedqa} (Dataset)`]));
  });

  it('keeps the badges when the module cannot load, and tries again at the next need', async () => {
    let fail = true;
    const tries: number[] = [];
    const { a } = setup('<article><p>We evaluate on PubMedQA.</p></article>', {
      loadUi: async (factory) => {
        tries.push(1);
        if (fail) throw new Error('No background');
        return factory;
      },
    });
    await a.start();
    const badge = document.querySelector('[data-catalog-entry="pubmedqa"]') as HTMLElement;
    badge.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true }));
    await vi.waitFor(() => expect(a.lastError).toMatch(/No background/));
    expect(card()).toBeNull();
    expect(document.querySelectorAll('[data-catalog-entry]')).toHaveLength(1);
    fail = false;
    badge.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true }));
    await vi.waitFor(() => expect(cardTitle()).toBe('Title of pubmedqa'));
    expect(tries.length).toBeGreaterThanOrEqual(2);
  });
});

describe('card module: language', () => {
  it("marks the card and the banner with the extension's language, which may not be the page's", async () => {
    document.documentElement.lang = 'en';
    document.body.innerHTML = '<h1>Title</h1><article><p>x</p></article>';
    const badge = document.createElement('button');
    document.body.append(badge);
    const ui = directUi({ strings: { card_lang: 'zh-CN', card_save: '收藏', card_saved: '已收藏', card_details: '详情' } });
    ui.open(badge, 'cmekg', false);
    expect(card()!.lang).toBe('zh-CN');
    ui.banner(document.querySelector('h1')!, 'cmekg');
    expect((document.querySelector('[data-catalog-page]') as HTMLElement).lang).toBe('zh-CN');
  });
});

describe('card module: stars, Esc, focus, placement and pending saves', () => {
  it("keeps the banner's star in step with favorites changed elsewhere", async () => {
    let saved = ['x'];
    let changed = () => {};
    const ui = directUi({
      loadCard: async (id) => dataOf(id, saved.includes(id)),
      savedIds: async () => [...saved],
      watchSaved: (fn) => ((changed = fn), () => undefined),
    });
    document.body.innerHTML = '<h1>T</h1>';
    const star = ui.banner(document.querySelector('h1')!, 'x').shadowRoot!.querySelector('button.star')!;
    await vi.waitFor(() => expect(star.getAttribute('aria-pressed')).toBe('true'));
    // Removed in the popup.
    saved = [];
    changed();
    await vi.waitFor(() => expect(star.getAttribute('aria-pressed')).toBe('false'), { timeout: 1_000 });
    expect(star.textContent).toBe('☆ Save');
    // Saved again in another tab.
    saved = ['x'];
    changed();
    await vi.waitFor(() => expect(star.getAttribute('aria-pressed')).toBe('true'), { timeout: 1_000 });
  });

  it("keeps an open card's star and its cached data in step with favorites changed elsewhere", async () => {
    let saved = ['x'];
    let changed = () => {};
    let loads = 0;
    const ui = directUi({
      // The second load never answers: the card is then drawn from what the module cached.
      loadCard: (id) => (loads++ ? new Promise<never>(() => undefined) : Promise.resolve(dataOf(id, saved.includes(id)))),
      savedIds: async () => [...saved],
      watchSaved: (fn) => ((changed = fn), () => undefined),
    });
    document.body.innerHTML = '<span id="a">a</span>';
    const a = document.getElementById('a')!;
    const star = () => card()!.shadowRoot!.querySelector('button.star');
    ui.open(a, 'x', false);
    await vi.waitFor(() => expect(star()?.getAttribute('aria-pressed')).toBe('true'));
    saved = [];
    changed();
    await vi.waitFor(() => expect(star()!.getAttribute('aria-pressed')).toBe('false'), { timeout: 1_000 });
    ui.close(false);
    ui.open(a, 'x', false);
    expect(loads).toBe(2);
    expect(star()!.getAttribute('aria-pressed')).toBe('false');
  });

  it('closes a card opened by hovering on Escape pressed anywhere, leaving focus where it is, and leaves Escape to the page when no card is open', async () => {
    const { a } = setup('<article><p>We use CMeKG. <input id="field"></p></article>');
    await a.start();
    const field = document.getElementById('field') as HTMLInputElement;
    field.focus();
    const esc = (isComposing = false) => {
      const e = new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, cancelable: true, composed: true, isComposing });
      field.dispatchEvent(e);
      return e;
    };
    // No card open: the page's own Escape is left alone.
    expect(esc().defaultPrevented).toBe(false);
    const badge = document.querySelector('[data-catalog-entry="cmekg"]') as HTMLElement;
    badge.dispatchEvent(new MouseEvent('mouseover', { bubbles: true }));
    await vi.waitFor(() => expect(cardTitle()).toBe('Title of cmekg'));
    expect(card()!.hidden).toBe(false);
    // Esc that ends an input method's composition in the field is the field's.
    expect(esc(true).defaultPrevented).toBe(false);
    expect(card()!.hidden).toBe(false);
    esc();
    expect(card()!.hidden).toBe(true);
    expect(badge.getAttribute('aria-expanded')).toBe('false');
    expect(document.activeElement).toBe(field);
    expect(esc().defaultPrevented).toBe(false);
  });

  it("moves focus into the card on Enter from the banner's Details button", async () => {
    // happy-dom 21 throws reading a shadow root's activeElement while focus is in another shadow
    // tree; browsers answer null. As browsers do, here: focus is in a shadow tree when its host
    // is on the path from the document's focused element down through the shadow roots on it.
    const get = Object.getOwnPropertyDescriptor(ShadowRoot.prototype, 'activeElement')!.get!;
    vi.spyOn(ShadowRoot.prototype, 'activeElement', 'get').mockImplementation(function (this: ShadowRoot) {
      for (let e: Element | null = document.activeElement; e; e = e.shadowRoot ? (get.call(e.shadowRoot) as Element | null) : null) {
        if (e === this.host) return get.call(this) as Element | null;
      }
      return null;
    });
    const ui = directUi({ loadCard: async (id) => dataOf(id, false) });
    document.body.innerHTML = '<h1>T</h1>';
    const b = ui.banner(document.querySelector('h1')!, 'x');
    const details = [...b.shadowRoot!.querySelectorAll('button')].find((x) => !x.classList.contains('star'))!;
    expect(details.textContent).toBe('Details');
    details.focus();
    key(details, 'Enter');
    await vi.waitFor(() => expect(cardTitle()).toBe('Title of x'));
    await sleep(50);
    expect(document.activeElement).toBe(card());
    expect(card()!.shadowRoot!.activeElement?.getAttribute('role')).toBe('dialog');
  });

  it('leaves nothing running when it arrives after the script has stopped (a newer copy took over meanwhile)', async () => {
    const stop = new AbortController();
    stop.abort();
    let unwatched = 0;
    const observe = vi.spyOn(PerformanceObserver.prototype, 'observe');
    const disconnect = vi.spyOn(PerformanceObserver.prototype, 'disconnect');
    createUi(uiHost({ signal: stop.signal, savedIds: async () => ['cmekg'], watchSaved: () => () => void unwatched++ }));
    expect(unwatched).toBe(1);
    expect(disconnect.mock.calls.length).toBe(observe.mock.calls.length);
  });

  it('closes a card opened from the banner when the page takes the banner away (a soft navigation)', async () => {
    const { a } = setup('<main><h1>PubMedQA</h1><article><p>About PubMedQA.</p></article></main>', { pageIds: ['arxiv:1909.06146'] });
    await a.start();
    const b = document.querySelector('[data-catalog-page]')!;
    const details = [...b.shadowRoot!.querySelectorAll('button')].find((x) => !x.classList.contains('star'))!;
    details.click();
    await vi.waitFor(() => expect(cardTitle()).toBe('Title of pubmedqa'));
    await sleep(100);
    expect(card()!.hidden).toBe(false);
    // The page swaps its content: the banner goes with the old view, and so does its card.
    document.querySelector('main')!.innerHTML = '<article><p>Another page.</p></article>';
    await vi.waitFor(() => expect(card()!.hidden).toBe(true));
    expect(document.querySelector('[data-catalog-page]')).toBeNull();
  });

  it("takes focus into the card on a click of the banner's Details with no pointer behind it (a screen reader), not on a mouse click", async () => {
    const { a } = setup('<main><h1>PubMedQA</h1><article><p>About PubMedQA.</p></article></main>', { pageIds: ['arxiv:1909.06146'] });
    await a.start();
    const b = document.querySelector('[data-catalog-page]')!;
    const details = [...b.shadowRoot!.querySelectorAll('button')].find((x) => !x.classList.contains('star'))!;
    details.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true, detail: 1 }));
    await vi.waitFor(() => expect(cardTitle()).toBe('Title of pubmedqa'));
    await sleep(50);
    expect(document.activeElement).not.toBe(card());
    (document.activeElement as HTMLElement | null)?.blur();
    details.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true, detail: 0 }));
    await vi.waitFor(() => expect(document.activeElement).toBe(card()));
    expect(card()!.shadowRoot!.activeElement?.getAttribute('role')).toBe('dialog');
  });

  it('takes focus into the card on a click with no pointer behind it (a screen reader activating the badge), not on a mouse click', async () => {
    const { a } = setup('<article><p>We use CMeKG and PubMedQA.</p></article>');
    await a.start();
    const mouse = document.querySelector('[data-catalog-entry="pubmedqa"]') as HTMLElement;
    mouse.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true, detail: 1 }));
    await vi.waitFor(() => expect(cardTitle()).toBe('Title of pubmedqa'));
    expect(document.activeElement).not.toBe(card());
    const badge = document.querySelector('[data-catalog-entry="cmekg"]') as HTMLElement;
    badge.focus();
    badge.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true, detail: 0 }));
    await vi.waitFor(() => expect(cardTitle()).toBe('Title of cmekg'));
    await vi.waitFor(() => expect(document.activeElement).toBe(card()));
    expect(card()!.shadowRoot!.activeElement?.getAttribute('role')).toBe('dialog');
  });

  describe('with a 300px high viewport', () => {
    afterEach(() => void delete (document.documentElement as unknown as Record<string, unknown>).clientHeight);
    const viewport = (height: number) => Object.defineProperty(document.documentElement, 'clientHeight', { configurable: true, value: height });
    const rect = (top: number, height = 12) => ({ left: 100, right: 120, top, bottom: top + height, width: 20, height, x: 100, y: top }) as DOMRect;
    /** The card's top edge (happy-dom lays nothing out: the card is taken as 200px high). */
    const top = () => parseFloat(card()!.style.getPropertyValue('--cmed-top'));

    it('puts a card that fits neither below nor above its anchor on the side with more room, capped to it, clear of the anchor', () => {
      viewport(300);
      const ui = directUi({ loadCard: async (id) => dataOf(id, false) });
      document.body.innerHTML = '<span id="a">a</span><span id="b">b</span>';
      const a = document.getElementById('a')!;
      vi.spyOn(a, 'getBoundingClientRect').mockReturnValue(rect(140));
      ui.open(a, 'x', false);
      // 134px below the anchor (140–152) and 126 above it: below, from 6px under the anchor to 8px above the viewport's bottom.
      const cap = () => card()!.style.getPropertyValue('--cmed-mh');
      expect(top()).toBe(158);
      expect(cap()).toBe('134px');
      expect(UI_CSS.card).toContain('max-height:min(420px,calc(var(--cmed-vh,100vh) - 16px),var(--cmed-mh,420px))');
      // Lower in the viewport (104px below, 156 above): above, ending 6px over the anchor.
      const b = document.getElementById('b')!;
      vi.spyOn(b, 'getBoundingClientRect').mockReturnValue(rect(170));
      ui.open(b, 'y', false);
      expect(cap()).toBe('156px');
      expect(top()).toBe(8);
      // Where the card fits below, the cap goes again.
      viewport(600);
      ui.reposition();
      expect(cap()).toBe('');
      expect(top()).toBe(188);
    });

    it('keeps the whole card, with its Save row, in a viewport too short to leave it room on either side of its anchor', () => {
      viewport(240);
      const ui = directUi({ loadCard: async (id) => dataOf(id, false) });
      document.body.innerHTML = '<span id="a">a</span>';
      const a = document.getElementById('a')!;
      vi.spyOn(a, 'getBoundingClientRect').mockReturnValue(rect(110));
      ui.open(a, 'x', false);
      expect(card()!.style.getPropertyValue('--cmed-mh')).toBe('');
      expect(top()).toBe(32);
    });

    it('closes the card when its anchor scrolls out of the viewport, handing focus back to the anchor only from inside the card', () => {
      viewport(300);
      const ui = directUi({ loadCard: async (id) => dataOf(id, false) });
      document.body.innerHTML = '<span id="a" tabindex="0">a</span><input id="field">';
      const a = document.getElementById('a')!;
      const field = document.getElementById('field')!;
      const box = vi.spyOn(a, 'getBoundingClientRect').mockReturnValue(rect(40));
      // Opened by hovering, focus in the page.
      field.focus();
      ui.open(a, 'x', false);
      ui.reposition();
      expect(ui.isOpen()).toBe(true);
      expect(top()).toBe(58);
      box.mockReturnValue(rect(-30));
      ui.reposition();
      expect(ui.isOpen()).toBe(false);
      expect(document.activeElement).toBe(field);
      // Opened from the keyboard, focus in the card: it goes back to the anchor, not to the page's body.
      box.mockReturnValue(rect(40));
      ui.open(a, 'x', true);
      expect(document.activeElement).toBe(card());
      box.mockReturnValue(rect(310));
      ui.reposition();
      expect(ui.isOpen()).toBe(false);
      expect(document.activeElement).toBe(a);
    });

    it("caps the card's size by the viewport without its scrollbars, which 100vw and 100vh would count", () => {
      viewport(300);
      Object.defineProperty(document.documentElement, 'clientWidth', { configurable: true, value: 345 });
      try {
        const ui = directUi({ loadCard: async (id) => dataOf(id, false) });
        document.body.innerHTML = '<span id="a">a</span>';
        const a = document.getElementById('a')!;
        vi.spyOn(a, 'getBoundingClientRect').mockReturnValue(rect(40));
        ui.open(a, 'x', false);
        expect([card()!.style.getPropertyValue('--cmed-vw'), card()!.style.getPropertyValue('--cmed-vh')]).toEqual(['345px', '300px']);
        expect(UI_CSS.card).toContain('width:min(360px,calc(var(--cmed-vw,100vw) - 16px))');
        expect(UI_CSS.card).toContain('max-height:min(420px,calc(var(--cmed-vh,100vh) - 16px),');
      } finally {
        delete (document.documentElement as unknown as Record<string, unknown>).clientWidth;
      }
    });

    it('measures the viewport on the body in a page in quirks mode, where the root is as tall as the document', () => {
      const set = (o: object, k: string, v: unknown) => Object.defineProperty(o, k, { configurable: true, value: v });
      set(document, 'compatMode', 'BackCompat');
      set(document.documentElement, 'clientHeight', 5000);
      set(document.body, 'clientHeight', 300);
      try {
        const ui = directUi({ loadCard: async (id) => dataOf(id, false) });
        document.body.innerHTML = '<span id="a">a</span>';
        const a = document.getElementById('a')!;
        vi.spyOn(a, 'getBoundingClientRect').mockReturnValue(rect(250));
        ui.open(a, 'x', false);
        // 200px high, it does not fit below a mention 250px down a 300px window: it goes above.
        expect(top() + 200).toBeLessThanOrEqual(300 - 8);
        expect(card()!.style.getPropertyValue('--cmed-vh')).toBe('300px');
      } finally {
        for (const [o, k] of [[document, 'compatMode'], [document.documentElement, 'clientHeight'], [document.body, 'clientHeight']] as const) delete (o as unknown as Record<string, unknown>)[k];
      }
    });

    it('closes the card, rather than moving it to the corner, when the page stops drawing its anchor (a part hidden on resize)', () => {
      viewport(300);
      const ui = directUi({ loadCard: async (id) => dataOf(id, false) });
      document.body.innerHTML = '<span id="a" tabindex="0">a</span>';
      const a = document.getElementById('a')!;
      const box = vi.spyOn(a, 'getBoundingClientRect').mockReturnValue(rect(120));
      ui.open(a, 'x', false);
      ui.reposition();
      expect(ui.isOpen()).toBe(true);
      // display: none on a part of the page around it: the browser gives an empty box at 0, 0.
      box.mockReturnValue({ left: 0, right: 0, top: 0, bottom: 0, width: 0, height: 0, x: 0, y: 0 } as DOMRect);
      ui.reposition();
      expect(ui.isOpen()).toBe(false);
    });

    it('keeps a card opened on a mention out of view (the page scrolling to a focused badge) open until the mention has been in view', () => {
      viewport(300);
      const ui = directUi({ loadCard: async (id) => dataOf(id, false) });
      document.body.innerHTML = '<span id="a" tabindex="0">a</span>';
      const a = document.getElementById('a')!;
      const box = vi.spyOn(a, 'getBoundingClientRect').mockReturnValue(rect(900));
      // Tab reached a badge below the view: the card opens before the browser's (smooth) scroll to it ends.
      ui.open(a, 'x', false);
      ui.reposition();
      expect(ui.isOpen()).toBe(true);
      box.mockReturnValue(rect(500));
      ui.reposition();
      expect(ui.isOpen()).toBe(true);
      // In view, then scrolled away: now it closes.
      box.mockReturnValue(rect(120));
      ui.reposition();
      expect(ui.isOpen()).toBe(true);
      box.mockReturnValue(rect(-40));
      ui.reposition();
      expect(ui.isOpen()).toBe(false);
    });
  });

  it('stars the badges of saved entries that are drawn after the first few seconds', async () => {
    // The module's timers run on a fake clock (the annotator's frames and events do not).
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { a } = setup('<h1>PubMedQA</h1><article><p>Nothing from the list yet.</p></article>', { pageIds: ['arxiv:1909.06146'], savedIds: ['cmekg'] });
    await a.start();
    // The banner brought the card module in; there is no badge, so no badge sheet, for a while.
    expect(document.querySelectorAll('[data-catalog-page]')).toHaveLength(1);
    expect(document.querySelectorAll('cmed-badge')).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(3_000);
    // Content that arrives later: a pass, then its badges drawn.
    const p = document.createElement('p');
    p.textContent = 'We use CMeKG.';
    document.querySelector('article')!.append(p);
    const rules = () =>
      Array.from(document.querySelector('cmed-badge[data-catalog-entry="cmekg"]')?.shadowRoot?.adoptedStyleSheets?.[0]?.cssRules ?? [], (r) => r.cssText).join(' ');
    await vi.waitFor(async () => (await vi.advanceTimersByTimeAsync(20), expect(rules()).toContain('.k')));
    await vi.advanceTimersByTimeAsync(600);
    expect(rules()).toContain('★');
    expect(rules()).toContain('"cmekg"');
  });

  it("says a save's outcome in the card drawn anew while the save was pending", async () => {
    let fail: (e: Error) => void = () => {};
    let succeed: () => void = () => {};
    let fresh: (d: CardData) => void = () => {};
    let n = 0;
    const ui = directUi({
      loadCard: (id) => (n++ ? new Promise<CardData>((r) => (fresh = r)) : Promise.resolve(dataOf(id, false))),
      save: () => new Promise((resolve, reject) => ((fail = reject), (succeed = () => resolve(undefined)))),
    });
    document.body.innerHTML = '<span id="a">a</span>';
    const a = document.getElementById('a')!;
    const root = () => card()!.shadowRoot!;
    const star = () => root().querySelector<HTMLButtonElement>('button.star')!;
    ui.open(a, 'x', true);
    await vi.waitFor(() => expect(root().querySelector('button.star')).not.toBeNull());
    ui.close(false);
    ui.open(a, 'x', true);
    star().click();
    expect(star().getAttribute('aria-busy')).toBe('true');
    // Fresh data draws the card anew: its new star still says a save is under way.
    fresh(dataOf('x', false));
    await vi.waitFor(() => expect(n).toBe(2));
    await sleep(0);
    expect(star().getAttribute('aria-busy')).toBe('true');
    fail(new Error('quota'));
    await sleep(0);
    expect(root().querySelector('[role=status]')!.textContent).toBe('Could not save');
    expect(star().hasAttribute('aria-busy')).toBe(false);
    // Again, and this time it succeeds while the card is drawn anew.
    ui.close(false);
    ui.open(a, 'x', true);
    star().click();
    fresh(dataOf('x', false));
    await sleep(0);
    succeed();
    await sleep(0);
    expect(star().getAttribute('aria-pressed')).toBe('true');
    expect(star().hasAttribute('aria-busy')).toBe(false);
  });
});
