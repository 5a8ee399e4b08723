/**
 * What a note or a tag may hold: plain text, including the angle-bracket tokens of models and
 * datasets that people in NLP write, but no HTML markup.
 */
import { describe, expect, it } from 'vitest';
import { checkFavorite, checkNote, checkTags } from '../../../utils/favorites/validate';

const plain = [
  'replace entities with <mask> tokens',
  'sentences end with </s>',
  '<s> … </s> around each sentence',
  '<e1>aspirin</e1> treats <e2>fever</e2>',
  '<head> and <tail> entities',
  '<unk> <pad> <sep> <cls> <|endoftext|>',
  'precision<recall and F1>0.8',
  'a < b > c',
  'x<y',
  '<abbreviation> is not a tag',
  '医学实体<疾病>和<症状>',
];

const markup = [
  'compare with <b>BERT</b>',
  '<b>',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '<svg onload=x>',
  '<IFRAME src="x">',
  '</div>',
  '<br/>',
  '<h1>Title',
  '<a href="https://example.org">link</a>',
  '<!-- a comment -->',
  '<!DOCTYPE html>',
  '<?xml version="1.0"?>',
  '<image src=x>',
  '<s onmouseover=alert(1)>x</s>',
  '<x-y onclick="go()">',
];

describe('notes and tags: text, not markup', () => {
  it.each(plain)('a note may say %j', (note) => {
    expect(checkNote(note)).toEqual({ ok: true, value: note });
  });

  it.each(markup)('a note may not hold the markup in %j', (note) => {
    expect(checkNote(note)).toMatchObject({ ok: false, problem: 'html' });
  });

  it('tags follow the same rule', () => {
    expect(checkTags(['<mask>', '</s>', 'NER'])).toEqual({ ok: true, value: ['<mask>', '</s>', 'NER'] });
    expect(checkTags(['ok', '<b>bold</b>'])).toMatchObject({ ok: false, problem: 'html' });
  });
});

describe('lone surrogates: kept as the browser stores them', () => {
  it('a note, a title and a link label keep a lone surrogate as U+FFFD, and a whole pair as it is', () => {
    expect(checkNote('before\ud800after \udc00 😀')).toEqual({ ok: true, value: 'before\ufffdafter \ufffd 😀' });
    const fav = checkFavorite({
      entryId: 'cblue',
      savedAt: 1,
      updatedAt: 1,
      note: '',
      tags: [],
      title: 'CBLUE\udbff',
      kind: 'dataset',
      links: [{ url: 'https://example.org/', type: 'paper', label: 'x\udfff' }],
    });
    expect(fav.ok && [fav.value.title, fav.value.links[0].label]).toEqual(['CBLUE\ufffd', 'x\ufffd']);
  });

  it('two tags apart only by a lone surrogate are one tag, as storage would make them', () => {
    expect(checkTags(['a\ud800', 'a\udbff', '医学😀', '医学😀'])).toEqual({ ok: true, value: ['a\ufffd', '医学😀'] });
  });
});
