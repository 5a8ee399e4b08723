/**
 * Time slicing for the annotator: work runs in slices of at most `budget` ms and then
 * yields to the page, so no task we cause comes near the 50 ms long-task line.
 */

import { isFunction } from './short';

type SchedulerLike = { yield?: () => Promise<void> };

/** Yields to the event loop: scheduler.yield() where it exists (keeps our priority), else a message-channel hop (not clamped like nested setTimeout). */
export const yieldToMain = (): Promise<void> => {
  const s = (globalThis as { scheduler?: SchedulerLike }).scheduler;
  if (s && isFunction(s.yield)) {
    try {
      return s.yield();
    } catch {
      // Fall through to the portable path.
    }
  }
  if (typeof MessageChannel === 'function') {
    return new Promise((resolve) => {
      const ch = new MessageChannel();
      ch.port1.onmessage = () => {
        ch.port1.close();
        resolve();
      };
      ch.port2.postMessage(0);
    });
  }
  return new Promise((resolve) => setTimeout(resolve, 0));
};

/** The clock, one short name for the content script's every read of it. */
export const now = () => performance.now();

/** Work units (characters, nodes) between two reads of the clock: reading it per block costs more than small blocks do. */
const CLOCK_EVERY = 4096;

export interface Slicer {
  /** Longest slice so far, ms: the longest main-thread task this pass caused. */
  maxSlice: number;
  /** Sum of all slices, ms: the main-thread time the pass took (its wall time also holds the page's tasks in between). */
  busy: number;
  sliceCount: number;
  /** Counts `units` of work done; true when the slice has used its budget. */
  due(units: number): boolean;
  /** Ends the current slice; resolves false if the pass should stop (context gone, superseded). */
  yieldSlice(): Promise<boolean>;
  /** Records the running slice (call once more at the end of the pass). */
  closeSlice(): void;
  /** Waits for `p` outside any slice (a message to the background is not main-thread work), then starts a new slice. */
  pauseFor<T>(p: Promise<T>): Promise<T>;
}

export const createSlicer = (budget = 8, aborted: () => boolean = () => false): Slicer => {
  let sliceStart = now();
  let work = 0;
  const s: Slicer = {
    maxSlice: 0,
    busy: 0,
    sliceCount: 1,
    due(units) {
      work += units;
      if (work < CLOCK_EVERY) return false;
      work = 0;
      return now() - sliceStart > budget;
    },
    async yieldSlice() {
      s.closeSlice();
      await yieldToMain();
      sliceStart = now();
      s.sliceCount++;
      return !aborted();
    },
    closeSlice() {
      const t = now();
      const d = t - sliceStart;
      s.busy += d;
      // closeSlice() may run twice for the last slice; count it once.
      sliceStart = t;
      if (d > s.maxSlice) s.maxSlice = d;
    },
    async pauseFor(p) {
      s.closeSlice();
      try {
        return await p;
      } finally {
        sliceStart = now();
        s.sliceCount++;
      }
    },
  };
  return s;
};
