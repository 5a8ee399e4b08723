import { Fragment } from 'preact';
import { useRef } from 'preact/hooks';
import type { StoreNotice } from '../../utils/favorites/types';
import { t } from '../../utils/i18n';

const TITLE: Record<StoreNotice['code'], string> = {
  'sync-quota-fallback': 'options_noticeQuotaTitle',
  'corrupt-data-quarantined': 'options_noticeCorruptTitle',
  'unknown-version-quarantined': 'options_noticeVersionTitle',
  'sync-unavailable': 'options_noticeSyncOffTitle',
};
const BODY: Record<StoreNotice['code'], string> = {
  'sync-quota-fallback': 'options_noticeQuotaBody',
  'corrupt-data-quarantined': 'options_noticeCorruptBody',
  'unknown-version-quarantined': 'options_noticeVersionBody',
  'sync-unavailable': 'options_noticeSyncOffBody',
};
const QUARANTINE = new Set<StoreNotice['code']>(['corrupt-data-quarantined', 'unknown-version-quarantined']);
/**
 * Notices whose stored detail (English, written by the store) says more than the body: which
 * data could not be read, or why sync is off (no sync storage, items still arriving, the
 * browser's error). The quota fallback's detail only restates its body, so it is not shown.
 */
const SHOW_DETAIL = new Set<StoreNotice['code']>(['corrupt-data-quarantined', 'unknown-version-quarantined', 'sync-unavailable']);

/**
 * Store notices are shown as a block above the favorites rather than a toast: they
 * describe a lasting state (data moved, sync off) the user may want to act on later.
 */
export function Notices({
  notices,
  dateFmt,
  onDismiss,
  onFocusLost,
}: {
  notices: StoreNotice[];
  dateFmt: Intl.DateTimeFormat;
  /** Resolves true once the notice is dismissed. */
  onDismiss(id: string): Promise<boolean>;
  /** Called when a dismissed notice took focus with it and no other notice can have it. */
  onFocusLost?(): void;
}) {
  const listRef = useRef<HTMLUListElement>(null);

  /** Dismiss goes away with its notice: focus goes to the next notice's Dismiss (else the previous one's), else to `onFocusLost`. */
  const dismiss = async (id: string, button: HTMLButtonElement) => {
    const buttons = [...(listRef.current?.querySelectorAll<HTMLButtonElement>('.notice-dismiss') ?? [])];
    const i = buttons.indexOf(button);
    const next = buttons[i + 1] ?? buttons[i - 1];
    if (!(await onDismiss(id))) return;
    const active = document.activeElement;
    // Only if focus was on that Dismiss (or went with it): a pointer user may have moved on.
    if (active !== button && active !== null && active !== document.body && active.isConnected) return;
    if (next?.isConnected) next.focus();
    else onFocusLost?.();
  };

  if (notices.length === 0) return null;
  return (
    <section class="notices" aria-labelledby="notices-h">
      <h2 id="notices-h" class="visually-hidden">
        {t('options_noticesHeading')}
      </h2>
      <ul class="notice-list" ref={listRef}>
        {notices.map((n, i) => (
          // Keyed by id where there is one, so the other notices keep their elements (and focus) when one goes.
          <li key={n.id ?? `${n.code}-${n.at}-${i}`} class="notice" data-code={n.code}>
            <span class="notice-icon" aria-hidden="true">!</span>
            <div class="notice-body">
              <p class="notice-title">{t(TITLE[n.code] ?? 'options_noticeGenericTitle')}</p>
              <p>{t(BODY[n.code] ?? 'options_noticeGenericBody')}</p>
              {QUARANTINE.has(n.code) && n.keys.length > 0 && (
                <p>
                  {t('options_noticeKeptUnder')}{' '}
                  {n.keys.map((k, j) => (
                    <Fragment key={k}>
                      {j > 0 && ', '}
                      <code>{k}</code>
                    </Fragment>
                  ))}
                </p>
              )}
              <p class="notice-detail">
                {SHOW_DETAIL.has(n.code) && n.detail ? `${t('options_errorDetail', n.detail)} · ` : ''}
                <time dateTime={new Date(n.at).toISOString()}>{dateFmt.format(n.at)}</time>
              </p>
            </div>
            {n.id && (
              <button type="button" class="btn btn-small btn-quiet notice-dismiss" onClick={(e) => void dismiss(n.id!, e.currentTarget)}>
                {t('options_noticeDismiss')}
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
