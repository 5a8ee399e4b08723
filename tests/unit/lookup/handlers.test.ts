import { describe, expect, it } from 'vitest';
import { catalog, getEntry } from '../../../utils/catalog';
import { createSearcher } from '../../../utils/search';
import type { SearchIndex } from '../../../utils/search/types';
import searchIndex from '../../../generated/search-index.json';
import {
  contextMenuTarget,
  describe as describeEntry,
  dispositionAction,
  escapeXml,
  omniboxDefault,
  omniboxSuggestions,
  omniboxTarget,
  popupSearchUrl,
  type LookupDeps,
} from '../../../utils/lookup/handlers';
import { segments } from '../../../utils/lookup/highlight';
import { primaryLink } from '../../../utils/lookup/links';
import { MAX_QUERY_LENGTH, normalizeQuery } from '../../../utils/lookup/query';
import type { Entry } from '../../../utils/catalog/types';

const POPUP = 'chrome-extension://abc/popup.html';
const searcher = createSearcher(searchIndex as unknown as SearchIndex);
const deps: LookupDeps = {
  search: (q, limit) => searcher.search(q, { limit }),
  getEntry,
  popupUrl: POPUP,
  t: (key, ...subs) => `${key}(${subs.join(',')})`,
};
const known = new Set(catalog.flatMap((e) => e.links.map((l) => l.url)));
const isKnown = (u: string) => known.has(u);

/** Chrome rejects descriptions that are not well-formed XML; this is the same check, minus Chrome. */
function wellFormed(description: string): boolean {
  const stripped = description.replace(/<\/?(match|dim|url)>/g, '');
  return !/[<>]/.test(stripped) && !/&(?!(amp|lt|gt|quot|apos);)/.test(stripped);
}

describe('normalizeQuery', () => {
  it('flattens pasted newlines and tabs, trims, and treats blank input as empty', () => {
    expect(normalizeQuery('  Pub\nMed\tQA \r\n')).toBe('Pub Med QA');
    expect(normalizeQuery('   \n\t ')).toBe('');
    // Control characters and invisible joiners are no query, and split no word.
    expect(normalizeQuery('\u0000\u200b')).toBe('');
    expect(normalizeQuery('Pub\u0000Med\u001bQA\u2060')).toBe('PubMedQA');
    expect(normalizeQuery('\u200c\u200d\u00ad\ufeff ')).toBe('');
    expect(normalizeQuery('Pub\ufeffMed\u00adQA')).toBe('PubMedQA');
    // A line break of any kind separates words; an emoji's joiner stays.
    expect(normalizeQuery('Pub\u0085Med\u2028QA')).toBe('Pub Med QA');
    expect(normalizeQuery('Pub\u200bMed')).toBe('Pub Med');
    // Half a surrogate pair (selected text a page's script made): dropped, so the query fits a URL.
    expect(normalizeQuery('zz\udc00zz\ud83d')).toBe('zzzz');
    expect(() => encodeURIComponent(normalizeQuery('医\ud800渡云'))).not.toThrow();
    expect(normalizeQuery('👩\u200d⚕️ 医生')).toBe('👩\u200d⚕️ 医生');
    expect(normalizeQuery(undefined)).toBe('');
  });
  it('caps very long input without splitting an emoji', () => {
    expect(normalizeQuery('a'.repeat(2000))).toHaveLength(MAX_QUERY_LENGTH);
    const emoji = '😀'.repeat(200);
    const out = normalizeQuery(emoji);
    expect(Array.from(out)).toHaveLength(MAX_QUERY_LENGTH);
    expect(out).not.toMatch(/[\ud800-\udbff]$/);
  });
});

describe('segments', () => {
  it('splits text at merged, clamped ranges', () => {
    expect(segments('Yidu-S4K', [[0, 4]])).toEqual([
      { text: 'Yidu', match: true },
      { text: '-S4K', match: false },
    ]);
    expect(segments('abcdef', [[3, 5], [1, 2], [4, 99], [-3, 0]])).toEqual([
      { text: 'a', match: false },
      { text: 'b', match: true },
      { text: 'c', match: false },
      { text: 'def', match: true },
    ]);
    expect(segments('', [[0, 1]])).toEqual([]);
  });
});

describe('primaryLink', () => {
  it('keeps the catalog order but never prefers a cloud-drive download', () => {
    const yidu = getEntry('yidu-s4k')!;
    expect(primaryLink(yidu)?.type).not.toBe('download');
    const onlyDownload = { links: [{ url: 'https://pan.baidu.com/s/x', type: 'download' as const }] };
    expect(primaryLink(onlyDownload)?.url).toBe('https://pan.baidu.com/s/x');
    expect(primaryLink({ links: [] })).toBeUndefined();
  });
});

describe('escapeXml', () => {
  it('escapes the five XML specials and drops control characters', () => {
    expect(escapeXml(`a&b<c>"d'\u0007`)).toBe('a&amp;b&lt;c&gt;&quot;d&apos;');
  });
});

