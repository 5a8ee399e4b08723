/**
 * What the annotator puts on a page, in plain DOM (no framework in the content script).
 * Each piece is a light-DOM element marked `data-cmed-ui` whose visuals live in a shadow
 * root, so page CSS can neither break them nor be broken by them.
 */
import type { Kind } from '../catalog/types';
import type { CardData } from './types';

export type Strings = Record<string, string>;

/**
 * The stylesheets of what we insert. They come from the background with the card strings
 * (utils/annotator/styles.ts) rather than living in the content script, which ships on every page.
 */
export interface UiCss {
  badge: string;
  banner: string;
  card: string;
  /** The document-level sheet: it styles our highlight and nothing else. */
  highlight: string;
}

/** Marks every element we insert (SKIP_SELECTOR skips it; Turbo drops it from its page cache). */
export function markOurs(el: Element): void {
  el.setAttribute('data-cmed-ui', '');
  el.setAttribute('data-turbo-temporary', '');
}

/** Message key of a kind's label (message names allow only letters, digits and underscores). */
export function kindKey(kind: string): string {
  return `card_kind_${kind.replace(/-/g, '_')}`;
}

export function str(strings: Strings, key: string, ...subs: (string | number)[]): string {
  const s = strings[key] ?? key;
  return subs.length ? s.replace(/\$(\d)/g, (_, n: string) => String(subs[Number(n) - 1] ?? '')) : s;
}

const KIND_SHORT: Record<Kind, string> = {
  dataset: 'D',
  evaluation: 'E',
  paper: 'P',
  'knowledge-graph': 'KG',
  corpus: 'C',
  model: 'M',
  tool: 'T',
  product: 'PR',
  article: 'A',
  'resource-list': 'L',
};

const BRAND = '#0b6e66';
const MARK_SVG =
  '<svg viewBox="0 0 12 12" aria-hidden="true" focusable="false"><circle cx="6" cy="6" r="6" fill="currentColor"/>' +
  '<path d="M5 2.5h2V5h2.5v2H7v2.5H5V7H2.5V5H5z" fill="var(--cmed-bg,' + BRAND + ')"/></svg>';

const sheets = new Map<string, CSSStyleSheet | null>();

/** One constructed sheet per CSS text, shared by every shadow root; a <style> where constructed sheets are missing. */
function adoptCss(root: ShadowRoot, css: string): void {
  let sheet = sheets.get(css);
  if (sheet === undefined) {
    sheet = null;
    try {
      if (typeof CSSStyleSheet === 'function' && 'adoptedStyleSheets' in root) {
        const s = new CSSStyleSheet();
        s.replaceSync(css);
        sheet = s;
      }
    } catch {
      sheet = null;
    }
    sheets.set(css, sheet);
  }
  if (sheet) root.adoptedStyleSheets = [sheet];
  else {
    const style = root.ownerDocument.createElement('style');
    style.textContent = css;
    root.append(style);
  }
}

function shadowOf(host: HTMLElement, css: string): ShadowRoot {
  const root = host.attachShadow({ mode: 'open' });
  adoptCss(root, css);
  return root;
}

let badgeTemplate: DocumentFragment | null = null;

/** `<cmed-badge data-catalog-entry>`: brand mark + kind, focusable; zero-size host, visual placed by the annotator. */
export function createBadge(doc: Document, entryId: string, title: string, kind: Kind | undefined, strings: Strings, css: string): HTMLElement {
  const host = doc.createElement('cmed-badge');
  markOurs(host);
  host.setAttribute('data-catalog-entry', entryId);
  host.setAttribute('tabindex', '0');
  host.setAttribute('role', 'button');
  host.setAttribute('aria-haspopup', 'dialog');
  host.setAttribute('aria-expanded', 'false');
  const kindLabel = kind ? str(strings, kindKey(kind)) : '';
  host.setAttribute('aria-label', str(strings, 'card_badge_label', title, kindLabel));
  const root = shadowOf(host, css);
  if (!badgeTemplate || badgeTemplate.ownerDocument !== doc) {
    const span = doc.createElement('span');
    span.className = 'b';
    span.innerHTML = MARK_SVG + '<span class="k"></span>';
    badgeTemplate = doc.createDocumentFragment();
    badgeTemplate.append(span);
  }
  const frag = badgeTemplate.cloneNode(true) as DocumentFragment;
  (frag.querySelector('.k') as HTMLElement).textContent = kind ? KIND_SHORT[kind] : '';
  root.append(frag);
  return host;
}

export interface BannerParts {
  host: HTMLElement;
  star: HTMLButtonElement;
  details: HTMLButtonElement;
}

