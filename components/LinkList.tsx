import { useEffect, useState } from 'preact/hooks';
import type { Link } from '../utils/catalog/types';
import { t } from '../utils/i18n';
import { copyText } from './copyText';
import { Icon } from './Icon';
import './ui.css';

/** "arxiv.org/abs/1909.06146" — enough of the URL to tell links apart, without the scheme noise. */
export function shortUrl(url: string): string {
  try {
    const u = new URL(url);
    const host = u.hostname.replace(/^www\./, '');
    const rest = `${u.pathname}${u.search}`.replace(/\/$/, '');
    const shown = `${host}${rest}`;
    return shown.length > 64 ? `${shown.slice(0, 61)}…` : shown;
  } catch {
    return url;
  }
}

function CopyCode({ code }: { code: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  useEffect(() => {
    if (state === 'idle') return;
    const timer = setTimeout(() => setState('idle'), 2500);
    return () => clearTimeout(timer);
  }, [state]);
  return (
    <span class="cmed-code">
      <span>{t('popup_extractionCode')}</span>
      <code>{code}</code>
      <button
        type="button"
        class="cmed-btn cmed-copy"
        aria-label={t('popup_copyCode', code)}
        onClick={async () => setState((await copyText(code)) ? 'copied' : 'failed')}
      >
        <Icon name={state === 'copied' ? 'check' : 'copy'} size={14} />
        {t('popup_copy')}
      </button>
      <span role="status" class={state === 'copied' ? 'cmed-copied' : ''}>
        {state === 'copied' ? t('popup_copied') : state === 'failed' ? t('popup_copyFailed') : ''}
      </span>
    </span>
  );
}

/** Every link of an entry with its type spelled out; downloads carry their extraction code and a copy button. */
export function LinkList({ links }: { links: Link[] }) {
  if (!links.length) return <p class="cmed-summary">{t('popup_noLinks')}</p>;
  return (
    <ul class="cmed-links">
      {links.map((link, i) => (
        <li key={`${link.url}-${i}`} data-link-type={link.type}>
          <span class="cmed-link-type">{t(`popup_link_${link.type}`)}</span>
          <span class="cmed-link-body">
            <a class="cmed-link" href={link.url} target="_blank" rel="noopener noreferrer" title={link.url}>
              {link.label ? <span class="cmed-link-label">{link.label}</span> : null}
              <span class={link.label ? 'cmed-link-host' : 'cmed-link-url'}>{shortUrl(link.url)}</span>
              <Icon name="external" size={12} />
              <span class="cmed-visually-hidden">({t('popup_opensNewTab')})</span>
            </a>
            {link.extractionCode ? <CopyCode code={link.extractionCode} /> : null}
          </span>
        </li>
      ))}
    </ul>
  );
}
