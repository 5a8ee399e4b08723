// @vitest-environment happy-dom
/**
 * The page tone the card and banner take (utils/annotator/tone.ts): computed colours read,
 * the first mostly opaque background deciding, the text colour when the page paints none.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { luminance, pageTone } from '../../../utils/annotator/tone';

describe('luminance', () => {
  it('reads rgb() and rgba() as computed styles give them, in both syntaxes', () => {
    expect(luminance('rgb(255, 255, 255)')).toEqual({ y: 1, alpha: 1 });
    expect(luminance('rgb(0, 0, 0)')).toEqual({ y: 0, alpha: 1 });
    expect(luminance('rgba(0, 0, 0, 0)')).toEqual({ y: 0, alpha: 0 });
    expect(luminance('rgb(13 17 23 / 50%)')?.alpha).toBe(0.5);
    // GitHub's dark canvas and its text; WCAG's mid grey sits near 0.18.
    expect(luminance('rgb(13, 17, 23)')!.y).toBeCloseTo(0.0056, 3);
    expect(luminance('rgb(230, 237, 243)')!.y).toBeCloseTo(0.837, 2);
    expect(luminance('rgb(119, 119, 119)')!.y).toBeCloseTo(0.184, 2);
  });

  it('returns null for colours it does not read, so they decide nothing', () => {
    for (const c of ['', 'transparent', 'oklch(0.2 0.01 250)', 'color(srgb 0 0 0)', 'rgb(1, 2)', 'red']) expect(luminance(c)).toBeNull();
  });
});

describe('pageTone', () => {
  afterEach(() => {
    document.documentElement.removeAttribute('style');
    document.body.removeAttribute('style');
    document.body.replaceChildren();
  });

  const para = () => {
    const box = document.createElement('div');
    const p = document.createElement('p');
    box.append(p);
    document.body.append(box);
    return { box, p };
  };

  it('is dark on a dark page and light on a light one, from the nearest painted background', () => {
    const { box, p } = para();
    document.body.style.backgroundColor = 'rgb(13, 17, 23)';
    expect(pageTone(p)).toBe('dark');
    // A light box inside the dark page (a card, a code sample) decides for what is in it.
    box.style.backgroundColor = 'rgb(246, 248, 250)';
    expect(pageTone(p)).toBe('light');
    // A faint tint is not a background: the page behind it decides.
    box.style.backgroundColor = 'rgba(255, 255, 255, 0.1)';
    expect(pageTone(p)).toBe('dark');
  });

  it('reads the text colour when nothing is painted (a dark canvas carries light text)', () => {
    const { p } = para();
    expect(pageTone(p)).toBe('light');
    p.style.color = 'rgb(230, 237, 243)';
    expect(pageTone(p)).toBe('dark');
    p.style.color = 'rgb(31, 35, 40)';
    expect(pageTone(p)).toBe('light');
  });

  it('is light without an element or outside a window', () => {
    expect(pageTone(null)).toBe('light');
    const detached = document.implementation.createHTMLDocument('').createElement('p');
    expect(pageTone(detached)).toBe('light');
  });
});
