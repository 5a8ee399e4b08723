import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { t } from '../../utils/i18n';

export interface Toast {
  id: number;
  text: string;
  tone: 'info' | 'error';
  /**
   * The action button; a returned promise is awaited, and the button ignores presses until it
   * settles. The toast goes once its action has run, unless the promise rejects: then it stays, to
   * be tried again (the action says what went wrong itself).
   */
  action?: { label: string; run: () => void | Promise<void> };
}

let nextId = 1;

/**
 * Two toasts at most: one with an action (Undo), and one message. A newer message replaces
 * the older one, and a newer action its older one (the options page folds a removal's Undo into the
 * next removal's, so none is lost); a message does not take an Undo away (a
 * removal, then an export or a saved setting, keeps its Undo). Plain messages fade after a
 * few seconds; a toast with an action stays until used or closed, because a timed-out Undo
 * is lost to anyone slower than the timer.
 */
export function useToast() {
  const [held, setHeldState] = useState<Toast | null>(null);
  const [toast, setToast] = useState<Toast | null>(null);
  // The toast with an action as of now, for callers between renders (see `showing`).
  const heldRef = useRef<Toast | null>(null);
  const setHeld = useCallback((next: (cur: Toast | null) => Toast | null) => {
    heldRef.current = next(heldRef.current);
    setHeldState(heldRef.current);
  }, []);
  /** Shows a toast; returns its ID. */
  const show = useCallback((text: string, opts: { tone?: Toast['tone']; action?: Toast['action'] } = {}): number => {
    const next: Toast = { id: nextId++, text, tone: opts.tone ?? 'info', action: opts.action };
    if (next.action) {
      setHeld(() => next);
      // The message before it was about something earlier.
      setToast(null);
    } else setToast(next);
    return next.id;
  }, []);
  /** Closes one toast, or both. */
  const dismiss = useCallback((id?: number) => {
    const other = (cur: Toast | null) => (id === undefined || cur?.id === id ? null : cur);
    setHeld(other);
    setToast(other);
  }, []);
  /** Whether the toast with an action `id` still shows. */
  const showing = useCallback((id: number) => heldRef.current?.id === id, []);
  useEffect(() => {
    if (!toast || toast.action || toast.tone === 'error') return;
    let timer = 0;
    const fade = (ms: number) => {
      timer = window.setTimeout(() => {
        // Not while the reader is on it: focus in the toast (its × reached with Tab) or the
        // pointer over it keeps it, and removing it would drop that focus to the page's top.
        if (document.activeElement?.closest('.toast-region') || document.querySelector('.toast-region:hover')) return fade(1000);
        setToast((cur) => (cur?.id === toast.id ? null : cur));
      }, ms);
    };
    fade(6000);
    return () => clearTimeout(timer);
  }, [toast]);
  const toasts = useMemo(() => [held, toast].filter((x): x is Toast => x !== null), [held, toast]);
  return { toasts, show, dismiss, showing };
}

/** Whether focus can go back to `el`: still in the page and not disabled. */
function canFocus(el: Element | null): el is HTMLElement {
  return el instanceof HTMLElement && el.isConnected && !el.matches(':disabled');
}

/**
 * The live region is always in the DOM (screen readers ignore regions that appear
 * together with their text); only its content changes, and each toast is read as it comes.
 *
 * `focusAction` moves focus to the action button when a toast with one appears; the close
 * button then gives focus back to where it was, or calls `onFocusLost` if that element is
 * gone or disabled (as is a list item just removed). A toast whose action has run goes; if
 * focus was on it, `onFocusLost` says where it goes.
 */
