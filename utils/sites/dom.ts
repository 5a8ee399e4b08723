/**
 * Small DOM helpers shared by the site adapters. They take a Document/Element as a
 * parameter and use only standard DOM APIs, so they run under happy-dom or linkedom in tests.
 */

/**
 * Elements of `doc` matching any of the selectors, in document order, without those inside
 * another result (no text is scanned twice). Each selector is queried on its own; one that
 * is itself a list ("a, b") suits parts whose matches interleave or overlap (every item of a
 * listing has each part), which one query puts in order.
 */
export const regionsBySelectors = (doc: Document, selectors: string[]): Element[] => {
  // One query per selector: Blink answers a single selector ending in a class by visiting
  // only the elements with that class, a selector list by matching every element against
  // each selector (four times slower on an arXiv HTML paper). The lists, one after the
  // other, are in document order if each starts where the one before ends or after it
  // (GitHub's README before its About); if not, one query with the whole list.
  let lists = selectors.map((s) => doc.querySelectorAll(s)).filter((l) => l.length);
  let end: Element | undefined;
  for (const list of lists) {
    if (end && end !== list[0] && !(end.compareDocumentPosition(list[0]) & 4 /* FOLLOWING */)) {
      lists = [doc.querySelectorAll(selectors.join(', '))];
      break;
    }
    end = list[list.length - 1];
  }
  const out: Element[] = [];
  let outer: Element | null = null;
  for (const list of lists) {
    // Read by index: iterating a NodeList (Array.from, for…of) costs several times more per
    // element, 1.5 ms for the 3,000 regions of an arXiv listing. In document order, a result
    // inside another comes while the last kept one still contains it (contains() is true
    // for the element itself too, so one found by two selectors is kept once).
    for (let i = 0, n = list.length; i < n; i++) {
      const el = list[i];
      if (outer?.contains(el)) continue;
      out.push((outer = el));
    }
  }
  return out;
};

/** `el.getAttribute(name)`, a short name for the metadata readers' every read. */
const attr = (el: Element, name: string) => el.getAttribute(name);

/** The document's head, where metadata lives; the document itself if it has none. */
const headOf = (doc: Document): Document | Element => doc.head ?? doc;

/**
 * `content` of the first `<meta name=…>` or `<meta property=…>`, trimmed, or undefined.
 * Read from the head's meta elements by tag name (metadata lives in the head): a key that
 * is absent costs a walk over the head, not over a page of thousands of elements, and the
 * head's list is not invalidated by our badges coming and going in the body.
 */
export const meta = (doc: Document, key: string): string | undefined => {
  const list = headOf(doc).getElementsByTagName('meta');
  for (let i = 0, el: Element | undefined; (el = list[i]); i++) {
    if (attr(el, 'name') === key || attr(el, 'property') === key) return attr(el, 'content')?.trim() || undefined;
  }
  return undefined;
};

/** All `content` values of a repeated meta tag. */
export const metaAll = (doc: Document, key: string): string[] => {
  return [...doc.querySelectorAll(`meta[name="${key}"], meta[property="${key}"]`)]
    .map((el) => el.getAttribute('content')?.trim() ?? '')
    .filter(Boolean);
};

/** The first `<link rel="canonical">` (the value in any ASCII case, as selectors match `rel`), resolved against `base`. */
export const canonical = (doc: Document, base: URL): URL | undefined => {
  const list = headOf(doc).getElementsByTagName('link');
  let href: string | null = null;
  for (let i = 0, el: Element | undefined; (el = list[i]); i++) {
    if (/^canonical$/i.test(attr(el, 'rel') ?? '')) {
      href = attr(el, 'href');
      break;
    }
  }
  return href ? toUrl(href, base) : undefined;
};

/** `href` resolved against `base`, or undefined if it is not a URL. */
export const toUrl = (href: string, base: URL): URL | undefined => {
  try {
    return new URL(href, base);
  } catch {
    return undefined;
  }
};

/** The first element matching one of the selectors (tried in order). */
export const firstOf = (doc: Document, selectors: string[]): Element | null => {
  for (const s of selectors) {
    const el = doc.querySelector(s);
    if (el) return el;
  }
  return null;
};

/** Collects raw page IDs ("arxiv:…", "doi:…", "title:…") without duplicates, in the order given. */
export interface IdList {
  readonly list: string[];
  add(raw: string | undefined): void;
}

export const idList = (): IdList => {
  const seen = new Set<string>();
  const list: string[] = [];
  return {
    list,
    add(raw) {
      if (!raw) return;
      const key = raw.startsWith('title:') ? raw : raw.toLowerCase();
      if (seen.has(key)) return;
      seen.add(key);
      list.push(raw);
    },
  };
};
