/**
 * Shapes exchanged between the annotator content script and the background.
 * Kept free of runtime code so utils/messages.ts can import them as types only.
 */
import type { Kind } from '../catalog/types';
import type { SiteKey } from '../favorites/types';
import type { PackedMatcher } from '../matcher/types';
import type { UiCss } from './ui';

export interface AnnotatorInitReq {
  site: SiteKey;
  url: string;
  /** False when the content script already holds the matcher data (a settings re-check). */
  wantData: boolean;
}

export interface AnnotatorInit {
  /** The per-site switch. */
  enabled: boolean;
  /** Present when asked for and the site is enabled. */
  data?: {
    /** The compiled matcher (runtime.ts `loadMatcher` reads it). */
    matcher: PackedMatcher;
    /** Title and kind per entry id, for badge labels (the card asks for the rest). */
    meta: Record<string, [title: string, kind: Kind]>;
    /** Every `card_*` message in the UI language. */
    strings: Record<string, string>;
    /** Stylesheets of the badge, banner, card and highlight (sent, not bundled: the script ships on every page). */
    css: UiCss;
    lang: 'en' | 'zh_CN';
  };
}

export interface CardLink {
  url: string;
  label: string;
}

/** One entry as the hover card shows it, already in the UI language. */
export interface CardData {
  id: string;
  title: string;
  kind: Kind;
  kindLabel: string;
  /** "Section › sub-section" labels. */
  sections: string[];
  summary: string;
  year?: number;
  venue?: string;
  links: CardLink[];
  /** Null when the favorites could not be read: the card keeps what it knows of them. */
  favorite: boolean | null;
}
