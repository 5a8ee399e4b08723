import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { KINDS, LINK_TYPES } from '../../../utils/catalog/types';
import { csvField, exportAs, exportBibtex, exportCsv, exportJson, exportMarkdown } from '../../../utils/favorites/export';
import { ImportError, MAX_IMPORT_BYTES, parseImport, previewImport } from '../../../utils/favorites/import';
import { isBare, mergeFavorite, planMerge } from '../../../utils/favorites/merge';
import type { Favorite } from '../../../utils/favorites/types';
import { fold, parseTags } from '../../../utils/favorites/tags';
import { checkNote } from '../../../utils/favorites/validate';
import { entry, fav, lookup } from './helpers';

const catalog = [
  entry('cmeee', { title: 'CMeEE: Chinese Medical Entity Extraction', links: [{ url: 'https://tianchi.aliyun.com/dataset/95414', type: 'dataset' }] }),
  entry('cblue-paper', {
    kind: 'paper',
    title: 'CBLUE: A Chinese Biomedical Language Understanding Evaluation Benchmark',
    year: 2022,
    venue: 'ACL 2022',
    ids: { arxiv: ['2106.08087'], acl: ['2022.acl-long.544'], doi: ['10.18653/v1/2022.acl-long.544'], github: ['CBLUEbenchmark/CBLUE'] },
    links: [{ url: 'https://aclanthology.org/2022.acl-long.544/', type: 'paper' }],
  }),
  entry('arxiv-only', { kind: 'paper', title: 'Some_paper & 100% {braces}', ids: { arxiv: ['2301.12345'], acl: [], doi: [], github: [] } }),
];
const getEntry = lookup(catalog);
const NOW = Date.UTC(2026, 0, 2);

