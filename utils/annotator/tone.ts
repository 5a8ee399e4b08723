/**
 * Whether the page is dark where our card or banner appears. GitHub and arXiv's HTML view
 * have themes of their own, chosen on the site and not always the system's: a GitHub in its
 * dark theme on a light system would otherwise get a white card, and a light page on a dark
 * system a dark one. So the card and banner take the page's tone, read where they show.
 * Part of the lazily loaded card module, not of the content script.
 */
export type Tone = 'dark' | 'light';

/**
 * Relative luminance (0 black … 1 white, WCAG's definition) of a computed colour, with its
 * alpha; null for a colour we do not read (computed colours are `rgb()`/`rgba()` unless a
 * page specified one in another space, such as `oklch()`).
 */
export function luminance(css: string): { y: number; alpha: number } | null {
  const m = /^rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)(?:\s*[,/]\s*([\d.]+)(%?))?\s*\)$/.exec(css.trim());
  if (!m) return null;
  const lin = (v: string) => {
    const c = Math.min(255, Number(v)) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const alpha = m[4] === undefined ? 1 : Number(m[4]) / (m[5] ? 100 : 1);
  return { y: 0.2126 * lin(m[1]) + 0.7152 * lin(m[2]) + 0.0722 * lin(m[3]), alpha };
}

/** Luminance of a mid grey (L* = 50): darker than this reads as a dark background, lighter as light text. */
const MID = 0.18;

/**
 * The tone of the page around `el`: the first background from `el` up that is mostly opaque
 * decides; if the page paints none (its canvas shows through), its text colour does, since
 * a dark canvas carries light text.
 */
export function pageTone(el: Element | null): Tone {
  const view = el?.ownerDocument?.defaultView;
  if (!el || !view) return 'light';
  for (let e: Element | null = el; e; e = e.parentElement) {
    const bg = luminance(view.getComputedStyle(e).backgroundColor);
    if (bg && bg.alpha >= 0.5) return bg.y < MID ? 'dark' : 'light';
  }
  const text = luminance(view.getComputedStyle(el).color);
  return text && text.y > MID ? 'dark' : 'light';
}
