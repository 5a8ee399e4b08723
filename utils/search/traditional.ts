/**
 * Build-time only (scripts/gen-data.ts): OpenCC's traditional → simplified
 * mapping, one character at a time, for the query-folding table that
 * {@link buildSearchIndex} stores in the index. The popup never imports this
 * module, so opencc-js and its dictionaries are not shipped.
 */
import OpenCC from 'opencc-js';

/**
 * The simplified form of a traditional character, or undefined. Taiwan and
 * Hong Kong variants both count (裡 and 裏 → 里). A character that is itself a
 * simplified one with a traditional form of its own (么 → 麼) is left alone:
 * in a query it already means what it says.
 */
export function openccSimplify(): (ch: string) => string | undefined {
  const fromTw = OpenCC.Converter({ from: 'tw', to: 'cn' });
  const fromHk = OpenCC.Converter({ from: 'hk', to: 'cn' });
  const toTw = OpenCC.Converter({ from: 'cn', to: 'tw' });
  return (ch) => {
    if (toTw(ch) !== ch) return undefined;
    for (const convert of [fromTw, fromHk]) {
      const s = convert(ch);
      if (s !== ch && s.length === 1) return s;
    }
    return undefined;
  };
}
