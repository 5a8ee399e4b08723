/**
 * Turns highlight ranges into text segments. Ranges come from the searcher and
 * are trusted only so far: they may overlap, be unsorted, or run past the text
 * (e.g. computed on a normalised copy), so they are clamped and merged here.
 */
export interface Segment {
  text: string;
  match: boolean;
}

export function segments(text: string, ranges: readonly (readonly [number, number])[] | undefined): Segment[] {
  if (!text) return [];
  const clean = (ranges ?? [])
    .map(([a, b]) => [Math.max(0, Math.min(a, text.length)), Math.max(0, Math.min(b, text.length))] as [number, number])
    .filter(([a, b]) => b > a)
    .sort((x, y) => x[0] - y[0]);
  const merged: [number, number][] = [];
  for (const r of clean) {
    const last = merged[merged.length - 1];
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else merged.push([r[0], r[1]]);
  }
  const out: Segment[] = [];
  let at = 0;
  for (const [a, b] of merged) {
    if (a > at) out.push({ text: text.slice(at, a), match: false });
    out.push({ text: text.slice(a, b), match: true });
    at = b;
  }
  if (at < text.length) out.push({ text: text.slice(at), match: false });
  return out;
}
