/**
 * Imports that must not lose or garble what is already saved: a list of links carries no
 * note, tags or save date, so it never overwrites them; a file in an encoding other than
 * UTF-8 or UTF-16 is refused rather than read with its non-ASCII text replaced.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { catalog as realCatalog, getEntry as realGetEntry } from '../../../utils/catalog';
import { exportAs, exportBibtex, exportJson, exportMarkdown, trimTrailing } from '../../../utils/favorites/export';
import { decodeImportBytes, ImportError, MAX_BIBTEX_LINE_LENGTH, MAX_LINE_LENGTH, parseImport, previewImport } from '../../../utils/favorites/import';
import { mergeFavorite, planMerge } from '../../../utils/favorites/merge';
import { readFavorites, snapshotOf } from '../../../utils/favorites/store';
import { createFavoritesService } from '../../../utils/favorites/writer';
import { clock, entry, fav, lookup } from './helpers';

const catalog = [entry('cmeee'), entry('cblue', { kind: 'evaluation' }), entry('huatuo')];
const getEntry = lookup(catalog);
/** Earlier than the service clock: a device whose clock is behind the one that saved the favorite. */
const BEHIND = 1_600_000_000_000;

beforeEach(() => fakeBrowser.reset());

describe('importing a list of links', () => {
  const listTexts: [string, (saved: ReturnType<typeof fav>) => string][] = [
    ['a plain list of links', () => 'https://example.org/cmeee\n'],
    ['our own Markdown export', (saved) => exportMarkdown([saved], { getEntry })],
  ];

  for (const [name, text] of listTexts) {
    it(`${name} keeps the note, tags and save date of a favorite already saved`, async () => {
      const { handlers, dispose } = createFavoritesService({ getEntry, now: clock() });
      await handlers['favorites:save']({ entryId: 'cmeee', note: 'my precious note', tags: ['ner'] }, {});
      const before = (await readFavorites(getEntry)).favorites[0];
      const parsed = parseImport(text(before), { entries: catalog, now: BEHIND });
      expect(parsed.format).toBe('list');
      expect(parsed.favorites.map((f) => f.entryId)).toEqual(['cmeee']);

      const preview = previewImport([before], parsed);
      expect(preview.updated).toEqual([]);
      expect(preview.unchanged.map((f) => f.entryId)).toEqual(['cmeee']);

      const res = await handlers['favorites:import']({ favorites: parsed.favorites }, {});
      expect(res).toMatchObject({ added: 0, updated: 0, unchanged: 1, changes: [] });
      const after = (await readFavorites(getEntry)).favorites[0];
      expect(after).toMatchObject({ note: 'my precious note', tags: ['ner'], savedAt: before.savedAt, updatedAt: before.updatedAt });
      dispose();
    });
  }

  it('adds a new favorite with real save and edit times', async () => {
    const { handlers, dispose } = createFavoritesService({ getEntry, now: clock() });
    const parsed = parseImport('https://example.org/cblue\nhuatuo\n', { entries: catalog, now: BEHIND });
    expect(previewImport([], parsed).added.map((f) => [f.entryId, f.savedAt, f.updatedAt])).toEqual([
      ['cblue', BEHIND, BEHIND],
      ['huatuo', BEHIND, BEHIND],
    ]);
    expect(await handlers['favorites:import']({ favorites: parsed.favorites }, {})).toMatchObject({ added: 2, updated: 0, unchanged: 0 });
    const stored = (await readFavorites(getEntry)).favorites;
    expect(stored.map((f) => [f.entryId, f.savedAt, f.updatedAt, f.note, f.tags]).sort()).toEqual([
      ['cblue', BEHIND, BEHIND, '', []],
      ['huatuo', BEHIND, BEHIND, '', []],
    ]);
    dispose();
  });

  it('a list item never counts as an edit in the merge, whatever the times', () => {
    const parsed = parseImport('cmeee\n', { entries: catalog, now: 4_000_000_000_000 });
    const [item] = parsed.favorites;
    const saved = fav('cmeee', { savedAt: 4_100_000_000_000, updatedAt: 4_100_000_000_000, note: 'kept', tags: ['a'] });
    expect(mergeFavorite(saved, item)).toEqual(saved);
    const plan = planMerge([saved], parsed.favorites);
    expect(plan.updated).toEqual([]);
    expect(plan.unchanged).toEqual([saved]);
    // A favorite without a note is kept as it is too (its save date included).
    const bare = fav('cmeee', { savedAt: 4_100_000_000_000, updatedAt: 4_100_000_000_000 });
    expect(planMerge([bare], parsed.favorites).unchanged).toEqual([bare]);
  });
});

