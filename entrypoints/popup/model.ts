/**
 * The popup's pure logic: what the browse view shows, how filters apply, which
 * site a tab is on. No DOM, no browser.* — unit-tested in Node.
 */
import type { Catalog, Entry, Kind } from '../../utils/catalog/types';
import { KINDS } from '../../utils/catalog/types';
import type { SiteKey } from '../../utils/favorites/types';
import type { SearchHit } from '../../utils/search/types';

export interface Filters {
  kind: Kind | '';
  /** A top-level section by its Chinese heading (the catalog's key for it). */
  section: string;
}

export const NO_FILTERS: Filters = { kind: '', section: '' };

/**
 * What a list row shows of an entry. The first screen is painted from such rows
 * (generated/popup-first.json) before the full catalog has loaded; `names` is
 * there only on full entries, where a search hit may highlight an alias.
 */
export type EntryRow = Pick<Entry, 'id' | 'title' | 'kind' | 'year' | 'summary'> & { names?: string[] };

export interface BrowseGroup<E extends EntryRow = Entry> {
  zh: string;
  en: string;
  /** Entries in this group after filters. */
  entries: E[];
  /** Entries in the section before filters — "the list's structure". */
  total: number;
}

export function matchesFilters(entry: Entry, f: Filters): boolean {
  if (f.kind && entry.kind !== f.kind) return false;
  if (f.section && !entry.sections.some((s) => s.zh === f.section)) return false;
  return true;
}

/**
 * The browse view: the list's top-level sections in list order, each with its entries.
 * An entry filed under several sections appears under each (that is where the list
 * has it); under one section it appears once however many sub-headings hold it.
 */
export function browseGroups(entries: Catalog, sections: readonly { zh: string; en: string }[], f: Filters): BrowseGroup[] {
  const groups: BrowseGroup[] = [];
  const known = new Set(sections.map((s) => s.zh));
  const all = [...sections];
  // Entries under a heading the section table does not know still get shown, at the end.
  for (const e of entries) {
    for (const s of e.sections) {
      if (!known.has(s.zh)) {
        known.add(s.zh);
        all.push({ zh: s.zh, en: s.en });
      }
    }
  }
  for (const s of all) {
    if (f.section && s.zh !== f.section) continue;
    const inSection = entries.filter((e) => e.sections.some((x) => x.zh === s.zh));
    const shown = inSection.filter((e) => matchesFilters(e, f));
    if (shown.length) groups.push({ zh: s.zh, en: s.en, entries: shown, total: inSection.length });
  }
  return groups;
}

/**
 * Most rows the browse view renders before "show more": a 10,000-entry catalog must
 * not put 10,000 rows in the DOM (clearing the query re-renders the browse view, and
 * that is a keystroke too). A catalog that fits is shown whole, as the list is.
 */
export const BROWSE_BUDGET = 150;
/** Rows one "show more" adds to a group. */
export const BROWSE_MORE = 100;

/**
 * Rows per group: every row when all groups together fit `budget`, otherwise the
 * largest per-group cap that keeps the total within it (small groups are shown
 * whole, big ones are cut evenly), at least one row per group.
 */
export function browseCap(sizes: readonly number[], budget = BROWSE_BUDGET): number {
  let total = 0;
  for (const n of sizes) total += n;
  if (total <= budget) return Infinity;
  let lo = 1;
  let hi = Math.max(1, ...sizes);
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    let sum = 0;
    for (const n of sizes) sum += Math.min(n, mid);
    if (sum <= budget) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Kinds that occur in the catalog, in the canonical order, for the kind filter. */
export function kindsInCatalog(entries: Catalog): Kind[] {
  const present = new Set(entries.map((e) => e.kind));
  return KINDS.filter((k) => present.has(k));
}

/** ↑/↓ with wrap-around; from "nothing active" (-1), ↓ goes to the first option and ↑ to the last. */
export function moveActive(current: number, delta: 1 | -1, count: number): number {
  if (count <= 0) return -1;
  if (current < 0 || current >= count) return delta > 0 ? 0 : count - 1;
  return (current + delta + count) % count;
}

/** The annotated site a tab is on, from its URL (known to us only on the sites we have host access to). */
export function siteKeyFor(url: string | undefined): SiteKey | null {
  if (!url) return null;
  let host: string;
  try {
    const u = new URL(url);
    if (u.protocol !== 'https:' && u.protocol !== 'http:') return null;
    host = u.hostname.toLowerCase();
  } catch {
    return null;
  }
  if (host === 'arxiv.org' || host.endsWith('.arxiv.org')) return 'arxiv';
  if (host === 'aclanthology.org' || host.endsWith('.aclanthology.org') || host === 'www.aclweb.org' || host === 'aclweb.org') return 'acl';
  if (host === 'github.com') return 'github';
  return null;
}

export const SITE_LABELS: Record<SiteKey, string> = { arxiv: 'arxiv.org', acl: 'aclanthology.org', github: 'github.com' };

/**
 * Drops the scattered one- and two-letter Latin fragments a typo-tolerant match can
 * leave ("BEHRT: Transformer" lit up at B, E, Tr, er…), which read as noise; Chinese
 * characters carry meaning one by one and are always kept.
 */
export function readableRanges(text: string, ranges: [number, number][] | undefined, queryLength: number): [number, number][] | undefined {
  if (!ranges) return ranges;
  const min = Math.min(3, queryLength);
  return ranges.filter(([a, b]) => b - a >= min || /[\u0080-\uffff]/.test(text.slice(a, b)));
}

/** The highlight ranges of one field of a hit. */
export function rangesFor(hit: SearchHit | undefined, field: string): [number, number][] | undefined {
  return hit?.highlights.find((h) => h.field === field)?.ranges;
}

/**
 * The best secondary line for a result: a matched alias (the reader typed "医渡云"
 * and the title is "Yidu-S4K") beats the summary, which beats nothing.
 */
export function secondaryLine(
  entry: EntryRow,
  hit: SearchHit | undefined,
  lang: 'en' | 'zh_CN',
): { kind: 'name' | 'summary'; text: string; ranges?: [number, number][] } | null {
  const titleHit = rangesFor(hit, 'title');
  if (hit && !titleHit?.length) {
    for (const h of hit.highlights) {
      const m = /^names\.(\d+)$/.exec(h.field);
      const name = m ? entry.names?.[Number(m[1])] : undefined;
      if (name && h.ranges.length) return { kind: 'name', text: name, ranges: h.ranges };
    }
  }
  const field = lang === 'zh_CN' ? 'summary.zh' : 'summary.en';
  const text = lang === 'zh_CN' ? entry.summary.zh || entry.summary.en : entry.summary.en || entry.summary.zh;
  if (!text) return null;
  return { kind: 'summary', text, ranges: rangesFor(hit, field) };
}

/** Reads the ?q= a lookup (context menu, omnibox) opened the page with. */
export function initialQuery(search: string): string {
  try {
    return new URLSearchParams(search).get('q') ?? '';
  } catch {
    return '';
  }
}
