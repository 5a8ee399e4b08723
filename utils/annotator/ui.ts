/**
 * What the annotator puts on a page, in plain DOM (no framework in the content script).
 * Each piece is a light-DOM element marked `data-cmed-ui` whose visuals live in a shadow
 * root, so page CSS can neither break them nor be broken by them.
 */
import type { Kind } from '../catalog/types';

export type Strings = Record<string, string>;

/**
 * The stylesheets of what we insert. They come from the background with the card strings
 * (utils/annotator/styles.ts) rather than living in the content script, which ships on every page.
 */
export interface UiCss {
  badge: string;
  banner: string;
  card: string;
}

/** Sets attributes written as `name=value` pairs separated by spaces (values without spaces or `=`; `name=` an empty value). */
const setAttrs = (el: Element, pairs: string): void => {
  for (const pair of pairs.split(' ')) {
    const [name, value] = pair.split('=');
    el.setAttribute(name, value);
  }
};

/** The attributes of every element we insert (SKIP_SELECTOR skips it; Turbo drops it from its page cache). */
const OURS = 'data-cmed-ui= data-turbo-temporary=';

/** Marks every element we insert (see {@link OURS}). */
export const markOurs = (el: Element): void => {
  setAttrs(el, OURS);
};

/** Message key of a kind's label (message names allow only letters, digits and underscores). */
export const kindKey = (kind: string): string => {
  return `card_kind_${kind.replace(/-/g, '_')}`;
};

export const str = (strings: Strings, key: string, ...subs: (string | number)[]): string => {
  const s = strings[key] ?? key;
  return subs.length ? s.replace(/\$(\d)/g, (_, n: string) => String(subs[Number(n) - 1] ?? '')) : s;
};

/**
 * The letters a badge shows for a kind: the initials of its words (D dataset, KG knowledge-graph),
 * but PR for product (P is paper's) and L for resource-list. A rule rather than a table: the
 * table's keys cost their length in every content script.
 */
export const kindShort = (kind: Kind): string =>
  kind === 'product' ? 'PR' : kind === 'resource-list' ? 'L' : kind.replace(/-?(.)[^-]*/g, '$1').toUpperCase();

const sheets = new Map<string, CSSStyleSheet | null>();

/** One constructed sheet per CSS text, shared by every shadow root; a <style> where constructed sheets are missing. */
const adoptCss = (root: ShadowRoot, css: string): void => {
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
};

export const shadowOf = (host: HTMLElement, css: string): ShadowRoot => {
  const root = host.attachShadow({ mode: 'open' });
  adoptCss(root, css);
  return root;
};

let badgeTemplate: DocumentFragment | null = null;
let hostTemplate: HTMLElement | null = null;

/**
 * `<cmed-badge data-catalog-entry>`: the focusable host (no width in the line) of a mention's badge.
 * Its visual (brand mark + kind, in a shadow root) is drawn by {@link drawBadge} when the
 * annotator places it, after the frame that follows the pass: a pass with hundreds of mentions only makes hosts.
 */
export const createBadge = (doc: Document, entryId: string, title: string, kind: Kind | undefined, strings: Strings): HTMLElement => {
  if (!hostTemplate || hostTemplate.ownerDocument !== doc) {
    // The attributes every badge shares, set once: a clone copies them in one native call.
    hostTemplate = doc.createElement('cmed-badge');
    setAttrs(hostTemplate, `${OURS} tabindex=0 role=button aria-haspopup=dialog aria-expanded=false`);
  }
  const host = hostTemplate.cloneNode(false) as HTMLElement;
  host.setAttribute('data-catalog-entry', entryId);
  host.setAttribute('aria-label', badgeLabel(strings, title, kind));
  return host;
};

/**
 * A badge's accessible name: brand, entry, kind, and whether it is saved (the star on a saved
 * entry's badge is drawn, not read). The content script labels badges unsaved; the card module
 * relabels the saved ones (card.ts).
 */
export const badgeLabel = (strings: Strings, title: string, kind: Kind | undefined, saved?: boolean): string => {
  return str(strings, saved ? 'card_badge_label_saved' : 'card_badge_label', title, kind ? str(strings, kindKey(kind)) : '');
};

/** Draws a badge's visual into its host, which has none yet ({@link badgeVisual}), and returns it. */
export const drawBadge = (host: HTMLElement, kind: Kind | undefined, css: string): HTMLElement => {
  const doc = host.ownerDocument;
  const root = shadowOf(host, css);
  if (!badgeTemplate || badgeTemplate.ownerDocument !== doc) {
    // The brand mark is the visual's ::before (badge CSS): no markup for it in this script.
    const span = doc.createElement('span');
    span.className = 'b';
    const k = doc.createElement('span');
    k.className = 'k';
    span.append(k);
    badgeTemplate = doc.createDocumentFragment();
    badgeTemplate.append(span);
  }
  const frag = badgeTemplate.cloneNode(true) as DocumentFragment;
  const visual = frag.firstChild as HTMLElement;
  // The letter is the pill's generated content (badge CSS), so no page text of ours is copied or found.
  (visual.lastChild as HTMLElement).dataset.k = kind ? kindShort(kind) : '';
  root.append(frag);
  return visual;
};

/** The drawn part of a badge: the host takes no room in the text flow, this sits at the mention's end. */
export const badgeVisual = (host: Element) => host.shadowRoot?.querySelector<HTMLElement>('.b') ?? null;

/**
 * The global through which the injected card module (entrypoints/annotator-ui.ts) hands
 * its `createUi` to the annotator: both run in the extension's isolated world of the page.
 */
export const UI_GLOBAL = '__cmedAnnotatorUi';

/** The User Timing measure of each annotator pass (its `detail` is the pass's statistics). */
export const PASS_MEASURE = 'cmed:annotate';

/** Name of our CSS Custom Highlight (its style is the `highlight` sheet of {@link UiCss}). */
export const HIGHLIGHT_NAME = 'cmed-mention';