describe('omnibox suggestions', () => {
  it('suggests catalog entries for English, Chinese and pinyin input', () => {
    for (const [q, id] of [['PubMedQA', 'pubmedqa'], ['医渡云', 'yidu-s4k'], ['tangniaobing', 'ruijin-diabetes']] as const) {
      const list = omniboxSuggestions(q, deps, { markup: true });
      expect(list.length, q).toBeGreaterThan(0);
      expect(list.map((s) => s.content), q).toContain(primaryLink(getEntry(id)!)!.url);
    }
  });

  it('produces well-formed XML with <match> around matched title characters (Chrome)', () => {
    const [first] = omniboxSuggestions('PubMedQA', deps, { markup: true });
    expect(first.description).toMatch(/<match>PubMedQA<\/match>/);
    for (const e of catalog) {
      expect(wellFormed(describeEntry(e, undefined, deps, true)), e.id).toBe(true);
    }
  });

  it('escapes hostile titles and stays plain text for Firefox', () => {
    const evil: Entry = { ...getEntry('pubmedqa')!, title: 'A & B <script> "x"' };
    const chrome = describeEntry(evil, { entryId: evil.id, score: 0, highlights: [{ field: 'title', ranges: [[0, 1]] }] }, deps, true);
    expect(chrome).toContain('<match>A</match> &amp; B &lt;script&gt; &quot;x&quot;');
    expect(wellFormed(chrome)).toBe(true);
    expect(describeEntry(evil, undefined, deps, false)).toContain('A & B <script> "x"');
  });

  it('suggests both of two entries that share a first link: the second opens in the popup', () => {
    const shared = primaryLink(getEntry('mc-bert')!)!.url;
    expect(primaryLink(getEntry('chineseblue')!)!.url).toBe(shared);
    const list = omniboxSuggestions('chineseblue', deps, { markup: true, limit: 10 });
    const titles = list.map((s) => s.description.replace(/<[^>]+>/g, ''));
    for (const id of ['chineseblue', 'mc-bert']) expect(titles.some((t) => t.startsWith(getEntry(id)!.title)), id).toBe(true);
    expect(list.filter((s) => s.content === shared)).toHaveLength(1);
    expect(list.some((s) => s.content.startsWith(`${deps.popupUrl}?q=`))).toBe(true);
  });

  it('never repeats a content string and ignores blank or absurd input', () => {
    const list = omniboxSuggestions('medical', deps, { markup: true, limit: 10 });
    expect(new Set(list.map((s) => s.content)).size).toBe(list.length);
    expect(omniboxSuggestions('   ', deps, { markup: true })).toEqual([]);
    for (const q of ['x'.repeat(2000), '.*+?^${}()|[]\\', '🧬🩺💊', 'line1\nline2']) {
      expect(() => omniboxSuggestions(q, deps, { markup: true })).not.toThrow();
      expect(wellFormed(omniboxDefault(q, deps, true))).toBe(true);
    }
  });

  it('describes what Enter will do in the default suggestion', () => {
    expect(omniboxDefault('', deps, true)).toBe('lookup_omniboxHint()');
    expect(omniboxDefault('PubMedQA', deps, true)).toMatch(/^lookup_omniboxOpen\(.*PubMedQA/);
    expect(omniboxDefault('zzqqxxjj', deps, false)).toBe('lookup_omniboxNoMatch(zzqqxxjj)');
  });
});

describe('omniboxTarget', () => {
  it('opens a suggestion link as is, and typed text through the best match', () => {
    const url = primaryLink(getEntry('pubmedqa')!)!.url;
    expect(omniboxTarget(url, deps, isKnown)).toBe(url);
    expect(omniboxTarget('PubMedQA', deps, isKnown)).toBe(url);
    expect(omniboxTarget('  Yidu-S4K ', deps, isKnown)).toBe(primaryLink(getEntry('yidu-s4k')!)!.url);
    // 医渡云 names a company and two of its datasets; the company's own entry ranks first (ranking.test.ts).
    expect(omniboxTarget('医渡云', deps, isKnown)).toBe('https://www.yiducloud.com.cn/academy.html');
  });
  it('falls back to the popup page for no match, blank input and unknown URLs', () => {
    expect(omniboxTarget('zzqqxxjj', deps, isKnown)).toBe(`${POPUP}?q=zzqqxxjj`);
    expect(omniboxTarget('   ', deps, isKnown)).toBe(POPUP);
    expect(omniboxTarget('https://evil.example/x', deps, isKnown)).not.toBe('https://evil.example/x');
    expect(omniboxTarget(`${POPUP}?q=abc`, deps, isKnown)).toBe(`${POPUP}?q=abc`);
  });
  it('maps dispositions to tab actions', () => {
    expect(dispositionAction('currentTab')).toEqual({ kind: 'update' });
    expect(dispositionAction('newForegroundTab')).toEqual({ kind: 'create', active: true });
    expect(dispositionAction('newBackgroundTab')).toEqual({ kind: 'create', active: false });
  });
});

describe('contextMenuTarget', () => {
  it('opens the popup page pre-filled with the cleaned selection', () => {
    expect(contextMenuTarget(' PubMed\nQA ', POPUP)).toBe(`${POPUP}?q=PubMed%20QA`);
    expect(contextMenuTarget('医渡云 & co', POPUP)).toBe(`${POPUP}?q=${encodeURIComponent('医渡云 & co')}`);
    expect(contextMenuTarget('  ', POPUP)).toBeNull();
    expect(contextMenuTarget(undefined, POPUP)).toBeNull();
    expect(decodeURIComponent(contextMenuTarget('y'.repeat(5000), POPUP)!.split('?q=')[1])).toHaveLength(MAX_QUERY_LENGTH);
    expect(popupSearchUrl(POPUP, '')).toBe(POPUP);
  });
});