describe('importing our Markdown export', () => {
  it('reads each favorite from its own line, not from links in its note, and reports no line of ours as unknown', () => {
    const saved = [fav('cmeee', { note: 'compare with https://example.org/cblue and huatuo', tags: ['ner'] }), fav('huatuo')];
    const parsed = parseImport(exportMarkdown(saved, { getEntry }), { entries: catalog, now: BEHIND });
    expect(parsed.format).toBe('list');
    expect(parsed.favorites.map((f) => f.entryId)).toEqual(['cmeee', 'huatuo']);
    expect(parsed.unknown).toEqual([]);
    // A list a person wrote with a link on an indented line of its own still counts it.
    expect(parseImport('- https://example.org/cmeee\n  - https://example.org/cblue\n', { entries: catalog, now: BEHIND }).favorites.map((f) => f.entryId)).toEqual(['cmeee', 'cblue']);
  });
});

describe('reading our exports back', () => {
  const everyEntry = realCatalog.map((e, i) => ({ entryId: e.id, savedAt: BEHIND + i * 1000, updatedAt: BEHIND + i * 1000, note: '', tags: [], ...snapshotOf(e) }));

  it('the Markdown export of every catalog entry reads back as those entries, each from its own line', () => {
    // MC-BERT's first link is ChineseBLUE's repository: the link alone names ChineseBLUE.
    expect(realCatalog.find((e) => e.id === 'mc-bert')?.links[0].url).toMatch(/ChineseBLUE/);
    const md = exportMarkdown(everyEntry, { getEntry: realGetEntry });
    const parsed = parseImport(md, { entries: realCatalog, now: BEHIND });
    expect(parsed.unknown).toEqual([]);
    expect(parsed.favorites.map((f) => f.entryId)).toEqual(everyEntry.map((f) => f.entryId));
    // A line copied by hand without its comment still resolves by its link, as any list does.
    expect(parseImport('- [CMeEE](<https://example.org/cmeee>) — dataset · saved 2026-01-01\n', { entries: catalog, now: BEHIND }).favorites.map((f) => f.entryId)).toEqual(['cmeee']);
  });

  it('refuses our CSV export with a reason, rather than reading its header and notes as a list', () => {
    const saved = [{ ...everyEntry[0], note: 'see https://arxiv.org/abs/1909.06146, and CBLUE', tags: ['a', 'b'] }];
    const csv = exportAs('csv', saved, { getEntry: realGetEntry }).text;
    let err: unknown;
    try {
      parseImport(csv, { entries: realCatalog, now: BEHIND });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ImportError);
    expect(err).toMatchObject({ code: 'our-csv' });
    // A list a person wrote with commas in it is still a list.
    expect(parseImport('https://example.org/cmeee, the one with entities\n', { entries: catalog, now: BEHIND }).favorites.map((f) => f.entryId)).toEqual(['cmeee']);
  });
});

