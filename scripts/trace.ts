/**
 * Chromium traces for the annotator's benchmark and A/B scripts: every main-thread task of a
 * page, so that a task counts whole, whatever ran in it (our callbacks, and the style, layout
 * and paint of the frames they dirty), not only the part our own User Timing measures cover.
 */
import type { CDPSession } from 'playwright-core';
import { fmt, highest } from './bench-pages';

export interface TraceEvent {
  name: string;
  cat: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  id?: string;
  id2?: { local?: string };
}

/**
 * Chrome reads a loaded page's whole text for its own features (the language detection
 * behind translation, among others), once or twice per load: at the end of the lifecycle
 * update of the first frame after the page's parsing, and of the first after its load, which
 * on a page that renders nothing by itself is whichever frame comes next: 4-44 ms on the
 * 500 KB README. Not ours, but it can land in the cold window, where without this event it
 * looked like unlabelled rendering work.
 */
const CAPTURE = 'ChromeRenderFrameObserver::CapturePageText';

/**
 * Blink runs the microtask checkpoint that ends a task as a top-level trace event of its own,
 * right after the task's (0-2 µs later), not inside it. Code that continues after an `await`,
 * as our passes' slices do, runs there: a task counts with the checkpoint that follows it.
 */
const CHECKPOINT = 'BlinkScheduler_PerformMicrotaskCheckpoint';
const TASK = 'ThreadControllerImpl::RunTask';

/** The main thread's tasks, each with the microtask checkpoint that ended it (copies; the events stay as they were). */
function wholeTasks(top: TraceEvent[]): TraceEvent[] {
  const out: TraceEvent[] = [];
  for (const e of [...top].sort((a, b) => a.ts - b.ts)) {
    const last = out[out.length - 1];
    if (e.name === CHECKPOINT && last) {
      const lastEnd = last.ts + last.dur!;
      // Inside the task (already counted), or right after it: the task's own end.
      if (e.ts - lastEnd <= 50) {
        last.dur = Math.max(lastEnd, e.ts + e.dur!) - last.ts;
        continue;
      }
    }
    out.push({ ...e });
  }
  return out;
}

/**
 * The steps a long task's description names, with their labels (recorded with `detail`):
 * style, layout and paint (the first four: a frame's rendering), a script evaluated (the
 * card module's injection), garbage collection, and Chrome's own capture of the page's text.
 */
const STEPS: Record<string, string> = { UpdateLayoutTree: 'style', Layout: 'layout', PrePaint: 'prepaint', Paint: 'paint', EvaluateScript: 'script evaluated', MinorGC: 'minor GC', MajorGC: 'major GC', [CAPTURE]: "Chrome's page text capture" };
const RENDERING = Object.keys(STEPS).slice(0, 4);

export interface PassWindow {
  /** The window's longest task, ms, and what it held. */
  ms: number;
  what: string;
  /** All the window's tasks, ms. */
  total: number;
  /** With `detail`: rendering in the window's task that had most (a frame), and in all, and Chrome's text capture; ms. */
  rendering: { frame: number; sum: number; capture: number };
}

/**
 * Starts a Chromium trace of tasks and User Timing; `stop` ends it and returns its events.
 * With `detail`, also the rendering steps inside tasks (style, layout, paint: what a long task
 * held), many more events per frame: the benchmark, which times the passes of the same loads,
 * records them only when it prints every load (how much they cost the passes is not measured).
 */
export async function startTrace(cdp: CDPSession, detail: boolean): Promise<{ stop(): Promise<TraceEvent[]> }> {
  const events: TraceEvent[] = [];
  cdp.on('Tracing.dataCollected', (e) => void events.push(...(e.value as unknown as TraceEvent[])));
  await cdp.send('Tracing.start', { categories: `toplevel,blink.user_timing${detail ? ',devtools.timeline,renderer' : ''}`, transferMode: 'ReportEvents' });
  return {
    async stop() {
      const done = new Promise<void>((resolve) => cdp.once('Tracing.tracingComplete', () => resolve()));
      await cdp.send('Tracing.end');
      await done;
      return events;
    },
  };
}

