import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { t } from '../../utils/i18n';

export interface Toast {
  id: number;
  text: string;
  tone: 'info' | 'error';
  /** The action button; a returned promise is awaited, and the button ignores presses until it settles. */
  action?: { label: string; run: () => void | Promise<void> };
}

let nextId = 1;

/**
 * One toast at a time: a newer message replaces the older one. Plain messages fade
 * after a few seconds; a toast with an action (Undo) stays until used or closed,
 * because a timed-out Undo is lost to anyone slower than the timer.
 */
export function useToast() {
  const [toast, setToast] = useState<Toast | null>(null);
  const show = useCallback((text: string, opts: { tone?: Toast['tone']; action?: Toast['action'] } = {}) => {
    setToast({ id: nextId++, text, tone: opts.tone ?? 'info', action: opts.action });
  }, []);
  const dismiss = useCallback(() => setToast(null), []);
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
  return { toast, show, dismiss };
}

/** Whether focus can go back to `el`: still in the page and not disabled. */
function canFocus(el: Element | null): el is HTMLElement {
  return el instanceof HTMLElement && el.isConnected && !el.matches(':disabled');
}

/**
 * The live region is always in the DOM (screen readers ignore regions that appear
 * together with their text); only its content changes.
 *
 * `focusAction` moves focus to the action button when a toast with one appears; the close
 * button then gives focus back to where it was, or calls `onFocusLost` if that element is
 * gone or disabled (as is a list item just removed).
 */
export function ToastRegion({
  toast,
  onDismiss,
  focusAction,
  onFocusLost,
}: {
  toast: Toast | null;
  onDismiss: () => void;
  focusAction?: boolean;
  onFocusLost?: () => void;
}) {
  const regionRef = useRef<HTMLDivElement>(null);
  const actionRef = useRef<HTMLButtonElement>(null);
  // Where focus was before a toast took it.
  const focusBefore = useRef<Element | null>(null);
  // The toast whose action is running; a ref, so a second press in the same task is ignored too.
  const runningRef = useRef<number | null>(null);
  const [running, setRunning] = useState<number | null>(null);

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

  const runAction = async (shown: Toast) => {
    if (!shown.action || runningRef.current === shown.id) return;
    runningRef.current = shown.id;
    setRunning(shown.id);
    try {
      await shown.action.run();
    } finally {
      if (runningRef.current === shown.id) {
        runningRef.current = null;
        setRunning(null);
      }
    }
  };

  const close = () => {
    const hadFocus = regionRef.current?.contains(document.activeElement) ?? false;
    const back = focusBefore.current;
    focusBefore.current = null;
    onDismiss();
    // The close button goes with the toast: focus goes back rather than to the page's body.
    if (!hadFocus) return;
    if (canFocus(back)) back.focus();
    if (document.activeElement !== back) onFocusLost?.();
  };

  return (
    <div class="toast-region" ref={regionRef} role="status" aria-live="polite" aria-atomic="true">
      {toast && (
        <div class={`toast toast-${toast.tone}`} key={toast.id} data-testid="toast">
          <span class="toast-text">{toast.text}</span>
          {toast.action && (
            <button
              type="button"
              class="btn btn-small btn-toast"
              ref={actionRef}
              // aria-disabled, not disabled, while it runs: a disabled button drops keyboard focus.
              aria-disabled={running === toast.id || undefined}
              onClick={() => void runAction(toast)}
            >
              {toast.action.label}
            </button>
          )}
          <button type="button" class="btn-icon" aria-label={t('options_toastClose')} title={t('options_toastClose')} onClick={close}>
            <span aria-hidden="true">×</span>
          </button>
        </div>
      )}
    </div>
  );
}
