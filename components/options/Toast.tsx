import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { t } from '../../utils/i18n';

export interface Toast {
  id: number;
  text: string;
  tone: 'info' | 'error';
  action?: { label: string; run: () => void };
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
    const timer = setTimeout(() => setToast((cur) => (cur?.id === toast.id ? null : cur)), 6000);
    return () => clearTimeout(timer);
  }, [toast]);
  return { toast, show, dismiss };
}

/**
 * The live region is always in the DOM (screen readers ignore regions that appear
 * together with their text); only its content changes.
 */
export function ToastRegion({ toast, onDismiss, focusAction }: { toast: Toast | null; onDismiss: () => void; focusAction?: boolean }) {
  const actionRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (toast?.action && focusAction) actionRef.current?.focus();
  }, [toast, focusAction]);
  return (
    <div class="toast-region" role="status" aria-live="polite" aria-atomic="true">
      {toast && (
        <div class={`toast toast-${toast.tone}`} key={toast.id} data-testid="toast">
          <span class="toast-text">{toast.text}</span>
          {toast.action && (
            <button
              type="button"
              class="btn btn-small btn-toast"
              ref={actionRef}
              onClick={() => {
                toast.action!.run();
              }}
            >
              {toast.action.label}
            </button>
          )}
          <button type="button" class="btn-icon" aria-label={t('options_toastClose')} title={t('options_toastClose')} onClick={onDismiss}>
            <span aria-hidden="true">×</span>
          </button>
        </div>
      )}
    </div>
  );
}
