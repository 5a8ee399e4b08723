/**
 * The toolbar button's API: `action` in MV3 (Chrome) and `browserAction` in the
 * Firefox MV2 build. Both carry the badge methods the extension uses.
 */
import { browser } from 'wxt/browser';

type BadgeApi = Pick<typeof browser.action, 'setBadgeText' | 'getBadgeText' | 'setBadgeBackgroundColor'>;

export function toolbarAction(): BadgeApi {
  const b = browser as unknown as { action?: BadgeApi; browserAction?: BadgeApi };
  const api = b.action ?? b.browserAction;
  if (!api) throw new Error('No toolbar action API in this browser');
  return api;
}
