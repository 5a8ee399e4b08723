/**
 * Small DOM helpers shared by the site adapters. They take a Document/Element as a
 * parameter and use only standard DOM APIs, so they run under happy-dom or linkedom in tests.
 */
import type { FoundId } from '../matcher/ids';
import { idsFromUrl } from '../matcher/ids';

/** Elements matching any selector, in document order, without those inside another result (no text is scanned twice). */
export function regionsBySelectors(doc: Document, selectors: string[]): Element[] {
  if (selectors.length === 0) return [];
  // Results come in document order, so a result inside another comes while the last kept
  // one still contains it: one contains() per result, not a walk up per result.
  let outer: Element | null = null;
  return Array.from(doc.querySelectorAll(selectors.join(', '))).filter((el) => {
    if (outer?.contains(el)) return false;
    outer = el;
    return true;
  });
}

/** `content` of `<meta name=…>` or `<meta property=…>`, trimmed, or undefined. */
export function meta(doc: Document, key: string): string | undefined {
  const el = doc.querySelector(`meta[name="${key}"], meta[property="${key}"]`);
  const v = el?.getAttribute('content')?.trim();
  return v ? v : undefined;
}

/** All `content` values of a repeated meta tag. */
export function metaAll(doc: Document, key: string): string[] {
  return Array.from(doc.querySelectorAll(`meta[name="${key}"], meta[property="${key}"]`))
    .map((el) => el.getAttribute('content')?.trim() ?? '')
    .filter(Boolean);
}

/** href of `<link rel="canonical">`, resolved against `base`. */
export function canonical(doc: Document, base: URL): string | undefined {
  const href = doc.querySelector('link[rel="canonical"]')?.getAttribute('href');
  if (!href) return undefined;
  try {
    return new URL(href, base).href;
  } catch {
    return undefined;
  }
}

/** The first element matching one of the selectors (tried in order). */
export function firstOf(doc: Document, selectors: string[]): Element | null {
  for (const s of selectors) {
    const el = doc.querySelector(s);
    if (el) return el;
  }
  return null;
}

/** Collects raw page IDs ("arxiv:…", "doi:…", "title:…") without duplicates, in the order given. */
export class IdList {
  private readonly seen = new Set<string>();
  readonly list: string[] = [];

  add(raw: string | undefined): void {
    if (!raw) return;
    const key = raw.startsWith('title:') ? raw : raw.toLowerCase();
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.list.push(raw);
  }

  addFound(ids: FoundId[]): void {
    for (const f of ids) this.add(`${f.kind}:${f.id}`);
  }

  addUrl(url: string | undefined): void {
    if (url) this.addFound(idsFromUrl(url));
  }
}