describe('importing BibTeX', () => {
  const everyEntry = realCatalog.map((e, i) => ({ entryId: e.id, savedAt: BEHIND + i * 1000, updatedAt: BEHIND + i * 1000, note: '', tags: [], ...snapshotOf(e) }));

  it('reads our BibTeX export back as its entries, not the links in their notes, and reports none of its lines as unknown', () => {
    const saved = everyEntry.map((f) => ({ ...f, note: 'compare https://arxiv.org/abs/1909.06146 and github.com/dmis-lab/biobert', tags: ['a', 'b'] }));
    const bib = exportBibtex(saved, { getEntry: realGetEntry });
    const cited = [...bib.matchAll(/^@\w+\{([^,]+),/gm)].map((m) => m[1]);
    expect(cited.length).toBeGreaterThan(10);
    expect(cited).not.toContain('pubmedqa-paper');
    const parsed = parseImport(bib, { entries: realCatalog, now: BEHIND });
    expect(parsed.unknown).toEqual([]);
    expect(parsed.favorites.map((f) => f.entryId)).toEqual(cited);
  });

  it('reads a bibliography of ours or anyone\'s by its url, doi and eprint fields, and reports each entry that names nothing by its first line', () => {
    const bib = [
      '% my paper\'s references',
      '@string{acl = "Proceedings of ACL"}',
      '@comment{https://arxiv.org/abs/2106.08087',
      '}',
      '@article{lee2020biobert,',
      '  title = {{BioBERT}: a pre-trained biomedical language model},',
      '  abstract = {We compare with PubMedQA',
      '    (https://arxiv.org/abs/1909.06146) and {nested {braces}} here.},',
      '  doi = {10.1093/bioinformatics/btz682},',
      '}',
      '@inproceedings{someone2021, title={Nothing in the catalog}, url={https://example.org/x}}',
      '@misc{scibert-copy, eprint = {1903.10676}}',
      '@article{jin2019pubmedqa,',
      '  title={PubMedQA: A Dataset for Biomedical Research Question Answering},',
      '  journal={arXiv preprint arXiv:1909.06146},',
      '  year={2019}',
      '}',
      '@article{latte,',
      '  title={Latte: a video diffusion model},',
      '  note={see https://github.com/CBLUEbenchmark/CBLUE},',
      '  eprint={2401.03048},',
      '}',
      '@inproceedings{unbalanced,',
      '  title = {A title with a stray } brace},',
      '  year = 2021,',
      '}',
      'https://arxiv.org/abs/1904.03323',
    ].join('\n');
    const parsed = parseImport(bib, { entries: realCatalog, now: BEHIND });
    // Google Scholar's arXiv ID in `journal` counts; a key that is a catalog ID ("latte") does not in
    // anyone else's file, nor does a link in a note.
    expect(parsed.favorites.map((f) => f.entryId)).toEqual(['biobert', 'scibert', 'pubmedqa', 'clinicalbert-alsentzer']);
    expect(parsed.unknown).toEqual([
      { line: 11, text: '@inproceedings{someone2021, title={Nothing in the catalog}, url={https://example.org/x}}' },
      { line: 18, text: '@article{latte,' },
      { line: 23, text: '@inproceedings{unbalanced,' },
      // Its stray brace ended the entry early: the rest reads as lines of a list.
      { line: 25, text: 'year = 2021,' },
      { line: 26, text: '}' },
    ]);
  });
});

describe('importing BibTeX with long lines', () => {
  // A Zotero export writes each abstract on one line; many run past 2,048 characters.
  const abstract = `We compare with PubMedQA (https://arxiv.org/abs/1909.06146), ${'and describe the corpus in detail. '.repeat(120)}`;

  it('reads an entry whose abstract takes one line of thousands of characters, by its fields, not the abstract\'s links', () => {
    expect(abstract.length).toBeGreaterThan(4_000);
    const bib = ['@article{lee_biobert_2020,', '\ttitle = {{BioBERT}: a pre-trained biomedical language representation model},', `\tabstract = {${abstract}},`, '\tdoi = {10.1093/bioinformatics/btz682},', '}'].join('\n');
    const parsed = parseImport(bib, { entries: realCatalog, now: BEHIND });
    expect(parsed.favorites.map((f) => f.entryId)).toEqual(['biobert']);
    expect(parsed.unknown).toEqual([]);
  });

  it('reads a whole entry written on one long line by its fields, not by a link in its abstract', () => {
    const oneLine = `@misc{beltagy2019, title={SciBERT}, abstract={${abstract}}, eprint={1903.10676}, note={see https://github.com/dmis-lab/biobert}}`;
    expect(oneLine.length).toBeGreaterThan(4_000);
    const parsed = parseImport(`${oneLine}\n@misc{other, abstract={${abstract}}}`, { entries: realCatalog, now: BEHIND });
    expect(parsed.favorites.map((f) => f.entryId)).toEqual(['scibert']);
    expect(parsed.unknown.map((u) => u.line)).toEqual([2]);
  });

  it('still refuses a line too long for any bibliography, and a long line outside an entry, with the line and the limit', () => {
    const huge = `@misc{x, abstract={${'a'.repeat(MAX_BIBTEX_LINE_LENGTH)}}}`;
    expect(() => parseImport(huge, { entries: realCatalog, now: BEHIND })).toThrow(
      expect.objectContaining({ code: 'line-too-long', params: [1, huge.length, MAX_BIBTEX_LINE_LENGTH] }),
    );
    const after = `@misc{x, doi={10.1093/bioinformatics/btz682}}\n${'b'.repeat(3_000)}`;
    expect(() => parseImport(after, { entries: realCatalog, now: BEHIND })).toThrow(expect.objectContaining({ code: 'line-too-long', params: [2, 3_000, MAX_LINE_LENGTH] }));
  });

  it('reads hostile entries near the 5 MB limit in bounded time: unclosed braces, quotes and commas by the thousand', () => {
    const lines: string[] = [];
    for (let i = 0; i < 26; i++) lines.push(`@misc{k${i}, note = {${'{"(,'.repeat(24_000)}`, `url = ${'}'.repeat(90_000)}`);
    const text = lines.join('\n');
    expect(text.length).toBeGreaterThan(4_500_000);
    expect(text.length).toBeLessThan(5 * 1024 * 1024);
    const t0 = performance.now();
    const parsed = parseImport(text, { entries: realCatalog, now: BEHIND });
    expect(performance.now() - t0).toBeLessThan(3_000);
    expect(parsed.favorites).toEqual([]);
    expect(parsed.unknown).toHaveLength(26);
  });

  it('reads hostile url values in bounded time: a link with 99,000 slashes inside it, thousands of short fields', () => {
    const slashes = Array.from({ length: 12 }, (_, i) => `@misc{s${i}, url={https://x.org/${'/'.repeat(99_000)}x}}`);
    const fields = Array.from({ length: 30 }, (_, i) => `@misc{f${i}, ${'url=a,'.repeat(16_000)}}`);
    const text = [...slashes, ...fields, '@misc{ok, doi={10.1093/bioinformatics/btz682}}'].join('\n');
    expect(text.length).toBeLessThan(5 * 1024 * 1024);
    const t0 = performance.now();
    const parsed = parseImport(text, { entries: realCatalog, now: BEHIND });
    expect(performance.now() - t0).toBeLessThan(3_000);
    expect(parsed.favorites.map((f) => f.entryId)).toEqual(['biobert']);
    expect(parsed.unknown).toHaveLength(42);
  });

});

describe('importing BibTeX entries written with parentheses', () => {
  it('reads @type( key, … ) as @type{ key, … }: on one line or several, with parentheses and commas in quoted and braced values', () => {
    const bib = [
      '@string(acl = "Proceedings of ACL (long papers)")',
      '@article( lee2020,',
      '  title = "BioBERT (a model), and more",',
      '  journal = {Bioinformatics (Oxford)},',
      '  doi = {10.1093/bioinformatics/btz682}',
      ')',
      '@misc(beltagy2019, title = "SciBERT ) not the end", eprint = {1903.10676})',
      '@article(jin2019, title={PubMedQA}, journal={arXiv preprint arXiv:1909.06146}, year=2019)',
      '@misc(nothing, title = {Not in the catalog}, url = {https://example.org/x})',
      'https://arxiv.org/abs/1904.03323',
    ].join('\n');
    const parsed = parseImport(bib, { entries: realCatalog, now: BEHIND });
    expect(parsed.favorites.map((f) => f.entryId)).toEqual(['biobert', 'scibert', 'pubmedqa', 'clinicalbert-alsentzer']);
    expect(parsed.unknown).toEqual([{ line: 9, text: '@misc(nothing, title = {Not in the catalog}, url = {https://example.org/x})' }]);
  });

  it('reads the keys of our own export written with parentheses as catalog IDs', () => {
    const ours = exportBibtex([{ entryId: 'biobert', savedAt: BEHIND, updatedAt: BEHIND, note: '', tags: [], ...snapshotOf(realGetEntry('biobert')!) }], { getEntry: realGetEntry });
    const parens = ours.replace(/^@(\w+)\{([^,]+),/m, '@$1($2,').replace(/\}\s*$/, ')\n');
    expect(parens).toMatch(/^@\w+\(biobert,/m);
    // Only the key names it: no field does.
    const bare = parens.replace(/^\s*(?:url|doi|eprint|howpublished|journal|booktitle|note)\s*=.*$/gm, '');
    expect(parseImport(bare, { entries: realCatalog, now: BEHIND }).favorites.map((f) => f.entryId)).toEqual(['biobert']);
  });
});

describe('reading a list: its limits and JSON-shaped lists', () => {
  it('reads a list of links made of slashes in bounded time (each line within the line limit, so looked up)', () => {
    // A trailing-slash pattern tried at every slash of a run that does not end the link is quadratic
    // in the run: about 2 million steps a line here, for every one of 2,400 lines.
    const line = `https://x.org/${'/'.repeat(MAX_LINE_LENGTH - 40)}x`;
    const text = [...Array.from({ length: 2_400 }, () => line), 'https://arxiv.org/abs/1901.08746'].join('\n');
    expect(text.length).toBeLessThan(5 * 1024 * 1024);
    const t0 = performance.now();
    const parsed = parseImport(text, { entries: realCatalog, now: BEHIND });
    expect(performance.now() - t0).toBeLessThan(3_000);
    expect(parsed.favorites.map((f) => f.entryId)).toEqual(['biobert']);
  });

  it('counts a file\'s lines without the break that ends the last one', () => {
    const lines = Array.from({ length: 100_000 }, () => 'cmeee');
    expect(parseImport(`${lines.join('\n')}\n`, { entries: catalog, now: BEHIND }).favorites.map((f) => f.entryId)).toEqual(['cmeee']);
    expect(parseImport(`${lines.join('\r\n')}\r\n`, { entries: catalog, now: BEHIND }).favorites).toHaveLength(1);
    expect(() => parseImport(`${lines.join('\n')}\ncmeee\n`, { entries: catalog, now: BEHIND })).toThrow(/100001 lines; at most 100000/);
  });

  it('reads a JSON array of IDs and links as a list, and refuses an export whose version is not a positive number', () => {
    const parsed = parseImport('["cmeee", "https://example.org/cblue", "nope"]', { entries: catalog, now: BEHIND });
    expect([parsed.format, parsed.favorites.map((f) => f.entryId), parsed.unknown]).toEqual(['list', ['cmeee', 'cblue'], [{ line: 3, text: 'nope' }]]);
    for (const version of [0, -5]) {
      const text = exportJson([fav('cmeee')]).replace(/"version": ?\d+/, `"version": ${version}`);
      expect(text).toContain(`"version": ${version}`);
      expect(() => parseImport(text, { entries: catalog, now: BEHIND })).toThrow(expect.objectContaining({ code: 'no-version' }));
    }
  });

  it('unwraps a pasted link as before, bracket for bracket (trimTrailing against its first, quadratic form)', () => {
    const before = (s: string, trail: RegExp) => {
      let t = s;
      while (t && trail.test(t.at(-1)!) && !(t.endsWith(')') && t.split('(').length >= t.split(')').length)) t = t.slice(0, -1);
      return t;
    };
    const trail = /[\s)\]}>"'`*_.,;:!?]/;
    fc.assert(
      fc.property(fc.array(fc.constantFrom('(', ')', 'a', '.', ' ', ']', '_', '\\')).map((a) => a.join('')), (s) => trimTrailing(s, trail) === before(s, trail)),
      { numRuns: 3000 },
    );
    const long = `see https://a.org/x${')'.repeat(2000)}`;
    expect(trimTrailing(long, trail)).toBe('see https://a.org/x');
  });
});

