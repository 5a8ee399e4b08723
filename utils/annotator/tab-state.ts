/**
 * What a tab's page reported to the background (the entries behind the toolbar count and
 * the popup's "On this page"), as the background keeps it in storage.session, one key per
 * tab, so that it outlives the MV3 service worker. Kept apart from background.ts so that the
 * popup can follow it without bundling the background's catalog and matcher.
 */
import { browser } from 'wxt/browser';

export interface TabFound {
  entryIds: string[];
  url: string;
}

/** storage.session key prefix; the tab's ID follows. */
export const TAB_STATE_PREFIX = 'annotator:tab:';

export const isTabFound = (v: unknown): v is TabFound =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as TabFound).url === 'string' &&
  Array.isArray((v as TabFound).entryIds) &&
  (v as TabFound).entryIds.every((id) => typeof id === 'string');

/**
 * Calls `onChange` whenever the background keeps or forgets what one tab's page found (its
 * first pass ending while the popup is open, the site switched on or off, a new page).
 * Returns an unsubscribe. Without storage.session nothing is kept there and nothing fires.
 */
export function watchTabFound(tabId: number, onChange: () => void): () => void {
  const key = TAB_STATE_PREFIX + tabId;
  const listener = (changes: Record<string, unknown>, area: string) => {
    if (area === 'session' && key in changes) onChange();
  };
  browser.storage.onChanged.addListener(listener);
  return () => browser.storage.onChanged.removeListener(listener);
}
