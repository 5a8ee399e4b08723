import { Fragment } from 'preact';
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
 * Store notices are shown as a block above the favorites rather than a toast: they
 * describe a lasting state (data moved, sync off) the user may want to act on later.
 */
export function Notices({
  notices,
  dateFmt,
  onDismiss,
}: {
  notices: StoreNotice[];
  dateFmt: Intl.DateTimeFormat;
  onDismiss(id: string): void;
}) {
  if (notices.length === 0) return null;
  return (
    <section class="notices" aria-labelledby="notices-h">
      <h2 id="notices-h" class="visually-hidden">
        {t('options_noticesHeading')}
      </h2>
      <ul class="notice-list">
        {notices.map((n, i) => (
          <li key={`${n.code}-${n.at}-${i}`} class="notice" data-code={n.code}>
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
              {n.detail && (
                <p class="notice-detail">
                  {n.detail} · <time dateTime={new Date(n.at).toISOString()}>{dateFmt.format(n.at)}</time>
                </p>
              )}
            </div>
            {n.id && (
              <button type="button" class="btn btn-small btn-quiet notice-dismiss" onClick={() => onDismiss(n.id!)}>
                {t('options_noticeDismiss')}
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