export function ToastRegion({
  toasts,
  onDismiss,
  focusAction,
  onFocusLost,
}: {
  toasts: Toast[];
  onDismiss: (id: number) => void;
  focusAction?: boolean;
  onFocusLost?: () => void;
}) {
  const toast = toasts.find((x) => x.action) ?? null;
  const regionRef = useRef<HTMLDivElement>(null);
  const actionRef = useRef<HTMLButtonElement>(null);
  // Where focus was before a toast took it.
  const focusBefore = useRef<Element | null>(null);
  // The toast whose action is running; a ref, so a second press in the same task is ignored too.
  const runningRef = useRef<number | null>(null);
  const [running, setRunning] = useState<number | null>(null);

  // The toasts float over the page's end: the page keeps room for them (--toast-room, read by
  // style.css as its scroll-padding-bottom), so a control reached with Tab is scrolled above them
  // rather than behind them. Measured, as a toast's text wraps at narrow widths and in Chinese.
  useLayoutEffect(() => {
    const region = regionRef.current;
    if (!region) return;
    const root = document.documentElement;
    const measure = () => {
      const room = region.offsetHeight ? Math.ceil(innerHeight - region.getBoundingClientRect().top) + 8 : 0;
      root.style.setProperty('--toast-room', `${room}px`);
    };
    measure();
    const seen = typeof ResizeObserver === 'function' ? new ResizeObserver(measure) : null;
    seen?.observe(region);
    return () => {
      seen?.disconnect();
      root.style.removeProperty('--toast-room');
    };
  }, []);

  useEffect(() => {
    // Each toast keeps only its own record: a toast that does not take focus has none.
    if (!toast?.action || !focusAction || !actionRef.current) {
      focusBefore.current = null;
      return;
    }
    const active = document.activeElement;
    focusBefore.current = active && active !== document.body && !regionRef.current?.contains(active) ? active : null;
    actionRef.current.focus();
  }, [toast, focusAction]);

  const runAction = async (shown: Toast, button: HTMLElement) => {
    if (!shown.action || runningRef.current === shown.id) return;
    runningRef.current = shown.id;
    setRunning(shown.id);
    let done = true;
    try {
      await shown.action.run();
    } catch {
      // It failed and said so: the toast stays, to be tried again.
      done = false;
    } finally {
      if (runningRef.current === shown.id) {
        runningRef.current = null;
        setRunning(null);
      }
    }
    if (!done) return;
    // Used: it goes, and focus on its button (or dropped to the page's body meanwhile) goes on
    // from onFocusLost; focus the reader took elsewhere meanwhile (another toast's Undo) stays.
    const active = document.activeElement;
    const hadFocus = !active || active === document.body || active === button;
    onDismiss(shown.id);
    if (hadFocus) onFocusLost?.();
  };

  const close = (shown: Toast) => {
    const hadFocus = regionRef.current?.contains(document.activeElement) ?? false;
    const back = shown.action ? focusBefore.current : null;
    if (shown.action) focusBefore.current = null;
    onDismiss(shown.id);
    // The close button goes with the toast: focus goes back rather than to the page's body.
    if (!hadFocus) return;
    if (canFocus(back)) back.focus();
    if (document.activeElement !== back) onFocusLost?.();
  };

  // Esc in a toast closes it, as its × does (an Undo's toast: without undoing), focus going back the same way.
  const onKeyDown = (e: KeyboardEvent, shown: Toast) => {
    if (e.key !== 'Escape' || e.isComposing) return;
    e.preventDefault();
    close(shown);
  };

  return (
    <div class="toast-region" ref={regionRef} role="status" aria-live="polite" aria-atomic="false">
      {toasts.map((shown) => (
        <div class={`toast toast-${shown.tone}`} key={shown.id} data-testid="toast" onKeyDown={(e) => onKeyDown(e, shown)}>
          <span class="toast-text">{shown.text}</span>
          {shown.action && (
            <button
              type="button"
              class="btn btn-small btn-toast"
              ref={actionRef}
              // aria-disabled, not disabled, while it runs: a disabled button drops keyboard focus.
              aria-disabled={running === shown.id || undefined}
              onClick={(e) => void runAction(shown, e.currentTarget)}
            >
              {shown.action.label}
            </button>
          )}
          <button type="button" class="btn-icon" aria-label={t('options_toastClose')} title={t('options_toastClose')} onClick={() => close(shown)}>
            <span aria-hidden="true">×</span>
          </button>
        </div>
      ))}
    </div>
  );
}
