import { describe, expect, it } from 'vitest';
import { getEntry } from '../../../utils/catalog';
import {
  entryAliases,
  filterFavorites,
  fold,
  formatTags,
  parseTags,
  pruneSelection,
  sortNewestFirst,
  tagCounts,
  tagQuery,
  toggleAll,
} from '../../../components/options/logic';
import { fav } from './fixtures';

const list = [
  fav('cmeee', { title: 'CMeEE', savedAt: 3, note: 'Entity recognition baseline', tags: ['NER', 'CBLUE'] }),
  fav('chip-cdee', { title: 'CHIP-CDEE', savedAt: 5, note: '临床事件抽取', tags: ['事件'] }),
  fav('medbert', { title: 'MedBERT', savedAt: 4, kind: 'model', tags: ['ner-model'] }),
];

describe('sortNewestFirst', () => {
  it('orders by savedAt descending and keeps ties stable by title', () => {
    expect(sortNewestFirst(list).map((f) => f.entryId)).toEqual(['chip-cdee', 'medbert', 'cmeee']);
    const tie = [fav('b', { title: 'B', savedAt: 1 }), fav('a', { title: 'A', savedAt: 1 })];
    expect(sortNewestFirst(tie).map((f) => f.title)).toEqual(['A', 'B']);
  });
});

describe('filterFavorites', () => {
  it('matches title, note, tags and id, case- and width-insensitively', () => {
    expect(filterFavorites(list, 'medbert').map((f) => f.entryId)).toEqual(['medbert']);
    expect(filterFavorites(list, 'ＣＭＥＥＥ').map((f) => f.entryId)).toEqual(['cmeee']);
    expect(filterFavorites(list, 'baseline').map((f) => f.entryId)).toEqual(['cmeee']);
    expect(filterFavorites(list, '事件').map((f) => f.entryId)).toEqual(['chip-cdee']);
    expect(filterFavorites(list, 'cblue').map((f) => f.entryId)).toEqual(['cmeee']);
  });

  it("finds a favorite by its entry's catalog names and identifiers, and leaves out punctuation around a word", () => {
    const saved = [fav('pubmedqa', { title: 'PubMedQA: A Dataset for Biomedical Research Question Answering', savedAt: 2 }), fav('meddialog', { title: 'MedDialog', savedAt: 1 })];
    const aliases = (id: string) => entryAliases(getEntry(id));
    // What the catalog's search found them by, carried over to the Favorites tab.
    expect(filterFavorites(saved, '1909.06146', aliases).map((f) => f.entryId)).toEqual(['pubmedqa']);
    expect(filterFavorites(saved, 'pubmedqa/pubmedqa', aliases).map((f) => f.entryId)).toEqual(['pubmedqa']);
    expect(filterFavorites(saved, 'MedDialog,', aliases).map((f) => f.entryId)).toEqual(['meddialog']);
    expect(filterFavorites(saved, '“MedDialog”', aliases).map((f) => f.entryId)).toEqual(['meddialog']);
    // Without the catalog (a favorite that left it), title, note, tags and id as before.
    expect(filterFavorites(saved, '1909.06146')).toEqual([]);
    expect(filterFavorites(saved, '1909.06146', () => undefined)).toEqual([]);
    // A word that is only punctuation stays what it is.
    expect(filterFavorites(saved, '…', aliases)).toEqual([]);
  });

  it('needs every word to match', () => {
    expect(filterFavorites(list, 'ner baseline').map((f) => f.entryId)).toEqual(['cmeee']);
    expect(filterFavorites(list, 'ner nothing')).toEqual([]);
  });

  it('treats #tag as a whole-tag match', () => {
    expect(filterFavorites(list, 'ner').map((f) => f.entryId).sort()).toEqual(['cmeee', 'medbert']);
    expect(filterFavorites(list, '#ner').map((f) => f.entryId)).toEqual(['cmeee']);
  });

  it('filters by a tag with spaces through the query its chip writes', () => {
    const spaced = [...list, fav('cmeie', { title: 'CMeIE', savedAt: 6, note: 'named relations', tags: ['named entity', 'NER'] })];
    expect(tagQuery('NER')).toBe('#NER');
    expect(tagQuery('named entity')).toBe('#"named entity"');
    expect(filterFavorites(spaced, tagQuery('named entity')).map((f) => f.entryId)).toEqual(['cmeie']);
    expect(filterFavorites(spaced, `${tagQuery('Named  Entity'.replace(/\s+/g, ' '))} relations`).map((f) => f.entryId)).toEqual(['cmeie']);
    expect(filterFavorites(spaced, `${tagQuery('named entity')} baseline`)).toEqual([]);
    const quoted = [fav('q', { tags: ['say "hi" there', 'a\\ b'] })];
    expect(filterFavorites(quoted, tagQuery('say "hi" there')).map((f) => f.entryId)).toEqual(['q']);
    expect(filterFavorites(quoted, tagQuery('a\\ b')).map((f) => f.entryId)).toEqual(['q']);
    // `#named` still asks for a whole tag, and no favorite has the tag "named".
    expect(filterFavorites(spaced, '#named')).toEqual([]);
  });

  it('returns everything for a blank query', () => {
    expect(filterFavorites(list, '   ')).toHaveLength(3);
  });
});

describe('parseTags', () => {
  it('splits on ASCII and Chinese separators, trims, drops duplicates and leading #', () => {
    expect(parseTags(' NER, #cblue，事件；ner ;  named   entity\n')).toEqual(['NER', 'cblue', '事件', 'named entity']);
    expect(parseTags('')).toEqual([]);
    // Typed as the chips show them, with a full-width ＃, or in another width: the tags the search finds.
    expect(parseTags('#医学 #NER')).toEqual(['医学', 'NER']);
    expect(parseTags('＃医学, ＃ＮＥＲ；NER, C# tips')).toEqual(['医学', 'ＮＥＲ', 'C# tips']);
    // A saved tag with a "#" inside survives the field's round trip when another tag is added.
    expect(parseTags(`${formatTags(['issue #12', 'C# tips'])}, new`)).toEqual(['issue #12', 'C# tips', 'new']);
    expect(filterFavorites([fav('x', { tags: parseTags('＃医学') })], '#医学')).toHaveLength(1);
  });
});

describe('tagCounts', () => {
  it('counts tags, most used first', () => {
    const more = [...list, fav('x', { tags: ['NER'] })];
    expect(tagCounts(more)[0]).toEqual({ tag: 'NER', count: 2 });
  });
});

describe('selection helpers', () => {
  it('toggles without mutating and prunes ids that left the list', () => {
    const a = new Set(['cmeee']);
    const b = toggleAll(a, ['medbert', 'gone'], true);
    expect([...a]).toEqual(['cmeee']);
    expect([...pruneSelection(b, list)].sort()).toEqual(['cmeee', 'medbert']);
    expect([...toggleAll(b, ['cmeee'], false)].sort()).toEqual(['gone', 'medbert']);
  });
});

it('fold strips accents', () => {
  expect(fold('Médical')).toBe('medical');
});
