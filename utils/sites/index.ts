/**
 * The site adapters, and the lookup the annotator uses. Adding a site: one file
 * implementing {@link SiteAdapter}, one line in {@link ADAPTERS}.
 */
import type { SiteAdapter } from './types';
import { arxiv } from './arxiv';
import { aclAnthology } from './acl-anthology';
import { github } from './github';

export type { SiteAdapter } from './types';
export { SKIP_SELECTOR } from './types';
export { arxiv, aclAnthology, github };

export const ADAPTERS: readonly SiteAdapter[] = [arxiv, aclAnthology, github];

/** The adapter for a URL, if a site handles it and the page type is one it reads; else null. */
export function adapterFor(url: URL): SiteAdapter | null {
  for (const a of ADAPTERS) if (a.hosts.includes(url.hostname) && a.pageType(url) !== null) return a;
  return null;
}
