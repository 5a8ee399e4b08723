import type { Entry, Link } from '../catalog/types';

/**
 * The link a reader most likely wants when they pick an entry without looking at
 * its details (Enter in the popup, Enter in the omnibox): the catalog's own order,
 * which the curators keep most-useful-first, except that download links go last —
 * they are usually cloud-drive pages that need the extraction code only the
 * detail view shows.
 */
export function primaryLink(entry: Pick<Entry, 'links'>): Link | undefined {
  return entry.links.find((l) => l.type !== 'download') ?? entry.links[0];
}