describe('export', () => {
  const favs: Favorite[] = [
    fav('cblue-paper', { kind: 'paper', title: catalog[1].title, note: 'baseline, "must read"', tags: ['bench'] }),
    fav('arxiv-only', { kind: 'paper', title: catalog[2].title, links: [] }),
    fav('cmeee', { note: '=HYPERLINK("x")\nline2' }),
  ];

  it('BibTeX: papers only, with ACL url, arXiv eprint/archivePrefix and DOI', () => {
    const bib = exportBibtex(favs, { getEntry });
    expect(bib).toContain('@inproceedings{cblue-paper,');
    expect(bib).toContain('url = {https://aclanthology.org/2022.acl-long.544}');
    expect(bib).toContain('eprint = {2106.08087}');
    expect(bib).toContain('archivePrefix = {arXiv}');
    expect(bib).toContain('doi = {10.18653/v1/2022.acl-long.544}');
    expect(bib).toContain('booktitle = {ACL 2022}');
    expect(bib).toContain('year = 2022');
    expect(bib).toContain('@misc{arxiv-only,');
    expect(bib).toContain('title = {{Some\\_paper \\& 100\\% \\textbraceleft{}braces\\textbraceright{}}}');
    expect(bib).toContain('url = {https://arxiv.org/abs/2301.12345}');
    expect(bib).not.toContain('cmeee');
  });

  it('BibTeX reads ids off saved links when the entry left the catalog', () => {
    const orphan = fav('gone', { kind: 'paper', title: 'Gone', links: [{ url: 'https://arxiv.org/abs/2101.00001v2', type: 'paper' }, { url: 'https://doi.org/10.1000/xyz', type: 'paper' }] });
    const bib = exportBibtex([orphan], { getEntry });
    expect(bib).toContain('eprint = {2101.00001}');
    expect(bib).toContain('doi = {10.1000/xyz}');
  });

  it('BibTeX keeps every field closed whatever braces a note or title holds, and survives malformed links', () => {
    const odd = [
      fav('arxiv-only', { kind: 'paper', title: 'Set {A, B', note: 'compare with } and {{', links: [] }),
      fav('gone', { kind: 'paper', title: 'Gone}', links: [{ url: 'https://doi.org/10.1000/abc%zz', type: 'paper' }] }),
    ];
    const bib = exportBibtex(odd, { getEntry });
    expect(bib).toContain('annote = {compare with \\textbraceright{} and \\textbraceleft{}\\textbraceleft{}}');
    // A DOI is printed verbatim: no TeX escape, only what would break the field percent-encoded.
    expect(bib).toContain('doi = {10.1000/abc%25zz}');
    // Each entry, and each field in it, has as many closing braces as opening ones.
    // Our mark first, a comment to BibTeX.
    expect(bib.split('\n')[0]).toMatch(/^% MedNLP Lens/);
    const entries = bib.replace(/^%.*\n\n/, '').split(/\n(?=@)/);
    expect(entries).toHaveLength(2);
    for (const e of entries) {
      expect(e.split('{').length, e).toBe(e.split('}').length);
      for (const line of e.split('\n').slice(1, -2)) expect(line.split('{').length, line).toBe(line.split('}').length);
    }
  });

  it('BibTeX keeps a title\'s capitals, prints a note\'s angle brackets as themselves, keeps the note out of the reference list, and writes a DOI as it is', () => {
    const f = fav('gone', {
      kind: 'paper',
      title: 'MEDIQA 2021: BERT <mask> tokens',
      note: 'replace with <mask>; p<0.05 | weak baseline',
      links: [{ url: 'https://doi.org/10.1000/a_b#abstract', type: 'paper' }, { url: 'https://arxiv.org/abs/2101.00001v2?context=cs.CL', type: 'paper' }],
    });
    const bib = exportBibtex([f], { getEntry });
    expect(bib).toContain('title = {{MEDIQA 2021: BERT \\textless{}mask\\textgreater{} tokens}}');
    expect(bib).toContain('annote = {replace with \\textless{}mask\\textgreater{}; p\\textless{}0.05 \\textbar{} weak baseline}');
    expect(bib).not.toMatch(/^\s*note = /m);
    expect(bib).toContain('doi = {10.1000/a_b}');
    expect(bib).toContain('eprint = {2101.00001}');
  });

  it('CSV follows RFC 4180, starts with a byte-order mark and defuses formulas', () => {
    const csv = exportCsv(favs);
    expect(csv.startsWith('\uFEFFentry_id,')).toBe(true);
    const lines = csv.slice(1).split('\r\n');
    expect(lines[0]).toBe('entry_id,title,kind,saved_at,updated_at,note,tags,url');
    expect(csv).toContain('"baseline, ""must read"""');
    expect(csv).toContain(`"'=HYPERLINK(""x"")\nline2"`);
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('a\r\nb')).toBe('"a\r\nb"');
    expect(csvField('@SUM(1)')).toBe("'@SUM(1)");
  });

  it('Markdown lists favorites with links, escaped notes and orphans marked', () => {
    // Saved at noon local time: the date in the list is the local one, whatever the time zone.
    const saved = [{ ...favs[0], savedAt: new Date(2023, 10, 14, 12).getTime() }, ...favs.slice(1)];
    const md = exportMarkdown([...saved, fav('gone', { title: 'Gone <b>bold</b>', note: '*x* [y](z)' })], { getEntry, now: NOW });
    expect(md).toContain('# Favorites');
    expect(md).toContain('- [CBLUE: A Chinese Biomedical Language Understanding Evaluation Benchmark](<https://example.org/cblue-paper>) — paper · saved 2023-11-14');
    expect(md).toContain('  - Note: baseline, "must read"');
    expect(md).toContain('Gone &lt;b&gt;bold&lt;/b&gt;');
    expect(md).toContain('\\*x\\* \\[y\\]\\(z\\)');
    expect(md).toContain('no longer in the catalog');
  });

  it('Markdown keeps a note on its line whatever its line breaks (a lone CR comes in through JSON import)', () => {
    const one = entry('e-one');
    const two = entry('e-two', { links: [{ url: 'https://example.org/two', type: 'homepage' }] });
    for (const note of ['compare with\rhttps://example.org/two', 'compare with\r\nhttps://example.org/two', 'compare with\nhttps://example.org/two']) {
      const md = exportMarkdown([fav('e-one', { note })], { now: NOW });
      expect(md.split(/\r\n?|\n/).filter((l) => l.includes('example.org/two')), JSON.stringify(note)).toEqual(['  - Note: compare with <https://example.org/two>']);
      // Read back: the favorite, not the entry a link in its note names.
      expect(parseImport(md, { entries: [one, two] }).favorites.map((f) => f.entryId)).toEqual(['e-one']);
    }
  });

  it('Markdown writes a link in a note or tag as a link, unescaped, and a link-less title that starts like a list item as text', () => {
    const md = exportMarkdown(
      [
        fav('e-one', {
          note: 'see https://github.com/GanjinZero/awesome_Chinese_medical_NLP and (https://en.wikipedia.org/wiki/BERT_(language_model)). Also *this*.',
          tags: ['https://example.org/a_b'],
          links: [],
          title: '1. Intro to_NER',
        }),
      ],
      { now: NOW },
    );
    expect(md).toContain(
      '  - Note: see <https://github.com/GanjinZero/awesome_Chinese_medical_NLP> and \\(<https://en.wikipedia.org/wiki/BERT_(language_model)>\\). Also \\*this\\*.',
    );
    expect(md).toContain('  - Tags: <https://example.org/a_b>');
    expect(md).toMatch(/^- 1\\\. Intro to\\_NER — /m);
  });

  it('exportAs names files by format', () => {
    expect(exportAs('csv', favs, { now: new Date(2026, 0, 2, 12).getTime() }).filename).toBe('cmed-favorites-2026-01-02.csv');
    expect(exportAs('bibtex', favs, { now: NOW, getEntry }).mime).toBe('application/x-bibtex');
  });
});

