/**
 * Time slicing for the annotator: work runs in slices of at most `budget` ms and then
 * yields to the page, so no task we cause comes near the 50 ms long-task line.
 */

type SchedulerLike = { yield?: () => Promise<void> };

/** Yields to the event loop: scheduler.yield() where it exists (keeps our priority), else a message-channel hop (not clamped like nested setTimeout). */
export function yieldToMain(): Promise<void> {
  const s = (globalThis as { scheduler?: SchedulerLike }).scheduler;
  if (s && typeof s.yield === 'function') {
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
}

export class Slicer {
  private sliceStart: number;
  /** Longest slice so far, ms: the longest main-thread task this pass caused. */
  maxSlice = 0;
  /** Sum of all slices, ms: the main-thread time the pass took (its wall time also holds the page's tasks in between). */
  busy = 0;
  slices = 1;

  constructor(
    private readonly budget = 8,
    private readonly aborted: () => boolean = () => false,
  ) {
    this.sliceStart = performance.now();
  }

  due(): boolean {
    return performance.now() - this.sliceStart > this.budget;
  }

  /** Ends the current slice; resolves false if the pass should stop (context gone, superseded). */
  async yield(): Promise<boolean> {
    this.close();
    await yieldToMain();
    this.sliceStart = performance.now();
    this.slices++;
    return !this.aborted();
  }

  /** Records the running slice (call once more at the end of the pass). */
  close(): void {
    const now = performance.now();
    const d = now - this.sliceStart;
    this.busy += d;
    // close() may run twice for the last slice; count it once.
    this.sliceStart = now;
    if (d > this.maxSlice) this.maxSlice = d;
  }
}
