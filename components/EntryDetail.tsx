import type { Ref } from 'preact';
import type { Entry, Section } from '../utils/catalog/types';
import { venueYear } from '../utils/catalog/kind-hues';
import type { Lang } from '../utils/i18n';
import { t } from '../utils/i18n';
import { FavoriteStar } from './FavoriteStar';
import { Highlight } from './Highlight';
import { Icon } from './Icon';
import { KindBadge } from './KindBadge';
import { LinkList } from './LinkList';
import './ui.css';

export interface EntryDetailProps {
  entry: Entry;
  lang: Lang;
  /** Looks up related entries; unknown ids are skipped (the catalog may have dropped them). */
  getEntry: (id: string) => Entry | undefined;
  onOpenEntry?: (id: string) => void;
  /** Omit to hide the star (e.g. where favorites are managed elsewhere). */
  favorite?: { saved: boolean | undefined; busy?: boolean; onToggle: () => void };
  titleRanges?: [number, number][];
  titleRef?: Ref<HTMLHeadingElement>;
  /** Heading level of the title; the sub-headings follow it. */
  level?: 2 | 3;
  /** Given when the entry is marked on the current tab: a button shows it there. */
  onShowOnPage?: () => void;
}

const fold = (s: string) => s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');

/**
 * Other names worth showing under the title: the catalog keeps spelling variants
 * ("Yidu N7K", "Yidu-N7K：医渡云标准化7K数据集") for the matcher, but a reader only
 * needs the names that add something the title and the other shown names do not.
 */
export function distinctNames(title: string, names: string[], max = 4): string[] {
  const shown: string[] = [];
  const seen = [fold(title)];
  for (const name of names) {
    const f = fold(name);
    if (!f || seen.some((s) => s.includes(f) || f.includes(s))) continue;
    seen.push(f);
    shown.push(name);
    if (shown.length >= max) break;
  }
  return shown;
}

export function sectionLabel(section: Section, lang: Lang): string {
  const pick = (s: { zh: string; en: string }) => (lang === 'zh_CN' ? s.zh : s.en || s.zh);
  return section.sub ? `${pick(section)} › ${pick(section.sub)}` : pick(section);
}

/** Everything the catalog knows about one entry: the popup's detail view, reusable by the options page. */
export function EntryDetail({ entry, lang, getEntry, onOpenEntry, favorite, titleRanges, titleRef, level = 2, onShowOnPage }: EntryDetailProps) {
  const H = `h${level}` as 'h2';
  const Sub = `h${level + 1}` as 'h3';
  const summary = lang === 'zh_CN' ? entry.summary.zh || entry.summary.en : entry.summary.en || entry.summary.zh;
  const related = entry.related.map(getEntry).filter((e): e is Entry => !!e);
  const aka = distinctNames(entry.title, entry.names);
  const headingId = `cmed-detail-${entry.id}`;
  return (
    <article class="cmed-detail" aria-labelledby={headingId} data-entry-id={entry.id}>
      <header class="cmed-detail-head">
        <div class="cmed-detail-meta">
          <KindBadge kind={entry.kind} />
          {entry.venue || entry.year ? <span>{venueYear(entry.venue, entry.year)}</span> : null}
        </div>
        <div class="cmed-detail-title-row">
          <H class="cmed-detail-title" id={headingId} tabIndex={-1} ref={titleRef}>
            <Highlight text={entry.title} ranges={titleRanges} />
          </H>
          {favorite ? <FavoriteStar saved={favorite.saved} busy={favorite.busy} onToggle={favorite.onToggle} /> : null}
        </div>
        {aka.length ? <p class="cmed-aka">{aka.join(' · ')}</p> : null}
        {onShowOnPage ? (
          <p class="cmed-on-page">
            <button type="button" class="cmed-btn cmed-btn--ghost" onClick={onShowOnPage}>
              <Icon name="locate" size={14} />
              {t('popup_showOnPageShort')}
            </button>
          </p>
        ) : null}
      </header>
      {summary ? <p class="cmed-summary">{summary}</p> : null}
      <section aria-label={t('popup_links')}>
        <Sub>{t('popup_links')}</Sub>
        <LinkList links={entry.links} />
      </section>
      {entry.sections.length ? (
        <section aria-label={t('popup_inSections')}>
          <Sub>{t('popup_inSections')}</Sub>
          <ul class="cmed-crumbs">
            {entry.sections.map((s, i) => (
              <li key={i} lang={lang === 'zh_CN' ? 'zh-CN' : undefined} title={sectionLabel(s, lang === 'zh_CN' ? 'en' : 'zh_CN')}>
                {sectionLabel(s, lang)}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {related.length ? (
        <section aria-label={t('popup_related')}>
          <Sub>{t('popup_related')}</Sub>
          <ul class="cmed-related">
            {related.map((r) => (
              <li key={r.id}>
                <button type="button" onClick={() => onOpenEntry?.(r.id)} data-related-id={r.id}>
                  <KindBadge kind={r.kind} compact />
                  <span class="cmed-related-title">{r.title}</span>
                </button>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </article>
  );
}