/** `<cmed-banner data-catalog-page>`: "this page is in the list", with save and details buttons. */
export function createBanner(doc: Document, entryId: string, title: string, kind: Kind | undefined, strings: Strings, css: string): BannerParts {
  const host = doc.createElement('cmed-banner');
  markOurs(host);
  host.setAttribute('data-catalog-page', entryId);
  host.setAttribute('role', 'note');
  host.setAttribute('aria-label', str(strings, 'card_brand'));
  const root = shadowOf(host, css);
  const row = el(doc, 'div', 'r');
  const mark = el(doc, 'span');
  mark.innerHTML = MARK_SVG;
  row.append(mark, text(doc, 'span', str(strings, 'card_banner')), text(doc, 'span', title, 't'));
  if (kind) row.append(text(doc, 'span', `· ${str(strings, kindKey(kind))}`, 'k'));
  const star = starButton(doc, strings);
  const details = text(doc, 'button', str(strings, 'card_details')) as HTMLButtonElement;
  details.type = 'button';
  details.setAttribute('aria-haspopup', 'dialog');
  row.append(star, details);
  root.append(row);
  return { host, star, details };
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
  setStar(b, false, strings);
  return b;
}

/** Saved state is shown, never toggled: saving is idempotent and removal lives in the popup. */
export function setStar(b: HTMLButtonElement, saved: boolean, strings: Strings): void {
  b.setAttribute('aria-pressed', String(saved));
  b.textContent = `${saved ? '★' : '☆'} ${str(strings, saved ? 'card_saved' : 'card_save')}`;
}

export interface CardView {
  host: HTMLElement;
  /** The card box (focus target, hover area). */
  box: HTMLElement;
  star: HTMLButtonElement | null;
  close: HTMLButtonElement;
  status: HTMLElement;
}

/** Builds the card for one entry (or a loading/missing state when `data` is null). */
export function renderCard(host: HTMLElement, root: ShadowRoot, data: CardData | null, fallbackTitle: string, strings: Strings): CardView {
  const doc = host.ownerDocument;
  root.replaceChildren();
  const box = el(doc, 'div', 'c');
  box.setAttribute('role', 'dialog');
  box.setAttribute('aria-label', data?.title ?? fallbackTitle);
  box.tabIndex = -1;
  const head = el(doc, 'div', 'h');
  const mark = el(doc, 'span');
  mark.innerHTML = MARK_SVG;
  const brand = text(doc, 'span', data ? `${str(strings, 'card_brand')} · ${data.kindLabel}` : str(strings, 'card_brand'));
  const close = text(doc, 'button', '×', 'x') as HTMLButtonElement;
  close.type = 'button';
  close.setAttribute('aria-label', str(strings, 'card_close'));
  head.append(mark, brand, el(doc, 'span', 'sp'), close);
  box.append(head);
  box.append(text(doc, 'h2', data?.title ?? fallbackTitle));
  let star: HTMLButtonElement | null = null;
  if (data) {
    const meta = [data.sections.join(' · '), data.year ? String(data.year) : '', data.venue ?? ''].filter(Boolean).join(' · ');
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
    setStar(star, data.favorite, strings);
    const row = el(doc, 'p');
    row.append(star);
    box.append(row);
  } else {
    box.append(text(doc, 'p', str(strings, 'card_loading'), 'm'));
  }
  const status = el(doc, 'p', 's');
  status.setAttribute('role', 'status');
  box.append(status);
  root.append(box);
  return { host, box, star, close, status };
}

export function createCardHost(doc: Document, css: string): { host: HTMLElement; root: ShadowRoot } {
  const host = doc.createElement('cmed-card');
  markOurs(host);
  host.hidden = true;
  const root = shadowOf(host, css);
  return { host, root };
}

/** The drawn part of a badge: the host is zero-size in the text flow, this sits at the mention's end. */
export const badgeVisual = (host: Element) => host.shadowRoot?.querySelector<HTMLElement>('.b') ?? null;

/** Places the fixed card below the anchor (above when there is no room), inside the viewport. */
export function positionCard(host: HTMLElement, box: HTMLElement, anchor: Element): void {
  // A badge's host has no box of its own: anchor on its visual (unless that is hidden).
  let r = badgeVisual(anchor)?.getBoundingClientRect();
  if (!r?.width) r = anchor.getBoundingClientRect();
  const vw = host.ownerDocument.documentElement.clientWidth || 1024;
  const vh = host.ownerDocument.documentElement.clientHeight || 768;
  const w = box.offsetWidth || 360;
  const h = box.offsetHeight || 200;
  const left = Math.max(8, Math.min(r.left, vw - w - 8));
  const below = r.bottom + 6;
  const top = below + h <= vh - 8 || r.top - h - 6 < 8 ? below : r.top - h - 6;
  // Custom properties: `all: initial` on :host resets top/left but never custom properties.
  host.style.setProperty('--cmed-left', `${Math.round(left)}px`);
  host.style.setProperty('--cmed-top', `${Math.round(Math.max(8, Math.min(top, vh - 8)))}px`);
}

/** Name of our CSS Custom Highlight (its style is the `highlight` sheet of {@link UiCss}). */
export const HIGHLIGHT_NAME = 'cmed-mention';
