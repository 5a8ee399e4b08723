import { t } from '../utils/i18n';
import { Icon } from './Icon';
import './ui.css';

/**
 * A toggle button: pressed = saved. `saved === undefined` means the favorites have not
 * arrived yet; the star still renders (so the layout does not shift) but is inert. While
 * `busy` it keeps focus and ignores presses.
 */
export function FavoriteStar({
  saved,
  busy,
  onToggle,
  describedBy,
}: {
  saved: boolean | undefined;
  busy?: boolean;
  onToggle: () => void;
  /** Id of the entry's title, where several stars share a page and their labels alone would be ambiguous. */
  describedBy?: string;
}) {
  return (
    <button
      type="button"
      class="cmed-star"
      aria-pressed={saved ? 'true' : 'false'}
      aria-label={saved ? t('popup_unsave') : t('popup_save')}
      title={saved ? t('popup_unsave') : t('popup_save')}
      aria-describedby={describedBy}
      // aria-disabled while a save or removal runs, not disabled: a disabled button drops keyboard focus.
      aria-disabled={busy || undefined}
      disabled={saved === undefined}
      onClick={() => {
        if (!busy) onToggle();
      }}
    >
      <Icon name="star" size={18} />
    </button>
  );
}