/**
 * For each pass (in order), the longest main-thread task from the pass's start (the first
 * pass's: from the matcher's loading) to the end of its last placement slice, what that task
 * held (ours: pass, place; the browser's: style, layout, paint), and the time of all the tasks
 * in that window. The page's main thread is the one our User Timing measures are on. From a
 * trace with `detail`, also the window's rendering (style, layout, pre-paint and paint): its
 * most in one task (a frame) and its sum, and the time of Chrome's text capture in it.
 */
export function tasksByPass(events: TraceEvent[]): PassWindow[] {
  const spans: { name: string; start: number; end: number; pid: number; tid: number }[] = [];
  const open = new Map<string, TraceEvent>();
  for (const e of events) {
    if (!e.cat.includes('user_timing') || !e.name.startsWith('cmed:')) continue;
    const key = `${e.name}|${e.id ?? e.id2?.local ?? ''}|${e.pid}`;
    if (e.ph === 'b') open.set(key, e);
    else if (e.ph === 'e') {
      const b = open.get(key);
      if (b) spans.push({ name: e.name, start: b.ts, end: e.ts, pid: b.pid, tid: b.tid });
    }
  }
  const passes = spans.filter((x) => x.name === 'cmed:annotate').sort((a, b) => a.start - b.start);
  if (!passes.length) return [];
  const { pid, tid } = passes[0];
  const onMain = (e: TraceEvent) => e.pid === pid && e.tid === tid && e.ph === 'X' && e.dur !== undefined;
  const tasks = wholeTasks(events.filter((e) => onMain(e) && (e.name === TASK || e.name === CHECKPOINT)));
  const steps = events.filter((e) => onMain(e) && e.name in STEPS);
  const places = spans.filter((x) => x.name === 'cmed:place');
  // A fresh load's first window opens with the matcher's loading, before the first pass: the
  // content script waits a frame between the two (utils/annotator/content.ts), and that frame
  // belongs in the cold window.
  const compile = spans.find((x) => x.name === 'cmed:compile' && x.start < passes[0].start);
  const within = (t: TraceEvent) => steps.filter((x) => x.ts >= t.ts && x.ts < t.ts + t.dur!);
  return passes.map((pass, i) => {
    const next = passes[i + 1]?.start ?? Infinity;
    const end = Math.max(pass.end, ...places.filter((x) => x.start >= pass.start && x.start < next).map((x) => x.end));
    const from = i === 0 && compile ? compile.start : pass.start;
    let top: TraceEvent | null = null;
    let total = 0;
    const rendering = { frame: 0, sum: 0, capture: 0 };
    for (const t of tasks) {
      if (t.ts >= end || t.ts + t.dur! <= from) continue;
      total += t.dur! / 1000;
      if (!top || t.dur! > top.dur!) top = t;
      let r = 0;
      for (const x of within(t)) {
        if (RENDERING.includes(x.name)) r += x.dur! / 1000;
        else if (x.name === CAPTURE) rendering.capture += x.dur! / 1000;
      }
      rendering.frame = Math.max(rendering.frame, r);
      rendering.sum += r;
    }
    if (!top) return { ms: NaN, what: '', total, rendering };
    const inside = (x: { start: number; end: number }) => x.start < top!.ts + top!.dur! && x.end > top!.ts;
    const by = new Map<string, number>();
    for (const x of within(top)) by.set(x.name, (by.get(x.name) ?? 0) + x.dur! / 1000);
    const ours = spans.filter(inside).map((x) => `${x.name.slice(5)} ${fmt((x.end - x.start) / 1000)}`);
    const held = Object.keys(STEPS).filter((k) => (by.get(k) ?? 0) >= 0.5).map((k) => `${STEPS[k]} ${fmt(by.get(k)!)}`);
    return { ms: top.dur! / 1000, what: [...ours, ...held].join(', ') || 'nothing of ours', total, rendering };
  });
}

/** Several windows as one: the longest task of all, and the sums (the most rendering in a frame: the most of any). */
export function mergeWindows(ws: PassWindow[]): PassWindow {
  const top = highest(ws) ?? { ms: NaN, what: '' };
  const sum = (f: (w: PassWindow) => number) => ws.reduce((a, w) => a + f(w), 0);
  return {
    ms: top.ms,
    what: top.what,
    total: sum((w) => w.total),
    rendering: { frame: Math.max(0, ...ws.map((w) => w.rendering.frame)), sum: sum((w) => w.rendering.sum), capture: sum((w) => w.rendering.capture) },
  };
}
