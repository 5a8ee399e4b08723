import type { Kind } from '../utils/catalog/types';
import { kindKey } from '../utils/lookup/handlers';
import { t } from '../utils/i18n';
import './ui.css';

/** The entry's kind as a coloured pill; each kind has its own hue in both themes. */
export function KindBadge({ kind, compact = false }: { kind: Kind; compact?: boolean }) {
  return (
    <span class={`cmed-kind cmed-kind--${kind}${compact ? ' cmed-kind--compact' : ''}`} data-kind={kind}>
      {t(kindKey(kind))}
    </span>
  );
}
