// @vitest-environment happy-dom
/** Note drafts (components/noteDraft.ts): which ones a page that lists favorites drops. */
import { beforeEach, describe, expect, it } from 'vitest';
import { pruneDrafts, readDraft, writeDraft } from '../../../components/noteDraft';

const draft = (note: string) => ({ note, tags: '', base: { note: '', tags: '' } });
const T = 1_750_000_000_000;

describe('pruneDrafts', () => {
  beforeEach(() => localStorage.clear());

  it("drops the drafts of entries no longer saved, but keeps, on request, one typed in the last minutes (another page's Undo may bring its favorite back)", () => {
    writeDraft('kept', draft('still saved'), T - 60 * 60_000);
    writeDraft('old', draft('removed an hour after typing'), T - 60 * 60_000);
    writeDraft('recent', draft('removed just now'), T - 60_000);
    pruneDrafts(new Set(['kept']), 15 * 60_000, T);
    expect(readDraft('kept', T)?.note).toBe('still saved');
    expect(readDraft('old', T)).toBeNull();
    expect(readDraft('recent', T)?.note).toBe('removed just now');
    // Without a grace period (the popup, which keeps its own Undo's drafts), every removed favorite's goes.
    pruneDrafts(new Set(['kept']), 0, T);
    expect(readDraft('recent', T)).toBeNull();
    expect(readDraft('kept', T)?.note).toBe('still saved');
  });
});
