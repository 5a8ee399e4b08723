import { describe, expect, it } from 'vitest';
import { kindShort } from '../../../utils/annotator/ui';
import { KINDS } from '../../../utils/catalog/types';

describe('kindShort', () => {
  it('gives every kind the letters its badge shows', () => {
    expect(Object.fromEntries(KINDS.map((k) => [k, kindShort(k)]))).toEqual({
      dataset: 'D',
      evaluation: 'E',
      paper: 'P',
      'knowledge-graph': 'KG',
      corpus: 'C',
      model: 'M',
      tool: 'T',
      product: 'PR',
      article: 'A',
      'resource-list': 'L',
    });
  });
});
