/**
 * What the annotator puts on a page, in plain DOM (no framework in the content script).
 * Each piece is a light-DOM element marked `data-cmed-ui` whose visuals live in a shadow
 * root, so page CSS can neither break them nor be broken by them.
 */
import type { Kind } from '../catalog/types';
import type { CardData } from './types';

export type Strings = Record<string, string>;

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

/* Host rules use !important: for !important declarations the shadow tree's own rules beat the page's. */
const BADGE_CSS = `:host{all:initial!important;display:inline-block!important;position:relative!important;box-sizing:border-box!important;width:24px!important;height:13px!important;margin:0 1px 0 3px!important;padding:0!important;vertical-align:-1px!important;cursor:pointer!important;border-radius:7px!important;contain:strict!important;user-select:none!important}
:host(:focus-visible){outline:2px solid #1a73e8!important;outline-offset:1px!important}
.b{display:flex;align-items:center;justify-content:space-between;box-sizing:border-box;width:24px;height:13px;padding:0 3px 0 1px;border-radius:7px;background:${BRAND};color:#fff;font:700 8px/13px system-ui,-apple-system,"Segoe UI",sans-serif;white-space:nowrap;overflow:hidden}
:host(:hover) .b,:host([aria-expanded=true]) .b{background:#084f4a}
svg{width:11px;height:11px;flex:none;color:#fff}`;

const BANNER_CSS = `:host{all:initial!important;display:block!important;box-sizing:border-box!important;margin:0 0 10px!important;contain:layout!important}
.r{display:flex;align-items:center;gap:8px;flex-wrap:wrap;box-sizing:border-box;min-height:30px;padding:4px 10px;border:1px solid #b9dcd8;border-left:4px solid ${BRAND};border-radius:6px;background:#f1f8f7;color:#123;font:13px/1.4 system-ui,-apple-system,"Segoe UI",sans-serif}
svg{width:14px;height:14px;flex:none;color:${BRAND}}
.t{font-weight:600}.k{color:#456}
button{font:inherit;font-size:12px;padding:2px 8px;border:1px solid #9cc9c4;border-radius:4px;background:#fff;color:#0b4f4a;cursor:pointer}
button:focus-visible{outline:2px solid #1a73e8;outline-offset:1px}
button[aria-pressed=true]{background:${BRAND};color:#fff;border-color:${BRAND}}
@media (prefers-color-scheme:dark){.r{background:#10292a;border-color:#235c57;color:#e6f0ef}.k{color:#a9c0bd}button{background:#16393a;color:#d6f3ef;border-color:#2f6d67}}`;

const CARD_CSS = `:host{all:initial!important;position:fixed!important;z-index:2147483647!important;display:block!important;top:var(--cmed-top,0)!important;left:var(--cmed-left,0)!important}
:host([hidden]){display:none!important}
.c{box-sizing:border-box;width:min(360px,calc(100vw - 16px));max-height:min(420px,calc(100vh - 16px));overflow:auto;padding:10px 12px 12px;border:1px solid #c9d6d4;border-top:3px solid ${BRAND};border-radius:8px;background:#fff;color:#1b2524;box-shadow:0 6px 24px rgba(0,0,0,.18);font:13px/1.45 system-ui,-apple-system,"Segoe UI","PingFang SC","Microsoft YaHei",sans-serif;text-align:left}
.h{display:flex;align-items:center;gap:6px;color:#4a5d5b;font-size:11px;text-transform:none}
.h svg{width:13px;height:13px;color:${BRAND};flex:none}
.h .sp{flex:1}
h2{margin:6px 0 2px;font-size:15px;line-height:1.3;font-weight:650;color:inherit}
.m{margin:0 0 6px;color:#4a5d5b;font-size:12px}
p{margin:6px 0}
ul{margin:6px 0 0;padding:0;list-style:none;display:flex;flex-wrap:wrap;gap:4px 10px}
a{color:#0b5cad;text-decoration:underline}
button{font:inherit;font-size:12px;padding:2px 8px;border:1px solid #9cc9c4;border-radius:4px;background:#fff;color:#0b4f4a;cursor:pointer}
button:focus-visible,a:focus-visible{outline:2px solid #1a73e8;outline-offset:1px}
button[aria-pressed=true]{background:${BRAND};color:#fff;border-color:${BRAND}}
.x{border:none;background:none;padding:0 4px;font-size:15px;line-height:1;color:#4a5d5b}
.s{min-height:1em;margin:4px 0 0;font-size:11px;color:#4a5d5b}
@media (prefers-color-scheme:dark){.c{background:#152120;color:#e4eeed;border-color:#2d4341}.h,.m,.s,.x{color:#a9bebb}a{color:#7ab8ff}button{background:#1b3533;color:#d6f3ef;border-color:#2f6d67}}`;

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

/** `<cmed-badge data-catalog-entry>`: brand mark + kind, focusable, fixed size. */
export function createBadge(doc: Document, entryId: string, title: string, kind: Kind | undefined, strings: Strings): HTMLElement {
  const host = doc.createElement('cmed-badge');
  markOurs(host);
  host.setAttribute('data-catalog-entry', entryId);
  host.setAttribute('tabindex', '0');
  host.setAttribute('role', 'button');
  host.setAttribute('aria-haspopup', 'dialog');
  host.setAttribute('aria-expanded', 'false');
  const kindLabel = kind ? str(strings, kindKey(kind)) : '';
  host.setAttribute('aria-label', str(strings, 'card_badge_label', title, kindLabel));
  const root = shadowOf(host, BADGE_CSS);
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
export function createBanner(doc: Document, entryId: string, title: string, kind: Kind | undefined, strings: Strings): BannerParts {
  const host = doc.createElement('cmed-banner');
  markOurs(host);
  host.setAttribute('data-catalog-page', entryId);
  host.setAttribute('role', 'note');
  host.setAttribute('aria-label', str(strings, 'card_brand'));
  const root = shadowOf(host, BANNER_CSS);
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

export function createCardHost(doc: Document): { host: HTMLElement; root: ShadowRoot } {
  const host = doc.createElement('cmed-card');
  markOurs(host);
  host.hidden = true;
  const root = shadowOf(host, CARD_CSS);
  return { host, root };
}

/** Places the fixed card below the anchor (above when there is no room), inside the viewport. */
export function positionCard(host: HTMLElement, box: HTMLElement, anchor: Element): void {
  const r = anchor.getBoundingClientRect();
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

/** The document-level stylesheet: it styles our highlight and nothing else. */
export const HIGHLIGHT_NAME = 'cmed-mention';
export const HIGHLIGHT_CSS = `::highlight(${HIGHLIGHT_NAME}){background-color:rgba(11,110,102,.13);text-decoration:underline dotted rgba(11,110,102,.85);text-decoration-thickness:1.5px;text-underline-offset:2px}`;