const safeText = (max: number) => fc.string({ maxLength: max, unit: 'grapheme' }).filter((s) => checkNote(s).ok);
const favArb: fc.Arbitrary<Favorite> = fc.record({
  entryId: fc.stringMatching(/^[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,2}$/),
  savedAt: fc.integer({ min: 0, max: 4_102_444_800_000 }),
  updatedAt: fc.integer({ min: 0, max: 4_102_444_800_000 }),
  note: safeText(80),
  // Tags as the editor writes them (an import writes them so: see the import tests).
  tags: fc.uniqueArray(
    safeText(10).filter((s) => { const p = parseTags(s); return p.length === 1 && p[0] === s; }),
    { maxLength: 4, selector: fold },
  ),
  title: safeText(40).filter((s) => s.trim() !== '' && !/[\n\r\t]/.test(s)),
  kind: fc.constantFrom(...KINDS),
  links: fc.array(fc.record({ url: fc.webUrl({ validSchemes: ['https'] }), type: fc.constantFrom(...LINK_TYPES) }), { maxLength: 3 }),
});

describe('import', () => {
  it('import ∘ export JSON is the identity', () => {
    fc.assert(
      fc.property(fc.uniqueArray(favArb, { selector: (f) => f.entryId, maxLength: 15 }), (favs) => {
        const parsed = parseImport(exportJson(favs, { now: NOW }), { entries: catalog });
        expect(parsed.favorites).toEqual(favs);
      }),
      { numRuns: 200 },
    );
  });

  it('reads a list of links and ids, reporting unknown lines', () => {
    const text = [
      'cmeee',
      'https://arxiv.org/abs/2106.08087v2',
      'arXiv:2301.12345',
      '2022.acl-long.544',
      'https://github.com/cblue-benchmark/nothing',
      'CBLUEbenchmark/CBLUE',
      '# a comment',
      '- [CMeEE](https://tianchi.aliyun.com/dataset/95414/)',
      'https://unknown.example.com/x',
      '',
    ].join('\n');
    const parsed = parseImport(text, { entries: catalog, now: NOW });
    expect(parsed.format).toBe('list');
    expect(parsed.favorites.map((f) => f.entryId).sort()).toEqual(['arxiv-only', 'cblue-paper', 'cmeee']);
    expect(parsed.unknown).toEqual([{ line: 5, text: 'https://github.com/cblue-benchmark/nothing' }, { line: 9, text: 'https://unknown.example.com/x' }]);
    const preview = previewImport([fav('cmeee')], parsed);
    expect(preview.added.map((f) => f.entryId).sort()).toEqual(['arxiv-only', 'cblue-paper']);
    expect(preview.unchanged.map((f) => f.entryId)).toEqual(['cmeee']);
  });

  it('reads links and IDs as people paste them: labelled, wrapped, punctuated, in Chinese text or a BibTeX entry', () => {
    const cases: [string, string][] = [
      ['doi: 10.18653/v1/2022.acl-long.544', 'cblue-paper'],
      ['DOI 10.18653/v1/2022.acl-long.544', 'cblue-paper'],
      ['arXiv: 2106.08087', 'cblue-paper'],
      ['arXiv 2106.08087v2', 'cblue-paper'],
      ['https://arxiv.org/abs/2106.08087.', 'cblue-paper'],
      ['(https://arxiv.org/abs/2106.08087)', 'cblue-paper'],
      ['"https://arxiv.org/abs/2106.08087",', 'cblue-paper'],
      ['`https://arxiv.org/abs/2106.08087`', 'cblue-paper'],
      ['**https://arxiv.org/abs/2106.08087**', 'cblue-paper'],
      ['cmeee,', 'cmeee'],
      ['论文：https://arxiv.org/abs/2106.08087', 'cblue-paper'],
      ['论文 https://arxiv.org/abs/2106.08087，代码见仓库', 'cblue-paper'],
      ['（https://arxiv.org/abs/2106.08087）', 'cblue-paper'],
      ['https://arxiv.org/abs/2106.08087。', 'cblue-paper'],
      ['２１０６.０８０８７', 'cblue-paper'],
      ['1. 2106.08087', 'cblue-paper'],
      ['2) arXiv:2301.12345', 'arxiv-only'],
      ['  eprint = {2301.12345},', 'arxiv-only'],
      ['  url = {https://arxiv.org/abs/2301.12345},', 'arxiv-only'],
      ['  doi = {10.18653/v1/2022.acl-long.544},', 'cblue-paper'],
      ['见 Zhang et al. 2022, doi:10.18653/v1/2022.acl-long.544.', 'cblue-paper'],
      ['https://doi.org/10.18653/v1/2022.acl-long.544#abstract', 'cblue-paper'],
    ];
    for (const [line, id] of cases) {
      const parsed = parseImport(`${line}\n`, { entries: catalog, now: NOW });
      expect([line, parsed.favorites.map((f) => f.entryId)]).toEqual([line, [id]]);
    }
    // A sentence with no link or ID in it names nothing; a year or a page range is no ID.
    for (const line of ['we compared it with the CMeEE baseline', 'Proceedings of ACL 2022, pages 7888–7915.']) {
      expect(parseImport(`${line}\n`, { entries: catalog, now: NOW }).unknown).toEqual([{ line: 1, text: line }]);
    }
  });

  it('reads the Anthology’s older URL layouts in a list', () => {
    const cat = [...catalog, entry('pubmedqa', { kind: 'paper', title: 'PubMedQA', ids: { arxiv: [], acl: ['D19-1259'], doi: [], github: [] } })];
    for (const line of ['https://www.aclweb.org/anthology/papers/D/D19/D19-1259/', 'http://anthology.aclweb.org/D/D19/D19-1259.pdf', 'http://aclweb.org/anthology/D19-1259']) {
      const parsed = parseImport(`${line}\n`, { entries: cat, now: NOW });
      expect([line, parsed.favorites.map((f) => f.entryId)]).toEqual([line, ['pubmedqa']]);
    }
  });

  it('takes a list whose first line is a Markdown link or a numbered reference as a list, not as broken JSON', () => {
    for (const first of ['[CMeEE](https://tianchi.aliyun.com/dataset/95414/)', '[1] https://tianchi.aliyun.com/dataset/95414/', '  [CMeEE]: https://tianchi.aliyun.com/dataset/95414/']) {
      const parsed = parseImport(`${first}\narXiv:2301.12345\n`, { entries: catalog, now: NOW });
      expect(parsed.format, first).toBe('list');
      expect(parsed.favorites.map((f) => f.entryId).sort(), first).toEqual(['arxiv-only', 'cmeee']);
    }
    // JSON, even broken, is still read as JSON and says so.
    expect(() => parseImport('[\n  {"entryId": "cmeee"}\n]', { entries: catalog })).toThrow(/Favorite #1 \(cmeee\)/);
    expect(() => parseImport('[{"entryId": "cmeee"', { entries: catalog })).toThrow(/not valid JSON/);
    expect(() => parseImport('[', { entries: catalog })).toThrow(/not valid JSON/);
  });

  it('previews updated entries: newer note wins, earliest savedAt kept', () => {
    const existing = [fav('cmeee', { savedAt: 10_000, updatedAt: 20_000, note: 'old' })];
    const incoming = exportJson([fav('cmeee', { savedAt: 5_000, updatedAt: 30_000, note: 'new' })]);
    const p = previewImport(existing, parseImport(incoming, { entries: catalog }));
    expect(p.updated).toHaveLength(1);
    expect(p.updated[0].after).toMatchObject({ savedAt: 5_000, updatedAt: 30_000, note: 'new' });
  });

  const bad: [string, string, RegExp][] = [
    ['malformed JSON', '{"format": "cmed-nlp-lens/favorites", "favorites": [', /not valid JSON/],
    ['__proto__ key', '{"format":"cmed-nlp-lens/favorites","version":1,"favorites":[{"entryId":"a","__proto__":{"polluted":1}}]}', /__proto__/],
    ['constructor key', '[{"entryId":"a","constructor":{"prototype":{}}}]', /constructor/],
    ['wrong types', '{"format":"cmed-nlp-lens/favorites","version":1,"favorites":[{"entryId":"a","savedAt":"yesterday","updatedAt":1,"note":"","tags":[],"title":"A","kind":"paper","links":[]}]}', /#1.*savedAt/],
    ['HTML in notes', exportJson([fav('a', { note: 'hi <script>alert(1)</script>' })]), /HTML/],
    ['huge string', exportJson([fav('a')]).replace('"note": ""', `"note": "${'x'.repeat(100_000)}"`), /longer than/],
    ['javascript: link', exportJson([fav('a', { links: [{ url: 'javascript:alert(1)', type: 'paper' }] })]), /http/],
    ['other JSON', '{"hello": "world"}', /not a favorites export/],
    ['newer version', '{"format":"cmed-nlp-lens/favorites","version":9,"favorites":[]}', /newer version/],
    ['empty', '  \n ', /empty/],
    ['huge line', 'x'.repeat(5000), /Line 1/],
    ['oversized', ' '.repeat(MAX_IMPORT_BYTES + 1), /5 MB/],
  ];
  for (const [name, text, msg] of bad) {
    it(`rejects ${name} with a clear error`, () => {
      expect(() => parseImport(text, { entries: catalog })).toThrow(ImportError);
      expect(() => parseImport(text, { entries: catalog })).toThrow(msg);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });
  }
});

describe('merge', () => {
  it('newer updatedAt wins note/tags; savedAt keeps the earliest; ties keep the current', () => {
    const a = fav('x', { savedAt: 100, updatedAt: 200, note: 'a', tags: ['a'] });
    const b = fav('x', { savedAt: 50, updatedAt: 300, note: 'b', tags: ['b'] });
    expect(mergeFavorite(a, b)).toMatchObject({ savedAt: 50, updatedAt: 300, note: 'b', tags: ['b'] });
    expect(mergeFavorite(b, a)).toMatchObject({ savedAt: 50, updatedAt: 300, note: 'b', tags: ['b'] });
    expect(mergeFavorite(a, { ...a, note: 'tie' }).note).toBe('a');
  });

  it('is idempotent, and gives the same entries, each saved at its earliest time, in either order', () => {
    // A handful of IDs, so that the two sides (and each side itself) name the same entries;
    // some copies are bare, as a list import gives them (updatedAt 0, no note, no tags).
    const sharedArb = fc
      .tuple(fc.constantFrom('a', 'b', 'c', 'd', 'e'), favArb, fc.boolean())
      .map(([entryId, f, bare]) => (bare ? { ...f, entryId, updatedAt: 0, note: '', tags: [] } : { ...f, entryId }));
    fc.assert(
      fc.property(fc.array(sharedArb, { maxLength: 12 }), fc.array(sharedArb, { maxLength: 12 }), (xs, ys) => {
        const once = planMerge(planMerge([], xs).result.values(), ys).result;
        const twice = planMerge(once.values(), ys).result;
        expect([...twice.values()]).toEqual([...once.values()]);
        const again = planMerge(once.values(), [...once.values()]);
        expect(again.added.length + again.updated.length).toBe(0);
        // Nothing bare is stored unless its save time is 0 too.
        for (const f of once.values()) expect(f.updatedAt === 0 && f.savedAt !== 0 && f.note === '' && f.tags.length === 0).toBe(false);
        // Copies with content give the same favorites in the other order, each saved at its earliest
        // time. (Which note wins may differ: a copy with the same note and tags is not an edit and
        // keeps the current side's updatedAt, so that re-importing a file changes nothing.) A bare
        // copy brings its own save time only for an entry not saved yet, so it depends on the order.
        const xc = xs.filter((f) => !isBare(f));
        const yc = ys.filter((f) => !isBare(f));
        const forward = planMerge(planMerge([], xc).result.values(), yc).result;
        const swapped = planMerge(planMerge([], yc).result.values(), xc).result;
        const saved = (m: Map<string, { savedAt: number }>) => [...m.entries()].map(([id, f]) => `${id} ${f.savedAt}`).sort();
        expect(saved(swapped)).toEqual(saved(forward));
        expect(saved(forward)).toEqual(
          [...new Set([...xc, ...yc].map((f) => f.entryId))].map((id) => `${id} ${Math.min(...[...xc, ...yc].filter((f) => f.entryId === id).map((f) => f.savedAt))}`).sort(),
        );
      }),
      { numRuns: 200 },
    );
  });
});