describe('importing tags as the editor writes them', () => {
  it('splits, unmarks and folds the tags of an imported favorite as typing them would', () => {
    const text = exportJson([fav('cmeee', { tags: ['#NER', 'a, b', 'BERT', 'ｂｅｒｔ', '医学；临床'] })]);
    expect(parseImport(text, { entries: catalog, now: BEHIND }).favorites[0].tags).toEqual(['NER', 'a', 'b', 'BERT', '医学', '临床']);
    // More tags than a favorite may hold once split: they stay as they came, and the file imports.
    const tags = Array.from({ length: 20 }, (_, i) => `x${i}, y${i}`);
    expect(parseImport(exportJson([fav('cmeee', { tags })]), { entries: catalog, now: BEHIND }).favorites[0].tags).toEqual(tags);
  });
});

describe('importing our JSON export', () => {
  it('refuses a favorite whose note is too big to sync, naming it, and imports nothing', () => {
    const ok = fav('cmeee', { note: 'fine' });
    const big = fav('cblue', { note: '医'.repeat(3000) });
    const text = exportJson([ok, big], { getEntry });
    let err: unknown;
    try {
      parseImport(text, { entries: catalog, now: BEHIND });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ImportError);
    expect(err).toMatchObject({ code: 'invalid-favorite', params: [2, 'cblue'] });
    expect((err as Error).message).toMatch(/Favorite #2 \(cblue\): the note and tags take \d+ bytes/);
    // The same file with a note that fits imports both.
    const fits = exportJson([ok, fav('cblue', { note: '医'.repeat(2000) })], { getEntry });
    expect(parseImport(fits, { entries: catalog, now: BEHIND }).favorites.map((f) => f.entryId)).toEqual(['cmeee', 'cblue']);
  });
});

describe('reading a file’s bytes', () => {
  const utf8 = (s: string) => new TextEncoder().encode(s);
  const utf16 = (s: string, order: 'le' | 'be') => {
    const out = new Uint8Array(s.length * 2);
    for (let i = 0; i < s.length; i++) {
      const [lo, hi] = [s.charCodeAt(i) & 0xff, s.charCodeAt(i) >> 8];
      out.set(order === 'le' ? [lo, hi] : [hi, lo], i * 2);
    }
    return out;
  };
  const join = (...parts: ArrayLike<number>[]) => Uint8Array.from(parts.flatMap((p) => Array.from(p)));
  const list = 'cmeee\r\nhttps://example.org/cblue 中文备注\r\n';
  const json = exportJson([fav('cmeee', { note: '中文备注', tags: ['命名实体'] })]);

  it('reads UTF-8 with or without a byte-order mark', () => {
    expect(decodeImportBytes(utf8(json))).toBe(json);
    expect(decodeImportBytes(join([0xef, 0xbb, 0xbf], utf8(json)))).toBe(json);
    expect(decodeImportBytes(join([0xef, 0xbb, 0xbf], utf8(list)).buffer)).toBe(list);
    expect(decodeImportBytes(new Uint8Array(0))).toBe('');
  });

  it('reads UTF-16 little- and big-endian files that start with a byte-order mark', () => {
    expect(decodeImportBytes(join([0xff, 0xfe], utf16(list, 'le')))).toBe(list);
    expect(decodeImportBytes(join([0xfe, 0xff], utf16(list, 'be')))).toBe(list);
    expect(decodeImportBytes(join([0xff, 0xfe], utf16(json, 'le')))).toBe(json);
    const parsed = parseImport(decodeImportBytes(join([0xff, 0xfe], utf16(list, 'le'))), { entries: catalog });
    expect([parsed.favorites.map((f) => f.entryId), parsed.unknown]).toEqual([['cmeee', 'cblue'], []]);
  });

  it('refuses bytes that are not UTF-8 (a JSON export saved as GBK) with a clear error', () => {
    const [head, tail] = json.split('中文备注');
    const gbk = join(utf8(head), [0xd6, 0xd0, 0xce, 0xc4], utf8(tail));
    expect(() => decodeImportBytes(gbk)).toThrow(ImportError);
    expect(() => decodeImportBytes(gbk)).toThrow('The file is not UTF-8 text. Save it as UTF-8 and import it again.');
    // A UTF-16 file cut off in the middle of a character is no clean text either.
    expect(() => decodeImportBytes(join([0xff, 0xfe], utf16(list, 'le'), [0x41]))).toThrow(/not UTF-8 text/);
    expect(() => decodeImportBytes(join([0xfe, 0xff], utf16(list, 'be'), [0x41]))).toThrow(/not UTF-8 text/);
  });

  it('refuses text with NUL characters (UTF-16 without a byte-order mark reads as valid UTF-8 with them)', () => {
    expect(() => parseImport('cmeee\u0000\n', { entries: catalog })).toThrow(/NUL characters/);
    const text = decodeImportBytes(utf16('cmeee\r\nhttps://example.org/cblue\r\n', 'le'));
    expect(text).toContain('\u0000');
    expect(() => parseImport(text, { entries: catalog })).toThrow(ImportError);
    expect(() => parseImport(text, { entries: catalog })).toThrow(/NUL characters/);
    // A replacement character typed into a note is text like any other.
    expect(parseImport(exportJson([fav('cmeee', { note: 'odd \uFFFD mark' })]), { entries: catalog }).favorites[0].note).toBe('odd \uFFFD mark');
  });
});
