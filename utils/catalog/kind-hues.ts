import type { Kind } from './types';

/**
 * Each kind's hue (HSL degrees) for its coloured pill: the popup's and the options page's kind
 * badges (components/ui.css, `.cmed-kind--<kind>`) and the hover card's and the banner's
 * (utils/annotator/styles.ts), so a dataset is the same blue everywhere.
 */
export const KIND_HUES: Record<Kind, number> = {
  dataset: 212,
  evaluation: 275,
  paper: 24,
  'knowledge-graph': 165,
  corpus: 95,
  model: 330,
  tool: 190,
  product: 355,
  article: 48,
  'resource-list': 240,
};

/**
 * Where and when, as the card and the popup's detail both show it: the venue, and the year
 * after it unless the venue already names it ("EMNLP 2019", not "EMNLP 2019 · 2019").
 */
export function venueYear(venue: string | undefined, year: number | undefined): string {
  const y = year ? String(year) : '';
  if (!venue) return y;
  return y && !venue.includes(y) ? `${venue} · ${y}` : venue;
}
