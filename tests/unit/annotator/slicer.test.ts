/**
 * The slicer's accounting under a fake clock: busy time is the sum of the slices, a
 * slice ends when its budget is spent, and waiting on the background (pause) is not
 * counted as main-thread time.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createSlicer } from '../../../utils/annotator/slicer';

afterEach(() => {
  vi.useRealTimers();
});

describe('createSlicer', () => {
  it('reports a slice due once its budget is spent, checking the clock only every so many units', () => {
    vi.useFakeTimers({ toFake: ['performance'] });
    const s = createSlicer(8);
    vi.advanceTimersByTime(9);
    // Few units: the clock is not read yet.
    expect(s.due(100)).toBe(false);
    // A few thousand (some 50 titles of a listing): it is. Cold code reads them slowly, and a
    // first pass read 16,384 units between two looks at the clock, its slices reaching 20-34 ms.
    expect(s.due(4000)).toBe(true);
  });

  it('counts slices, not the waits between them', async () => {
    vi.useFakeTimers({ toFake: ['performance', 'setTimeout'] });
    const s = createSlicer(8);
    vi.advanceTimersByTime(5);
    const reply = new Promise<string>((resolve) => setTimeout(() => resolve('ok'), 200));
    const waited = s.pauseFor(reply);
    await vi.advanceTimersByTimeAsync(200);
    expect(await waited).toBe('ok');
    vi.advanceTimersByTime(3);
    s.closeSlice();
    expect(s.busy).toBe(8);
    expect(s.maxSlice).toBe(5);
    expect(s.sliceCount).toBe(2);
  });

  it('ends the slice even when the awaited work fails', async () => {
    vi.useFakeTimers({ toFake: ['performance'] });
    const s = createSlicer(8);
    vi.advanceTimersByTime(4);
    await expect(s.pauseFor(Promise.reject(new Error('gone')))).rejects.toThrow('gone');
    s.closeSlice();
    expect(s.busy).toBe(4);
    expect(s.sliceCount).toBe(2);
  });
});
