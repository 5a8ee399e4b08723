/**
 * The two message tables (public/_locales): every string exists in both languages, with the
 * same substitutions, so a Chinese UI never falls back to an English string or loses a value.
 */
import { describe, expect, it } from 'vitest';
import en from '../../../public/_locales/en/messages.json';
import zh from '../../../public/_locales/zh_CN/messages.json';

type Table = Record<string, { message: string; placeholders?: Record<string, unknown> }>;
const tables = { en: en as Table, zh_CN: zh as Table };
/** The numbered substitutions ($1, $2 …) and named placeholders ($NAME$) a message uses. */
const subs = (m: string) => [...new Set(m.match(/\$\d|\$[A-Za-z_]+\$/g) ?? [])].sort();

describe('message tables', () => {
  it('have the same keys in English and Chinese', () => {
    const missing = (a: Table, b: Table) => Object.keys(a).filter((k) => !(k in b));
    expect(missing(tables.en, tables.zh_CN)).toEqual([]);
    expect(missing(tables.zh_CN, tables.en)).toEqual([]);
  });

  it('use the same substitutions in both languages, and no empty message', () => {
    const differ = Object.keys(tables.en).filter((k) => tables.zh_CN[k] && subs(tables.en[k].message).join() !== subs(tables.zh_CN[k].message).join());
    expect(differ).toEqual([]);
    for (const t of Object.values(tables)) for (const [k, v] of Object.entries(t)) expect(v.message.trim(), k).not.toBe('');
  });

  it("keep the manifest's name and description within the browsers' limits (45 and 132 characters: the store refuses longer)", () => {
    for (const [lang, t] of Object.entries(tables)) {
      expect(t.extName.message.length, lang).toBeLessThanOrEqual(45);
      expect(t.extDescription.message.length, lang).toBeLessThanOrEqual(132);
    }
  });
});
