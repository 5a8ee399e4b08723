import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';

/**
 * WCAG contrast of the text on a result row the keyboard or the pointer is on, worked out from the
 * stylesheets' custom properties in each theme: the row's tint is darker (lighter in the dark
 * theme) than the list's, and small text on it must still reach 4.5:1.
 */
const ROOT = path.resolve(__dirname, '..', '..', '..');
const css = ['components/ui.css', 'entrypoints/popup/style.css']
  .map((f) => fs.readFileSync(path.join(ROOT, f), 'utf8'))
  .join('\n')
  .replace(/\/\*[\s\S]*?\*\//g, '');

/** Every innermost rule, in source order (a rule inside @media is listed without its condition). */
const rules = [...css.matchAll(/([^{}]+)\{([^{}]*)\}/g)].map((m) => ({
  selectors: m[1].split(',').map((s) => s.trim()),
  decls: Object.fromEntries(
    m[2]
      .split(';')
      .map((d) => d.split(/:(.*)/s).map((x) => x.trim()))
      .filter(([prop, value]) => prop && value),
  ) as Record<string, string>,
}));
/** What the rules for `selector` declare, later rules winning. */
const declared = (selector: string): Record<string, string> =>
  Object.assign({}, ...rules.filter((r) => r.selectors.includes(selector)).map((r) => r.decls));

const light = declared(':root');
const themes: Record<string, Record<string, string>> = {
  light,
  'dark (browser)': { ...light, ...declared(":root:not([data-theme='light'])") },
  'dark (setting)': { ...light, ...declared(":root[data-theme='dark']") },
};

function resolve(value: string, vars: Record<string, string>): string {
  const out = value.replace(/var\((--[\w-]+)\)/g, (_, name: string) => {
    if (!(name in vars)) throw new Error(`${name} is not declared`);
    return resolve(vars[name], vars);
  });
  if (!/^#[0-9a-f]{6}$/i.test(out)) throw new Error(`not a #rrggbb colour: ${value} → ${out}`);
  return out;
}

function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

describe('popup result rows: text contrast on the active and the hovered row', () => {
  // The text of a row (the title inherits the page's colour); each kind badge has its own background.
  const texts: Record<string, string> = {
    title: declared('body').color,
    year: declared('.option-year').color,
    summary: declared('.option-sub').color,
    'matched name': declared('.option-sub--name').color,
    'show more': declared('.option-more').color,
  };
  const rows = ['.option--active', '.option:hover'];

  for (const [theme, vars] of Object.entries(themes)) {
    it(`reaches 4.5:1 for every text, ${theme} theme`, () => {
      const low: string[] = [];
      for (const row of rows) {
        // Custom properties the row itself sets, resolved against the theme's.
        const own = Object.entries(declared(row)).filter(([prop]) => prop.startsWith('--'));
        const scope = { ...vars, ...Object.fromEntries(own.map(([prop, value]) => [prop, resolve(value, vars)])) };
        const background = resolve(declared(row).background, scope);
        for (const [part, color] of Object.entries(texts)) {
          const ratio = contrast(resolve(color, scope), background);
          if (ratio < 4.5) low.push(`${part} on ${row}: ${ratio.toFixed(2)}:1`);
        }
      }
      expect(low).toEqual([]);
    });
  }
});
