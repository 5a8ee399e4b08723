/**
 * Pure handlers behind the omnibox keyword and the context-menu lookup. They take
 * their collaborators as parameters so unit tests can drive them without a browser;
 * utils/lookup/index.ts wires them to browser events.
 */
import type { Entry } from '../catalog/types';
import type { SearchHit } from '../search/types';
import { segments } from './highlight';
import { primaryLink } from './links';
import { normalizeQuery } from './query';

export interface LookupDeps {
  search(query: string, limit: number): SearchHit[];
  getEntry(id: string): Entry | undefined;
  /** Absolute URL of the popup page, e.g. chrome-extension://<id>/popup.html. */
  popupUrl: string;
  /** Localised UI strings (utils/i18n's `t`). */
  t(key: string, ...subs: (string | number)[]): string;
}

export interface OmniboxSuggestion {
  content: string;
  description: string;
}

/** Chrome parses omnibox descriptions as XML; a bare `&` or `<` from a title would drop the suggestion. */
export function escapeXml(text: string): string {
  return (
    text
      // Control characters are not allowed in XML 1.0 at all, escaped or not.
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&apos;')
  );
}

export function kindKey(kind: string): string {
  return `popup_kind_${kind.replace(/-/g, '_')}`;
}

/** Where picking an entry leads: its primary link, or the popup's detail view for entries without links. */
export function entryTarget(entry: Entry, popupUrl: string): string {
  return primaryLink(entry)?.url ?? popupSearchUrl(popupUrl, entry.title);
}

export function popupSearchUrl(popupUrl: string, query: string): string {
  const q = normalizeQuery(query);
  return q ? `${popupUrl}?q=${encodeURIComponent(q)}` : popupUrl;
}

/**
 * One suggestion line. With `markup` (Chrome) the matched characters of the title are
 * wrapped in <match> and the details dimmed; Firefox shows markup literally, so it
 * gets plain text.
 */
export function describe(entry: Entry, hit: SearchHit | undefined, deps: Pick<LookupDeps, 't'>, markup: boolean): string {
  const details = [deps.t(kindKey(entry.kind)), entry.venue, entry.year].filter((x) => x !== undefined && x !== '').join(' · ');
  if (!markup) return `${entry.title} — ${details}`;
  const ranges = hit?.highlights.find((h) => h.field === 'title')?.ranges;
  const title = segments(entry.title, ranges)
    .map((s) => (s.match ? `<match>${escapeXml(s.text)}</match>` : escapeXml(s.text)))
    .join('');
  return `${title} <dim>— ${escapeXml(details)}</dim>`;
}

export function omniboxSuggestions(text: string, deps: LookupDeps, opts: { markup: boolean; limit?: number }): OmniboxSuggestion[] {
  const q = normalizeQuery(text);
  if (!q) return [];
  const seen = new Set<string>();
  const out: OmniboxSuggestion[] = [];
  for (const hit of deps.search(q, (opts.limit ?? 6) + 2)) {
    const entry = deps.getEntry(hit.entryId);
    if (!entry) continue;
    // Chrome drops suggestions whose content repeats, or equals what was typed. An entry whose
    // first link another one shares (MC-BERT's is ChineseBLUE's repository) opens in the popup.
    let content = entryTarget(entry, deps.popupUrl);
    if (seen.has(content)) content = popupSearchUrl(deps.popupUrl, entry.title);
    if (seen.has(content) || content === text) continue;
    seen.add(content);
    out.push({ content, description: describe(entry, hit, deps, opts.markup) });
    if (out.length >= (opts.limit ?? 6)) break;
  }
  return out;
}

/** The default (first) omnibox line: says what Enter on the typed text will do. */
export function omniboxDefault(text: string, deps: LookupDeps, markup: boolean): string {
  const q = normalizeQuery(text);
  const esc = markup ? escapeXml : (s: string) => s;
  if (!q) return esc(deps.t('lookup_omniboxHint'));
  const best = bestEntry(q, deps);
  if (!best) return esc(deps.t('lookup_omniboxNoMatch', q));
  // Substitute after escaping the template, so the title's own markup survives.
  const [before, after = ''] = deps.t('lookup_omniboxOpen', '\u0001').split('\u0001');
  return `${esc(before)}${describe(best.entry, best.hit, deps, markup)}${esc(after)}`;
}

function bestEntry(q: string, deps: LookupDeps): { entry: Entry; hit: SearchHit } | undefined {
  for (const hit of deps.search(q, 3)) {
    const entry = deps.getEntry(hit.entryId);
    if (entry) return { entry, hit };
  }
  return undefined;
}

function isCatalogUrl(text: string, deps: LookupDeps): boolean {
  if (text.startsWith(`${deps.popupUrl}?`) || text === deps.popupUrl) return true;
  return false;
}

/**
 * What Enter in the omnibox opens. `text` is either a suggestion's content (a link we
 * produced) or whatever was typed; typed text opens the best match's primary link, or
 * the popup page showing the query's empty state when nothing matches.
 */
export function omniboxTarget(text: string, deps: LookupDeps, knownUrls: (url: string) => boolean): string {
  const raw = text.trim();
  if (isCatalogUrl(raw, deps) || (/^https?:\/\//i.test(raw) && knownUrls(raw))) return raw;
  const q = normalizeQuery(raw);
  if (!q) return deps.popupUrl;
  const best = bestEntry(q, deps);
  return best ? entryTarget(best.entry, deps.popupUrl) : popupSearchUrl(deps.popupUrl, q);
}

export type OpenAction = { kind: 'update' } | { kind: 'create'; active: boolean };

/** Maps the omnibox disposition (how the user pressed Enter) to a tab action. */
export function dispositionAction(disposition: string | undefined): OpenAction {
  if (disposition === 'newForegroundTab') return { kind: 'create', active: true };
  if (disposition === 'newBackgroundTab') return { kind: 'create', active: false };
  return { kind: 'update' };
}

export const CONTEXT_MENU_ID = 'cmed-lookup-selection';

/** The popup page, in a tab, pre-filled with the selection; null for blank selections. */
export function contextMenuTarget(selectionText: string | undefined, popupUrl: string): string | null {
  const q = normalizeQuery(selectionText);
  return q ? popupSearchUrl(popupUrl, q) : null;
}
